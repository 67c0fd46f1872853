// Test helpers: build Stripe objects the way Stripe computes them (integer minor units, tax per line,
// half-up), for the invoicing tests.
import type { StripeInvoiceInput, StripeInvoiceLine, StripeTaxAmount } from '../../src/invoicing/types.js';

export const ts = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export interface LineSpec {
  description?: string;
  /** Unit amount in minor units (gross when inclusive). */
  unit: number;
  quantity?: number;
  /** Percent, e.g. 21; 0 or undefined → no tax. */
  rate?: number;
  inclusive?: boolean;
  discount?: number;
  taxabilityReason?: string;
  proration?: boolean;
  period?: { start: number; end: number };
  /** Tax rate id (defaults to `txr_<rate>`). */
  taxRateId?: string;
}

/** Half-up integer division for minor units (ties away from zero), as Stripe rounds per line. */
export function roundDiv(n: number, d: number): number {
  const sign = Math.sign(n) * Math.sign(d) || 1;
  const a = Math.abs(n);
  const b = Math.abs(d);
  return sign * Math.floor((2 * a + b) / (2 * b));
}

export function stripeLine(spec: LineSpec, i = 0): StripeInvoiceLine {
  const quantity = spec.quantity ?? 1;
  const amount = spec.unit * quantity;
  const discount = spec.discount ?? 0;
  const value = amount - discount;
  const rate = spec.rate ?? 0;
  let taxes: StripeTaxAmount[] = [];
  if (rate > 0 || spec.taxabilityReason) {
    // rate given as a percentage with up to 2 decimals → work in hundredths to stay integral
    const r100 = Math.round(rate * 100);
    const tax = spec.inclusive ? roundDiv(value * r100, 10000 + r100) : roundDiv(value * r100, 10000);
    taxes = [
      {
        amount: tax,
        tax_behavior: spec.inclusive ? 'inclusive' : 'exclusive',
        tax_rate_details: { tax_rate: spec.taxRateId ?? `txr_${rate}` },
        taxability_reason: spec.taxabilityReason ?? (rate > 0 ? 'standard_rated' : 'zero_rated'),
        taxable_amount: spec.inclusive ? value - tax : value,
      },
    ];
  }
  return {
    id: `il_${i}`,
    amount,
    description: spec.description ?? `Item ${i + 1}`,
    quantity,
    discount_amounts: discount ? [{ amount: discount }] : [],
    taxes,
    period: spec.period ?? { start: ts('2026-11-03T10:00:00Z'), end: ts('2026-11-03T10:00:00Z') },
    pricing: { unit_amount_decimal: String(spec.unit) },
    parent: spec.proration
      ? { type: 'subscription_item_details', subscription_item_details: { proration: true } }
      : { type: 'invoice_item_details', invoice_item_details: { proration: false } },
  };
}

/** Stripe's total: Σ(amount − discounts) + Σ exclusive taxes. */
export function stripeTotal(lines: readonly StripeInvoiceLine[]): number {
  let total = 0;
  for (const l of lines) {
    total += l.amount - (l.discount_amounts ?? []).reduce((s, d) => s + d.amount, 0);
    for (const t of l.taxes ?? []) if (t.tax_behavior === 'exclusive') total += t.amount;
  }
  return total;
}

export function stripeInvoice(specs: LineSpec[], extra: Partial<StripeInvoiceInput> = {}): StripeInvoiceInput {
  const lines = specs.map((s, i) => stripeLine(s, i));
  return {
    id: 'in_test',
    number: 'ABCD-0001',
    currency: 'ron',
    total: stripeTotal(lines),
    created: ts('2026-11-03T08:00:00Z'),
    status_transitions: { finalized_at: ts('2026-11-03T09:00:00Z') },
    lines: { data: lines },
    total_taxes: lines.flatMap((l) => l.taxes ?? []),
    ...extra,
  };
}

export const RATES = { txr_21: '21', txr_11: '11', txr_19: '19', txr_9: '9', txr_5: '5', txr_0: '0' } as const;
