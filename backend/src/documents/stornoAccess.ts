// A Storno client for a connection, acting as the user who approved it. Its tokens are kept by the one TokenKeeper
// on the connection's row: a refresh runs under a row lock, so two instances never spend the same refresh token.
import type { AppConfig } from '../config.js';
import type { Database } from '../db/database.js';
import type { Connection, ConnectionService } from '../oauth/connections.js';
import { StornoClient } from '../storno/client.js';
import { isMissingPermission, StornoAuthError, StornoCompanyNotFoundError } from '../storno/errors.js';
import { StornoOAuth } from '../storno/oauth.js';
import { TokenKeeper, type TokenStore } from '../storno/tokenKeeper.js';
import { ReauthorizationRequired } from './errors.js';

/** Refresh when less than this is left. */
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

  /** Refreshes the tokens first when they are about to expire, so a refused refresh surfaces here (see `failed`). */
  async clientFor(connection: Connection): Promise<StornoClient> {
    const keeper = new TokenKeeper(this.tokenStore(connection), (refreshToken) => this.oauth.refresh(refreshToken), REFRESH_MARGIN_MS);
    await keeper.tokens();
    return new StornoClient({ baseUrl: this.config.storno.apiUrl, companyId: connection.stornoCompanyId, credentials: { type: 'oauth', tokens: keeper } });
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
    if (err instanceof StornoAuthError && !isMissingPermission(err)) {
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

  private tokenStore(connection: Connection): TokenStore {
    const stored = (sealed: string | null | undefined) => {
      const tokens = sealed ? this.connections.open(sealed) : undefined;
      if (!tokens) throw new ReauthorizationRequired();
      return tokens;
    };
    return {
      read: async () => stored(connection.stornoCredentials),
      exclusive: (update) =>
        this.db.prisma.$transaction(
          async (tx) => {
            if (this.db.dialect === 'postgresql') {
              await tx.$queryRawUnsafe('SELECT "id" FROM "Connection" WHERE "id" = $1 FOR UPDATE', connection.id);
            }
            const current = stored((await tx.connection.findUnique({ where: { id: connection.id } }))?.stornoCredentials);
            const next = await update(current);
            if (next !== current) {
              const { accessToken, refreshToken, expiresAt } = next;
              await tx.connection.update({ where: { id: connection.id }, data: { stornoCredentials: this.connections.seal({ accessToken, refreshToken, expiresAt }) } });
            }
            return next;
          },
          { timeout: 30_000, maxWait: 30_000 },
        ),
    };
  }
}
