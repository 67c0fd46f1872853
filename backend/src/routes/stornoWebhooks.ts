// Storno's outbound webhooks (storno-api.md §6.5), public: verified with the hex HMAC-SHA256 of the raw body under
// the secret Storno gave when we registered, deduplicated by the signed body's `id` (the X-Webhook-Id header is not
// signed: a replay under a new header must add nothing), then handled by the worker.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contract } from '../../../src/api/contract.js';
import { rawJsonBody } from './rawBody.js';

export function stornoSignature(secret: string, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'ascii')).update(body).digest('hex');
}

/** Constant-time check of a presented hex signature; anything that is not 64 hex digits is simply wrong. */
export function isValidStornoSignature(secret: string | undefined, body: string, presented: unknown): boolean {
  if (!secret || typeof presented !== 'string' || !/^[0-9a-fA-F]{64}$/.test(presented)) return false;
  return timingSafeEqual(Buffer.from(presented.toLowerCase(), 'hex'), Buffer.from(stornoSignature(secret, body), 'hex'));
}

export const stornoWebhookRoutes: FastifyPluginAsyncZod = async (app) => {
  rawJsonBody(app);

  app.route({
    ...contract.stornoWebhook,
    handler: async (request, reply) => {
      const raw = request.body ?? '';
      const connection = await app.services.connections.byId(request.params.connectionId);
      const secret = connection ? app.services.connections.webhookSecret(connection) : undefined;
      if (!connection || !isValidStornoSignature(secret, raw, request.headers['x-webhook-signature'])) {
        return reply.code(400).send({ error: 'invalid_signature', message: 'The X-Webhook-Signature does not match this body.' });
      }

      let event: unknown;
      try {
        event = JSON.parse(raw);
      } catch {
        return reply.code(400).send({ error: 'invalid_json', message: 'The request body is not valid JSON.' });
      }
      const id = event && typeof event === 'object' && 'id' in event && typeof event.id === 'string' ? event.id : '';
      if (!id) return reply.code(400).send({ error: 'invalid_request', message: 'The delivery has no event id.' });
      const type = event && typeof event === 'object' && 'event' in event ? String(event.event) : 'unknown';
      await app.services.inbox.record({
        source: 'storno',
        // Per connection: two Stripe accounts bound to one company each receive the same event.
        eventId: `${connection.id}:${id}`,
        type,
        stripeAccountId: connection.stripeAccountId,
        payload: raw,
        status: 'pending',
      });
      return { received: true as const };
    },
  });
};
