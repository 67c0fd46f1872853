// Closing a connection, from the app's Disconnect or from Stripe's account.application.deauthorized: our tokens
// are revoked, the stored Storno credentials forgotten, and the Storno refresh token revoked at Storno so the
// pair can't be used by anyone (and a reconnect starts from a fresh sign-in).
import type { FastifyBaseLogger } from 'fastify';
import type { Connection, ConnectionService } from './connections.js';
import type { StornoAccountApi } from './stornoAccount.js';
import type { TokenService } from './tokens.js';

export interface DisconnectDeps {
  connections: ConnectionService;
  tokens: TokenService;
  stornoAccount: StornoAccountApi;
}

export async function closeConnection(deps: DisconnectDeps, connection: Connection, log: FastifyBaseLogger): Promise<void> {
  const credentials = deps.connections.credentials(connection);
  await deps.tokens.revokeConnection(connection.id);
  await deps.connections.disconnect(connection.id);
  if (credentials) await revokeAtStorno(deps.stornoAccount, credentials.refreshToken, log, connection.id);
}

/** Our side is already closed; a Storno outage must not keep the merchant connected. Logged for follow-up. */
export async function revokeAtStorno(storno: StornoAccountApi, refreshToken: string, log: FastifyBaseLogger, connectionId?: string): Promise<void> {
  await storno.revoke(refreshToken).catch((err) => log.warn({ err: String(err), connectionId }, 'revoking the Storno token failed'));
}
