// Connections: one Stripe account ↔ one Storno company, with the approving user's Storno credentials
// sealed at rest. Binding, settings, disconnect and the "needs re-authorization" state live here.
import { randomUUID } from 'node:crypto';
import type { Connection } from '../db/generated/sqlite/client.js';
import type { PrismaClient } from '../db/database.js';
import { openJson, sealJson } from './secrets.js';
import type { StornoCompanySummary, StornoUserTokens } from './stornoAccount.js';

export type { Connection };

/** The Prisma client or the transaction a step runs in. */
export type Db = PrismaClient | Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export class ConnectionConflictError extends Error {
  constructor(readonly currentCompanyName: string) {
    super(
      `This Stripe account is already connected to ${currentCompanyName}. Disconnect it in the app settings first to connect another company.`,
    );
  }
}

export class ConnectionService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly encryptionKey: Buffer,
  ) {}

  byAccount(stripeAccountId: string): Promise<Connection | null> {
    return this.prisma.connection.findUnique({ where: { stripeAccountId } });
  }

  byId(id: string): Promise<Connection | null> {
    return this.prisma.connection.findUnique({ where: { id } });
  }

  /**
   * Binds the account to the company. Connecting the same company again replaces the stored credentials
   * (another Dashboard user joins; `replaced` are the previous ones, to revoke at Storno); a different company
   * while connected is refused. `db` is the approval's transaction.
   */
  async bind(
    input: {
      stripeAccountId: string;
      company: StornoCompanySummary;
      user: { email: string; name: string };
      tokens: StornoUserTokens;
    },
    db: Db = this.prisma,
  ): Promise<{ connection: Connection; replaced?: StornoUserTokens }> {
    const existing = await db.connection.findUnique({ where: { stripeAccountId: input.stripeAccountId } });
    if (existing && existing.status !== 'disconnected' && existing.stornoCompanyId !== input.company.id) {
      throw new ConnectionConflictError(existing.companyName);
    }
    const data = {
      stornoCompanyId: input.company.id,
      companyName: input.company.name,
      companyCif: input.company.cif,
      authorizedByEmail: input.user.email,
      authorizedByName: input.user.name,
      authorizedAt: new Date(),
      stornoCredentials: this.seal(input.tokens),
      status: 'active',
      disconnectedAt: null,
    };
    const replaced = existing ? this.credentials(existing) : undefined;
    if (existing && existing.stornoCompanyId === input.company.id) {
      const connection = await db.connection.update({
        where: { id: existing.id },
        data: { ...data, autoMode: existing.status === 'disconnected' ? false : existing.autoMode },
      });
      return { connection, replaced };
    }
    if (existing) {
      // Another company after a disconnect starts afresh; the old row (and its document history) is archived
      // under a key no account id can take, so the one-connection-per-account rule keeps holding.
      await db.connection.update({
        where: { id: existing.id },
        data: { stripeAccountId: `${existing.stripeAccountId}#archived:${existing.id}` },
      });
    }
    // Back to a company this account was connected to before (A → B → A): its row comes back with its document
    // links and idempotency keys, so a sale already sent to that company is never made a second time.
    const archived = await db.connection.findFirst({
      where: { stripeAccountId: { startsWith: `${input.stripeAccountId}#archived:` }, stornoCompanyId: input.company.id },
      orderBy: { updatedAt: 'desc' },
    });
    if (archived) {
      const connection = await db.connection.update({ where: { id: archived.id }, data: { ...data, stripeAccountId: input.stripeAccountId, autoMode: false } });
      return { connection, replaced };
    }
    const connection = await db.connection.create({ data: { id: randomUUID(), stripeAccountId: input.stripeAccountId, ...data } });
    return { connection, replaced };
  }

  credentials(connection: Connection): StornoUserTokens | undefined {
    return connection.stornoCredentials ? openJson<StornoUserTokens>(this.encryptionKey, connection.stornoCredentials) : undefined;
  }

  async markReauthorizationRequired(connectionId: string): Promise<void> {
    await this.prisma.connection.updateMany({
      where: { id: connectionId, status: 'active' },
      data: { status: 'reauthorization_required' },
    });
  }

  async disconnect(connectionId: string): Promise<void> {
    await this.prisma.connection.update({
      where: { id: connectionId },
      data: { status: 'disconnected', stornoCredentials: null, autoMode: false, disconnectedAt: new Date() },
    });
  }

  async updateSettings(connectionId: string, update: { autoMode?: boolean; defaultVatRate?: string; invoiceTrigger?: 'finalized' | 'paid' }): Promise<Connection> {
    return this.prisma.connection.update({ where: { id: connectionId }, data: update });
  }

  /** The secret Storno signs its webhooks with for this connection's company. */
  webhookSecret(connection: Connection): string | undefined {
    return connection.stornoWebhookSecret ? openJson<{ secret: string }>(this.encryptionKey, connection.stornoWebhookSecret).secret : undefined;
  }

  async storeWebhook(connectionId: string, webhookId: string, secret: string): Promise<void> {
    await this.prisma.connection.update({
      where: { id: connectionId },
      data: { stornoWebhookId: webhookId, stornoWebhookSecret: sealJson(this.encryptionKey, { secret }) },
    });
  }

  seal(tokens: StornoUserTokens): string {
    return sealJson(this.encryptionKey, tokens);
  }

  open(sealed: string): StornoUserTokens {
    return openJson<StornoUserTokens>(this.encryptionKey, sealed);
  }
}
