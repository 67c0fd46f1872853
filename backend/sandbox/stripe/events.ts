// Signed webhook events, as Stripe (or `stripe trigger`) delivers them to a Connect endpoint: the event
// names the connected account, and `Stripe-Signature: t=<unix>,v1=<HMAC-SHA256("t.payload", whsec)>`.
import Stripe from 'stripe';
import { createHmac } from 'node:crypto';
import { newId, now } from './builders.js';
import type { StripeObject } from './store.js';

export interface StripeEventObject extends StripeObject {
  object: 'event';
  api_version: string;
  created: number;
  type: string;
  account: string;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  data: { object: StripeObject; previous_attributes?: Record<string, unknown> };
}

export interface EmittedEvent {
  event: StripeEventObject;
  /** HTTP status of the delivery (0 when the target could not be reached). */
  status: number;
  responseBody: string;
}

export function buildEvent(
  type: string,
  object: StripeObject,
  account: string,
  previousAttributes?: Record<string, unknown>,
): StripeEventObject {
  return {
    id: newId('evt'),
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: now(),
    type,
    account,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object, ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
  };
}

/** Same algorithm as Stripe.webhooks.generateTestHeaderString, without the SDK's async crypto setup. */
export function signatureHeader(payload: string, secret: string, timestamp = now()): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

export async function deliver(url: string, event: StripeEventObject, secret: string): Promise<EmittedEvent> {
  const payload = JSON.stringify(event);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': signatureHeader(payload, secret),
      },
      body: payload,
      signal: AbortSignal.timeout(30_000),
    });
    return { event, status: response.status, responseBody: await response.text() };
  } catch (err) {
    return { event, status: 0, responseBody: err instanceof Error ? err.message : String(err) };
  }
}
