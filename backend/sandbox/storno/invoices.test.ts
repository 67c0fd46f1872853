// Invoice fidelity: create rules and math (§3.1), idempotency (§6.4), lifecycle and transitions (§3.5/§3.6),
// numbering, list envelope, payments (§5.3).
import { SANDBOX_SEED } from './index.js';
import { COMPANY_B, kit, type Kit } from './testkit.js';

const S = SANDBOX_SEED;
let k: Kit;
beforeEach(async () => {
  k = await kit();
});
afterEach(async () => {
  await k.sandbox.close();
});

const line = (over: Record<string, unknown> = {}) => ({ description: 'Serviciu', quantity: '1', unitPrice: '100.00', ...over });

describe('create', () => {
  it('answers 201 {invoice, validation} with decimal strings, a DRAFT number and the seeded default series', async () => {
    const res = await k.call('POST', '/api/v1/invoices', { clientId: S.clients.roCompany.id, lines: [line()] });
    expect(res.status).toBe(201);
    expect(res.body.validation).toMatchObject({ valid: true, errors: [], schematronAvailable: false });
    const inv = res.body.invoice;
    expect(inv).toMatchObject({ status: 'draft', subtotal: '100.00', vatTotal: '21.00', total: '121.00', receiverName: 'Client Cluj SRL', receiverCif: '4221306' });
    expect(inv.number).toMatch(/^DRAFT-[0-9a-f]{8}$/);
    expect(inv.lines[0]).toMatchObject({ quantity: '1.0000', unitPrice: '100.00', vatRate: '21.00', vatCategoryCode: 'S', unitOfMeasure: 'buc' });
    expect(inv.documentSeries).toMatchObject({ id: S.companies.a.series.invoice, prefix: 'FACT', nextNumber: 'FACT0001' });
    expect(inv.issueDate).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\+0[23]:00$/);
  });

  it('rounds each line to 2 dp (half up) and sums the rounded lines, with discount and vatIncluded', async () => {
    const inv = await k.draft({
      lines: [
        line({ quantity: '3', unitPrice: '33.335', vatRate: '21.00' }), // price stored 33.34 → net 100.02, vat 21.0042 → 21.00
        line({ quantity: '2.5', unitPrice: '10.01', discount: '1.00', vatRate: '9.00' }), // 25.025-1 = 24.025 → 24.03, vat 2.1627 → 2.16
        line({ quantity: '1', unitPrice: '121.00', vatIncluded: true }), // gross 121 → net 100.00, vat 21.00
        line({ quantity: '1', unitPrice: '10.00', vatIncluded: true, vatRate: '11.00' }), // 10/1.11 = 9.009 → 9.01, vat 0.99
        line({ quantity: '-1', unitPrice: '0.05', vatRate: '21.00' }), // net -0.05, vat -0.0105 → -0.01 (away from zero)
      ],
    });
    expect(inv.lines.map((l: { lineTotal: string; vatAmount: string }) => [l.lineTotal, l.vatAmount])).toEqual([
      ['100.02', '21.00'],
      ['24.03', '2.16'],
      ['100.00', '21.00'],
      ['9.01', '0.99'],
      ['-0.05', '-0.01'],
    ]);
    expect(inv.lines[0].unitPrice).toBe('33.34');
    expect(inv).toMatchObject({ subtotal: '233.01', vatTotal: '45.14', total: '278.15', discount: '1.00' });
  });

  it('flags a vatRate that does not string-match an active company rate ("21" and 19) but still creates the draft', async () => {
    const res = await k.call('POST', '/api/v1/invoices', {
      clientId: S.clients.roCompany.id,
      dueDate: '2030-01-31',
      lines: [line({ vatRate: '21' }), line({ vatRate: 19 })],
    });
    expect(res.status).toBe(201);
    expect(res.body.validation.valid).toBe(false);
    expect(res.body.validation.errors.map((e: { location: string }) => e.location)).toEqual(['lines[0].vatRate', 'lines[1].vatRate']);
    // Stored with 2 dp: "21" becomes "21.00" (issue then passes for it), 19 stays a rate the company lacks.
    expect(res.body.invoice.lines.map((l: { vatRate: string }) => l.vatRate)).toEqual(['21.00', '19.00']);
    const issue = await k.call('POST', `/api/v1/invoices/${res.body.invoice.id}/issue`);
    expect(issue.status).toBe(422);
    expect(issue.body).toMatchObject({ valid: false, warnings: [] });
    expect(issue.body.errors).toHaveLength(1);
    expect(issue.body.errors[0].location).toBe('lines[1].vatRate');
  });

  it('applies the vatCategoryCode rules: S at 0 → Z, zero-rate code with a rate → S, zero-rate code alone → 0', async () => {
    const inv = await k.draft({
      lines: [line({ vatRate: '0.00' }), line({ vatCategoryCode: 'E', vatRate: '21.00' }), line({ vatCategoryCode: 'E' })],
    });
    expect(inv.lines.map((l: { vatCategoryCode: string; vatRate: string }) => `${l.vatCategoryCode}:${l.vatRate}`)).toEqual([
      'Z:0.00',
      'S:21.00',
      'E:0.00',
    ]);
  });

  it.each([
    [{ lines: [] }, 'At least one invoice line is required.'],
    [{ lines: [{ quantity: '1', unitPrice: '1' }] }, 'Line 0: description is required.'],
    [{ lines: [line(), line({ quantity: '0' })] }, 'Line 1: quantity must not be zero.'],
    [{ lines: [line({ unitPrice: '-1.00' })] }, 'Line 0: unitPrice must not be negative.'],
    [{ lines: [line()], invoiceTypeCode: '380' }, 'Invalid invoiceTypeCode'],
    [{ lines: [line()], invoiceTypeCode: '381' }, 'Invalid invoiceTypeCode'],
    [{ lines: [line()], issueDate: '2999-01-01' }, 'Issue date cannot be in the future.'],
  ])('400 {error} for %j', async (body, error) => {
    const res = await k.call('POST', '/api/v1/invoices', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error });
  });

  it('accepts negative quantities, the invoiceTypeCode words, and ignores the docs-only seriesId', async () => {
    const inv = await k.draft({ invoiceTypeCode: 'reverse_charge', seriesId: S.companies.a.series.export, lines: [line({ quantity: '-2' })] });
    expect(inv).toMatchObject({ invoiceTypeCode: 'reverse_charge', total: '-242.00', amountPaid: '-242.00', balance: '0.00' });
    expect(inv.documentSeries.prefix).toBe('FACT');
  });

  it('replays an idempotencyKey globally (even from another company) with the same 201 body and no second invoice', async () => {
    const first = await k.call('POST', '/api/v1/invoices', { idempotencyKey: 'app:ord_1', clientId: S.clients.roCompany.id, lines: [line()] });
    const again = await k.call(
      'POST',
      '/api/v1/invoices',
      { idempotencyKey: 'app:ord_1', clientId: S.clients.ofCompanyB.id, lines: [line({ unitPrice: '5.00' })] },
      { 'x-company': COMPANY_B },
    );
    expect(again.status).toBe(201);
    expect(again.body.invoice).toEqual(first.body.invoice);
    const listB = await k.call('GET', '/api/v1/invoices', undefined, { 'x-company': COMPANY_B });
    expect(listB.body.total).toBe(0);
  });

  it('fuzzy-dedupes a key-less body carrying clientId + currency + total onto a recent draft', async () => {
    const first = await k.draft({ currency: 'RON' });
    const again = await k.call('POST', '/api/v1/invoices', { clientId: S.clients.roCompany.id, currency: 'RON', total: '121.00', lines: [line()] });
    expect(again.body.invoice.id).toBe(first.id);
    const other = await k.call('POST', '/api/v1/invoices', { clientId: S.clients.roCompany.id, currency: 'RON', total: '99.00', lines: [line()] });
    expect(other.body.invoice.id).not.toBe(first.id);
  });

  it('drops an unknown parentDocumentId silently', async () => {
    const inv = await k.draft({ parentDocumentId: '0a5e0000-0000-4000-8000-0000deadbeef' });
    expect(inv.parentDocumentId).toBeNull();
  });

  it('402 PLAN_LIMIT past the monthly invoice limit', async () => {
    const small = await kit({ monthlyInvoiceLimit: 1 });
    try {
      await small.draft();
      const res = await small.call('POST', '/api/v1/invoices', { receiverName: 'X', lines: [line()] });
      expect(res.status).toBe(402);
      expect(res.body).toEqual({ error: 'Monthly invoice limit reached.', code: 'PLAN_LIMIT', limit: 1 });
    } finally {
      await small.sandbox.close();
    }
  });
});

describe('lifecycle', () => {
  it('numbers per series: FACT0001, FACT0002, EXP0001, STORNO0001', async () => {
    const a = await k.draft();
    const b = await k.draft({ dueDate: '2030-02-01' });
    const exp = await k.draft({ documentSeriesId: S.companies.a.series.export, dueDate: '2030-02-02' });
    const cn = await k.draft({ documentType: 'credit_note', dueDate: '2030-02-03' });
    const numbers = [];
    for (const inv of [a, b, exp, cn]) {
      const res = await k.call('POST', `/api/v1/invoices/${inv.id}/issue`);
      expect(res.status).toBe(200);
      numbers.push(res.body.number);
    }
    expect(numbers).toEqual(['FACT0001', 'FACT0002', 'EXP0001', 'STORNO0001']);
    const series = await k.call('GET', '/api/v1/document-series');
    const fact = series.body.data.find((s: { id: string }) => s.id === S.companies.a.series.invoice);
    expect(fact).toMatchObject({ currentNumber: 2, nextNumber: 'FACT0003' });
  });

  it('answers issue with {status, number, efacturaDelayHours, scheduledSendAt} and lists events newest first', async () => {
    const inv = await k.draft();
    const res = await k.call('POST', `/api/v1/invoices/${inv.id}/issue`);
    expect(res.body).toEqual({ status: 'issued', number: 'FACT0001', efacturaDelayHours: null, scheduledSendAt: null });
    const events = await k.call('GET', `/api/v1/invoices/${inv.id}/events`);
    expect(events.body.map((e: { newStatus: string }) => e.newStatus)).toEqual(['issued', 'draft']);
    expect(events.body[0]).toMatchObject({ previousStatus: 'draft', createdBy: S.users.demo.email });
  });

  it('a credit_note needs an active credit_note series at issue', async () => {
    await k.call('PATCH', `/api/v1/document-series/${S.companies.a.series.creditNote}`, { active: false });
    const cn = await k.draft({ documentType: 'credit_note' });
    expect(cn.documentSeries).toBeNull();
    const res = await k.call('POST', `/api/v1/invoices/${cn.id}/issue`);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/credit_note/);
  });

  it('issuing a child sets it to refund (auto-settled) and its parent to refunded; the parent lists refundInvoices', async () => {
    const parent = await k.draft();
    await k.call('POST', `/api/v1/invoices/${parent.id}/issue`);
    const child = await k.draft({ parentDocumentId: parent.id, lines: [line({ quantity: '-1' })] });
    expect(child.parentDocumentId).toBe(parent.id);
    const res = await k.call('POST', `/api/v1/invoices/${child.id}/issue`);
    expect(res.body).toMatchObject({ status: 'refund', number: 'FACT0002' });
    const p = await k.call('GET', `/api/v1/invoices/${parent.id}`);
    expect(p.body.status).toBe('refunded');
    expect(p.body.refundInvoices).toEqual([{ id: child.id, number: 'FACT0002', issueDate: child.issueDate, status: 'refund' }]);
    const c = await k.call('GET', `/api/v1/invoices/${child.id}`);
    expect(c.body).toMatchObject({ amountPaid: '-121.00', balance: '0.00', parentDocumentNumber: 'FACT0001' });
    expect(c.body.paidAt).not.toBeNull();
  });

  it('refuses illegal transitions with 422 {error}', async () => {
    const inv = await k.draft();
    expect((await k.call('POST', `/api/v1/invoices/${inv.id}/submit`)).status).toBe(422); // draft
    expect((await k.call('POST', `/api/v1/invoices/${inv.id}/restore`)).status).toBe(422); // not cancelled
    await k.call('POST', `/api/v1/invoices/${inv.id}/issue`);
    expect((await k.call('POST', `/api/v1/invoices/${inv.id}/issue`)).status).toBe(422); // issued twice
    expect((await k.call('DELETE', `/api/v1/invoices/${inv.id}`)).status).toBe(422); // issued
    await k.call('POST', `/api/v1/invoices/${inv.id}/submit`);
    const cancel = await k.call('POST', `/api/v1/invoices/${inv.id}/cancel`);
    expect(cancel.status).toBe(422);
    expect(typeof cancel.body.error).toBe('string');
    const put = await k.call('PUT', `/api/v1/invoices/${inv.id}`, { notes: 'x' });
    expect(put).toMatchObject({ status: 422, body: { error: 'Invoice is not editable.' } });
  });

  it('cancel → restore → re-issue takes a new number; delete a cancelled draft gives the last number back', async () => {
    const inv = await k.draft();
    await k.call('POST', `/api/v1/invoices/${inv.id}/issue`);
    const cancelled = await k.call('POST', `/api/v1/invoices/${inv.id}/cancel`, { reason: 'greșeală' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', number: 'FACT0001', cancellationReason: 'greșeală' });
    const restored = await k.call('POST', `/api/v1/invoices/${inv.id}/restore`);
    expect(restored.body.status).toBe('draft');
    expect((await k.call('POST', `/api/v1/invoices/${inv.id}/issue`)).body.number).toBe('FACT0002');
    await k.call('POST', `/api/v1/invoices/${inv.id}/cancel`);
    expect((await k.call('DELETE', `/api/v1/invoices/${inv.id}`)).status).toBe(204);
    expect((await k.call('GET', `/api/v1/invoices/${inv.id}`)).status).toBe(404);
    const next = await k.draft();
    expect((await k.call('POST', `/api/v1/invoices/${next.id}/issue`)).body.number).toBe('FACT0002');
  });

  it('PUT is partial, replaces lines, and is allowed on issued-but-not-uploaded invoices; bad invoiceTypeCode → 500', async () => {
    const inv = await k.draft({ notes: 'keep me' });
    await k.call('POST', `/api/v1/invoices/${inv.id}/issue`);
    const res = await k.call('PUT', `/api/v1/invoices/${inv.id}`, { lines: [line({ unitPrice: '200.00' })] });
    expect(res.status).toBe(200);
    expect(res.body.invoice).toMatchObject({ notes: 'keep me', total: '242.00', status: 'issued' });
    expect((await k.call('PUT', `/api/v1/invoices/${inv.id}`, { invoiceTypeCode: '380' })).status).toBe(500);
  });
});

describe('list', () => {
  it('clamps limit to 1..20 (default 10), filters, searches and totals', async () => {
    for (let i = 0; i < 22; i++) await k.draft({ notes: String(i), lines: [line({ unitPrice: String(i + 1) })] });
    await k.draft({ clientId: S.clients.ana.id });
    const def = await k.call('GET', '/api/v1/invoices');
    expect(def.body).toMatchObject({ total: 23, page: 1, limit: 10, currency: 'RON', distinctCurrencies: ['RON'] });
    expect(def.body.data).toHaveLength(10);
    expect(def.body).not.toHaveProperty('pages');
    expect((await k.call('GET', '/api/v1/invoices?limit=500')).body.data).toHaveLength(20);
    expect((await k.call('GET', '/api/v1/invoices?limit=0')).body.limit).toBe(1);
    expect((await k.call('GET', '/api/v1/invoices?limit=20&page=2')).body.data).toHaveLength(3);
    const search = await k.call('GET', '/api/v1/invoices?search=popescu');
    expect(search.body.total).toBe(1);
    expect(search.body.data[0].clientName).toBe('Ana Popescu');
    const byClient = await k.call('GET', `/api/v1/invoices?clientId=${S.clients.ana.id}&status=draft&direction=outgoing&type=invoice`);
    expect(byClient.body.total).toBe(1);
    const sorted = await k.call('GET', '/api/v1/invoices?sort=total&order=asc&limit=2');
    expect(sorted.body.data.map((i: { total: string }) => i.total)).toEqual(['1.21', '2.42']);
    expect((await k.call('GET', '/api/v1/invoices?status=bogus')).status).toBe(500);
    expect(def.body.totals.total).toBe((def.body.totals.subtotal * 1 + def.body.totals.vatTotal * 1).toFixed(2));
  });
});

describe('payments', () => {
  it('records string amounts up to the balance, updates amountPaid/balance/paidAt and never the status', async () => {
    const inv = await k.draft();
    await k.call('POST', `/api/v1/invoices/${inv.id}/issue`);
    const url = `/api/v1/invoices/${inv.id}/payments`;
    expect((await k.call('POST', url, { amount: '10.00' })).status).toBe(400); // paymentMethod required
    expect((await k.call('POST', url, { paymentMethod: 'card' })).status).toBe(400); // amount required
    expect((await k.call('POST', url, { amount: '0', paymentMethod: 'card' })).status).toBe(400);
    const over = await k.call('POST', url, { amount: '121.01', paymentMethod: 'card' });
    expect(over.status).toBe(422);
    const first = await k.call('POST', url, { amount: '21.00', paymentMethod: 'bank_transfer', reference: 'OP 12' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ amount: '21.00', currency: 'RON', paymentMethod: 'bank_transfer', reference: 'OP 12', isReconciled: false });
    let detail = (await k.call('GET', `/api/v1/invoices/${inv.id}`)).body;
    expect(detail).toMatchObject({ amountPaid: '21.00', balance: '100.00', paidAt: null, status: 'issued', payments: [] });
    await k.call('POST', url, { amount: '100.00', paymentMethod: 'card' });
    detail = (await k.call('GET', `/api/v1/invoices/${inv.id}`)).body;
    expect(detail).toMatchObject({ amountPaid: '121.00', balance: '0.00', status: 'issued' });
    expect(detail.paidAt).not.toBeNull();
    const list = await k.call('GET', url);
    expect(list.body.map((p: { amount: string }) => p.amount)).toEqual(['21.00', '100.00']);
  });
});
