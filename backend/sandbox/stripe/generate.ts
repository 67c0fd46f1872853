// A large Stripe account, generated deterministically for reconciliation tests and the benchmark: N invoices
// (paid by card, or sent to pay later), N payments without an invoice (Checkout or bare), N refunds of earlier
// charges, spread over a period, in mixed currencies and to Romanian and foreign buyers. The same input gives
// the same objects (ids, amounts, times) on every run.
import type { StripeObject } from './store.js';
import * as b from './builders.js';

export interface GenerateInput {
  /** Id prefix, so several generated accounts never share an id (default "gen"). */
  prefix?: string;
  /** First and last calendar day (UTC) the sales are spread over, "YYYY-MM-DD". */
  from: string;
  to: string;
  invoices: number;
  payments: number;
  /** Refunds of earlier charges (invoice or payment ones), at most one per charge. */
  refunds: number;
  seed?: number;
}

export interface GeneratedAccount {
  objects: StripeObject[];
  /** How many of each kind a reconciliation of the whole period must find, and which are foreign or zero. */
  expected: { invoices: number; payments: number; refunds: number; foreign: number; zeroTotal: number };
}

/** mulberry32: small, fast and the same everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Buyer {
  customer: StripeObject;
  taxIds: StripeObject[];
  currency: string;
  foreign: boolean;
}

export function generateAccount(input: GenerateInput): GeneratedAccount {
  const p = input.prefix ?? 'gen';
  const random = prng(input.seed ?? 16);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const start = b.unix(`${input.from}T00:00:00Z`);
  const end = b.unix(`${input.to}T23:59:59Z`);
  if (!(end > start)) throw new Error(`generateAccount: ${input.from} … ${input.to} is not a period`);
  // Distinct, increasing times keep Stripe's newest-first list order total and the run reproducible.
  const total = input.invoices + input.payments;
  const step = Math.max(1, Math.floor((end - start - 7200) / Math.max(1, total)));
  const at = (i: number) => start + i * step + Math.floor(random() * Math.min(step, 60));

  const objects: StripeObject[] = [];
  const add = (o: StripeObject) => {
    objects.push(o);
    return o;
  };
  const vat21 = add(b.taxRate({ id: `txr_${p}_21`, percentage: 21, inclusive: false }));
  const vat21i = add(b.taxRate({ id: `txr_${p}_21i`, percentage: 21, inclusive: true }));
  const buyer = (n: number, c: b.CustomerInput, tax?: { type: string; value: string }, foreign = false): Buyer => {
    const customer = add(b.customer(c));
    const taxIds = tax ? [add(b.taxId({ id: `txi_${p}_${n}`, customer: c.id, ...tax }))] : [];
    return { customer, taxIds, currency: c.currency ?? 'ron', foreign };
  };
  const buyers: Buyer[] = [
    buyer(1, { id: `cus_${p}_srl`, name: 'Alfa Servicii SRL', email: 'facturi@alfa.example.ro', address: { line1: 'Str. Avram Iancu 1', city: 'Cluj-Napoca', state: 'Cluj', postal_code: '400089', country: 'RO' } }, { type: 'eu_vat', value: 'RO4221306' }),
    buyer(2, { id: `cus_${p}_buc`, name: 'Beta, Gama & „Fiii” SRL', email: 'office@beta.example.ro', address: { line1: 'Bd. Unirii 10', line2: 'Sector 4', city: 'București', state: 'București', postal_code: '040106', country: 'RO' } }, { type: 'eu_vat', value: 'RO33333338' }),
    buyer(3, { id: `cus_${p}_ana`, name: 'Ana Ștefănescu', email: 'ana@example.ro', address: { line1: 'Str. Lăpușneanu 3', city: 'Iași', state: 'IS', postal_code: '700057', country: 'RO' } }),
    buyer(4, { id: `cus_${p}_eur`, name: 'Delta Consult SRL', email: 'plati@delta.example.ro', currency: 'eur', address: { line1: 'Str. Republicii 50', city: 'Brașov', state: 'Brașov', postal_code: '500030', country: 'RO' } }, { type: 'eu_vat', value: 'RO18798569' }),
    buyer(5, { id: `cus_${p}_de`, name: 'Berlin Analytics GmbH', email: 'billing@berlin.example.de', currency: 'eur', taxExempt: 'reverse', address: { line1: 'Friedrichstraße 100', city: 'Berlin', postal_code: '10117', country: 'DE' } }, { type: 'eu_vat', value: 'DE123456789' }, true),
    buyer(6, { id: `cus_${p}_jp`, name: 'Tokyo Trading KK', email: 'accounts@tokyo.example.jp', currency: 'jpy', address: { line1: '1-1 Marunouchi', city: 'Chiyoda-ku', state: 'Tokyo', postal_code: '100-0005', country: 'JP' } }, undefined, true),
  ];
  const pad = (n: number) => String(n).padStart(6, '0');
  const charges: StripeObject[] = [];
  const expected = { invoices: input.invoices, payments: input.payments, refunds: 0, foreign: 0, zeroTotal: 0 };

  // Invoices and payments interleave in time, as on a real account.
  const order: string[] = Array.from({ length: total }, (_, i) => (i < input.invoices ? 'invoice' : 'payment'));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let invoiceNo = 0;
  let paymentNo = 0;
  order.forEach((kind, slot) => {
    const who = pick(buyers);
    const created = at(slot);
    const unit = who.currency === 'jpy' ? 1000 + Math.floor(random() * 90) * 1000 : 500 + Math.floor(random() * 50_000);
    const rate = who.foreign ? null : pick([vat21, vat21i]);
    if (who.foreign) expected.foreign++;
    if (kind === 'invoice') {
      const n = ++invoiceNo;
      // Every 25th invoice is a free one (100% coupon style): zero total, nothing to report.
      const zero = n % 25 === 0;
      if (zero) expected.zeroTotal++;
      const later = n % 7 === 0; // send_invoice: finalized now, paid (or not) later
      const inv = add(
        b.invoice({
          id: `in_${p}_${pad(n)}`,
          number: `GEN-${pad(n)}`,
          customer: who.customer,
          taxIds: who.taxIds,
          currency: who.currency,
          created,
          status: zero ? 'paid' : later ? 'open' : 'paid',
          lines: [{ id: `il_${p}_${pad(n)}`, description: `Servicii ${n}`, unitAmount: zero ? 0 : unit, quantity: 1 + (n % 3), rate }],
        }),
      );
      if (later) {
        inv.collection_method = 'send_invoice';
        inv.due_date = created + 30 * 86400;
      }
      if (inv.status === 'paid' && (inv.total as number) > 0) {
        const paidAt = (inv.status_transitions as { paid_at: number }).paid_at;
        const pay = b.payment({ paymentIntent: `pi_${p}_in${pad(n)}`, charge: `ch_${p}_in${pad(n)}`, amount: inv.total as number, currency: who.currency, customer: who.customer, created: paidAt, description: `Invoice GEN-${pad(n)}` });
        add(pay.paymentIntent);
        charges.push(add(pay.charge));
        add(b.invoicePayment({ id: `inpay_${p}_${pad(n)}`, invoice: inv.id, paymentIntent: pay.paymentIntent.id, amount: inv.total as number, currency: who.currency, created: paidAt }));
      }
    } else {
      const n = ++paymentNo;
      const ids = { paymentIntent: `pi_${p}_${pad(n)}`, charge: `ch_${p}_${pad(n)}` };
      let amount = unit;
      if (n % 2 === 0) {
        const price = b.price({ id: `price_${p}_${pad(n)}`, product: `prod_${p}`, unitAmount: unit, currency: who.currency, taxBehavior: rate ? 'inclusive' : 'unspecified' });
        const session = add(
          b.checkoutSession({
            id: `cs_${p}_${pad(n)}`,
            paymentIntent: ids.paymentIntent,
            customer: who.customer,
            customerDetails: { name: who.customer.name as string, email: who.customer.email as string, address: who.customer.address as b.AddressInput },
            currency: who.currency,
            created,
            items: [{ id: `li_${p}_${pad(n)}`, description: `Curs ${n}`, price, quantity: 1, rate: rate ? vat21i : null }],
          }),
        );
        amount = session.amount_total as number;
      }
      const pay = b.payment({ ...ids, amount, currency: who.currency, customer: who.customer, created, description: `Plată ${n}` });
      add(pay.paymentIntent);
      charges.push(add(pay.charge));
    }
  });

  // Refunds: of evenly spaced charges, shortly after the charge, full or half.
  const refunds = Math.min(input.refunds, charges.length);
  for (let i = 0; i < refunds; i++) {
    const charge = charges[Math.floor((i * charges.length) / refunds)]!;
    const full = i % 2 === 0;
    const amount = full ? (charge.amount as number) : Math.max(1, Math.floor((charge.amount as number) / 2));
    add(b.refund({ id: `re_${p}_${pad(i + 1)}`, charge, amount, created: Math.min(end, (charge.created as number) + 3600) }));
    charge.amount_refunded = amount;
    charge.refunded = full;
    expected.refunds++;
  }
  return { objects, expected };
}
