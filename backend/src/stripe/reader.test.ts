// The reader through the real stripe-node SDK against the Stripe fake: what the invoicing engine gets for
// each demo case, complete lists, and errors it can act on.
import Stripe from 'stripe';
import { DEMO, startStripeFake, type StripeFake } from '../../sandbox/stripe/index.js';
import { STRIPE_API_VERSION, createStripeClient } from './client.js';
import { StripeObjectNotFound, StripePermanentError, StripeTransientError, mapStripeError } from './errors.js';
import { StripeReader, toPlain } from './reader.js';

const SECRET_KEY = 'sk_test_reader';
const A = DEMO.account;
let fake: StripeFake;
let reader: StripeReader;
/** Small pages, so every list the reader completes really spans several requests. */
let smallPages: StripeReader;
const requests = () => fake.requests.map((r) => r.url);

beforeAll(async () => {
  fake = await startStripeFake({ secretKey: SECRET_KEY, webhookSecret: 'whsec_reader' });
  const client = createStripeClient({ secretKey: SECRET_KEY, apiUrl: fake.url });
  reader = new StripeReader(client);
  smallPages = new StripeReader(client, { pageSize: 3 });
});

afterAll(() => fake.close());

beforeEach(() => {
  fake.requests.length = 0;
});

describe('createStripeClient', () => {
  it('pins the SDK\'s API version and targets STRIPE_API_URL', async () => {
    expect(STRIPE_API_VERSION).toBe(Stripe.API_VERSION);
    expect(STRIPE_API_VERSION).toBe('2026-10-28.endive');
    await reader.getPaymentIntent(A, DEMO.payments.bare.paymentIntent);
    expect(fake.requests).toEqual([
      { method: 'GET', url: `/v1/payment_intents/${DEMO.payments.bare.paymentIntent}`, account: A, stripeVersion: STRIPE_API_VERSION },
    ]);
  });
});

describe('StripeReader', () => {
  it('getCustomer returns the customer with its tax ids', async () => {
    const customer = await reader.getCustomer(A, DEMO.customers.b2bCluj);
    expect(customer.name).toBe('Tehnic Cluj SRL');
    expect(customer.address?.city).toBe('Cluj-Napoca');
    expect(customer.tax_ids.data.map((t) => [t.type, t.value])).toEqual([['eu_vat', 'RO4221306']]);
    const eu = await reader.getCustomer(A, DEMO.customers.euReverse);
    expect(eu.tax_exempt).toBe('reverse');
  });

  it('getInvoice returns every line (paginated past 10), its payments and tax rate percentages', async () => {
    const invoice = await smallPages.getInvoice(A, DEMO.invoices.manyLines);
    expect(invoice.lines.data).toHaveLength(23);
    expect(invoice.lines.has_more).toBe(false);
    expect(invoice.lines.data.map((l) => l.description)).toEqual(Array.from({ length: 23 }, (_, i) => `Licență utilizator #${i + 1}`));
    expect(requests().filter((u) => u.includes('/lines')).length).toBe(8); // 23 lines in pages of 3
    expect(invoice.payments.data.map((p) => p.payment.payment_intent)).toEqual([DEMO.invoicePayments.manyLines.paymentIntent]);
    expect(invoice.tax_rate_percentages).toEqual({ [DEMO.taxRates.vat21]: '21' });
  });

  it('turns Stripe.Decimal values into decimal strings', async () => {
    const invoice = await reader.getInvoice(A, DEMO.invoices.inclusiveDrift);
    const line = invoice.lines.data[0]!;
    expect(line.pricing?.unit_amount_decimal).toBe('999');
    expect(line.quantity_decimal).toBe('1');
    expect(typeof line.pricing?.unit_amount_decimal).toBe('string');
    expect(line.taxes).toEqual([
      {
        amount: 173,
        tax_behavior: 'inclusive',
        tax_rate_details: { tax_rate: DEMO.taxRates.vat21Inclusive },
        taxability_reason: 'standard_rated',
        taxable_amount: 826,
        type: 'tax_rate_details',
      },
    ]);
    expect('lastResponse' in invoice).toBe(false);
    expect(toPlain({ a: [Stripe.Decimal.from('1.50')] })).toEqual({ a: ['1.5'] });
  });

  it('getInvoice gives two rates for the mixed-rate invoice and the coupon discount', async () => {
    const mixed = await reader.getInvoice(A, DEMO.invoices.mixedRates);
    expect(mixed.tax_rate_percentages).toEqual({ [DEMO.taxRates.vat21]: '21', [DEMO.taxRates.vat11]: '11' });
    expect(mixed.total).toBe(16540);
    const coupon = await reader.getInvoice(A, DEMO.invoices.coupon);
    expect(coupon.lines.data[0]!.discount_amounts).toEqual([{ amount: 2000, discount: DEMO.discount }]);
    const reverse = await reader.getInvoice(A, DEMO.invoices.reverseCharge);
    expect(reverse.tax_rate_percentages).toEqual({ [DEMO.taxRates.reverseCharge]: '0' });
  });

  it('listSubscriptionInvoices reads every page, oldest cycle first, each complete', async () => {
    const cycles = await smallPages.listSubscriptionInvoices(A, DEMO.subscriptions.monthly);
    expect(cycles.map((i) => i.id)).toEqual(DEMO.invoices.subscriptionCycles);
    expect(requests().filter((u) => u.startsWith('/v1/invoices?')).length).toBe(5); // 14 invoices in pages of 3
    expect(cycles.every((i) => i.payments.data[0]?.status === 'paid' && i.lines.data.length === 1)).toBe(true);
    expect(cycles[13]!.parent?.subscription_details?.subscription).toBe(DEMO.subscriptions.monthly);
  });

  it('getSubscription has the price and the product name', async () => {
    const sub = await reader.getSubscription(A, DEMO.subscriptions.monthly);
    const item = sub.items.data[0]!;
    expect(item.price.unit_amount).toBe(4900);
    expect(item.price.recurring?.interval).toBe('month');
    expect((item.price.product as Stripe.Product).name).toBe('Storno Cloud — abonament SaaS');
    expect(typeof item.price.unit_amount_decimal).toBe('string');
    expect(sub.latest_invoice).toBe(DEMO.invoices.subscriptionCycles[13]);
  });

  it('getPaymentIntent and getCharge', async () => {
    const pi = await reader.getPaymentIntent(A, DEMO.payments.jpy.paymentIntent);
    expect([pi.amount, pi.currency, pi.status]).toEqual([50000, 'jpy', 'succeeded']);
    const charge = await reader.getCharge(A, DEMO.invoicePayments.b2bPartial.charge);
    expect([charge.amount, charge.amount_refunded, charge.refunded]).toEqual([12100, 3000, false]);
  });

  it('resolvePayment works from a pi_ and from a ch_, finding the invoice through invoice payments', async () => {
    const ids = DEMO.invoicePayments.b2b;
    const fromIntent = await reader.resolvePayment(A, ids.paymentIntent);
    expect([fromIntent.paymentIntent?.id, fromIntent.charge?.id, fromIntent.invoiceId]).toEqual([ids.paymentIntent, ids.charge, DEMO.invoices.b2b]);
    const fromCharge = await reader.resolvePayment(A, ids.charge);
    expect([fromCharge.paymentIntent?.id, fromCharge.charge?.id, fromCharge.invoiceId]).toEqual([ids.paymentIntent, ids.charge, DEMO.invoices.b2b]);
    const bare = await reader.resolvePayment(A, DEMO.payments.bare.paymentIntent);
    expect(bare.invoiceId).toBeUndefined();
    expect(bare.charge?.id).toBe(DEMO.payments.bare.charge);
    await expect(reader.resolvePayment(A, 'in_demo_b2b')).rejects.toBeInstanceOf(StripeObjectNotFound);
  });

  it('listRefunds by payment intent or charge, every page', async () => {
    const { charge } = await fake.createPayment({ amount: 1000, customer: DEMO.customers.consumer });
    for (let i = 0; i < 7; i++) await fake.createRefund({ charge: charge.id, amount: 100 });
    const byCharge = await smallPages.listRefunds(A, charge.id);
    expect(byCharge).toHaveLength(7);
    const byIntent = await smallPages.listRefunds(A, charge.payment_intent as string);
    expect(byIntent.map((r) => r.id)).toEqual(byCharge.map((r) => r.id));
    expect((await reader.listRefunds(A, DEMO.invoicePayments.b2b.paymentIntent)).map((r) => r.id)).toEqual([DEMO.refunds.full]);
  });

  it('getRefund and findInvoiceForRefund (refund → charge → payment intent → invoice)', async () => {
    const refund = await reader.getRefund(A, DEMO.refunds.partial);
    expect(refund.amount).toBe(3000);
    const origin = await reader.findInvoiceForRefund(A, DEMO.refunds.partial);
    expect(origin.invoiceId).toBe(DEMO.invoices.b2bPartial);
    expect(origin.paymentIntentId).toBe(DEMO.invoicePayments.b2bPartial.paymentIntent);
    expect(origin.charge?.amount).toBe(12100);
    const checkout = await reader.findInvoiceForRefund(A, DEMO.refunds.checkoutPartial);
    expect(checkout.invoiceId).toBeNull();
    expect(checkout.paymentIntentId).toBe(DEMO.payments.checkout.paymentIntent);
  });

  it('getCheckoutLineItems gives the session and all items with their tax rates, or null', async () => {
    const result = await reader.getCheckoutLineItems(A, DEMO.payments.checkout.paymentIntent);
    expect(result?.session.id).toBe(DEMO.payments.checkout.session);
    expect(result?.session.customer_details?.address?.city).toBe('Timișoara');
    expect(result?.lineItems.map((i) => [i.description, i.quantity, i.amount_total, i.taxes?.[0]?.rate.percentage])).toEqual([
      ['Curs online Excel avansat', 1, 19900, 21],
      ['Carte electronică „Contabilitate pentru IT”', 2, 9980, 11],
    ]);
    expect(typeof result?.lineItems[0]!.price?.unit_amount_decimal).toBe('string');
    expect(await reader.getCheckoutLineItems(A, DEMO.payments.bare.paymentIntent)).toBeNull();
  });

  it('always reads the current object (a refund made after the first read is seen)', async () => {
    const { charge } = await fake.createPayment({ amount: 5000 });
    expect((await reader.getCharge(A, charge.id)).amount_refunded).toBe(0);
    await fake.createRefund({ charge: charge.id, amount: 2000 });
    expect((await reader.getCharge(A, charge.id)).amount_refunded).toBe(2000);
  });
});

describe('errors', () => {
  it('an unknown id is StripeObjectNotFound with a clear message', async () => {
    const err = await reader.getInvoice(A, 'in_missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StripeObjectNotFound);
    expect(err).toMatchObject({ objectType: 'invoice', objectId: 'in_missing', accountId: A, statusCode: 404, retryable: false });
    expect((err as Error).message).toBe(`Stripe invoice in_missing was not found in account ${A}.`);
  });

  it('another account\'s object is not found (Stripe-Account isolation)', async () => {
    fake.createAccount('acct_empty_reader', []);
    await expect(reader.getInvoice('acct_empty_reader', DEMO.invoices.b2b)).rejects.toBeInstanceOf(StripeObjectNotFound);
    await expect(reader.getCustomer('acct_empty_reader', DEMO.customers.b2bCluj)).rejects.toBeInstanceOf(StripeObjectNotFound);
  });

  it('an account the platform cannot reach, or a wrong key, is permanent', async () => {
    const gone = await reader.getCustomer('acct_never_installed', DEMO.customers.b2bCluj).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(StripePermanentError);
    expect(gone).toMatchObject({ statusCode: 403, stripeCode: 'account_invalid', retryable: false });
    const wrongKey = new StripeReader(createStripeClient({ secretKey: 'sk_test_wrong', apiUrl: fake.url }));
    await expect(wrongKey.getInvoice(A, DEMO.invoices.b2b)).rejects.toMatchObject({ name: 'StripePermanentError', statusCode: 401 });
  });

  it('an unreachable Stripe is transient', async () => {
    const down = new StripeReader(createStripeClient({ secretKey: SECRET_KEY, apiUrl: 'http://127.0.0.1:1', timeoutMs: 2000 }));
    const err = await down.getInvoice(A, DEMO.invoices.b2b).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StripeTransientError);
    expect((err as StripeTransientError).retryable).toBe(true);
  });

  it('maps 5xx and rate limits to transient, leaves non-Stripe errors alone', () => {
    const target = { accountId: A, objectType: 'invoice', objectId: 'in_x' };
    const apiError = Stripe.errors.StripeError.generate({ type: 'api_error', message: 'boom', statusCode: 500 } as never);
    expect(mapStripeError(apiError, target)).toBeInstanceOf(StripeTransientError);
    const rate = new Stripe.errors.StripeRateLimitError({ message: 'slow down', type: 'rate_limit_error', statusCode: 429 } as never);
    expect(mapStripeError(rate, target)).toBeInstanceOf(StripeTransientError);
    const bug = new TypeError('x is undefined');
    expect(mapStripeError(bug, target)).toBe(bug);
  });
});
