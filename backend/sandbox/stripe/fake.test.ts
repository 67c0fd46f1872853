// The fake as stripe-node sees it: the real SDK against the HTTP surface, then the test controls and the
// signed events a backend receives.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { DEMO, startStripeFake, type StripeFake } from './index.js';

const SECRET_KEY = 'sk_test_fake_tests';
const WEBHOOK_SECRET = 'whsec_fake_tests';

interface Received {
  body: string;
  signature: string;
}

/** A stand-in webhook endpoint that records raw bodies and signatures. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers['stripe-signature'] ?? '') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/webhooks/stripe`, received, server };
}

let fake: StripeFake;
let stripe: Stripe;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const asDemo = { stripeAccount: DEMO.account };

function sdk(url: string, key = SECRET_KEY): Stripe {
  const { hostname, port } = new URL(url);
  return new Stripe(key, { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 0 });
}

beforeAll(async () => {
  receiver = await startReceiver();
  fake = await startStripeFake({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, webhookUrl: receiver.url });
  stripe = sdk(fake.url);
});

afterAll(async () => {
  await fake.close();
  await new Promise((resolve) => receiver.server.close(resolve));
});

async function stripeError(promise: Promise<unknown>): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) return err;
    throw err;
  }
  throw new Error('expected a Stripe error');
}

describe('HTTP surface through stripe-node', () => {
  it('serves an invoice with 10 lines inline, payments only when expanded, decimals as Stripe.Decimal', async () => {
    const plain = await stripe.invoices.retrieve(DEMO.invoices.manyLines, {}, asDemo);
    expect(plain.lines.data).toHaveLength(10);
    expect(plain.lines.has_more).toBe(true);
    expect(plain.payments).toBeUndefined();
    expect('subscription' in plain).toBe(false); // removed in basil; the fixture still had it
    expect(plain.lines.data[0]!.pricing?.unit_amount_decimal?.toString()).toBe('1000');

    const expanded = await stripe.invoices.retrieve(DEMO.invoices.manyLines, { expand: ['payments'] }, asDemo);
    expect(expanded.payments?.data).toHaveLength(1);
    expect(expanded.payments?.data[0]!.payment).toEqual({
      type: 'payment_intent',
      payment_intent: DEMO.invoicePayments.manyLines.paymentIntent,
    });
  });

  it('paginates invoice lines with starting_after and ending_before', async () => {
    const first = await stripe.invoices.listLineItems(DEMO.invoices.manyLines, { limit: 10 }, asDemo);
    expect(first.data.map((l) => l.description)).toEqual(Array.from({ length: 10 }, (_, i) => `Licență utilizator #${i + 1}`));
    expect(first.has_more).toBe(true);
    const second = await stripe.invoices.listLineItems(
      DEMO.invoices.manyLines,
      { limit: 10, starting_after: first.data[9]!.id },
      asDemo,
    );
    expect(second.data[0]!.description).toBe('Licență utilizator #11');
    const back = await stripe.invoices.listLineItems(
      DEMO.invoices.manyLines,
      { limit: 3, ending_before: second.data[0]!.id },
      asDemo,
    );
    expect(back.data.map((l) => l.description)).toEqual(['Licență utilizator #8', 'Licență utilizator #9', 'Licență utilizator #10']);
    expect(back.has_more).toBe(true);

    const all = await stripe.invoices.listLineItems(DEMO.invoices.manyLines, { limit: 4 }, asDemo).autoPagingToArray({ limit: 100 });
    expect(all).toHaveLength(23);
    expect(new Set(all.map((l) => l.id)).size).toBe(23);
  });

  it('lists a subscription\'s 14 invoices over several pages, newest first, with data.payments expanded', async () => {
    const pages: number[] = [];
    let startingAfter: string | undefined;
    const seen: Stripe.Invoice[] = [];
    do {
      const page = await stripe.invoices.list(
        { subscription: DEMO.subscriptions.monthly, limit: 5, expand: ['data.payments'], ...(startingAfter ? { starting_after: startingAfter } : {}) },
        asDemo,
      );
      pages.push(page.data.length);
      seen.push(...page.data);
      startingAfter = page.has_more ? page.data.at(-1)!.id : undefined;
    } while (startingAfter);
    expect(pages).toEqual([5, 5, 4]);
    expect(seen.map((i) => i.id)).toEqual([...DEMO.invoices.subscriptionCycles].reverse());
    expect(seen.every((i) => i.payments?.data[0]?.status === 'paid')).toBe(true);
  });

  it('filters invoice payments by payment intent (the way to find the invoice of a payment)', async () => {
    const list = await stripe.invoicePayments.list(
      { payment: { type: 'payment_intent', payment_intent: DEMO.invoicePayments.b2b.paymentIntent } },
      asDemo,
    );
    expect(list.data.map((p) => p.invoice)).toEqual([DEMO.invoices.b2b]);
    const none = await stripe.invoicePayments.list(
      { payment: { type: 'payment_intent', payment_intent: DEMO.payments.bare.paymentIntent } },
      asDemo,
    );
    expect(none.data).toEqual([]);
    const byInvoice = await stripe.invoicePayments.list({ invoice: DEMO.invoices.coupon }, asDemo);
    expect(byInvoice.data[0]!.amount_paid).toBe(9680);
  });

  it('includes customer.tax_ids only when expanded, and serves the tax id list', async () => {
    const plain = (await stripe.customers.retrieve(DEMO.customers.b2bCluj, {}, asDemo)) as Stripe.Customer;
    expect(plain.tax_ids).toBeUndefined();
    const expanded = (await stripe.customers.retrieve(DEMO.customers.b2bCluj, { expand: ['tax_ids'] }, asDemo)) as Stripe.Customer;
    expect(expanded.tax_ids?.data.map((t) => [t.type, t.value, t.verification?.status])).toEqual([['eu_vat', 'RO4221306', 'verified']]);
    const list = await stripe.customers.listTaxIds(DEMO.customers.euReverse, {}, asDemo);
    expect(list.data[0]!.value).toBe('DE123456789');
  });

  it('expands dotted paths, ids inside lists included', async () => {
    const inv = await stripe.invoices.retrieve(DEMO.invoices.b2b, { expand: ['payments.data.payment.payment_intent', 'customer'] }, asDemo);
    const pi = inv.payments!.data[0]!.payment.payment_intent as Stripe.PaymentIntent;
    expect(pi.id).toBe(DEMO.invoicePayments.b2b.paymentIntent);
    expect((inv.customer as Stripe.Customer).name).toBe('Tehnic Cluj SRL');

    const withCharge = await stripe.paymentIntents.retrieve(DEMO.invoicePayments.b2b.paymentIntent, { expand: ['latest_charge'] }, asDemo);
    expect((withCharge.latest_charge as Stripe.Charge).amount_refunded).toBe(12100);

    const refunds = await stripe.refunds.list({ payment_intent: DEMO.invoicePayments.b2bPartial.paymentIntent, expand: ['data.charge'] }, asDemo);
    expect((refunds.data[0]!.charge as Stripe.Charge).id).toBe(DEMO.invoicePayments.b2bPartial.charge);

    const err = await stripeError(stripe.invoices.retrieve(DEMO.invoices.b2b, { expand: ['subscription'] }, asDemo));
    expect(err.statusCode).toBe(400);
  });

  it('keeps accounts apart: another account\'s object is "No such …"', async () => {
    fake.createAccount('acct_other', []);
    const err = await stripeError(stripe.invoices.retrieve(DEMO.invoices.b2b, {}, { stripeAccount: 'acct_other' }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('resource_missing');
    expect(err.message).toBe(`No such invoice: '${DEMO.invoices.b2b}'`);
    // Without Stripe-Account the platform's own (empty) account is used.
    expect((await stripeError(stripe.customers.retrieve(DEMO.customers.b2bCluj))).statusCode).toBe(404);
    // An account the platform cannot reach (never installed / uninstalled).
    const gone = await stripeError(stripe.customers.retrieve(DEMO.customers.b2bCluj, {}, { stripeAccount: 'acct_unknown' }));
    expect(gone).toBeInstanceOf(Stripe.errors.StripePermissionError);
  });

  it('answers with Stripe\'s error shape on the wire', async () => {
    const res = await fetch(`${fake.url}/v1/invoices/in_x`, {
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'stripe-account': DEMO.account },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { type: 'invalid_request_error', code: 'resource_missing', message: "No such invoice: 'in_x'", param: 'id' },
    });
    const unauth = await fetch(`${fake.url}/v1/invoices/in_x`);
    expect(unauth.status).toBe(401);
    expect(((await unauth.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const wrongKey = await stripeError(sdk(fake.url, 'sk_test_wrong').invoices.retrieve(DEMO.invoices.b2b, {}, asDemo));
    expect(wrongKey).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const unknownParam = await stripeError(stripe.invoices.list({ subscriptoin: 'x' } as Stripe.InvoiceListParams, asDemo));
    expect(unknownParam.code).toBe('parameter_unknown');
    const badLimit = await stripeError(stripe.invoices.list({ limit: 500 }, asDemo));
    expect(badLimit.statusCode).toBe(400);
  });

  it('serves checkout sessions by payment intent and their line items with taxes on request', async () => {
    const sessions = await stripe.checkout.sessions.list({ payment_intent: DEMO.payments.checkout.paymentIntent }, asDemo);
    expect(sessions.data.map((s) => s.id)).toEqual([DEMO.payments.checkout.session]);
    expect(sessions.data[0]!.line_items).toBeUndefined();
    const items = await stripe.checkout.sessions.listLineItems(DEMO.payments.checkout.session, { expand: ['data.taxes'] }, asDemo);
    expect(items.data.map((i) => [i.quantity, i.amount_total, i.taxes?.[0]?.rate.percentage])).toEqual([
      [1, 19900, 21],
      [2, 9980, 11],
    ]);
    const noTaxes = await stripe.checkout.sessions.listLineItems(DEMO.payments.checkout.session, {}, asDemo);
    expect(noTaxes.data[0]!.taxes).toBeUndefined();
  });

  it('lists customers, invoices and payment intents for the preview', async () => {
    const customers = await stripe.customers.list({ limit: 100 }, asDemo);
    expect(customers.data.length).toBeGreaterThanOrEqual(9);
    const open = await stripe.invoices.list({ status: 'open' }, asDemo);
    expect(open.data.map((i) => i.id)).toEqual([DEMO.invoices.open]);
    const intents = await stripe.paymentIntents.list({ customer: DEMO.customers.japan }, asDemo);
    expect(intents.data[0]!.currency).toBe('jpy');
    expect(intents.data[0]!.amount).toBe(50000);
  });
});

describe('test controls', () => {
  it('put replaces an object, remove deletes it, createAccount starts from a given set', async () => {
    const customer = fake.get(DEMO.account, DEMO.customers.consumer)!;
    fake.createAccount('acct_scenario', [customer]);
    fake.put('acct_scenario', { ...customer, name: 'Ana Popescu-Ionescu' });
    expect(((await stripe.customers.retrieve(customer.id, {}, { stripeAccount: 'acct_scenario' })) as Stripe.Customer).name).toBe(
      'Ana Popescu-Ionescu',
    );
    // The demo account's copy is untouched.
    expect(((await stripe.customers.retrieve(customer.id, {}, asDemo)) as Stripe.Customer).name).toBe('Ana Popescu');
    expect(fake.remove(customer.id, 'acct_scenario')).toBe(true);
    expect((await stripeError(stripe.customers.retrieve(customer.id, {}, { stripeAccount: 'acct_scenario' }))).statusCode).toBe(404);
    fake.createAccount('acct_demo_copy', 'demo');
    expect((await stripe.invoices.retrieve(DEMO.invoices.coupon, {}, { stripeAccount: 'acct_demo_copy' })).total).toBe(9680);
  });
});

describe('simulated activity and signed events', () => {
  beforeEach(() => {
    receiver.received.length = 0;
  });

  it('emits a signed event that Stripe.webhooks.constructEvent accepts', async () => {
    const result = await fake.emitEvent({ type: 'invoice.paid', objectId: DEMO.invoices.b2b, account: DEMO.account });
    expect(result.status).toBe(200);
    const [delivery] = receiver.received;
    expect(delivery!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = Stripe.webhooks.constructEvent(delivery!.body, delivery!.signature, WEBHOOK_SECRET, 300);
    expect(event.type).toBe('invoice.paid');
    expect(event.account).toBe(DEMO.account);
    expect(event.api_version).toBe(Stripe.API_VERSION);
    expect(event.livemode).toBe(false);
    const invoice = event.data.object as Stripe.Invoice;
    expect(invoice.id).toBe(DEMO.invoices.b2b);
    // Webhook payloads keep decimals as strings.
    expect(invoice.lines.data[0]!.pricing?.unit_amount_decimal).toBe('10000');
    expect(() => Stripe.webhooks.constructEvent(delivery!.body, delivery!.signature, 'whsec_other', 300)).toThrow();
  });

  it('emits through POST /__fake/events for the preview page', async () => {
    const res = await fetch(`${fake.url}/__fake/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'payment_intent.succeeded', object_id: DEMO.payments.bare.paymentIntent, account: DEMO.account }),
    });
    expect(res.status).toBe(200);
    const event = Stripe.webhooks.constructEvent(receiver.received[0]!.body, receiver.received[0]!.signature, WEBHOOK_SECRET, 300);
    expect((event.data.object as Stripe.PaymentIntent).id).toBe(DEMO.payments.bare.paymentIntent);
    const bad = await fetch(`${fake.url}/__fake/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'invoice.paid', object_id: 'in_nope' }),
    });
    expect(bad.status).toBe(400);
  });

  it('createRefund updates the charge and sends charge.refunded + refund.created', async () => {
    const { paymentIntent, charge } = await fake.createPayment({ customer: DEMO.customers.consumer, amount: 10000 });
    const partial = await fake.createRefund({ charge: charge.id, amount: 2500, emit: true });
    expect(partial.charge).toMatchObject({ amount_refunded: 2500, refunded: false });
    expect(partial.events.map((e) => e.event.type)).toEqual(['charge.refunded', 'refund.created']);
    const events = receiver.received.map((r) => Stripe.webhooks.constructEvent(r.body, r.signature, WEBHOOK_SECRET, 300));
    expect((events[0]!.data.object as Stripe.Charge).amount_refunded).toBe(2500);
    expect((events[1]!.data.object as Stripe.Refund).payment_intent).toBe(paymentIntent.id);

    const rest = await fake.createRefund({ paymentIntent: paymentIntent.id });
    expect(rest.refund.amount).toBe(7500);
    const stored = await stripe.charges.retrieve(charge.id, { expand: ['refunds'] }, asDemo);
    expect(stored.refunded).toBe(true);
    expect(stored.amount_refunded).toBe(10000);
    expect(stored.refunds?.data).toHaveLength(2);
    await expect(fake.createRefund({ charge: charge.id, amount: 1 })).rejects.toThrow(/left to refund/);
  });

  it('creates refunds through POST /v1/refunds like the API', async () => {
    const { charge } = await fake.createPayment({ amount: 3000, currency: 'ron' });
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 1000 }, asDemo);
    expect(refund.status).toBe('succeeded');
    expect((await stripe.charges.retrieve(charge.id, {}, asDemo)).amount_refunded).toBe(1000);
    const tooMuch = await stripeError(stripe.refunds.create({ charge: charge.id, amount: 5000 }, asDemo));
    expect(tooMuch.statusCode).toBe(400);
  });

  it('createPaidInvoice adds invoice, payment intent, charge and invoice payment, and sends invoice.paid', async () => {
    const result = await fake.createPaidInvoice({
      customer: DEMO.customers.b2bCluj,
      lines: [
        { description: 'Abonament', unitAmount: 10000, taxRate: DEMO.taxRates.vat21 },
        { description: 'Carte', unitAmount: 4000, taxRate: DEMO.taxRates.vat11 },
      ],
      emit: true,
    });
    expect(result.invoice.total).toBe(16540);
    const event = Stripe.webhooks.constructEvent(receiver.received[0]!.body, receiver.received[0]!.signature, WEBHOOK_SECRET, 300);
    expect(event.type).toBe('invoice.paid');
    const found = await stripe.invoicePayments.list(
      { payment: { type: 'payment_intent', payment_intent: result.paymentIntent.id } },
      asDemo,
    );
    expect(found.data[0]!.invoice).toBe(result.invoice.id);
    expect((await stripe.charges.retrieve(result.charge.id, {}, asDemo)).amount).toBe(16540);
  });

  it('createPayment with line items makes a Checkout Session; a bare one sends payment_intent.succeeded', async () => {
    const withItems = await fake.createPayment({
      customer: DEMO.customers.consumer,
      lineItems: [{ description: 'Curs', unitAmount: 999, quantity: 3, taxRate: DEMO.taxRates.vat21Inclusive }],
    });
    expect(withItems.paymentIntent.amount).toBe(2997);
    const sessions = await stripe.checkout.sessions.list({ payment_intent: withItems.paymentIntent.id }, asDemo);
    expect(sessions.data).toHaveLength(1);

    const bare = await fake.createPayment({ amount: 1234, emit: true });
    expect(bare.session).toBeNull();
    expect(bare.events.map((e) => [e.event.type, e.status])).toEqual([['payment_intent.succeeded', 200]]);
  });

  it('generates hundreds of payments cheaply and can deliver their events', async () => {
    fake.createAccount('acct_volume', [fake.get(DEMO.account, DEMO.customers.consumer)!]);
    for (let i = 0; i < 800; i++) await fake.createPayment({ account: 'acct_volume', customer: DEMO.customers.consumer, amount: 100 + i });
    const page = await stripe.paymentIntents.list({ limit: 100 }, { stripeAccount: 'acct_volume' });
    expect(page.data).toHaveLength(100);
    expect(page.has_more).toBe(true);
    expect(fake.list('acct_volume', 'charge')).toHaveLength(800);
    for (const pi of fake.list('acct_volume', 'payment_intent').slice(0, 20)) {
      await fake.emitEvent({ type: 'payment_intent.succeeded', object: pi, account: 'acct_volume' });
    }
    expect(receiver.received).toHaveLength(20);
  });
});

describe('persistence', () => {
  it('keeps created objects in the state file across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stripe-fake-'));
    try {
      const stateFile = join(dir, 'state.json');
      const first = await startStripeFake({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, stateFile });
      const { paymentIntent } = await first.createPayment({ amount: 4200 });
      await first.close();
      const second = await startStripeFake({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, stateFile });
      try {
        expect((await sdk(second.url).paymentIntents.retrieve(paymentIntent.id, {}, asDemo)).amount).toBe(4200);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
