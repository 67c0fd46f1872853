// RFC 8628 device authorization, the token endpoint (device code + refresh), RFC 7009 revocation. Public routes:
// each authenticates its own way. OAuth endpoints answer RFC 6749 error bodies ({error, error_description}).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contract, type OAuthErrorResponse } from '../../../src/api/contract.js';
import { unauthorized } from '../http/errors.js';
import { isValidAppSignature } from '../http/stripeSignature.js';

const DEVICE_GRANT_TYPES = new Set(['device_code', 'urn:ietf:params:oauth:grant-type:device_code']);
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const REFRESH_REFUSED = {
  unknown: 'The refresh token is unknown.',
  reused: 'The refresh token was already used; every token of this session has been revoked. Connect again.',
  expired: 'The refresh token has expired; connect again.',
  disconnected: 'The connection was disconnected; connect again.',
} as const;

function oauthError(reply: FastifyReply, error: OAuthErrorResponse['error'], description: string) {
  return reply.code(400).headers(NO_STORE).send({ error, error_description: description });
}

/** Rate-limit key per account and address: one merchant retrying can't lock out everyone behind the same proxy. */
function deviceKey(request: FastifyRequest): string {
  const body: unknown = request.body;
  const account = body && typeof body === 'object' && 'stripe_account_id' in body ? String(body.stripe_account_id) : '';
  return `${request.ip}:${account}`;
}

export const oauthRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services, config } = app;

  app.route({
    ...contract.deviceAuthorization,
    config: { rateLimit: { max: 20, timeWindow: '1 minute', hook: 'preHandler', keyGenerator: deviceKey } },
    handler: async (request, reply) => {
      const { stripe_account_id: accountId, user_id: userId } = request.body;
      const signature = request.headers['stripe-signature'];
      if (!isValidAppSignature(typeof signature === 'string' ? signature : undefined, userId, accountId, config.stripe.appSecrets)) {
        throw unauthorized('A valid Stripe-Signature for this account and user is required to start a connection.');
      }
      return reply.header('cache-control', 'no-store').send(await services.deviceGrants.start(accountId, userId));
    },
  });

  app.route({
    ...contract.token,
    config: { oauthErrors: true, rateLimit: { max: 120, timeWindow: '1 minute' } },
    handler: async (request, reply) => {
      const { grant_type: grantType, device_code: deviceCode, refresh_token: refreshToken, stripe_account_id: account } = request.body;
      if (!grantType) return oauthError(reply, 'invalid_request', 'grant_type is required.');

      if (DEVICE_GRANT_TYPES.has(grantType)) {
        if (!deviceCode) return oauthError(reply, 'invalid_request', 'device_code is required.');
        const outcome = await services.deviceGrants.poll(deviceCode, account);
        if (outcome.kind === 'error') return oauthError(reply, outcome.error, outcome.description);
        const { grant } = outcome;
        const tokens = await services.tokens.issueNewFamily(grant.connectionId!, grant.stripeAccountId, grant.stripeUserId);
        return reply.headers(NO_STORE).send(tokens);
      }

      if (grantType === 'refresh_token') {
        if (!refreshToken) return oauthError(reply, 'invalid_request', 'refresh_token is required.');
        const result = await services.tokens.refresh(refreshToken);
        if (!result.ok) return oauthError(reply, 'invalid_grant', REFRESH_REFUSED[result.reason]);
        return reply.headers(NO_STORE).send(result.tokens);
      }

      return oauthError(reply, 'unsupported_grant_type', `grant_type "${grantType}" is not supported here.`);
    },
  });

  app.route({
    ...contract.revoke,
    config: { oauthErrors: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
    handler: async (request, reply) => {
      if (!request.body.token) return oauthError(reply, 'invalid_request', 'token is required.');
      await services.tokens.revoke(request.body.token);
      // RFC 7009 §2.2: answer 200 whether or not the token was known.
      return reply.code(200).header('cache-control', 'no-store').send({});
    },
  });
};
