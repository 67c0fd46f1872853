// Sales that unfold over time, split into the moments Stripe goes through: what Stripe stores at each
// moment and the events it sends then, in Stripe's order. Nothing touches the store until a step is
// played (fake.play), so a test can play the moments in order, wait in between, or deliver a later
// moment's events first (webhooks are not ordered: a refund's events can beat `invoice.paid`).
import * as b from './builders.js';
import type { PendingEvent, SimLine, SimStep } from './simulate.js';
import { SimulationError, need, refundStep } from './simulate.js';
import type { FakeStore, StripeObject } from './store.js';

export type { SimStep } from './simulate.js';

const DAY = 86_400;

function invoiceLines(store: FakeStore, account: string, lines: SimLine[]): b.LineInput[] {
  if (lines.length === 0) throw new SimulationError('a scenario invoice needs at least one line');
  return lines.map((l) => ({
    description: l.description,
    unitAmount: l.unitAmount,
    quantity: l.quantity,
    rate: l.taxRate ? need(store, account, l.taxRate, 'tax_rate') : null,
    proration: l.proration,
    period: l.period,
  }));
}

let numberSeq = 5000;
const nextNumber = () => `SIM-${String(++numberSeq).padStart(5, '0')}`;

/** The objects a successful card payment of `invoice` leaves behind (PaymentIntent, Charge, InvoicePayment). */
function paymentOf(invoice: StripeObject, customer: StripeObject, paidAt: number) {
  const { paymentIntent, charge } = b.payment({
    paymentIntent: b.newId('pi'),
    charge: b.newId('ch'),
    amount: invoice.total as number,
    currency: invoice.currency as string,
    customer,
    created: paidAt,
    description: `Invoice ${invoice.number as string}`,
  });
  const invoicePayment = b.invoicePayment({
    id: b.newId('inpay'),
    invoice: invoice.id,
    paymentIntent: paymentIntent.id,
    amount: invoice.total as number,
    currency: invoice.currency as string,
    created: paidAt,
  });
  return { paymentIntent, charge, invoicePayment };
}

const PAID_EVENTS = ['charge.succeeded', 'payment_intent.succeeded', 'invoice_payment.paid', 'invoice.paid', 'invoice.payment_succeeded'] as const;

function paidEvents(objects: { invoice: StripeObject; paymentIntent: StripeObject; charge: StripeObject; invoicePayment: StripeObject }): PendingEvent[] {
  const byType: Record<(typeof PAID_EVENTS)[number], StripeObject> = {
    'charge.succeeded': objects.charge,
    'payment_intent.succeeded': objects.paymentIntent,
    'invoice_payment.paid': objects.invoicePayment,
    'invoice.paid': objects.invoice,
    'invoice.payment_succeeded': objects.invoice,
  };
  return PAID_EVENTS.map((type) => ({ type, object: byType[type] }));
}

// ------------------------------------------------------------------------------------ send_invoice (net 30)

export interface SendInvoiceInput {
  account: string;
  customer: string;
  lines: SimLine[];
  currency?: string;
  number?: string;
  /** Default 30 (net 30). */
  daysUntilDue?: number;
  /** Unix seconds of the draft; default now. */
  created?: number;
  /** Unix seconds; default one hour after `created`. */
  finalizedAt?: number;
  /** Unix seconds; default `daysUntilDue − 2` days after finalization. */
  paidAt?: number;
}

/**
 * A `send_invoice` invoice: drafted (`invoice.created`), finalized and sent to the customer
 * (`invoice.finalized`, `invoice.sent`), paid days later on the hosted page (charge, PaymentIntent,
 * InvoicePayment, `invoice.paid`). The invoice is dated — and legally issued — at finalization.
 */
export function sendInvoice(store: FakeStore, input: SendInvoiceInput) {
  const customer = need(store, input.account, input.customer, 'customer');
  const daysUntilDue = input.daysUntilDue ?? 30;
  const created = input.created ?? b.now();
  const finalizedAt = input.finalizedAt ?? created + 3600;
  const paidAt = input.paidAt ?? finalizedAt + Math.max(1, daysUntilDue - 2) * DAY;
  if (finalizedAt < created || paidAt < finalizedAt) throw new SimulationError('sendInvoice needs created ≤ finalizedAt ≤ paidAt');
  const common: b.InvoiceInput = {
    id: b.newId('in'),
    number: input.number ?? nextNumber(),
    customer,
    taxIds: store.list(input.account, 'tax_id', (t) => t.customer === customer.id),
    currency: input.currency ?? (customer.currency as string | null) ?? 'ron',
    created,
    lines: invoiceLines(store, input.account, input.lines),
    billingReason: 'manual',
    collectionMethod: 'send_invoice',
    daysUntilDue,
    finalizedAt,
    paidAt,
  };
  const draft = { ...b.invoice({ ...common, status: 'draft' }), number: null, due_date: null };
  const open = b.invoice({ ...common, status: 'open' });
  const invoice = b.invoice({ ...common, status: 'paid' });
  const payment = paymentOf(invoice, customer, paidAt);
  const account = input.account;
  const steps = {
    created: { label: 'draft created', account, puts: [draft], events: [{ type: 'invoice.created', object: draft }] },
    finalized: {
      label: 'finalized and sent',
      account,
      puts: [open],
      events: [
        { type: 'invoice.finalized', object: open },
        { type: 'invoice.sent', object: open },
      ],
    },
    paid: {
      label: 'paid by the customer',
      account,
      puts: [payment.paymentIntent, payment.charge, payment.invoicePayment, invoice],
      events: paidEvents({ invoice, ...payment }),
    },
  } satisfies Record<string, SimStep>;
  return { invoice, ...payment, steps };
}

// ------------------------------------------------------------------------------------ Checkout + invoice

export interface CheckoutWithInvoiceInput {
  account: string;
  /** Checkout with invoice creation always ends with a customer (Stripe creates one when none is given). */
  customer: string;
  lineItems: SimLine[];
  currency?: string;
  /** Unix seconds of the payment; default now. The invoice follows `invoiceDelaySeconds` later (default 5). */
  created?: number;
  invoiceDelaySeconds?: number;
}

/**
 * Checkout in payment mode with `invoice_creation.enabled`: Stripe first completes the payment
 * (`charge.succeeded`, `payment_intent.succeeded`, `checkout.session.completed`, with `session.invoice`
 * still null), then creates the invoice, finalizes it and marks it paid by that PaymentIntent; only then
 * do `session.invoice` and the PaymentIntent's InvoicePayment exist.
 */
export function checkoutWithInvoice(store: FakeStore, input: CheckoutWithInvoiceInput) {
  const customer = need(store, input.account, input.customer, 'customer');
  if (input.lineItems.length === 0) throw new SimulationError('checkoutWithInvoice needs line items');
  const currency = input.currency ?? (customer.currency as string | null) ?? 'ron';
  const created = input.created ?? b.now();
  const invoiceAt = created + (input.invoiceDelaySeconds ?? 5);
  const ids = { paymentIntent: b.newId('pi'), charge: b.newId('ch') };
  const lines = invoiceLines(store, input.account, input.lineItems);
  const completed = b.checkoutSession({
    id: b.newId('cs_test'),
    paymentIntent: ids.paymentIntent,
    customer,
    customerDetails: {
      name: (customer.name as string | null) ?? null,
      email: (customer.email as string | null) ?? null,
      address: (customer.address as b.AddressInput | null) ?? null,
    },
    currency,
    created,
    items: lines.map((l, i) => ({
      id: b.newId('li'),
      description: l.description,
      price: b.price({
        id: b.newId('price'),
        product: 'prod_sim',
        unitAmount: l.unitAmount,
        currency,
        taxBehavior: l.rate ? (l.rate.inclusive ? 'inclusive' : 'exclusive') : 'unspecified',
      }),
      quantity: input.lineItems[i]!.quantity ?? 1,
      rate: l.rate,
    })),
  });
  completed.invoice_creation = { ...(completed.invoice_creation as object), enabled: true };
  const { paymentIntent, charge } = b.payment({
    ...ids,
    amount: completed.amount_total as number,
    currency,
    customer,
    created,
    description: null,
  });
  const invoice = b.invoice({
    id: b.newId('in'),
    number: nextNumber(),
    customer,
    taxIds: store.list(input.account, 'tax_id', (t) => t.customer === customer.id),
    currency,
    created: invoiceAt,
    finalizedAt: invoiceAt,
    paidAt: invoiceAt,
    status: 'paid',
    lines,
    billingReason: 'manual',
  });
  if (invoice.total !== completed.amount_total) {
    throw new SimulationError(`invoice total ${String(invoice.total)} differs from the session total ${String(completed.amount_total)}`);
  }
  const invoicePayment = b.invoicePayment({
    id: b.newId('inpay'),
    invoice: invoice.id,
    paymentIntent: paymentIntent.id,
    amount: invoice.total as number,
    currency,
    created: invoiceAt,
  });
  const session = { ...completed, invoice: invoice.id };
  const account = input.account;
  const steps = {
    payment: {
      label: 'payment completed, no invoice yet',
      account,
      puts: [paymentIntent, charge, completed],
      events: [
        { type: 'charge.succeeded', object: charge },
        { type: 'payment_intent.succeeded', object: paymentIntent },
        { type: 'checkout.session.completed', object: completed },
      ],
    },
    invoice: {
      label: 'invoice created, finalized and paid',
      account,
      puts: [invoice, invoicePayment, session],
      events: [
        { type: 'invoice.created', object: invoice },
        { type: 'invoice.finalized', object: invoice },
        { type: 'invoice_payment.paid', object: invoicePayment },
        { type: 'invoice.paid', object: invoice },
        { type: 'invoice.payment_succeeded', object: invoice },
      ],
    },
  } satisfies Record<string, SimStep>;
  return { session, paymentIntent, charge, invoice, invoicePayment, steps };
}

// ------------------------------------------------------------------------------------ refund before invoice.paid

export interface RefundBeforeInvoicePaidInput {
  account: string;
  customer: string;
  lines: SimLine[];
  currency?: string;
  /** Minor units; default the whole amount. */
  refundAmount?: number;
  created?: number;
}

/**
 * A charge_automatically invoice paid and refunded at once, whose `invoice.paid` webhook arrives after the
 * refund's: `paid` stores the paid invoice and its payment but sends nothing yet, `refunded` stores the
 * refund and sends `charge.refunded` and `refund.created`, `invoicePaid` finally sends `invoice.paid`.
 */
export function refundBeforeInvoicePaid(store: FakeStore, input: RefundBeforeInvoicePaidInput) {
  const customer = need(store, input.account, input.customer, 'customer');
  const created = input.created ?? b.now();
  const invoice = b.invoice({
    id: b.newId('in'),
    number: nextNumber(),
    customer,
    taxIds: store.list(input.account, 'tax_id', (t) => t.customer === customer.id),
    currency: input.currency ?? (customer.currency as string | null) ?? 'ron',
    created,
    finalizedAt: created,
    paidAt: created + 2,
    status: 'paid',
    lines: invoiceLines(store, input.account, input.lines),
    billingReason: 'manual',
  });
  const payment = paymentOf(invoice, customer, created + 2);
  const refund = refundStep(input.account, payment.charge, { amount: input.refundAmount, created: created + 60 });
  const account = input.account;
  const steps = {
    paid: { label: 'paid (its webhooks still in flight)', account, puts: [payment.paymentIntent, payment.charge, payment.invoicePayment, invoice], events: [] },
    refunded: refund.step,
    invoicePaid: { label: 'invoice.paid arrives late', account, puts: [], events: paidEvents({ invoice, ...payment }) },
  } satisfies Record<string, SimStep>;
  return { invoice, ...payment, charge: refund.charge, refund: refund.refund, steps };
}

// ------------------------------------------------------------------------------------ single moments

/** Voids a stored open (or uncollectible) invoice: `invoice.voided`. Paid, draft and void ones are refused as in Stripe. */
export function voidInvoice(store: FakeStore, input: { account: string; invoice: string; voidedAt?: number }): { invoice: StripeObject; step: SimStep } {
  const current = need(store, input.account, input.invoice, 'invoice');
  if (current.status !== 'open' && current.status !== 'uncollectible') {
    throw new SimulationError(`You can only void invoices that are open or uncollectible; ${current.id} is ${String(current.status)}.`);
  }
  const voidedAt = input.voidedAt ?? b.now();
  const transitions = current.status_transitions as Record<string, number | null>;
  const invoice: StripeObject = {
    ...current,
    status: 'void',
    amount_remaining: 0,
    auto_advance: false,
    next_payment_attempt: null,
    status_transitions: { ...transitions, voided_at: voidedAt },
  };
  return { invoice, step: { label: 'voided', account: input.account, puts: [invoice], events: [{ type: 'invoice.voided', object: invoice }] } };
}
