// Factories for Stripe objects at the pinned API version. Each starts from Stripe's published example
// (fixtures.json, a subset of stripe/openapi fixtures3.json) and overrides what a scenario needs; fields
// the fixtures still carry but the API removed in basil (invoice.subscription, charge.refunds inline,
// ...) are dropped here so the fake never serves them.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LineMoney, TaxRateRef } from './amounts.js';
import { invoiceTotals, lineMoney, taxEntry, taxabilityReason } from './amounts.js';
import type { StripeObject } from './store.js';

const FIXTURES = (
  JSON.parse(readFileSync(new URL('./fixtures.json', import.meta.url), 'utf8')) as {
    resources: Record<string, StripeObject>;
  }
).resources;

function fromFixture(name: string, overrides: Record<string, unknown>): StripeObject {
  const base = FIXTURES[name];
  if (!base) throw new Error(`no fixture named ${name}`);
  return { ...structuredClone(base), ...overrides } as StripeObject;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Stripe-looking random id: `pi_3Q…` (24 base62 chars). */
export function newId(prefix: string): string {
  const bytes = randomBytes(24);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${out}`;
}

export const unix = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
export const now = (): number => Math.floor(Date.now() / 1000);

export interface AddressInput {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  country?: string | null;
}

export function address(a: AddressInput | null): Record<string, string | null> | null {
  if (!a) return null;
  return {
    city: a.city ?? null,
    country: a.country ?? null,
    line1: a.line1 ?? null,
    line2: a.line2 ?? null,
    postal_code: a.postal_code ?? null,
    state: a.state ?? null,
  };
}

export interface AccountInput {
  id: string;
  name: string;
  country?: string;
  currency?: string;
}

export function account(input: AccountInput): StripeObject {
  const base = fromFixture('account', {});
  return {
    ...base,
    id: input.id,
    country: input.country ?? 'RO',
    default_currency: input.currency ?? 'ron',
    email: null,
    business_profile: { ...(base.business_profile as object), name: input.name },
    settings: {
      ...(base.settings as object),
      dashboard: { ...((base.settings as { dashboard?: object } | undefined)?.dashboard ?? {}), display_name: input.name },
    },
    external_accounts: { object: 'list', data: [], has_more: false, url: `/v1/accounts/${input.id}/external_accounts` },
    charges_enabled: true,
    payouts_enabled: true,
    details_submitted: true,
  };
}

export interface TaxRateInput {
  id: string;
  percentage: number;
  inclusive: boolean;
  displayName?: string;
  country?: string;
  description?: string;
  taxabilityReason?: string;
  created?: number;
}

export function taxRate(input: TaxRateInput): StripeObject {
  return fromFixture('tax_rate', {
    id: input.id,
    percentage: input.percentage,
    effective_percentage: input.percentage,
    inclusive: input.inclusive,
    display_name: input.displayName ?? 'TVA',
    country: input.country ?? 'RO',
    jurisdiction: input.country ?? 'RO',
    description: input.description ?? `TVA ${input.percentage}%${input.inclusive ? ' inclusă' : ''}`,
    flat_amount: null,
    rate_type: 'percentage',
    created: input.created ?? unix('2025-08-01T00:00:00Z'),
    // Not a Stripe field: lets the fake (and tests) know the per-line taxability_reason to emit.
    metadata: input.taxabilityReason ? { taxability_reason: input.taxabilityReason } : {},
  });
}

/** The rate as the amount calculator needs it. */
export function rateRef(rate: StripeObject): TaxRateRef {
  const reason = (rate.metadata as Record<string, string> | null)?.taxability_reason;
  return {
    id: rate.id,
    percentage: rate.percentage as number,
    inclusive: rate.inclusive as boolean,
    ...(reason ? { taxabilityReason: reason } : {}),
  };
}

export function product(id: string, name: string, created = unix('2025-09-01T00:00:00Z')): StripeObject {
  return fromFixture('product', {
    id,
    name,
    description: null,
    default_price: null,
    package_dimensions: null,
    created,
    updated: created,
    type: 'service',
    tax_details: null,
  });
}

export interface PriceInput {
  id: string;
  product: string;
  unitAmount: number;
  currency: string;
  taxBehavior: 'inclusive' | 'exclusive' | 'unspecified';
  interval?: 'month' | 'year';
  created?: number;
}

export function price(input: PriceInput): StripeObject {
  return fromFixture('price', {
    id: input.id,
    product: input.product,
    unit_amount: input.unitAmount,
    unit_amount_decimal: String(input.unitAmount),
    currency: input.currency,
    tax_behavior: input.taxBehavior,
    type: input.interval ? 'recurring' : 'one_time',
    recurring: input.interval
      ? { interval: input.interval, interval_count: 1, meter: null, usage_type: 'licensed', trial_period_days: null }
      : null,
    transform_quantity: null,
    custom_unit_amount: null,
    created: input.created ?? unix('2025-09-01T00:00:00Z'),
  });
}

export interface CustomerInput {
  id: string;
  name: string | null;
  email?: string | null;
  phone?: string | null;
  address?: AddressInput | null;
  taxExempt?: 'none' | 'exempt' | 'reverse';
  currency?: string;
  created?: number;
  preferredLocales?: string[];
  metadata?: Record<string, string>;
}

export function customer(input: CustomerInput): StripeObject {
  return fromFixture('customer', {
    id: input.id,
    name: input.name,
    email: input.email ?? null,
    phone: input.phone ?? null,
    address: address(input.address ?? null),
    tax_exempt: input.taxExempt ?? 'none',
    currency: input.currency ?? 'ron',
    created: input.created ?? unix('2025-09-15T09:00:00Z'),
    preferred_locales: input.preferredLocales ?? ['ro'],
    discount: null,
    shipping: null,
    invoice_prefix: input.id.replace(/^cus_/, '').slice(0, 8).toUpperCase(),
    metadata: input.metadata ?? {},
  });
}

export interface TaxIdInput {
  id: string;
  customer: string;
  type: string;
  value: string;
  verification?: 'verified' | 'unverified' | 'pending' | 'unavailable';
  created?: number;
}

export function taxId(input: TaxIdInput): StripeObject {
  const country = input.type === 'eu_vat' ? input.value.slice(0, 2).replace('EL', 'GR') : input.type.slice(0, 2).toUpperCase();
  return fromFixture('tax_id', {
    id: input.id,
    customer: input.customer,
    owner: { customer: input.customer, type: 'customer', customer_account: null },
    type: input.type,
    value: input.value,
    country,
    verification: { status: input.verification ?? 'verified', verified_address: null, verified_name: null },
    created: input.created ?? unix('2025-09-15T09:00:00Z'),
  });
}

// ---------------------------------------------------------------------------------------------- invoices

export interface LineInput {
  id?: string;
  description: string;
  /** Minor units; negative for proration credits. */
  unitAmount: number;
  quantity?: number;
  rate: StripeObject | null;
  discountPercent?: number;
  discountId?: string;
  proration?: boolean;
  period?: { start: number; end: number };
  price?: string;
  product?: string;
  subscriptionItem?: string;
}

export interface InvoiceInput {
  id: string;
  number: string | null;
  customer: StripeObject;
  taxIds?: StripeObject[];
  currency: string;
  created: number;
  status?: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  lines: LineInput[];
  subscription?: string;
  billingReason?: string;
  periodStart?: number;
  periodEnd?: number;
  discounts?: string[];
  accountName?: string;
  footer?: string | null;
  /** `send_invoice` invoices are paid by the customer later (due_date = finalization + daysUntilDue). */
  collectionMethod?: 'charge_automatically' | 'send_invoice';
  daysUntilDue?: number;
  /** Unix seconds; default one hour after `created` (not set on drafts). */
  finalizedAt?: number;
  /** Unix seconds; default 100 s after finalization (only for paid invoices). */
  paidAt?: number;
  /** Unix seconds; default one hour after finalization (only for void invoices). */
  voidedAt?: number;
}

function buildLine(invoiceId: string, currency: string, line: LineInput, money: LineMoney, sub: string | null, created: number) {
  const quantity = line.quantity ?? 1;
  const parent = sub
    ? {
        type: 'subscription_item_details',
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: line.proration ? newId('ii') : null,
          proration: line.proration ?? false,
          proration_details: { credited_items: null },
          subscription: sub,
          subscription_item: line.subscriptionItem ?? `si_${sub.slice(4)}`,
        },
      }
    : {
        type: 'invoice_item_details',
        invoice_item_details: {
          invoice_item: `ii_${(line.id ?? newId('il')).slice(3)}`,
          proration: line.proration ?? false,
          proration_details: { credited_items: null },
          subscription: null,
        },
        subscription_item_details: null,
      };
  return {
    id: line.id ?? newId('il'),
    object: 'line_item',
    amount: money.amount,
    currency,
    description: line.description,
    discount_amounts: money.discount && line.discountId ? [{ amount: money.discount, discount: line.discountId }] : [],
    discountable: true,
    discounts: line.discountId ? [line.discountId] : [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent,
    period: line.period ?? { start: created, end: created },
    pretax_credit_amounts: [],
    pricing: {
      type: 'price_details',
      price_details: { price: line.price ?? `price_${invoiceId.slice(3)}`, product: line.product ?? `prod_${invoiceId.slice(3)}` },
      unit_amount_decimal: String(line.unitAmount),
    },
    quantity,
    quantity_decimal: String(quantity),
    subscription: sub,
    subtotal: money.amount,
    taxes: taxEntry(money),
  };
}

export function invoice(input: InvoiceInput): StripeObject {
  const status = input.status ?? 'paid';
  const money = input.lines.map((l) => lineMoney(l.unitAmount, l.quantity ?? 1, l.rate ? rateRef(l.rate) : null, l.discountPercent));
  const totals = invoiceTotals(money);
  const lines = input.lines.map((l, i) =>
    buildLine(input.id, input.currency, l, money[i]!, input.subscription ?? null, input.created),
  );
  const discounts = new Map<string, number>();
  for (const [i, l] of input.lines.entries()) {
    if (l.discountId && money[i]!.discount) discounts.set(l.discountId, (discounts.get(l.discountId) ?? 0) + money[i]!.discount);
  }
  const finalized = status === 'draft' ? null : (input.finalizedAt ?? input.created + 3600);
  const paid = status === 'paid';
  const sendInvoice = input.collectionMethod === 'send_invoice';
  const daysUntilDue = input.daysUntilDue ?? 30;
  const c = input.customer;
  const base = fromFixture('invoice', {});
  delete base.subscription; // removed in basil; fixtures lag
  return {
    ...base,
    id: input.id,
    number: input.number,
    account_country: 'RO',
    account_name: input.accountName ?? 'Storno Demo SRL',
    account_tax_ids: null,
    amount_due: totals.total,
    amount_paid: paid ? totals.total : 0,
    amount_remaining: paid || status === 'void' ? 0 : totals.total,
    amount_overpaid: 0,
    amount_shipping: 0,
    attempt_count: paid ? 1 : 0,
    attempted: paid,
    auto_advance: false,
    collection_method: input.collectionMethod ?? 'charge_automatically',
    billing_reason: input.billingReason ?? (input.subscription ? 'subscription_cycle' : 'manual'),
    created: input.created,
    currency: input.currency,
    customer: c.id,
    customer_address: c.address ?? null,
    customer_email: c.email ?? null,
    customer_name: c.name ?? null,
    customer_phone: c.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: c.tax_exempt ?? 'none',
    customer_tax_ids: (input.taxIds ?? []).map((t) => ({ type: t.type, value: t.value })),
    discounts: input.discounts ?? [...discounts.keys()],
    due_date: sendInvoice ? (finalized ?? input.created) + daysUntilDue * 86400 : null,
    effective_at: finalized,
    ending_balance: finalized ? 0 : null,
    footer: input.footer ?? null,
    from_invoice: null,
    hosted_invoice_url: finalized ? `https://invoice.stripe.com/i/${input.id}` : null,
    invoice_pdf: finalized ? `https://pay.stripe.com/invoice/${input.id}/pdf` : null,
    last_finalization_error: null,
    lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${input.id}/lines` },
    next_payment_attempt: null,
    parent: input.subscription
      ? {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: { metadata: {}, subscription: input.subscription },
        }
      : null,
    period_start: input.periodStart ?? input.created,
    period_end: input.periodEnd ?? input.created,
    shipping_cost: null,
    shipping_details: null,
    status,
    status_transitions: {
      finalized_at: finalized,
      marked_uncollectible_at: status === 'uncollectible' ? input.created + 7200 : null,
      paid_at: paid ? (input.paidAt ?? (finalized ?? input.created) + 100) : null,
      voided_at: status === 'void' ? (input.voidedAt ?? (finalized ?? input.created) + 3600) : null,
    },
    subtotal: totals.subtotal,
    subtotal_excluding_tax: totals.subtotal_excluding_tax,
    total: totals.total,
    total_discount_amounts: [...discounts].map(([discount, amount]) => ({ amount, discount })),
    total_excluding_tax: totals.total_excluding_tax,
    total_pretax_credit_amounts: [],
    total_taxes: totals.total_taxes,
    webhooks_delivered_at: input.created,
  };
}

// ---------------------------------------------------------------------------------------------- payments

export interface PaymentInput {
  paymentIntent: string;
  charge: string;
  amount: number;
  currency: string;
  customer: StripeObject | null;
  created: number;
  description?: string | null;
  billingName?: string | null;
}

/** A succeeded card payment: PaymentIntent + its Charge. */
export function payment(input: PaymentInput): { paymentIntent: StripeObject; charge: StripeObject } {
  const c = input.customer;
  const paymentIntent = fromFixture('payment_intent', {
    id: input.paymentIntent,
    amount: input.amount,
    amount_received: input.amount,
    amount_capturable: 0,
    canceled_at: null,
    client_secret: `${input.paymentIntent}_secret_fake`,
    created: input.created,
    currency: input.currency,
    customer: c?.id ?? null,
    description: input.description ?? null,
    last_payment_error: null,
    latest_charge: input.charge,
    next_action: null,
    payment_method: `pm_${input.paymentIntent.slice(3)}`,
    payment_method_configuration_details: null,
    allowed_payment_method_types: null,
    payment_record: null,
    processing: null,
    receipt_email: (c?.email as string | null) ?? null,
    shipping: null,
    status: 'succeeded',
    transfer_data: null,
  });
  const base = fromFixture('charge', {});
  delete base.refunds; // only present when expanded since 2022-11-15
  const charge: StripeObject = {
    ...base,
    id: input.charge,
    amount: input.amount,
    amount_captured: input.amount,
    amount_refunded: 0,
    balance_transaction: `txn_${input.charge.slice(3)}`,
    billing_details: {
      address: address((c?.address as AddressInput | null) ?? null) ?? address({}),
      email: (c?.email as string | null) ?? null,
      name: input.billingName ?? (c?.name as string | null) ?? null,
      phone: (c?.phone as string | null) ?? null,
      tax_id: null,
    },
    calculated_statement_descriptor: 'STORNO DEMO',
    captured: true,
    created: input.created,
    currency: input.currency,
    customer: c?.id ?? null,
    description: input.description ?? null,
    paid: true,
    payment_intent: input.paymentIntent,
    payment_method: `pm_${input.paymentIntent.slice(3)}`,
    receipt_url: `https://pay.stripe.com/receipts/payment/${input.charge}`,
    refunded: false,
    source: null,
    status: 'succeeded',
    transfer_data: null,
  };
  return { paymentIntent, charge };
}

export function invoicePayment(input: {
  id: string;
  invoice: string;
  paymentIntent: string;
  amount: number;
  currency: string;
  created: number;
}): StripeObject {
  return fromFixture('invoice_payment', {
    id: input.id,
    amount_paid: input.amount,
    amount_requested: input.amount,
    created: input.created,
    currency: input.currency,
    invoice: input.invoice,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: input.paymentIntent },
    status: 'paid',
    status_transitions: { canceled_at: null, paid_at: input.created },
  });
}

export function refund(input: {
  id: string;
  charge: StripeObject;
  amount: number;
  created: number;
  reason?: string | null;
}): StripeObject {
  return fromFixture('refund', {
    id: input.id,
    amount: input.amount,
    balance_transaction: `txn_${input.id.slice(3)}`,
    charge: input.charge.id,
    payment_intent: input.charge.payment_intent ?? null,
    currency: input.charge.currency,
    created: input.created,
    reason: input.reason ?? 'requested_by_customer',
    status: 'succeeded',
    customer: input.charge.customer ?? null,
    payment_method: input.charge.payment_method ?? null,
  });
}

// ---------------------------------------------------------------------------------------------- checkout

export interface CheckoutItemInput {
  id: string;
  description: string;
  price: StripeObject;
  quantity: number;
  rate: StripeObject | null;
}

export function checkoutSession(input: {
  id: string;
  paymentIntent: string;
  customer: StripeObject | null;
  customerDetails: { name: string | null; email: string | null; address: AddressInput | null };
  currency: string;
  created: number;
  items: CheckoutItemInput[];
}): StripeObject {
  let subtotal = 0;
  let total = 0;
  let tax = 0;
  const items = input.items.map((item) => {
    const unit = item.price.unit_amount as number;
    const rate = item.rate ? rateRef(item.rate) : null;
    const money = lineMoney(unit, item.quantity, rate);
    const exclusiveTax = money.tax && !rate?.inclusive ? money.tax.amount : 0;
    subtotal += money.amount;
    total += money.amount + exclusiveTax;
    tax += money.tax?.amount ?? 0;
    return {
      id: item.id,
      object: 'item',
      adjustable_quantity: null,
      amount_discount: 0,
      amount_subtotal: money.amount,
      amount_tax: money.tax?.amount ?? 0,
      amount_total: money.amount + exclusiveTax,
      currency: input.currency,
      description: item.description,
      metadata: {},
      price: item.price,
      quantity: item.quantity,
      // Includable (expand data.taxes); the rate is a full TaxRate object here.
      taxes: money.tax
        ? [{ amount: money.tax.amount, rate: item.rate, taxability_reason: taxabilityReason(rate!), taxable_amount: money.tax.taxableAmount }]
        : [],
    };
  });
  return fromFixture('checkout.session', {
    id: input.id,
    after_expiration: null,
    allowed_payment_method_types: null,
    amount_subtotal: subtotal,
    amount_total: total,
    created: input.created,
    currency: input.currency,
    currency_conversion: null,
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: input.customer?.id ?? null,
    customer_details: {
      address: address(input.customerDetails.address),
      email: input.customerDetails.email,
      name: input.customerDetails.name,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
      business_name: null,
      individual_name: null,
    },
    expires_at: input.created + 86400,
    invoice: null,
    invoice_creation: { ...(FIXTURES['checkout.session']!.invoice_creation as object), enabled: false },
    mode: 'payment',
    payment_intent: input.paymentIntent,
    payment_status: 'paid',
    shipping_address_collection: null,
    shipping_cost: null,
    status: 'complete',
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: tax },
    url: null,
    line_items: { object: 'list', data: items, has_more: false, url: `/v1/checkout/sessions/${input.id}/line_items` },
  });
}

// ---------------------------------------------------------------------------------------------- subscriptions

export function subscription(input: {
  id: string;
  customer: string;
  price: StripeObject;
  currency: string;
  created: number;
  currentPeriodStart: number;
  currentPeriodEnd: number;
  latestInvoice: string | null;
  rate: StripeObject | null;
  status?: string;
}): StripeObject {
  const recurring = input.price.recurring as { interval: string; interval_count: number };
  const item = fromFixture('subscription_item', {
    id: `si_${input.id.slice(4)}`,
    created: input.created,
    price: input.price,
    plan: {
      id: input.price.id,
      object: 'plan',
      active: true,
      amount: input.price.unit_amount,
      amount_decimal: input.price.unit_amount_decimal,
      billing_scheme: 'per_unit',
      created: input.price.created,
      currency: input.currency,
      interval: recurring.interval,
      interval_count: recurring.interval_count,
      livemode: false,
      metadata: {},
      meter: null,
      nickname: null,
      product: input.price.product,
      tiers_mode: null,
      transform_usage: null,
      trial_period_days: null,
      usage_type: 'licensed',
    },
    quantity: 1,
    subscription: input.id,
    tax_rates: input.rate ? [input.rate] : [],
    current_period_start: input.currentPeriodStart,
    current_period_end: input.currentPeriodEnd,
    billing_thresholds: null,
    current_trial: null,
  });
  return fromFixture('subscription', {
    id: input.id,
    billing_cycle_anchor: input.created,
    billing_cycle_anchor_config: null,
    cancel_at: null,
    canceled_at: null,
    cancel_at_period_end: false,
    created: input.created,
    currency: input.currency,
    customer: input.customer,
    default_tax_rates: [],
    ended_at: null,
    items: { object: 'list', data: [item], has_more: false, url: `/v1/subscription_items?subscription=${input.id}` },
    latest_invoice: input.latestInvoice,
    next_pending_invoice_item_invoice: null,
    pause_collection: null,
    pending_invoice_item_interval: null,
    pending_update: null,
    start_date: input.created,
    status: input.status ?? 'active',
    transfer_data: null,
    trial_end: null,
    trial_start: null,
    billing_schedules: [],
  });
}

export function coupon(id: string, percentOff: number, name: string): StripeObject {
  return fromFixture('coupon', {
    id,
    percent_off: percentOff,
    name,
    currency: null,
    duration: 'once',
    duration_in_months: null,
    redeem_by: null,
    created: unix('2025-09-01T00:00:00Z'),
  });
}

export function discount(id: string, couponId: string, customerId: string, invoiceId: string, start: number): StripeObject {
  return fromFixture('discount', {
    id,
    customer: customerId,
    invoice: invoiceId,
    start,
    end: null,
    source: { coupon: couponId, type: 'coupon' },
  });
}
