// Stripe invoice / payment → Storno invoice create payload (storno-api.md §3.1), plus the totals Storno
// will compute for it with its own per-line math, compared against what Stripe charged.
//
// Mismatch strategy (efactura-facts.md §6): we mirror Stripe line by line and let Storno's math run.
// - Tax-inclusive lines are sent with `vatIncluded: true` and quantity × price − discount equal to
//   Stripe's line gross, so Storno's line gross — and therefore the document total — is exactly Stripe's
//   (VAT may move by a cent between net and VAT: reported as `vatDrift`, never a total difference).
// - Tax-exclusive lines are sent as net; Storno recomputes VAT = round(net × r/100, 2) per line, which
//   equals Stripe's per-line tax for 2-decimal currencies. When it does not (zero-decimal currencies,
//   odd Stripe rounding), the total differs and `mismatch` is set so the caller never issues silently.
// - A unit price is only used when quantity × price reproduces the Stripe line amount exactly with a
//   2-dp price (Storno stores unitPrice at 2 dp); otherwise the line becomes quantity 1 × line amount
//   and the real quantity/unit price go into the description ("3 × 3.3333"). Coupons stay visible as
//   the line `discount`; negative Stripe lines (proration credits) become negative quantities with
//   positive prices (BR-27 forbids negative prices).
import Big from 'big.js';
import { bucharestDate, invoiceDay } from './dates.js';
import { documentStep, stripeExponent, formatMoney, formatQuantity, formatRate, formatExchangeRate, minorToMajor, parseDecimal, roundHalfUp } from './money.js';
import { asBuyer, buyerFacts, isBuyerFacts, type BuyerFacts, type BuyerLike } from './buyer.js';
import { rateInForce, ratesInForceText, standardRateOn } from './vatRates.js';
import type {
  CheckoutLineItemInput,
  DecimalLike,
  MappingResult,
  StornoInvoiceInput,
  StornoLineInput,
  StornoTotals,
  StripeInvoiceInput,
  StripeInvoiceLine,
  StripePaymentInput,
  StripeTaxAmount,
  VatCategoryCode,
} from './types.js';

export class MappingError extends Error {
  constructor(
    readonly code: 'tax_rate_unknown' | 'multiple_tax_rates' | 'no_lines' | 'vat_rate_not_in_force',
    message: string,
  ) {
    super(message);
    this.name = 'MappingError';
  }
}

/** Rates tried when a Stripe tax rate id is not in the caller's table (current and legacy RO rates). */
const KNOWN_RATES = ['21', '19', '11', '9', '5'];

export const MAX_ITEM_NAME = 100;
export const MAX_LINE_NOTE = 300;

export interface MappingContext {
  /** Storno client id (matched or created by the caller). */
  clientId: string;
  /** Namespaced key, e.g. `storno-stripe:<companyId>:in_123` (storno-api.md §6.4). */
  idempotencyKey: string;
  /** The buyer (facts derived once per build; raw input is derived here) — decides reverse charge, export, scope. */
  customer: BuyerLike;
  /** Seller registered for VAT; false → every line O (art. 310). Default true. */
  sellerVatPayer?: boolean;
  /** Percentage per Stripe tax rate id (`line.taxes[].tax_rate_details.tax_rate` carries only the id). */
  taxRates?: Readonly<Record<string, DecimalLike>>;
  /** RON per unit for non-RON invoices, stored with the invoice. */
  exchangeRate?: DecimalLike;
}

export interface PaymentMappingContext extends MappingContext {
  /**
   * The merchant's rate for payments without Stripe tax details, e.g. "11.00"; amounts are treated as gross.
   * Used only when it was in force on the sale's date, else the standard rate of that date applies.
   */
  defaultVatRate?: DecimalLike;
}

// ---------------------------------------------------------------------------------------------------
// Storno's server math

export interface StornoLineAmounts {
  net: Big;
  vat: Big;
  gross: Big;
}

/**
 * One line as Storno computes it (storno-api.md §3.1 "Math"): net = qty×price − discount, vat =
 * net×rate/100; with vatIncluded gross = qty×price − discount, net = gross/(1+rate/100), vat = gross − net;
 * each rounded to 2 dp half-up.
 */
export function stornoLineAmounts(line: Pick<StornoLineInput, 'quantity' | 'unitPrice' | 'discount' | 'vatRate' | 'vatIncluded'>): StornoLineAmounts {
  const base = parseDecimal(line.quantity).times(parseDecimal(line.unitPrice)).minus(parseDecimal(line.discount ?? '0'));
  const rate = parseDecimal(line.vatRate);
  if (line.vatIncluded) {
    const gross = roundHalfUp(base, 2);
    const net = roundHalfUp(gross.div(rate.div(100).plus(1)), 2);
    const vat = roundHalfUp(gross.minus(net), 2);
    return { net, vat, gross: net.plus(vat) };
  }
  const net = roundHalfUp(base, 2);
  const vat = roundHalfUp(net.times(rate).div(100), 2);
  return { net, vat, gross: net.plus(vat) };
}

/** Document totals as Storno computes them: sums of rounded lines; total = subtotal + vatTotal. */
export function stornoTotals(lines: readonly StornoLineInput[]): StornoTotals {
  let subtotal = new Big(0);
  let vatTotal = new Big(0);
  for (const l of lines) {
    const a = stornoLineAmounts(l);
    subtotal = subtotal.plus(a.net);
    vatTotal = vatTotal.plus(a.vat);
  }
  return { subtotal: formatMoney(subtotal), vatTotal: formatMoney(vatTotal), total: formatMoney(subtotal.plus(vatTotal)) };
}

// ---------------------------------------------------------------------------------------------------
// VAT category

function buyerOf(customer: BuyerLike, invoiceTaxExempt?: string | null): BuyerFacts {
  if (isBuyerFacts(customer)) return customer;
  return buyerFacts(customer, invoiceTaxExempt);
}

/**
 * Category for a line at `rate`. A positive rate is S. At 0 %: EU business with a VAT number under
 * reverse charge → AE; buyer outside the EU → G; Stripe "zero_rated" → Z; exempt → E. Anything else stays
 * S at 0 % so pre-flight blocks it (Stripe did not collect VAT on a domestic sale).
 */
function categorize(rate: Big, reason: string | null, buyer: BuyerFacts, sellerVatPayer: boolean): VatCategoryCode {
  if (!sellerVatPayer) return 'O';
  if (rate.gt(0)) return 'S';
  if (foreignEuBusiness(buyer) && (reason === 'reverse_charge' || buyer.taxExempt === 'reverse' || reason === null || reason === 'not_subject_to_tax')) return 'AE';
  if (buyer.outsideRomania && !buyer.euForeign) return 'G';
  if (reason === 'zero_rated') return 'Z';
  if (reason === 'product_exempt' || reason === 'customer_exempt' || buyer.taxExempt === 'exempt') return 'E';
  return 'S';
}

function foreignEuBusiness(buyer: BuyerFacts): boolean {
  return buyer.identity.kind === 'eu_vat' && buyer.identity.vat.country !== 'RO';
}

/**
 * A sale without Stripe tax details is never taxed by assumption when Romanian VAT cannot apply
 * (efactura-facts.md §7): an EU business with a VAT id → reverse charge (AE); a buyer outside the EU →
 * outside the scope of Romanian VAT (G). Otherwise (a Romanian or unknown buyer, an EU consumer under the
 * €10,000 threshold) the rate is assumed: the merchant's default if in force on the sale's date, else the
 * standard rate of that date — and the assumption is shown with the document.
 */
export function untaxedTreatment(buyer: BuyerFacts, saleDate: string, configured: DecimalLike | undefined, sellerVatPayer: boolean, assumptions: string[]): { rate: Big; category: VatCategoryCode } {
  if (!sellerVatPayer) return { rate: new Big(0), category: 'O' };
  if (foreignEuBusiness(buyer)) return { rate: new Big(0), category: 'AE' };
  if (buyer.outsideRomania && !buyer.euForeign) return { rate: new Big(0), category: 'G' };
  const wanted = configured !== undefined ? toBig(configured) : null;
  const rate = wanted && wanted.gt(0) && rateInForce(wanted, saleDate) ? wanted : new Big(standardRateOn(saleDate));
  assumptions.push(`No Stripe tax details: ${formatRate(rate)} % VAT (in force on ${saleDate}) is assumed to be included in the amount.`);
  return { rate, category: 'S' };
}

// ---------------------------------------------------------------------------------------------------
// Stripe tax → rate

function toBig(v: DecimalLike): Big {
  return parseDecimal(typeof v === 'number' ? String(v) : v.toString());
}

/** Whether `rate` explains Stripe's tax `amount` on `taxable` (exclusive) or on taxable+amount (inclusive). */
function rateExplains(rate: Big, tax: StripeTaxAmount): boolean {
  if (tax.taxable_amount == null) return false;
  const taxable = new Big(tax.taxable_amount);
  const exclusive = roundHalfUp(taxable.times(rate).div(100), 0).eq(tax.amount);
  const gross = taxable.plus(tax.amount);
  const inclusive = roundHalfUp(gross.times(rate).div(rate.plus(100)), 0).eq(tax.amount);
  return exclusive || inclusive;
}

interface LineTax {
  rate: Big;
  amountMinor: number;
  inclusive: boolean;
  reason: string | null;
}

function lineTax(taxes: readonly StripeTaxAmount[] | null | undefined, ctx: MappingContext, where: string, supplyDate: string | null): LineTax {
  const list = taxes ?? [];
  if (!list.length) return { rate: new Big(0), amountMinor: 0, inclusive: false, reason: null };
  const rates: Big[] = [];
  let amountMinor = 0;
  for (const t of list) {
    amountMinor += t.amount;
    const id = t.tax_rate_details?.tax_rate;
    const known = id ? ctx.taxRates?.[id] : undefined;
    let rate: Big | null = known !== undefined ? toBig(known) : null;
    if (rate === null) {
      if (t.amount === 0) rate = new Big(0);
      else {
        const fits = KNOWN_RATES.map((r) => new Big(r)).filter((r) => rateExplains(r, t));
        if (fits.length !== 1) {
          throw new MappingError('tax_rate_unknown', `${where}: the percentage of Stripe tax rate ${id ?? '(none)'} is unknown; add it to the connection's rate table.`);
        }
        rate = fits[0];
      }
    }
    rates.push(rate);
  }
  const positive = rates.filter((r) => r.gt(0));
  const distinct = [...new Set(positive.map((r) => r.toFixed(4)))];
  if (distinct.length > 1) {
    throw new MappingError('multiple_tax_rates', `${where}: several tax rates on one line (${distinct.join(', ')} %); Romanian VAT has one rate per line.`);
  }
  if (positive[0] && supplyDate && (ctx.sellerVatPayer ?? true)) {
    const outOfForce = positive[0];
    if (!rateInForce(outOfForce, supplyDate)) {
      const id = list.find((t) => t.amount !== 0)?.tax_rate_details?.tax_rate ?? list[0].tax_rate_details?.tax_rate ?? null;
      throw new MappingError(
        'vat_rate_not_in_force',
        `${where}: Stripe tax rate ${id ?? '(no id)'} charges ${outOfForce.toString()} %, which was not a Romanian VAT rate on ${supplyDate} (in force: ${ratesInForceText(supplyDate)}). Correct the tax rate in Stripe (a corrected invoice with the right rate), not in Storno.`,
      );
    }
  }
  const nonZeroReason = list.find((t) => t.amount !== 0)?.taxability_reason ?? list[0].taxability_reason ?? null;
  return {
    rate: positive[0] ?? new Big(0),
    amountMinor,
    inclusive: list.some((t) => t.tax_behavior === 'inclusive'),
    reason: nonZeroReason,
  };
}

// ---------------------------------------------------------------------------------------------------
// Line shaping

interface Shaped {
  quantity: Big;
  unitPrice: Big;
  discount: Big;
  /** The quantity × unit text when the real quantity could not be kept. */
  folded: string | null;
}

/**
 * Finds quantity/price/discount with quantity × price − discount = amount − discountTotal exactly, a
 * non-negative price with at most 2 dp that is a multiple of the currency's step, quantity ≠ 0 at 4 dp.
 * Negative amounts (credits) get a negative quantity.
 */
function shapeLine(amount: Big, discountTotal: Big, stripeQty: Big | null, unitHint: Big | null, currency: string): Shaped {
  const step = documentStep(currency);
  const value = amount.minus(discountTotal);
  const sign = amount.lt(0) ? -1 : 1;
  const q = stripeQty && !stripeQty.eq(0) ? stripeQty.abs().times(sign) : null;
  if (q && q.eq(roundHalfUp(q, 4)) && discountTotal.gte(0)) {
    const unit = amount.abs().div(q.abs());
    if (unit.mod(step).eq(0) && unit.eq(roundHalfUp(unit, 2)) && q.times(unit).eq(amount)) {
      return { quantity: q, unitPrice: unit, discount: discountTotal, folded: null };
    }
  }
  // Fold: one unit (or −1 for credits) at the line value; keep the coupon visible when it is ≥ 0.
  const qtyText = stripeQty && !stripeQty.eq(1) ? `${stripeQty.toString()} × ${unitHint ? unitHint.toString() : amount.abs().div(stripeQty.abs()).round(4).toString()}` : null;
  if (amount.gte(0) && discountTotal.gte(0)) {
    return { quantity: new Big(1), unitPrice: amount, discount: discountTotal, folded: qtyText };
  }
  if (amount.lt(0) && discountTotal.gte(0)) {
    return { quantity: new Big(-1), unitPrice: amount.abs(), discount: discountTotal, folded: qtyText };
  }
  return { quantity: new Big(value.lt(0) ? -1 : 1), unitPrice: value.abs(), discount: new Big(0), folded: qtyText };
}

function describe(description: string, folded: string | null, periodText: string | null): Pick<StornoLineInput, 'description' | 'lineNote'> {
  const full = folded ? `${description} (${folded})` : description;
  const name = full.length > MAX_ITEM_NAME ? `${full.slice(0, MAX_ITEM_NAME - 1).trimEnd()}…` : full;
  const noteParts = [full.length > MAX_ITEM_NAME ? full : null, periodText].filter((x): x is string => !!x);
  const note = noteParts.join(' — ');
  return note ? { description: name, lineNote: note.length > MAX_LINE_NOTE ? `${note.slice(0, MAX_LINE_NOTE - 1)}…` : note } : { description: name };
}

export function linePeriod(period: { start: number; end: number } | null | undefined) {
  if (!period || !period.start || !period.end) return null;
  // Stripe's period end is the first second of the next period; UBL wants the last day included: the Romanian
  // calendar day before the one the end falls on. (`end - 1 s` is not enough: a period anchored at 00:00 UTC ends
  // at 02:00 in Bucharest, which would date it a day late.)
  const startDate = bucharestDate(period.start);
  if (period.end <= period.start) return { startDate, endDate: startDate };
  const dayBeforeEnd = new Date(`${bucharestDate(period.end)}T12:00:00Z`);
  dayBeforeEnd.setUTCDate(dayBeforeEnd.getUTCDate() - 1);
  const endDate = dayBeforeEnd.toISOString().slice(0, 10);
  return { startDate, endDate: endDate < startDate ? startDate : endDate };
}

function isProration(line: StripeInvoiceLine): boolean {
  return !!(line.parent?.subscription_item_details?.proration || line.parent?.invoice_item_details?.proration);
}

// ---------------------------------------------------------------------------------------------------
// Result assembly

function decimalOrNull(v: DecimalLike | null | undefined): Big | null {
  if (v === null || v === undefined || v === '') return null;
  try {
    return toBig(v);
  } catch {
    return null;
  }
}

/**
 * What the lines' VAT categories require of any document (invoice, credit note, standalone refund): the reverse-charge
 * invoice type for AE lines, and the legal mention of each regime that charges no VAT.
 */
export function withVatRegime(payload: StornoInvoiceInput): StornoInvoiceInput {
  const cats = new Set(payload.lines.map((l) => l.vatCategoryCode));
  const mentions: string[] = [];
  if (cats.has('AE')) mentions.push('Taxare inversă (art. 278 alin. (2) Cod fiscal).');
  if (cats.has('O')) mentions.push('Regim special de scutire pentru întreprinderile mici, art. 310 Cod fiscal.');
  if (cats.has('G')) mentions.push('Operațiune scutită cu drept de deducere, art. 294 Cod fiscal.');
  return {
    ...payload,
    ...(cats.has('AE') ? { invoiceTypeCode: 'reverse_charge' as const } : {}),
    ...(mentions.length ? { mentions: mentions.join(' ') } : {}),
  };
}

function finish(
  payload: StornoInvoiceInput,
  stripeTotalMinor: number,
  stripeTaxMinor: number,
  currency: string,
  notes: string[],
): MappingResult {
  const expected = stornoTotals(payload.lines);
  const stripeTotal = minorToMajor(stripeTotalMinor, currency);
  const stripeTax = minorToMajor(stripeTaxMinor, currency);
  const actual = new Big(expected.total);
  const mismatch = actual.eq(stripeTotal)
    ? null
    : { expected: formatMoney(stripeTotal), actual: expected.total, difference: formatMoney(actual.minus(stripeTotal)), currency: currency.toUpperCase() };
  return {
    payload,
    expected,
    stripeTotal: formatMoney(stripeTotal),
    stripeTaxTotal: formatMoney(stripeTax),
    vatDrift: formatMoney(new Big(expected.vatTotal).minus(stripeTax)),
    mismatch,
    notes,
    assumptions: [],
  };
}

function basePayload(ctx: MappingContext, currency: string, issueDate: string, lines: StornoLineInput[]): StornoInvoiceInput {
  const payload: StornoInvoiceInput = {
    clientId: ctx.clientId,
    lines,
    currency: currency.toUpperCase(),
    issueDate,
    documentType: 'invoice',
    paymentMethod: 'card',
    idempotencyKey: ctx.idempotencyKey,
  };
  if (ctx.exchangeRate !== undefined && currency.toUpperCase() !== 'RON') payload.exchangeRate = formatExchangeRate(toBig(ctx.exchangeRate));
  return withVatRegime(payload);
}

/**
 * Builds one Storno line from a Stripe amount (minor units) that is net (exclusive) or gross (inclusive)
 * before `discountMinor`, and checks the exclusive drift.
 */
function buildLine(args: {
  amountMinor: number;
  discountMinor: number;
  taxMinor: number;
  inclusive: boolean;
  rate: Big;
  category: VatCategoryCode;
  quantity: Big | null;
  unitHintMinor: Big | null;
  description: string;
  period: { startDate: string; endDate: string } | null;
  currency: string;
  notes: string[];
}): StornoLineInput {
  const { currency, notes } = args;
  const zeroCat = args.category !== 'S';
  const rate = zeroCat ? new Big(0) : args.rate;
  const amount = minorToMajor(args.amountMinor, currency);
  const discount = minorToMajor(args.discountMinor, currency);
  const unitHint = args.unitHintMinor ? args.unitHintMinor.div(new Big(10).pow(stripeExponent(currency))) : null;
  // An O/AE/G/Z/E line that Stripe taxed inclusively still shows the gross Stripe charged.
  const inclusive = args.inclusive && !zeroCat;
  const shaped = shapeLine(amount, discount, args.quantity, unitHint, currency);
  const periodText = args.period ? `Perioada ${args.period.startDate} – ${args.period.endDate}` : null;
  const make = (s: Shaped, incl: boolean): StornoLineInput => {
    const line: StornoLineInput = {
      ...describe(args.description, s.folded, periodText),
      quantity: formatQuantity(s.quantity),
      unitPrice: formatMoney(s.unitPrice),
      vatRate: formatRate(rate),
      vatCategoryCode: args.category,
      vatIncluded: incl,
    };
    if (!s.discount.eq(0)) line.discount = formatMoney(s.discount);
    if (args.period) line.ublExtensions = { invoicePeriod: args.period };
    return line;
  };
  const line = make(shaped, inclusive);
  if (!inclusive && !zeroCat) {
    const stripeTax = minorToMajor(args.taxMinor, currency);
    const stornoVat = stornoLineAmounts(line).vat;
    if (!stornoVat.eq(stripeTax)) notes.push(`"${line.description}": Storno computes VAT ${formatMoney(stornoVat)}, Stripe charged ${formatMoney(stripeTax)}.`);
  }
  if (shaped.folded) notes.push(`"${line.description}": quantity ${shaped.folded} folded into one unit to keep Stripe's exact amount.`);
  return line;
}

/**
 * The chargeable event of a line: the end of its service period (the service is complete then), else the
 * invoice date. A subscription period running into August 2025 is taxed at the August rate.
 */
function supplyDateOf(line: StripeInvoiceLine, issueDate: string): string {
  const period = line.period && line.period.end > line.period.start ? linePeriod(line.period) : null;
  return period ? period.endDate : issueDate;
}

/**
 * Stripe invoice → Storno invoice payload + the totals Storno will compute. `invoice.lines.data` must hold
 * every line (paginate `listLineItems` when `lines.has_more`).
 */
export function mapStripeInvoice(invoice: StripeInvoiceInput, ctx: MappingContext): MappingResult {
  const lines = invoice.lines.data;
  if (!lines.length) throw new MappingError('no_lines', `Stripe invoice ${invoice.number ?? invoice.id} has no lines.`);
  const currency = invoice.currency.toUpperCase();
  const buyer = buyerOf(ctx.customer, invoice.customer_tax_exempt);
  const seller = ctx.sellerVatPayer ?? true;
  const notes: string[] = [];
  const issueDate = invoiceDay(invoice);
  let taxMinor = 0;
  const out = lines.map((l, i) => {
    const where = `Line ${i + 1} (${l.description ?? l.id ?? 'no description'})`;
    // Only Romanian VAT is checked against Romanian rates (an EU consumer under OSS pays the destination rate).
    const tax = lineTax(l.taxes, ctx, where, buyer.outsideRomania ? null : supplyDateOf(l, issueDate));
    taxMinor += tax.amountMinor;
    const discountMinor = (l.discount_amounts ?? []).reduce((s, d) => s + d.amount, 0);
    const qty = decimalOrNull(l.quantity_decimal) ?? (l.quantity != null ? new Big(l.quantity) : null);
    const unitHint = decimalOrNull(l.pricing?.unit_amount_decimal);
    const sub = l.parent?.type === 'subscription_item_details' || !!l.parent?.subscription_item_details;
    const period = sub || (l.period && l.period.end > l.period.start) ? linePeriod(l.period) : null;
    const base = l.description?.trim() || (isProration(l) ? 'Ajustare proporțională' : 'Serviciu');
    return buildLine({
      amountMinor: l.amount,
      discountMinor,
      taxMinor: tax.amountMinor,
      inclusive: tax.inclusive,
      rate: tax.rate,
      category: categorize(tax.rate, tax.reason, buyer, seller),
      quantity: qty,
      unitHintMinor: unitHint,
      description: base,
      period,
      currency,
      notes,
    });
  });
  const payload = basePayload(ctx, currency, issueDate, out);
  if (invoice.due_date) payload.dueDate = bucharestDate(invoice.due_date);
  payload.notes = `Factura Stripe ${invoice.number ?? invoice.id}`;
  // Prefer the invoice's own tax total when present (it includes tax on shipping, if any).
  const stripeTax = invoice.total_taxes ? invoice.total_taxes.reduce((s, t) => s + t.amount, 0) : taxMinor;
  if (!seller && stripeTax !== 0) notes.push('Stripe charged tax but the seller is not a VAT payer: lines are sent as O (not subject to VAT).');
  return finish(payload, invoice.total, stripeTax, currency, notes);
}

function checkoutLine(item: CheckoutLineItemInput, i: number, ctx: PaymentMappingContext, buyer: BuyerFacts, saleDate: string, currency: string, notes: string[], assumptions: string[]): { line: StornoLineInput; taxMinor: number } {
  const seller = ctx.sellerVatPayer ?? true;
  const taxes = item.taxes ?? [];
  const discountMinor = item.amount_discount ?? 0;
  const description = item.description?.trim() || `Articol ${i + 1}`;
  const qty = item.quantity != null ? new Big(item.quantity) : null;
  const unitHint = decimalOrNull(item.price?.unit_amount_decimal) ?? (item.price?.unit_amount != null ? new Big(item.price.unit_amount) : null);
  if (taxes.length === 0 && !item.amount_tax) {
    // No Stripe tax details: see untaxedTreatment; an assumed rate takes the amount as tax-inclusive.
    const { rate, category } = untaxedTreatment(buyer, saleDate, ctx.defaultVatRate, seller, assumptions);
    const line = buildLine({
      amountMinor: item.amount_total + discountMinor, discountMinor, taxMinor: 0, inclusive: true, rate,
      category, quantity: qty, unitHintMinor: unitHint, description, period: null, currency, notes,
    });
    return { line, taxMinor: 0 };
  }
  const positive = [...new Set(taxes.filter((t) => t.amount !== 0).map((t) => toBig(t.rate.percentage).toFixed(4)))];
  if (positive.length > 1) throw new MappingError('multiple_tax_rates', `Checkout line ${i + 1}: several tax rates on one line.`);
  const rate = positive.length ? new Big(positive[0]) : new Big(0);
  const taxMinor = item.amount_tax ?? taxes.reduce((s, t) => s + t.amount, 0);
  const inclusive = taxes.some((t) => t.rate.inclusive) || item.price?.tax_behavior === 'inclusive' || (taxMinor > 0 && item.amount_total === item.amount_subtotal - discountMinor);
  // Inclusive: amount_total is the gross after discount; exclusive: amount_total − tax is the net.
  const valueMinor = inclusive ? item.amount_total : item.amount_total - taxMinor;
  const reason = taxes.find((t) => t.amount !== 0)?.taxability_reason ?? taxes[0]?.taxability_reason ?? null;
  if (rate.gt(0) && seller && !buyer.outsideRomania && !rateInForce(rate, saleDate)) {
    throw new MappingError(
      'vat_rate_not_in_force',
      `Checkout line ${i + 1} (${description}): Stripe tax rate ${taxes.find((t) => t.amount !== 0)?.rate.id ?? '(no id)'} charges ${rate.toString()} %, which was not a Romanian VAT rate on ${saleDate} (in force: ${ratesInForceText(saleDate)}). Correct the tax rate in Stripe, not in Storno.`,
    );
  }
  const line = buildLine({
    amountMinor: valueMinor + discountMinor, discountMinor, taxMinor, inclusive, rate,
    category: categorize(rate, reason, buyer, seller), quantity: qty, unitHintMinor: unitHint, description, period: null, currency, notes,
  });
  return { line, taxMinor };
}

/**
 * A payment without a Stripe invoice → Storno invoice. Lines from the Checkout Session when there is one,
 * else one line from the payment's description at the connection's default rate, tax-inclusive.
 */
export function mapStripePayment(payment: StripePaymentInput, ctx: PaymentMappingContext): MappingResult {
  const currency = payment.currency.toUpperCase();
  const buyer = asBuyer(ctx.customer);
  const saleDate = bucharestDate(payment.created);
  const notes: string[] = [];
  const assumptions: string[] = [];
  let lines: StornoLineInput[];
  let taxMinor = 0;
  if (payment.checkoutLineItems?.length) {
    lines = payment.checkoutLineItems.map((item, i) => {
      const r = checkoutLine(item, i, ctx, buyer, saleDate, currency, notes, assumptions);
      taxMinor += r.taxMinor;
      return r.line;
    });
  } else {
    const { rate, category } = untaxedTreatment(buyer, saleDate, ctx.defaultVatRate, ctx.sellerVatPayer ?? true, assumptions);
    const description = payment.description?.trim() || `Plată Stripe ${payment.id}`;
    lines = [
      buildLine({
        amountMinor: payment.amount, discountMinor: 0, taxMinor: 0, inclusive: true, rate,
        category, quantity: new Big(1), unitHintMinor: null,
        description, period: null, currency, notes,
      }),
    ];
  }
  const payload = basePayload(ctx, currency, saleDate, lines);
  payload.notes = `Plată Stripe ${payment.id}`;
  // Without Stripe tax details the "Stripe tax" is what the default rate implies (VAT drift is then 0).
  const stripeTaxMinorOrNull = payment.checkoutLineItems?.some((i) => (i.taxes?.length ?? 0) > 0 || !!i.amount_tax) ? taxMinor : null;
  const result = finish(payload, payment.amount, stripeTaxMinorOrNull ?? 0, currency, notes);
  result.assumptions = [...new Set(assumptions)];
  if (stripeTaxMinorOrNull === null) {
    result.stripeTaxTotal = result.expected.vatTotal;
    result.vatDrift = '0.00';
  }
  return result;
}
