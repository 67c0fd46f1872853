// Credit-note caps per VAT group, checked against an independent computation: random parent invoices (lines
// at 21/11/19/9/5/0 %, inclusive or exclusive, as Storno stores them) and random refund sequences; each
// document's lines are valued with the Storno sandbox's own line math (not the app's), and what every VAT
// group holds is summed straight from the parent's stored lines.
import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineMath } from '../../sandbox/storno/money.js';
import { formatMoney } from './money.js';
import { creditedGroupsOf, fullRefund, partialRefund, RefundError, type CreditedGroup, type ParentDocument, type ParentLine } from './refunds.js';
import type { StornoLineInput } from './types.js';

const RATES = ['21.00', '11.00', '19.00', '9.00', '5.00', '0.00'];

/** A parent line as the Storno sandbox stores it (its own math on what we would have sent). */
const parentLineArb: fc.Arbitrary<ParentLine> = fc
  .record({ cents: fc.integer({ min: 1, max: 500_000 }), qty: fc.integer({ min: 1, max: 7 }), rate: fc.constantFrom(...RATES), inclusive: fc.boolean() })
  .map(({ cents, qty, rate, inclusive }) => {
    const unitPrice = new Big(cents).div(100);
    const m = lineMath({ quantity: new Big(qty), unitPrice, vatRate: new Big(rate), discount: new Big(0), vatIncluded: inclusive && rate !== '0.00' });
    return {
      description: 'Serviciu',
      quantity: `${qty}.0000`,
      unitPrice: m.unitPrice,
      vatRate: rate,
      vatCategoryCode: rate === '0.00' ? 'AE' : 'S',
      vatIncluded: inclusive && rate !== '0.00',
      lineTotal: m.lineTotal,
      vatAmount: m.vatAmount,
    };
  });

/** What a document's lines credit per group, by the sandbox's math (absolute values). */
function creditedBySandbox(lines: readonly StornoLineInput[]): Map<string, { net: Big; vat: Big }> {
  const out = new Map<string, { net: Big; vat: Big }>();
  for (const l of lines) {
    const m = lineMath({ quantity: new Big(l.quantity), unitPrice: new Big(l.unitPrice), vatRate: new Big(l.vatRate), discount: new Big(l.discount ?? '0'), vatIncluded: l.vatIncluded });
    const key = `${l.vatCategoryCode}|${l.vatRate}`;
    const g = out.get(key) ?? { net: new Big(0), vat: new Big(0) };
    out.set(key, { net: g.net.minus(m.lineTotal), vat: g.vat.minus(m.vatAmount) });
    expect(new Big(l.unitPrice).gte(0)).toBe(true);
  }
  return out;
}

/** The independent account of each parent group: Σ of its stored nets and VATs. */
function parentHolds(parent: ParentDocument): Map<string, { net: Big; vat: Big }> {
  const out = new Map<string, { net: Big; vat: Big }>();
  for (const l of parent.lines) {
    const key = `${l.vatCategoryCode}|${l.vatRate}`;
    const g = out.get(key) ?? { net: new Big(0), vat: new Big(0) };
    out.set(key, { net: g.net.plus(l.lineTotal), vat: g.vat.plus(l.vatAmount) });
  }
  return out;
}

const rctx = { clientId: 'c', idempotencyKey: 'k', issueDate: '2026-11-10' };

describe('credit notes never credit more net or VAT per VAT group than the invoice had', () => {
  it('partial refunds stay within every group; refunding the rest closes every group exactly, net and VAT', () => {
    fc.assert(
      fc.property(
        fc.array(parentLineArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 10_000 }), { maxLength: 5 }),
        (lines, permille) => {
          const parent: ParentDocument = { id: 'p', number: 'FCT0001', issueDate: '2026-11-03', currency: 'RON', lines };
          const holds = parentHolds(parent);
          const invoiceGross = [...holds.values()].reduce((s, g) => s.plus(g.net).plus(g.vat), new Big(0));
          const total = new Map<string, { net: Big; vat: Big }>();
          const record: CreditedGroup[] = [];
          let left = invoiceGross;
          const add = (docLines: readonly StornoLineInput[]) => {
            for (const [k, v] of creditedBySandbox(docLines)) {
              const t = total.get(k) ?? { net: new Big(0), vat: new Big(0) };
              total.set(k, { net: t.net.plus(v.net), vat: t.vat.plus(v.vat) });
            }
            // What Storno would store for the document is what counts as credited next time.
            record.push(...creditedGroupsOf(docLines.map((l) => ({ ...l, ...lineMath({ quantity: new Big(l.quantity), unitPrice: new Big(l.unitPrice), vatRate: new Big(l.vatRate), discount: new Big(0), vatIncluded: l.vatIncluded }) }))));
          };
          for (const p of permille) {
            // A refund of p‰ of what is left, in cents (at least one cent).
            const cents = Math.max(1, Number(left.times(100).times(p).div(10_000).round(0, 0).toFixed(0)));
            if (new Big(cents).div(100).gt(left)) continue;
            const r = partialRefund(parent, cents, rctx, record);
            expect(formatMoney(new Big(r.expected.total).abs())).toBe(formatMoney(new Big(cents).div(100)));
            add(r.payload.lines);
            left = left.minus(new Big(cents).div(100));
            for (const [k, t] of total) {
              const h = holds.get(k)!;
              expect(t.net.lte(h.net) && t.vat.lte(h.vat)).toBe(true);
            }
          }
          if (left.gt(0)) add(fullRefund(parent, rctx, record).payload.lines);
          for (const [k, h] of holds) {
            const t = total.get(k) ?? { net: new Big(0), vat: new Big(0) };
            expect({ group: k, net: t.net.toFixed(2), vat: t.vat.toFixed(2) }).toEqual({ group: k, net: h.net.toFixed(2), vat: h.vat.toFixed(2) });
          }
          expect(() => partialRefund(parent, 1, rctx, record)).toThrow(RefundError);
        },
      ),
      { numRuns: 250 },
    );
  });
});
