// The fake is as strict as Stripe at the pinned API version: its objects carry exactly the fields of the
// `stripe` package's types, and it refuses unknown parameters and impossible expansions, and applies
// every filter it accepts. Raw HTTP, so the wire format is what is checked.
import Stripe from 'stripe';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import * as b from './builders.js';
import { DEMO, startStripeFake, type StripeFake } from './index.js';
import { SCHEMA, hasObjectSchema, objectFields } from './schema.js';

const KEY = 'sk_test_schema';
let fake: StripeFake;

beforeAll(async () => {
  fake = await startStripeFake({ secretKey: KEY, webhookSecret: 'whsec_schema' });
});
afterAll(() => fake.close());

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${fake.url}${path}`, {
    headers: { authorization: `Bearer ${KEY}`, 'stripe-account': DEMO.account, 'stripe-version': Stripe.API_VERSION },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function ok(path: string): Promise<Record<string, unknown>> {
  const { status, body } = await get(path);
  if (status !== 200) throw new Error(`${path} → ${status} ${JSON.stringify(body)}`);
  return body;
}

async function error(path: string): Promise<{ status: number; type?: string; code?: string; message: string; param?: string }> {
  const { status, body } = await get(path);
  return { status, ...(body.error as { message: string }) };
}

async function all(path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let after = '';
  for (;;) {
    const page = await ok(`${path}${path.includes('?') ? '&' : '?'}limit=100${after ? `&starting_after=${after}` : ''}`);
    const data = page.data as Record<string, unknown>[];
    out.push(...data);
    if (!page.has_more) return out;
    after = data.at(-1)!.id as string;
  }
}

/** Every Stripe object inside a response, with the path where it sits. */
function objectsIn(value: unknown, path: string, out: Array<{ path: string; obj: Record<string, unknown> }> = []) {
  if (Array.isArray(value)) value.forEach((item, i) => objectsIn(item, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj.object === 'string' && obj.object !== 'list') out.push({ path, obj });
    for (const [key, inner] of Object.entries(obj)) objectsIn(inner, `${path}.${key}`, out);
  }
  return out;
}

/** Fields missing from or foreign to `value` as a `typeIds` shape, nested hashes and lists included. */
function shapeProblems(value: unknown, typeIds: string[], path: string, problems: Set<string>): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach((item) => shapeProblems(item, typeIds, path, problems));
  const obj = value as Record<string, unknown>;
  if (obj.object === 'list' && Array.isArray(obj.data)) return shapeProblems(obj.data, typeIds, `${path}.data`, problems);
  // Of a union (Customer | DeletedCustomer) the shape the value fits best; a shape with no fields is a free-form hash (metadata).
  const shapes = typeIds.flatMap((id) => (SCHEMA.types[id] && Object.keys(SCHEMA.types[id]).length ? [[id, SCHEMA.types[id]] as const] : []));
  const fit = (shape: Record<string, unknown>) => Object.keys(obj).filter((key) => key in shape).length;
  const [id, shape] = shapes.sort((a, b) => fit(b[1]) - fit(a[1]))[0] ?? [];
  if (!id || !shape) return;
  for (const [key, field] of Object.entries(shape)) if (!field.o && !(key in obj)) problems.add(`${path} (${id}): ${key} missing`);
  for (const [key, inner] of Object.entries(obj)) {
    const field = shape[key];
    if (!field) problems.add(`${path} (${id}): ${key} is not a field of ${SCHEMA.apiVersion}`);
    else if (field.r) shapeProblems(inner, field.r, `${path}.${key}`, problems);
  }
}

/** Every Stripe object checked against its type, down to the nested hashes. */
function fieldProblems(objects: Array<{ path: string; obj: Record<string, unknown> }>): string[] {
  const problems = new Set<string>();
  for (const { path, obj } of objects) {
    const type = obj.object as string;
    if (!hasObjectSchema(type)) problems.add(`${type} (at ${path}) has no schema: add it to schema.generate.ts`);
    else shapeProblems(obj, [SCHEMA.objects[type]!], type, problems);
  }
  return [...problems].sort();
}

describe('schema.json', () => {
  it('describes the pinned API version of the installed stripe package', () => {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(join(resolve(dirname(require.resolve('stripe')), '..'), 'package.json'), 'utf8')) as { version: string };
    expect(SCHEMA.apiVersion).toBe(Stripe.API_VERSION);
    expect(SCHEMA.stripeNode).toBe(pkg.version);
    expect(objectFields('invoice').always).toEqual(expect.arrayContaining(['id', 'object', 'lines', 'parent', 'status_transitions', 'total_taxes']));
    expect(objectFields('invoice').always).not.toContain('subscription'); // removed in basil
    expect(objectFields('invoice').sometimes).toContain('payments'); // includable
    expect(objectFields('payment_intent').always).not.toContain('invoice');
  });
});

describe('every object the fake serves has exactly the fields of the pinned API version, nested ones too', () => {
  it('the demo account, lists and expansions included', async () => {
    const seen: Array<{ path: string; obj: Record<string, unknown> }> = [];
    const collect = (value: unknown, path: string) => objectsIn(value, path, seen);
    collect(await ok('/v1/account'), 'account');
    collect(await all('/v1/customers?expand[]=data.tax_ids'), 'customers');
    collect(await all('/v1/invoices?expand[]=data.payments'), 'invoices');
    collect(await all(`/v1/invoices/${DEMO.invoices.manyLines}/lines`), 'lines');
    collect(await all('/v1/invoice_payments'), 'invoice_payments');
    collect(await all('/v1/payment_intents'), 'payment_intents');
    collect(await all('/v1/charges?expand[]=data.refunds'), 'charges');
    collect(await all('/v1/refunds'), 'refunds');
    collect(await all('/v1/subscriptions?status=all&expand[]=data.latest_invoice'), 'subscriptions');
    collect(await ok(`/v1/subscriptions/${DEMO.subscriptions.monthly}?expand[]=items.data.price.product`), 'subscription');
    collect(await all('/v1/checkout/sessions'), 'sessions');
    collect(await all(`/v1/checkout/sessions/${DEMO.payments.checkout.session}/line_items?expand[]=data.taxes`), 'session line items');
    collect(await all('/v1/tax_rates'), 'tax_rates');
    collect(await all('/v1/products'), 'products');
    collect(await all('/v1/prices'), 'prices');
    collect(await all('/v1/coupons'), 'coupons');
    const types = new Set(seen.map((s) => s.obj.object));
    expect([...types].sort()).toEqual(
      expect.arrayContaining(['account', 'charge', 'checkout.session', 'customer', 'invoice', 'invoice_payment', 'item', 'line_item', 'payment_intent', 'price', 'product', 'refund', 'subscription', 'subscription_item', 'tax_id', 'tax_rate']),
    );
    expect(fieldProblems(seen)).toEqual([]);
  });

  it('scenario objects and the events that carry them', async () => {
    const lines = [{ description: 'Serviciu', unitAmount: 5_000, taxRate: DEMO.taxRates.vat21 }];
    const send = fake.scenarios.sendInvoice({ customer: DEMO.customers.b2bCluj, lines });
    const checkout = fake.scenarios.checkoutWithInvoice({ customer: DEMO.customers.consumer, lineItems: lines });
    const early = fake.scenarios.refundBeforeInvoicePaid({ customer: DEMO.customers.b2bCluj, lines });
    await fake.play([...Object.values(send.steps), ...Object.values(checkout.steps), ...Object.values(early.steps)]);
    const open = fake.scenarios.sendInvoice({ customer: DEMO.customers.b2bCluj, lines });
    await fake.play([open.steps.created, open.steps.finalized]);
    await fake.voidInvoice({ invoice: open.invoice.id, emit: true });
    const seen = fake.events.flatMap((event, i) => objectsIn(event, `events[${i}]`));
    expect(new Set(seen.map((s) => (s.obj as { type?: string }).type).filter(Boolean))).toEqual(
      new Set(['invoice.created', 'invoice.finalized', 'invoice.sent', 'charge.succeeded', 'payment_intent.succeeded', 'invoice_payment.paid', 'invoice.paid', 'invoice.payment_succeeded', 'checkout.session.completed', 'charge.refunded', 'refund.created', 'invoice.voided']),
    );
    expect(fieldProblems(seen)).toEqual([]);
  });

  it('the check itself catches a missing and an unknown field', () => {
    const invoice = b.invoice({ id: 'in_x', number: 'X-1', customer: b.customer({ id: 'cus_x', name: 'X' }), currency: 'ron', created: 1, lines: [{ description: 'x', unitAmount: 1, rate: null }] });
    const { total: _total, ...withoutTotal } = invoice;
    const broken = { ...withoutTotal, subscription: 'sub_1', status_transitions: { finalized_at: 1, paid_at: 2, voided_at: null } };
    expect(fieldProblems([{ path: 'x', obj: broken }])).toEqual([
      'invoice (Invoices#Invoice): subscription is not a field of 2026-10-28.endive',
      'invoice (Invoices#Invoice): total missing',
      'invoice.status_transitions (Invoices#Invoice.StatusTransitions): marked_uncollectible_at missing',
    ]);
  });
});

describe('parameters: refused when unknown, applied when accepted', () => {
  it('an unknown parameter is a 400 parameter_unknown, as from Stripe', async () => {
    expect(await error('/v1/invoices?customerr=cus_x')).toEqual({
      status: 400,
      type: 'invalid_request_error',
      code: 'parameter_unknown',
      message: 'Received unknown parameter: customerr',
      param: 'customerr',
    });
    expect((await error(`/v1/invoices/${DEMO.invoices.b2b}?limit=3`)).message).toBe('Received unknown parameter: limit');
    expect((await error('/v1/refunds?created[after]=1')).message).toBe('Received unknown parameter: created[after]');
    expect((await error('/v1/invoice_payments?payment[type]=payment_intent&payment[charge]=ch_1')).message).toBe('Received unknown parameter: payment[charge]');
  });

  it('POST bodies are checked the same way', async () => {
    const response = await fetch(`${fake.url}/v1/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'stripe-account': DEMO.account, 'content-type': 'application/x-www-form-urlencoded' },
      body: `charge=${DEMO.payments.bare.charge}&amount=100&amout=100`,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'parameter_unknown', param: 'amout' } });
    expect(fake.get(DEMO.account, DEMO.payments.bare.charge)!.amount_refunded).toBe(0);
  });

  it('a parameter Stripe knows but the fake does not implement is refused, never ignored', async () => {
    const refused = await error('/v1/subscriptions?automatic_tax[enabled]=true');
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/does not implement the parameter automatic_tax/);
  });

  it('bad values are refused', async () => {
    expect((await error('/v1/invoices?limit=0')).status).toBe(400);
    expect((await error('/v1/invoices?limit=101')).param).toBe('limit');
    expect(await error('/v1/invoices?created[gte]=yesterday')).toMatchObject({ status: 400, code: 'parameter_invalid_integer', param: 'created[gte]' });
    expect(await error('/v1/invoices?starting_after=in_nope')).toMatchObject({ status: 400, param: 'starting_after' });
    expect(await error('/v1/invoice_payments?payment[payment_intent]=pi_1')).toMatchObject({ status: 400, param: 'payment[type]' });
    expect(await error('/v1/tax_rates?active=yes')).toMatchObject({ status: 400, param: 'active' });
  });

  it('filters are applied: created ranges, customer, status, collection_method, payment_intent', async () => {
    const invoices = await all('/v1/invoices');
    const times = invoices.map((i) => i.created as number).sort((x, y) => x - y);
    const middle = times[Math.floor(times.length / 2)]!;
    const later = await all(`/v1/invoices?created[gte]=${middle}`);
    expect(later.length).toBe(times.filter((t) => t >= middle).length);
    expect(later.length).toBeLessThan(invoices.length);
    expect((await all(`/v1/invoices?created[gt]=${middle}&created[lte]=${times.at(-1)!}`)).every((i) => (i.created as number) > middle)).toBe(true);
    expect((await all(`/v1/invoices?created=${middle}`)).every((i) => i.created === middle)).toBe(true);

    const ofCustomer = await all(`/v1/invoices?customer=${DEMO.customers.b2bCluj}`);
    expect(ofCustomer.length).toBeGreaterThan(0);
    expect(ofCustomer.length).toBeLessThan(invoices.length);
    expect(ofCustomer.every((i) => i.customer === DEMO.customers.b2bCluj)).toBe(true);
    const open = await all('/v1/invoices?status=open');
    expect(open.map((i) => i.id)).toContain(DEMO.invoices.open);
    expect(open.every((i) => i.status === 'open')).toBe(true);
    expect((await all('/v1/invoices?collection_method=send_invoice')).every((i) => i.collection_method === 'send_invoice')).toBe(true);

    const sessions = await all(`/v1/checkout/sessions?payment_intent=${DEMO.payments.checkout.paymentIntent}`);
    expect(sessions.map((s) => s.id)).toEqual([DEMO.payments.checkout.session]);
    expect(await all('/v1/checkout/sessions?payment_intent=pi_none')).toEqual([]);
    expect((await all(`/v1/refunds?payment_intent=${DEMO.invoicePayments.b2b.paymentIntent}`)).every((r) => r.payment_intent === DEMO.invoicePayments.b2b.paymentIntent)).toBe(true);
  });

  it('subscriptions hide canceled ones unless asked, like Stripe', async () => {
    const sub = fake.get(DEMO.account, DEMO.subscriptions.monthly)!;
    fake.put(DEMO.account, { ...sub, id: 'sub_canceled_schema_test', status: 'canceled' });
    const ids = async (query: string) => (await all(`/v1/subscriptions${query}`)).map((s) => s.id);
    expect(await ids('')).not.toContain('sub_canceled_schema_test');
    expect(await ids('?status=canceled')).toEqual(['sub_canceled_schema_test']);
    expect(await ids('?status=all')).toContain('sub_canceled_schema_test');
    expect(await ids('?status=ended')).toEqual(['sub_canceled_schema_test']);
    fake.remove('sub_canceled_schema_test');
  });
});

describe('API version', () => {
  it('serves the pinned version only', async () => {
    const response = await fetch(`${fake.url}/v1/invoices/${DEMO.invoices.b2b}`, {
      headers: { authorization: `Bearer ${KEY}`, 'stripe-account': DEMO.account, 'stripe-version': '2024-06-20' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/only API version 2026-10-28\.endive/);
    expect((await get(`/v1/invoices/${DEMO.invoices.b2b}`)).status).toBe(200);
  });
});

describe('expansions: only what Stripe can expand', () => {
  it('refuses fields that are not expandable, with Stripe\'s message', async () => {
    expect(await error(`/v1/invoices/${DEMO.invoices.b2b}?expand[]=currency`)).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      message: 'This property cannot be expanded (currency).',
    });
    expect((await error(`/v1/invoices/${DEMO.invoices.b2b}?expand[]=nothing_here`)).message).toBe('This property cannot be expanded (nothing_here).');
    expect((await error(`/v1/invoices/${DEMO.invoices.b2b}?expand[]=status_transitions`)).message).toBe('This property cannot be expanded (status_transitions).');
    // The subscription item's price is embedded, not an id: only its product can be expanded.
    expect((await error(`/v1/subscriptions/${DEMO.subscriptions.monthly}?expand[]=items.data.price`)).message).toBe('This property cannot be expanded (items.data.price).');
    expect((await error('/v1/invoices?expand[]=customer')).message).toBe("This property cannot be expanded (customer). You may want to try expanding 'data.customer' instead.");
    expect((await error(`/v1/payment_intents/${DEMO.payments.bare.paymentIntent}?expand[]=invoice`)).message).toBe('This property cannot be expanded (invoice).');
    expect((await error('/v1/invoices?expand[]=data.payments.data.payment.payment_intent')).message).toMatch(/more than 4 levels/);
  });

  it('expands what Stripe expands, nested and includable fields included', async () => {
    const invoice = await ok(`/v1/invoices/${DEMO.invoices.b2b}?expand[]=customer&expand[]=payments.data.payment.payment_intent`);
    expect((invoice.customer as { object: string }).object).toBe('customer');
    const payment = ((invoice.payments as { data: Array<{ payment: { payment_intent: { object: string } } }> }).data[0]!).payment;
    expect(payment.payment_intent.object).toBe('payment_intent');
    const sub = await ok(`/v1/subscriptions/${DEMO.subscriptions.monthly}?expand[]=items.data.price.product&expand[]=latest_invoice`);
    const item = (sub.items as { data: Array<{ price: { product: { object: string } } }> }).data[0]!;
    expect(item.price.product.object).toBe('product');
    expect((sub.latest_invoice as { object: string }).object).toBe('invoice');
    const charges = await ok(`/v1/charges?payment_intent=${DEMO.invoicePayments.b2b.paymentIntent}&expand[]=data.refunds&expand[]=data.balance_transaction`);
    expect(((charges.data as Array<{ refunds: { object: string } }>)[0]!).refunds.object).toBe('list');
  });
});
