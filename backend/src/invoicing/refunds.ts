// Refund documents against a parent Storno invoice (storno-api.md §3.7, efactura-facts.md §4).
//
// Convention: efactura-facts.md §8 case 15 allows a 381 with *plus* values or a 380 storno with *minus*
// quantities, and forbids "a 381 with qty −1". We send the 380 storno: documentType "invoice" + parentDocumentId,
// negative quantities, positive prices (Storno option 1: UBL 380 with negative quantities + BillingReference;
// status "refund" on issue; no credit-note series needed). Prices stay positive (BR-27) and the rate is copied
// from the parent line (a refund of a July 2025 invoice stays at 19 %).
//
// Caps: per VAT group (category + rate) the credit notes of one invoice never credit more net or more VAT
// than the invoice had, and the refund of the rest credits exactly what remains of each group, net and VAT,
// to the cent. Lines are sent as *net* amounts whose VAT Storno computes per line (round(net × r/100));
// when one line cannot carry the group's exact VAT, the net is split over a few lines whose roundings add up
// to it — never a VAT-inclusive gross that Storno would re-split by a cent.
import Big from 'big.js';
import { documentStep, formatMoney, formatQuantity, formatRate, minorToMajor, parseDecimal, roundHalfUp } from './money.js';
import { stornoLineAmounts, stornoTotals, withVatRegime } from './mapping.js';
import type { DecimalLike, StornoInvoiceInput, StornoLineInput, StornoTotals, VatCategoryCode } from './types.js';


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

/** What earlier refund documents credited per VAT group (category + rate): net, VAT and their sum. */
export interface CreditedGroup {
  vatCategoryCode: string;
  vatRate: string;
  net: string;
  vat: string;
  gross: string;
}

export interface RefundContext {
  clientId: string;
  idempotencyKey: string;
  /** YYYY-MM-DD, Europe/Bucharest day of the refund. */
  issueDate: string;
  /** Stripe refund id, for the notes. */
  refundId?: string;
}

export interface RefundResult {
  payload: StornoInvoiceInput;
  /** Totals Storno will compute (negative: a 380 storno). */
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
  net: Big;
  vat: Big;
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
    const g = map.get(key) ?? { key, vatCategoryCode: l.vatCategoryCode, vatRate: formatRate(l.vatRate), net: new Big(0), vat: new Big(0), gross: new Big(0) };
    g.net = g.net.plus(parseDecimal(l.lineTotal));
    g.vat = g.vat.plus(parseDecimal(l.vatAmount));
    g.gross = g.net.plus(g.vat);
    map.set(key, g);
  }
  return [...map.values()];
}

function remainingGroups(parent: ParentDocument, already: readonly CreditedGroup[]): Group[] {
  const groups = parentGroups(parent);
  for (const c of already) {
    const g = groups.find((x) => x.key === groupKey(c.vatCategoryCode, c.vatRate));
    if (!g) throw new RefundError('invalid_amount', `An earlier refund credited VAT group ${c.vatCategoryCode} ${c.vatRate} %, which the invoice does not have.`);
    g.net = g.net.minus(parseDecimal(c.net));
    g.vat = g.vat.minus(parseDecimal(c.vat));
    g.gross = g.net.plus(g.vat);
  }
  return groups;
}

const vatOfNet = (net: Big, rate: Big) => roundHalfUp(net.times(rate).div(100), 2);

/**
 * Net amounts (2 dp) adding up to `net` whose per-line VAT at `rate` adds up to `vat`: one amount when
 * Storno's rounding of the whole gives `vat`; else the net split into a main line and k equal small lines,
 * which move the rounding by about half a cent each — taken from the main line, or, when the main line is
 * too small for that (0.04 net holding 0.01 VAT at 11 %), added to it and given back as opposite lines.
 * Falls back to the single amount if no split within reach exists.
 */
export function netSplitFor(net: Big, vat: Big, rate: Big): Big[] {
  if (rate.eq(0) || vatOfNet(net, rate).eq(vat)) return [net];
  const sign = net.lt(0) ? -1 : 1;
  const abs = net.abs();
  const target = vat.times(sign);
  const cent = new Big('0.01');
  for (let k = 1; k <= 12; k++) {
    for (let x = cent; x.lte(new Big(5)); x = x.plus(cent)) {
      const smaller = abs.minus(x.times(k));
      if (smaller.gt(0) && vatOfNet(smaller, rate).plus(vatOfNet(x, rate).times(k)).eq(target)) {
        return [smaller.times(sign), ...Array.from({ length: k }, () => x.times(sign))];
      }
      const larger = abs.plus(x.times(k));
      if (vatOfNet(larger, rate).minus(vatOfNet(x, rate).times(k)).eq(target)) {
        return [larger.times(sign), ...Array.from({ length: k }, () => x.times(-sign))];
      }
    }
  }
  return [net];
}

/** Lines crediting exactly `net` and `vat` of one group: quantity −1 (a 380 storno) at the positive net. */
function groupLines(description: string, g: Pick<Group, 'vatCategoryCode' | 'vatRate'>, net: Big, vat: Big, extra: Partial<StornoLineInput> = {}): StornoLineInput[] {
  return netSplitFor(net, vat, new Big(g.vatRate)).map((n) => ({
    description: description.slice(0, 100),
    quantity: formatQuantity(n.lt(0) ? 1 : -1),
    unitPrice: formatMoney(n.abs()),
    vatRate: g.vatRate,
    vatCategoryCode: g.vatCategoryCode as VatCategoryCode,
    vatIncluded: false,
    ...extra,
  }));
}

function creditedOf(g: Pick<Group, 'vatCategoryCode' | 'vatRate'>, net: Big, vat: Big): CreditedGroup {
  return { vatCategoryCode: g.vatCategoryCode, vatRate: g.vatRate, net: formatMoney(net), vat: formatMoney(vat), gross: formatMoney(net.plus(vat)) };
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

function basePayload(parent: ParentDocument, ctx: RefundContext, lines: StornoLineInput[], notes: string): StornoInvoiceInput {
  const payload: StornoInvoiceInput = {
    clientId: ctx.clientId,
    lines,
    currency: parent.currency.toUpperCase(),
    issueDate: ctx.issueDate,
    documentType: 'invoice',
    parentDocumentId: parent.id,
    paymentMethod: 'card',
    notes: ctx.refundId ? `${notes} (Stripe ${ctx.refundId})` : notes,
    idempotencyKey: ctx.idempotencyKey,
  };
  return withVatRegime(payload);
}

function parentRef(parent: ParentDocument): string {
  return `${parent.number ?? parent.id}${parent.issueDate ? ` din ${parent.issueDate}` : ''}`;
}

/** Whether Storno's math on `line` gives exactly −(net, vat) of the parent line. */
function reproduces(line: StornoLineInput, p: ParentLine): boolean {
  const a = stornoLineAmounts(line);
  return a.net.eq(parseDecimal(p.lineTotal).neg()) && a.vat.eq(parseDecimal(p.vatAmount).neg());
}

/** Reverses one parent line exactly; falls back to net lines when a discount or odd data is involved. */
function reverseLine(p: ParentLine): StornoLineInput[] {
  const common = {
    description: p.description,
    vatRate: formatRate(p.vatRate),
    vatCategoryCode: p.vatCategoryCode as VatCategoryCode,
    ...(p.unitOfMeasure ? { unitOfMeasure: p.unitOfMeasure } : {}),
  };
  const hasDiscount = p.discount != null && !parseDecimal(p.discount).eq(0);
  if (!hasDiscount) {
    const same: StornoLineInput = { ...common, quantity: formatQuantity(parseDecimal(p.quantity).neg()), unitPrice: formatMoney(p.unitPrice), vatIncluded: p.vatIncluded };
    if (reproduces(same, p)) return [same];
  }
  // The line's exact net and VAT, as net lines (split when one line's rounding cannot give the VAT).
  const extra = p.unitOfMeasure ? { unitOfMeasure: p.unitOfMeasure } : {};
  return groupLines(p.description, { vatCategoryCode: p.vatCategoryCode, vatRate: formatRate(p.vatRate) }, parseDecimal(p.lineTotal), parseDecimal(p.vatAmount), extra);
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
  const creditedSoFar = alreadyCredited.reduce((sum, c) => sum.plus(parseDecimal(c.gross)), new Big(0));
  if (creditedSoFar.eq(0)) {
    if (!parent.lines.length) throw new RefundError('nothing_to_refund', 'The invoice has no lines to refund.');
    const lines = parent.lines.flatMap((l) => reverseLine(l));
    const payload = basePayload(parent, ctx, lines, `Stornare factura ${parentRef(parent)}`);
    return {
      payload,
      expected: stornoTotals(lines),
      credited: parentGroups(parent).map((g) => creditedOf(g, g.net, g.vat)),
      remainingAfter: '0.00',
    };
  }
  // After partial refunds: exactly what remains of every group, net and VAT (a credit group is given back too).
  const all = remainingGroups(parent, alreadyCredited).filter((g) => !g.net.eq(0) || !g.vat.eq(0));
  if (total(all).lte(0)) throw new RefundError('nothing_to_refund', `Invoice ${parent.number ?? parent.id} is already fully refunded.`);
  const title = `Rambursare rest factura ${parentRef(parent)}`;
  const lines = all.flatMap((g) => groupLines(`${title}${groupSuffix(g, all.length)}`, g, g.net, g.vat));
  return { payload: basePayload(parent, ctx, lines, title), expected: stornoTotals(lines), credited: all.map((g) => creditedOf(g, g.net, g.vat)), remainingAfter: '0.00' };
}

function groupSuffix(g: Pick<Group, 'vatCategoryCode' | 'vatRate'>, groups: number): string {
  return groups > 1 ? ` — TVA ${g.vatCategoryCode} ${new Big(g.vatRate).toString()}%` : '';
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
  const lines: StornoLineInput[] = [];
  const credited: CreditedGroup[] = [];
  groups.forEach((g, i) => {
    const share = shares[i];
    if (share.eq(0)) return;
    const { net, vat } = splitShare(share, g);
    lines.push(...groupLines(`${title}${groupSuffix(g, groups.length)}`, g, net, vat));
    credited.push(creditedOf(g, net, vat));
  });
  const payload = basePayload(parent, ctx, lines, title);
  return { payload, expected: stornoTotals(lines), credited, remainingAfter: formatMoney(left.minus(amount)) };
}

/**
 * A gross share of one group as net + VAT: VAT = round(G × r/(100+r), 2) (efactura-facts.md §4), kept within
 * what the group still holds of each (a share that closes the group takes exactly its remaining net and VAT).
 */
function splitShare(share: Big, g: Group): { net: Big; vat: Big } {
  if (share.eq(g.gross)) return { net: g.net, vat: g.vat };
  const rate = new Big(g.vatRate);
  let vat = roundHalfUp(share.times(rate).div(rate.plus(100)), 2);
  if (vat.gt(g.vat)) vat = g.vat;
  let net = share.minus(vat);
  if (net.gt(g.net)) {
    net = g.net;
    vat = share.minus(net);
  }
  return { net, vat };
}

/**
 * Net and VAT credited per group by a refund document (absolute values), for the cumulative record: Storno's
 * stored line amounts (lineTotal, vatAmount) when given — the documents of record — else Storno's math.
 */
export function creditedGroupsOf(lines: readonly (Pick<StornoLineInput, 'quantity' | 'unitPrice' | 'discount' | 'vatRate' | 'vatIncluded' | 'vatCategoryCode'> & { lineTotal?: string | null; vatAmount?: string | null })[]): CreditedGroup[] {
  const map = new Map<string, { g: Pick<Group, 'vatCategoryCode' | 'vatRate'>; net: Big; vat: Big }>();
  for (const l of lines) {
    const key = groupKey(l.vatCategoryCode, l.vatRate);
    const entry = map.get(key) ?? { g: { vatCategoryCode: l.vatCategoryCode, vatRate: formatRate(l.vatRate) }, net: new Big(0), vat: new Big(0) };
    const stored = l.lineTotal != null && l.vatAmount != null;
    const a = stored ? { net: parseDecimal(l.lineTotal!), vat: parseDecimal(l.vatAmount!) } : stornoLineAmounts(l);
    entry.net = entry.net.plus(a.net);
    entry.vat = entry.vat.plus(a.vat);
    map.set(key, entry);
  }
  return [...map.values()].map((e) => creditedOf(e.g, e.net.abs(), e.vat.abs()));
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
  refundId?: string;
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
    description: `Rambursare plată Stripe${input.refundId ? ` ${input.refundId}` : ''}`.slice(0, 100),
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
  return { payload: withVatRegime(payload), expected: stornoTotals([line]) };
}
