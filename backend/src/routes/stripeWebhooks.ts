// Stripe webhook intake (public: the endpoint secret's signature over the raw body guards it). The event is
// written to the inbox before answering 2xx. Nothing is stored for an invalid request; a repeated delivery is
// acknowledged and ignored.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import Stripe from 'stripe';
import { contract } from '../../../src/api/contract.js';
import { SIGNATURE_TOLERANCE_SECONDS } from '../http/stripeSignature.js';
import { eventReference, HANDLED_EVENT_TYPES } from '../stripe/events.js';
import { rawJsonBody } from './rawBody.js';

export const stripeWebhookRoutes: FastifyPluginAsyncZod = async (app) => {
  rawJsonBody(app);

  // Deliveries are many and alike: log failures only (a bad signature is logged below).
  app.route({
    ...contract.stripeWebhook,
    logLevel: 'warn',
    handler: async (request, reply) => {
      let event: Stripe.Event;
      try {
        event = Stripe.webhooks.constructEvent(request.body ?? '', String(request.headers['stripe-signature'] ?? ''), app.config.stripe.webhookSecret, SIGNATURE_TOLERANCE_SECONDS);
      } catch {
        request.log.warn('Stripe webhook refused: bad or stale signature');
        return reply.code(400).send({ error: 'invalid_signature', message: 'The Stripe-Signature header does not match this body.' });
      }

      // Kept lean on purpose (Stripe retries slow endpoints): whether the account is connected and in auto mode
      // is decided by the worker, which records the event as skipped then.
      const handled = HANDLED_EVENT_TYPES.has(event.type);
      const result = await app.services.inbox.record({
        source: 'stripe',
        eventId: event.id,
        type: event.type,
        stripeAccountId: event.account ?? null,
        payload: JSON.stringify(eventReference(event)),
        status: handled ? 'pending' : 'skipped',
        note: handled ? undefined : 'event type not used by this app',
      });
      return reply.code(200).send({ received: true, duplicate: result === 'duplicate' });
    },
  });
};
