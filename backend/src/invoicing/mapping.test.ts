import { MappingError, mapStripeInvoice, mapStripePayment, type MappingContext } from './mapping.js';
import { preflight } from './preflight.js';
import { fullRefund, partialRefund, standaloneRefundInvoice } from './refunds.js';
import { RATES, stripeInvoice, stripeLine, stripeTotal, ts } from '../../test/support/stripeInvoices.js';
import type { CustomerInput } from './types.js';

const ro: CustomerInput = { name: 'Demo SRL', address: { line1: 'Str. A 1', city: 'Cluj-Napoca', state: 'CJ', country: 'RO' }, taxIds: [{ type: 'eu_vat', value: 'RO4221306' }] };
const ctx = (over: Partial<MappingContext> = {}): MappingContext => ({ clientId: 'c', idempotencyKey: 'k', customer: ro, taxRates: RATES, ...over });

describe('mapStripeInvoice details', () => {
  it('dates: finalization day in Bucharest, due date, subscription period on the line', () => {
    const inv = stripeInvoice([{ unit: 10000, rate: 21, period: { start: ts('2026-10-31T22:00:00Z'), end: ts('2026-11-30T22:00:00Z') } }], {
      status_transitions: { finalized_at: ts('2026-11-30T22:15:00Z') },
      due_date: ts('2026-12-14T23:00:00Z'),
    });
    inv.lines.data[0].parent = { type: 'subscription_item_details', subscription_item_details: { proration: false } };
    const r = mapStripeInvoice(inv, ctx());
    expect(r.payload.issueDate).toBe('2026-12-01');
    expect(r.payload.dueDate).toBe('2026-12-15');
    expect(r.payload.lines[0].ublExtensions).toEqual({ invoicePeriod: { startDate: '2026-11-01', endDate: '2026-11-30' } });
    expect(r.payload.lines[0].lineNote).toBe('Perioada 2026-11-01 – 2026-11-30');
  });

  it('falls back to effective_at, then created, for the issue date', () => {
    expect(mapStripeInvoice(stripeInvoice([{ unit: 100, rate: 21 }], { status_transitions: null, effective_at: ts('2026-07-31T21:30:00Z') }), ctx()).payload.issueDate).toBe('2026-08-01');
    expect(mapStripeInvoice(stripeInvoice([{ unit: 100, rate: 21 }], { status_transitions: { finalized_at: null }, created: ts('2026-03-01T10:00:00Z') }), ctx()).payload.issueDate).toBe('2026-03-01');
  });

  it('keeps a decimal quantity when quantity × price is exact, folds it into one unit otherwise', () => {
    const exact = stripeLine({ unit: 1000, rate: 21 });
    Object.assign(exact, { amount: 1500, quantity: 1, quantity_decimal: '1.5', taxes: [{ ...exact.taxes![0], amount: 315, taxable_amount: 1500 }] });
    const odd = stripeLine({ unit: 1000, rate: 21 }, 1);
    Object.assign(odd, { amount: 1000, quantity: 3, quantity_decimal: '3', pricing: { unit_amount_decimal: '333.3333333' } });
    const inv = stripeInvoice([]);
    inv.lines.data = [exact, odd];
    inv.total = stripeTotal(inv.lines.data);
    const r = mapStripeInvoice(inv, ctx());
    expect(r.payload.lines[0]).toMatchObject({ quantity: '1.5000', unitPrice: '10.00' });
    expect(r.payload.lines[1]).toMatchObject({ quantity: '1.0000', unitPrice: '10.00', description: 'Item 2 (3 × 3.333333333)' });
    expect(r.notes.some((n) => n.includes('folded'))).toBe(true);
    expect(r.mismatch).toBeNull();
  });

  it('infers a rate missing from the table from Stripe\'s own amounts, and refuses when it cannot', () => {
    const inv = stripeInvoice([{ unit: 10000, rate: 11, taxRateId: 'txr_unknown' }]);
    expect(mapStripeInvoice(inv, ctx({ taxRates: {} })).payload.lines[0].vatRate).toBe('11.00');
    const weird = stripeInvoice([{ unit: 10000, rate: 17, taxRateId: 'txr_17' }]);
    expect(() => mapStripeInvoice(weird, ctx({ taxRates: {} }))).toThrow(MappingError);
    // A percentage that was never a Romanian VAT rate is refused even when the table knows it.
    expect(() => mapStripeInvoice(weird, ctx({ taxRates: { txr_17: '17' } }))).toThrow(/txr_17 charges 17 %/);
  });

  it('export outside the EU → G at 0.00', () => {
    const us: CustomerInput = { name: 'Acme Inc', address: { line1: '1 Main St', city: 'Austin', state: 'TX', country: 'US' }, taxIds: [{ type: 'us_ein', value: '12-3456789' }] };
    const r = mapStripeInvoice(stripeInvoice([{ unit: 20000, taxabilityReason: 'not_collecting' }], { currency: 'usd' }), ctx({ customer: us }));
    expect(r.payload.lines[0]).toMatchObject({ vatCategoryCode: 'G', vatRate: '0.00' });
    expect(r.payload.invoiceTypeCode).toBeUndefined();
    expect(preflight({ customer: us, currency: 'USD', lines: r.payload.lines })).toEqual([]);
  });

  it('a domestic line Stripe did not tax stays S 0% so pre-flight blocks it', () => {
    const r = mapStripeInvoice(stripeInvoice([{ unit: 10000 }]), ctx());
    expect(r.payload.lines[0]).toMatchObject({ vatCategoryCode: 'S', vatRate: '0.00' });
    expect(preflight({ customer: ro, currency: 'RON', lines: r.payload.lines }).map((c) => c.code)).toEqual(['zero_rate_standard']);
  });

  it('JPY exclusive: Storno VAT in sen differs from Stripe whole-yen tax → mismatch flagged, not hidden', () => {
    const r = mapStripeInvoice(stripeInvoice([{ unit: 999, rate: 21 }], { currency: 'jpy' }), ctx());
    expect(r.payload.lines[0]).toMatchObject({ unitPrice: '999.00' });
    expect(r.stripeTotal).toBe('1209.00');
    expect(r.mismatch).toEqual({ expected: '1209.00', actual: '1208.79', difference: '-0.21', currency: 'JPY' });
  });

  it('JPY inclusive keeps the yen total', () => {
    const r = mapStripeInvoice(stripeInvoice([{ unit: 1000, quantity: 3, rate: 21, inclusive: true }], { currency: 'jpy' }), ctx());
    expect(r.payload.lines[0]).toMatchObject({ quantity: '3.0000', unitPrice: '1000.00', vatIncluded: true });
    expect(r.expected.total).toBe('3000.00');
    expect(r.mismatch).toBeNull();
  });

  it('a shipping or other amount the lines do not explain shows up as a mismatch', () => {
    const inv = stripeInvoice([{ unit: 10000, rate: 21 }]);
    inv.total += 1500;
    expect(mapStripeInvoice(inv, ctx()).mismatch).toMatchObject({ expected: '136.00', actual: '121.00', difference: '-15.00' });
  });
});

describe('mapStripePayment with a Checkout Session', () => {
  const base = { id: 'pi_1', currency: 'ron', created: ts('2026-11-03T10:00:00Z') };
  it('uses line items, their taxes and discounts', () => {
    const r = mapStripePayment(
      {
        ...base,
        amount: 22990,
        checkoutLineItems: [
          { description: 'Curs online', quantity: 2, amount_subtotal: 20000, amount_discount: 2000, amount_tax: 3780, amount_total: 21780, price: { unit_amount: 10000 }, taxes: [{ amount: 3780, rate: { percentage: 21, inclusive: false }, taxable_amount: 18000 }] },
          { description: 'Carte', quantity: 1, amount_subtotal: 1210, amount_discount: 0, amount_tax: 120, amount_total: 1210, price: { unit_amount: 1210 }, taxes: [{ amount: 120, rate: { percentage: 11, inclusive: true }, taxable_amount: 1090 }] },
        ],
      },
      { ...ctx(), defaultVatRate: '21.00' },
    );
    expect(r.payload.lines[0]).toMatchObject({ quantity: '2.0000', unitPrice: '100.00', discount: '20.00', vatRate: '21.00', vatIncluded: false });
    expect(r.payload.lines[1]).toMatchObject({ quantity: '1.0000', unitPrice: '12.10', vatRate: '11.00', vatIncluded: true });
    expect(r.expected).toEqual({ subtotal: '190.90', vatTotal: '39.00', total: '229.90' });
    expect(r.stripeTaxTotal).toBe('39.00');
    expect(r.mismatch).toBeNull();
    expect(r.payload.notes).toBe('Plată Stripe pi_1');
  });
  it('without tax details uses the default rate on the gross', () => {
    const r = mapStripePayment({ ...base, amount: 5000, checkoutLineItems: [{ description: 'Donație', quantity: 1, amount_subtotal: 5000, amount_total: 5000 }] }, { ...ctx(), defaultVatRate: '11' });
    expect(r.payload.lines[0]).toMatchObject({ unitPrice: '50.00', vatRate: '11.00', vatIncluded: true });
    expect(r.expected).toEqual({ subtotal: '45.05', vatTotal: '4.95', total: '50.00' });
  });
});

describe('refund edge cases', () => {
  const parent = {
    id: 'p', number: 'FCT-9', currency: 'RON',
    lines: [{ description: 'Plan', quantity: '1.0000', unitPrice: '100.00', vatRate: '21.00', vatCategoryCode: 'S', vatIncluded: false, discount: '20.00', lineTotal: '80.00', vatAmount: '16.80' }],
  };
  const rctx = { clientId: 'c', idempotencyKey: 'k', issueDate: '2026-11-10', refundId: 're_1' };
  it('reverses a discounted line as −1 × net (no negative discount)', () => {
    const r = fullRefund(parent, rctx);
    expect(r.payload.lines[0]).toMatchObject({ quantity: '-1.0000', unitPrice: '80.00', vatIncluded: false });
    expect(r.payload.lines[0].discount).toBeUndefined();
    expect(r.expected).toEqual({ subtotal: '-80.00', vatTotal: '-16.80', total: '-96.80' });
    expect(r.payload.notes).toBe('Stornare factura FCT-9 (Stripe re_1)');
  });
  it('refuses a refund larger than the invoice and a second full refund', () => {
    expect(() => partialRefund(parent, 9681, rctx)).toThrow(/exceeds/);
    const full = fullRefund(parent, rctx);
    expect(() => fullRefund(parent, rctx, full.credited)).toThrow(/already fully refunded/);
  });
  it('standalone negative invoice: no parent, −1 × gross, tax-inclusive', () => {
    const r = standaloneRefundInvoice({ clientId: 'c', idempotencyKey: 'k', issueDate: '2026-11-10', currency: 'ron', amountMinor: 3000, vatRate: '21', refundId: 're_2' });
    expect(r.payload.parentDocumentId).toBeUndefined();
    expect(r.payload.lines).toEqual([expect.objectContaining({ quantity: '-1.0000', unitPrice: '30.00', vatIncluded: true, vatRate: '21.00' })]);
    expect(r.expected).toEqual({ subtotal: '-24.79', vatTotal: '-5.21', total: '-30.00' });
  });
});
