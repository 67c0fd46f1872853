// The manifest asks for what the code really uses, derived from the code rather than from the manifest:
// every request the Stripe reader makes while each of its functions runs (recorded by the Stripe fake),
// every Stripe object type those functions return (expanded or embedded), every webhook event type the
// backend handles, and the Stripe API URLs the extension calls. One table maps each to its Stripe Apps
// permission (names from docs.stripe.com/stripe-apps/reference/permissions and shared/stripe-apps.md §1).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as b from '../../sandbox/stripe/builders.js';
import { DEMO, startStripeFake, type StripeFake } from '../../sandbox/stripe/index.js';
import { createStripeClient } from './client.js';
import { StripeReader } from './reader.js';
import { HANDLED_EVENT_TYPES as HANDLED_TYPES } from './events.js';

const ROOT = resolve(__dirname, '../../..');
const A = DEMO.account;

/** API path → permission. Refunds have no permission of their own: they fall under charge_read. */
const PATH_PERMISSIONS: Array<[RegExp, string]> = [
  [/^\/v1\/customers(\/[^/]+(\/tax_ids(\/[^/]+)?)?)?$/, 'customer_read'],
  [/^\/v1\/invoices(\/[^/]+(\/lines)?)?$/, 'invoice_read'],
  [/^\/v1\/invoice_payments(\/[^/]+)?$/, 'invoice_read'],
  [/^\/v1\/tax_rates(\/[^/]+)?$/, 'tax_rate_read'],
  [/^\/v1\/subscriptions(\/[^/]+)?$/, 'subscription_read'],
  [/^\/v1\/payment_intents(\/[^/]+)?$/, 'payment_intent_read'],
  [/^\/v1\/(charges|refunds)(\/[^/]+)?$/, 'charge_read'],
  [/^\/v1\/checkout\/sessions(\/[^/]+(\/line_items)?)?$/, 'checkout_session_read'],
  [/^\/v1\/products(\/[^/]+)?$/, 'product_read'],
  [/^\/v1\/prices(\/[^/]+)?$/, 'plan_read'],
  [/^\/v1\/apps\/secrets(\/find|\/delete)?$/, 'secret_write'],
];

/** Object type (in a response, expanded or embedded) → permission; prices are covered by plan_read. */
const OBJECT_PERMISSIONS: Record<string, string> = {
  customer: 'customer_read',
  tax_id: 'customer_read',
  invoice: 'invoice_read',
  line_item: 'invoice_read',
  invoice_payment: 'invoice_read',
  subscription: 'subscription_read',
  subscription_item: 'subscription_read',
  price: 'plan_read',
  plan: 'plan_read',
  product: 'product_read',
  payment_intent: 'payment_intent_read',
  charge: 'charge_read',
  refund: 'charge_read',
  'checkout.session': 'checkout_session_read',
  item: 'checkout_session_read',
  tax_rate: 'tax_rate_read',
  discount: 'invoice_read',
  coupon: 'invoice_read',
};

/** Event type prefix → the read permission of its object (plus event_read for any webhook). */
const EVENT_OBJECT_PERMISSIONS: Record<string, string | null> = {
  invoice: 'invoice_read',
  invoice_payment: 'invoice_read',
  payment_intent: 'payment_intent_read',
  charge: 'charge_read',
  refund: 'charge_read',
  customer: 'customer_read',
  'checkout.session': 'checkout_session_read',
  // Sent to every app about its own installation; needs no permission.
  'account.application': null,
};

function pathPermission(url: string): string {
  const path = url.split('?')[0]!;
  const found = PATH_PERMISSIONS.find(([pattern]) => pattern.test(path));
  if (!found) throw new Error(`No permission known for ${path}: add it to PATH_PERMISSIONS`);
  return found[1];
}

function objectTypes(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) objectTypes(item, into);
  else if (value && typeof value === 'object') {
    const type = (value as { object?: unknown }).object;
    if (typeof type === 'string' && type !== 'list') into.add(type);
    for (const inner of Object.values(value)) objectTypes(inner, into);
  }
  return into;
}

function eventPermissions(type: string): string[] {
  const prefix = type.slice(0, type.lastIndexOf('.'));
  if (!(prefix in EVENT_OBJECT_PERMISSIONS)) throw new Error(`No permission known for ${type} events: add ${prefix} to EVENT_OBJECT_PERMISSIONS`);
  const object = EVENT_OBJECT_PERMISSIONS[prefix];
  return object ? ['event_read', object] : ['event_read'];
}

let fake: StripeFake;
beforeAll(async () => {
  fake = await startStripeFake({ secretKey: 'sk_test_permissions', webhookSecret: 'whsec_permissions' });
});
afterAll(() => fake.close());

/** Runs every reader function; returns the methods that ran (public and private) and what they returned. */
async function exerciseReader(): Promise<{ ran: Set<string>; results: unknown[] }> {
  // A customer with more tax ids than Stripe embeds, so the reader also pages /tax_ids.
  const customer = b.customer({ id: 'cus_many_tax_ids', name: 'Multe Coduri SRL' });
  fake.put(A, customer);
  for (let i = 0; i < 12; i++) fake.put(A, b.taxId({ id: `txi_many_${i}`, customer: customer.id, type: 'eu_vat', value: `RO${4221306 + i}` }));

  const ran = new Set<string>();
  const real = new StripeReader(createStripeClient({ secretKey: 'sk_test_permissions', apiUrl: fake.url }), { pageSize: 3 });
  const reader = new Proxy(real, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        ran.add(key);
        return (value as (...a: unknown[]) => unknown).apply(receiver, args);
      };
    },
  });
  // One or more calls per public reader function. A function added later with no entry here fails the test
  // below, so its requests cannot escape the permission check.
  const loose = reader as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const period = { createdGte: 0, createdLte: 4_102_444_800 };
  const calls: Record<string, Array<() => Promise<unknown>>> = {
    getCustomer: [() => reader.getCustomer(A, customer.id)],
    getInvoice: [() => reader.getInvoice(A, DEMO.invoices.manyLines)],
    listSubscriptionInvoices: [() => reader.listSubscriptionInvoices(A, DEMO.subscriptions.monthly)],
    getTaxRatePercentages: [() => reader.getTaxRatePercentages(A, [DEMO.taxRates.vat11])],
    getSubscription: [() => reader.getSubscription(A, DEMO.subscriptions.monthly)],
    getPaymentIntent: [() => reader.getPaymentIntent(A, DEMO.payments.bare.paymentIntent)],
    getCharge: [() => reader.getCharge(A, DEMO.payments.bare.charge)],
    findInvoiceIdForPaymentIntent: [() => reader.findInvoiceIdForPaymentIntent(A, DEMO.invoicePayments.b2b.paymentIntent)],
    resolvePayment: [
      () => reader.resolvePayment(A, DEMO.invoicePayments.b2b.paymentIntent),
      () => reader.resolvePayment(A, DEMO.payments.checkout.charge),
    ],
    getRefund: [() => reader.getRefund(A, DEMO.refunds.partial)],
    listRefunds: [() => reader.listRefunds(A, DEMO.invoicePayments.b2b.paymentIntent), () => reader.listRefunds(A, DEMO.invoicePayments.b2b.charge)],
    findInvoiceForRefund: [() => reader.findInvoiceForRefund(A, DEMO.refunds.full)],
    getCheckoutLineItems: [() => reader.getCheckoutLineItems(A, DEMO.payments.checkout.paymentIntent)],
    // The period reconciliation's pager (issue 16), run when present.
    periodPage: (['invoices', 'invoice_payments', 'payment_intents', 'refunds'] as const).map((list) => () => loose.periodPage!(A, list, period)),
  };
  const results: unknown[] = [];
  for (const [name, runs] of Object.entries(calls)) {
    if (typeof loose[name] !== 'function') continue;
    for (const run of runs) results.push(await run());
  }
  return { ran, results };
}

function extensionStripeUrls(): string[] {
  const source = readFileSync(join(ROOT, 'src/api/platform.ts'), 'utf8');
  const base = /'https:\/\/api\.stripe\.com(\/v1\/[a-z_/]+)'/.exec(source)?.[1];
  if (!base) return [];
  // secretsCall('GET', '/find', …) and friends append a sub-path to the base URL.
  const subPaths = [...source.matchAll(/secretsCall\('(?:GET|POST)', '([^']*)'/g)].map((m) => m[1]!);
  return [base, ...subPaths.map((sub) => `${base}${sub}`)];
}

describe('Stripe App permissions', () => {
  it('the manifest asks for exactly what the reader, the webhooks and the extension use', async () => {
    fake.requests.length = 0;
    const { ran, results } = await exerciseReader();

    const own = Object.getOwnPropertyNames(StripeReader.prototype).filter((name) => name !== 'constructor');
    expect(own.filter((name) => !ran.has(name)), 'reader functions this test does not run yet').toEqual([]);

    const needed = new Map<string, string>();
    const need = (permission: string, why: string) => {
      if (!needed.has(permission)) needed.set(permission, why);
    };
    for (const request of fake.requests) need(pathPermission(request.url), `${request.method} ${request.url}`);
    for (const type of objectTypes(results)) {
      const permission = OBJECT_PERMISSIONS[type];
      if (!permission) throw new Error(`No permission known for ${type} objects: add it to OBJECT_PERMISSIONS`);
      need(permission, `${type} objects in reader results`);
    }
    for (const type of HANDLED_TYPES) for (const permission of eventPermissions(type)) need(permission, `${type} webhooks`);
    const extensionUrls = extensionStripeUrls();
    expect(extensionUrls.length).toBeGreaterThan(0);
    for (const url of extensionUrls) need(pathPermission(url), `extension ${url}`);

    const manifest = JSON.parse(readFileSync(join(ROOT, 'stripe-app.json'), 'utf8')) as { permissions: { permission: string }[] };
    const asked = manifest.permissions.map((p) => p.permission).sort();
    expect([...needed.keys()].filter((p) => !asked.includes(p)).map((p) => `${p} (${needed.get(p)})`), 'missing from stripe-app.json').toEqual([]);
    expect(asked.filter((p) => !needed.has(p)), 'asked for but never used').toEqual([]);
  });

  it('the table refuses what it does not know, so a new call cannot slip through', () => {
    expect(() => pathPermission('/v1/credit_notes/cn_1')).toThrow(/add it to PATH_PERMISSIONS/);
    expect(() => eventPermissions('payout.paid')).toThrow(/EVENT_OBJECT_PERMISSIONS/);
    expect(pathPermission('/v1/refunds?payment_intent=pi_1')).toBe('charge_read');
    expect(eventPermissions('checkout.session.completed')).toEqual(['event_read', 'checkout_session_read']);
  });
});
