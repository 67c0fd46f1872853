// What each kind of document is made of: read the current Stripe objects (never amounts sent by the
// extension), find the buyer, map to a Storno payload, and collect everything that blocks sending.
import Big from 'big.js';
import type { DocumentProblem } from '../../../src/api/contract.js';
import { BnrCurrencyUnknown, type BnrRates } from '../bnr/rates.js';
import { buyerFacts, type BuyerFacts } from '../invoicing/buyer.js';
import { bucharestDate, invoiceDay } from '../invoicing/dates.js';
import { mapStripeInvoice, mapStripePayment, MappingError, untaxedTreatment } from '../invoicing/mapping.js';
import { formatExchangeRate, minorToMajor, minorToStornoMoney } from '../invoicing/money.js';
import { buyerFromClient, preflight } from '../invoicing/preflight.js';
import { creditedGroupsOf, fullRefund, partialRefund, RefundError, standaloneRefundInvoice, type CreditedGroup, type ParentDocument } from '../invoicing/refunds.js';
import type { CustomerInput, StornoInvoiceInput, StornoTotals, StripeInvoiceInput, StripePaymentInput } from '../invoicing/types.js';
import type { Connection } from '../oauth/connections.js';
import type { StornoClient } from '../storno/client.js';
import type { StripeReader } from '../stripe/reader.js';
import type { StripeChargeData, StripeInvoiceData } from '../stripe/types.js';
import { customerInputOf, type CustomerMatcher } from './customers.js';
import { NotInvoiceable } from './errors.js';
import { isReadyParent } from './lifecycle.js';
import { amountPaid, assertNotCoveredByInvoice, findRefundParent, INVOICE_REFUSALS, invoiceRefusal } from './sales.js';
import type { DocumentLink, DocumentStore } from './store.js';

export interface BuiltDocument {
  payload?: StornoInvoiceInput;
  problem: DocumentProblem | null;
  clientName: string | null;
  total: string;
  currency: string;
  stripeCustomerId: string | null;
  /** A payment to record on the Storno invoice once issued (the Stripe object is paid). */
  payment?: { amount: string; paymentDate: string; reference: string };
  parentId?: string;
  /** Buyer country: only Romanian buyers (or none) go to e-Factura. */
  buyerCountry: string | null;
  /** The buyer is outside Romania: out of mandatory e-Factura scope (an upload is the merchant's choice). */
  outsideScope: boolean;
  /** Fiscal assumptions to show with the document. */
  assumptions: string[];
  /** The BNR rate the document carries (non-RON only). */
  exchangeRate?: { rate: string; publishedOn: string };
  /** The document's issue date (YYYY-MM-DD, Europe/Bucharest): its upload deadline follows from it. */
  issueDate: string;
}

/** A credit note whose parent e-invoice does not exist yet or is not yet accepted: it waits (a normal state). */
export class WaitingForParent extends Error {
  constructor(
    /** "invoice:in_…" or "payment:pi_…": the parent document's Stripe object. */
    readonly parent: string,
    readonly issueDate?: string,
  ) {
    super(`Waits for the e-invoice of ${parent.replace(':', ' ')} to be accepted.`);
    this.name = 'WaitingForParent';
  }
}

export interface BuildDeps {
  reader: StripeReader;
  storno: StornoClient;
  customers: CustomerMatcher;
  documents: DocumentStore;
  bnr: BnrRates;
  /** The Storno company's active VAT rates (kept a few minutes; `fresh` reads them again). */
  activeRates: (options?: { fresh?: boolean }) => Promise<ReadonlySet<string>>;
}

/** Read for every document: a company whose VAT registration changed must never issue one more document the old way. */
async function sellerIsVatPayer(storno: StornoClient, connection: Connection): Promise<boolean> {
  const company = await storno.getCompany(connection.stornoCompanyId);
  return company.vatPayer !== false;
}

function preflightProblem(checks: { code: string; message: string; params?: Record<string, string> }[]): DocumentProblem | null {
  return checks.length ? { kind: 'preflight', checks } : null;
}

/** The invoice's own buyer snapshot (what was on the invoice at finalization), over the customer record. */
function invoiceBuyer(invoice: StripeInvoiceData, customer: CustomerInput): CustomerInput {
  const taxIds = invoice.customer_tax_ids?.length
    ? invoice.customer_tax_ids.map((t) => ({ type: String(t.type), value: t.value ?? null, verification: customer.taxIds?.find((c) => c.value === t.value)?.verification ?? null }))
    : customer.taxIds;
  return {
    name: invoice.customer_name ?? customer.name,
    email: invoice.customer_email ?? customer.email,
    phone: invoice.customer_phone ?? customer.phone,
    address: invoice.customer_address ?? customer.address,
    taxIds,
    taxExempt: invoice.customer_tax_exempt ? String(invoice.customer_tax_exempt) : customer.taxExempt,
  };
}

interface Mapped {
  payload: StornoInvoiceInput;
  mismatch: DocumentProblem | null;
  total: string;
  assumptions?: string[];
}

type Finished = Pick<BuiltDocument, 'payload' | 'problem' | 'clientName' | 'total' | 'outsideScope' | 'assumptions' | 'exchangeRate'>;

/**
 * The steps every sale document shares, on one set of buyer facts: map (a mapping refusal is a pre-flight
 * problem), find the Storno client, check the buyer the document will actually carry (the matched client
 * as Storno holds it, else the Stripe customer a new client is made from) and the lines, then — only for a
 * document that may be sent — create the client, take the BNR rate and map for real.
 */
async function finish(
  deps: BuildDeps,
  connection: Connection,
  input: { customerId: string | null; buyer: BuyerFacts; map: (clientId: string, exchangeRate?: string) => Mapped; rateDate?: string },
): Promise<Finished> {
  const name = input.buyer.input.name ?? null;
  let draft: Mapped;
  try {
    draft = input.map('');
  } catch (err) {
    if (err instanceof MappingError) return { problem: preflightProblem([{ code: err.code, message: err.message, params: {} }]), clientName: name, total: '0.00', outsideScope: input.buyer.outsideRomania, assumptions: [] };
    throw err;
  }
  const { resolved } = await deps.customers.resolve(connection, deps.storno, input.customerId, input.buyer);
  const carried = resolved?.client ? buyerFromClient(resolved.client) : input.buyer;
  const checks = preflight({
    customer: carried,
    buyerSource: resolved?.client ? { kind: 'storno', clientName: resolved.client.name } : { kind: 'stripe' },
    currency: draft.payload.currency,
    lines: draft.payload.lines,
  });
  checks.push(...(await inactiveRateChecks(deps, draft.payload)));
  const outsideScope = carried.outsideRomania;
  if (checks.length) return { problem: preflightProblem(checks), clientName: name, total: draft.total, outsideScope, assumptions: draft.assumptions ?? [] };
  const exchangeRate = await documentRate(deps, draft.payload.currency, input.rateDate ?? draft.payload.issueDate);
  if (exchangeRate && 'problem' in exchangeRate) return { problem: exchangeRate.problem, clientName: name, total: draft.total, outsideScope, assumptions: draft.assumptions ?? [] };
  // Only a document that may be sent gets a Storno client made for it.
  const client = resolved ?? (await deps.customers.create(connection, deps.storno, input.customerId, input.buyer));
  const mapped = input.map(client.clientId, exchangeRate?.rate);
  return { payload: mapped.payload, problem: mapped.mismatch, clientName: name, total: mapped.total, outsideScope, assumptions: mapped.assumptions ?? [], exchangeRate };
}

/**
 * The BNR rate of a non-RON document's date (bnr/rates.ts states the rule). BNR being unreachable throws
 * BnrUnavailable (retryable): the document waits and is never sent without its rate.
 */
async function documentRate(deps: BuildDeps, currency: string, date: string): Promise<{ rate: string; publishedOn: string } | { problem: DocumentProblem } | undefined> {
  if (currency.toUpperCase() === 'RON') return undefined;
  try {
    const r = await deps.bnr.rateFor(currency, date);
    return { rate: formatExchangeRate(r.rate), publishedOn: r.publishedOn };
  } catch (err) {
    if (err instanceof BnrCurrencyUnknown) return { problem: preflightProblem([{ code: 'currency_unsupported', message: err.message }])! };
    throw err;
  }
}

/** Storno refuses lines whose rate is not an active rate of the company (e.g. 19% for a pre-August-2025 sale). */
async function inactiveRateChecks(deps: BuildDeps, payload: StornoInvoiceInput) {
  const rates = [...new Set(payload.lines.map((l) => l.vatRate))];
  let activeRates = await deps.activeRates();
  if (rates.some((rate) => !activeRates.has(rate))) activeRates = await deps.activeRates({ fresh: true });
  const missing = rates.filter((rate) => !activeRates.has(rate));
  return missing.map((rate) => ({
    code: 'vat_rate_inactive',
    message: `VAT rate ${rate}% is not active for this company in Storno.ro; activate it in Storno (Settings → VAT rates), then retry.`,
    params: { rate },
  }));
}

export async function buildInvoiceDocument(deps: BuildDeps, connection: Connection, link: DocumentLink): Promise<BuiltDocument> {
  const acct = connection.stripeAccountId;
  const invoice = await deps.reader.getInvoice(acct, link.stripeObjectId);
  const refusal = invoiceRefusal(String(invoice.status));
  if (refusal) throw new NotInvoiceable(INVOICE_REFUSALS[refusal]);
  const customerId = typeof invoice.customer === 'string' ? invoice.customer : (invoice.customer?.id ?? null);
  const customer = customerId ? customerInputOf(await deps.reader.getCustomer(acct, customerId)) : {};
  const buyer = buyerFacts(invoiceBuyer(invoice, customer), invoice.customer_tax_exempt ? String(invoice.customer_tax_exempt) : null);
  const paid = invoice.payments.data.filter((p) => p.status === 'paid');
  const paidMinor = paid.reduce((sum, p) => sum + (p.amount_paid ?? 0), 0);
  const paidAt = invoice.status_transitions?.paid_at ?? paid[0]?.status_transitions?.paid_at ?? null;
  const reference = paid[0]?.payment?.payment_intent ?? paid[0]?.payment?.charge ?? invoice.id;
  // The law's moment is finalization (issue 12); the merchant may choose "when paid": then the payment day, never earlier.
  const finalizedOn = invoiceDay(invoice);
  const paidOn = paidAt ? bucharestDate(paidAt) : null;
  const issueDate = connection.invoiceTrigger === 'paid' && paidOn && paidOn > finalizedOn ? paidOn : finalizedOn;
  const sellerVatPayer = await sellerIsVatPayer(deps.storno, connection);
  const built = await finish(deps, connection, {
    customerId,
    buyer,
    map: (clientId, exchangeRate) => {
      const r = mapStripeInvoice(invoice as unknown as StripeInvoiceInput, {
        clientId,
        idempotencyKey: link.idempotencyKey,
        customer: buyer,
        sellerVatPayer,
        taxRates: invoice.tax_rate_percentages,
        exchangeRate,
      });
      return { payload: r.payload, mismatch: r.mismatch ? { kind: 'total_mismatch', ...r.mismatch } : null, total: r.stripeTotal, assumptions: r.assumptions };
    },
    // The BNR rate of the document's own date.
    rateDate: issueDate,
  });
  if (built.payload) built.payload.issueDate = issueDate;
  return {
    ...built,
    issueDate,
    currency: invoice.currency.toUpperCase(),
    stripeCustomerId: customerId,
    buyerCountry: buyer.country,
    payment:
      invoice.status === 'paid' && paidMinor > 0 && paidAt
        ? { amount: minorToStornoMoney(paidMinor, invoice.currency), paymentDate: bucharestDate(paidAt), reference: String(typeof reference === 'string' ? reference : (reference as { id: string }).id) }
        : undefined,
  };
}

/** The card's billing details: the buyer of a payment with no Stripe customer and no Checkout Session. */
function chargeBuyer(charge: StripeChargeData | undefined): CustomerInput {
  return charge?.billing_details ? detailsBuyer(charge.billing_details) : { taxIds: [] };
}

export async function buildPaymentDocument(deps: BuildDeps, connection: Connection, link: DocumentLink): Promise<BuiltDocument> {
  const acct = connection.stripeAccountId;
  const resolved = await deps.reader.resolvePayment(acct, link.stripeObjectId);
  assertNotCoveredByInvoice(resolved);
  const pi = resolved.paymentIntent;
  const charge = resolved.charge;
  const status = pi?.status ?? charge?.status;
  if (status !== 'succeeded') throw new NotInvoiceable('Only a completed payment can be invoiced; this one has not succeeded yet.');
  const customerRef = pi?.customer ?? charge?.customer ?? null;
  const customerId = typeof customerRef === 'string' ? customerRef : (customerRef?.id ?? null);
  const checkout = pi ? await deps.reader.getCheckoutLineItems(acct, pi.id) : null;
  // Most precise first: the customer record, then what Checkout collected, then the card's billing details.
  const fromCharge = chargeBuyer(charge);
  const fromSession = checkout?.session.customer_details ? detailsBuyer(checkout.session.customer_details) : {};
  const fromCustomer = customerId ? customerInputOf(await deps.reader.getCustomer(acct, customerId)) : {};
  const buyer = buyerFacts({ ...fromCharge, ...definedOnly(fromSession), ...definedOnly(fromCustomer) });
  const amount = amountPaid(resolved);
  const currency = (pi?.currency ?? charge?.currency ?? 'ron').toUpperCase();
  const payment: StripePaymentInput = {
    id: pi?.id ?? charge!.id,
    amount,
    currency,
    created: pi?.created ?? charge!.created,
    description: pi?.description ?? charge?.description ?? null,
    checkoutLineItems: checkout?.lineItems as unknown as StripePaymentInput['checkoutLineItems'],
  };
  const sellerVatPayer = await sellerIsVatPayer(deps.storno, connection);
  const built = await finish(deps, connection, {
    customerId,
    buyer,
    map: (clientId, exchangeRate) => {
      const r = mapStripePayment(payment, { clientId, idempotencyKey: link.idempotencyKey, customer: buyer, defaultVatRate: connection.defaultVatRate, sellerVatPayer, exchangeRate });
      return { payload: r.payload, mismatch: r.mismatch ? { kind: 'total_mismatch', ...r.mismatch } : null, total: r.stripeTotal, assumptions: r.assumptions };
    },
  });
  return {
    ...built,
    currency,
    stripeCustomerId: customerId,
    buyerCountry: buyer.country,
    issueDate: built.payload?.issueDate ?? bucharestDate(payment.created),
    payment: { amount: minorToStornoMoney(amount, currency), paymentDate: bucharestDate(payment.created), reference: payment.id },
  };
}

/** A buyer from Stripe's name/email/phone/address details (Checkout's customer_details, a card's billing details). */
function detailsBuyer(details: { name?: string | null; email?: string | null; phone?: string | null; address?: CustomerInput['address']; tax_ids?: { type: unknown; value: string | null }[] | null }): CustomerInput {
  return {
    name: details.name ?? null,
    email: details.email ?? null,
    phone: details.phone ?? null,
    address: details.address ?? null,
    taxIds: (details.tax_ids ?? []).map((t) => ({ type: String(t.type), value: t.value })),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))) as Partial<T>;
}

/**
 * The parent document of a refund: the invoice's document, or the invoice-less payment's. It is ready once ANAF
 * accepted it (or it is final outside mandatory e-Factura scope, the legal invoice without ANAF). A rejected
 * parent never became an invoice: it is fixed and resent first.
 */
export const NO_PARENT_REASON = 'No e-invoice was made for the refunded payment, so there is nothing to credit. Make the e-invoice first, or issue a standalone refund invoice.';
export const PARENT_REJECTED_REASON = 'ANAF rejected the e-invoice of the refunded payment, so it never became an invoice: fix and resend it first, then make the credit note.';

export async function buildRefundDocument(deps: BuildDeps, connection: Connection, link: DocumentLink, standalone: boolean): Promise<BuiltDocument> {
  const { origin, parentKey, parent: anyParent, ready: parentLink } = await findRefundParent(deps, connection, link.stripeObjectId);
  const refund = origin.refund;
  if (refund.status !== 'succeeded') throw new NotInvoiceable(`This refund is ${refund.status}; a credit note is made once it has succeeded.`);
  const currency = refund.currency.toUpperCase();
  const issueDate = bucharestDate(refund.created);
  const customerRef = origin.charge?.customer ?? null;
  const customerId = typeof customerRef === 'string' ? customerRef : (customerRef?.id ?? null);

  // Asked for by the merchant against a rejected parent: refused (auto mode waits until it is fixed and accepted).
  if (!parentLink && !standalone && anyParent?.status === 'rejected' && link.origin !== 'auto') throw new NotInvoiceable(PARENT_REJECTED_REASON, 'parent_rejected');
  // The parent is on its way (or auto mode will make it): the credit note waits for it.
  if (!parentLink && !standalone && (anyParent || link.origin === 'auto')) throw new WaitingForParent(parentKey, issueDate);
  if (!parentLink) {
    if (!standalone) throw new NotInvoiceable(NO_PARENT_REASON, 'no_parent_document');
    const buyer = buyerFacts(customerId ? customerInputOf(await deps.reader.getCustomer(connection.stripeAccountId, customerId)) : chargeBuyer(origin.charge ?? undefined));
    // The refunded sale's own date decides its VAT rate and exchange rate (a July 2025 sale stays at 19 %).
    const saleDate = bucharestDate(origin.charge?.created ?? refund.created);
    const sellerVatPayer = await sellerIsVatPayer(deps.storno, connection);
    const built = await finish(deps, connection, {
      customerId,
      buyer,
      map: (clientId, exchangeRate) => {
        // The refunded payment had no Stripe tax details either: the treatment its own e-invoice would have had.
        const assumptions: string[] = [];
        const treatment = untaxedTreatment(buyer, saleDate, connection.defaultVatRate, sellerVatPayer, assumptions);
        const r = standaloneRefundInvoice({
          clientId,
          idempotencyKey: link.idempotencyKey,
          amountMinor: refund.amount,
          currency,
          vatRate: treatment.rate.toFixed(2),
          vatCategoryCode: treatment.category,
          issueDate,
          refundId: refund.id,
        });
        if (exchangeRate) r.payload.exchangeRate = exchangeRate;
        return { payload: r.payload, mismatch: null, total: r.expected.total, assumptions };
      },
      rateDate: saleDate,
    });
    return { ...built, currency, stripeCustomerId: customerId, buyerCountry: buyer.country, issueDate };
  }

  const parentInvoice = await deps.storno.getInvoice(parentLink.stornoDocumentId!);
  const parent = parentDocumentOf(parentInvoice);
  const credited = await alreadyCredited(deps, parentLink, link);
  const ctx = { clientId: (parentInvoice.client?.id as string) ?? '', idempotencyKey: link.idempotencyKey, issueDate, refundId: refund.id };
  let result;
  try {
    // A refund of exactly what is left reverses the rest per VAT group (no cent lost to proportional rounding).
    const creditedSoFar = credited.reduce((sum, c) => sum.plus(c.gross), new Big(0));
    const left = new Big(parentInvoice.total).minus(creditedSoFar);
    const isRest = minorToMajor(refund.amount, currency).eq(left);
    result = isRest ? fullRefund(parent, ctx, credited) : partialRefund(parent, refund.amount, ctx, credited);
  } catch (err) {
    if (err instanceof RefundError) {
      return refusedCreditNote(err, parentLink, { currency, stripeCustomerId: customerId, issueDate });
    }
    throw err;
  }
  return creditNoteOf(deps, result.payload, result.expected, parentLink, parentInvoice, { currency, stripeCustomerId: customerId, issueDate });
}

type StornoInvoice = Awaited<ReturnType<StornoClient['getInvoice']>>;

type CreditNoteFacts = { currency: string; stripeCustomerId: string | null; issueDate: string };

async function creditNoteOf(
  deps: BuildDeps,
  payload: StornoInvoiceInput,
  totals: StornoTotals,
  parentLink: DocumentLink,
  parentInvoice: StornoInvoice,
  facts: CreditNoteFacts,
): Promise<BuiltDocument> {
  // A credit note carries its parent's BNR rate: the base it corrects was converted at that rate.
  const exchangeRate = await parentRate(deps, parentLink, parentInvoice);
  if (exchangeRate) payload.exchangeRate = exchangeRate.rate;
  return {
    payload,
    problem: null,
    outsideScope: parentLink.outsideScope,
    assumptions: [],
    exchangeRate,
    // The same buyer name as on the parent's row, so one customer reads the same across the dashboard.
    clientName: parentLink.clientName ?? parentInvoice.client?.name ?? parentInvoice.receiverName ?? null,
    total: totals.total,
    parentId: parentLink.id,
    buyerCountry: (parentInvoice.client as { country?: string | null } | null | undefined)?.country ?? null,
    ...facts,
  };
}

/** Caps or the rest refuse the credit note: shown as a pre-flight problem on it. */
function refusedCreditNote(err: RefundError, parentLink: DocumentLink, facts: CreditNoteFacts): BuiltDocument {
  const problem: DocumentProblem = { kind: 'preflight', checks: [{ code: err.code, message: err.message }] };
  return { problem, clientName: parentLink.clientName, total: '0.00', buyerCountry: null, parentId: parentLink.id, outsideScope: parentLink.outsideScope, assumptions: [], ...facts };
}

/**
 * What earlier credit notes of this parent already credited (read from Storno, the documents of record). A
 * rejected, cancelled or never-made credit note credited nothing.
 */
async function alreadyCredited(deps: BuildDeps, parentLink: DocumentLink, link: DocumentLink) {
  const siblings = (await deps.documents.childrenOf(parentLink.id)).filter((s) => s.id !== link.id && s.stornoDocumentId && !['rejected', 'blocked', 'pending', 'cancelled'].includes(s.status));
  const credited: CreditedGroup[] = [];
  for (const s of siblings) credited.push(...creditedGroupsOf((await deps.storno.getInvoice(s.stornoDocumentId!)).lines as never));
  return credited;
}

/**
 * invoice.voided after its e-invoice reached the provider: the reversing document for whatever earlier credit notes
 * left, once the original is accepted.
 */
export async function buildVoidReversal(deps: BuildDeps, connection: Connection, link: DocumentLink): Promise<BuiltDocument> {
  const parentLink = await deps.documents.find(connection.id, 'invoice', link.stripeObjectId);
  const invoice = await deps.reader.getInvoice(connection.stripeAccountId, link.stripeObjectId);
  const voidedAt = invoice.status_transitions?.voided_at;
  const issueDate = bucharestDate(voidedAt ?? Math.floor(Date.now() / 1000));
  if (!parentLink || !isReadyParent(parentLink)) throw new WaitingForParent(`invoice:${link.stripeObjectId}`, issueDate);
  const parentInvoice = await deps.storno.getInvoice(parentLink.stornoDocumentId!);
  const credited = await alreadyCredited(deps, parentLink, link);
  const ctx = { clientId: (parentInvoice.client?.id as string) ?? '', idempotencyKey: link.idempotencyKey, issueDate, refundId: `void:${link.stripeObjectId}` };
  const customerId = typeof invoice.customer === 'string' ? invoice.customer : (invoice.customer?.id ?? null);
  try {
    const result = fullRefund(parentDocumentOf(parentInvoice), ctx, credited);
    return await creditNoteOf(deps, result.payload, result.expected, parentLink, parentInvoice, { currency: parentInvoice.currency, stripeCustomerId: customerId, issueDate });
  } catch (err) {
    if (!(err instanceof RefundError)) throw err;
    return refusedCreditNote(err, parentLink, { currency: parentInvoice.currency, stripeCustomerId: customerId, issueDate });
  }
}

function parentDocumentOf(parentInvoice: StornoInvoice): ParentDocument {
  return {
    id: parentInvoice.id,
    number: parentInvoice.number,
    issueDate: parentInvoice.issueDate?.slice(0, 10) ?? null,
    currency: parentInvoice.currency,
    lines: parentInvoice.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      vatRate: l.vatRate,
      vatCategoryCode: l.vatCategoryCode ?? 'S',
      vatIncluded: Boolean((l as { vatIncluded?: boolean }).vatIncluded),
      lineTotal: String((l as { lineTotal?: string }).lineTotal ?? '0.00'),
      vatAmount: l.vatAmount ?? '0.00',
      discount: (l as { discount?: string | null }).discount ?? null,
      unitOfMeasure: (l as { unitOfMeasure?: string | null }).unitOfMeasure ?? null,
    })),
  };
}

async function parentRate(deps: BuildDeps, parentLink: DocumentLink, parentInvoice: { currency: string; exchangeRate?: unknown; issueDate?: string | null }) {
  if (parentInvoice.currency.toUpperCase() === 'RON') return undefined;
  if (parentLink.exchangeRate) return { rate: parentLink.exchangeRate, publishedOn: parentLink.exchangeRateDate ?? '' };
  if (typeof parentInvoice.exchangeRate === 'string' && parentInvoice.exchangeRate) return { rate: parentInvoice.exchangeRate, publishedOn: '' };
  const rate = await documentRate(deps, parentInvoice.currency, parentInvoice.issueDate?.slice(0, 10) ?? '');
  return rate && !('problem' in rate) ? rate : undefined;
}

