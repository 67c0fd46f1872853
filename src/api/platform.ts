// Everything the extension needs from its host (the Stripe Dashboard) behind one small interface, so that
// tests and a local preview page can host the real views with their own implementation.
// The default implementation uses the Stripe UI extension SDK.
import { AUTHORIZATION_VALUE, fetchStripeSignature, showToast, stripeApiFetch } from '@stripe/ui-extension-sdk/utils';

/** Secret Store access, always in the current Dashboard user's own scope. */
export interface SecretStore {
  /** The payload, or null when there is no such secret. */
  get(userId: string, name: string): Promise<string | null>;
  /** Create or replace; `expiresAt` (unix seconds) makes the Secret Store delete it by itself then. */
  set(userId: string, name: string, payload: string, expiresAt?: number): Promise<void>;
  /** Delete; no error when it does not exist. */
  delete(userId: string, name: string): Promise<void>;
}

export type ToastKind = 'success' | 'caution';

export interface Platform {
  /** A fresh `Stripe-Signature` for the default payload `{user_id, account_id}`. */
  fetchSignature(): Promise<string>;
  secrets: SecretStore;
  /** Short notice; the Dashboard allows 1–30 characters. */
  toast(message: string, kind?: ToastKind): void;
  /**
   * Called when the user presses a button that links to `url` with `target="_blank"`. In the Dashboard the
   * button's own `href` opens the page, so the SDK implementation does nothing; a preview host may open it.
   */
  openUrl(url: string): void;
  /** HTTP to the backend (the browser's `fetch` by default). */
  fetch(url: string, init: RequestInit): Promise<Response>;
  /** Waits between device-flow polls. */
  sleep(ms: number): Promise<void>;
  /** Current time in milliseconds (token expiry). */
  now(): number;
}

// The Secret Store through the Dashboard's authenticated fetch: the same requests stripe-node's
// `stripe.apps.secrets.create/find/deleteWhere` send through `createHttpClient()`, without bundling
// stripe-node (≈240 KB minified, over 80 % of the extension bundle).
const SECRETS_URL = 'https://api.stripe.com/v1/apps/secrets';

const form = (params: Record<string, string>): string =>
  Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');

const userScope = (userId: string) => ({ 'scope[type]': 'user', 'scope[user]': userId });

async function secretsCall(method: 'GET' | 'POST', path: string, params: Record<string, string>) {
  const query = form(params);
  const response = await stripeApiFetch(method === 'GET' ? `${SECRETS_URL}${path}?${query}` : `${SECRETS_URL}${path}`, {
    method,
    headers: {
      Authorization: AUTHORIZATION_VALUE,
      ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(method === 'POST' ? { body: query } : {}),
  });
  const json = (response.json ?? null) as { payload?: string | null; error?: { message?: string; code?: string } } | null;
  if (response.ok) return json;
  if (response.status === 404) return null;
  throw new Error(json?.error?.message ?? `Secret Store: HTTP ${response.status}`);
}

export const sdkPlatform: Platform = {
  fetchSignature: () => fetchStripeSignature(),
  secrets: {
    // find needs expand[]=payload, or the value is not returned; a missing secret is a 404.
    async get(userId, name) {
      const secret = await secretsCall('GET', '/find', { ...userScope(userId), name, 'expand[]': 'payload' });
      return secret?.payload ?? null;
    },
    // create is create-or-replace (by name + scope).
    async set(userId, name, payload, expiresAt) {
      await secretsCall('POST', '', { ...userScope(userId), name, payload, ...(expiresAt ? { expires_at: String(expiresAt) } : {}) });
    },
    async delete(userId, name) {
      await secretsCall('POST', '/delete', { ...userScope(userId), name });
    },
  },
  toast(message, kind) {
    void showToast(message.slice(0, 30), kind ? { type: kind } : undefined).catch(() => undefined);
  },
  openUrl() {
    // The Button's href + target="_blank" opens the page in the Dashboard.
  },
  fetch: (url, init) => globalThis.fetch(url, init),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

let current: Platform = sdkPlatform;

/** Replace (part of) the platform, e.g. in tests or in a local preview host. */
export function setPlatform(platform: Partial<Platform>): void {
  current = { ...sdkPlatform, ...platform };
}

export function resetPlatform(): void {
  current = sdkPlatform;
}

export function getPlatform(): Platform {
  return current;
}
