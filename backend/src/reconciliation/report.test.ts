import { describe, expect, it } from 'vitest';
import type { DocumentLink, PeriodSale } from '../db/generated/sqlite/client.js';
import { lastUploadDay } from '../deadlines/index.js';
import { saleView } from './report.js';

const sale: PeriodSale = {
  id: 's1',
  reconciliationId: 'r1',
  kind: 'invoice',
  stripeObjectId: 'in_1',
  paymentIntentId: 'pi_1',
  saleDay: '2026-11-02',
  customerName: 'Client Cluj SRL',
  customerTaxId: 'RO18547290',
  buyerCountry: 'RO',
  amount: '12100',
  vat: '2100',
  currency: 'RON',
  stripeStatus: 'paid',
  notApplicable: null,
};

describe('a sale in the period report', () => {
  it('without a document: due 5 working days after the sale, late once that day has passed', () => {
    const view = saleView(sale, null, '2026-11-30');
    expect(view).toMatchObject({ status: 'missing', issueDate: null, deadline: lastUploadDay('2026-11-02'), late: true });
  });

  it("with a document: the document's own date decides (an e-invoice dated the payment day), as its panel says", () => {
    const link = { id: 'd1', status: 'issued', issueDate: '2026-11-25', documentNumber: 'FACT0001', providerError: null, problem: null, createdAt: new Date('2026-11-25T10:00:00Z') } as DocumentLink;
    const view = saleView(sale, link, '2026-11-30');
    expect(view).toMatchObject({ status: 'in_progress', issueDate: '2026-11-25', deadline: lastUploadDay('2026-11-25'), late: false });
  });

  it('a blocked document says why in the same words as the document panel', () => {
    const problem = JSON.stringify({ kind: 'total_mismatch', expected: '121.00', actual: '120.99', difference: '-0.01', currency: 'RON' });
    const link = { id: 'd2', status: 'blocked', issueDate: '2026-11-02', documentNumber: null, providerError: null, problem, createdAt: new Date() } as DocumentLink;
    expect(saleView(sale, link, '2026-11-30').reason).toBe('Stripe charged 121.00 RON, Storno would total 120.99; issue anyway or fix the invoice in Stripe.');
  });

  it('amounts are exact in every currency: three decimals stay three, none stay none', () => {
    expect(saleView({ ...sale, amount: '1235', vat: null, currency: 'KWD' }, null, '2026-11-30')).toMatchObject({ amount: '1.235', vat: null });
    expect(saleView({ ...sale, amount: '50000', vat: '0', currency: 'JPY' }, null, '2026-11-30')).toMatchObject({ amount: '50000', vat: '0' });
    expect(saleView({ ...sale, amount: '-3000', currency: 'RON' }, null, '2026-11-30').amount).toBe('-30.00');
  });
});
