// RFC 8628 device authorization, the token endpoint (device code + refresh), RFC 7009 revocation.
// OAuth endpoints answer RFC 6749 error bodies ({error, error_description}) with no-store caching.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { badRequest, unauthorized } from '../http/errors.js';
import { isValidAppSignature } from '../http/stripeSignature.js';

const DEVICE_GRANT_TYPES = new Set(['device_code', 'urn:ietf:params:oauth:grant-type:device_code']);

const deviceBody = z.object({
  stripe_account_id: z.string().regex(/^acct_\w+$/, 'must be a Stripe account id (acct_…)'),
  user_id: z.string().regex(/^usr_\w+$/, 'must be a Stripe user id (usr_…)'),
});

function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).header('cache-control', 'no-store').header('pragma', 'no-cache').send({ error, error_description: description });
}

/**
 * RFC 6749 §5.2 for whatever Fastify refuses before the handler runs (unparsable JSON, an empty body, a content
 * type it cannot read): the client gets `invalid_request`, never the generic error shape.
 */
function oauthErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode ?? 500;
  if (status === 429) return oauthError(reply, 429, 'rate_limited', 'Too many requests; wait a moment and try again.');
  if (status >= 400 && status < 500) {
    const description =
      error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'Send the parameters as application/x-www-form-urlencoded (or JSON).'
        : error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'The request body is empty.'
          : 'The request body could not be read.';
    return oauthError(reply, 400, 'invalid_request', description);
  }
  throw error;
}

/** A single text parameter; a repeated or non-text one is malformed (RFC 6749 §3.1). */
function param(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export async function oauthRoutes(app: FastifyInstance): Promise<void> {
  const { services, config } = app;

  app.post(
    '/oauth/device',
    {
      config: {
        // Per account and address: one merchant retrying can't lock out everyone behind the same proxy.
        rateLimit: {
          max: 20,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) => `${request.ip}:${(request.body as Record<string, unknown> | undefined)?.stripe_account_id ?? ''}`,
        },
      },
    },
    async (request, reply) => {
      const parsed = deviceBody.safeParse(request.body ?? {});
      if (!parsed.success) throw badRequest(`stripe_account_id and user_id are required: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      const { stripe_account_id: accountId, user_id: userId } = parsed.data;
      const signature = request.headers['stripe-signature'];
      if (!isValidAppSignature(typeof signature === 'string' ? signature : undefined, userId, accountId, config.stripe.appSecrets)) {
        throw unauthorized('A valid Stripe-Signature for this account and user is required to start a connection.');
      }
      const authorization = await services.deviceGrants.start(accountId, userId);
      return reply.header('cache-control', 'no-store').send(authorization);
    },
  );

  app.post(
    '/token',
    { config: { rateLimit: { max: 120, timeWindow: '1 minute' } }, errorHandler: oauthErrorHandler },
    async (request, reply) => {
      const body = request.body;
      const grantType = param(body, 'grant_type');
      if (!grantType) return oauthError(reply, 400, 'invalid_request', 'grant_type is required (one text value).');

      if (DEVICE_GRANT_TYPES.has(grantType)) {
        const deviceCode = param(body, 'device_code');
        if (!deviceCode) return oauthError(reply, 400, 'invalid_request', 'device_code is required (one text value).');
        const outcome = await services.deviceGrants.poll(deviceCode, param(body, 'stripe_account_id'));
        if (outcome.kind === 'error') return oauthError(reply, 400, outcome.error, outcome.description);
        const { grant } = outcome;
        const tokens = await services.tokens.issueNewFamily(grant.connectionId!, grant.stripeAccountId, grant.stripeUserId);
        return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(tokens);
      }

      if (grantType === 'refresh_token') {
        const refreshToken = param(body, 'refresh_token');
        if (!refreshToken) return oauthError(reply, 400, 'invalid_request', 'refresh_token is required (one text value).');
        const result = await services.tokens.refresh(refreshToken);
        if (!result.ok) {
          const why = {
            unknown: 'The refresh token is unknown.',
            reused: 'The refresh token was already used; every token of this session has been revoked. Connect again.',
            expired: 'The refresh token has expired; connect again.',
            disconnected: 'The connection was disconnected; connect again.',
          }[result.reason];
          return oauthError(reply, 400, 'invalid_grant', why);
        }
        return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(result.tokens);
      }

      return oauthError(reply, 400, 'unsupported_grant_type', `grant_type "${grantType}" is not supported here.`);
    },
  );

  app.post('/oauth/revoke', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } }, errorHandler: oauthErrorHandler }, async (request, reply) => {
    const token = param(request.body, 'token');
    if (!token) return oauthError(reply, 400, 'invalid_request', 'token is required (one text value).');
    await services.tokens.revoke(token);
    // RFC 7009 §2.2: answer 200 whether or not the token was known.
    return reply.code(200).header('cache-control', 'no-store').send({});
  });
}
