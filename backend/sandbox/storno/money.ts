// Invoice line math (storno-api §3.1 "Math"), in decimal (big.js, half away from zero) instead of the server's
// floats, but with the server's rounding points: each line's net and VAT rounded to 2 dp, totals = sums of rounded lines.
import Big from 'big.js';

const HALF_UP = 1; // Big.roundHalfUp: ties away from zero, like PHP round()

export const money = (v: Big.BigSource): string => new Big(v).round(2, HALF_UP).toFixed(2);
export const quantity4 = (v: Big.BigSource): string => new Big(v).round(4, HALF_UP).toFixed(4);

/** A decimal given as string or number; null when it is not a finite decimal. */
export function parseDecimal(value: unknown): Big | null {
  if (typeof value === 'number') return Number.isFinite(value) ? new Big(value) : null;
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return null;
  return new Big(t);
}

export interface LineMathInput {
  quantity: Big;
  unitPrice: Big;
  vatRate: Big;
  discount: Big;
  vatIncluded: boolean;
}

export interface LineMath {
  unitPrice: string;
  lineTotal: string;
  vatAmount: string;
}

export function lineMath({ quantity, unitPrice, vatRate, discount, vatIncluded }: LineMathInput): LineMath {
  const price = unitPrice.round(2, HALF_UP); // the server stores unitPrice with 2 dp only
  const disc = discount.round(2, HALF_UP);
  if (vatIncluded) {
    const gross = quantity.times(price).minus(disc);
    const net = gross.div(new Big(1).plus(vatRate.div(100))).round(2, HALF_UP);
    const vat = gross.minus(net).round(2, HALF_UP);
    return { unitPrice: price.toFixed(2), lineTotal: net.toFixed(2), vatAmount: vat.toFixed(2) };
  }
  const net = quantity.times(price).minus(disc).round(2, HALF_UP);
  const vat = net.times(vatRate).div(100).round(2, HALF_UP);
  return { unitPrice: price.toFixed(2), lineTotal: net.toFixed(2), vatAmount: vat.toFixed(2) };
}

export function totals(lines: { lineTotal: string; vatAmount: string; discount: string }[]): {
  subtotal: string;
  vatTotal: string;
  total: string;
  discount: string;
} {
  let subtotal = new Big(0);
  let vatTotal = new Big(0);
  let discount = new Big(0);
  for (const l of lines) {
    subtotal = subtotal.plus(l.lineTotal);
    vatTotal = vatTotal.plus(l.vatAmount);
    discount = discount.plus(l.discount);
  }
  return { subtotal: subtotal.toFixed(2), vatTotal: vatTotal.toFixed(2), total: subtotal.plus(vatTotal).toFixed(2), discount: discount.toFixed(2) };
}

export const isNegative = (v: string): boolean => new Big(v).lt(0);
export const isZero = (v: string): boolean => new Big(v).eq(0);
export const sub = (a: string, b: string): string => new Big(a).minus(b).toFixed(2);
export const add = (a: string, b: string): string => new Big(a).plus(b).toFixed(2);
export const gt = (a: string, b: string): boolean => new Big(a).gt(b);
export { Big };
