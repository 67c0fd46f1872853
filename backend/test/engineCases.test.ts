// More cases of efactura-facts §8 through the whole backend (Stripe fake → backend → Storno sandbox),
// each checked on the document and client Storno holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../sandbox/stripe/index.js';
import { SANDBOX_SEED } from '../sandbox/storno/index.js';
import { StornoClient } from '../src/storno/client.js';
import { merchantStorno } from './support/merchantStorno.js';
import { connectDemo, startWorld, type Session, type World } from './support/world.js';

const A = SANDBOX_SEED.companies.a;

describe('efactura-facts §8 cases through the backend', () => {
  let world: World;
  let s: Session;
  let storno: StornoClient;
  let stornoApi: ReturnType<typeof merchantStorno>['api'];

  beforeAll(async () => {
    world = await startWorld();
    s = await connectDemo(world);
    ({ client: storno, api: stornoApi } = merchantStorno(world));
  });
  afterAll(async () => world?.close());

  /** The document as Storno holds it, with the fields the product's client does not read (mentions). */
  async function raw(invoiceId: string): Promise<{ invoiceTypeCode?: string | null; mentions?: string | null }> {
    const body = (await stornoApi('GET', `/api/v1/invoices/${invoiceId}`)) as { invoice?: object };
    return body.invoice ?? body;
  }

  async function made(invoiceId: string) {
    const res = await s.post(`/invoices/${invoiceId}/einvoice`, { confirmLate: true });
    expect(res.statusCode).toBe(201);
    const link = res.json();
    const doc = await storno.getInvoice(link.stornoDocumentId);
    const client = (await storno.getClient(doc.client!.id)).client as Record<string, unknown>;
    return { link, doc, client };
  }

  it('cases 3 and 4: a consumer with no tax id, 121.00 tax-inclusive → individual client, county normalized, 100.00 + 21.00', async () => {
    const { doc, client } = await made(DEMO.invoices.consumer);
    expect(doc).toMatchObject({ subtotal: '100.00', vatTotal: '21.00', total: '121.00' });
    expect(client).toMatchObject({ type: 'individual', country: 'RO' });
    expect(client.cui ?? null).toBeNull();
    expect(String(client.county)).toMatch(/^(RO-IS|Iași|Iasi)$/);
  });

  it('case 5: a consumer with a valid CNP is identified by it, never by a VAT id', async () => {
    const { client } = await made(DEMO.invoices.consumerCnp);
    expect(client).toMatchObject({ type: 'individual', cnp: '2850307220018' });
    expect(client.vatCode ?? null).toBeNull();
  });

  it('case 8: a EUR invoice to a Romanian VAT payer keeps its currency and Stripe\'s totals', async () => {
    const { doc } = await made(DEMO.invoices.eurDomestic);
    expect(doc).toMatchObject({ currency: 'EUR', subtotal: '100.00', vatTotal: '21.00', total: '121.00' });
  });

  it('case 12: tax-exclusive lines whose per-line VAT Stripe rounded → the same 5.19 and 29.97', async () => {
    const { doc } = await made(DEMO.invoices.exclusiveDrift);
    expect(doc).toMatchObject({ subtotal: '24.78', vatTotal: '5.19', total: '29.97' });
  });

  it('case 9: a seller that is not a VAT payer issues every line as O, without VAT', async () => {
    const company = world.storno.store.state.companies.find((c) => c.id === A.id)!;
    company.vatPayer = false;
    try {
      const { doc } = await made(DEMO.invoices.noTax);
      expect(doc).toMatchObject({ vatTotal: '0.00', total: '200.00' });
      expect(doc.lines.every((l) => l.vatCategoryCode === 'O' && l.vatRate === '0.00')).toBe(true);
      expect((await raw(doc.id)).mentions).toContain('art. 310');

      // Its standalone refund invoice (no e-invoice was made for the sale) follows the same regime: no VAT.
      const sale = await world.stripe.createPaidInvoice({ account: DEMO.account, customer: DEMO.customers.b2bCluj, lines: [{ description: 'Fără TVA', unitAmount: 10000 }] });
      const { refund } = await world.stripe.createRefund({ account: DEMO.account, charge: sale.charge.id as string, amount: 4000 });
      const res = await s.post(`/refunds/${refund.id}/credit-note`, { standalone: true, confirmLate: true });
      expect(res.statusCode).toBe(201);
      const standalone = await storno.getInvoice(res.json().stornoDocumentId);
      expect(standalone).toMatchObject({ total: '-40.00', vatTotal: '0.00' });
      expect(standalone.lines.every((l) => l.vatCategoryCode === 'O' && l.vatRate === '0.00')).toBe(true);
      expect((await raw(standalone.id)).mentions).toContain('art. 310');
    } finally {
      company.vatPayer = true;
    }
  });

  it('case 19: the refund of the EUR reverse-charge invoice is credited at AE 0%, in EUR, against its parent', async () => {
    const parent = await made(DEMO.invoices.reverseCharge);
    const res = await s.post(`/refunds/${DEMO.refunds.reverseFull}/credit-note`, { confirmLate: true });
    expect(res.statusCode).toBe(201);
    const note = await storno.getInvoice(res.json().stornoDocumentId);
    expect(note).toMatchObject({ currency: 'EUR', total: '-500.00', vatTotal: '0.00', parentDocumentId: parent.doc.id });
    expect(note.lines.every((l) => l.vatCategoryCode === 'AE' && l.vatRate === '0.00')).toBe(true);
    // A reverse-charge credit note says so, as its invoice did.
    expect(await raw(note.id)).toMatchObject({ invoiceTypeCode: 'reverse_charge', mentions: expect.stringContaining('Taxare inversă') });
  });

  it('case 21: a voided Stripe invoice makes no document', async () => {
    const res = await s.post(`/invoices/${DEMO.invoices.voided}/einvoice`, { confirmLate: true });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/voided/);
    expect((await s.get(`/invoices/${DEMO.invoices.voided}`)).json()).toMatchObject({ document: null, canCreate: false });
  });
});
