// Issue 12, end to end: signed Stripe webhooks → backend (worker on) → Storno sandbox. Every reportable sale reaches
// ANAF exactly once and on time — or the merchant sees why: the law's trigger (finalization), one document per sale
// whatever order Stripe's events come in, credit notes that wait for their parent, voided invoices, Storno refusals
// classified (403 blocks one document, 402 is not re-driven every minute), the re-authorization window, and events of
// accounts that are not (or no longer) connected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardResponse, DocumentSummary } from '../../src/api/contract.js';
import { SANDBOX_SEED } from '../sandbox/storno/index.js';
import { DEMO, type StripeObject } from '../sandbox/stripe/index.js';
import { bucharestDate } from '../src/invoicing/dates.js';
import { outcome, waitForProgress } from './support/autoRun.js';
import { testDatabaseKinds } from './support/databases.js';
import { connectDemo, startWorld, type Session, type World } from './support/world.js';

const ACCOUNT = DEMO.account;
const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);

describe.each(testDatabaseKinds())('every sale reaches ANAF once, or the merchant sees why (%s)', (kind) => {
  let world: World;
  let s: Session;

  beforeAll(async () => {
    world = await startWorld({ kind, worker: true, providerDelayMs: 0, env: { WORKER_TICK_MS: '100', STALLED_AFTER_MS: '1000' } });
    s = await connectDemo(world);
    expect((await s.put('/settings', { autoMode: true })).statusCode).toBe(200);
  });
  afterAll(async () => world?.close());

  /** Waits until `probe` holds, failing only when nothing in the inbox or the documents moved for a while. */
  async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
    let seen = '';
    let moves = 0;
    return waitForProgress(what, async () => {
      await world.storno.settle();
      const value = await probe();
      const snapshot = JSON.stringify(await outcome(world.app.db));
      if (snapshot !== seen) {
        seen = snapshot;
        moves++;
      }
      return { done: Boolean(value), progress: moves, value: value as T };
    });
  }

  const linkOf = (kind: string, stripeObjectId: string) => world.app.db.prisma.documentLink.findFirst({ where: { kind, stripeObjectId } });
  const linksOf = (stripeObjectId: string) => world.app.db.prisma.documentLink.findMany({ where: { stripeObjectId } });
  const stornoInvoice = (id: string | null | undefined) => world.storno.store.state.invoices.find((i) => i.id === id);
  const stornoPayments = (invoiceId: string | null | undefined) => world.storno.store.state.payments.filter((p) => p.invoiceId === invoiceId);
  const validated = (kind: string, id: string) => until(`${kind} ${id} validated`, async () => {
    const link = await linkOf(kind, id);
    return link?.status === 'validated' ? link : null;
  });
  const emit = (type: string, object: StripeObject) => world.stripe.emitEvent({ type, object });
  const dashboard = async (tab = 'all') => (await s.get(`/dashboard?tab=${tab}`)).json() as DashboardResponse;
  const inboxOf = (type: string, objectId: string) =>
    world.app.db.prisma.inboxEvent.findMany({ where: { type, payload: { contains: objectId } } });

  /**
   * A `send_invoice` invoice finalized `daysAgo` and not paid yet, plus what it looks like once paid today (Stripe's
   * objects as the fake builds them, reshaped the way Stripe changes them).
   */
  async function sendInvoice(daysAgo: number, customer: string = DEMO.customers.b2bCluj, unitAmount = 10_000) {
    const created = now() - daysAgo * DAY;
    const made = await world.stripe.createPaidInvoice({
      customer,
      created,
      lines: [{ description: 'Consultanță', unitAmount, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
      eventTypes: [],
    });
    const paid = world.stripe.get(ACCOUNT, made.invoice.id)!;
    const total = paid.total as number;
    const transitions = paid.status_transitions as Record<string, number | null>;
    const open: StripeObject = {
      ...paid,
      status: 'open',
      collection_method: 'send_invoice',
      due_date: created + 30 * DAY,
      amount_paid: 0,
      amount_remaining: total,
      status_transitions: { ...transitions, paid_at: null },
    };
    const openPayment: StripeObject = { ...made.invoicePayment, status: 'open', status_transitions: { canceled_at: null, paid_at: null } };
    world.stripe.put(ACCOUNT, open);
    world.stripe.put(ACCOUNT, openPayment);
    const paidAt = now();
    return {
      open,
      charge: made.charge,
      finalizedAt: transitions.finalized_at as number,
      pay() {
        const nowPaid = { ...paid, status_transitions: { ...transitions, paid_at: paidAt } };
        world.stripe.put(ACCOUNT, nowPaid);
        world.stripe.put(ACCOUNT, { ...made.invoicePayment, status_transitions: { canceled_at: null, paid_at: paidAt } });
        return nowPaid;
      },
    };
  }

  it('send_invoice: the e-invoice is made at finalization, dated that day; invoice.paid records the payment on it', async () => {
    const inv = await sendInvoice(3);
    await emit('invoice.finalized', inv.open);
    const link = await validated('invoice', inv.open.id);
    const atStorno = stornoInvoice(link.stornoDocumentId)!;
    expect(atStorno.issueDate.slice(0, 10)).toBe(bucharestDate(inv.finalizedAt));
    expect(link.issueDate).toBe(bucharestDate(inv.finalizedAt));
    expect(stornoPayments(link.stornoDocumentId)).toHaveLength(0);
    const summary = (await s.get(`/invoices/${inv.open.id}`)).json().document as DocumentSummary;
    expect(summary.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(summary.deadline! > summary.issueDate!).toBe(true);

    await emit('invoice.paid', inv.pay());
    await until('the payment recorded on the e-invoice', async () => stornoPayments(link.stornoDocumentId).length === 1);
    expect(await linksOf(inv.open.id)).toHaveLength(1);
    expect(stornoInvoice(link.stornoDocumentId)!.issueDate.slice(0, 10)).toBe(bucharestDate(inv.finalizedAt));
  });

  it('setting "when paid": finalization makes nothing; the e-invoice is dated the payment day', async () => {
    expect((await s.put('/settings', { invoiceTrigger: 'paid' })).json().invoiceTrigger).toBe('paid');
    try {
      const inv = await sendInvoice(4);
      await emit('invoice.finalized', inv.open);
      await until('invoice.finalized skipped', async () => (await inboxOf('invoice.finalized', inv.open.id)).some((e) => e.status === 'skipped'));
      expect(await linksOf(inv.open.id)).toHaveLength(0);
      const paid = inv.pay();
      await emit('invoice.paid', paid);
      const link = await validated('invoice', inv.open.id);
      const paidOn = bucharestDate((paid.status_transitions as { paid_at: number }).paid_at);
      expect(stornoInvoice(link.stornoDocumentId)!.issueDate.slice(0, 10)).toBe(paidOn);
      expect(stornoPayments(link.stornoDocumentId)).toHaveLength(1);
    } finally {
      await s.put('/settings', { invoiceTrigger: 'finalized' });
    }
  });

  it('Checkout with invoice creation: payment first, invoice later → one sale, one document', async () => {
    const payment = await world.stripe.createPayment({
      customer: DEMO.customers.b2bCluj,
      lineItems: [{ description: 'Curs online', unitAmount: 25_000, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
    });
    const session = payment.session!;
    world.stripe.put(ACCOUNT, { ...session, invoice_creation: { ...(session.invoice_creation as object), enabled: true } });
    // Stripe's order: payment_intent.succeeded while the invoice does not exist yet.
    await emit('payment_intent.succeeded', payment.paymentIntent);
    await until('the payment event skipped', async () => (await inboxOf('payment_intent.succeeded', payment.paymentIntent.id)).some((e) => e.status === 'skipped'));
    expect(await linksOf(payment.paymentIntent.id)).toHaveLength(0);
    // Meanwhile the payment page offers no e-invoice of its own (Checkout's invoice will carry it).
    expect((await s.get(`/payments/${payment.paymentIntent.id}`)).json()).toMatchObject({ document: null, canCreate: false });

    // Then Stripe creates and pays the invoice with that same PaymentIntent.
    const inv = await world.stripe.createPaidInvoice({
      customer: DEMO.customers.b2bCluj,
      lines: [{ description: 'Curs online', unitAmount: 25_000, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
      eventTypes: [],
    });
    world.stripe.remove(inv.paymentIntent.id, ACCOUNT);
    world.stripe.remove(inv.charge.id, ACCOUNT);
    world.stripe.put(ACCOUNT, { ...inv.invoicePayment, payment: { type: 'payment_intent', payment_intent: payment.paymentIntent.id } });
    world.stripe.put(ACCOUNT, { ...world.stripe.get(ACCOUNT, session.id)!, invoice: inv.invoice.id });
    await emit('invoice.paid', world.stripe.get(ACCOUNT, inv.invoice.id)!);
    const link = await validated('invoice', inv.invoice.id);
    // A late redelivery of the payment's event changes nothing.
    await emit('payment_intent.succeeded', payment.paymentIntent);
    await until('both payment events skipped', async () => (await inboxOf('payment_intent.succeeded', payment.paymentIntent.id)).filter((e) => e.status === 'skipped').length === 2);
    expect(await linksOf(payment.paymentIntent.id)).toHaveLength(0);
    const forSale = world.storno.store.state.invoices.filter((i) => i.idempotencyKey?.includes(inv.invoice.id) || i.idempotencyKey?.includes(payment.paymentIntent.id));
    expect(forSale.map((i) => i.id)).toEqual([link.stornoDocumentId]);
    expect(stornoPayments(link.stornoDocumentId)).toHaveLength(1);
    // The merchant cannot make a second one from the payment page either.
    expect((await s.post(`/payments/${payment.paymentIntent.id}/einvoice`, { confirmLate: true })).statusCode).toBe(409);
  });

  it('refund before invoice.paid: the credit note waits for its parent (visible), then is made once it is accepted', async () => {
    const made = await world.stripe.createPaidInvoice({
      customer: DEMO.customers.b2bCluj,
      lines: [{ description: 'Licență', unitAmount: 40_000, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
      eventTypes: [],
    });
    const refund = await world.stripe.createRefund({ charge: made.charge.id, amount: 12_100, emit: true });
    expect(refund.events.every((e) => e.status === 200)).toBe(true);
    const waiting = await until('the refund recorded, waiting for its parent', async () => {
      const link = await linkOf('refund', refund.refund.id);
      return link?.hold === 'parent' ? link : null;
    });
    expect(waiting.stornoDocumentId).toBeNull();
    const row = (await dashboard()).documents.find((d) => d.id === waiting.id)!;
    expect(row.obligation).toMatchObject({ state: 'waiting_parent' });
    expect(row.obligation.detail).toContain(made.invoice.id);

    await emit('invoice.paid', world.stripe.get(ACCOUNT, made.invoice.id)!);
    const parent = await validated('invoice', made.invoice.id);
    const note = await validated('refund', refund.refund.id);
    const atStorno = stornoInvoice(note.stornoDocumentId)!;
    expect(atStorno.parentDocumentId).toBe(parent.stornoDocumentId);
    expect(atStorno.total).toBe('-121.00');
  });

  it('invoice.voided after the e-invoice was accepted → the reversing document; before any upload → cancelled, nothing sent', async () => {
    const inv = await sendInvoice(1);
    await emit('invoice.finalized', inv.open);
    const original = await validated('invoice', inv.open.id);
    const voided = { ...inv.open, status: 'void', amount_remaining: 0, status_transitions: { ...(inv.open.status_transitions as object), voided_at: now() } };
    world.stripe.put(ACCOUNT, voided);
    await emit('invoice.voided', voided);
    const reversal = await validated('void_reversal', inv.open.id);
    const atStorno = stornoInvoice(reversal.stornoDocumentId)!;
    expect(atStorno.parentDocumentId).toBe(original.stornoDocumentId);
    expect(atStorno.total).toBe(`-${stornoInvoice(original.stornoDocumentId)!.total}`);

    // A buyer without an address blocks the e-invoice before anything is sent; voiding it ends the obligation.
    const blockedInv = await sendInvoice(1, DEMO.customers.noAddress);
    await emit('invoice.finalized', blockedInv.open);
    const blocked = await until('the e-invoice blocked', async () => {
      const link = await linkOf('invoice', blockedInv.open.id);
      return link?.status === 'blocked' ? link : null;
    });
    expect(blocked.stornoDocumentId).toBeNull();
    const voidedBlocked = { ...blockedInv.open, status: 'void', status_transitions: { ...(blockedInv.open.status_transitions as object), voided_at: now() } };
    world.stripe.put(ACCOUNT, voidedBlocked);
    await emit('invoice.voided', voidedBlocked);
    await until('the blocked e-invoice cancelled', async () => (await linkOf('invoice', blockedInv.open.id))?.status === 'cancelled');
    expect(await linkOf('void_reversal', blockedInv.open.id)).toBeNull();
    expect((await dashboard('errors')).documents.some((d) => d.stripeObjectId === blockedInv.open.id)).toBe(false);

    // Home's tiles add up: every document counts in exactly one, a cancelled one (nothing owed) in none.
    const home = await dashboard();
    const { tiles } = home;
    expect(tiles.validated + tiles.inProgress + tiles.needsAction + tiles.draftOrIssued).toBe(tiles.total);
    const cancelled = await world.app.db.prisma.documentLink.count({ where: { status: 'cancelled' } });
    expect(cancelled).toBeGreaterThan(0);
    expect(tiles.total).toBe(home.counts.total - cancelled);
    expect(tiles.validated).toBe(home.counts.validated);
  });

  it('403: the document is blocked naming the missing permission; the connection stays usable; retry after the grant', async () => {
    const email = SANDBOX_SEED.users.demo.email;
    await fetch(`${world.storno.url}/__sandbox/permissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, deny: ['invoice.issue'] }) });
    try {
      const made = await world.stripe.createPaidInvoice({
        customer: DEMO.customers.b2bCluj,
        lines: [{ description: 'Mentenanță', unitAmount: 5_000, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
        eventTypes: ['invoice.paid'],
        emit: true,
      });
      const blocked = await until('the document blocked by the permission', async () => {
        const link = await linkOf('invoice', made.invoice.id);
        return link?.status === 'blocked' ? link : null;
      });
      const problem = JSON.parse(blocked.problem!);
      expect(problem).toMatchObject({ kind: 'storno_refusal', reason: 'permission', permission: 'invoice.issue' });
      expect(problem.message).toMatch(/lacks permission.*invoice\.issue.*ask the Storno admin/);
      // The connection is not flipped to "reconnect": settings and Storno-backed views still answer.
      expect((await s.get('/settings')).json().status).toBe('connected');
      expect((await s.get(`/customers/${DEMO.customers.b2bCluj}`)).statusCode).toBe(200);
      const errors = await dashboard('errors');
      expect(errors.documents.find((d) => d.id === blocked.id)?.obligation).toMatchObject({ state: 'blocked', action: 'ask_storno_admin' });

      await fetch(`${world.storno.url}/__sandbox/permissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, deny: [] }) });
      expect((await s.post(`/documents/${blocked.id}/retry`)).statusCode).toBe(200);
      await validated('invoice', made.invoice.id);
    } finally {
      await fetch(`${world.storno.url}/__sandbox/permissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, deny: [] }) });
    }
  });

  it('402 plan limit: blocked and visible with Storno\'s message, not re-driven every minute; retried daily or on request', async () => {
    const companyId = SANDBOX_SEED.companies.a.id;
    const limit = (monthlyInvoiceLimit: number | null) =>
      fetch(`${world.storno.url}/__sandbox/plan-limit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ companyId, monthlyInvoiceLimit }) });
    await limit(0);
    try {
      const payment = await world.stripe.createPayment({
        customer: DEMO.customers.b2bCluj,
        lineItems: [{ description: 'Abonament anual', unitAmount: 90_000, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
        eventTypes: ['payment_intent.succeeded'],
        emit: true,
      });
      const blocked = await until('the document blocked by the plan limit', async () => {
        const link = await linkOf('payment', payment.paymentIntent.id);
        return link?.status === 'blocked' ? link : null;
      });
      expect(JSON.parse(blocked.problem!)).toMatchObject({ kind: 'storno_refusal', reason: 'plan_limit', message: expect.stringContaining('Monthly invoice limit reached') });
      const row = (await dashboard('errors')).documents.find((d) => d.id === blocked.id)!;
      expect(row.obligation).toMatchObject({ state: 'blocked', action: 'fix_in_storno' });

      // A minute of worker ticks (every 3 s): no re-drive, so no new create at Storno.
      const creates = () => world.storno.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/invoices').length;
      const before = creates();
      for (let tick = 0; tick < 20; tick++) await world.app.services.engine.sweep();
      expect(creates()).toBe(before);

      // A day later it is tried once more (still refused), then waits another day.
      await world.app.db.prisma.documentLink.update({ where: { id: blocked.id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
      await world.app.services.engine.sweep();
      expect(creates()).toBe(before + 1);
      const again = await linkOf('payment', payment.paymentIntent.id);
      expect(again!.status).toBe('blocked');
      expect(again!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);

      // The merchant raises the plan and retries.
      await limit(null);
      expect((await s.post(`/documents/${blocked.id}/retry`)).statusCode).toBe(200);
      await validated('payment', payment.paymentIntent.id);
    } finally {
      await limit(null);
    }
  });

  it('re-authorization window: sales paid meanwhile wait visibly, and are all e-invoiced after reconnecting', async () => {
    const connection = (await world.app.services.connections.byAccount(ACCOUNT))!;
    const credentials = world.app.services.connections.credentials(connection)!;
    await fetch(`${world.storno.url}/__sandbox/revoke-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: SANDBOX_SEED.users.demo.email }) });
    await world.app.db.prisma.connection.update({ where: { id: connection.id }, data: { stornoCredentials: world.app.services.connections.seal({ ...credentials, expiresAt: Date.now() - 1000 }) } });

    const invoices: string[] = [];
    for (let i = 0; i < 10; i++) {
      const made = await world.stripe.createPaidInvoice({
        customer: DEMO.customers.b2bCluj,
        lines: [{ description: `Abonament ${i}`, unitAmount: 2_000 + i, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
        eventTypes: ['invoice.paid'],
        emit: true,
      });
      invoices.push(made.invoice.id);
    }
    const waiting = await until('all ten sales recorded, waiting for the reconnection', async () => {
      const errors = await dashboard('errors');
      const rows = errors.documents.filter((d) => invoices.includes(d.stripeObjectId));
      return rows.length === 10 && rows.every((r) => r.obligation.state === 'waiting_reconnect') ? errors : null;
    });
    expect(waiting.connectionStatus).toBe('reauthorization_required');
    expect(waiting.tiles.needsAction).toBeGreaterThanOrEqual(10);
    expect((await s.get('/settings')).json().status).toBe('reauthorization_required');
    // Their events are done (the obligation carries them), none failed.
    const events = await until('their ten events processed', async () => {
      const rows = (await world.app.db.prisma.inboxEvent.findMany({ where: { type: 'invoice.paid' } })).filter((e) => invoices.some((id) => e.payload.includes(id)));
      return rows.length === 10 && rows.every((e) => e.status !== 'pending' && e.status !== 'processing') ? rows : null;
    });
    expect(events.map((e) => e.status)).toEqual(Array(10).fill('done'));

    s = await connectDemo(world);
    for (const id of invoices) await validated('invoice', id);
    for (const id of invoices) expect(stornoPayments((await linkOf('invoice', id))!.stornoDocumentId)).toHaveLength(1);
  });

  it('disconnected and unknown accounts: acknowledged, nothing made, nothing retried', async () => {
    world.stripe.createAccount('acct_unknown_ro', 'demo');
    const unknown = await world.stripe.createPaidInvoice({
      account: 'acct_unknown_ro',
      customer: DEMO.customers.b2bCluj,
      lines: [{ description: 'X', unitAmount: 1_000, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
      eventTypes: ['invoice.finalized', 'invoice.paid'],
      emit: true,
    });
    expect(unknown.events.map((e) => e.status)).toEqual([200, 200]);

    expect((await s.post('/disconnect')).statusCode).toBe(200);
    const afterDisconnect = await world.stripe.createPaidInvoice({
      customer: DEMO.customers.b2bCluj,
      lines: [{ description: 'Y', unitAmount: 1_000, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
      eventTypes: ['invoice.finalized', 'invoice.paid'],
      emit: true,
    });
    expect(afterDisconnect.events.map((e) => e.status)).toEqual([200, 200]);
    const ids = [unknown.invoice.id, afterDisconnect.invoice.id];
    const rows = await until('the four events settled', async () => {
      const all = await world.app.db.prisma.inboxEvent.findMany({ where: { OR: ids.map((id) => ({ payload: { contains: id } })) } });
      return all.length === 4 && all.every((e) => e.status === 'skipped') ? all : null;
    });
    expect(rows.every((e) => e.attempts === 1 && /not connected/.test(e.lastError ?? ''))).toBe(true);
    for (const id of ids) expect(await linksOf(id)).toEqual([]);
  });
});
