// Things that happen in a Stripe account while the backend runs: a refund, a paid invoice, a bare payment.
// Each mutates the store like Stripe would and returns the events Stripe would send; the caller decides
// whether to deliver them. Built for volume (auto-mode tests create hundreds of payments).
import * as b from './builders.js';
import type { FakeStore, StripeObject } from './store.js';

export interface PendingEvent {
  type: string;
  object: StripeObject;
}

/** One moment of a scenario. */
export interface SimStep {
  label: string;
  account: string;
  /** Objects as Stripe stores them from this moment on (each replaces the stored one with its id). */
  puts: StripeObject[];
  /** Events of this moment in Stripe's order, each carrying its object as it was then. */
  events: PendingEvent[];
}

export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}

export function need(store: FakeStore, account: string, id: string, type: string): StripeObject {
  const obj = store.get(account, id);
  if (!obj || obj.object !== type) throw new SimulationError(`No such ${type}: '${id}' in ${account}`);
  return obj;
}

// ---------------------------------------------------------------------------------------------- refunds

export interface CreateRefundInput {
  account: string;
  charge?: string;
  paymentIntent?: string;
  /** Minor units; defaults to whatever is left to refund. */
  amount?: number;
  reason?: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null;
}

export function createRefund(store: FakeStore, input: CreateRefundInput) {
  let chargeId = input.charge;
  if (!chargeId && input.paymentIntent) {
    chargeId = need(store, input.account, input.paymentIntent, 'payment_intent').latest_charge as string | undefined;
  }
  if (!chargeId) throw new SimulationError('createRefund needs a charge or a payment intent with a charge');
  const { refund, charge, step } = refundStep(input.account, need(store, input.account, chargeId, 'charge'), input);
  // Stored objects are replaced, not mutated, so earlier renders and emitted events stay as they were.
  for (const obj of step.puts) store.put(input.account, obj);
  return { refund, charge, events: step.events };
}

/**
 * A refund of `charge` (as given, not re-read): the Refund, the charge's new `amount_refunded`, and
 * `charge.refunded` then `refund.created`. Fails like Stripe when nothing is left to refund.
 */
export function refundStep(account: string, charge: StripeObject, options: { amount?: number; created?: number; reason?: CreateRefundInput['reason'] } = {}) {
  const left = (charge.amount as number) - (charge.amount_refunded as number);
  const amount = options.amount ?? left;
  if (!Number.isInteger(amount) || amount <= 0 || amount > left) {
    throw new SimulationError(`Refund amount (${amount}) must be a positive integer not above what is left to refund (${left}).`);
  }
  const refund = b.refund({ id: b.newId('re'), charge, amount, created: options.created ?? b.now(), reason: options.reason });
  const refunded = (charge.amount_refunded as number) + amount;
  const updated: StripeObject = { ...charge, amount_refunded: refunded, refunded: refunded === charge.amount };
  const step: SimStep = {
    label: 'refunded',
    account,
    puts: [refund, updated],
    events: [
      { type: 'charge.refunded', object: updated },
      { type: 'refund.created', object: refund },
    ],
  };
  return { refund, charge: updated, step };
}

// ---------------------------------------------------------------------------------------------- invoices

export interface SimLine {
  description: string;
  unitAmount: number;
  quantity?: number;
  /** Id of a tax rate stored in the account (DEMO.taxRates.*), or null for no tax. */
  taxRate?: string | null;
  proration?: boolean;
  period?: { start: number; end: number };
}

export interface CreatePaidInvoiceInput {
  account: string;
  customer: string;
  currency?: string;
  lines: SimLine[];
  subscription?: string;
  number?: string;
  created?: number;
  /** Events to produce (default PAID_INVOICE_EVENTS); also invoice.finalized, invoice.payment_succeeded, invoice_payment.paid, payment_intent.succeeded, charge.succeeded. */
  eventTypes?: string[];
}

export const PAID_INVOICE_EVENTS = ['invoice.paid'];

let invoiceSeq = 1000;

export function createPaidInvoice(store: FakeStore, input: CreatePaidInvoiceInput) {
  const customer = need(store, input.account, input.customer, 'customer');
  const taxIds = store.list(input.account, 'tax_id', (t) => t.customer === customer.id);
  const currency = input.currency ?? (customer.currency as string | null) ?? 'ron';
  const created = input.created ?? b.now();
  const invoice = b.invoice({
    id: b.newId('in'),
    number: input.number ?? `SIM-${String(++invoiceSeq).padStart(5, '0')}`,
    customer,
    taxIds,
    currency,
    created,
    subscription: input.subscription,
    lines: input.lines.map((l) => ({
      description: l.description,
      unitAmount: l.unitAmount,
      quantity: l.quantity,
      rate: l.taxRate ? need(store, input.account, l.taxRate, 'tax_rate') : null,
      proration: l.proration,
      period: l.period,
    })),
  });
  const paidAt = (invoice.status_transitions as { paid_at: number }).paid_at;
  const { paymentIntent, charge } = b.payment({
    paymentIntent: b.newId('pi'),
    charge: b.newId('ch'),
    amount: invoice.total as number,
    currency,
    customer,
    created: paidAt,
    description: input.subscription ? 'Subscription update' : `Invoice ${invoice.number as string}`,
  });
  const invoicePayment = b.invoicePayment({
    id: b.newId('inpay'),
    invoice: invoice.id,
    paymentIntent: paymentIntent.id,
    amount: invoice.total as number,
    currency,
    created: paidAt,
  });
  for (const obj of [invoice, paymentIntent, charge, invoicePayment]) store.put(input.account, obj);
  const byType: Record<string, StripeObject> = {
    'invoice.finalized': invoice,
    'invoice.paid': invoice,
    'invoice.payment_succeeded': invoice,
    'invoice_payment.paid': invoicePayment,
    'payment_intent.succeeded': paymentIntent,
    'charge.succeeded': charge,
  };
  const events = (input.eventTypes ?? PAID_INVOICE_EVENTS).map((type) => {
    const object = byType[type];
    if (!object) throw new SimulationError(`createPaidInvoice cannot produce ${type}`);
    return { type, object };
  });
  return { invoice, paymentIntent, charge, invoicePayment, events };
}

// ---------------------------------------------------------------------------------------------- payments

export interface CreatePaymentInput {
  account: string;
  customer?: string | null;
  currency?: string;
  /** Amount in minor units; ignored when `lineItems` is given (the Checkout Session's total is used). */
  amount?: number;
  description?: string;
  /** With line items, the payment comes from a Checkout Session (payment mode, no invoice). */
  lineItems?: SimLine[];
  eventTypes?: string[];
}

export function createPayment(store: FakeStore, input: CreatePaymentInput) {
  const customer = input.customer ? need(store, input.account, input.customer, 'customer') : null;
  const currency = input.currency ?? (customer?.currency as string | null) ?? 'ron';
  const created = b.now();
  const ids = { paymentIntent: b.newId('pi'), charge: b.newId('ch') };
  let session: StripeObject | undefined;
  if (input.lineItems?.length) {
    session = b.checkoutSession({
      id: b.newId('cs_test'),
      paymentIntent: ids.paymentIntent,
      customer,
      customerDetails: {
        name: (customer?.name as string | null) ?? null,
        email: (customer?.email as string | null) ?? null,
        address: (customer?.address as b.AddressInput | null) ?? null,
      },
      currency,
      created,
      items: input.lineItems.map((l) => {
        const rate = l.taxRate ? need(store, input.account, l.taxRate, 'tax_rate') : null;
        const priceObj = b.price({
          id: b.newId('price'),
          product: 'prod_sim',
          unitAmount: l.unitAmount,
          currency,
          taxBehavior: rate ? (rate.inclusive ? 'inclusive' : 'exclusive') : 'unspecified',
        });
        return { id: b.newId('li'), description: l.description, price: priceObj, quantity: l.quantity ?? 1, rate };
      }),
    });
  }
  const amount = (session?.amount_total as number | undefined) ?? input.amount;
  if (!amount || amount <= 0) throw new SimulationError('createPayment needs a positive amount or line items');
  const { paymentIntent, charge } = b.payment({ ...ids, amount, currency, customer, created, description: input.description });
  store.put(input.account, paymentIntent);
  store.put(input.account, charge);
  if (session) store.put(input.account, session);
  const byType: Record<string, StripeObject | undefined> = {
    'payment_intent.succeeded': paymentIntent,
    'charge.succeeded': charge,
    'checkout.session.completed': session,
  };
  const events = (input.eventTypes ?? ['payment_intent.succeeded']).map((type) => {
    const object = byType[type];
    if (!object) throw new SimulationError(`createPayment cannot produce ${type}`);
    return { type, object };
  });
  return { paymentIntent, charge, session: session ?? null, events };
}
