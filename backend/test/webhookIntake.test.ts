// Stripe webhook intake and the durable inbox: verify, store before 2xx, dedupe, skip, claim with leases.
import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { Inbox } from '../src/automation/inbox.js';
import { TEST_SECRETS, testConfig } from './support/config.js';
import { API, connectAccount } from './support/connect.js';
import { makeTestDatabase, testDatabaseKinds, type TestDatabase } from './support/databases.js';
import { COMPANY_A, demoUsers, FakeStornoAccount } from './support/fakeStornoAccount.js';
import { authHeaders } from './support/http.js';

function signedEvent(event: Record<string, unknown>, options: { secret?: string; timestamp?: number } = {}) {
  const payload = JSON.stringify({ object: 'event', api_version: '2026-10-28.endive', created: 1, livemode: false, data: { object: {} }, ...event });
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? TEST_SECRETS.STRIPE_WEBHOOK_SECRET, timestamp: options.timestamp });
  return { payload, header };
}

describe.each(testDatabaseKinds())('webhook intake on %s', (kind) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let tokens: { access_token: string };
  const account = `acct_hooks_${kind}`;

  beforeAll(async () => {
    db = makeTestDatabase(kind);
    const storno = new FakeStornoAccount(demoUsers());
    app = buildApp(testConfig({ DATABASE_URL: db.url }), { outside: { stornoAccount: storno } });
    await app.ready();
    tokens = await connectAccount(app, storno, { accountId: account, userId: 'usr_hooks', companyId: COMPANY_A.id });
  });
  afterAll(async () => {
    await app.close();
    await db.cleanup();
  });

  const post = (payload: string, header: string) =>
    app.inject({ method: 'POST', url: `${API}/webhooks/stripe`, headers: { 'content-type': 'application/json', 'stripe-signature': header }, payload });
  const stored = () => app.db.prisma.inboxEvent.findMany({ orderBy: { createdAt: 'asc' } });

  it('refuses a bad or stale signature with 400 and stores nothing', async () => {
    const { payload } = signedEvent({ id: 'evt_bad', type: 'invoice.paid', account });
    const bad = await post(payload, signedEvent({ id: 'evt_bad' }, { secret: 'whsec_other' }).header);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_signature');
    const stale = signedEvent({ id: 'evt_stale', type: 'invoice.paid', account }, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect((await post(stale.payload, stale.header)).statusCode).toBe(400);
    const tampered = signedEvent({ id: 'evt_t', type: 'invoice.paid', account });
    expect((await post(tampered.payload.replace('evt_t', 'evt_u'), tampered.header)).statusCode).toBe(400);
    expect(await stored()).toHaveLength(0);
  });

  it('records events of accounts with auto mode off as skipped, and of unknown accounts and unused types too', async () => {
    const off = signedEvent({ id: 'evt_off', type: 'invoice.paid', account });
    expect((await post(off.payload, off.header)).statusCode).toBe(200);
    const stranger = signedEvent({ id: 'evt_stranger', type: 'invoice.paid', account: 'acct_nobody' });
    expect((await post(stranger.payload, stranger.header)).statusCode).toBe(200);
    const unused = signedEvent({ id: 'evt_unused', type: 'product.created', account });
    expect((await post(unused.payload, unused.header)).statusCode).toBe(200);
    // Stored at once; the worker decides (the intake stays fast and the decision uses the current settings).
    expect((await stored()).map((r) => r.eventId)).toEqual(['evt_off', 'evt_stranger', 'evt_unused']);
    await app.services.worker.drainOnce();
    const rows = await stored();
    expect(rows.map((r) => [r.eventId, r.status, r.lastError])).toEqual([
      ['evt_off', 'skipped', 'auto mode is off'],
      ['evt_stranger', 'skipped', 'account not connected'],
      ['evt_unused', 'skipped', 'event type not used by this app'],
    ]);
  });

  it('stores a valid event before answering, once, however often Stripe delivers it', async () => {
    const on = await app.inject({ method: 'PUT', url: `${API}/settings`, headers: authHeaders(tokens.access_token, 'usr_hooks', account), payload: { autoMode: true } });
    expect(on.json().autoMode).toBe(true);
    const event = signedEvent({ id: 'evt_paid_1', type: 'invoice.paid', account });
    const first = await post(event.payload, event.header);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: true, duplicate: false });
    const again = await post(event.payload, event.header);
    expect(again.json()).toEqual({ received: true, duplicate: true });
    // The same event delivered several times at once (one group commit): written once, the rest duplicates.
    const burst = signedEvent({ id: 'evt_paid_2', type: 'invoice.paid', account });
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(burst.payload, burst.header)));
    expect(answers.map((a) => a.json().duplicate).filter((d) => !d)).toHaveLength(1);
    expect((await stored()).filter((r) => r.eventId === 'evt_paid_2')).toHaveLength(1);
    const rows = (await stored()).filter((r) => r.eventId === 'evt_paid_1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', type: 'invoice.paid', stripeAccountId: account });
    // The event's envelope and the object it names are kept; the worker reads the object itself from Stripe.
    expect(JSON.parse(rows[0].payload)).toMatchObject({ id: 'evt_paid_1', type: 'invoice.paid', account, data: { object: {} } });
  });

  it('lets each due event be claimed by one worker only, and hands it over when a lease expires', async () => {
    const inbox = new Inbox(app.db);
    for (let i = 0; i < 10; i++) {
      await inbox.record({ source: 'stripe', eventId: `evt_claim_${i}`, type: 'invoice.paid', stripeAccountId: account, payload: '{}', status: 'pending' });
    }
    const [a, b] = await Promise.all([inbox.claim('worker-a', 50), inbox.claim('worker-b', 50)]);
    const ids = [...a, ...b].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(12); // the 10 above plus evt_paid_1 and evt_paid_2
    expect(await inbox.claim('worker-c', 50)).toHaveLength(0);

    // worker-a dies: its leases expire and worker-c takes its events over; worker-a can no longer settle them.
    await app.db.prisma.inboxEvent.updateMany({ where: { lockedBy: 'worker-a' }, data: { leaseUntil: new Date(Date.now() - 1) } });
    const takenOver = await inbox.claim('worker-c', 50);
    expect(takenOver.map((e) => e.id).sort()).toEqual(a.map((e) => e.id).sort());
    if (a.length > 0) expect(await inbox.complete(a[0], 'worker-a')).toBe(false);
    for (const e of takenOver) expect(await inbox.complete(e, 'worker-c')).toBe(true);
  });
});
