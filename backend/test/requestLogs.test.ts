// Development logs a person can read: one line per request (method, path, status, time), pretty in `npm start`,
// JSON lines (one per request) everywhere else; a signed file link's signature never reaches the log.
import { Writable } from 'node:stream';
import { prettyFactory } from 'pino-pretty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loggerOptions } from '../src/http/logging.js';
import { testConfig } from './support/config.js';
import { makeTestDatabase, type TestDatabase } from './support/databases.js';

describe('request logs', () => {
  let db: TestDatabase;
  let app: ReturnType<typeof buildApp>;
  const lines: string[] = [];

  beforeAll(async () => {
    db = makeTestDatabase('sqlite');
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    app = buildApp(testConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'info' }), { logStream: stream });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.cleanup();
  });

  it('writes one JSON line per request, with what a person needs and nothing secret', async () => {
    lines.length = 0;
    await app.inject({ url: '/healthz', headers: { authorization: 'Bearer secret-token-value-123' } });
    await app.inject({ url: '/api/v1/stripe-app/files/documents/d1/pdf?connection=c1&expires=1&signature=abcdef0123456789' });
    const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.req);
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ msg: expect.stringMatching(/^GET \/healthz → 200 \(\d+ ms\)$/), res: { statusCode: 200 } });
    expect(requests[1].msg).toMatch(/^GET \/api\/v1\/stripe-app\/files\/documents\/d1\/pdf\?connection=c1&expires=1&signature=%5Bredacted%5D → 403/);
    const text = lines.join('\n');
    expect(text).not.toContain('secret-token-value-123');
    expect(text).not.toContain('abcdef0123456789');
    expect(text).not.toContain('incoming request');
  });

  it('in development the lines go through pino-pretty as one short line each', () => {
    const options = loggerOptions('info', { pretty: true }) as { transport: { target: string; options: Record<string, unknown> } };
    expect(options.transport.target).toBe('pino-pretty');
    const pretty = prettyFactory({ ...options.transport.options, colorize: false });
    const line = pretty({ level: 30, time: Date.UTC(2026, 10, 30, 10, 0, 0), pid: 1, hostname: 'h', reqId: 'req-1', req: { method: 'GET', url: '/x', headers: {} }, res: { statusCode: 200 }, responseTime: 3, msg: 'GET /x → 200 (3 ms)' });
    expect(line.trim().split('\n')).toHaveLength(1);
    expect(line).toMatch(/INFO.*GET \/x → 200 \(3 ms\)/);
    expect(line).not.toContain('headers');
    expect(loggerOptions('info')).not.toHaveProperty('transport');
  });
});
