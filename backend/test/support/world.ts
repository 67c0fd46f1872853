// A whole offline world for end-to-end tests: the Storno sandbox, the Stripe fake and the backend, listening
// on real ports so webhooks flow both ways, connected through the real consent flow (Storno's sign-in
// forms driven like a browser would).
import { createServer } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TokenResponse } from '../../../src/api/contract.js';
import { startBnrStandIn, type BnrStandIn } from '../../sandbox/bnr/index.js';
import { startStornoSandbox, SANDBOX_SEED, type StornoSandbox } from '../../sandbox/storno/index.js';
import { startStripeFake, type StripeFake } from '../../sandbox/stripe/index.js';
import { buildApp } from '../../src/app.js';
import { TEST_SECRETS, testConfig } from './config.js';
import { API, startDevice } from './connect.js';
import { makeTestDatabase, type TestDatabase } from './databases.js';
import { authHeaders, browse, CookieJar, csrfFrom, submitForm } from './http.js';

export const DEMO_ACCOUNT = 'acct_demo_ro';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface World {
  app: FastifyInstance;
  storno: StornoSandbox;
  stripe: StripeFake;
  bnr: BnrStandIn;
  db: TestDatabase;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startWorld(options: { kind?: 'sqlite' | 'postgresql'; worker?: boolean; providerDelayMs?: number; env?: Record<string, string> } = {}): Promise<World> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const storno = await startStornoSandbox({
    providerDelayMs: options.providerDelayMs ?? 0,
    webhookRetryDelaysMs: [50, 100],
    oauthClients: [
      {
        clientId: TEST_SECRETS.STORNO_OAUTH_CLIENT_ID,
        clientSecret: TEST_SECRETS.STORNO_OAUTH_CLIENT_SECRET,
        name: 'Storno e-Factura for Stripe (tests)',
        redirectUris: [`${baseUrl}/stripe-link/callback`],
      },
    ],
  });
  const stripe = await startStripeFake({
    secretKey: TEST_SECRETS.STRIPE_SECRET_KEY,
    webhookSecret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET,
    webhookUrl: `${baseUrl}${API}/webhooks/stripe`,
  });
  const bnr = await startBnrStandIn();
  const db = makeTestDatabase(options.kind ?? 'sqlite');
  const app = buildApp(
    testConfig({
      DATABASE_URL: db.url,
      PUBLIC_URL: baseUrl,
      STORNO_API_URL: storno.url,
      STRIPE_API_URL: stripe.url,
      BNR_URL: bnr.url,
      WORKER_ENABLED: options.worker ? 'true' : 'false',
      ...options.env,
    }),
  );
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    storno,
    stripe,
    bnr,
    db,
    baseUrl,
    async close() {
      await app.close();
      await bnr.close();
      await stripe.close();
      await storno.close();
      await db.cleanup();
    },
  };
}

/** Signs in on the sandbox's own pages (as a person in the browser would) and returns to our callback. */
export async function stornoSignIn(world: World, authorizeUrl: string, email: string, password: string): Promise<string> {
  const params = Object.fromEntries(new URL(authorizeUrl).searchParams);
  const signedIn = await fetch(new URL('/oauth2/authorize/login', world.storno.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, email, password }),
  });
  expect(signedIn.status).toBe(303);
  const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
  const consentPage = await fetch(new URL(signedIn.headers.get('location')!, world.storno.url), { headers: { cookie } });
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await consentPage.text())?.[1];
  const decided = await fetch(new URL('/oauth2/authorize/decision', world.storno.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...params, csrf_token: csrf!, decision: 'approve' }),
  });
  expect(decided.status).toBe(303);
  return decided.headers.get('location')!;
}

export interface Session {
  tokens: TokenResponse;
  userId: string;
  accountId: string;
  headers(): Record<string, string>;
  get(path: string): Promise<LightMyRequestResponse>;
  post(path: string, payload?: unknown): Promise<LightMyRequestResponse>;
  put(path: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

export async function connectDemo(
  world: World,
  input: { accountId?: string; userId?: string; companyId?: string; email?: string; password?: string } = {},
): Promise<Session> {
  const { app } = world;
  const accountId = input.accountId ?? DEMO_ACCOUNT;
  const userId = input.userId ?? 'usr_demo';
  const device = await startDevice(app, accountId, userId);
  const jar = new CookieJar();
  const page = await browse(app, jar, `/stripe-link?code=${device.user_code}`);
  const signin = await submitForm(app, jar, '/stripe-link/signin', { csrf: csrfFrom(page.body) });
  const callback = await stornoSignIn(world, signin.headers.location as string, input.email ?? SANDBOX_SEED.users.demo.email, input.password ?? SANDBOX_SEED.users.demo.password);
  const back = await browse(app, jar, callback.replace(world.baseUrl, ''));
  expect(back.statusCode).toBe(303);
  const approvePage = await browse(app, jar, '/stripe-link');
  const approved = await submitForm(app, jar, `${API}/oauth/approve`, {
    csrf: csrfFrom(approvePage.body),
    user_code: device.user_code,
    company_id: input.companyId ?? SANDBOX_SEED.companies.a.id,
    approve: 'true',
  });
  expect(approved.statusCode).toBe(200);
  const token = await app.inject({ method: 'POST', url: `${API}/token`, payload: { grant_type: 'device_code', device_code: device.device_code } });
  expect(token.statusCode).toBe(200);
  const tokens = token.json() as TokenResponse;
  const headers = () => authHeaders(tokens.access_token, userId, accountId);
  return {
    tokens,
    userId,
    accountId,
    headers,
    get: (path) => app.inject({ method: 'GET', url: `${API}${path}`, headers: headers() }),
    post: (path, payload) => app.inject({ method: 'POST', url: `${API}${path}`, headers: headers(), payload: (payload ?? {}) as object }),
    put: (path, payload) => app.inject({ method: 'PUT', url: `${API}${path}`, headers: headers(), payload: (payload ?? {}) as object }),
  };
}
