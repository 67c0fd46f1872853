import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { applyMigrations, pendingMigrations } from '../src/db/migrations.js';
import { TEST_SECRETS, testConfig } from './support/config.js';
import { makeTestDatabase, testDatabaseKinds, type TestDatabase } from './support/databases.js';

describe('configuration', () => {
  it('names every missing production setting in one message', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of [
      'PUBLIC_URL',
      'DATABASE_URL',
      'STORNO_API_URL',
      'STORNO_OAUTH_CLIENT_ID',
      'STORNO_OAUTH_CLIENT_SECRET',
      'STRIPE_SECRET_KEY',
      'STRIPE_APP_SECRET',
      'STRIPE_WEBHOOK_SECRET',
      'ENCRYPTION_KEY',
      'JWT_SECRET',
    ]) {
      expect(message).toContain(`${name} is required in production`);
    }
  });

  it('refuses development secrets in production, including ones only known from the dev-secrets file', () => {
    const env = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://einvoice.example.com',
      DATABASE_URL: 'postgresql://db.example.com/app',
      STORNO_API_URL: 'https://api.storno.ro',
      ...TEST_SECRETS,
      JWT_SECRET: 'devonly_0123456789abcdef0123456789abcdef',
    };
    expect(() => loadConfig(env, { devSecretValues: [TEST_SECRETS.ENCRYPTION_KEY] })).toThrow(
      /ENCRYPTION_KEY is a development secret[\s\S]*JWT_SECRET is a development secret/,
    );
    expect(() => loadConfig({ ...env, JWT_SECRET: 'x'.repeat(40) })).not.toThrow();
  });

  it('never listens on 4242, the port of `stripe apps start`', () => {
    expect(() => testConfig({ PORT: '4242' })).toThrow(/4242/);
    expect(testConfig().port).toBe(8787);
  });

  it('rejects an encryption key that is not 32 bytes', () => {
    expect(() => testConfig({ ENCRYPTION_KEY: 'abcd' })).toThrow(/ENCRYPTION_KEY must be 32 bytes/);
  });
});

describe.each(testDatabaseKinds())('HTTP basics on %s', (kind) => {
  let db: TestDatabase;
  const logLines: string[] = [];
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    db = makeTestDatabase(kind);
    const stream = new Writable({
      write(chunk, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    app = buildApp(testConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'info' }), { logStream: stream });
    app.post('/__echo', async (req) => req.body);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.cleanup();
  });

  it('answers liveness and readiness once migrations are applied', async () => {
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: kind });
  });

  it('answers an unknown route with a 404 in the error envelope', async () => {
    const res = await app.inject('/api/v1/stripe-app/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'No route for GET /api/v1/stripe-app/nope.' });
  });

  it('answers a malformed JSON body with a 400, never a 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/__echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"broken": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_json', message: 'The request body is not valid JSON.' });
  });

  it('logs requests without the bearer token, cookies or signatures', async () => {
    await app.inject({
      url: '/healthz',
      headers: {
        authorization: 'Bearer secret-token-value-123',
        cookie: 'sid=session-cookie-value',
        'stripe-signature': 't=1,v1=signature-value',
      },
    });
    const text = logLines.join('');
    expect(text).toContain('/healthz');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('secret-token-value-123');
    expect(text).not.toContain('session-cookie-value');
    expect(text).not.toContain('signature-value');
  });
});

describe('readiness', () => {
  it('fails with 503 when the database is unreachable', async () => {
    const app = buildApp(testConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nothing' }), { migrate: false });
    await app.ready();
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'not_ready' });
    await app.close();
  });

  it('fails with 503 while migrations are not applied', async () => {
    const db = makeTestDatabase('sqlite');
    const app = buildApp(testConfig({ DATABASE_URL: db.url }), { migrate: false });
    await app.ready();
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    await app.close();
    await db.cleanup();
  });
});

describe.each(testDatabaseKinds())('migrations on %s', (kind) => {
  it('apply once, and a second start (or several at once) finds nothing to do', async () => {
    const db = makeTestDatabase(kind);
    try {
      const results = await Promise.all([applyMigrations(db.url), applyMigrations(db.url)]);
      // Every step of the history ran exactly once, in order, across the two concurrent starts.
      const steps = readdirSync(new URL('../../prisma/migrations/', import.meta.url)).filter((d) => /^\d{4}_/.test(d)).sort();
      expect(steps.length).toBeGreaterThan(1);
      expect(results.flat().sort()).toEqual(steps);
      expect(await applyMigrations(db.url)).toEqual([]);
      expect(await pendingMigrations(db.url)).toEqual([]);
    } finally {
      await db.cleanup();
    }
  });
});
