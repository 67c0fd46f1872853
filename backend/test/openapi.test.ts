// The OpenAPI document lists every route the backend serves under /api/v1/stripe-app.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { testConfig } from './support/config.js';
import { makeTestDatabase } from './support/databases.js';

describe('OpenAPI document', () => {
  it('is served and covers every registered API route', async () => {
    const db = makeTestDatabase('sqlite');
    const app = buildApp(testConfig({ DATABASE_URL: db.url }));
    const routes: string[] = [];
    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/api/v1/stripe-app/') && route.method !== 'HEAD' && route.method !== 'OPTIONS') routes.push(route.url);
    });
    await app.ready();
    const res = await app.inject('/api/v1/stripe-app/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(Object.keys(doc.paths));
    const served = new Set(
      routes
        .map((u) => u.replace('/api/v1/stripe-app', '').replace(/:(\w+)/g, '{$1}'))
        .filter((u) => u !== '/openapi.json'),
    );
    expect(served.size).toBeGreaterThan(15);
    expect(served).toContain('/invoices/{id}/einvoice');
    expect([...served].filter((u) => !documented.has(u))).toEqual([]);
    await app.close();
    await db.cleanup();
  });
});
