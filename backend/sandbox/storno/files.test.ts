// GET /invoices/{id}/pdf and /xml: the real server's content types, dispositions and permission.
import { XMLParser } from 'fast-xml-parser';
import { SANDBOX_SEED } from './index.js';
import { kit, type Kit } from './testkit.js';

let k: Kit;
beforeEach(async () => {
  k = await kit();
});
afterEach(async () => {
  await k.sandbox.close();
});

describe('invoice files', () => {
  it('serves an issued invoice as an inline PDF named after its number', async () => {
    const draft = await k.draft();
    await k.call('POST', `/api/v1/invoices/${draft.id}/issue`, {});
    const res = await k.sandbox.app.inject({ method: 'GET', url: `/api/v1/invoices/${draft.id}/pdf`, headers: { authorization: SANDBOX_SEED.apiKeys.demo.key, 'x-company': SANDBOX_SEED.companies.a.id } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('inline; filename="FACT0001.pdf"');
    const body = res.rawPayload.toString('latin1');
    expect(body.startsWith('%PDF-1.4')).toBe(true);
    expect(body.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(body).toContain('(Factura FACT0001)');
    expect(body).toContain('Total: 121.00 RON');
    // The cross-reference table points at each object.
    const xrefAt = Number(/startxref\n(\d+)/.exec(body)![1]);
    expect(body.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const firstObject = Number(/0000000000 65535 f \n(\d{10})/.exec(body)![1]);
    expect(body.slice(firstObject, firstObject + 7)).toBe('1 0 obj');
  });

  it('serves the UBL 2.1 XML as an attachment with the CIUS-RO customization and the totals', async () => {
    const draft = await k.draft();
    await k.call('POST', `/api/v1/invoices/${draft.id}/issue`, {});
    const res = await k.call('GET', `/api/v1/invoices/${draft.id}/xml`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="FACT0001.xml"');
    const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(res.body as string);
    expect(xml.Invoice['cbc:CustomizationID']).toContain('CIUS-RO');
    expect(xml.Invoice['cbc:ID']).toBe('FACT0001');
    expect(String(xml.Invoice['cbc:InvoiceTypeCode'])).toBe('380');
    expect(xml.Invoice['cac:LegalMonetaryTotal']['cbc:PayableAmount']['#text']).toBe('121.00');
    expect(xml.Invoice['cac:AccountingCustomerParty']['cac:Party']['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe('Client Cluj SRL');
  });

  it('a credit note is a UBL CreditNote 381', async () => {
    const draft = await k.draft({ documentType: 'credit_note', lines: [{ description: 'Retur', quantity: '-1', unitPrice: '100.00', vatRate: '21.00' }] });
    const res = await k.call('GET', `/api/v1/invoices/${draft.id}/xml`);
    const xml = new XMLParser().parse(res.body as string);
    expect(String(xml.CreditNote['cbc:CreditNoteTypeCode'])).toBe('381');
  });

  it('404 for an unknown invoice, 401 without credentials', async () => {
    expect((await k.call('GET', '/api/v1/invoices/00000000-0000-4000-8000-000000000000/pdf')).status).toBe(404);
    const anonymous = await k.sandbox.app.inject({ method: 'GET', url: '/api/v1/invoices/00000000-0000-4000-8000-000000000000/xml' });
    expect(anonymous.statusCode).toBe(401);
  });
});
