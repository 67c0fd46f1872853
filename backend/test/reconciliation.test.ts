// Period reconciliation, backfill and export (issue 16) through the whole backend: the Stripe fake's demo month
// (October 2026) and generated accounts → backend → Storno sandbox.
import Big from 'big.js';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackfillResponse, PeriodSaleView, ReconciliationResponse } from '../../src/api/contract.js';
import { DEMO } from '../sandbox/stripe/index.js';
import * as b from '../sandbox/stripe/builders.js';
import { generateAccount } from '../sandbox/stripe/generate.js';
import { SANDBOX_SEED } from '../sandbox/storno/index.js';
import { buildApp } from '../src/app.js';
import { lastUploadDay } from '../src/deadlines/index.js';
import { bucharestDate } from '../src/invoicing/dates.js';
import type { Connection } from '../src/oauth/connections.js';
import { todayInBucharest } from '../src/invoicing/dates.js';
import { Reconciler } from '../src/reconciliation/reconciler.js';
import { StripeReader } from '../src/stripe/reader.js';
import { createStripeClient } from '../src/stripe/client.js';
import { testConfig, TEST_SECRETS } from './support/config.js';
import { testDatabaseKinds } from './support/databases.js';
import { connectDemo, startWorld, type Session, type World } from './support/world.js';

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };

async function allSales(s: Session, id: string): Promise<PeriodSaleView[]> {
  const out: PeriodSaleView[] = [];
  let cursor: string | null = null;
  do {
    const res = await s.get(`/reconciliations/${id}/sales?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const page = res.json() as { sales: PeriodSaleView[]; nextCursor: string | null };
    out.push(...page.sales);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

describe.each(testDatabaseKinds())('period reconciliation on %s', (kind) => {
  let world: World;
  let s: Session;

  beforeAll(async () => {
    world = await startWorld({ kind });
    s = await connectDemo(world);
    // Two more October sales the demo lacks: a free invoice and one sent to be paid later.
    const cluj = world.stripe.get(DEMO.account, DEMO.customers.b2bCluj)!;
    const rate = world.stripe.get(DEMO.account, DEMO.taxRates.vat21)!;
    world.stripe.put(DEMO.account, b.invoice({ id: 'in_t_zero', number: 'FCT-0090', customer: cluj, currency: 'ron', created: b.unix('2026-10-05T09:00:00Z'), lines: [{ id: 'il_t_zero', description: 'Gratuit', unitAmount: 0, rate }] }));
    const later = b.invoice({ id: 'in_t_send', number: 'FCT-0091', customer: cluj, currency: 'ron', created: b.unix('2026-10-06T09:00:00Z'), status: 'open', lines: [{ id: 'il_t_send', description: 'Plată la termen', unitAmount: 5000, rate }] });
    world.stripe.put(DEMO.account, { ...later, collection_method: 'send_invoice', due_date: b.unix('2026-11-05T09:00:00Z') });
  });
  afterAll(async () => world?.close());

  async function check(period = OCTOBER): Promise<ReconciliationResponse> {
    const started = await s.post('/reconciliations', period);
    expect([200, 202]).toContain(started.statusCode);
    await world.app.services.periods.jobs.drain();
    const res = await s.get(`/reconciliations/${(started.json() as ReconciliationResponse).id}`);
    expect(res.statusCode).toBe(200);
    return res.json() as ReconciliationResponse;
  }

  it('refuses a period that is not one, with a clear message, and stores nothing', async () => {
    for (const [body, words] of [
      [{ from: '2026-10-31', to: '2026-10-01' }, 'is after'],
      [{ from: '2026-02-30', to: '2026-03-01' }, 'calendar day'],
      [{ from: '1.10.2026', to: '2026-10-31' }, 'YYYY-MM-DD'],
      [{ to: '2026-10-31' }, 'from must be'],
    ] as const) {
      const res = await s.post('/reconciliations', body);
      expect(res.statusCode).toBe(400);
      expect(res.json(), JSON.stringify(body)).toMatchObject({ error: 'invalid_period' });
      expect(res.json().message).toContain(words);
    }
    expect(await world.app.db.prisma.periodReconciliation.count()).toBe(0);
    const anonymous = await world.app.inject({ method: 'POST', url: '/api/v1/stripe-app/reconciliations', payload: OCTOBER });
    expect(anonymous.statusCode).toBe(401);
  });

  it('classifies every kind of sale of the month: reported, rejected, blocked, not applicable (why) and missing', async () => {
    // Already reported; rejected by the provider; blocked before Storno (bad CIF).
    for (const id of [DEMO.invoices.b2b, DEMO.invoices.badCif]) {
      expect([200, 201]).toContain((await s.post(`/invoices/${id}/einvoice`, { confirmLate: true })).statusCode);
    }
    await world.storno.settle();
    // Pre-flight checks the buyer the document carries, so a provider rejection needs a buyer that changed after it:
    // Storno refuses the upload for a moment (the document waits at Storno, issued, its buyer frozen), the frozen
    // buyer loses its street, then the merchant retries and ANAF judges it.
    world.storno.faults.set([{ path: '^/api/v1/invoices/[^/]+/submit$', errorRate: 1, errorStatus: 503 }]);
    expect([200, 201, 503]).toContain((await s.post(`/invoices/${DEMO.invoices.mixedRates}/einvoice`, { confirmLate: true })).statusCode);
    world.storno.faults.set([]);
    const waiting = world.storno.store.state.invoices.filter((inv) => inv.status === 'issued' && inv.buyerSnapshot);
    expect(waiting).toHaveLength(1);
    waiting[0]!.buyerSnapshot = { ...waiting[0]!.buyerSnapshot, address: '' };
    const held = (await s.get(`/invoices/${DEMO.invoices.mixedRates}`)).json() as { document: { id: string } };
    expect([200, 201]).toContain((await s.post(`/documents/${held.document.id}/retry`, {})).statusCode);
    await world.storno.settle();
    await world.app.services.engine.sweep();

    const rec = await check();
    expect(rec.status).toBe('done');
    const sales = await allSales(s, rec.id);
    const by = new Map(sales.map((x) => [x.stripeId, x]));
    expect(by.size).toBe(sales.length); // nothing twice
    const status = (id: string) => [by.get(id)?.status, by.get(id)?.reason ?? null];

    expect(status(DEMO.invoices.b2b)).toEqual(['reported', null]);
    expect(by.get(DEMO.invoices.b2b)!.einvoiceNumber).toMatch(/\d/);
    expect(status(DEMO.invoices.mixedRates)[0]).toBe('rejected');
    expect(by.get(DEMO.invoices.mixedRates)!.anafMessage).toContain('BR-RO-082');
    expect(by.get(DEMO.invoices.mixedRates)!.reason).toContain('BR-RO-082');
    expect(status(DEMO.invoices.badCif)[0]).toBe('blocked');
    expect(by.get(DEMO.invoices.badCif)!.reason).toBeTruthy();
    expect(status(DEMO.invoices.voided)).toEqual(['not_applicable', 'voided']);
    expect(status('in_t_zero')).toEqual(['not_applicable', 'zero_total']);
    expect(status(DEMO.invoices.reverseCharge)).toEqual(['not_applicable', 'buyer_outside_scope']);
    expect(status(DEMO.payments.jpy.paymentIntent)).toEqual(['not_applicable', 'buyer_outside_scope']);
    // Paid card invoice, send_invoice invoices (finalized, unpaid), Checkout and bare payments, refunds: missing.
    for (const id of [DEMO.invoices.consumer, DEMO.invoices.open, 'in_t_send', DEMO.payments.checkout.paymentIntent, DEMO.payments.bare.paymentIntent, DEMO.refunds.partial, DEMO.refunds.legacyFull]) {
      expect(status(id), id).toEqual(['missing', null]);
    }
    expect(by.get(DEMO.refunds.partial)).toMatchObject({ kind: 'refund', amount: '-30.00', currency: 'RON' });
    expect(by.get(DEMO.payments.checkout.paymentIntent)).toMatchObject({ kind: 'payment', amount: '298.80', customer: 'Elena Dumitrescu' });
    // A payment that paid an invoice is the invoice's sale, never a second one; other months stay out.
    expect(by.has(DEMO.invoicePayments.b2b.paymentIntent)).toBe(false);
    expect(by.has(DEMO.invoices.legacy19)).toBe(false);
    expect(by.has(DEMO.invoices.subscriptionCycles[12]!)).toBe(true); // 1 Oct 2026
    expect(by.has(DEMO.invoices.subscriptionCycles[13]!)).toBe(false); // 1 Nov 2026
    expect(by.has(DEMO.invoices.subscriptionCycles[11]!)).toBe(false); // 1 Sep 2026

    // Deadlines: 5 Romanian working days after the sale's day; late once passed while nothing reached ANAF.
    const today = todayInBucharest();
    for (const sale of sales) {
      expect(sale.deadline).toBe(lastUploadDay(sale.date));
      const due = ['missing', 'blocked', 'rejected'].includes(sale.status);
      if (due) expect(sale.late).toBe(sale.deadline < today);
      if (sale.status === 'reported' || sale.status === 'not_applicable') expect(sale.late).toBe(false);
    }

    // The summary agrees with the list: counts, totals per currency, late count.
    const summary = rec.summary!;
    expect(summary.total).toBe(sales.length);
    for (const [st, totals] of Object.entries(summary.byStatus)) {
      expect(totals.count, st).toBe(sales.filter((x) => x.status === st).length);
    }
    expect(summary.byStatus.reported.totals).toEqual({ RON: '121.00' });
    expect(summary.byStatus.reported.ronEquivalent).toBe('121.00');
    for (const [st, totals] of Object.entries(summary.byStatus)) {
      const sums = new Map<string, number>();
      for (const x of sales.filter((y) => y.status === st)) sums.set(x.currency, Math.round(((sums.get(x.currency) ?? 0) + Number(x.amount)) * 100) / 100);
      expect(Object.fromEntries(Object.entries(totals.totals).map(([c, v]) => [c, Number(v)])), st).toEqual(Object.fromEntries(sums));
    }
    // The reverse-charge EUR invoice and its full refund cancel out; the JPY Checkout stays.
    expect(summary.byStatus.not_applicable.totals).toMatchObject({ EUR: '0.00', JPY: '50000' });
    // RON equivalents at the BNR rate a document of each sale's day carries (the last one published before it).
    const bnrRate = (currency: string, date: string) => {
      if (currency === 'RON') return new Big(1);
      let day = date;
      do day = new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      while (!world.bnr.isBankingDay(day));
      return new Big(world.bnr.published(day, currency)).div(['JPY', 'HUF'].includes(currency) ? 100 : 1);
    };
    for (const [st, totals] of Object.entries(summary.byStatus)) {
      const expected = sales.filter((x) => x.status === st).reduce((sum, x) => sum.plus(new Big(x.amount).times(bnrRate(x.currency, x.date))), new Big(0));
      expect(totals.ronEquivalent, st).not.toBeNull();
      expect(new Big(totals.ronEquivalent!).minus(expected).abs().lte('0.01'), `${st}: ${totals.ronEquivalent} vs ${expected.toFixed(4)}`).toBe(true);
    }
    expect(Number(summary.byStatus.not_applicable.ronEquivalent)).toBeGreaterThan(1000); // JPY 50,000 ≈ RON 1,500
    expect(summary.late).toBe(sales.filter((x) => x.late).length);
    // The missing list comes with the period, oldest deadline first.
    expect(rec.missing.map((m) => m.stripeId).sort()).toEqual(sales.filter((x) => x.status === 'missing').map((x) => x.stripeId).sort().slice(0, 50));
  }, 300_000);

  it('reuses a finished check until a Stripe event for the account arrives, then reads the period again', async () => {
    const first = (await s.post('/reconciliations', OCTOBER)).json() as ReconciliationResponse;
    const again = await s.post('/reconciliations', OCTOBER);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.id);

    await world.stripe.emitEvent({ type: 'invoice.paid', objectId: DEMO.invoices.consumer });
    expect(((await s.get(`/reconciliations/${first.id}`)).json() as ReconciliationResponse).stale).toBe(true);
    const fresh = await s.post('/reconciliations', OCTOBER);
    expect(fresh.statusCode).toBe(202);
    expect(fresh.json().id).not.toBe(first.id);
    await world.app.services.periods.jobs.drain();
  });

  it('exports the period as CSV and JSON at a signed, expiring link bound to the period', async () => {
    const rec = await check();
    const sales = await allSales(s, rec.id);
    const link = await s.post(`/reconciliations/${rec.id}/export`);
    expect(link.statusCode).toBe(200);
    const { csvUrl, jsonUrl } = link.json() as { csvUrl: string; jsonUrl: string };

    const csv = await fetch(csvUrl);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parse(await csv.text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['stripe_id', 'stripe_link', 'kind', 'date', 'customer', 'tax_id', 'amount', 'currency', 'vat', 'einvoice_number', 'status', 'issue_date', 'legal_deadline', 'late', 'anaf_message']);
    expect(rows).toHaveLength(sales.length);
    const row = (id: string) => rows.find((r) => r.stripe_id === id)!;
    // Commas, quotes and diacritics survive the round trip.
    expect(row(DEMO.invoices.bucharest).customer).toBe('Sector Trei Software SRL');
    expect(row(DEMO.invoices.consumerCnp).customer).toBe('Maria Ionescu');
    expect(row(DEMO.invoices.mixedRates).anaf_message).toContain('BR-RO-082');
    expect(row(DEMO.invoices.mixedRates).anaf_message).toContain('(cac:PostalAddress');
    expect(row(DEMO.invoices.b2b)).toMatchObject({ status: 'reported', amount: '121.00', currency: 'RON', vat: '21.00', late: 'no', stripe_link: `https://dashboard.stripe.com/invoices/${DEMO.invoices.b2b}` });
    expect(row(DEMO.payments.checkout.paymentIntent).customer).toBe('Elena Dumitrescu');
    const cifra = rows.find((r) => r.stripe_id === DEMO.invoices.badCif)!;
    expect(cifra.customer).toBe('Cifră Greșită SRL');

    const json = (await (await fetch(jsonUrl)).json()) as { from: string; sales: PeriodSaleView[] };
    expect(json.from).toBe(OCTOBER.from);
    expect(json.sales.map((x) => x.stripeId)).toEqual(rows.map((r) => r.stripe_id));

    // A tampered token, one bound to another period or connection, or an expired one opens nothing.
    const token = csvUrl.split('/exports/')[1]!.replace('.csv', '');
    const [recId, exp, mac] = token.split('.');
    const signer = world.app.services.periods.exports;
    const connectionId = (await world.app.services.connections.byAccount(DEMO.account))!.id;
    const bound = { connectionId, reconciliationId: rec.id, from: OCTOBER.from, to: OCTOBER.to };
    const wrong = [
      `${recId}.${Number(exp) + 60}.${mac}`,
      `${recId}.${exp}.${mac!.slice(0, -2)}xx`,
      signer.sign({ ...bound, to: '2026-12-31' }).token,
      signer.sign({ ...bound, connectionId: 'another-connection' }).token,
      signer.sign(bound, Date.now() - 16 * 60_000).token,
      'nonsense',
    ];
    for (const bad of wrong) expect((await fetch(csvUrl.replace(token, bad))).status, bad).toBe(403);
    expect(signer.sign(bound).token.length + 5).toBeLessThan(100); // fits a path parameter
  });

  it('backfill: late sales need confirmation; killed mid-way and restarted, it ends with exactly one document per missing sale', async () => {
    const rec = await check();
    const missing = (await allSales(s, rec.id)).filter((x) => x.status === 'missing');
    expect(missing.length).toBeGreaterThan(5);

    const refused = await s.post('/backfills', { reconciliationId: rec.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'late_confirmation_required' });
    expect(refused.json().lateCount).toBe(missing.filter((m) => m.late).length);
    expect(refused.json().late[0]).toMatchObject({ status: 'missing', late: true });
    expect(await world.app.db.prisma.backfill.count()).toBe(0);

    const stornoAtStart = world.storno.store.state.invoices.length;
    const started = await s.post('/backfills', { reconciliationId: rec.id, confirmLate: true });
    expect(started.statusCode).toBe(202);
    const job = started.json() as BackfillResponse;
    expect(job).toMatchObject({ status: 'running', total: missing.length, done: 0 });
    expect((await s.post('/backfills', { reconciliationId: rec.id, confirmLate: true })).json()).toMatchObject({ error: 'backfill_running' });

    const jobs = world.app.services.periods.jobs;
    for (let i = 0; i < 3; i++) expect(await jobs.backfillOne()).toBe(true);
    // The process dies while making the 4th document: Storno made it, the item was never settled.
    const periods = world.app.services.periods;
    const item = (await periods.backfills.claim('dead-worker'))!;
    const connection = (await world.app.services.connections.byAccount(DEMO.account))!;
    await world.app.services.engine.drive(connection, item.kind as 'invoice', item.stripeObjectId, { confirmLate: true }).catch(() => undefined);
    const progress = (await s.get(`/backfills/${job.id}`)).json() as BackfillResponse;
    expect(progress.done + progress.failed).toBe(3);
    await world.app.close();

    // Restart on the same database: the dead worker's item is taken over, nothing is made twice.
    const config = testConfig({ DATABASE_URL: world.db.url, PUBLIC_URL: world.baseUrl, STORNO_API_URL: world.storno.url, STRIPE_API_URL: world.stripe.url, WORKER_ENABLED: 'false' });
    world.app = buildApp(config);
    await world.app.ready();
    s = { ...s, get: (p) => world.app.inject({ method: 'GET', url: `/api/v1/stripe-app${p}`, headers: s.headers() }), post: (p, body) => world.app.inject({ method: 'POST', url: `/api/v1/stripe-app${p}`, headers: s.headers(), payload: (body ?? {}) as object }) };
    await world.app.db.prisma.backfillItem.updateMany({ where: { lockedBy: 'dead-worker' }, data: { leaseUntil: new Date(Date.now() - 1000) } });
    await world.app.services.periods.jobs.drain();

    const end = (await s.get(`/backfills/${job.id}`)).json() as BackfillResponse;
    expect(end).toMatchObject({ status: 'done', total: missing.length });
    expect(end.done + end.failed).toBe(missing.length);
    const links = await world.app.db.prisma.documentLink.findMany({ where: { stripeObjectId: { in: missing.map((m) => m.stripeId) } } });
    expect(new Set(links.map((l) => l.stripeObjectId)).size).toBe(links.length);
    // The July-2025 invoice was never e-invoiced, so its October refund cannot get a credit note: shown, not made.
    const withoutDocument = end.failures.filter((f) => !links.some((l) => l.stripeObjectId === f.stripeId));
    expect(withoutDocument.map((f) => f.stripeId)).toEqual([DEMO.refunds.legacyFull]);
    expect(withoutDocument[0]!.message).toMatch(/\w{10}/);
    expect(links.map((l) => l.stripeObjectId).sort()).toEqual(missing.map((m) => m.stripeId).filter((id) => id !== DEMO.refunds.legacyFull).sort());
    const stornoIds = links.map((l) => l.stornoDocumentId).filter(Boolean);
    expect(new Set(stornoIds).size).toBe(stornoIds.length);
    // Storno gained exactly the documents the links name (the crashed item's one was reused, not made again).
    expect(world.storno.store.state.invoices.length - stornoAtStart).toBe(stornoIds.length);

    await world.storno.settle();
    await world.app.services.engine.sweep();
    const after = (await s.post('/reconciliations', OCTOBER)).json() as ReconciliationResponse;
    await world.app.services.periods.jobs.drain();
    const final = ((await s.get(`/reconciliations/${after.id}`)).json() as ReconciliationResponse).summary!;
    expect(final.byStatus.missing.count).toBe(1);
    expect(final.byStatus.reported.count).toBeGreaterThan(1);
    // Dozens of documents through the whole pipeline on a shared two-core machine: a safety net, not a speed check.
  }, 600_000);
});

describe('period reading across Stripe pages (property: nothing lost, nothing repeated)', () => {
  let world: World;
  const account = 'acct_gen_pages';
  const generated = generateAccount({ prefix: 'pg', from: '2026-09-25', to: '2026-11-05', invoices: 40, payments: 30, refunds: 12, seed: 3 });

  beforeAll(async () => {
    world = await startWorld();
    world.stripe.createAccount(account, generated.objects);
  });
  afterAll(async () => world?.close());

  it('finds exactly the period sales for every page size', async () => {
    const inPeriod = (ts: number) => bucharestDate(ts) >= OCTOBER.from && bucharestDate(ts) <= OCTOBER.to;
    const invoicePis = new Set(generated.objects.filter((o) => o.object === 'invoice_payment').map((o) => (o.payment as { payment_intent: string }).payment_intent));
    const expected = generated.objects
      .filter(
        (o) =>
          (o.object === 'invoice' && inPeriod((o.status_transitions as { finalized_at: number }).finalized_at)) ||
          (o.object === 'payment_intent' && !invoicePis.has(o.id) && inPeriod(o.created!)) ||
          (o.object === 'refund' && inPeriod(o.created!)),
      )
      .map((o) => o.id)
      .sort();
    expect(expected.length).toBeGreaterThan(40);
    const connection = { id: 'conn-pages', stripeAccountId: account, status: 'active' } as Connection;
    await world.app.db.prisma.connection.create({
      data: { id: connection.id, stripeAccountId: account, stornoCompanyId: 'c', companyName: 'Pages SRL', companyCif: '1', authorizedByEmail: 'a@b.ro', authorizedByName: 'A', authorizedAt: new Date(), status: 'active' },
    });
    const stripe = createStripeClient({ secretKey: TEST_SECRETS.STRIPE_SECRET_KEY, apiUrl: world.stripe.url });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100 }), async (pageSize) => {
        const reconciler = new Reconciler(world.app.db, new StripeReader(stripe), world.app.log, pageSize);
        const rec = await world.app.db.prisma.periodReconciliation.create({ data: { id: `pages-${run++}`, connectionId: connection.id, fromDay: OCTOBER.from, toDay: OCTOBER.to, status: 'queued' } });
        const claimed = (await reconciler.claim('w'))!;
        expect(claimed.id).toBe(rec.id);
        await reconciler.run(claimed, 'w', connection);
        const rows = await world.app.db.prisma.periodSale.findMany({ where: { reconciliationId: rec.id }, select: { stripeObjectId: true } });
        expect(rows.map((r) => r.stripeObjectId).sort()).toEqual(expected);
        const done = await world.app.db.prisma.periodReconciliation.findUnique({ where: { id: rec.id } });
        expect(done).toMatchObject({ status: 'done', salesFound: expected.length });
      }),
      { numRuns: 5, examples: [[1], [100], [7]] },
    );
    // Page size 1 on a loaded two-core machine reads a few hundred pages: a safety net, not a speed check.
  }, 600_000);
});

describe('backfill cancel', () => {
  let world: World;
  let s: Session;
  const account = 'acct_gen_cancel';

  beforeAll(async () => {
    world = await startWorld();
    world.stripe.createAccount(account, generateAccount({ prefix: 'cx', from: '2026-10-01', to: '2026-10-31', invoices: 8, payments: 6, refunds: 0, seed: 5 }).objects);
    s = await connectDemo(world, { accountId: account, companyId: SANDBOX_SEED.companies.b.id });
  });
  afterAll(async () => world?.close());

  it('stops taking sales once cancelled; what is done stays done', async () => {
    const started = (await s.post('/reconciliations', OCTOBER)).json() as ReconciliationResponse;
    await world.app.services.periods.jobs.drain();
    const job = (await s.post('/backfills', { reconciliationId: started.id, confirmLate: true })).json() as BackfillResponse;
    expect(job.total).toBeGreaterThan(4);
    const jobs = world.app.services.periods.jobs;
    await jobs.backfillOne();
    await jobs.backfillOne();
    const cancelled = await s.post(`/backfills/${job.id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelled: job.total - 2 });
    const links = await world.app.db.prisma.documentLink.count();
    await jobs.drain();
    expect(await world.app.db.prisma.documentLink.count()).toBe(links);
    const end = (await s.get(`/backfills/${job.id}`)).json() as BackfillResponse;
    expect(end.done + end.failed).toBe(2);
    expect((await s.post(`/backfills/${job.id}/cancel`)).statusCode).toBe(409);
    // A new check shows the rest still missing.
    const view = (await s.get(`/reconciliations/${started.id}`)).json() as ReconciliationResponse;
    expect(view.summary!.byStatus.missing.count).toBe(job.total - 2);
  });
});
