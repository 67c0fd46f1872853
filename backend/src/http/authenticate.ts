// The rule for every data route (design.md §4): a valid bearer access token AND a valid Stripe-Signature
// whose user and account are the token's. Anything else is 401 and the handler never runs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Connection } from '../oauth/connections.js';
import type { AccessClaims } from '../oauth/tokens.js';
import { HttpError, unauthorized } from './errors.js';
import { isValidAppSignature } from './stripeSignature.js';

export interface RequestAuth {
  claims: AccessClaims;
  connection: Connection;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: RequestAuth;
  }
  interface FastifyContextConfig {
    /** issue 12: the route answers from our own data while Storno needs re-authorization. */
    whileReauthorizing?: boolean;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

export async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const { services, config } = request.server;
  const token = bearerToken(request);
  const claims = token ? services.tokens.verifyAccessToken(token) : undefined;
  if (!claims) throw unauthorized('A valid access token is required; connect the app again if this persists.');

  const signature = request.headers['stripe-signature'];
  if (!isValidAppSignature(typeof signature === 'string' ? signature : undefined, claims.sub, claims.acct, config.stripe.appSecrets)) {
    throw unauthorized('The request signature is missing, expired or does not match this user and account.');
  }

  const connection = await services.connections.byId(claims.cid);
  if (!connection || connection.stripeAccountId !== claims.acct || connection.status === 'disconnected') {
    throw unauthorized('This connection was disconnected; connect Storno.ro again.');
  }
  if (!(await services.tokens.isFamilyActive(claims.fam))) {
    throw unauthorized('This session was revoked; connect Storno.ro again.');
  }
  // issue 12: while Storno needs re-authorization, routes that work from our own data (Home, Settings, auto mode
  // off, Disconnect) still answer, with the connection's state; they opt in with `config: { whileReauthorizing: true }`.
  const openWhileReauthorizing = request.routeOptions.config?.whileReauthorizing === true;
  if (connection.status === 'reauthorization_required' && !openWhileReauthorizing) {
    throw new HttpError(
      401,
      'reauthorization_required',
      'Storno.ro no longer accepts the stored authorization; reconnect from the app settings.',
    );
  }
  request.auth = { claims, connection };
}

/** The authenticated context of a data route (authenticate ran as its scope's onRequest hook). */
export function authOf(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw unauthorized();
  return request.auth;
}
