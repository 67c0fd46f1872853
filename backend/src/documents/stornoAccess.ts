// A Storno client for a connection, acting as the user who approved it. Token refresh happens here, under a
// row lock on the connection, before the client gets the tokens: Storno rotates refresh tokens and revokes
// the whole family when one is presented twice, so two instances must never refresh the same token.
import type { AppConfig } from '../config.js';
import type { Database } from '../db/database.js';
import type { Connection, ConnectionService } from '../oauth/connections.js';
import type { StornoUserTokens } from '../oauth/stornoAccount.js';
import { StornoClient } from '../storno/client.js';
import { StornoAuthError, StornoCompanyNotFoundError } from '../storno/errors.js';
import { StornoOAuth } from '../storno/oauth.js';
import { ReauthorizationRequired } from './errors.js';

/** Refresh when less than this is left; longer than the client's own skew, so it never refreshes by itself. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export class StornoAccess {
  private readonly oauth: StornoOAuth;

  constructor(
    private readonly config: AppConfig,
    private readonly db: Database,
    private readonly connections: ConnectionService,
  ) {
    this.oauth = new StornoOAuth({
      baseUrl: config.storno.apiUrl,
      clientId: config.storno.oauthClientId,
      clientSecret: config.storno.oauthClientSecret,
    });
  }

  async clientFor(connection: Connection): Promise<StornoClient> {
    const tokens = await this.freshTokens(connection);
    return new StornoClient({
      baseUrl: this.config.storno.apiUrl,
      companyId: connection.stornoCompanyId,
      credentials: { type: 'oauth', ...tokens, clientId: this.config.storno.oauthClientId, clientSecret: this.config.storno.oauthClientSecret },
      // Only reached if Storno answers 401 to a token we believed valid; keep whatever it rotated to.
      onTokens: (t) => this.connections.storeCredentials(connection.id, { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt }),
    });
  }

  /**
   * Asks Storno to tell us when documents change (the status is polled too, so a company whose plan or URL
   * rules refuse webhooks still works). Returns false when Storno refused.
   */
  async registerWebhook(connection: Connection): Promise<boolean> {
    if (connection.stornoWebhookId) return true;
    const storno = await this.clientFor(connection);
    const url = `${this.config.publicUrl}/api/v1/stripe-app/webhooks/storno/${connection.id}`;
    const events = ['invoice.sent_to_provider', 'invoice.validated', 'invoice.rejected'];
    const existing = (await storno.listWebhooks()).find((w) => w.url === url);
    if (existing) await storno.deleteWebhook(existing.id);
    const created = await storno.createWebhook({ url, events, description: 'Storno e-Factura for Stripe' });
    if (!created.secret) return false;
    await this.connections.storeWebhook(connection.id, created.id, created.secret);
    return true;
  }

  /**
   * Marks the connection when Storno refuses it, so views prompt a reconnect. Returns the error to throw. A 403 on an
   * action is a missing permission of the connected user, not a dead credential: the connection stays usable (issue 12).
   */
  async failed(connection: Connection, err: unknown): Promise<unknown> {
    if (err instanceof StornoAuthError && !(err.status === 403 && err.code === 'forbidden')) {
      await this.connections.markReauthorizationRequired(connection.id);
      return new ReauthorizationRequired();
    }
    if (err instanceof StornoCompanyNotFoundError) {
      // The company is gone or no longer visible to the connected user: the connection needs attention (reconnect, pick it).
      await this.connections.markReauthorizationRequired(connection.id);
      return new ReauthorizationRequired('Storno.ro no longer shows this connection\'s company to the user who connected it; reconnect and pick the company.');
    }
    return err;
  }

  private async freshTokens(connection: Connection): Promise<StornoUserTokens> {
    const current = this.connections.credentials(connection);
    if (!current) throw new ReauthorizationRequired();
    if (current.expiresAt - REFRESH_MARGIN_MS > Date.now()) return current;

    let refused = false;
    try {
      return await this.refreshLocked(connection, () => (refused = true));
    } catch (err) {
      // Outside the transaction, so the mark survives its rollback.
      if (refused) await this.connections.markReauthorizationRequired(connection.id);
      throw err;
    }
  }

  private refreshLocked(connection: Connection, onRefused: () => void): Promise<StornoUserTokens> {
    return this.db.prisma.$transaction(
      async (tx) => {
        if (this.db.dialect === 'postgresql') {
          await tx.$queryRawUnsafe('SELECT "id" FROM "Connection" WHERE "id" = $1 FOR UPDATE', connection.id);
        }
        // Another instance may have refreshed while we waited for the lock: use its tokens.
        const row = await tx.connection.findUnique({ where: { id: connection.id } });
        const latest = row?.stornoCredentials ? this.connections.open(row.stornoCredentials) : undefined;
        if (!latest) throw new ReauthorizationRequired();
        if (latest.expiresAt - REFRESH_MARGIN_MS > Date.now()) return latest;
        let fresh: StornoUserTokens;
        try {
          const t = await this.oauth.refresh(latest.refreshToken);
          fresh = { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt };
        } catch (err) {
          if (err instanceof StornoAuthError) {
            onRefused();
            throw new ReauthorizationRequired();
          }
          throw err;
        }
        await tx.connection.update({ where: { id: connection.id }, data: { stornoCredentials: this.connections.seal(fresh) } });
        return fresh;
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  }
}
