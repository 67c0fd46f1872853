// Runs the whole connect flow (device grant → consent page → approve → token poll) through `inject`.
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { TokenResponse } from '../../../src/api/contract.js';
import type { FakeStornoAccount } from './fakeStornoAccount.js';
import { appSignature, browse, CookieJar, csrfFrom, submitForm } from './http.js';

export const API = '/api/v1/stripe-app';

export async function startDevice(app: FastifyInstance, accountId: string, userId: string) {
  const res = await app.inject({
    method: 'POST',
    url: `${API}/oauth/device`,
    headers: { 'stripe-signature': appSignature(userId, accountId) },
    payload: { stripe_account_id: accountId, user_id: userId },
  });
  expect(res.statusCode).toBe(200);
  return res.json() as { device_code: string; user_code: string; verification_uri_complete: string; interval: number };
}

/** Opens the consent link, signs in (through the fake Storno sign-in), and returns the approve page. */
export async function signInOnConsentPage(app: FastifyInstance, storno: FakeStornoAccount, userCode: string, email: string, jar = new CookieJar()) {
  const first = await browse(app, jar, `/stripe-link?code=${userCode}`);
  expect(first.statusCode).toBe(200);
  const signin = await submitForm(app, jar, '/stripe-link/signin', { csrf: csrfFrom(first.body) });
  expect(signin.statusCode).toBe(303);
  const state = new URL(signin.headers.location as string).searchParams.get('state')!;
  const callback = await browse(app, jar, `/stripe-link/callback?code=${storno.issueCode(email)}&state=${state}`);
  expect(callback.statusCode).toBe(303);
  const page = await browse(app, jar, '/stripe-link');
  return { jar, page };
}

export async function connectAccount(
  app: FastifyInstance,
  storno: FakeStornoAccount,
  input: { accountId: string; userId: string; email?: string; companyId: string },
): Promise<TokenResponse> {
  const device = await startDevice(app, input.accountId, input.userId);
  const { jar, page } = await signInOnConsentPage(app, storno, device.user_code, input.email ?? 'demo@storno.test');
  const approved = await submitForm(app, jar, `${API}/oauth/approve`, {
    csrf: csrfFrom(page.body),
    user_code: device.user_code,
    company_id: input.companyId,
    approve: 'true',
  });
  expect(approved.statusCode).toBe(200);
  const token = await app.inject({
    method: 'POST',
    url: `${API}/token`,
    payload: { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code },
  });
  expect(token.statusCode).toBe(200);
  return token.json() as TokenResponse;
}
