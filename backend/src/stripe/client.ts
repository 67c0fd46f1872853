// The one place a Stripe SDK client is made: pinned to the API version the SDK's types describe, with
// retries and timeouts for real Stripe, or pointed at the local fake when STRIPE_API_URL is set.
import Stripe from 'stripe';

/** The version every request and every type in this folder speaks (stripe-node 23.1.0 → 2026-10-28.endive). */
export const STRIPE_API_VERSION = Stripe.API_VERSION;

export interface StripeClientOptions {
  secretKey: string;
  /** STRIPE_API_URL, e.g. http://127.0.0.1:12111 for the fake; absent = api.stripe.com. */
  apiUrl?: string;
  /** Per-request timeout (default 20 s). */
  timeoutMs?: number;
  /** Default 2 against Stripe (stripe-node retries idempotently with backoff), 0 against a local URL. */
  maxNetworkRetries?: number;
}

export function createStripeClient(options: StripeClientOptions): Stripe {
  const config: Stripe.StripeConfig = {
    apiVersion: STRIPE_API_VERSION,
    timeout: options.timeoutMs ?? 20_000,
    maxNetworkRetries: options.maxNetworkRetries ?? (options.apiUrl ? 0 : 2),
    telemetry: false,
    appInfo: { name: 'storno-stripe-app', url: 'https://storno.ro' },
  };
  if (options.apiUrl) {
    // stripe-node 22+ has no per-request host override: the target is fixed on the client.
    const url = new URL(options.apiUrl);
    const protocol = url.protocol === 'http:' ? 'http' : 'https';
    config.host = url.hostname;
    config.port = url.port ? Number(url.port) : protocol === 'http' ? 80 : 443;
    config.protocol = protocol;
  }
  return new Stripe(options.secretKey, config);
}

/** Options for a call made on behalf of an installed account (sends the `Stripe-Account` header). */
export function onAccount(accountId: string): Stripe.RequestOptions {
  return { stripeAccount: accountId };
}
