// Property tests over generated Stripe invoices and refund series.
import Big from 'big.js';
import fc from 'fast-check';
import { mapStripeInvoice, stornoLineAmounts, type MappingContext } from './mapping.js';
import { minorToMajor } from './money.js';
import { fullRefund, partialRefund, RefundError, type CreditedGroup, type ParentDocument } from './refunds.js';
import { RATES, stripeInvoice, type LineSpec } from '../../test/support/stripeInvoices.js';
import type { MappingResult, StornoLineInput } from './types.js';

const customer = { name: 'Demo SRL', address: { line1: 'Str. A 1', city: 'Cluj-Napoca', state: 'CJ', country: 'RO' }, taxIds: [{ type: 'eu_vat', value: 'RO4221306' }] };
const ctx: MappingContext = { clientId: 'c', idempotencyKey: 'k', customer, taxRates: RATES };

const currencyArb = fc.constantFrom('ron', 'eur', 'huf', 'jpy');

function lineArb(currency: string, inclusive: boolean | null): fc.Arbitrary<LineSpec> {
  const maxUnit = currency === 'jpy' ? 200_000 : 2_000_000;
  return fc
    .record({
      unit: fc.integer({ min: 0, max: maxUnit }),
      quantity: fc.integer({ min: 1, max: 12 }),
      rate: fc.constantFrom(21, 11, 0),
      inclusive: inclusive === null ? fc.boolean() : fc.constant(inclusive),
      couponPercent: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
      credit: fc.boolean(),
      description: fc.string({ maxLength: 140 }),
    })
    .map(({ unit, quantity, rate, inclusive: incl, couponPercent, credit, description }) => {
      const amount = unit * quantity;
      if (credit && unit > 0) {
        // Stripe proration credit: negative amount, quantity 1, no coupon
        return { unit: -amount, quantity: 1, rate, inclusive: incl, proration: true, description: `Unused time ${description}` };
      }
      const discount = Math.floor((amount * couponPercent) / 100);
      return { unit, quantity, rate, inclusive: incl, discount, description: description.trim() || 'Plan' };
    });
}

const invoiceArb = (inclusive: boolean | null) =>
  currencyArb.chain((currency) =>
    fc.array(lineArb(currency, inclusive), { minLength: 1, maxLength: 6 }).map((specs) => ({ currency, specs })),
  );

function checkShape(r: MappingResult) {
  for (const l of r.payload.lines) {
    expect(l.unitPrice).toMatch(/^\d+\.\d{2}$/); // never negative, 2 dp
    expect(l.quantity).toMatch(/^-?\d+\.\d{4}$/);
    expect(new Big(l.quantity).eq(0)).toBe(false);
    if (l.discount) expect(l.discount).toMatch(/^\d+\.\d{2}$/);
    expect(l.vatRate).toMatch(/^\d+\.\d{2}$/);
    expect(l.description.length).toBeLessThanOrEqual(100);
    if (l.lineNote) expect(l.lineNote.length).toBeLessThanOrEqual(300);
  }
}

describe('mapping properties', () => {
  it('Storno reproduces Stripe\'s total, or the mismatch is flagged with the exact difference', () => {
    fc.assert(
      fc.property(invoiceArb(null), ({ currency, specs }) => {
        const inv = stripeInvoice(specs, { currency });
        const r = mapStripeInvoice(inv, ctx);
        checkShape(r);
        const stripe = minorToMajor(inv.total, currency);
        const storno = new Big(r.expected.total);
        if (storno.eq(stripe)) expect(r.mismatch).toBeNull();
        else expect(r.mismatch).toEqual({ expected: stripe.toFixed(2), actual: storno.toFixed(2), difference: storno.minus(stripe).toFixed(2), currency: currency.toUpperCase() });
        // Totals are the sums of the per-line Storno amounts
        const sum = r.payload.lines.reduce((s, l) => s.plus(stornoLineAmounts(l).gross), new Big(0));
        expect(sum.toFixed(2)).toBe(r.expected.total);
      }),
      { numRuns: 400 },
    );
  });

  it('two-decimal currencies never mismatch (inclusive and exclusive, coupons, prorations)', () => {
    fc.assert(
      fc.property(
        invoiceArb(null).filter(({ currency }) => currency !== 'jpy'),
        ({ currency, specs }) => {
          const r = mapStripeInvoice(stripeInvoice(specs, { currency }), ctx);
          expect(r.mismatch).toBeNull();
          expect(r.vatDrift).toMatch(/^-?0\.00$/); // per-line VAT identical to Stripe's as well
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tax-inclusive invoices keep the total in every currency, JPY included', () => {
    fc.assert(
      fc.property(invoiceArb(true), ({ currency, specs }) => {
        expect(mapStripeInvoice(stripeInvoice(specs, { currency }), ctx).mismatch).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});

/** A parent as Storno would hold it, from a mapping payload. */
function parentFrom(lines: readonly StornoLineInput[], currency: string): ParentDocument {
  return {
    id: 'p',
    number: 'FCT-1',
    currency,
    lines: lines.map((l) => {
      const a = stornoLineAmounts(l);
      return { ...l, discount: l.discount ?? null, lineTotal: a.net.toFixed(2), vatAmount: a.vat.toFixed(2) };
    }),
  };
}

const rctx = { clientId: 'c', idempotencyKey: 'k', issueDate: '2026-11-10' };

describe('refund properties', () => {
  it('a series of partial refunds never exceeds the invoice; a full refund then credits exactly the rest, per VAT group', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ron', 'eur', 'jpy').chain((currency) =>
          fc.record({
            currency: fc.constant(currency),
            specs: fc.array(lineArb(currency, null).filter((s) => s.unit >= 0), { minLength: 1, maxLength: 5 }),
            refunds: fc.array(fc.integer({ min: 1, max: 3_000_000 }), { maxLength: 6 }),
          }),
        ),
        ({ currency, specs, refunds }) => {
          const mapped = mapStripeInvoice(stripeInvoice(specs, { currency }), ctx);
          const parent = parentFrom(mapped.payload.lines, currency.toUpperCase());
          const invoiceTotal = new Big(mapped.expected.total);
          fc.pre(invoiceTotal.gt(0));
          const credited: CreditedGroup[] = [];
          let creditedSum = new Big(0);
          for (const minor of refunds) {
            const amount = minorToMajor(minor, currency);
            const left = invoiceTotal.minus(creditedSum);
            if (amount.gt(left)) {
              expect(() => partialRefund(parent, minor, rctx, credited)).toThrow(RefundError);
              continue;
            }
            const r = partialRefund(parent, minor, rctx, credited);
            expect(r.expected.total).toBe(amount.times(-1).toFixed(2));
            // Prices never negative (BR-27); a rounding line may run the other way, the document is a credit.
            expect(r.payload.lines.every((l) => new Big(l.unitPrice).gte(0))).toBe(true);
            expect(new Big(r.expected.total).lt(0)).toBe(true);
            credited.push(...r.credited);
            creditedSum = creditedSum.plus(amount);
            expect(new Big(r.remainingAfter).eq(invoiceTotal.minus(creditedSum))).toBe(true);
          }
          if (invoiceTotal.minus(creditedSum).gt(0)) {
            const full = fullRefund(parent, rctx, credited);
            expect(new Big(full.expected.total).plus(invoiceTotal.minus(creditedSum)).eq(0)).toBe(true);
            credited.push(...full.credited);
          }
          // Per group: everything credited equals the group's gross, no more
          const byGroup = new Map<string, Big>();
          for (const c of credited) byGroup.set(`${c.vatCategoryCode}${c.vatRate}`, (byGroup.get(`${c.vatCategoryCode}${c.vatRate}`) ?? new Big(0)).plus(c.gross));
          for (const l of parent.lines) {
            const k = `${l.vatCategoryCode}${l.vatRate}`;
            const g = parent.lines.filter((x) => `${x.vatCategoryCode}${x.vatRate}` === k).reduce((s, x) => s.plus(x.lineTotal).plus(x.vatAmount), new Big(0));
            expect((byGroup.get(k) ?? new Big(0)).eq(g)).toBe(true);
          }
          expect(() => partialRefund(parent, 1, rctx, credited)).toThrow(RefundError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a full refund without earlier partials is the exact negation of the invoice, line by line', () => {
    fc.assert(
      fc.property(invoiceArb(null), ({ currency, specs }) => {
        const mapped = mapStripeInvoice(stripeInvoice(specs, { currency }), ctx);
        const parent = parentFrom(mapped.payload.lines, currency.toUpperCase());
        const r = fullRefund(parent, rctx);
        // Every parent line reversed exactly (a line whose VAT one net line cannot carry is split in a few).
        const sums = (lines: { vatRate: string; net: Big; vat: Big }[]) => {
          const m = new Map<string, string>();
          for (const l of lines) {
            const [n, v] = (m.get(l.vatRate) ?? '0|0').split('|');
            m.set(l.vatRate, `${new Big(n).plus(l.net).toFixed(2)}|${new Big(v).plus(l.vat).toFixed(2)}`);
          }
          return m;
        };
        const credited = sums(r.payload.lines.map((l) => ({ vatRate: l.vatRate, ...stornoLineAmounts(l) })).map((l) => ({ ...l, net: l.net.times(-1), vat: l.vat.times(-1) })));
        expect(credited).toEqual(sums(parent.lines.map((l) => ({ vatRate: l.vatRate, net: new Big(l.lineTotal), vat: new Big(l.vatAmount) }))));
        expect(r.payload.lines.every((l) => new Big(l.unitPrice).gte(0))).toBe(true);
        expect(new Big(r.expected.total).plus(mapped.expected.total).eq(0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never credits more than the invoice total, even with a net-negative VAT group', () => {
    const parent: ParentDocument = {
      id: 'p', currency: 'RON', lines: [
        { description: 'Plan', quantity: '1.0000', unitPrice: '100.00', vatRate: '21.00', vatCategoryCode: 'S', vatIncluded: false, lineTotal: '100.00', vatAmount: '21.00' },
        { description: 'Credit', quantity: '-1.0000', unitPrice: '30.00', vatRate: '11.00', vatCategoryCode: 'S', vatIncluded: false, lineTotal: '-30.00', vatAmount: '-3.30' },
      ],
    };
    expect(() => partialRefund(parent, 9000, rctx)).toThrow(/exceeds the 87.70 RON/);
    const first = partialRefund(parent, 8770, rctx);
    expect(first.expected.total).toBe('-87.70');
    expect(() => fullRefund(parent, rctx, first.credited)).toThrow(RefundError);
  });
});
