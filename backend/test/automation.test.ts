// Auto mode under load: 1,000 signed webhook deliveries for 800 payments (duplicates, shuffled, invoice payments'
// payment_intent.succeeded that belong to invoice.paid) over real HTTP while Storno fails for part of the run
// (an outage that opens the circuit breaker, then 5xx, 429 and dropped connections) → exactly one validated
// document per payment, at Storno and in our links, one payment recorded on each, and nothing left pending.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Faults } from '../sandbox/storno/faults.js';
import { circuitBreakerFor, resetCircuitBreakers } from '../src/storno/http.js';
import { audit, deliverAll, makeBurst, waitUntilSettled, webhookUrl } from './support/autoRun.js';
import { testDatabaseKinds } from './support/databases.js';
import { connectDemo, startWorld, type World } from './support/world.js';

const INVOICES = 500;
const PAYMENTS = 300;
const INVOICE_PI_EVENTS = 100;
const DUPLICATES = 100;

describe.each(testDatabaseKinds())('auto mode burst on %s', (kind) => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld({ kind, worker: true, providerDelayMs: 0, env: { WORKER_TICK_MS: '200', STALLED_AFTER_MS: '1000' } });
    // The breaker is shared per Storno URL and its options are fixed by whoever names the URL first: make it
    // reopen quickly so the outage below costs a test second, not 30.
    resetCircuitBreakers();
    circuitBreakerFor(world.storno.url, { consecutiveFailures: 5, halfOpenAfterMs: 300 });
    const s = await connectDemo(world);
    expect((await s.put('/settings', { autoMode: true })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await world?.close();
    resetCircuitBreakers();
  });

  it('1,000 events for 800 payments with Storno failing part of the time → one validated document each, nothing pending', async () => {
    const burst = await makeBurst(world.stripe, { invoices: INVOICES, payments: PAYMENTS, invoicePiEvents: INVOICE_PI_EVENTS, duplicates: DUPLICATES });
    expect(burst.events).toHaveLength(1000);

    // Storno is down for the first 1.5 s (the breaker opens; events wait), then flaky for its next 400 invoice
    // requests (5xx, 429 with Retry-After, connections cut), then healthy again.
    const faults = (async () => {
      world.storno.faults.set([{ path: '/api/v1/invoices', errorRate: 1, errorStatus: 503 }]);
      await new Promise((r) => setTimeout(r, 1500));
      world.storno.faults.set([{ path: '/api/v1/invoices', errorRate: 0.15, rateLimitRate: 0.05, dropRate: 0.05, count: 400 }]);
    })();
    await deliverAll([webhookUrl(world.baseUrl)], burst.events, { concurrency: 8 });
    await faults;

    const { prisma } = world.app.db;
    // One row per distinct event, stored before the 2xx.
    expect(await prisma.inboxEvent.count({ where: { source: 'stripe' } })).toBe(INVOICES + PAYMENTS + INVOICE_PI_EVENTS);

    const final = await waitUntilSettled(world.app.db, world.storno);
    // The faults were really served (each rule disappears once its count is used up).
    expect((world.storno.faults as Faults).list()).toEqual([]);

    const result = await audit(world.app.db, world.storno, burst.expected);
    expect(result.problems).toEqual([]);
    expect(result.stornoInvoices).toBe(INVOICES + PAYMENTS);
    expect(result.stornoPayments).toBe(INVOICES + PAYMENTS);
    expect(final.links).toEqual({ validated: INVOICES + PAYMENTS });
    const stripeInbox = await prisma.inboxEvent.groupBy({ by: ['status'], where: { source: 'stripe' }, _count: { _all: true } });
    expect(Object.fromEntries(stripeInbox.map((r) => [r.status, r._count._all]))).toEqual({ done: INVOICES + PAYMENTS, skipped: INVOICE_PI_EVENTS });
    expect(Object.keys(final.inbox).sort()).toEqual(['done', 'skipped']);
    const skipped = await prisma.inboxEvent.findMany({ where: { status: 'skipped', source: 'stripe' } });
    expect(skipped.every((e) => e.type === 'payment_intent.succeeded' && /handled by invoice\.paid/.test(e.lastError ?? ''))).toBe(true);
    // No wall-clock limit: the waits above fail when progress stops, however slow the machine.
  }, 0);
});
