// Fiscal correctness through the production path: Stripe fake → backend → Storno sandbox (and the BNR stand-in).
// Each test reads what the engine actually sent — the document Storno holds — and what the merchant sees.
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_SEED } from '../sandbox/storno/index.js';
import { DEMO } from '../sandbox/stripe/index.js';
import * as b from '../sandbox/stripe/builders.js';
import { bucharestDate } from '../src/invoicing/dates.js';
import { StornoClient } from '../src/storno/client.js';
import { merchantStorno } from './support/merchantStorno.js';
import { connectDemo, startWorld, type Session, type World } from './support/world.js';

const A = SANDBOX_SEED.companies.a;

describe('fiscally right by date, currency and buyer', () => {
  let world: World;
  let s: Session;
  let storno: StornoClient;
  let stornoApi: ReturnType<typeof merchantStorno>['api'];

  beforeAll(async () => {
    world = await startWorld();
    s = await connectDemo(world);
    ({ client: storno, api: stornoApi } = merchantStorno(world));
  });
  afterAll(async () => world?.close());


  async function settle() {
    await world.storno.settle();
    await world.app.services.engine.sweep();
  }

  /** The BNR day whose rate applies to a document of `date`: the last banking day before it. */
  function bnrDayFor(date: string): string {
    const d = new Date(`${date}T12:00:00Z`);
    do d.setUTCDate(d.getUTCDate() - 1);
    while (!world.bnr.isBankingDay(d.toISOString().slice(0, 10)));
    return d.toISOString().slice(0, 10);
  }

  function addCustomer(id: string, input: Omit<b.CustomerInput, 'id'>, tax?: { type: string; value: string }) {
    world.stripe.put(DEMO.account, b.customer({ id, ...input }));
    if (tax) world.stripe.put(DEMO.account, b.taxId({ id: `txi_${id.slice(4)}`, customer: id, ...tax }));
  }

  it('a EUR invoice and its later credit note carry the same BNR rate: the one of the invoice date', async () => {
    const res = await s.post(`/invoices/${DEMO.invoices.eurDomestic}/einvoice`, { confirmLate: true });
    expect(res.statusCode).toBe(201);
    const invoice = await storno.getInvoice(res.json().stornoDocumentId);
    const day = bnrDayFor(invoice.issueDate!.slice(0, 10));
    const expected = new Big(world.bnr.published(day, 'EUR')).toFixed(4);
    expect(invoice.exchangeRate).toBe(expected);
    // Shown in the document panel, with the BNR day it comes from.
    expect(res.json().exchangeRate).toEqual({ rate: expected, publishedOn: day });

    await settle();
    const refund = (await world.stripe.get(DEMO.account, DEMO.refunds.eurPartial)) as unknown as { created: number };
    const refundDay = bnrDayFor(bucharestDate(refund.created));
    const note = await s.post(`/refunds/${DEMO.refunds.eurPartial}/credit-note`, { confirmLate: true });
    expect(note.statusCode).toBe(201);
    const credit = await storno.getInvoice(note.json().stornoDocumentId);
    expect(credit.parentDocumentId).toBe(invoice.id);
    expect(credit.exchangeRate).toBe(expected);
    expect(note.json().exchangeRate.rate).toBe(expected);
    // Not the rate of the refund's own date (which the stand-in publishes differently).
    if (refundDay !== day) expect(new Big(world.bnr.published(refundDay, 'EUR')).toFixed(4)).not.toBe(expected);
  });

  it('BNR unreachable: the document waits, visibly, and is never sent without its rate', async () => {
    const paid = await world.stripe.createPaidInvoice({ account: DEMO.account, customer: DEMO.customers.b2bCluj, currency: 'eur', lines: [{ description: 'Suport (EUR)', unitAmount: 5000, taxRate: DEMO.taxRates.vat21 }] });
    // A date BNR has not been asked about yet: no cached rate to fall back on.
    await world.app.db.prisma.bnrRateDay.deleteMany({});
    const invoicesBefore = (await stornoApi('GET', '/api/v1/invoices?limit=1')).total;
    world.bnr.outage = true;
    let waitingId: string;
    try {
      const waiting = await s.post(`/invoices/${paid.invoice.id}/einvoice`);
      waitingId = waiting.json().id;
      expect(waiting.json()).toMatchObject({ status: 'pending', stornoDocumentId: null, problem: { kind: 'waiting', code: 'exchange_rate_unavailable' } });
      // An obligation waiting on BNR (retried with backoff), not one that needs the merchant.
      expect(waiting.json().obligation).toMatchObject({ state: 'waiting_bnr', action: null, detail: expect.stringMatching(/never sent without its rate/) });
      // Nothing reached Storno: no draft without its rate.
      expect((await stornoApi('GET', '/api/v1/invoices?limit=1')).total).toBe(invoicesBefore);
    } finally {
      world.bnr.outage = false;
    }
    // BNR is back: the worker's sweep makes it once its backoff is due, with no action from the merchant.
    const id = waitingId;
    let made = await world.app.db.prisma.documentLink.findUniqueOrThrow({ where: { id } });
    while (made.status === 'pending') {
      if (made.nextAttemptAt) await new Promise((r) => setTimeout(r, Math.max(0, made.nextAttemptAt!.getTime() - Date.now()) + 10));
      await world.app.services.engine.sweep();
      made = await world.app.db.prisma.documentLink.findUniqueOrThrow({ where: { id } });
    }
    const view = (await s.get(`/invoices/${paid.invoice.id}`)).json().document;
    expect(view).toMatchObject({ status: 'sent_to_provider', problem: null, obligation: { state: 'in_progress' } });
    expect((await storno.getInvoice(view.stornoDocumentId)).exchangeRate).toMatch(/^\d+\.\d{4}$/);
  });

  it('19 % on a 2026 sale is blocked with the Stripe-side message, naming the tax rate to correct', async () => {
    const paid = await world.stripe.createPaidInvoice({ account: DEMO.account, customer: DEMO.customers.b2bCluj, lines: [{ description: 'Abonament', unitAmount: 10000, taxRate: DEMO.taxRates.vat19Legacy }] });
    const res = await s.post(`/invoices/${paid.invoice.id}/einvoice`);
    expect(res.json()).toMatchObject({ status: 'blocked', stornoDocumentId: null });
    expect(res.json().problem.checks).toEqual([
      expect.objectContaining({ code: 'vat_rate_not_in_force', message: expect.stringMatching(new RegExp(`${DEMO.taxRates.vat19Legacy} charges 19 %.*in Stripe`)) }),
    ]);
    expect(JSON.stringify(res.json().problem)).not.toMatch(/activate/i);
  });

  it('19 % on a July 2025 sale passes, and its refund stays at 19 %', async () => {
    const { state } = world.storno.store;
    const template = state.vatRates.find((r) => r.companyId === A.id && r.rate === '21.00')!;
    state.vatRates.push({ ...template, id: '0a5e0000-0000-4000-8000-0000000a0019', rate: '19.00', label: '19% (before 1 Aug 2025)', isDefault: false });
    const res = await s.post(`/invoices/${DEMO.invoices.legacy19}/einvoice`, { confirmLate: true });
    expect(res.json().status).toBe('sent_to_provider');
    const invoice = await storno.getInvoice(res.json().stornoDocumentId);
    expect(invoice).toMatchObject({ issueDate: expect.stringMatching(/^2025-07-20/), vatTotal: '19.00', total: '119.00' });
    await settle();
    const note = await storno.getInvoice((await s.post(`/refunds/${DEMO.refunds.legacyFull}/credit-note`, { confirmLate: true })).json().stornoDocumentId);
    expect(note.lines.every((l) => l.vatRate === '19.00')).toBe(true);
    expect(note).toMatchObject({ vatTotal: '-19.00', total: '-119.00' });
  });

  it('an untaxed payment of a Japanese company is not taxed at 21 %; outside scope it stays issued, its XML ready for a voluntary upload', async () => {
    const res = await s.post(`/payments/${DEMO.payments.jpy.paymentIntent}/einvoice`, { confirmLate: true });
    expect(res.statusCode).toBe(201);
    const doc = await storno.getInvoice(res.json().stornoDocumentId);
    expect(doc).toMatchObject({ currency: 'JPY', vatTotal: '0.00', total: '50000.00' });
    expect(doc.lines.every((l) => l.vatCategoryCode === 'G' && l.vatRate === '0.00')).toBe(true);
    expect(res.json()).toMatchObject({ status: 'issued', outsideScope: true, assumptions: [] });
    expect(res.json().exchangeRate.rate).toMatch(/^0\.0\d{3}$/); // RON per yen (BNR quotes per 100)

    // Never submitted (Storno refuses a buyer outside Romania), done as far as the obligation goes, even after a sweep.
    await settle();
    const later = (await s.get(`/payments/${DEMO.payments.jpy.paymentIntent}`)).json().document;
    expect(later).toMatchObject({ status: 'issued', outsideScope: true, obligation: { state: 'done' } });
    expect(world.storno.requests.some((r) => r.path === `/api/v1/invoices/${doc.id}/submit`)).toBe(false);
    // The merchant may upload it in ANAF's SPV: its XML is one signed link away.
    const files = await s.post(`/documents/${res.json().id}/files`);
    expect(files.statusCode).toBe(200);
    const xml = await fetch(files.json().xmlUrl);
    expect(xml.status).toBe(200);
    expect(await xml.text()).toContain('<Invoice');
  });

  it('a consumer using a company client\'s e-mail is proposed, not matched: the sale goes out as B2C', async () => {
    addCustomer('cus_h15_consumer_work_mail', {
      name: 'Ioana Marin',
      email: 'office@client-cluj.test', // the e-mail of the company client "Client Cluj SRL"
      address: { line1: 'Str. Horea 3', city: 'Cluj-Napoca', state: 'Cluj', postal_code: '400174', country: 'RO' },
    });
    const view = (await s.get('/customers/cus_h15_consumer_work_mail')).json();
    expect(view.match).toBeNull();
    expect(view.suggestedClient).toMatchObject({ clientId: SANDBOX_SEED.clients.roCompany.id, reason: expect.stringMatching(/same e-mail.*company/) });
    expect(view.proposal).toMatchObject({ type: 'individual', cui: null });
    expect(view.createBlockedReason).toBeNull();

    const paid = await world.stripe.createPaidInvoice({ account: DEMO.account, customer: 'cus_h15_consumer_work_mail', lines: [{ description: 'Curs online', unitAmount: 10000, taxRate: DEMO.taxRates.vat21 }] });
    const res = await s.post(`/invoices/${paid.invoice.id}/einvoice`);
    const doc = await storno.getInvoice(res.json().stornoDocumentId);
    expect(doc.client?.id).not.toBe(SANDBOX_SEED.clients.roCompany.id);
    const client = (await storno.getClient(doc.client!.id)).client;
    expect(client).toMatchObject({ type: 'individual', name: 'Ioana Marin' });
    expect(client.cui ?? null).toBeNull();
  });

  it('the merchant can confirm a proposed company client; a client id that was not proposed is refused', async () => {
    addCustomer('cus_h15_confirm', { name: 'Contabil Cluj', email: 'office@client-cluj.test', address: { line1: 'Str. A 1', city: 'Cluj-Napoca', state: 'Cluj', country: 'RO' } });
    const notProposed = await s.post('/customers/cus_h15_confirm/client/confirm', { clientId: SANDBOX_SEED.clients.german.id });
    expect(notProposed.statusCode).toBe(409);
    expect(notProposed.json()).toMatchObject({ error: 'not_a_proposal', message: expect.stringMatching(/not the one proposed/) });
    expect((await s.post('/customers/cus_h15_confirm/client/confirm', { clientId: 'nope' })).statusCode).toBe(400);
    const confirmed = await s.post('/customers/cus_h15_confirm/client/confirm', { clientId: SANDBOX_SEED.clients.roCompany.id });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().match).toMatchObject({ matchedBy: 'confirmed', client: { id: SANDBOX_SEED.clients.roCompany.id } });
  });

  it('"Create client" is refused with the reason when Storno would refuse the data, and a consumer\'s CNP is shown', async () => {
    addCustomer('cus_h15_bad_cif', { name: 'Cifra Rea SRL', email: 'x@cifrarea.ro', address: { line1: 'Str. B 2', city: 'Iași', state: 'Iași', country: 'RO' } }, { type: 'ro_tin', value: '12345678' });
    const before = (await storno.listAllClients()).length;
    const view = (await s.get('/customers/cus_h15_bad_cif')).json();
    expect(view.createBlockedReason).toMatch(/CIF 12345678 fails the check digit/);
    const refused = await s.post('/customers/cus_h15_bad_cif/client');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error: 'client_data_invalid', message: expect.stringMatching(/check digit/), checks: [expect.objectContaining({ code: expect.any(String) })] });
    expect((await storno.listAllClients()).length).toBe(before);

    const cnp = (await s.get(`/customers/${DEMO.customers.consumerCnp}`)).json();
    expect(cnp.proposal).toMatchObject({ type: 'individual', cnp: '2850307220018' });
    const created = (await s.post(`/customers/${DEMO.customers.consumerCnp}/client`)).json();
    expect(created.match.client.cnp).toBe('2850307220018');
  });

  it('a rejected document, fixed in Storno, is updated and resent; the sandbox judges the frozen snapshot, never the live client', async () => {
    // A company without a tax ID in Stripe: its Storno client has no CUI, which ANAF refuses (BR-RO-120).
    addCustomer('cus_h15_fara_cui', { name: 'Fără Cod SRL', email: 'office@faracod.ro', address: { line1: 'Str. Dorobanților 7', city: 'Cluj-Napoca', state: 'Cluj', postal_code: '400117', country: 'RO' } });
    const paid = await world.stripe.createPaidInvoice({ account: DEMO.account, customer: 'cus_h15_fara_cui', lines: [{ description: 'Licență', unitAmount: 20000, taxRate: DEMO.taxRates.vat21 }] });
    const created = (await s.post(`/invoices/${paid.invoice.id}/einvoice`)).json();
    await settle();
    let view = (await s.get(`/invoices/${paid.invoice.id}`)).json();
    expect(view.document.status).toBe('rejected');
    expect(view.document.providerError).toMatch(/BR-RO-120/);

    // A credit note cannot be made against it: the refund panel says to fix the parent first.
    const refund = await world.stripe.createRefund({ account: DEMO.account, charge: paid.charge.id as string, amount: 5000 });
    const refundView = (await s.get(`/refunds/${refund.refund.id}`)).json();
    expect(refundView).toMatchObject({ canCreate: false, standaloneAllowed: false, reason: expect.stringMatching(/rejected.*fix and resend it first/) });
    expect((await s.post(`/refunds/${refund.refund.id}/credit-note`)).json().error).toBe('parent_rejected');

    // Nothing fixed yet: not resent, the panel says what to fix.
    const unchanged = (await s.post(`/documents/${created.id}/resend`)).json();
    expect(unchanged).toMatchObject({ status: 'rejected', problem: { kind: 'preflight', checks: [expect.objectContaining({ code: 'nothing_changed', message: expect.stringMatching(/BR-RO-120/) })] } });

    // The merchant adds the CUI to the client in Storno. A plain resubmit is judged on the frozen buyer: rejected again.
    await stornoApi('PATCH', `/api/v1/clients/${(await storno.getInvoice(created.stornoDocumentId)).client!.id}`, { cui: '18547290' });
    await storno.submitInvoice(created.stornoDocumentId);
    await world.storno.settle();
    expect((await storno.getInvoice(created.stornoDocumentId)).status).toBe('rejected');

    // Storno fails the upload of the fixed document: it waits at "issued", still owed (not settled), until Storno answers.
    const faults = `${world.storno.url}/__sandbox/faults`;
    const submitPath = `/api/v1/invoices/${created.stornoDocumentId}/submit`;
    await fetch(faults, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules: [{ path: submitPath, errorRate: 1, errorStatus: 503 }] }) });
    expect((await s.post(`/documents/${created.id}/resend`)).statusCode).toBe(503);
    const held = (await s.get(`/invoices/${paid.invoice.id}`)).json().document;
    expect(held).toMatchObject({ status: 'issued', obligation: { state: 'waiting_storno' } });
    expect(held.lastFix.changes).toContain('Buyer CUI: (none) → "18547290".');
    await fetch(faults, { method: 'DELETE' });

    const resent = (await s.post(`/documents/${created.id}/retry`)).json();
    expect(resent.status).toBe('sent_to_provider');
    await settle();
    view = (await s.get(`/invoices/${paid.invoice.id}`)).json();
    expect(view.document).toMatchObject({ status: 'validated', providerError: null, number: created.number });
    expect((await storno.getInvoice(created.stornoDocumentId)).buyerSnapshot).toMatchObject({ cui: '18547290' });

    // Now accepted: the credit note can be made.
    expect((await s.post(`/refunds/${refund.refund.id}/credit-note`)).statusCode).toBe(201);
  });

  it('a partial refund, then the rest, closes every VAT group exactly, net and VAT, on the documents Storno holds', async () => {
    const parentRes = await s.post(`/invoices/${DEMO.invoices.mixedInclusive}/einvoice`, { confirmLate: true });
    await settle();
    const parent = await storno.getInvoice(parentRes.json().stornoDocumentId);
    const first = await s.post(`/refunds/${DEMO.refunds.mixedPartial}/credit-note`, { confirmLate: true });
    expect(first.statusCode).toBe(201);
    const charge = (await world.stripe.get(DEMO.account, DEMO.invoicePayments.mixedInclusive.charge)) as unknown as { amount: number; amount_refunded: number };
    const rest = await world.stripe.createRefund({ account: DEMO.account, charge: DEMO.invoicePayments.mixedInclusive.charge, amount: charge.amount - charge.amount_refunded });
    const second = await s.post(`/refunds/${rest.refund.id}/credit-note`);
    expect(second.statusCode).toBe(201);
    const groups = (lines: { vatRate: string; lineTotal?: string; vatAmount?: string }[]) => {
      const out: Record<string, { net: string; vat: string }> = {};
      for (const l of lines) {
        const g = out[l.vatRate] ?? { net: '0.00', vat: '0.00' };
        out[l.vatRate] = { net: new Big(g.net).plus(new Big(l.lineTotal!).abs()).toFixed(2), vat: new Big(g.vat).plus(new Big(l.vatAmount!).abs()).toFixed(2) };
      }
      return out;
    };
    const notes = [await storno.getInvoice(first.json().stornoDocumentId), await storno.getInvoice(second.json().stornoDocumentId)];
    const credited: Record<string, { net: string; vat: string }> = {};
    for (const [rate, g] of notes.flatMap((n) => Object.entries(groups(n.lines)))) {
      const c = credited[rate] ?? { net: '0.00', vat: '0.00' };
      credited[rate] = { net: new Big(c.net).plus(g.net).toFixed(2), vat: new Big(c.vat).plus(g.vat).toFixed(2) };
    }
    expect(credited).toEqual(groups(parent.lines));
  });

  it('a refund has one document: a credit note and a standalone refund invoice can never both exist', async () => {
    const paid = await world.stripe.createPaidInvoice({ account: DEMO.account, customer: DEMO.customers.b2bCluj, lines: [{ description: 'Mentenanță', unitAmount: 10000, taxRate: DEMO.taxRates.vat21 }] });
    await s.post(`/invoices/${paid.invoice.id}/einvoice`);
    await settle();
    const refund = await world.stripe.createRefund({ account: DEMO.account, charge: paid.charge.id as string, amount: 2000 });
    const both = await Promise.all([s.post(`/refunds/${refund.refund.id}/credit-note`), s.post(`/refunds/${refund.refund.id}/credit-note`, { standalone: true })]);
    expect(new Set(both.map((r) => r.json().id)).size).toBe(1);
    const links = await world.app.db.prisma.documentLink.findMany({ where: { stripeObjectId: refund.refund.id } });
    expect(links).toHaveLength(1);
  });

  it('reconnecting the same Stripe account to the same company (A → B → A) keeps the links and idempotency keys', async () => {
    await s.post(`/invoices/${DEMO.invoices.eurDomestic}/einvoice`, { confirmLate: true }); // made here, or already by the first test
    const before = (await s.get(`/invoices/${DEMO.invoices.eurDomestic}`)).json().document;
    expect(before.stornoDocumentId).toBeTruthy();
    expect((await s.post('/disconnect')).statusCode).toBe(200);
    const onB = await connectDemo(world, { companyId: SANDBOX_SEED.companies.b.id });
    expect((await onB.get(`/invoices/${DEMO.invoices.eurDomestic}`)).json().document).toBeNull();
    expect((await onB.post('/disconnect')).statusCode).toBe(200);
    s = await connectDemo(world, { companyId: A.id });
    const back = (await s.get(`/invoices/${DEMO.invoices.eurDomestic}`)).json().document;
    expect(back).toMatchObject({ id: before.id, stornoDocumentId: before.stornoDocumentId });
    const again = await s.post(`/invoices/${DEMO.invoices.eurDomestic}/einvoice`, { confirmLate: true });
    expect(again.statusCode).toBe(200);
    expect(again.json().stornoDocumentId).toBe(before.stornoDocumentId);
  });
});
