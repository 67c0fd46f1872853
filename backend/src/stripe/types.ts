// What the Stripe reader hands to the invoicing engine. The objects keep Stripe's own shape (snake_case,
// API 2026-10-28.endive, so the engine's structural input types accept them) with these guarantees:
//
// - read now, from Stripe, for the given account: amounts are Stripe's current integer minor units;
// - no `Stripe.Decimal` anywhere: every `*_decimal` (unit_amount_decimal, quantity_decimal, ...) is a
//   decimal string, exactly as in webhook payloads — never a float;
// - invoices carry ALL their lines in `lines.data` (`has_more` is false) and ALL their invoice payments in
//   `payments.data`; `tax_rate_percentages` maps every tax rate id used by `lines.data[].taxes` and
//   `total_taxes` to its percentage ("21", "11", "0"), since Stripe gives only the id there;
// - customers carry ALL their tax ids in `tax_ids.data`;
// - subscriptions have `items.data[].price.product` expanded (product name for the document line);
// - no `lastResponse` (HTTP metadata) is kept.
//
// Not guaranteed: anything Stripe itself leaves null (customer address parts, invoice number on drafts).
import type Stripe from 'stripe';

/** Stripe type with every `Stripe.Decimal` replaced by its string form. */
export type Plain<T> = T extends Stripe.Decimal
  ? string
  : T extends (infer U)[]
    ? Plain<U>[]
    : T extends object
      ? { [K in keyof T]: Plain<T[K]> }
      : T;

/** A list that is complete (the reader paginated it). */
export interface CompleteList<T> {
  object: 'list';
  data: T[];
  has_more: false;
  url: string;
}

export type StripeLine = Plain<Stripe.InvoiceLineItem>;
export type StripeInvoicePayment = Plain<Stripe.InvoicePayment>;
export type StripeTaxId = Plain<Stripe.TaxId>;

export type StripeInvoiceData = Omit<Plain<Stripe.Invoice>, 'lines' | 'payments'> & {
  lines: CompleteList<StripeLine>;
  payments: CompleteList<StripeInvoicePayment>;
  /** Not a Stripe field: tax rate id → percentage as a decimal string. */
  tax_rate_percentages: Record<string, string>;
};

export type StripeCustomerData = Omit<Plain<Stripe.Customer>, 'tax_ids'> & {
  tax_ids: CompleteList<StripeTaxId>;
};

export type StripeSubscriptionData = Plain<Stripe.Subscription>;
export type StripePaymentIntentData = Plain<Stripe.PaymentIntent>;
export type StripeChargeData = Plain<Stripe.Charge>;
export type StripeRefundData = Plain<Stripe.Refund>;
export type StripeCheckoutSessionData = Omit<Plain<Stripe.Checkout.Session>, 'line_items'>;
/** Checkout line item with `taxes` expanded (each tax has its full `rate`, percentage included). */
export type StripeCheckoutLineItem = Plain<Stripe.LineItem>;

export interface ResolvedPayment {
  /** Present when the id was a PaymentIntent, or a Charge that belongs to one. */
  paymentIntent?: StripePaymentIntentData;
  /** The given Charge, or the PaymentIntent's latest charge. */
  charge?: StripeChargeData;
  /** The Stripe invoice this payment paid (through invoice payments, or its Checkout Session's invoice), if any. */
  invoiceId?: string;
  /** Its Checkout Session creates an invoice that does not exist yet (`invoice_creation.enabled`): the sale is the invoice's. */
  invoicePending?: boolean;
}

export interface CheckoutLineItems {
  session: StripeCheckoutSessionData;
  lineItems: StripeCheckoutLineItem[];
}

export interface RefundOrigin {
  refund: StripeRefundData;
  charge: StripeChargeData | null;
  paymentIntentId: string | null;
  /** The invoice the refunded payment paid, or null for a payment without an invoice. */
  invoiceId: string | null;
}
