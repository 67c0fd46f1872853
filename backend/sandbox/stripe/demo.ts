// The seeded Romanian demo account: one connected account holding a customer, invoice or payment for each
// case the e-invoicing engine must handle (shared/efactura-facts.md §8). Amounts are computed by
// amounts.ts the way Stripe does, so every invoice adds up. Other tests refer to objects through DEMO.
import type { StripeObject } from './store.js';
import * as b from './builders.js';

const pay = <K extends string>(key: K) =>
  ({ paymentIntent: `pi_demo_${key}`, charge: `ch_demo_${key}`, invoicePayment: `inpay_demo_${key}` }) as const;

const cycleIds = Array.from({ length: 14 }, (_, i) => `in_demo_sub_${String(i + 1).padStart(2, '0')}`);

export const DEMO = {
  account: 'acct_demo_ro',
  taxRates: {
    vat21: 'txr_demo_ro_21',
    vat21Inclusive: 'txr_demo_ro_21_incl',
    vat11: 'txr_demo_ro_11',
    vat11Inclusive: 'txr_demo_ro_11_incl',
    vat19Legacy: 'txr_demo_ro_19',
    reverseCharge: 'txr_demo_reverse',
  },
  customers: {
    b2bCluj: 'cus_demo_b2b_cluj',
    bucharest: 'cus_demo_bucharest',
    consumer: 'cus_demo_consumer',
    consumerCnp: 'cus_demo_consumer_cnp',
    euReverse: 'cus_demo_eu_reverse',
    badCif: 'cus_demo_bad_cif',
    noAddress: 'cus_demo_no_address',
    subscriber: 'cus_demo_subscriber',
    japan: 'cus_demo_japan',
  },
  invoices: {
    b2b: 'in_demo_b2b',
    b2bPartial: 'in_demo_b2b_partial',
    bucharest: 'in_demo_bucharest',
    consumer: 'in_demo_consumer',
    consumerCnp: 'in_demo_consumer_cnp',
    inclusiveDrift: 'in_demo_inclusive_drift',
    exclusiveDrift: 'in_demo_exclusive_drift',
    mixedRates: 'in_demo_mixed_rates',
    mixedInclusive: 'in_demo_mixed_inclusive',
    coupon: 'in_demo_coupon',
    proration: 'in_demo_proration',
    reverseCharge: 'in_demo_reverse_charge',
    eurDomestic: 'in_demo_eur_domestic',
    noTax: 'in_demo_no_tax',
    legacy19: 'in_demo_legacy_19',
    badCif: 'in_demo_bad_cif',
    noAddress: 'in_demo_no_address',
    manyLines: 'in_demo_many_lines',
    voided: 'in_demo_voided',
    open: 'in_demo_open',
    subscriptionCycles: cycleIds,
  },
  /** PaymentIntent, Charge and InvoicePayment of each paid invoice, by the same key as `invoices`. */
  invoicePayments: {
    b2b: pay('b2b'),
    b2bPartial: pay('b2b_partial'),
    bucharest: pay('bucharest'),
    consumer: pay('consumer'),
    consumerCnp: pay('consumer_cnp'),
    inclusiveDrift: pay('inclusive_drift'),
    exclusiveDrift: pay('exclusive_drift'),
    mixedRates: pay('mixed_rates'),
    mixedInclusive: pay('mixed_inclusive'),
    coupon: pay('coupon'),
    proration: pay('proration'),
    reverseCharge: pay('reverse_charge'),
    eurDomestic: pay('eur_domestic'),
    noTax: pay('no_tax'),
    legacy19: pay('legacy_19'),
    badCif: pay('bad_cif'),
    noAddress: pay('no_address'),
    manyLines: pay('many_lines'),
  },
  /** Payments of the 14 subscription cycles, in cycle order. */
  cyclePayments: cycleIds.map((_, i) => pay(`sub_${String(i + 1).padStart(2, '0')}`)),
  payments: {
    checkout: { ...pay('checkout'), session: 'cs_demo_checkout' },
    jpy: { ...pay('jpy'), session: 'cs_demo_jpy' },
    bare: pay('bare'),
  },
  refunds: {
    full: 're_demo_full',
    partial: 're_demo_partial',
    mixedPartial: 're_demo_mixed_partial',
    reverseFull: 're_demo_reverse_full',
    eurPartial: 're_demo_eur_partial',
    legacyFull: 're_demo_legacy_full',
    checkoutPartial: 're_demo_checkout_partial',
  },
  subscriptions: { monthly: 'sub_demo_monthly', upgrade: 'sub_demo_upgrade' },
  coupon: 'coupon_demo_20',
  discount: 'di_demo_20',
} as const;

/** One line per demo object, for the local preview page and for people reading tests. */
export const DEMO_DESCRIPTIONS: Record<string, string> = {
  [DEMO.account]: 'Seller: Storno Demo SRL, Cluj, the connected account every demo object belongs to',
  [DEMO.customers.b2bCluj]: 'Tehnic Cluj SRL: eu_vat RO4221306 (VIES verified), Cluj-Napoca address (case 1)',
  [DEMO.customers.bucharest]: 'Sector Trei Software SRL: eu_vat RO33333338, București, "…, Sector 3" (case 2)',
  [DEMO.customers.consumer]: 'Ana Popescu: consumer, no tax id, Iași address "Județul Iași" (cases 3, 4)',
  [DEMO.customers.consumerCnp]: 'Maria Ionescu: consumer with ro_tin CNP 2850307220018 (case 5)',
  [DEMO.customers.euReverse]: 'Berlin Analytics GmbH: eu_vat DE123456789 verified, tax_exempt reverse (case 7)',
  [DEMO.customers.badCif]: 'Cifră Greșită SRL: eu_vat RO12345678, bad check digit (pre-flight block, case 24)',
  [DEMO.customers.noAddress]: 'Ion Vasile: consumer, address has only country + postal code (case 6)',
  [DEMO.customers.subscriber]: 'Abonament Digital SRL: eu_vat RO18798569, Brașov, monthly subscriber',
  [DEMO.customers.japan]: 'Tokyo Trading KK: Japanese company, pays in JPY (zero-decimal currency)',
  [DEMO.invoices.b2b]: 'FCT-0042, 2026-10-03: 100.00 + 21% = 121.00 RON, paid, fully refunded (cases 1, 15)',
  [DEMO.invoices.b2bPartial]: 'FCT-0043: 100.00 + 21% = 121.00 RON, paid, partial refund 30.00 (case 16)',
  [DEMO.invoices.bucharest]: 'FCT-0044: 250.00 + 21% = 302.50 RON to the Sector 3 customer (case 2)',
  [DEMO.invoices.consumer]: 'FCT-0045: 121.00 RON tax-inclusive 21% to a consumer (case 4)',
  [DEMO.invoices.consumerCnp]: 'FCT-0060: 60.50 RON tax-inclusive 21% to the consumer with a CNP (case 5)',
  [DEMO.invoices.inclusiveDrift]: 'FCT-0046: 3 lines × 9.99 RON tax-inclusive 21% → VAT 5.19, total 29.97 (case 11)',
  [DEMO.invoices.exclusiveDrift]: 'FCT-0047: 3 lines × 8.26 RON + 21% → VAT 5.19 on 24.78, total 29.97 (case 12)',
  [DEMO.invoices.mixedRates]: 'FCT-0048: 100.00 @21% + 40.00 @11% → VAT 25.40, total 165.40 (case 10)',
  [DEMO.invoices.mixedInclusive]: 'FCT-0049: 121.00 gross @21% + 55.50 gross @11%, partial refund 50.00 (case 17)',
  [DEMO.invoices.coupon]: 'FCT-0050: 100.00 line, 20% coupon → discount 20.00, VAT 16.80, total 96.80 (case 13)',
  [DEMO.invoices.proration]: 'FCT-0051: proration +50.00 / −30.00 "Unused time…" @21% → total 24.20 (case 14)',
  [DEMO.invoices.reverseCharge]: 'FCT-0052: 500.00 EUR SaaS, reverse charge (tax 0, reverse_charge), refunded (cases 7, 19)',
  [DEMO.invoices.eurDomestic]: 'FCT-0053: 100.00 EUR + 21% to a Romanian company, partial refund 24.20 EUR (cases 8, 20)',
  [DEMO.invoices.noTax]: 'FCT-0054: 200.00 RON without any tax (non-VAT seller, case 9)',
  [DEMO.invoices.legacy19]: 'FCT-0007, 2025-07-20: 100.00 + 19% = 119.00 RON, refunded in 2026 (case 18)',
  [DEMO.invoices.badCif]: 'FCT-0055: 100.00 + 21% to the customer with an invalid CIF (pre-flight block)',
  [DEMO.invoices.noAddress]: 'FCT-0056: 121.00 RON inclusive to the customer without street/city (case 6)',
  [DEMO.invoices.manyLines]: 'FCT-0057: 23 lines × 10.00 + 21% (lines paginate past 10)',
  [DEMO.invoices.voided]: 'FCT-0058: 100.00 + 21%, voided (case 21)',
  [DEMO.invoices.open]: 'FCT-0059: 100.00 + 21%, finalized and not paid yet',
  [DEMO.subscriptions.monthly]: 'Storno Cloud 49.00 RON/month + 21% since 2025-10-01: 14 paid cycles ABN-0001…0014',
  [DEMO.subscriptions.upgrade]: 'Basic → Pro upgrade on 2026-10-15; its invoice is the proration one',
  [DEMO.payments.checkout.paymentIntent]: 'Checkout without invoice: 199.00 @21% + 2 × 49.90 @11% inclusive = 298.80 RON, partial refund 99.80',
  [DEMO.payments.jpy.paymentIntent]: 'Checkout without invoice in JPY: ¥50,000 consulting, no tax (zero-decimal)',
  [DEMO.payments.bare.paymentIntent]: 'A bare 50.00 RON PaymentIntent: no invoice, no Checkout Session',
  [DEMO.refunds.full]: 'Full refund 121.00 of FCT-0042',
  [DEMO.refunds.partial]: 'Partial refund 30.00 of FCT-0043',
  [DEMO.refunds.mixedPartial]: 'Partial refund 50.00 of the mixed-rate inclusive FCT-0049',
  [DEMO.refunds.reverseFull]: 'Full refund 500.00 EUR of the reverse-charge FCT-0052',
  [DEMO.refunds.eurPartial]: 'Partial refund 24.20 EUR (20.00 net + 4.20 VAT) of FCT-0053',
  [DEMO.refunds.legacyFull]: 'Full refund 119.00 of the July-2025 19% invoice FCT-0007',
  [DEMO.refunds.checkoutPartial]: 'Partial refund 99.80 (the two e-books) of the Checkout payment',
};

// The demo month is October 2026: every demo object lies in the past, as Storno refuses future issue dates.
const NOV = (day: number, hour = 10) => b.unix(`2026-10-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`);

/** Builds every demo object (a fresh copy each call, so tests can mutate freely). */
export function demoObjects(): StripeObject[] {
  const out: StripeObject[] = [];
  const add = <T extends StripeObject>(o: T): T => {
    out.push(o);
    return o;
  };

  // Tax rates: the current RO rates, the pre-August-2025 one, and a 0% reverse-charge rate.
  const vat21 = add(b.taxRate({ id: DEMO.taxRates.vat21, percentage: 21, inclusive: false }));
  const vat21i = add(b.taxRate({ id: DEMO.taxRates.vat21Inclusive, percentage: 21, inclusive: true }));
  const vat11 = add(b.taxRate({ id: DEMO.taxRates.vat11, percentage: 11, inclusive: false }));
  const vat11i = add(b.taxRate({ id: DEMO.taxRates.vat11Inclusive, percentage: 11, inclusive: true }));
  const vat19 = add(b.taxRate({ id: DEMO.taxRates.vat19Legacy, percentage: 19, inclusive: false, created: b.unix('2020-01-01T00:00:00Z') }));
  const reverse = add(
    b.taxRate({
      id: DEMO.taxRates.reverseCharge,
      percentage: 0,
      inclusive: false,
      displayName: 'Reverse charge',
      description: 'Taxare inversă (art. 278(2))',
      taxabilityReason: 'reverse_charge',
    }),
  );

  const customer = (input: b.CustomerInput, tax?: Omit<b.TaxIdInput, 'customer' | 'id'>) => {
    const c = add(b.customer(input));
    const ids = tax ? [add(b.taxId({ ...tax, customer: input.id, id: `txi_${input.id.slice(4)}` }))] : [];
    return { c, ids };
  };
  const cluj = customer(
    {
      id: DEMO.customers.b2bCluj,
      name: 'Tehnic Cluj SRL',
      email: 'facturi@tehniccluj.ro',
      address: { line1: 'Str. Memorandumului 28', city: 'Cluj-Napoca', state: 'Cluj', postal_code: '400114', country: 'RO' },
    },
    { type: 'eu_vat', value: 'RO4221306' },
  );
  const buc = customer(
    {
      id: DEMO.customers.bucharest,
      name: 'Sector Trei Software SRL',
      email: 'contabilitate@sectortrei.ro',
      address: { line1: 'Str. Matei Basarab 5', line2: 'Sector 3', city: 'București', state: 'București', postal_code: '030671', country: 'RO' },
    },
    { type: 'eu_vat', value: 'RO33333338' },
  );
  const consumer = customer({
    id: DEMO.customers.consumer,
    name: 'Ana Popescu',
    email: 'ana.popescu@example.ro',
    address: { line1: 'Bd. Carol I 11', city: 'Iași', state: 'Județul Iași', postal_code: '700506', country: 'RO' },
  });
  const cnp = customer(
    {
      id: DEMO.customers.consumerCnp,
      name: 'Maria Ionescu',
      email: 'maria.ionescu@example.ro',
      address: { line1: 'Str. Lăpușneanu 3', city: 'Iași', state: 'IS', postal_code: '700057', country: 'RO' },
    },
    { type: 'ro_tin', value: '2850307220018', verification: 'unavailable' },
  );
  const eu = customer(
    {
      id: DEMO.customers.euReverse,
      name: 'Berlin Analytics GmbH',
      email: 'billing@berlin-analytics.de',
      address: { line1: 'Friedrichstraße 100', city: 'Berlin', postal_code: '10117', country: 'DE' },
      taxExempt: 'reverse',
      currency: 'eur',
      preferredLocales: ['de'],
    },
    { type: 'eu_vat', value: 'DE123456789' },
  );
  const badCif = customer(
    {
      id: DEMO.customers.badCif,
      name: 'Cifră Greșită SRL',
      email: 'office@cifragresita.ro',
      address: { line1: 'Str. Republicii 10', city: 'Timișoara', state: 'Timiș', postal_code: '300159', country: 'RO' },
    },
    { type: 'eu_vat', value: 'RO12345678', verification: 'unverified' },
  );
  const noAddress = customer({
    id: DEMO.customers.noAddress,
    name: 'Ion Vasile',
    email: 'ion.vasile@example.ro',
    address: { country: 'RO', postal_code: '010011' },
  });
  const subscriber = customer(
    {
      id: DEMO.customers.subscriber,
      name: 'Abonament Digital SRL',
      email: 'admin@abonamentdigital.ro',
      address: { line1: 'Str. Republicii 50', city: 'Brașov', state: 'Brașov', postal_code: '500030', country: 'RO' },
    },
    { type: 'eu_vat', value: 'RO18798569' },
  );
  const japan = customer({
    id: DEMO.customers.japan,
    name: 'Tokyo Trading KK',
    email: 'accounts@tokyotrading.example.jp',
    address: { line1: '1-1 Marunouchi', city: 'Chiyoda-ku', state: 'Tokyo', postal_code: '100-0005', country: 'JP' },
    currency: 'jpy',
    preferredLocales: ['ja'],
  });

  const saas = add(b.product('prod_demo_saas', 'Storno Cloud — abonament SaaS'));
  const ebook = add(b.product('prod_demo_ebook', 'Carte electronică „Contabilitate pentru IT”'));
  const course = add(b.product('prod_demo_course', 'Curs online Excel avansat'));
  const consulting = add(b.product('prod_demo_consulting', 'Export consulting'));

  // A paid invoice with its PaymentIntent, Charge and InvoicePayment (one payment, the whole amount).
  const charges = new Map<string, StripeObject>();
  const paidInvoice = (
    key: keyof typeof DEMO.invoicePayments | null,
    ids: { paymentIntent: string; charge: string; invoicePayment: string } | null,
    input: b.InvoiceInput,
  ) => {
    const inv = add(b.invoice(input));
    const p = ids ?? (key ? DEMO.invoicePayments[key] : null);
    if (p && inv.status === 'paid') {
      const paidAt = (inv.status_transitions as { paid_at: number }).paid_at;
      const { paymentIntent, charge } = b.payment({
        paymentIntent: p.paymentIntent,
        charge: p.charge,
        amount: inv.total as number,
        currency: input.currency,
        customer: input.customer,
        created: paidAt,
        description: input.subscription ? 'Subscription update' : `Invoice ${input.number}`,
      });
      add(paymentIntent);
      charges.set(p.charge, add(charge));
      add(b.invoicePayment({ id: p.invoicePayment, invoice: inv.id, paymentIntent: p.paymentIntent, amount: inv.total as number, currency: input.currency, created: paidAt }));
    }
    return inv;
  };
  // Line ids are set by `inv` (il_demo_<key>_<n>) or given explicitly, so the demo is deterministic.
  const one = (description: string, unitAmount: number, rate: StripeObject | null, extra: Partial<b.LineInput> = {}) => ({
    description,
    unitAmount,
    rate,
    price: 'price_demo_services',
    product: saas.id,
    ...extra,
  });
  const lineIds = (prefix: string) => {
    let n = 0;
    return (l: b.LineInput): b.LineInput => ({ ...l, id: `il_demo_${prefix}_${++n}` });
  };
  const inv = (
    key: keyof typeof DEMO.invoicePayments,
    number: string,
    c: { c: StripeObject; ids: StripeObject[] },
    created: number,
    lines: b.LineInput[],
    extra: Partial<b.InvoiceInput> = {},
  ) =>
    paidInvoice(key, null, {
      id: DEMO.invoices[key],
      number,
      customer: c.c,
      taxIds: c.ids,
      currency: 'ron',
      created,
      lines: lines.map(lineIds(key)),
      ...extra,
    });

  add(b.price({ id: 'price_demo_services', product: saas.id, unitAmount: 10000, currency: 'ron', taxBehavior: 'exclusive' }));

  inv('b2b', 'FCT-0042', cluj, NOV(3), [one('Storno Cloud — implementare e-Factura', 10000, vat21)]);
  inv('b2bPartial', 'FCT-0043', cluj, NOV(4), [one('Storno Cloud — implementare e-Factura', 10000, vat21)]);
  inv('bucharest', 'FCT-0044', buc, NOV(5), [one('Consultanță integrare API', 25000, vat21)]);
  inv('consumer', 'FCT-0045', consumer, NOV(6), [one('Abonament anual Storno Personal', 12100, vat21i)]);
  inv('consumerCnp', 'FCT-0060', cnp, NOV(6, 12), [one('Abonament lunar Storno Personal', 6050, vat21i)]);
  inv('inclusiveDrift', 'FCT-0046', consumer, NOV(7), [
    one('Șablon factură A', 999, vat21i),
    one('Șablon factură B', 999, vat21i),
    one('Șablon factură C', 999, vat21i),
  ]);
  inv('exclusiveDrift', 'FCT-0047', cluj, NOV(8), [
    one('Credit SMS pachet A', 826, vat21),
    one('Credit SMS pachet B', 826, vat21),
    one('Credit SMS pachet C', 826, vat21),
  ]);
  inv('mixedRates', 'FCT-0048', cluj, NOV(9), [
    one('Abonament Storno Cloud', 10000, vat21),
    one('Carte electronică „Contabilitate pentru IT”', 4000, vat11, { product: ebook.id }),
  ]);
  inv('mixedInclusive', 'FCT-0049', consumer, NOV(10), [
    one('Abonament Storno Personal', 12100, vat21i),
    one('Carte electronică „Contabilitate pentru IT”', 5550, vat11i, { product: ebook.id }),
  ]);
  add(b.coupon(DEMO.coupon, 20, '20% reducere lansare'));
  add(b.discount(DEMO.discount, DEMO.coupon, cluj.c.id, DEMO.invoices.coupon, NOV(11)));
  inv('coupon', 'FCT-0050', cluj, NOV(11), [
    one('Storno Cloud — pachet Business', 10000, vat21, { discountPercent: 20, discountId: DEMO.discount }),
  ]);

  // Upgrade mid-cycle: Stripe bills the new plan's remaining time and credits the old plan's unused time.
  const proPrice = add(b.price({ id: 'price_demo_pro', product: saas.id, unitAmount: 10000, currency: 'ron', taxBehavior: 'exclusive', interval: 'month' }));
  const half = { start: NOV(15, 0), end: b.unix('2026-11-01T00:00:00Z') };
  const proration = inv(
    'proration',
    'FCT-0051',
    cluj,
    NOV(15),
    [
      one(
        'Remaining time on Storno Cloud Pro (with 21% VAT) after 15 Nov 2026 — upgrade from Storno Cloud Basic for the billing period ending 1 Dec 2026',
        5000,
        vat21,
        { proration: true, period: half, price: proPrice.id },
      ),
      one('Unused time on Storno Cloud Basic (with 21% VAT) after 15 Nov 2026', -3000, vat21, {
        proration: true,
        period: half,
        price: 'price_demo_basic',
      }),
    ],
    { subscription: DEMO.subscriptions.upgrade, billingReason: 'subscription_update' },
  );
  add(
    b.subscription({
      id: DEMO.subscriptions.upgrade,
      customer: cluj.c.id,
      price: proPrice,
      currency: 'ron',
      created: b.unix('2026-10-01T00:00:00Z'),
      currentPeriodStart: b.unix('2026-10-01T00:00:00Z'),
      currentPeriodEnd: half.end,
      latestInvoice: proration.id,
      rate: vat21,
    }),
  );

  inv('reverseCharge', 'FCT-0052', eu, NOV(12), [one('Storno Cloud — SaaS licence, annual', 50000, reverse)], { currency: 'eur' });
  inv('eurDomestic', 'FCT-0053', cluj, NOV(13), [one('Consultanță implementare (EUR)', 10000, vat21)], { currency: 'eur' });
  inv('noTax', 'FCT-0054', cluj, NOV(14), [one('Servicii de consultanță', 20000, null)]);
  inv('legacy19', 'FCT-0007', cluj, b.unix('2025-07-20T10:00:00Z'), [one('Storno Cloud — implementare (2025)', 10000, vat19)]);
  inv('badCif', 'FCT-0055', badCif, NOV(16), [one('Abonament Storno Cloud', 10000, vat21)]);
  inv('noAddress', 'FCT-0056', noAddress, NOV(17), [one('Abonament anual Storno Personal', 12100, vat21i)]);
  inv(
    'manyLines',
    'FCT-0057',
    cluj,
    NOV(18),
    Array.from({ length: 23 }, (_, i) => one(`Licență utilizator #${i + 1}`, 1000, vat21)),
  );
  paidInvoice(null, null, {
    id: DEMO.invoices.voided,
    number: 'FCT-0058',
    customer: cluj.c,
    taxIds: cluj.ids,
    currency: 'ron',
    created: NOV(19),
    status: 'void',
    lines: [one('Storno Cloud — factură anulată', 10000, vat21, { id: 'il_demo_voided_1' })],
  });
  paidInvoice(null, null, {
    id: DEMO.invoices.open,
    number: 'FCT-0059',
    customer: cluj.c,
    taxIds: cluj.ids,
    currency: 'ron',
    created: NOV(20),
    status: 'open',
    lines: [one('Storno Cloud — decembrie', 10000, vat21, { id: 'il_demo_open_1' })],
  });

  // 14 monthly cycles, October 2025 → November 2026, all paid.
  const monthly = add(b.price({ id: 'price_demo_monthly', product: saas.id, unitAmount: 4900, currency: 'ron', taxBehavior: 'exclusive', interval: 'month' }));
  const month = (i: number) => b.unix(new Date(Date.UTC(2025, 9 + i, 1)).toISOString());
  for (let i = 0; i < 14; i++) {
    const period = { start: month(i), end: month(i + 1) };
    paidInvoice(null, DEMO.cyclePayments[i]!, {
      id: cycleIds[i]!,
      number: `ABN-${String(i + 1).padStart(4, '0')}`,
      customer: subscriber.c,
      taxIds: subscriber.ids,
      currency: 'ron',
      created: period.start,
      subscription: DEMO.subscriptions.monthly,
      billingReason: i === 0 ? 'subscription_create' : 'subscription_cycle',
      periodStart: i === 0 ? period.start : month(i - 1),
      periodEnd: period.start,
      lines: [
        {
          id: `il_demo_sub_${i + 1}`,
          description: '1 × Storno Cloud (at 49.00 RON / month)',
          unitAmount: 4900,
          rate: vat21,
          period,
          price: monthly.id,
          product: saas.id,
          subscriptionItem: `si_${DEMO.subscriptions.monthly.slice(4)}`,
        },
      ],
    });
  }
  add(
    b.subscription({
      id: DEMO.subscriptions.monthly,
      customer: subscriber.c.id,
      price: monthly,
      currency: 'ron',
      created: month(0),
      currentPeriodStart: month(13),
      currentPeriodEnd: month(14),
      latestInvoice: cycleIds[13]!,
      rate: vat21,
    }),
  );

  // Payments without an invoice.
  const coursePrice = add(b.price({ id: 'price_demo_course', product: course.id, unitAmount: 19900, currency: 'ron', taxBehavior: 'inclusive' }));
  const ebookPrice = add(b.price({ id: 'price_demo_ebook', product: ebook.id, unitAmount: 4990, currency: 'ron', taxBehavior: 'inclusive' }));
  const session = add(
    b.checkoutSession({
      id: DEMO.payments.checkout.session,
      paymentIntent: DEMO.payments.checkout.paymentIntent,
      customer: null,
      customerDetails: {
        name: 'Elena Dumitrescu',
        email: 'elena.dumitrescu@example.ro',
        address: { line1: 'Bd. Revoluției 1989 nr. 4', city: 'Timișoara', state: 'TM', postal_code: '300024', country: 'RO' },
      },
      currency: 'ron',
      created: NOV(21),
      items: [
        { id: 'li_demo_course', description: 'Curs online Excel avansat', price: coursePrice, quantity: 1, rate: vat21i },
        { id: 'li_demo_ebook', description: 'Carte electronică „Contabilitate pentru IT”', price: ebookPrice, quantity: 2, rate: vat11i },
      ],
    }),
  );
  const checkoutPay = b.payment({
    ...DEMO.payments.checkout,
    amount: session.amount_total as number,
    currency: 'ron',
    customer: null,
    created: NOV(21),
    billingName: 'Elena Dumitrescu',
  });
  add(checkoutPay.paymentIntent);
  charges.set(DEMO.payments.checkout.charge, add(checkoutPay.charge));

  const jpyPrice = add(b.price({ id: 'price_demo_jpy', product: consulting.id, unitAmount: 50000, currency: 'jpy', taxBehavior: 'unspecified' }));
  const jpySession = add(
    b.checkoutSession({
      id: DEMO.payments.jpy.session,
      paymentIntent: DEMO.payments.jpy.paymentIntent,
      customer: japan.c,
      customerDetails: { name: 'Tokyo Trading KK', email: japan.c.email as string, address: japan.c.address as b.AddressInput },
      currency: 'jpy',
      created: NOV(22),
      items: [{ id: 'li_demo_jpy', description: 'Export consulting (remote)', price: jpyPrice, quantity: 1, rate: null }],
    }),
  );
  const jpy = b.payment({ ...DEMO.payments.jpy, amount: jpySession.amount_total as number, currency: 'jpy', customer: japan.c, created: NOV(22) });
  add(jpy.paymentIntent);
  add(jpy.charge);

  const bare = b.payment({ ...DEMO.payments.bare, amount: 5000, currency: 'ron', customer: consumer.c, created: NOV(23), description: 'Donație proiect open-source' });
  add(bare.paymentIntent);
  add(bare.charge);

  // Refunds, each reflected on its charge as Stripe does.
  const refund = (id: string, chargeId: string, amount: number, created: number) => {
    const charge = charges.get(chargeId);
    if (!charge) throw new Error(`demo refund ${id}: unknown charge ${chargeId}`);
    add(b.refund({ id, charge, amount, created }));
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
  };
  refund(DEMO.refunds.full, DEMO.invoicePayments.b2b.charge, 12100, NOV(24));
  refund(DEMO.refunds.partial, DEMO.invoicePayments.b2bPartial.charge, 3000, NOV(24, 11));
  refund(DEMO.refunds.mixedPartial, DEMO.invoicePayments.mixedInclusive.charge, 5000, NOV(24, 12));
  refund(DEMO.refunds.reverseFull, DEMO.invoicePayments.reverseCharge.charge, 50000, NOV(24, 13));
  refund(DEMO.refunds.eurPartial, DEMO.invoicePayments.eurDomestic.charge, 2420, NOV(24, 14));
  refund(DEMO.refunds.legacyFull, DEMO.invoicePayments.legacy19.charge, 11900, NOV(24, 15));
  refund(DEMO.refunds.checkoutPartial, DEMO.payments.checkout.charge, 9980, NOV(24, 16));

  return out;
}

export const DEMO_ACCOUNT_NAME = 'Storno Demo SRL';
