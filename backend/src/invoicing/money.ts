// Money helpers: Stripe integer minor units <-> decimal strings, per currency exponent.
// Every amount goes through big.js with half-up rounding (away from zero on ties, like PHP's round(),
// which the Storno server uses); a JS float never carries money here.
import Big from 'big.js';

/** Stripe zero-decimal currencies: `amount` is whole units. */
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
  'BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF',
]);

/** Stripe three-decimal currencies: `amount` is thousandths (last digit must be 0 on charges). */
export const THREE_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/**
 * ISK and UGX are zero-decimal currencies that Stripe's API nevertheless expresses as two-decimal
 * values whose fraction is always 00 (5 ISK -> 500), so their *API* exponent is 2.
 */
const TWO_DECIMAL_ON_THE_WIRE: ReadonlySet<string> = new Set(['ISK', 'UGX']);

const ROUND_HALF_UP = 1 as Big.RoundingMode; // Big.roundHalfUp

/** Exponent of Stripe API amounts for `currency` (case-insensitive): 0, 2 or 3. */
export function stripeExponent(currency: string): 0 | 2 | 3 {
  const c = currency.toUpperCase();
  if (TWO_DECIMAL_ON_THE_WIRE.has(c)) return 2;
  if (ZERO_DECIMAL_CURRENCIES.has(c)) return 0;
  if (THREE_DECIMAL_CURRENCIES.has(c)) return 3;
  return 2;
}

/**
 * Smallest amount that makes sense on a document in `currency`, in major units: 1 for currencies whose
 * real-world unit has no fraction (JPY, ISK, UGX…), else 0.01 (Storno keeps money at 2 dp, so even the
 * three-decimal currencies are carried at 0.01).
 */
export function documentStep(currency: string): Big {
  const c = currency.toUpperCase();
  return ZERO_DECIMAL_CURRENCIES.has(c) || TWO_DECIMAL_ON_THE_WIRE.has(c) ? new Big(1) : new Big('0.01');
}

/** Stripe minor units -> exact decimal in major units. Accepts integers, bigint or integer strings. */
export function minorToMajor(minor: number | bigint | string, currency: string): Big {
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) {
    throw new RangeError(`Stripe amount must be a safe integer, got ${minor}`);
  }
  const s = String(minor);
  if (!/^-?\d+$/.test(s)) throw new RangeError(`Stripe amount must be an integer, got ${s}`);
  const e = stripeExponent(currency);
  return e === 0 ? new Big(s) : new Big(s).div(10 ** e);
}

/** Half-up rounding to `dp` decimals (ties away from zero). */
export function roundHalfUp(value: Big | string | number, dp: number): Big {
  return new Big(value).round(dp, ROUND_HALF_UP);
}

/** Storno money string: 2 dp, half-up ("1815.00"). */
export function formatMoney(value: Big | string | number): string {
  return normalizeZero(roundHalfUp(value, 2).toFixed(2));
}

/** Storno quantity string: 4 dp ("1.0000", "-3.0000"). */
export function formatQuantity(value: Big | string | number): string {
  return normalizeZero(roundHalfUp(value, 4).toFixed(4));
}

/** Storno VAT rate string: 2 dp ("21.00"); PHP compares rates as strings, so the scale matters. */
export function formatRate(value: Big | string | number): string {
  return normalizeZero(roundHalfUp(value, 2).toFixed(2));
}

/** Exchange rate string: 4 dp. */
export function formatExchangeRate(value: Big | string | number): string {
  return roundHalfUp(value, 4).toFixed(4);
}

/** Stripe minor units -> Storno 2-dp money string ("5000.00" for ¥5000, "12.35" for 12.350 KWD). */
export function minorToStornoMoney(minor: number | bigint | string, currency: string): string {
  return formatMoney(minorToMajor(minor, currency));
}

/**
 * Stripe minor units -> display string in the currency's natural precision ("121.00", "5000" for JPY,
 * "1.235" for KWD): the format of money in the HTTP contract (src/api/contract.ts).
 */
export function formatMinorForDisplay(minor: number | bigint | string, currency: string): string {
  const c = currency.toUpperCase();
  const dp = ZERO_DECIMAL_CURRENCIES.has(c) || TWO_DECIMAL_ON_THE_WIRE.has(c) ? 0 : stripeExponent(c);
  return normalizeZero(roundHalfUp(minorToMajor(minor, c), dp).toFixed(dp));
}

/** Whether `value` has no more than `dp` decimals. */
export function hasAtMostDecimals(value: Big | string, dp: number): boolean {
  const b = new Big(value);
  return b.eq(b.round(dp, 0 as Big.RoundingMode));
}

/** Parse a decimal string strictly (no exponent junk, no empty string). */
export function parseDecimal(value: string | number | { toString(): string }): Big {
  const s = String(value).trim();
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(s)) throw new RangeError(`not a decimal number: "${s}"`);
  return new Big(s);
}

function normalizeZero(s: string): string {
  // "-0.00" is what toFixed gives for a tiny negative; Storno should see "0.00".
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}
