// Plain types shared by the invoicing core. Stripe inputs are narrow structural subsets of the
// stripe-node objects (API 2025-03-31.basil and later), so tests can use plain objects and real
// `Stripe.Invoice` values still fit. Storno outputs follow storno-api.md §2.3 / §3.1: every decimal
// is a string in Storno's scale (money 2 dp, quantity 4 dp, rate 2 dp).

import type { CreateInvoiceInput, InvoiceLineInput, VatCategoryCode } from '../storno/types.js';

export type { VatCategoryCode };

/** stripe-node ≥ 21 gives `*_decimal` as `Stripe.Decimal` objects, webhooks give strings. */
export type DecimalLike = string | number | { toString(): string };

export interface StripeAddress {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  country?: string | null;
}

export interface StripeTaxId {
  type: string;
  value: string | null;
  /** Stripe's VIES check for eu_vat: verified | unverified | pending | unavailable. */
  verification?: { status?: string | null } | null;
}

/** What we know about the buyer (a Stripe customer, or the customer_* fields of an invoice). */
export interface CustomerInput {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: StripeAddress | null;
  taxIds?: StripeTaxId[] | null;
  /** Stripe `tax_exempt`: none | exempt | reverse. */
  taxExempt?: string | null;
}

/** `line.taxes[]` / `invoice.total_taxes[]`. */
export interface StripeTaxAmount {
  amount: number;
  tax_behavior?: string | null;
  tax_rate_details?: { tax_rate: string } | null;
  taxability_reason?: string | null;
  taxable_amount?: number | null;
}

export interface StripeInvoiceLine {
  id?: string;
  /** Line amount in minor units, before discounts; gross when the tax is inclusive, net when exclusive. */
  amount: number;
  description?: string | null;
  quantity?: number | null;
  quantity_decimal?: DecimalLike | null;
  discount_amounts?: Array<{ amount: number }> | null;
  taxes?: StripeTaxAmount[] | null;
  period?: { start: number; end: number } | null;
  pricing?: { unit_amount_decimal?: DecimalLike | null } | null;
  parent?: {
    type?: string;
    subscription_item_details?: { proration?: boolean | null } | null;
    invoice_item_details?: { proration?: boolean | null } | null;
  } | null;
}

export interface StripeInvoiceInput {
  id: string;
  number?: string | null;
  currency: string;
  total: number;
  created: number;
  effective_at?: number | null;
  due_date?: number | null;
  status_transitions?: { finalized_at?: number | null } | null;
  customer_tax_exempt?: string | null;
  lines: { data: StripeInvoiceLine[] };
  total_taxes?: StripeTaxAmount[] | null;
}

/** Checkout Session line item (`checkout.sessions.listLineItems`). */
export interface CheckoutLineItemInput {
  description?: string | null;
  quantity?: number | null;
  amount_subtotal: number;
  amount_discount?: number | null;
  amount_tax?: number | null;
  amount_total: number;
  price?: { unit_amount?: number | null; unit_amount_decimal?: DecimalLike | null; tax_behavior?: string | null } | null;
  taxes?: Array<{
    amount: number;
    rate: { id?: string; percentage: number | string; inclusive?: boolean | null };
    taxability_reason?: string | null;
    taxable_amount?: number | null;
  }> | null;
}

/** A payment without a Stripe invoice (PaymentIntent or Charge, optionally its Checkout Session). */
export interface StripePaymentInput {
  id: string;
  /** Amount charged, in minor units. */
  amount: number;
  currency: string;
  created: number;
  description?: string | null;
  checkoutLineItems?: CheckoutLineItemInput[] | null;
}

/** UNTDID 5305 subset Storno accepts on a line. */

export interface InvoicePeriod {
  startDate: string;
  endDate: string;
}

/** A line as the mapping always makes it: the Storno client's line with rate, category and inclusiveness set. */
export type StornoLineInput = Omit<InvoiceLineInput, 'ublExtensions'> & Required<Pick<InvoiceLineInput, 'vatRate' | 'vatCategoryCode' | 'vatIncluded'>> & {
  ublExtensions?: { invoicePeriod?: InvoicePeriod };
};

/** The one create payload: the Storno client's CreateInvoiceInput with what every mapped document carries. */
export type StornoInvoiceInput = Omit<CreateInvoiceInput, 'lines' | 'ublExtensions'> & {
  clientId: string;
  lines: StornoLineInput[];
  currency: string;
  issueDate: string;
  idempotencyKey: string;
  ublExtensions?: { invoicePeriod?: InvoicePeriod };
};

/** POST /api/v1/clients body (storno-api.md §2.3). */
export interface StornoClientInput {
  type: 'company' | 'individual';
  name: string;
  cui?: string;
  cnp?: string;
  vatCode?: string;
  isVatPayer: boolean;
  address?: string;
  city?: string;
  county?: string;
  country: string;
  postalCode?: string;
  email?: string;
  phone?: string;
}

/** A row of GET /api/v1/clients (storno-api.md §2.1); only the fields matching reads. */
export interface StornoClientRow {
  id: string;
  type?: string | null;
  name?: string | null;
  cui?: string | null;
  cnp?: string | null;
  vatCode?: string | null;
  email?: string | null;
  country?: string | null;
  isVatPayer?: boolean | null;
}

/** Totals as Storno's server math will compute them, 2-dp strings. */
export interface StornoTotals {
  subtotal: string;
  vatTotal: string;
  total: string;
}

export interface TotalMismatch {
  /** What Stripe charged. */
  expected: string;
  /** What Storno's rounding would produce. */
  actual: string;
  /** actual − expected. */
  difference: string;
  currency: string;
}

export interface MappingResult {
  payload: StornoInvoiceInput;
  /** What Storno will compute for `payload`. */
  expected: StornoTotals;
  /** Stripe's charged total as a 2-dp string. */
  stripeTotal: string;
  /** Σ of Stripe's tax amounts as a 2-dp string. */
  stripeTaxTotal: string;
  /** Storno VAT − Stripe tax (informational: inclusive lines keep the total but can move a cent between net and VAT). */
  vatDrift: string;
  /** Non-null when Storno's total differs from Stripe's: the caller must not issue silently. */
  mismatch: TotalMismatch | null;
  /** Non-blocking notes about the mapping (quantity folded into the description, …). */
  notes: string[];
  /** Fiscal assumptions the merchant should see with the document (a VAT rate assumed without Stripe tax details). */
  assumptions: string[];
}
