// Money the way Stripe Billing computes it, in integer minor units: discounts allocated to lines before
// tax, tax rounded per line (inclusive: tax taken out of the gross; exclusive: added on top), invoice
// totals summed from the lines. Keeping this in one place is what makes the demo data self-consistent.

export interface TaxRateRef {
  id: string;
  /** Percent, e.g. 21 or 11. 0 for reverse charge / exempt. */
  percentage: number;
  inclusive: boolean;
  /** Stripe's per-line `taxability_reason`; defaults from the rate (standard_rated, reverse_charge, ...). */
  taxabilityReason?: string;
}

export interface LineMoney {
  /** `line.amount`: quantity × unit amount, before discounts; includes inclusive tax. */
  amount: number;
  discount: number;
  tax: { amount: number; taxableAmount: number; rate: TaxRateRef } | null;
}

export interface TaxTotal {
  amount: number;
  tax_behavior: 'inclusive' | 'exclusive';
  tax_rate_details: { tax_rate: string };
  taxability_reason: string;
  taxable_amount: number;
  type: 'tax_rate_details';
}

/** Integer division rounded half away from zero (Stripe rounds each line's tax this way). */
export function roundDiv(numerator: number, denominator: number): number {
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  return sign * Math.floor((2 * n + d) / (2 * d));
}

const RATE_SCALE = 10_000; // percentages with up to 4 decimals, kept integral

export function lineMoney(unitAmount: number, quantity: number, rate: TaxRateRef | null, discountPercent = 0): LineMoney {
  const amount = unitAmount * quantity;
  const discount = discountPercent ? roundDiv(amount * Math.round(discountPercent * 100), 10_000) : 0;
  if (!rate) return { amount, discount, tax: null };
  const base = amount - discount;
  const r = Math.round(rate.percentage * RATE_SCALE);
  const tax = rate.inclusive ? roundDiv(base * r, 100 * RATE_SCALE + r) : roundDiv(base * r, 100 * RATE_SCALE);
  return { amount, discount, tax: { amount: tax, taxableAmount: rate.inclusive ? base - tax : base, rate } };
}

export function taxabilityReason(rate: TaxRateRef): string {
  if (rate.taxabilityReason) return rate.taxabilityReason;
  if (rate.percentage === 0) return 'zero_rated';
  return rate.percentage >= 19 ? 'standard_rated' : 'reduced_rated';
}

export function taxEntry(money: LineMoney): TaxTotal[] {
  if (!money.tax) return [];
  return [
    {
      amount: money.tax.amount,
      tax_behavior: money.tax.rate.inclusive ? 'inclusive' : 'exclusive',
      tax_rate_details: { tax_rate: money.tax.rate.id },
      taxability_reason: taxabilityReason(money.tax.rate),
      taxable_amount: money.tax.taxableAmount,
      type: 'tax_rate_details',
    },
  ];
}

export interface InvoiceTotals {
  subtotal: number;
  subtotal_excluding_tax: number;
  total_excluding_tax: number;
  total: number;
  total_taxes: TaxTotal[];
  total_discount: number;
}

/** total = Σ line.amount − Σ discounts + Σ exclusive taxes (inclusive taxes are already inside amounts). */
export function invoiceTotals(lines: LineMoney[]): InvoiceTotals {
  const byRate = new Map<string, TaxTotal>();
  let subtotal = 0;
  let discount = 0;
  let inclusiveTax = 0;
  let inclusiveTaxBeforeDiscount = 0;
  let exclusiveTax = 0;
  for (const line of lines) {
    subtotal += line.amount;
    discount += line.discount;
    for (const entry of taxEntry(line)) {
      if (entry.tax_behavior === 'inclusive') {
        inclusiveTax += entry.amount;
        // subtotal_excluding_tax is before discounts: the inclusive tax of the undiscounted amount.
        inclusiveTaxBeforeDiscount += lineMoney(line.amount, 1, line.tax!.rate).tax!.amount;
      } else exclusiveTax += entry.amount;
      const key = `${entry.tax_rate_details.tax_rate}|${entry.tax_behavior}|${entry.taxability_reason}`;
      const sum = byRate.get(key);
      if (sum) {
        sum.amount += entry.amount;
        sum.taxable_amount += entry.taxable_amount;
      } else byRate.set(key, { ...entry });
    }
  }
  return {
    subtotal,
    subtotal_excluding_tax: subtotal - inclusiveTaxBeforeDiscount,
    total_excluding_tax: subtotal - discount - inclusiveTax,
    total: subtotal - discount + exclusiveTax,
    total_taxes: [...byRate.values()],
    total_discount: discount,
  };
}
