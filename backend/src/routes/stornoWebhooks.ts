// Storno's outbound webhooks (storno-api.md §6.5), public: verified with the hex HMAC-SHA256 of the raw body under
// the secret Storno gave when we registered, deduplicated by delivery id, then handled by the worker.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contract } from '../../../src/api/contract.js';
import { rawJsonBody } from './rawBody.js';

export function stornoSignature(secret: string, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'ascii')).update(body).digest('hex');
}

export const stornoWebhookRoutes: FastifyPluginAsyncZod = async (app) => {
  rawJsonBody(app);

  app.route({
    ...contract.stornoWebhook,
    handler: async (request, reply) => {
      const raw = request.body ?? '';
      const connection = await app.services.connections.byId(request.params.connectionId);
      const secret = connection ? app.services.connections.webhookSecret(connection) : undefined;
      const presented = String(request.headers['x-webhook-signature'] ?? '');
      const expected = secret ? stornoSignature(secret, raw) : '';
      const valid = expected.length > 0 && presented.length === expected.length && timingSafeEqual(Buffer.from(presented), Buffer.from(expected));
      if (!connection || !valid) return reply.code(400).send({ error: 'invalid_signature', message: 'The X-Webhook-Signature does not match this body.' });

      let event: { id?: string; event?: string };
      try {
        event = JSON.parse(raw);
      } catch {
        return reply.code(400).send({ error: 'invalid_json', message: 'The request body is not valid JSON.' });
      }
      await app.services.inbox.record({
        source: 'storno',
        eventId: String(request.headers['x-webhook-id'] ?? '') || String(event.id),
        type: String(event.event ?? 'unknown'),
        stripeAccountId: connection.stripeAccountId,
        payload: raw,
        status: 'pending',
      });
      return { received: true as const };
    },
  });
};
