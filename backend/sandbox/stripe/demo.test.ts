// The demo account must add up the way Stripe's does, or the engine would be tested against impossible
// data: a property check over every seeded invoice, payment and refund, plus the figures of
// efactura-facts §8 that the demo is meant to reach.
import Stripe from 'stripe';
import { DEMO, DEMO_DESCRIPTIONS, startStripeFake, type StripeFake } from './index.js';

let fake: StripeFake;
let stripe: Stripe;
const asDemo = { stripeAccount: DEMO.account };

interface FullInvoice {
  invoice: Stripe.Invoice;
  lines: Stripe.InvoiceLineItem[];
}
let invoices: FullInvoice[];

beforeAll(async () => {
  fake = await startStripeFake({ secretKey: 'sk_test_demo', webhookSecret: 'whsec_demo' });
  const { hostname, port } = new URL(fake.url);
  stripe = new Stripe('sk_test_demo', { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 0 });
  const all = await stripe.invoices.list({ limit: 100, expand: ['data.payments'] }, asDemo).autoPagingToArray({ limit: 1000 });
  invoices = [];
  for (const invoice of all) {
    const lines = await stripe.invoices.listLineItems(invoice.id, { limit: 100 }, asDemo).autoPagingToArray({ limit: 1000 });
    invoices.push({ invoice, lines });
  }
});

afterAll(() => fake.close());

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const byId = (id: string) => invoices.find((i) => i.invoice.id === id)!;

describe('every demo invoice is internally consistent', () => {
  it('covers all seeded invoices', () => {
    expect(invoices.length).toBe(Object.values(DEMO.invoices).flat().length);
  });

  it('total = Σ line amounts − Σ discounts + Σ exclusive taxes; subtotal = Σ line amounts', () => {
    for (const { invoice, lines } of invoices) {
      const amounts = sum(lines.map((l) => l.amount));
      const discounts = sum(lines.flatMap((l) => (l.discount_amounts ?? []).map((d) => d.amount)));
      const exclusive = sum(lines.flatMap((l) => (l.taxes ?? []).filter((t) => t.tax_behavior === 'exclusive').map((t) => t.amount)));
      expect({ id: invoice.id, total: invoice.total }).toEqual({ id: invoice.id, total: amounts - discounts + exclusive });
      expect(invoice.subtotal).toBe(amounts);
      expect(sum((invoice.total_discount_amounts ?? []).map((d) => d.amount))).toBe(discounts);
      expect(invoice.total_excluding_tax).toBe(
        amounts - discounts - sum(lines.flatMap((l) => (l.taxes ?? []).filter((t) => t.tax_behavior === 'inclusive').map((t) => t.amount))),
      );
    }
  });

  it('total_taxes aggregates the line taxes exactly', () => {
    for (const { invoice, lines } of invoices) {
      const lineTaxes = lines.flatMap((l) => l.taxes ?? []);
      expect(sum((invoice.total_taxes ?? []).map((t) => t.amount))).toBe(sum(lineTaxes.map((t) => t.amount)));
      expect(sum((invoice.total_taxes ?? []).map((t) => t.taxable_amount ?? 0))).toBe(sum(lineTaxes.map((t) => t.taxable_amount ?? 0)));
    }
  });

  it('each line tax matches its rate, rounded per line; inclusive tax sits inside the amount', async () => {
    const rates = new Map<string, Stripe.TaxRate>();
    for (const { lines } of invoices) {
      for (const line of lines) {
        expect(Number.isInteger(line.amount)).toBe(true);
        const discount = sum((line.discount_amounts ?? []).map((d) => d.amount));
        for (const tax of line.taxes ?? []) {
          const id = tax.tax_rate_details!.tax_rate;
          if (!rates.has(id)) rates.set(id, await stripe.taxRates.retrieve(id, {}, asDemo));
          const rate = rates.get(id)!;
          expect(rate.inclusive).toBe(tax.tax_behavior === 'inclusive');
          const base = line.amount - discount;
          if (tax.tax_behavior === 'inclusive') {
            expect(tax.taxable_amount! + tax.amount).toBe(base);
            expect(Math.abs(tax.amount - (base * rate.percentage) / (100 + rate.percentage))).toBeLessThanOrEqual(0.5);
          } else {
            expect(tax.taxable_amount).toBe(base);
            expect(Math.abs(tax.amount - (base * rate.percentage) / 100)).toBeLessThanOrEqual(0.5);
          }
        }
      }
    }
  });

  it('paid invoices are paid in full by one invoice payment whose charge carries the total', async () => {
    for (const { invoice } of invoices) {
      if (invoice.status !== 'paid') {
        expect(invoice.payments?.data ?? []).toEqual([]);
        continue;
      }
      expect(invoice.amount_paid).toBe(invoice.total);
      expect(invoice.amount_remaining).toBe(0);
      const [payment] = invoice.payments!.data;
      expect(payment!.amount_paid).toBe(invoice.total);
      const pi = await stripe.paymentIntents.retrieve(payment!.payment.payment_intent as string, { expand: ['latest_charge'] }, asDemo);
      expect(pi.amount).toBe(invoice.total);
      expect((pi.latest_charge as Stripe.Charge).amount).toBe(invoice.total);
      expect(pi.currency).toBe(invoice.currency);
    }
  });

  it('charges record exactly their refunds', async () => {
    const charges = await stripe.charges.list({ limit: 100 }, asDemo).autoPagingToArray({ limit: 1000 });
    for (const charge of charges) {
      const refunds = await stripe.refunds.list({ charge: charge.id, limit: 100 }, asDemo);
      const refunded = sum(refunds.data.map((r) => r.amount));
      expect(charge.amount_refunded).toBe(refunded);
      expect(charge.refunded).toBe(refunded === charge.amount);
      expect(refunded).toBeLessThanOrEqual(charge.amount);
    }
  });

  it('describes every id in DEMO', () => {
    const ids: string[] = [
      ...Object.values(DEMO.customers),
      ...Object.values(DEMO.invoices).filter((v) => typeof v === 'string'),
      ...Object.values(DEMO.refunds),
      ...Object.values(DEMO.subscriptions),
    ];
    for (const id of ids) expect(DEMO_DESCRIPTIONS[id], id).toBeTruthy();
  });
});

describe('efactura-facts §8 cases are reachable with Stripe\'s numbers', () => {
  const totals = (id: string) => {
    const { invoice } = byId(id);
    return { total: invoice.total, tax: sum((invoice.total_taxes ?? []).map((t) => t.amount)), currency: invoice.currency };
  };

  it('domestic B2B, B2C inclusive, mixed rates, coupon, proration', () => {
    expect(totals(DEMO.invoices.b2b)).toEqual({ total: 12100, tax: 2100, currency: 'ron' });
    expect(byId(DEMO.invoices.b2b).invoice.number).toBe('FCT-0042');
    expect(totals(DEMO.invoices.consumer)).toEqual({ total: 12100, tax: 2100, currency: 'ron' });
    expect(totals(DEMO.invoices.inclusiveDrift)).toEqual({ total: 2997, tax: 519, currency: 'ron' });
    expect(byId(DEMO.invoices.inclusiveDrift).lines.map((l) => l.taxes![0]!.taxable_amount)).toEqual([826, 826, 826]);
    expect(totals(DEMO.invoices.exclusiveDrift)).toEqual({ total: 2997, tax: 519, currency: 'ron' });
    expect(totals(DEMO.invoices.mixedRates)).toEqual({ total: 16540, tax: 2540, currency: 'ron' });
    expect(totals(DEMO.invoices.coupon)).toEqual({ total: 9680, tax: 1680, currency: 'ron' });
    expect(byId(DEMO.invoices.coupon).lines[0]!.discount_amounts).toEqual([{ amount: 2000, discount: DEMO.discount }]);
    expect(totals(DEMO.invoices.proration)).toEqual({ total: 2420, tax: 420, currency: 'ron' });
    const proration = byId(DEMO.invoices.proration).lines;
    expect(proration.map((l) => [l.amount, l.parent?.subscription_item_details?.proration])).toEqual([
      [5000, true],
      [-3000, true],
    ]);
    expect(proration[0]!.description!.length).toBeGreaterThan(100);
    expect(totals(DEMO.invoices.mixedInclusive)).toEqual({ total: 17650, tax: 2650, currency: 'ron' });
  });

  it('reverse charge, EUR domestic, no tax, legacy 19%', () => {
    expect(totals(DEMO.invoices.reverseCharge)).toEqual({ total: 50000, tax: 0, currency: 'eur' });
    const reverse = byId(DEMO.invoices.reverseCharge);
    expect(reverse.invoice.customer_tax_exempt).toBe('reverse');
    expect(reverse.lines[0]!.taxes![0]!.taxability_reason).toBe('reverse_charge');
    expect(totals(DEMO.invoices.eurDomestic)).toEqual({ total: 12100, tax: 2100, currency: 'eur' });
    expect(totals(DEMO.invoices.noTax)).toEqual({ total: 20000, tax: 0, currency: 'ron' });
    expect(totals(DEMO.invoices.legacy19)).toEqual({ total: 11900, tax: 1900, currency: 'ron' });
  });

  it('a subscription with 14 consecutive monthly cycles', () => {
    const cycles = DEMO.invoices.subscriptionCycles.map((id) => byId(id));
    expect(cycles).toHaveLength(14);
    for (const [i, { invoice, lines }] of cycles.entries()) {
      expect(invoice.parent?.subscription_details?.subscription).toBe(DEMO.subscriptions.monthly);
      expect(invoice.total).toBe(5929);
      if (i > 0) expect(lines[0]!.period.start).toBe(cycles[i - 1]!.lines[0]!.period.end);
    }
  });

  it('refund amounts of cases 15–20 and the Checkout payment', async () => {
    const amounts = await Promise.all(Object.values(DEMO.refunds).map((id) => stripe.refunds.retrieve(id, {}, asDemo)));
    expect(Object.fromEntries(amounts.map((r) => [r.id, [r.amount, r.currency]]))).toEqual({
      [DEMO.refunds.full]: [12100, 'ron'],
      [DEMO.refunds.partial]: [3000, 'ron'],
      [DEMO.refunds.mixedPartial]: [5000, 'ron'],
      [DEMO.refunds.reverseFull]: [50000, 'eur'],
      [DEMO.refunds.eurPartial]: [2420, 'eur'],
      [DEMO.refunds.legacyFull]: [11900, 'ron'],
      [DEMO.refunds.checkoutPartial]: [9980, 'ron'],
    });
    const checkout = await stripe.paymentIntents.retrieve(DEMO.payments.checkout.paymentIntent, {}, asDemo);
    expect(checkout.amount).toBe(29880);
  });

  it('customers for the pre-flight blocks', async () => {
    const bad = await stripe.customers.listTaxIds(DEMO.customers.badCif, {}, asDemo);
    expect(bad.data[0]!.value).toBe('RO12345678');
    const noAddress = (await stripe.customers.retrieve(DEMO.customers.noAddress, {}, asDemo)) as Stripe.Customer;
    expect(noAddress.address).toMatchObject({ line1: null, city: null, country: 'RO', postal_code: '010011' });
    const bucharest = (await stripe.customers.retrieve(DEMO.customers.bucharest, {}, asDemo)) as Stripe.Customer;
    expect(`${bucharest.address?.line1}, ${bucharest.address?.line2}`).toContain('Sector 3');
  });
});
