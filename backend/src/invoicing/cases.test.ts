// efactura-facts.md §8 test cases at the Storno API level: payload lines, VAT groups, totals, buyer.
import Big from 'big.js';
import { clientProposal, matchClient } from './matching.js';
import { mapStripeInvoice, mapStripePayment, stornoLineAmounts, type MappingContext } from './mapping.js';
import { preflight } from './preflight.js';
import { fullRefund, partialRefund, type ParentDocument } from './refunds.js';
import { RATES, stripeInvoice, ts } from '../../test/support/stripeInvoices.js';
import type { CustomerInput, StornoLineInput } from './types.js';

const cluj = { line1: 'Str. Memorandumului 28', city: 'Cluj-Napoca', state: 'Cluj', postal_code: '400114', country: 'RO' };
const roCompany: CustomerInput = {
  name: 'Demo Software S.R.L.',
  email: 'contabilitate@demo.ro',
  address: cluj,
  taxIds: [{ type: 'eu_vat', value: 'RO4221306', verification: { status: 'verified' } }],
};
const ctx = (customer: CustomerInput, extra: Partial<MappingContext> = {}): MappingContext => ({
  clientId: 'cli-1',
  idempotencyKey: 'storno-stripe:co-1:in_test',
  customer,
  taxRates: RATES,
  ...extra,
});

/** VAT groups (category + integer rate → net, vat) as Storno computes them. */
function groups(lines: readonly StornoLineInput[]) {
  const out: Record<string, { net: Big; vat: Big }> = {};
  for (const l of lines) {
    const a = stornoLineAmounts(l);
    const k = `${l.vatCategoryCode}${new Big(l.vatRate).toString()}`;
    const prev = out[k] ?? { net: new Big(0), vat: new Big(0) };
    out[k] = { net: prev.net.plus(a.net), vat: prev.vat.plus(a.vat) };
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { net: v.net.toFixed(2), vat: v.vat.toFixed(2) }]));
}

describe('§8 case 1 — domestic B2B', () => {
  const inv = stripeInvoice([{ description: 'Abonament SaaS noiembrie', unit: 10000, rate: 21 }]);
  const r = mapStripeInvoice(inv, ctx(roCompany));

  it('maps one S 21% line, 100.00 / 21.00 / 121.00, no mismatch', () => {
    expect(r.payload.lines).toEqual([
      expect.objectContaining({ description: 'Abonament SaaS noiembrie', quantity: '1.0000', unitPrice: '100.00', vatRate: '21.00', vatCategoryCode: 'S', vatIncluded: false }),
    ]);
    expect(r.expected).toEqual({ subtotal: '100.00', vatTotal: '21.00', total: '121.00' });
    expect(r.stripeTotal).toBe('121.00');
    expect(r.mismatch).toBeNull();
    expect(r.payload).toMatchObject({ clientId: 'cli-1', currency: 'RON', paymentMethod: 'card', documentType: 'invoice', issueDate: '2026-11-03', notes: 'Factura Stripe ABCD-0001', idempotencyKey: 'storno-stripe:co-1:in_test' });
    expect(r.payload.invoiceTypeCode).toBeUndefined();
    expect(r.payload.exchangeRate).toBeUndefined();
  });

  it('proposes the buyer with CIF digits in cui, RO code in vatCode, county RO-CJ', () => {
    expect(clientProposal(roCompany)).toMatchObject({ type: 'company', cui: '4221306', vatCode: 'RO4221306', isVatPayer: true, country: 'RO', county: 'RO-CJ', city: 'Cluj-Napoca' });
    expect(preflight({ customer: roCompany, currency: 'ron', lines: r.payload.lines })).toEqual([]);
  });
});

describe('§8 case 2 — Bucharest buyer', () => {
  it('sends county RO-B and city SECTOR3', () => {
    const c: CustomerInput = { ...roCompany, address: { line1: 'Str. X 5, Sector 3', city: 'București', country: 'RO' } };
    expect(clientProposal(c)).toMatchObject({ county: 'RO-B', city: 'SECTOR3', address: 'Str. X 5, Sector 3' });
    expect(preflight({ customer: c, currency: 'RON' })).toEqual([]);
  });
  it('blocks a Bucharest address with no derivable sector', () => {
    const c: CustomerInput = { ...roCompany, address: { line1: 'Str. X 5', city: 'Bucuresti', country: 'RO' } };
    expect(preflight({ customer: c, currency: 'RON' }).map((x) => x.code)).toEqual(['bucharest_sector_missing']);
  });
});

describe('§8 case 3 — county normalization', () => {
  it.each(['Județul Iași', 'iasi', 'IS'])('%s → RO-IS', (state) => {
    expect(clientProposal({ ...roCompany, address: { ...cluj, city: 'Iași', state } }).county).toBe('RO-IS');
  });
  it('blocks "Transilvania"', () => {
    const checks = preflight({ customer: { ...roCompany, address: { ...cluj, state: 'Transilvania' } }, currency: 'RON' });
    expect(checks.map((x) => x.code)).toEqual(['buyer_county_unknown']);
    expect(checks[0].message).toContain('"Transilvania"');
  });
});

describe('§8 case 4 — B2C without identifier, payment without invoice', () => {
  const consumer: CustomerInput = { name: 'Ion Popescu', email: 'ion@example.ro', address: { line1: 'Str. Lungă 1', city: 'Brașov', state: 'Brasov', country: 'RO' } };
  const r = mapStripePayment(
    { id: 'pi_1', amount: 12100, currency: 'ron', created: ts('2026-11-03T10:00:00Z'), description: 'Consultanță' },
    { ...ctx(consumer), defaultVatRate: '21.00' },
  );
  it('one tax-inclusive line at the default rate: net 100.00, VAT 21.00', () => {
    expect(r.payload.lines).toEqual([expect.objectContaining({ description: 'Consultanță', quantity: '1.0000', unitPrice: '121.00', vatRate: '21.00', vatIncluded: true, vatCategoryCode: 'S' })]);
    expect(r.expected).toEqual({ subtotal: '100.00', vatTotal: '21.00', total: '121.00' });
    expect(r.mismatch).toBeNull();
  });
  it('proposes an individual without any identifier (Storno/UBL uses the 13-zero placeholder)', () => {
    const p = clientProposal(consumer);
    expect(p).toMatchObject({ type: 'individual', country: 'RO', county: 'RO-BV' });
    expect(p.cui).toBeUndefined();
    expect(p.cnp).toBeUndefined();
    expect(preflight({ customer: consumer, currency: 'RON', lines: r.payload.lines })).toEqual([]);
  });
});

describe('§8 case 5 — B2C with ro_tin', () => {
  const base: CustomerInput = { name: 'Maria Ionescu', address: { line1: 'Bd. Eroilor 2', city: 'Cluj-Napoca', state: 'CJ', country: 'RO' } };
  it('valid CNP goes to cnp', () => {
    const c = { ...base, taxIds: [{ type: 'ro_tin', value: '1960523123457' }] };
    expect(clientProposal(c)).toMatchObject({ type: 'individual', cnp: '1960523123457' });
    expect(preflight({ customer: c, currency: 'RON' })).toEqual([]);
  });
  it('CNP with a bad check digit is blocked, without echoing the whole CNP', () => {
    const checks = preflight({ customer: { ...base, taxIds: [{ type: 'ro_tin', value: '1960523123458' }] }, currency: 'RON' });
    expect(checks.map((x) => x.code)).toEqual(['buyer_cnp_invalid']);
    expect(checks[0].message).not.toContain('1960523123458');
  });
});

describe('§8 case 6 — B2C without street/city', () => {
  it('blocks locally', () => {
    const c: CustomerInput = { name: 'Ana', address: { postal_code: '010101', country: 'RO' } };
    expect(preflight({ customer: c, currency: 'RON' }).map((x) => x.code)).toContain('b2c_address_missing');
  });
});

describe('§8 case 7 — EUR reverse charge', () => {
  const de: CustomerInput = {
    name: 'Beispiel GmbH',
    address: { line1: 'Hauptstr. 1', city: 'Berlin', postal_code: '10115', country: 'DE' },
    taxIds: [{ type: 'eu_vat', value: 'DE123456789', verification: { status: 'verified' } }],
    taxExempt: 'reverse',
  };
  const inv = stripeInvoice([{ description: 'SaaS', unit: 50000, taxabilityReason: 'reverse_charge' }], { currency: 'eur', customer_tax_exempt: 'reverse' });
  const r = mapStripeInvoice(inv, ctx(de, { exchangeRate: '5.09' }));
  it('AE 0% line, reverse_charge type, 500.00 EUR, exchange rate at 4 dp', () => {
    expect(r.payload.lines[0]).toMatchObject({ vatCategoryCode: 'AE', vatRate: '0.00', unitPrice: '500.00' });
    expect(r.payload).toMatchObject({ invoiceTypeCode: 'reverse_charge', currency: 'EUR', exchangeRate: '5.0900' });
    expect(r.payload.mentions).toContain('Taxare inversă');
    expect(r.expected).toEqual({ subtotal: '500.00', vatTotal: '0.00', total: '500.00' });
    expect(r.mismatch).toBeNull();
  });
  it('buyer keeps its DE VAT code; country from the address', () => {
    expect(clientProposal(de)).toMatchObject({ type: 'company', cui: 'DE123456789', vatCode: 'DE123456789', country: 'DE', isVatPayer: true });
    expect(preflight({ customer: de, currency: 'EUR', lines: r.payload.lines })).toEqual([]);
  });
});

describe('§8 case 8 — EUR domestic', () => {
  it('21% in EUR with the stored BNR rate', () => {
    const r = mapStripeInvoice(stripeInvoice([{ unit: 10000, rate: 21 }], { currency: 'eur' }), ctx(roCompany, { exchangeRate: '5.0900' }));
    expect(r.expected).toEqual({ subtotal: '100.00', vatTotal: '21.00', total: '121.00' });
    expect(r.payload.exchangeRate).toBe('5.0900');
  });
});

describe('§8 case 9 — seller not a VAT payer', () => {
  it('every line O at 0.00 with the art. 310 mention', () => {
    const r = mapStripeInvoice(stripeInvoice([{ unit: 15000 }, { unit: 5000 }]), ctx(roCompany, { sellerVatPayer: false }));
    expect(r.payload.lines.map((l) => [l.vatCategoryCode, l.vatRate])).toEqual([['O', '0.00'], ['O', '0.00']]);
    expect(r.payload.mentions).toContain('art. 310');
    expect(r.expected).toEqual({ subtotal: '200.00', vatTotal: '0.00', total: '200.00' });
    expect(preflight({ customer: roCompany, currency: 'RON', lines: r.payload.lines })).toEqual([]);
  });
});

describe('§8 case 10 — mixed rates', () => {
  it('two VAT groups, VAT 25.40, total 165.40', () => {
    const r = mapStripeInvoice(stripeInvoice([{ description: 'Abonament', unit: 10000, rate: 21 }, { description: 'E-book', unit: 4000, rate: 11 }]), ctx(roCompany));
    expect(groups(r.payload.lines)).toEqual({ S21: { net: '100.00', vat: '21.00' }, S11: { net: '40.00', vat: '4.40' } });
    expect(r.expected).toEqual({ subtotal: '140.00', vatTotal: '25.40', total: '165.40' });
    expect(r.mismatch).toBeNull();
  });
});

describe('§8 case 11 — inclusive-price drift', () => {
  it('three 9.99 inclusive lines mirror Stripe: nets 8.26 ×3, VAT 5.19, total 29.97', () => {
    const r = mapStripeInvoice(stripeInvoice([1, 2, 3].map(() => ({ unit: 999, rate: 21, inclusive: true }))), ctx(roCompany));
    expect(r.payload.lines.every((l) => l.vatIncluded && l.unitPrice === '9.99')).toBe(true);
    expect(r.expected).toEqual({ subtotal: '24.78', vatTotal: '5.19', total: '29.97' });
    expect(r.stripeTaxTotal).toBe('5.19');
    expect(r.vatDrift).toBe('0.00');
    expect(r.mismatch).toBeNull();
  });
  it('one line 3 × 9.99 inclusive keeps the quantity: VAT 5.20 on the gross, total 29.97', () => {
    const r = mapStripeInvoice(stripeInvoice([{ unit: 999, quantity: 3, rate: 21, inclusive: true }]), ctx(roCompany));
    expect(r.payload.lines[0]).toMatchObject({ quantity: '3.0000', unitPrice: '9.99', vatIncluded: true });
    expect(r.expected).toEqual({ subtotal: '24.77', vatTotal: '5.20', total: '29.97' });
    expect(r.mismatch).toBeNull();
  });
});

describe('§8 case 12 — exclusive-price drift', () => {
  it('three exclusive 8.26 lines: per-line VAT 1.73 as Stripe, total 29.97', () => {
    const r = mapStripeInvoice(stripeInvoice([1, 2, 3].map(() => ({ unit: 826, rate: 21 }))), ctx(roCompany));
    expect(r.expected).toEqual({ subtotal: '24.78', vatTotal: '5.19', total: '29.97' });
    expect(r.mismatch).toBeNull();
  });
});

describe('§8 case 13 — coupon', () => {
  it('20% off 100.00: price 100.00, discount 20.00, net 80.00, VAT 16.80, total 96.80', () => {
    const r = mapStripeInvoice(stripeInvoice([{ unit: 10000, rate: 21, discount: 2000 }]), ctx(roCompany));
    expect(r.payload.lines[0]).toMatchObject({ quantity: '1.0000', unitPrice: '100.00', discount: '20.00' });
    expect(r.expected).toEqual({ subtotal: '80.00', vatTotal: '16.80', total: '96.80' });
    expect(r.mismatch).toBeNull();
  });
});

describe('§8 case 14 — proration', () => {
  const long = 'Unused time on Professional Plan (with 5 seats and the premium analytics add-on) after 15 Nov 2026 until 30 Nov 2026';
  const inv = stripeInvoice([
    { description: 'Remaining time on Enterprise Plan after 15 Nov 2026', unit: 5000, rate: 21, proration: true },
    { description: long, unit: -3000, rate: 21, proration: true },
  ]);
  const r = mapStripeInvoice(inv, ctx(roCompany));
  it('credit line is −1 × 30.00; BT-106 20.00, VAT 4.20, total 24.20', () => {
    expect(r.payload.lines[1]).toMatchObject({ quantity: '-1.0000', unitPrice: '30.00', vatRate: '21.00' });
    expect(r.expected).toEqual({ subtotal: '20.00', vatTotal: '4.20', total: '24.20' });
    expect(r.mismatch).toBeNull();
    expect(r.payload.lines.every((l) => !l.unitPrice.startsWith('-'))).toBe(true);
  });
  it('item names are cut to 100 chars, the full text goes to lineNote', () => {
    expect(long.length).toBeGreaterThan(100);
    expect(r.payload.lines[1].description.length).toBeLessThanOrEqual(100);
    expect(r.payload.lines[1].lineNote).toContain(long);
  });
});

const fct42: ParentDocument = {
  id: 'doc-42',
  number: 'FCT-0042',
  issueDate: '2026-11-03',
  currency: 'RON',
  lines: [{ description: 'Abonament SaaS', quantity: '1.0000', unitPrice: '100.00', vatRate: '21.00', vatCategoryCode: 'S', vatIncluded: false, lineTotal: '100.00', vatAmount: '21.00' }],
};
const rctx = { clientId: 'cli-1', idempotencyKey: 'k', issueDate: '2026-11-10' };

describe('§8 case 15 — full refund', () => {
  it('storno 380: qty −1, price 100.00 → −100.00 / −21.00 / −121.00, parent referenced', () => {
    const r = fullRefund(fct42, rctx);
    expect(r.payload).toMatchObject({ parentDocumentId: 'doc-42', documentType: 'invoice', idempotencyKey: 'k' });
    expect(r.payload.lines).toEqual([expect.objectContaining({ quantity: '-1.0000', unitPrice: '100.00', vatRate: '21.00' })]);
    expect(r.expected).toEqual({ subtotal: '-100.00', vatTotal: '-21.00', total: '-121.00' });
    expect(r.payload.notes).toContain('FCT-0042 din 2026-11-03');
  });
});

describe('§8 case 16 — partial refund 30.00', () => {
  it('VAT 5.21, net 24.79', () => {
    const r = partialRefund(fct42, 3000, rctx);
    // Sent as net with Storno's VAT on it (never a gross Storno re-splits).
    expect(r.payload.lines).toEqual([expect.objectContaining({ description: 'Rambursare parțială factura FCT-0042 din 2026-11-03', quantity: '-1.0000', unitPrice: '24.79', vatIncluded: false })]);
    expect(r.expected).toEqual({ subtotal: '-24.79', vatTotal: '-5.21', total: '-30.00' });
    expect(r.remainingAfter).toBe('91.00');
  });
});

describe('§8 case 17 — partial refund over a mixed invoice', () => {
  it('50.00 → 34.28 @21% (5.95/28.33) + 15.72 @11% (1.56/14.16)', () => {
    const mixed: ParentDocument = {
      ...fct42,
      lines: [
        { description: 'SaaS', quantity: '1.0000', unitPrice: '121.00', vatRate: '21.00', vatCategoryCode: 'S', vatIncluded: true, lineTotal: '100.00', vatAmount: '21.00' },
        { description: 'Carte', quantity: '1.0000', unitPrice: '55.50', vatRate: '11.00', vatCategoryCode: 'S', vatIncluded: true, lineTotal: '50.00', vatAmount: '5.50' },
      ],
    };
    const r = partialRefund(mixed, 5000, rctx);
    expect(r.payload.lines.map((l) => [l.unitPrice, l.vatRate])).toEqual([['28.33', '21.00'], ['14.16', '11.00']]);
    expect(groups(r.payload.lines)).toEqual({ S21: { net: '-28.33', vat: '-5.95' }, S11: { net: '-14.16', vat: '-1.56' } });
    expect(r.expected.total).toBe('-50.00');
  });
});

describe('§8 case 18 — refund of a pre-August-2025 invoice', () => {
  it('keeps 19%', () => {
    const old: ParentDocument = { ...fct42, issueDate: '2025-07-20', lines: [{ ...fct42.lines[0], vatRate: '19.00', vatAmount: '19.00' }] };
    expect(fullRefund(old, rctx).payload.lines[0].vatRate).toBe('19.00');
    expect(fullRefund(old, rctx).expected.vatTotal).toBe('-19.00');
    expect(partialRefund(old, 1190, rctx).payload.lines[0]).toMatchObject({ vatRate: '19.00', unitPrice: '10.00' });
    expect(partialRefund(old, 1190, rctx).expected).toEqual({ subtotal: '-10.00', vatTotal: '-1.90', total: '-11.90' });
  });
});

describe('§8 case 19/20 — EUR refunds', () => {
  it('refund of the reverse-charge invoice stays AE 0% with the reverse_charge type', () => {
    const rc: ParentDocument = { id: 'doc-7', number: 'FCT-0007', currency: 'EUR', lines: [{ description: 'SaaS', quantity: '1.0000', unitPrice: '500.00', vatRate: '0.00', vatCategoryCode: 'AE', vatIncluded: false, lineTotal: '500.00', vatAmount: '0.00' }] };
    const r = fullRefund(rc, rctx);
    expect(r.payload).toMatchObject({ currency: 'EUR', invoiceTypeCode: 'reverse_charge' });
    expect(r.payload.lines[0]).toMatchObject({ vatCategoryCode: 'AE', vatRate: '0.00' });
    expect(r.expected.total).toBe('-500.00');
  });
  it('EUR domestic partial refund of 24.20 gross → 20.00 net + 4.20 VAT', () => {
    const eur: ParentDocument = { ...fct42, currency: 'EUR' };
    expect(partialRefund(eur, 2420, rctx).expected).toEqual({ subtotal: '-20.00', vatTotal: '-4.20', total: '-24.20' });
  });
});

describe('§8 case 24 — local pre-flight rejections', () => {
  const line = (over: Partial<StornoLineInput>): StornoLineInput => ({ description: 'x', quantity: '1.0000', unitPrice: '10.00', vatRate: '21.00', vatCategoryCode: 'S', vatIncluded: false, ...over });
  const codes = (over: Parameters<typeof preflight>[0]) => preflight(over).map((c) => c.code);
  it('an amount with 3 decimals', () => {
    expect(codes({ customer: roCompany, currency: 'RON', lines: [line({ unitPrice: '10.005' })] })).toEqual(['amount_precision']);
  });
  it('CUI 12345678 (bad check digit) with an actionable message', () => {
    const c = preflight({ customer: { ...roCompany, taxIds: [{ type: 'ro_tin', value: '12345678' }] }, currency: 'RON' });
    expect(c).toEqual([{ code: 'buyer_cif_invalid', message: "The customer's CIF 12345678 fails the check digit; correct the tax ID in Stripe.", params: { cif: '12345678' } }]);
  });
  it('S line at 0%', () => {
    expect(codes({ customer: roCompany, currency: 'RON', lines: [line({ vatRate: '0.00' })] })).toEqual(['zero_rate_standard']);
  });
  it('O mixed with S', () => {
    expect(codes({ customer: roCompany, currency: 'RON', lines: [line({}), line({ vatCategoryCode: 'O', vatRate: '0.00' })] })).toEqual(['vat_category_o_mixed']);
  });
  it('a currency without a BNR rate', () => {
    expect(codes({ customer: roCompany, currency: 'xaf' })).toEqual(['currency_unsupported']);
    expect(codes({ customer: roCompany, currency: 'usd' })).toEqual([]);
  });
});

describe('customer matching in the §8 setting', () => {
  it('finds the ANAF-synced client by CIF even when Stripe has RO and Storno has digits', () => {
    expect(matchClient(roCompany, [{ id: 'x', name: 'Alta SRL', cui: '18547290' }, { id: 'y', name: 'DEMO SOFTWARE SRL', cui: '4221306' }])).toEqual({ clientId: 'y', matchedBy: 'ro_cif' });
  });
});
