// Stripe webhook intake: verify the signature on the raw body, then write the event to the inbox before
// answering 2xx. Nothing is stored for an invalid request; a repeated delivery is acknowledged and ignored.
import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { SIGNATURE_TOLERANCE_SECONDS } from '../http/stripeSignature.js';

/** Event types that make documents; only these depend on auto mode being on (see automation/handlers.ts). */
export const DOCUMENT_EVENT_TYPES = new Set([
  'invoice.finalized',
  'invoice.paid',
  'invoice.voided',
  'payment_intent.succeeded',
  'charge.refunded',
  'refund.created',
  'refund.updated',
]);
const HANDLED_TYPES = new Set([...DOCUMENT_EVENT_TYPES, 'customer.updated', 'account.application.deauthorized']);

/**
 * What the inbox keeps of an event: its envelope and the object it names. The worker reads the current object
 * from Stripe (events arrive late, out of order, in the endpoint's API version), so the copy is not needed —
 * and the webhook's write stays small.
 */
export function eventReference(event: Stripe.Event) {
  const object = event.data.object as unknown as Record<string, unknown>;
  const pick = (key: string) => (typeof object[key] === 'string' ? { [key]: object[key] } : {});
  return {
    id: event.id,
    type: event.type,
    account: event.account ?? null,
    livemode: event.livemode,
    created: event.created,
    api_version: event.api_version,
    data: { object: { id: object.id, object: object.object, ...pick('payment_intent'), ...pick('charge'), ...pick('customer') } },
  };
}

export async function stripeWebhookRoutes(app: FastifyInstance): Promise<void> {
  // The signature covers the exact bytes Stripe sent; keep them as a string for this route only.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  // Deliveries are many and alike: log failures only (a bad signature is logged below).
  app.post('/webhooks/stripe', { logLevel: 'warn' }, async (request, reply) => {
    const raw = typeof request.body === 'string' ? request.body : '';
    const header = request.headers['stripe-signature'];
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(raw, String(header ?? ''), app.config.stripe.webhookSecret, SIGNATURE_TOLERANCE_SECONDS);
    } catch {
      request.log.warn('Stripe webhook refused: bad or stale signature');
      return reply.code(400).send({ error: 'invalid_signature', message: 'The Stripe-Signature header does not match this body.' });
    }

    const account = event.account ?? null;
    // Kept lean on purpose (Stripe retries slow endpoints): whether the account is connected and in auto mode
    // is decided by the worker, which records the event as skipped then.
    const handled = HANDLED_TYPES.has(event.type);
    const status: 'pending' | 'skipped' = handled ? 'pending' : 'skipped';
    const note = handled ? undefined : 'event type not used by this app';
    const result = await app.services.inbox.record({
      source: 'stripe',
      eventId: event.id,
      type: event.type,
      stripeAccountId: account,
      payload: JSON.stringify(eventReference(event)),
      status,
      note,
    });
    return reply.code(200).send({ received: true, duplicate: result === 'duplicate' });
  });
}
