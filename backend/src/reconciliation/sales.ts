// Stripe objects of a period → the facts of one sale each (who, how much, which day, and why no e-invoice is
// due when none is). Pure: the reconciler stores these rows and joins them with our documents when read.
import { bucharestDate, invoiceDay } from '../invoicing/dates.js';
import { countryOf } from '../invoicing/address.js';
import type { StripeAddress } from '../invoicing/types.js';

export type SaleKind = 'invoice' | 'payment' | 'refund';
export type NotApplicableReason = 'voided' | 'zero_total' | 'buyer_outside_scope';

export interface SaleFacts {
  kind: SaleKind;
  stripeObjectId: string;
  paymentIntentId: string | null;
  saleDay: string;
  customerName: string | null;
  customerTaxId: string | null;
  buyerCountry: string | null;
  /** Integer minor units as text; negative for refunds. */
  amount: string;
  vat: string | null;
  currency: string;
  stripeStatus: string | null;
  notApplicable: NotApplicableReason | null;
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const idOf = (v: unknown): string | null => (typeof v === 'string' ? v : v && typeof v === 'object' ? str((v as Obj).id) : null);

/**
 * Where the buyer is established: the rule the documents use (`countryOf`: the address, else an EU VAT prefix or a
 * Romanian tax id). Unknown (null) counts as in scope: a sale is never dropped from the obligation for lack of data.
 */
export function buyerCountry(taxIds: Array<{ type?: unknown; value?: unknown }>, address: unknown): string | null {
  const ids = taxIds.flatMap((t) => (typeof t.type === 'string' ? [{ type: t.type, value: str(t.value) }] : []));
  return countryOf(address && typeof address === 'object' ? (address as StripeAddress) : null, ids);
}

function reason(input: { voided?: boolean; amount: number; country: string | null }): NotApplicableReason | null {
  if (input.voided) return 'voided';
  if (input.amount === 0) return 'zero_total';
  if (input.country && input.country !== 'RO') return 'buyer_outside_scope';
  return null;
}

const taxSum = (taxes: unknown): string | null =>
  Array.isArray(taxes) ? String(taxes.reduce((sum: number, t) => sum + num((t as Obj).amount), 0)) : null;

/** A finalized invoice (null for drafts: nothing was issued yet). Its day is the finalization day, as on the e-invoice. */
export function invoiceSale(invoice: Obj): SaleFacts | null {
  if (invoice.status === 'draft') return null;
  const taxIds = Array.isArray(invoice.customer_tax_ids) ? (invoice.customer_tax_ids as Obj[]) : [];
  const country = buyerCountry(taxIds, invoice.customer_address);
  const payments = ((invoice.payments as Obj | undefined)?.data ?? []) as Obj[];
  const paid = payments.find((p) => p.status === 'paid') ?? payments[0];
  const total = num(invoice.total);
  return {
    kind: 'invoice',
    stripeObjectId: String(invoice.id),
    paymentIntentId: paid ? idOf((paid.payment as Obj | undefined)?.payment_intent) : null,
    saleDay: invoiceDay(invoice as Parameters<typeof invoiceDay>[0]),
    customerName: str(invoice.customer_name),
    customerTaxId: str(taxIds[0]?.value),
    buyerCountry: country,
    amount: String(total),
    vat: taxSum(invoice.total_taxes),
    currency: String(invoice.currency).toUpperCase(),
    stripeStatus: str(invoice.status),
    notApplicable: reason({ voided: invoice.status === 'void', amount: total, country }),
  };
}

/** A succeeded PaymentIntent (null otherwise); whether an invoice covers it is decided by the reconciler. */
export function paymentSale(paymentIntent: Obj): SaleFacts | null {
  if (paymentIntent.status !== 'succeeded') return null;
  const charge = (typeof paymentIntent.latest_charge === 'object' ? paymentIntent.latest_charge : null) as Obj | null;
  const billing = (charge?.billing_details ?? {}) as Obj;
  const taxId = (billing.tax_id ?? null) as Obj | null;
  const country = buyerCountry(taxId ? [taxId] : [], billing.address);
  const amount = num(paymentIntent.amount_received) || num(paymentIntent.amount);
  return {
    kind: 'payment',
    stripeObjectId: String(paymentIntent.id),
    paymentIntentId: String(paymentIntent.id),
    saleDay: bucharestDate(num(paymentIntent.created)),
    customerName: str(billing.name),
    customerTaxId: str(taxId?.value),
    buyerCountry: country,
    amount: String(amount),
    vat: null,
    currency: String(paymentIntent.currency).toUpperCase(),
    stripeStatus: str(paymentIntent.status),
    notApplicable: reason({ amount, country }),
  };
}

/** A succeeded refund: the credit note it calls for, dated the refund's day. */
export function refundSale(refund: Obj): SaleFacts | null {
  if (refund.status !== 'succeeded') return null;
  const charge = (typeof refund.charge === 'object' ? refund.charge : null) as Obj | null;
  const billing = (charge?.billing_details ?? {}) as Obj;
  const country = buyerCountry([], billing.address);
  const amount = num(refund.amount);
  return {
    kind: 'refund',
    stripeObjectId: String(refund.id),
    paymentIntentId: idOf(refund.payment_intent),
    saleDay: bucharestDate(num(refund.created)),
    customerName: str(billing.name),
    customerTaxId: null,
    buyerCountry: country,
    amount: String(-amount),
    vat: null,
    currency: String(refund.currency).toUpperCase(),
    stripeStatus: str(refund.status),
    notApplicable: reason({ amount, country }),
  };
}
