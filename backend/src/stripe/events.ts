// Which Stripe events this app acts on, and what the inbox keeps of each.
import type Stripe from 'stripe';

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
export const HANDLED_EVENT_TYPES = new Set([...DOCUMENT_EVENT_TYPES, 'customer.updated', 'account.application.deauthorized']);

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
