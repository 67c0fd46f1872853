import { describe, expect, it } from 'vitest';
import { buyerFacts } from './buyer.js';
import { mapStripeInvoice, mapStripePayment, MappingError, type MappingContext } from './mapping.js';
import { RATES, stripeInvoice, ts } from '../../test/support/stripeInvoices.js';
import type { CustomerInput } from './types.js';
import { rateInForce, standardRateOn, vatPeriodOn } from './vatRates.js';

const cluj = { line1: 'Str. Memorandumului 28', city: 'Cluj-Napoca', state: 'Cluj', postal_code: '400114', country: 'RO' };
const roCompany: CustomerInput = { name: 'Tehnic Cluj SRL', address: cluj, taxIds: [{ type: 'eu_vat', value: 'RO4221306' }] };
const consumer: CustomerInput = { name: 'Ana Popescu', address: { ...cluj, city: 'Iași', state: 'Iași' } };
const japanCo: CustomerInput = { name: 'Tokyo Trading KK', address: { line1: '1-1 Marunouchi', city: 'Chiyoda-ku', state: 'Tokyo', country: 'JP' } };
const germanCo: CustomerInput = { name: 'Berlin Analytics GmbH', address: { line1: 'Friedrichstraße 100', city: 'Berlin', country: 'DE' }, taxIds: [{ type: 'eu_vat', value: 'DE123456789' }] };
const ctx = (customer: CustomerInput): MappingContext => ({ clientId: 'c', idempotencyKey: 'k', customer: buyerFacts(customer), taxRates: RATES });

function onDate(iso: string) {
  const t = ts(iso);
  return { created: t, status_transitions: { finalized_at: t } };
}

describe('Romanian VAT rates by date', () => {
  it('is a table of periods: 19/9/5 until 31 Jul 2025, 21/11 from 1 Aug 2025', () => {
    expect(standardRateOn('2025-07-31')).toBe('19.00');
    expect(standardRateOn('2025-08-01')).toBe('21.00');
    expect(vatPeriodOn('2026-11-30').reduced).toEqual(['11']);
    expect(rateInForce('9', '2025-07-20')).toBe(true);
    expect(rateInForce('9.00', '2025-08-01')).toBe(false);
    expect(rateInForce('0', '2026-01-01')).toBe(true);
  });

  it('blocks 19 % on a 2026 sale with a message naming the Stripe tax rate to correct', () => {
    const inv = stripeInvoice([{ unit: 10000, rate: 19, taxRateId: 'txr_19' }], onDate('2026-11-03T09:00:00Z'));
    let error: MappingError | undefined;
    try {
      mapStripeInvoice(inv, ctx(roCompany));
    } catch (err) {
      error = err as MappingError;
    }
    expect(error).toBeInstanceOf(MappingError);
    expect(error!.code).toBe('vat_rate_not_in_force');
    expect(error!.message).toMatch(/Stripe tax rate txr_19 charges 19 %.*2026-11-03.*21 % \/ 11 %.*in Stripe/);
  });

  it('lets 19 % through on a sale of its own period (July 2025)', () => {
    const inv = stripeInvoice([{ unit: 10000, rate: 19, taxRateId: 'txr_19', period: { start: ts('2025-07-20T10:00:00Z'), end: ts('2025-07-20T10:00:00Z') } }], onDate('2025-07-20T10:00:00Z'));
    const r = mapStripeInvoice(inv, ctx(roCompany));
    expect(r.payload.lines[0]).toMatchObject({ vatRate: '19.00', vatCategoryCode: 'S' });
    expect(r.expected.total).toBe('119.00');
  });

  it('judges a subscription line by the end of its service period, not by the invoice date', () => {
    const period = { start: ts('2025-07-15T00:00:00Z'), end: ts('2025-08-15T00:00:00Z') };
    const inv = stripeInvoice([{ unit: 10000, rate: 19, taxRateId: 'txr_19', period }], onDate('2025-07-15T01:00:00Z'));
    // The period's last day is 2025-08-14 (Stripe's end is the first second of the next period): after 1 August 2025.
    expect(() => mapStripeInvoice(inv, ctx(roCompany))).toThrow(/on 2025-08-14/);
  });

  it('an EU consumer taxed at a destination rate (OSS) is not judged against Romanian rates', () => {
    const fr: CustomerInput = { name: 'Jean Dupont', address: { line1: '1 rue X', city: 'Paris', country: 'FR' } };
    const inv = stripeInvoice([{ unit: 10000, rate: 20, taxRateId: 'txr_fr20' }], { ...onDate('2026-11-03T09:00:00Z'), currency: 'eur' });
    expect(mapStripeInvoice(inv, { ...ctx(fr), taxRates: { txr_fr20: '20' } }).payload.lines[0].vatRate).toBe('20.00');
  });
});

describe('payments without Stripe tax details', () => {
  const payment = (created: string, currency = 'ron', amount = 11900) => ({ id: 'pi_1', amount, currency, created: ts(created), description: 'Servicii' });

  it('a consumer is taxed at the standard rate of the sale date, shown as an assumption', () => {
    const july = mapStripePayment(payment('2025-07-20T10:00:00Z'), { ...ctx(consumer), defaultVatRate: '21.00' });
    expect(july.payload.lines[0]).toMatchObject({ vatRate: '19.00', vatCategoryCode: 'S', vatIncluded: true });
    expect(july.expected).toEqual({ subtotal: '100.00', vatTotal: '19.00', total: '119.00' });
    expect(july.assumptions).toEqual([expect.stringMatching(/19\.00 % VAT \(in force on 2025-07-20\) is assumed/)]);
    const nov = mapStripePayment(payment('2026-11-20T10:00:00Z', 'ron', 12100), { ...ctx(consumer) });
    expect(nov.payload.lines[0].vatRate).toBe('21.00');
  });

  it("the merchant's own default is used only when it was in force on the sale date", () => {
    expect(mapStripePayment(payment('2026-11-20T10:00:00Z'), { ...ctx(consumer), defaultVatRate: '11.00' }).payload.lines[0].vatRate).toBe('11.00');
    expect(mapStripePayment(payment('2026-11-20T10:00:00Z'), { ...ctx(consumer), defaultVatRate: '9.00' }).payload.lines[0].vatRate).toBe('21.00');
  });

  it('a Japanese business is not taxed at 21 %: outside the scope of Romanian VAT (G, 0 %)', () => {
    const r = mapStripePayment(payment('2026-11-22T10:00:00Z', 'jpy', 50000), { ...ctx(japanCo), defaultVatRate: '21.00' });
    expect(r.payload.lines[0]).toMatchObject({ vatCategoryCode: 'G', vatRate: '0.00' });
    expect(r.expected).toEqual({ subtotal: '50000.00', vatTotal: '0.00', total: '50000.00' });
    expect(r.assumptions).toEqual([]);
  });

  it('an EU business with a VAT id is reverse charged (AE, 0 %)', () => {
    const r = mapStripePayment(payment('2026-11-22T10:00:00Z', 'eur', 50000), { ...ctx(germanCo) });
    expect(r.payload.lines[0]).toMatchObject({ vatCategoryCode: 'AE', vatRate: '0.00' });
    expect(r.payload.invoiceTypeCode).toBe('reverse_charge');
  });
});
