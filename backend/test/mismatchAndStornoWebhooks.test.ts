// Two promises at the edges of the pipeline: a total Storno's rounding can't reproduce is never issued
// silently, and Storno's signed webhooks move a document's status without waiting for the poll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../sandbox/stripe/index.js';
import { stornoSignature } from '../src/routes/stornoWebhooks.js';
import { API } from './support/connect.js';
import { connectDemo, startWorld, type Session, type World } from './support/world.js';

describe('total mismatch and Storno webhooks', () => {
  let world: World;
  let s: Session;
  beforeAll(async () => {
    // Verdicts are polled at most once a minute, as in production: the webhooks must carry them.
    world = await startWorld({ worker: true, providerDelayMs: 500, env: { WORKER_TICK_MS: '100', VERDICT_POLL_MS: '60000' } });
    s = await connectDemo(world);
  });
  afterAll(async () => world?.close());

  it('blocks a JPY tax-exclusive invoice whose total Storno would round differently, until the merchant issues anyway', async () => {
    const { invoice } = await world.stripe.createPaidInvoice({
      account: DEMO.account,
      customer: DEMO.customers.b2bCluj,
      currency: 'jpy',
      lines: [{ description: 'Consultanță (JPY)', unitAmount: 999, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
    });
    const first = (await s.post(`/invoices/${invoice.id}/einvoice`, { confirmLate: true })).json();
    expect(first.status).toBe('blocked');
    expect(first.stornoDocumentId).toBeNull();
    expect(first.problem).toMatchObject({ kind: 'total_mismatch', currency: 'JPY' });
    expect(first.problem.expected).not.toBe(first.problem.actual);

    const anyway = await s.post(`/invoices/${invoice.id}/einvoice`, { issueAnyway: true, confirmLate: true });
    expect(anyway.statusCode).toBe(200);
    expect(anyway.json().id).toBe(first.id);
    // The worker may already have read the provider's verdict (500 ms) by the time this answer is shaped.
    expect(['sent_to_provider', 'validated']).toContain(anyway.json().status);
    expect(anyway.json().problem.kind).toBe('total_mismatch'); // still shown, now accepted
  });

  it('registers a webhook at Storno on connect and follows its signed deliveries to validated', async () => {
    const connection = (await world.app.services.connections.byAccount(s.accountId))!;
    expect(connection.stornoWebhookId).toBeTruthy();
    const created = (await s.post(`/invoices/${DEMO.invoices.bucharest}/einvoice`, { confirmLate: true })).json();
    expect(['sent_to_provider', 'validated']).toContain(created.status);
    // The provider decides after 500 ms; Storno's webhook lands in the inbox and the worker refreshes the link.
    await expect
      .poll(async () => (await s.get(`/invoices/${DEMO.invoices.bucharest}`)).json().document.status, { timeout: 10_000, interval: 100 })
      .toBe('validated');
    const stornoEvents = await world.app.db.prisma.inboxEvent.findMany({ where: { source: 'storno' } });
    expect(stornoEvents.some((e) => e.type === 'invoice.validated' && e.status === 'done')).toBe(true);
    // Ticks every 100 ms for the 500 ms at the provider, yet the invoice was read only for the deliveries and one poll.
    const reads = world.storno.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/invoices/${created.stornoDocumentId}`);
    const deliveries = stornoEvents.filter((e) => e.payload.includes(created.stornoDocumentId)).length;
    expect(reads.length).toBeLessThanOrEqual(deliveries + 1);
  });

  it('refuses a Storno delivery with a bad signature and stores nothing', async () => {
    const connection = (await world.app.services.connections.byAccount(s.accountId))!;
    const before = await world.app.db.prisma.inboxEvent.count();
    const body = JSON.stringify({ id: 'forged', event: 'invoice.validated', created_at: new Date().toISOString(), data: { id: 'x' } });
    const res = await world.app.inject({
      method: 'POST',
      url: `${API}/webhooks/storno/${connection.id}`,
      headers: { 'content-type': 'application/json', 'x-webhook-signature': stornoSignature('0'.repeat(64), body), 'x-webhook-id': 'forged' },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(await world.app.db.prisma.inboxEvent.count()).toBe(before);
  });
});
