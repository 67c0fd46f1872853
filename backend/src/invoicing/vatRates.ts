// Romanian VAT rates in force by date (efactura-facts.md §1). Data, not code: a new rate change is one more
// period. The rate that applies is the one in force at the chargeable event (the supply), so a refund or a
// late invoice of a July 2025 sale keeps 19 %, and a 2026 sale can never carry it.
import Big from 'big.js';

export interface VatPeriod {
  /** First day in force, YYYY-MM-DD (Europe/Bucharest). */
  from: string;
  /** Last day in force, or null while current. */
  to: string | null;
  standard: string;
  reduced: readonly string[];
  /** Where the rates come from, for messages and reviewers. */
  source: string;
}

export const RO_VAT_PERIODS: readonly VatPeriod[] = [
  { from: '2017-01-01', to: '2025-07-31', standard: '19', reduced: ['9', '5'], source: 'Codul fiscal art. 291 (Legea 227/2015)' },
  { from: '2025-08-01', to: null, standard: '21', reduced: ['11'], source: 'Legea 141/2025' },
];

const same = (a: string | Big, b: string | Big) => new Big(a).eq(new Big(b));

export function vatPeriodOn(date: string): VatPeriod {
  const period = RO_VAT_PERIODS.find((p) => p.from <= date && (p.to === null || date <= p.to));
  // Before the table starts: the oldest period is the best we know (the app never invoices that far back).
  return period ?? RO_VAT_PERIODS[0];
}

/** The standard rate in force on `date`, as Storno writes rates ("21.00"). */
export function standardRateOn(date: string): string {
  return new Big(vatPeriodOn(date).standard).toFixed(2);
}

/** Whether a positive rate was a Romanian VAT rate on `date` (0 % is a category question, not a rate one). */
export function rateInForce(rate: string | Big, date: string): boolean {
  if (new Big(rate).eq(0)) return true;
  const p = vatPeriodOn(date);
  return [p.standard, ...p.reduced].some((r) => same(r, rate));
}

/** "21 % / 11 %" — the rates in force on `date`, for messages. */
export function ratesInForceText(date: string): string {
  const p = vatPeriodOn(date);
  return [p.standard, ...p.reduced].map((r) => `${r} %`).join(' / ');
}
