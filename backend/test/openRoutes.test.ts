// Secure by default: every route answers 401 without credentials, except the public ones listed here on purpose.
// A route added tomorrow outside the authenticated scope fails this test until someone decides it is public.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { testConfig } from './support/config.js';
import { makeTestDatabase, type TestDatabase } from './support/databases.js';
import { appSignature } from './support/http.js';

/** Each authenticates its own way: app signature, device code, session + CSRF, webhook signature — or serves no data. */
const PUBLIC = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /api/v1/stripe-app/healthz',
  'GET /api/v1/stripe-app/readyz',
  'GET /api/v1/stripe-app/openapi.json',
  'POST /api/v1/stripe-app/oauth/device',
  'POST /api/v1/stripe-app/token',
  'POST /api/v1/stripe-app/oauth/revoke',
  'POST /api/v1/stripe-app/oauth/approve',
  'POST /api/v1/stripe-app/webhooks/stripe',
  'POST /api/v1/stripe-app/webhooks/storno/:connectionId',
  // The period export behind a signed, expiring link (the link is the credential).
  'GET /api/v1/stripe-app/exports/:file',
  // A document's PDF / XML behind a signed, 5-minute link (the link is the credential; the browser opens it).
  'GET /api/v1/stripe-app/files/documents/:id/:format',
  'GET /stripe-link',
  'POST /stripe-link/code',
  'POST /stripe-link/signin',
  'GET /stripe-link/callback',
  'POST /stripe-link/signout',
  // Development only (never registered in production): the local Dashboard preview.
  'GET /preview',
  'GET /preview/app.js',
  'POST /preview/api/signature',
  'GET /preview/api/demo',
  'POST /preview/api/emit',
]);

let db: TestDatabase;
let app: FastifyInstance;
const routes: { method: string; url: string }[] = [];

beforeAll(async () => {
  db = makeTestDatabase('sqlite');
  app = buildApp(testConfig({ DATABASE_URL: db.url }));
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: route.url });
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.cleanup();
});

describe('routes outside the public list', () => {
  it('answer 401 without credentials, with a garbage token, and with a signature but no token', async () => {
    const guarded = routes.filter((r) => !PUBLIC.has(`${r.method} ${r.url}`));
    expect(guarded.length).toBeGreaterThan(12);
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-a-token', 'stripe-signature': appSignature('usr_x', 'acct_x') },
      { 'stripe-signature': appSignature('usr_x', 'acct_x') },
    ];
    const open: string[] = [];
    for (const route of guarded) {
      const url = route.url.replace(/:(\w+)/g, 'x');
      for (const headers of attempts) {
        const res = await app.inject({ method: route.method as 'GET', url, headers, payload: route.method === 'GET' ? undefined : {} });
        if (res.statusCode !== 401 || res.json().error !== 'unauthorized') open.push(`${route.method} ${route.url} → ${res.statusCode}`);
      }
    }
    expect(open).toEqual([]);
  });

  it('the HEAD Fastify adds to every guarded GET is guarded too (it answers without a body)', async () => {
    const heads = routes.filter((r) => r.method === 'GET' && !PUBLIC.has(`GET ${r.url}`));
    expect(heads.length).toBeGreaterThan(5);
    const open: string[] = [];
    for (const route of heads) {
      const res = await app.inject({ method: 'HEAD', url: route.url.replace(/:(\w+)/g, 'x') });
      if (res.statusCode !== 401) open.push(`HEAD ${route.url} → ${res.statusCode}`);
    }
    expect(open).toEqual([]);
  });

  it('the public list names only routes that exist, so it stays a true list', () => {
    const registered = new Set(routes.map((r) => `${r.method} ${r.url}`));
    expect([...PUBLIC].filter((key) => !registered.has(key))).toEqual([]);
  });
});
