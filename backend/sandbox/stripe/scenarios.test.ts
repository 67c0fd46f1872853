// The time-split scenarios as a backend sees them: what stripe-node reads between the moments, and the
// signed events in the order they arrive.
import { createServer, type Server } from 'node:http';
import Stripe from 'stripe';
import { DEMO, SimulationError, startStripeFake, type StripeFake } from './index.js';

const SECRET_KEY = 'sk_test_scenarios';
const WEBHOOK_SECRET = 'whsec_scenarios';
const asDemo = { stripeAccount: DEMO.account };
const DAY = 86_400;

let fake: StripeFake;
let stripe: Stripe;
let server: Server;
const received: Stripe.Event[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push(Stripe.webhooks.constructEvent(body, String(req.headers['stripe-signature']), WEBHOOK_SECRET, 300));
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  fake = await startStripeFake({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe` });
  const url = new URL(fake.url);
  stripe = new Stripe(SECRET_KEY, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 });
});

afterAll(async () => {
  await fake.close();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
});

const types = () => received.map((e) => e.type);
const lines = [{ description: 'Consultanță', unitAmount: 10_000, quantity: 2, taxRate: DEMO.taxRates.vat21 }];

async function invoiceOfPayment(paymentIntent: string): Promise<string | null> {
  const page = await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntent } }, asDemo);
  const invoice = page.data[0]?.invoice;
  return invoice ? (typeof invoice === 'string' ? invoice : invoice.id!) : null;
}

describe('send_invoice (net 30) finalized weeks before it is paid', () => {
  it('is a draft, then open with a due date, then paid with its payment', async () => {
    const finalizedAt = Date.UTC(2026, 10, 2, 9) / 1000;
    const paidAt = finalizedAt + 20 * DAY;
    const sale = fake.scenarios.sendInvoice({ customer: DEMO.customers.b2bCluj, lines, created: finalizedAt - 600, finalizedAt, paidAt });
    await expect(stripe.invoices.retrieve(sale.invoice.id, {}, asDemo)).rejects.toThrow(/No such invoice/);

    await fake.play([sale.steps.created, sale.steps.finalized]);
    expect(types()).toEqual(['invoice.created', 'invoice.finalized', 'invoice.sent']);
    expect((received[0]!.data.object as Stripe.Invoice).status).toBe('draft');
    expect((received[0]!.data.object as Stripe.Invoice).number).toBeNull();
    const open = await stripe.invoices.retrieve(sale.invoice.id, { expand: ['payments'] }, asDemo);
    expect(open).toMatchObject({ status: 'open', collection_method: 'send_invoice', amount_paid: 0, amount_remaining: 24_200, due_date: finalizedAt + 30 * DAY });
    expect(open.status_transitions).toMatchObject({ finalized_at: finalizedAt, paid_at: null });
    expect(open.payments!.data).toEqual([]);
    expect(open.number).toBe(sale.invoice.number);

    await fake.play(sale.steps.paid);
    expect(types().slice(3)).toEqual(['charge.succeeded', 'payment_intent.succeeded', 'invoice_payment.paid', 'invoice.paid', 'invoice.payment_succeeded']);
    const paid = await stripe.invoices.retrieve(sale.invoice.id, {}, asDemo);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 24_200, amount_remaining: 0 });
    expect(paid.status_transitions).toMatchObject({ finalized_at: finalizedAt, paid_at: paidAt });
    expect(await invoiceOfPayment(sale.paymentIntent.id)).toBe(sale.invoice.id);
    expect((await stripe.paymentIntents.retrieve(sale.paymentIntent.id, {}, asDemo)).amount).toBe(24_200);
  });

  it('voiding: an open invoice sends invoice.voided; a paid one is refused', async () => {
    const sale = fake.scenarios.sendInvoice({ customer: DEMO.customers.b2bCluj, lines });
    await fake.play([sale.steps.created, sale.steps.finalized], { emit: false });
    const { invoice } = await fake.voidInvoice({ invoice: sale.invoice.id, emit: true });
    expect(types()).toEqual(['invoice.voided']);
    const voided = await stripe.invoices.retrieve(sale.invoice.id, {}, asDemo);
    expect(voided).toMatchObject({ status: 'void', amount_remaining: 0 });
    expect(voided.status_transitions.voided_at).toBe((invoice.status_transitions as { voided_at: number }).voided_at);
    expect((received[0]!.data.object as Stripe.Invoice).status).toBe('void');

    await expect(fake.voidInvoice({ invoice: sale.invoice.id })).rejects.toThrow(SimulationError);
    const other = fake.scenarios.sendInvoice({ customer: DEMO.customers.b2bCluj, lines });
    await fake.play(Object.values(other.steps), { emit: false });
    await expect(fake.voidInvoice({ invoice: other.invoice.id })).rejects.toThrow(/open or uncollectible/);
  });
});

describe('Checkout with invoice creation, in Stripe\'s order', () => {
  it('completes the payment first (no invoice anywhere), then creates, finalizes and pays the invoice', async () => {
    const sale = fake.scenarios.checkoutWithInvoice({ customer: DEMO.customers.consumer, lineItems: lines });

    await fake.play(sale.steps.payment);
    expect(types()).toEqual(['charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed']);
    const sessions = await stripe.checkout.sessions.list({ payment_intent: sale.paymentIntent.id }, asDemo);
    expect(sessions.data).toHaveLength(1);
    expect(sessions.data[0]).toMatchObject({ id: sale.session.id, invoice: null, status: 'complete', payment_status: 'paid', amount_total: 24_200 });
    expect(sessions.data[0]!.invoice_creation?.enabled).toBe(true);
    expect(await invoiceOfPayment(sale.paymentIntent.id)).toBeNull();
    await expect(stripe.invoices.retrieve(sale.invoice.id, {}, asDemo)).rejects.toThrow(/No such invoice/);

    await fake.play(sale.steps.invoice);
    expect(types().slice(3)).toEqual(['invoice.created', 'invoice.finalized', 'invoice_payment.paid', 'invoice.paid', 'invoice.payment_succeeded']);
    const session = await stripe.checkout.sessions.retrieve(sale.session.id, {}, asDemo);
    expect(session.invoice).toBe(sale.invoice.id);
    expect(await invoiceOfPayment(sale.paymentIntent.id)).toBe(sale.invoice.id);
    const invoice = await stripe.invoices.retrieve(sale.invoice.id, {}, asDemo);
    expect(invoice).toMatchObject({ status: 'paid', total: 24_200, customer: DEMO.customers.consumer });
    expect(invoice.status_transitions.finalized_at).toBeGreaterThan(session.created);
  });
});

describe('refund events before invoice.paid', () => {
  it('stores the paid invoice silently, sends the refund, then the late invoice.paid', async () => {
    const sale = fake.scenarios.refundBeforeInvoicePaid({ customer: DEMO.customers.b2bCluj, lines, refundAmount: 5_000 });
    await fake.play([sale.steps.paid, sale.steps.refunded, sale.steps.invoicePaid]);
    expect(types()).toEqual([
      'charge.refunded',
      'refund.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    const charge = await stripe.charges.retrieve(sale.charge.id, {}, asDemo);
    expect(charge).toMatchObject({ amount: 24_200, amount_refunded: 5_000, refunded: false });
    const refunds = await stripe.refunds.list({ payment_intent: sale.paymentIntent.id }, asDemo);
    expect(refunds.data.map((r) => [r.id, r.amount])).toEqual([[sale.refund.id, 5_000]]);
    // The event carries the charge as it was when it succeeded, the store the refunded one.
    expect((received[2]!.data.object as Stripe.Charge).amount_refunded).toBe(0);
    expect(await invoiceOfPayment(sale.paymentIntent.id)).toBe(sale.invoice.id);
  });

  it('refuses a refund above what is left, like Stripe', () => {
    expect(() => fake.scenarios.refundBeforeInvoicePaid({ customer: DEMO.customers.b2bCluj, lines, refundAmount: 24_201 })).toThrow(/not above what is left/);
  });
});

describe('the scenarios over HTTP (a fake in its own process)', () => {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it('builds a scenario, plays its steps by name and voids the open invoice', async () => {
    const created = await post('/__fake/scenarios', {
      kind: 'send_invoice',
      customer: DEMO.customers.b2bCluj,
      lines: [{ description: 'Audit', unit_amount: 50_000, tax_rate: DEMO.taxRates.vat21 }],
    });
    expect(created.status).toBe(201);
    expect(created.json.steps).toEqual(['created', 'finalized', 'paid']);
    const { id, objects } = created.json as { id: string; objects: { invoice: string } };
    expect((await post(`/__fake/scenarios/${id}/steps/finalized`, {})).json).toMatchObject({ delivered: [{ type: 'invoice.finalized', status: 200 }, { type: 'invoice.sent', status: 200 }] });
    expect((await stripe.invoices.retrieve(objects.invoice, {}, asDemo)).status).toBe('open');
    const voided = await post(`/__fake/invoices/${objects.invoice}/void`, {});
    expect(voided.json).toMatchObject({ invoice: { status: 'void' }, delivered: [{ type: 'invoice.voided', status: 200 }] });
    expect(types()).toEqual(['invoice.finalized', 'invoice.sent', 'invoice.voided']);
  });

  it('refuses what it cannot build, with a reason', async () => {
    expect(await post('/__fake/scenarios', { kind: 'nope', customer: DEMO.customers.b2bCluj, lines: [{ description: 'x', unit_amount: 1 }] })).toMatchObject({ status: 400 });
    expect((await post('/__fake/scenarios', { kind: 'send_invoice', customer: 'cus_missing', lines: [{ description: 'x', unit_amount: 1 }] })).json).toMatchObject({ error: { message: expect.stringMatching(/No such customer/) } });
    expect((await post('/__fake/scenarios', { kind: 'send_invoice', customer: DEMO.customers.b2bCluj, lines: [] })).status).toBe(400);
    expect((await post('/__fake/scenarios/scn_nope/steps/paid', {})).status).toBe(404);
    expect((await post(`/__fake/invoices/${DEMO.invoices.b2b}/void`, {})).json).toMatchObject({ error: { message: expect.stringMatching(/open or uncollectible/) } });
  });
});
