// Helpers for driving the backend like the extension and the consent page's browser do.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import Stripe from 'stripe';
import { TEST_SECRETS } from './config.js';

export function appSignature(userId: string, accountId: string, options: { timestamp?: number; secret?: string } = {}): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload: JSON.stringify({ user_id: userId, account_id: accountId }),
    secret: options.secret ?? TEST_SECRETS.STRIPE_APP_SECRET,
    timestamp: options.timestamp,
  });
}

/** A browser: keeps cookies between requests. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  absorb(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string }[]) this.cookies.set(c.name, c.value);
    return res;
  }

  get all(): Record<string, string> {
    return Object.fromEntries(this.cookies);
  }
}

export function csrfFrom(html: string): string {
  const match = html.match(/name="csrf" value="([^"]+)"/);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

export async function browse(app: FastifyInstance, jar: CookieJar, url: string): Promise<LightMyRequestResponse> {
  return jar.absorb(await app.inject({ method: 'GET', url, cookies: jar.all }));
}

export async function submitForm(app: FastifyInstance, jar: CookieJar, url: string, fields: Record<string, string>) {
  return jar.absorb(
    await app.inject({
      method: 'POST',
      url,
      cookies: jar.all,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    }),
  );
}

export function authHeaders(accessToken: string, userId: string, accountId: string) {
  return { authorization: `Bearer ${accessToken}`, 'stripe-signature': appSignature(userId, accountId) };
}
