// The invoicing engine through the whole backend: Stripe fake → backend → Storno sandbox. Each test checks
// what Storno ends up holding (lines, VAT, totals, buyer) and what the merchant sees.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO } from '../sandbox/stripe/index.js';
import { SANDBOX_SEED } from '../sandbox/storno/index.js';
import { StornoClient } from '../src/storno/client.js';
import { testDatabaseKinds } from './support/databases.js';
import { merchantStorno } from './support/merchantStorno.js';
import { connectDemo, startWorld, type Session, type World } from './support/world.js';

const A = SANDBOX_SEED.companies.a;

describe.each(testDatabaseKinds())('invoicing engine on %s', (kind) => {
  let world: World;
  let s: Session;
  let storno: StornoClient;
  let stornoApi: ReturnType<typeof merchantStorno>['api'];

  beforeAll(async () => {
    world = await startWorld({ kind });
    s = await connectDemo(world);
    ({ client: storno, api: stornoApi } = merchantStorno(world));
  });
  afterAll(async () => world?.close());

  async function allStornoInvoices(): Promise<{ id: string; total: string }[]> {
    const rows = [];
    for (let page = 1; ; page++) {
      const res = await stornoApi('GET', `/api/v1/invoices?page=${page}&limit=20`);
      rows.push(...res.data);
      if (res.data.length === 0 || page * res.limit >= res.total) return rows;
    }
  }

  /** Lets the provider decide and the app read the verdict (the worker does this in production). */
  async function settle() {
    await world.storno.settle();
    await world.app.services.engine.sweep();
  }

  async function einvoice(invoiceId: string) {
    const res = await s.post(`/invoices/${invoiceId}/einvoice`, { confirmLate: true });
    expect([200, 201]).toContain(res.statusCode);
    return res.json();
  }

  it('a document past its upload deadline asks for confirmation: 409 with its date and deadline, nothing made until confirmLate', async () => {
    const refused = await s.post(`/invoices/${DEMO.invoices.eurDomestic}/einvoice`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'deadline_passed', issueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(refused.json().deadline > refused.json().issueDate).toBe(true);
    expect((await s.get(`/invoices/${DEMO.invoices.eurDomestic}`)).json().document).toBeNull();
  });

  it('case 1: a domestic B2B invoice becomes a validated e-invoice with the matched client and exact totals', async () => {
    const created = await einvoice(DEMO.invoices.b2b);
    expect(created).toMatchObject({ status: 'sent_to_provider', total: '121.00', currency: 'RON', kind: 'invoice' });
    expect(created.number).toMatch(/^FACT\d{4}$/);
    await settle();
    const view = (await s.get(`/invoices/${DEMO.invoices.b2b}`)).json();
    expect(view.document.status).toBe('validated');
    expect(view.canCreate).toBe(false);

    const doc = await storno.getInvoice(created.stornoDocumentId);
    expect(doc).toMatchObject({ subtotal: '100.00', vatTotal: '21.00', total: '121.00', currency: 'RON' });
    expect(doc.client?.id).toBe(SANDBOX_SEED.clients.roCompany.id); // matched by CIF, no duplicate client
    expect(doc.lines).toHaveLength(1);
    expect(doc.lines[0]).toMatchObject({ vatRate: '21.00', vatCategoryCode: 'S' });
    // The Stripe payment is recorded on the Storno invoice.
    const payments = await storno.listPayments(created.stornoDocumentId);
    expect(payments.map((p) => p.amount)).toEqual(['121.00']);
  });

  it('one Stripe object, one document: 20 parallel creates make exactly one', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => s.post(`/invoices/${DEMO.invoices.mixedRates}/einvoice`, { confirmLate: true })));
    expect(results.every((r) => r.statusCode === 200 || r.statusCode === 201)).toBe(true);
    const ids = new Set(results.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    await settle();
    const all = await allStornoInvoices();
    const made = all.filter((i) => i.total === '165.40');
    expect(made).toHaveLength(1);
    const doc = await storno.getInvoice(made[0].id);
    // case 10: two VAT groups
    expect(doc).toMatchObject({ subtotal: '140.00', vatTotal: '25.40', total: '165.40' });
    expect(doc.lines.map((l) => l.vatRate).sort()).toEqual(['11.00', '21.00']);
  });

  it('cases 11, 13, 14: tax-inclusive drift, a coupon and a proration reproduce Stripe to the cent, no negative price', async () => {
    for (const [invoiceId, total] of [
      [DEMO.invoices.inclusiveDrift, '29.97'],
      [DEMO.invoices.coupon, '96.80'],
      [DEMO.invoices.proration, '24.20'],
    ] as const) {
      const created = await einvoice(invoiceId);
      const doc = await storno.getInvoice(created.stornoDocumentId);
      expect(doc.total).toBe(total);
      for (const line of doc.lines) expect(Number(line.unitPrice)).toBeGreaterThanOrEqual(0);
    }
    const proration = await storno.getInvoice((await s.get(`/invoices/${DEMO.invoices.proration}`)).json().document.stornoDocumentId);
    expect(proration.lines.some((l) => Number(l.quantity) < 0)).toBe(true);
    expect(proration.lines.every((l) => l.description.length <= 100)).toBe(true);
  });

  it('case 2: a Bucharest buyer is created in Storno with RO-B and the sector', async () => {
    const created = await einvoice(DEMO.invoices.bucharest);
    const doc = await storno.getInvoice(created.stornoDocumentId);
    const client = (await storno.getClient(doc.client!.id)).client;
    expect(client).toMatchObject({ cui: '33333338', county: expect.stringMatching(/^(RO-B|București)$/), city: 'SECTOR3', country: 'RO' });
    await settle();
    expect((await s.get(`/invoices/${DEMO.invoices.bucharest}`)).json().document.status).toBe('validated');
  });

  it('case 7: EU reverse charge goes out as AE at 0% and, outside e-Factura scope, stays issued', async () => {
    const created = await einvoice(DEMO.invoices.reverseCharge);
    expect(created.status).toBe('issued');
    const doc = await storno.getInvoice(created.stornoDocumentId);
    expect(doc).toMatchObject({ currency: 'EUR', vatTotal: '0.00', total: '500.00', invoiceTypeCode: 'reverse_charge' });
    expect(doc.lines[0]).toMatchObject({ vatCategoryCode: 'AE', vatRate: '0.00' });
    expect(doc.client?.id).toBe(SANDBOX_SEED.clients.german.id); // matched by its EU VAT number
  });

  it('pre-flight blocks a bad CIF and a buyer without an address, with reasons a merchant can act on', async () => {
    const bad = await einvoice(DEMO.invoices.badCif);
    expect(bad.status).toBe('blocked');
    expect(bad.stornoDocumentId).toBeNull();
    expect(bad.problem.kind).toBe('preflight');
    expect(bad.problem.checks.map((c: { code: string }) => c.code)).toContain('buyer_cif_invalid');
    const noAddress = await einvoice(DEMO.invoices.noAddress);
    expect(noAddress.status).toBe('blocked');
    expect(JSON.stringify(noAddress.problem)).toMatch(/address/i);
    const errors = (await s.get('/dashboard?tab=errors')).json();
    expect(errors.documents.map((d: { stripeObjectId: string }) => d.stripeObjectId)).toEqual(expect.arrayContaining([DEMO.invoices.badCif, DEMO.invoices.noAddress]));
  });

  it('a payment without an invoice (Checkout) takes its lines and VAT from the session', async () => {
    const res = await s.post(`/payments/${DEMO.payments.checkout.paymentIntent}/einvoice`, { confirmLate: true });
    expect(res.statusCode).toBe(201);
    const doc = await storno.getInvoice(res.json().stornoDocumentId);
    expect(doc.total).toBe('298.80');
    expect(new Set(doc.lines.map((l) => l.vatRate))).toEqual(new Set(['21.00', '11.00']));
    // The charge id names the same payment: no second document.
    const again = await s.post(`/payments/${DEMO.payments.checkout.charge}/einvoice`, { confirmLate: true });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(res.json().id);
  });

  it('a payment that belongs to an invoice is invoiced through the invoice', async () => {
    const view = (await s.get(`/payments/${DEMO.invoicePayments.b2b.paymentIntent}`)).json();
    expect(view.payment.invoiceId).toBe(DEMO.invoices.b2b);
    expect(view.document.stripeObjectId).toBe(DEMO.invoices.b2b);
    expect(view.canCreate).toBe(false);
    const res = await s.post(`/payments/${DEMO.invoicePayments.b2b.paymentIntent}/einvoice`, { confirmLate: true });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('covered_by_invoice');
  });

  it('case 15: a full refund reverses every line of the parent, keeping its rate', async () => {
    const res = await s.post(`/refunds/${DEMO.refunds.full}/credit-note`, { confirmLate: true });
    expect(res.statusCode).toBe(201);
    const note = await storno.getInvoice(res.json().stornoDocumentId);
    const parent = await storno.getInvoice((await s.get(`/invoices/${DEMO.invoices.b2b}`)).json().document.stornoDocumentId);
    expect(note.parentDocumentId).toBe(parent.id);
    expect(note.total).toBe('-121.00');
    expect(note.lines.every((l) => Number(l.quantity) < 0 && Number(l.unitPrice) > 0)).toBe(true);
    await settle();
    const view = (await s.get(`/payments/${DEMO.invoicePayments.b2b.paymentIntent}`)).json();
    expect(view.refunds[0].creditNote.status).toBe('validated');
  });

  it('cases 16 and 17: partial refunds are allocated over VAT groups to the cent and never exceed the invoice', async () => {
    await einvoice(DEMO.invoices.b2bPartial);
    // A credit note waits for its parent to be accepted (issue 12).
    await settle();
    const partial = await storno.getInvoice((await s.post(`/refunds/${DEMO.refunds.partial}/credit-note`, { confirmLate: true })).json().stornoDocumentId);
    expect(partial).toMatchObject({ total: '-30.00', vatTotal: '-5.21', subtotal: '-24.79' });

    await einvoice(DEMO.invoices.mixedInclusive);
    await settle();
    const mixed = await storno.getInvoice((await s.post(`/refunds/${DEMO.refunds.mixedPartial}/credit-note`, { confirmLate: true })).json().stornoDocumentId);
    expect(mixed.total).toBe('-50.00');
    // Net lines whose VAT Storno computes (never a gross Storno re-splits).
    const byRate = Object.fromEntries(mixed.lines.map((l) => [l.vatRate, { gross: (Number(l.lineTotal) + Number(l.vatAmount)).toFixed(2), vat: l.vatAmount }]));
    expect(byRate['21.00']).toEqual({ gross: '-34.28', vat: '-5.95' });
    expect(byRate['11.00']).toEqual({ gross: '-15.72', vat: '-1.56' });

    // The rest of the partial invoice, then nothing more can be credited.
    const rest = await world.stripe.createRefund({ account: DEMO.account, charge: DEMO.invoicePayments.b2bPartial.charge, amount: 9100 });
    const restNote = await storno.getInvoice((await s.post(`/refunds/${rest.refund.id}/credit-note`, { confirmLate: true })).json().stornoDocumentId);
    expect(restNote.total).toBe('-91.00');
  });

  it('case 18: a 19% sale of July 2025 passes the date check but needs the 19% rate active in Storno; its refund stays at 19%', async () => {
    const blocked = await einvoice(DEMO.invoices.legacy19);
    expect(blocked.status).toBe('blocked');
    expect(blocked.problem.checks).toEqual([expect.objectContaining({ code: 'vat_rate_inactive', message: expect.stringContaining('19.00%') })]);
    // The merchant activates 19% in Storno, then retries.
    const { state } = world.storno.store;
    const template = state.vatRates.find((r) => r.companyId === A.id && r.rate === '21.00')!;
    state.vatRates.push({ ...template, id: '0a5e0000-0000-4000-8000-0000000a0019', rate: '19.00', label: '19% (before 1 Aug 2025)', isDefault: false });
    world.storno.store.changed();
    const retried = await s.post(`/documents/${blocked.id}/retry`);
    expect(retried.json().status).toBe('sent_to_provider');
    await settle();
    const note = await storno.getInvoice((await s.post(`/refunds/${DEMO.refunds.legacyFull}/credit-note`, { confirmLate: true })).json().stornoDocumentId);
    expect(note.lines.every((l) => l.vatRate === '19.00')).toBe(true);
  });

  it('a refund of a payment with no e-invoice says why, and offers the standalone refund invoice as a choice', async () => {
    const view = (await s.get(`/refunds/${DEMO.refunds.eurPartial}`)).json();
    expect(view).toMatchObject({ canCreate: false, standaloneAllowed: true });
    expect(view.reason).toMatch(/No e-invoice was made/);
    const refused = await s.post(`/refunds/${DEMO.refunds.eurPartial}/credit-note`, { confirmLate: true });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toBe('no_parent_document');
    const standalone = await s.post(`/refunds/${DEMO.refunds.eurPartial}/credit-note`, { standalone: true, confirmLate: true });
    expect(standalone.statusCode).toBe(201);
    expect(standalone.json().kind).toBe('standalone_refund');
    const doc = await storno.getInvoice(standalone.json().stornoDocumentId);
    expect(Number(doc.total)).toBeLessThan(0);
  });

  it('pre-flight checks the Storno client the document carries: a client without a street is blocked before sending, fixed in Storno it goes through', async () => {
    // The matched Storno client lost its street: the Stripe customer is fine, the document would not be.
    await stornoApi('PATCH', `/api/v1/clients/${SANDBOX_SEED.clients.roCompany.id}`, { address: '' });
    const paid = await world.stripe.createPaidInvoice({
      account: DEMO.account,
      customer: DEMO.customers.b2bCluj,
      lines: [{ description: 'Consultanță', unitAmount: 10000, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
    });
    const doc = await einvoice(paid.invoice.id);
    expect(doc.status).toBe('blocked');
    expect(doc.stornoDocumentId).toBeNull();
    expect(doc.problem.checks).toEqual([expect.objectContaining({ code: 'buyer_address_missing', message: expect.stringMatching(/Storno client .* in Storno\.ro/) })]);
    expect((await s.get('/dashboard?tab=errors')).json().documents.map((d: { id: string }) => d.id)).toContain(doc.id);

    await stornoApi('PATCH', `/api/v1/clients/${SANDBOX_SEED.clients.roCompany.id}`, { address: 'Str. Memorandumului 28' });
    const retried = await s.post(`/documents/${doc.id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().status).toBe('sent_to_provider');
    await settle();
    const view = (await s.get(`/invoices/${paid.invoice.id}`)).json();
    expect(view.document.status).toBe('validated');
    expect(view.document.providerError).toBeNull();
  });

  it('customer matching: by CIF, remembered without a new Storno search, forgotten when the customer changes', async () => {
    const search = vi.spyOn(StornoClient.prototype, 'listAllClients');
    const first = (await s.get(`/customers/${DEMO.customers.b2bCluj}`)).json();
    expect(first.match).toMatchObject({ matchedBy: 'ro_cif', client: { id: SANDBOX_SEED.clients.roCompany.id, cif: '4221306' } });
    expect(first.history.length).toBeGreaterThan(0);
    search.mockClear();
    await s.get(`/customers/${DEMO.customers.b2bCluj}`);
    expect(search).not.toHaveBeenCalled();
    search.mockRestore();
  });

  it('an unmatched customer gets a reason and a proposal; creating the client matches it from then on', async () => {
    const view = (await s.get(`/customers/${DEMO.customers.consumerCnp}`)).json();
    expect(view.match).toBeNull();
    expect(view.noMatchReason).toMatch(/No Storno client/);
    expect(view.proposal).toMatchObject({ type: 'individual', country: 'RO' });
    const created = await s.post(`/customers/${DEMO.customers.consumerCnp}/client`);
    expect(created.statusCode).toBe(201);
    expect(created.json().match).toMatchObject({ matchedBy: 'created' });
    expect((await s.get(`/customers/${DEMO.customers.consumerCnp}`)).json().match.matchedBy).toBe('created');
  });

  it('subscription: every cycle over all pages, and an e-invoice for one cycle', async () => {
    const view = (await s.get(`/subscriptions/${DEMO.subscriptions.monthly}`)).json();
    expect(view.cycles).toHaveLength(14);
    expect(view.subscription).toMatchObject({ interval: 'month', status: expect.any(String) });
    const cycle = view.cycles[3];
    expect(cycle.document).toBeNull();
    const res = await s.post(`/subscriptions/${DEMO.subscriptions.monthly}/cycles/${cycle.invoiceId}/einvoice`, { confirmLate: true });
    expect(res.statusCode).toBe(201);
    const again = (await s.get(`/subscriptions/${DEMO.subscriptions.monthly}`)).json();
    expect(again.cycles[3].document.id).toBe(res.json().id);
    expect((await s.post(`/subscriptions/${DEMO.subscriptions.monthly}/cycles/${DEMO.invoices.b2b}/einvoice`, { confirmLate: true })).statusCode).toBe(404);
  });

  it('answers bad ids with 400 and unknown Stripe objects with 404, changing nothing', async () => {
    const before = await world.app.db.prisma.documentLink.count();
    expect((await s.post('/invoices/not-an-id/einvoice')).statusCode).toBe(400);
    const missing = await s.post('/invoices/in_doesnotexist/einvoice');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('stripe_object_not_found');
    expect(await world.app.db.prisma.documentLink.count()).toBe(before);
  });

  it('the dashboard counts statuses and lists recent documents with amounts', async () => {
    const all = (await s.get('/dashboard?tab=all')).json();
    expect(all.counts.total).toBe(all.counts.validated + all.counts.issued + all.counts.sent_to_provider + all.counts.rejected + all.counts.blocked + all.counts.draft + all.counts.pending);
    expect(all.counts.validated).toBeGreaterThan(0);
    const validated = all.documents.find((d: { status: string }) => d.status === 'validated');
    expect(validated).toMatchObject({ number: expect.stringMatching(/^FACT\d{4}$/), total: expect.any(String), currency: 'RON', clientName: expect.any(String) });
    expect((await s.get('/dashboard?tab=nope')).statusCode).toBe(400);
  });
});
