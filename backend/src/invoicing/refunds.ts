// Refund documents against a parent Storno invoice (storno-api.md §3.7, efactura-facts.md §4).
//
// Convention: efactura-facts.md §8 case 15 allows a 381 with *plus* values or a 380 storno with *minus*
// quantities, and forbids "a 381 with qty −1". So:
// - 'storno_380' (default): documentType "invoice" + parentDocumentId, negative quantities, positive prices
//   (Storno option 1: UBL 380 with negative quantities + BillingReference; status "refund" on issue).
// - 'credit_note_381': documentType "credit_note" + parentDocumentId, positive quantities (UBL 381 with
//   plus values; needs an active credit_note series in Storno).
// Either way prices stay positive (BR-27) and the rate is copied from the parent line (a refund of a
// July 2025 invoice stays at 19 %).
import Big from 'big.js';
import { documentStep, formatMoney, formatQuantity, formatRate, minorToMajor, parseDecimal, roundHalfUp } from './money.js';
import { stornoLineAmounts, stornoTotals } from './mapping.js';
import type { DecimalLike, StornoInvoiceInput, StornoLineInput, StornoTotals, VatCategoryCode } from './types.js';

export type RefundConvention = 'storno_380' | 'credit_note_381';

/** A parent line as Storno holds it (GET /api/v1/invoices/{id} → lines[]). */
export interface ParentLine {
  description: string;
  quantity: string;
  unitPrice: string;
  vatRate: string;
  vatCategoryCode: VatCategoryCode | string;
  vatIncluded: boolean;
  /** Net line amount. */
  lineTotal: string;
  vatAmount: string;
  discount?: string | null;
  unitOfMeasure?: string | null;
}

export interface ParentDocument {
  id: string;
  number?: string | null;
  /** YYYY-MM-DD */
  issueDate?: string | null;
  currency: string;
  lines: ParentLine[];
}

/** Gross already credited per VAT group (category + rate) by earlier refund documents. */
export interface CreditedGroup {
  vatCategoryCode: string;
  vatRate: string;
  gross: string;
}

export interface RefundContext {
  clientId: string;
  idempotencyKey: string;
  /** YYYY-MM-DD, Europe/Bucharest day of the refund. */
  issueDate: string;
  documentSeriesId?: string;
  convention?: RefundConvention;
  /** Stripe refund id, for the notes. */
  refundId?: string;
}

export interface RefundResult {
  payload: StornoInvoiceInput;
  /** Totals Storno will compute (negative for a 380 storno, positive for a 381). */
  expected: StornoTotals;
  /** Gross credited per group by this document (positive), to add to the cumulative record. */
  credited: CreditedGroup[];
  /** Gross still refundable after this document. */
  remainingAfter: string;
}

export class RefundError extends Error {
  constructor(
    readonly code: 'refund_exceeds_invoice' | 'nothing_to_refund' | 'invalid_amount',
    message: string,
  ) {
    super(message);
    this.name = 'RefundError';
  }
}

interface Group {
  key: string;
  vatCategoryCode: string;
  vatRate: string;
  gross: Big;
}

function groupKey(category: string, rate: string): string {
  return `${category}|${formatRate(rate)}`;
}

/** The parent's VAT groups with their gross (net + VAT as Storno stored them), in first-seen order. */
export function parentGroups(parent: ParentDocument): Group[] {
  const map = new Map<string, Group>();
  for (const l of parent.lines) {
    const key = groupKey(l.vatCategoryCode, l.vatRate);
    const g = map.get(key) ?? { key, vatCategoryCode: l.vatCategoryCode, vatRate: formatRate(l.vatRate), gross: new Big(0) };
    g.gross = g.gross.plus(parseDecimal(l.lineTotal)).plus(parseDecimal(l.vatAmount));
    map.set(key, g);
  }
  return [...map.values()];
}

function remainingGroups(parent: ParentDocument, already: readonly CreditedGroup[]): Group[] {
  const groups = parentGroups(parent);
  for (const c of already) {
    const g = groups.find((x) => x.key === groupKey(c.vatCategoryCode, c.vatRate));
    if (!g) throw new RefundError('invalid_amount', `An earlier refund credited VAT group ${c.vatCategoryCode} ${c.vatRate} %, which the invoice does not have.`);
    g.gross = g.gross.minus(parseDecimal(c.gross));
  }
  return groups;
}

/**
 * Splits `amount` over `weights` proportionally, in multiples of `step`, by largest remainder (ties: larger
 * weight, then order). Σ result = amount exactly; no share exceeds its weight when amount ≤ Σ weights.
 */
export function allocateLargestRemainder(amount: Big, weights: readonly Big[], step: Big): Big[] {
  const total = weights.reduce((s, w) => s.plus(w), new Big(0));
  if (total.lte(0)) throw new RefundError('nothing_to_refund', 'Nothing left to refund on this invoice.');
  const units = amount.div(step);
  const exact = weights.map((w) => units.times(w).div(total));
  const floors = exact.map((e) => e.round(0, 0 as Big.RoundingMode));
  let left = Number(units.minus(floors.reduce((s, f) => s.plus(f), new Big(0))).toFixed(0));
  const order = exact
    .map((e, i) => ({ i, frac: e.minus(floors[i]), w: weights[i] }))
    .sort((a, b) => b.frac.cmp(a.frac) || b.w.cmp(a.w) || a.i - b.i);
  for (const o of order) {
    if (left <= 0) break;
    floors[o.i] = floors[o.i].plus(1);
    left--;
  }
  return floors.map((f) => f.times(step));
}

function sign(convention: RefundConvention): 1 | -1 {
  return convention === 'credit_note_381' ? 1 : -1;
}

function basePayload(parent: ParentDocument, ctx: RefundContext, lines: StornoLineInput[], notes: string): StornoInvoiceInput {
  const convention = ctx.convention ?? 'storno_380';
  const payload: StornoInvoiceInput = {
    clientId: ctx.clientId,
    lines,
    currency: parent.currency.toUpperCase(),
    issueDate: ctx.issueDate,
    documentType: convention === 'credit_note_381' ? 'credit_note' : 'invoice',
    parentDocumentId: parent.id,
    paymentMethod: 'card',
    notes: ctx.refundId ? `${notes} (Stripe ${ctx.refundId})` : notes,
    idempotencyKey: ctx.idempotencyKey,
  };
  if (lines.some((l) => l.vatCategoryCode === 'AE')) payload.invoiceTypeCode = 'reverse_charge';
  if (ctx.documentSeriesId) payload.documentSeriesId = ctx.documentSeriesId;
  return payload;
}

function parentRef(parent: ParentDocument): string {
  return `${parent.number ?? parent.id}${parent.issueDate ? ` din ${parent.issueDate}` : ''}`;
}

/** Whether Storno's math on `line` gives exactly −(net, vat) of the parent line (or +, for a 381). */
function reproduces(line: StornoLineInput, p: ParentLine, s: 1 | -1): boolean {
  const a = stornoLineAmounts(line);
  return a.net.eq(parseDecimal(p.lineTotal).times(s)) && a.vat.eq(parseDecimal(p.vatAmount).times(s));
}

/** Reverses one parent line exactly; falls back to ∓1 × net (or gross) when a discount or odd data is involved. */
function reverseLine(p: ParentLine, s: 1 | -1): StornoLineInput {
  const common = {
    description: p.description,
    vatRate: formatRate(p.vatRate),
    vatCategoryCode: p.vatCategoryCode as VatCategoryCode,
    ...(p.unitOfMeasure ? { unitOfMeasure: p.unitOfMeasure } : {}),
  };
  const hasDiscount = p.discount != null && !parseDecimal(p.discount).eq(0);
  if (!hasDiscount) {
    const same: StornoLineInput = { ...common, quantity: formatQuantity(parseDecimal(p.quantity).times(s)), unitPrice: formatMoney(p.unitPrice), vatIncluded: p.vatIncluded };
    if (reproduces(same, p, s)) return same;
  }
  const net = parseDecimal(p.lineTotal);
  const gross = net.plus(parseDecimal(p.vatAmount));
  const q = (v: Big) => formatQuantity(v.lt(0) ? -s : s);
  const exclusive: StornoLineInput = { ...common, quantity: q(net), unitPrice: formatMoney(net.abs()), vatIncluded: false };
  if (reproduces(exclusive, p, s)) return exclusive;
  // Last resort keeps the gross exact (net/VAT may move by a cent vs the parent's stored split).
  return { ...common, quantity: q(gross), unitPrice: formatMoney(gross.abs()), vatIncluded: true };
}

function bigMin(a: Big, b: Big): Big {
  return a.lt(b) ? a : b;
}

function total(groups: readonly Group[]): Big {
  return groups.reduce((s, g) => s.plus(g.gross), new Big(0));
}

/**
 * Full refund. With no earlier refunds every parent line is reversed as is (same description, quantity
 * negated, same price and rate). After partial refunds it credits exactly what is left, per VAT group.
 */
export function fullRefund(parent: ParentDocument, ctx: RefundContext, alreadyCredited: readonly CreditedGroup[] = []): RefundResult {
  const s = sign(ctx.convention ?? 'storno_380');
  const creditedSoFar = alreadyCredited.reduce((sum, c) => sum.plus(parseDecimal(c.gross)), new Big(0));
  if (creditedSoFar.eq(0)) {
    if (!parent.lines.length) throw new RefundError('nothing_to_refund', 'The invoice has no lines to refund.');
    const lines = parent.lines.map((l) => reverseLine(l, s));
    const payload = basePayload(parent, ctx, lines, `Stornare factura ${parentRef(parent)}`);
    return {
      payload,
      expected: stornoTotals(lines),
      credited: parentGroups(parent).map((g) => ({ vatCategoryCode: g.vatCategoryCode, vatRate: g.vatRate, gross: formatMoney(g.gross) })),
      remainingAfter: '0.00',
    };
  }
  const all = remainingGroups(parent, alreadyCredited);
  const left = bigMin(total(all.filter((g) => g.gross.gt(0))), total(all));
  if (left.lte(0)) throw new RefundError('nothing_to_refund', `Invoice ${parent.number ?? parent.id} is already fully refunded.`);
  return partialRefundAmount(parent, left, ctx, alreadyCredited, `Rambursare rest factura ${parentRef(parent)}`);
}

/**
 * Partial refund of `amountMinor` (Stripe minor units of the parent's currency): split over the VAT groups
 * still refundable, proportionally to their remaining gross, largest remainder to the cent; one line per
 * group at ∓1 × gross, tax-inclusive, so Storno computes VAT = gross − round(gross/(1+r)), which equals
 * round(G × r/(100+r)). Throws `refund_exceeds_invoice` when the refunds would exceed the invoice.
 */
export function partialRefund(parent: ParentDocument, amountMinor: number, ctx: RefundContext, alreadyCredited: readonly CreditedGroup[] = []): RefundResult {
  const amount = minorToMajor(amountMinor, parent.currency);
  return partialRefundAmount(parent, amount, ctx, alreadyCredited, `Rambursare parțială factura ${parentRef(parent)}`);
}

function partialRefundAmount(parent: ParentDocument, amount: Big, ctx: RefundContext, alreadyCredited: readonly CreditedGroup[], title: string): RefundResult {
  const cent = new Big('0.01');
  if (amount.lte(0) || !amount.mod(cent).eq(0)) {
    throw new RefundError('invalid_amount', `Refund amount ${amount.toString()} ${parent.currency} is not a positive amount in cents.`);
  }
  const all = remainingGroups(parent, alreadyCredited);
  const groups = all.filter((g) => g.gross.gt(0));
  // Allocate in whole units for JPY-like currencies, unless the parent itself holds fractions (then cents).
  const unit = documentStep(parent.currency);
  const step = amount.mod(unit).eq(0) && groups.every((g) => g.gross.mod(unit).eq(0)) ? unit : cent;
  // A net-negative group (a credit in its own VAT group) lowers what the invoice is worth: never credit
  // more than the invoice's remaining total, even though positive groups alone would allow it.
  const left = bigMin(total(groups), total(all));
  if (amount.gt(left)) {
    throw new RefundError(
      'refund_exceeds_invoice',
      `Refund ${formatMoney(amount)} ${parent.currency} exceeds the ${formatMoney(left)} ${parent.currency} still refundable on invoice ${parent.number ?? parent.id}.`,
    );
  }
  const shares = allocateLargestRemainder(amount, groups.map((g) => g.gross), step);
  const s = sign(ctx.convention ?? 'storno_380');
  const lines: StornoLineInput[] = [];
  const credited: CreditedGroup[] = [];
  groups.forEach((g, i) => {
    const share = shares[i];
    if (share.eq(0)) return;
    const suffix = groups.length > 1 ? ` — TVA ${g.vatCategoryCode} ${new Big(g.vatRate).toString()}%` : '';
    lines.push({
      description: `${title}${suffix}`.slice(0, 100),
      quantity: formatQuantity(s),
      unitPrice: formatMoney(share),
      vatRate: g.vatRate,
      vatCategoryCode: g.vatCategoryCode as VatCategoryCode,
      vatIncluded: true,
    });
    credited.push({ vatCategoryCode: g.vatCategoryCode, vatRate: g.vatRate, gross: formatMoney(share) });
  });
  const payload = basePayload(parent, ctx, lines, title);
  return { payload, expected: stornoTotals(lines), credited, remainingAfter: formatMoney(left.minus(amount)) };
}

/** VAT inside a gross amount at `rate` %: round(G × r/(100+r), 2) (efactura-facts.md §4). */
export function vatFromGross(gross: DecimalLike, rate: DecimalLike): { vat: string; net: string } {
  const g = parseDecimal(String(gross));
  const r = parseDecimal(String(rate));
  const vat = roundHalfUp(g.times(r).div(r.plus(100)), 2);
  return { vat: formatMoney(vat), net: formatMoney(g.minus(vat)) };
}

/** Per-group gross credited by a refund document's lines (absolute values), for the cumulative record. */
export function creditedGroupsOf(lines: readonly Pick<StornoLineInput, 'quantity' | 'unitPrice' | 'discount' | 'vatRate' | 'vatIncluded' | 'vatCategoryCode'>[]): CreditedGroup[] {
  const map = new Map<string, CreditedGroup & { sum: Big }>();
  for (const l of lines) {
    const key = groupKey(l.vatCategoryCode, l.vatRate);
    const g = map.get(key) ?? { vatCategoryCode: l.vatCategoryCode, vatRate: formatRate(l.vatRate), gross: '0.00', sum: new Big(0) };
    g.sum = g.sum.plus(stornoLineAmounts(l).gross);
    map.set(key, g);
  }
  return [...map.values()].map((g) => ({ vatCategoryCode: g.vatCategoryCode, vatRate: g.vatRate, gross: formatMoney(g.sum.abs()) }));
}

export interface StandaloneRefundInput {
  clientId: string;
  idempotencyKey: string;
  issueDate: string;
  currency: string;
  /** Refunded amount in Stripe minor units (positive). */
  amountMinor: number;
  /** Rate of the original sale, e.g. "21.00" (or "19.00" for a sale before Aug 2025). */
  vatRate: DecimalLike;
  vatCategoryCode?: VatCategoryCode;
  description?: string;
  refundId?: string;
  documentSeriesId?: string;
}

/**
 * The explicit no-parent choice (storno-api.md §3.7 option 2): a standalone invoice with one line
 * −1 × refunded gross, tax-inclusive, positive price. Only when no e-invoice exists for the payment.
 */
export function standaloneRefundInvoice(input: StandaloneRefundInput): { payload: StornoInvoiceInput; expected: StornoTotals } {
  const amount = minorToMajor(input.amountMinor, input.currency);
  if (amount.lte(0)) throw new RefundError('invalid_amount', 'The refund amount must be positive.');
  const category = input.vatCategoryCode ?? 'S';
  const line: StornoLineInput = {
    description: (input.description?.trim() || `Rambursare plată Stripe${input.refundId ? ` ${input.refundId}` : ''}`).slice(0, 100),
    quantity: formatQuantity(-1),
    unitPrice: formatMoney(amount),
    vatRate: category === 'S' ? formatRate(parseDecimal(String(input.vatRate))) : '0.00',
    vatCategoryCode: category,
    vatIncluded: true,
  };
  const payload: StornoInvoiceInput = {
    clientId: input.clientId,
    lines: [line],
    currency: input.currency.toUpperCase(),
    issueDate: input.issueDate,
    documentType: 'invoice',
    paymentMethod: 'card',
    notes: `Rambursare Stripe${input.refundId ? ` ${input.refundId}` : ''}`,
    idempotencyKey: input.idempotencyKey,
  };
  if (input.documentSeriesId) payload.documentSeriesId = input.documentSeriesId;
  return { payload, expected: stornoTotals([line]) };
}
