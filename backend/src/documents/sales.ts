// Which document a Stripe sale belongs to. One document per sale: a payment of a Stripe invoice is invoiced through
// that invoice, and a refund credits the document of what it refunded.
import type { CannotCreateReason } from '../../../src/api/contract.js';
import type { Connection } from '../oauth/connections.js';
import type { StripeReader } from '../stripe/reader.js';
import type { ResolvedPayment } from '../stripe/types.js';
import { NotInvoiceable } from './errors.js';
import { isReadyParent } from './lifecycle.js';
import type { DocumentStore } from './store.js';

/** Why a Stripe invoice in this state gets no e-invoice (the engine refuses it, the views say so), or null. */
export function invoiceRefusal(status: string | null | undefined): CannotCreateReason | null {
  return status === 'draft' ? 'invoice_draft' : status === 'void' ? 'invoice_void' : null;
}

export const INVOICE_REFUSALS: Record<CannotCreateReason, string> = {
  invoice_draft: 'This Stripe invoice is still a draft; finalize it in Stripe first.',
  invoice_void: 'This Stripe invoice was voided; there is nothing to invoice.',
};

/** The Stripe invoice whose e-invoice covers this payment, or null when the payment is invoiced on its own. */
export function coveringInvoice(payment: ResolvedPayment): string | null {
  return payment.invoiceId ?? null;
}

/** What the buyer paid, in minor units: the amount received (captured), not the amount first authorized. */
export function amountPaid({ paymentIntent, charge }: ResolvedPayment): number {
  return paymentIntent?.amount_received ?? charge?.amount_captured ?? charge?.amount ?? 0;
}

/** Why a payment has no document of its own: its Stripe invoice's, made or still to be made by Checkout (issue 12). */
export function coveredByInvoiceMessage(payment: ResolvedPayment): string {
  const invoiceId = coveringInvoice(payment);
  return invoiceId
    ? `This payment belongs to Stripe invoice ${invoiceId}; create the e-invoice from the invoice.`
    : 'Checkout creates a Stripe invoice for this payment; its e-invoice is made from that invoice.';
}

/** Refuses (409 covered_by_invoice) a payment whose document is its Stripe invoice's (existing, or Checkout's to come). */
export function assertNotCoveredByInvoice(payment: ResolvedPayment): void {
  const invoiceId = coveringInvoice(payment);
  if (invoiceId || payment.invoicePending) {
    throw new NotInvoiceable(coveredByInvoiceMessage(payment), 'covered_by_invoice', invoiceId ?? undefined);
  }
}

/**
 * A refund's origin and the document of what it refunded (the invoice's, or the invoice-less payment's): `parentKey`
 * names it whether or not it is made yet, `parent` is it if made, `ready` once ANAF accepted it.
 */
export async function findRefundParent(deps: { reader: StripeReader; documents: DocumentStore }, connection: Connection, refundId: string) {
  const origin = await deps.reader.findInvoiceForRefund(connection.stripeAccountId, refundId);
  const [kind, id] = origin.invoiceId ? (['invoice', origin.invoiceId] as const) : (['payment', origin.paymentIntentId ?? origin.charge?.id ?? ''] as const);
  const parent = await deps.documents.find(connection.id, kind, id);
  return { origin, parentKey: `${kind}:${id}`, parent, ready: parent && isReadyParent(parent) ? parent : null };
}
