// What `GET /invoices/{id}/pdf` and `/xml` serve: a one-page PDF of the invoice and its UBL 2.1 XML
// (Invoice 380, or CreditNote 381 for documentType credit_note) with the CIUS-RO customization ID.
// Small but real: the PDF opens in any viewer, the XML parses and carries the document's numbers.
import type { Client, Company, Invoice } from './state.js';

const CIUS_RO = 'urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1';

const escapeXml = (value: string | number | null | undefined): string =>
  String(value ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** The file name the server puts in Content-Disposition: the number, or the id while it is a draft. */
export const fileNameOf = (invoice: Invoice, extension: 'pdf' | 'xml'): string =>
  `${(invoice.number || invoice.id).replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}`;

export function renderUbl(invoice: Invoice, company: Company, client: Client | undefined): string {
  const credit = invoice.documentType === 'credit_note';
  const root = credit ? 'CreditNote' : 'Invoice';
  const ns = credit ? 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2' : 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
  const cur = invoice.currency;
  const amount = (tag: string, value: string) => `<cbc:${tag} currencyID="${escapeXml(cur)}">${escapeXml(value)}</cbc:${tag}>`;
  const party = (name: string, id: string | null, address: { street?: string | null; city?: string | null; county?: string | null; country: string }) =>
    `<cac:Party><cac:PostalAddress><cbc:StreetName>${escapeXml(address.street)}</cbc:StreetName><cbc:CityName>${escapeXml(address.city)}</cbc:CityName>` +
    `<cbc:CountrySubentity>${escapeXml(address.county)}</cbc:CountrySubentity><cac:Country><cbc:IdentificationCode>${escapeXml(address.country)}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>` +
    `<cac:PartyLegalEntity><cbc:RegistrationName>${escapeXml(name)}</cbc:RegistrationName>${id ? `<cbc:CompanyID>${escapeXml(id)}</cbc:CompanyID>` : ''}</cac:PartyLegalEntity></cac:Party>`;
  const groups = new Map<string, { category: string; rate: string; net: number; vat: number }>();
  for (const l of invoice.lines) {
    const key = `${l.vatCategoryCode}|${l.vatRate}`;
    const g = groups.get(key) ?? { category: l.vatCategoryCode, rate: l.vatRate, net: 0, vat: 0 };
    g.net += Number(l.lineTotal);
    g.vat += Number(l.vatAmount);
    groups.set(key, g);
  }
  const lineTag = credit ? 'CreditNoteLine' : 'InvoiceLine';
  const qtyTag = credit ? 'CreditedQuantity' : 'InvoicedQuantity';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${root} xmlns="${ns}" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">`,
    `<cbc:CustomizationID>${CIUS_RO}</cbc:CustomizationID>`,
    `<cbc:ID>${escapeXml(invoice.number)}</cbc:ID>`,
    `<cbc:IssueDate>${escapeXml(invoice.issueDate.slice(0, 10))}</cbc:IssueDate>`,
    invoice.dueDate && !credit ? `<cbc:DueDate>${escapeXml(invoice.dueDate.slice(0, 10))}</cbc:DueDate>` : '',
    credit ? '<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>' : `<cbc:InvoiceTypeCode>${invoice.invoiceTypeCode === 'self_billing' ? 389 : 380}</cbc:InvoiceTypeCode>`,
    `<cbc:DocumentCurrencyCode>${escapeXml(cur)}</cbc:DocumentCurrencyCode>`,
    `<cac:AccountingSupplierParty>${party(company.name, company.vatCode ?? String(company.cif), { street: company.address, city: company.city, county: company.state, country: company.country })}</cac:AccountingSupplierParty>`,
    `<cac:AccountingCustomerParty>${party(client?.name ?? invoice.receiverName ?? '', client?.vatCode ?? client?.cui ?? invoice.receiverCif, { street: client?.address, city: client?.city, county: client?.county, country: client?.country ?? 'RO' })}</cac:AccountingCustomerParty>`,
    `<cac:TaxTotal>${amount('TaxAmount', invoice.vatTotal)}${[...groups.values()]
      .map(
        (g) =>
          `<cac:TaxSubtotal>${amount('TaxableAmount', g.net.toFixed(2))}${amount('TaxAmount', g.vat.toFixed(2))}<cac:TaxCategory><cbc:ID>${escapeXml(g.category)}</cbc:ID><cbc:Percent>${escapeXml(g.rate)}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>`,
      )
      .join('')}</cac:TaxTotal>`,
    `<cac:LegalMonetaryTotal>${amount('LineExtensionAmount', invoice.subtotal)}${amount('TaxExclusiveAmount', invoice.subtotal)}${amount('TaxInclusiveAmount', invoice.total)}${amount('PayableAmount', invoice.total)}</cac:LegalMonetaryTotal>`,
    ...invoice.lines.map(
      (l) =>
        `<cac:${lineTag}><cbc:ID>${l.position}</cbc:ID><cbc:${qtyTag} unitCode="H87">${escapeXml(l.quantity)}</cbc:${qtyTag}>${amount('LineExtensionAmount', l.lineTotal)}` +
        `<cac:Item><cbc:Name>${escapeXml(l.description)}</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>${escapeXml(l.vatCategoryCode)}</cbc:ID><cbc:Percent>${escapeXml(l.vatRate)}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>` +
        `<cac:Price>${amount('PriceAmount', l.unitPrice)}</cac:Price></cac:${lineTag}>`,
    ),
    `</${root}>`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Helvetica's WinAnsi has no ă/ș/ț: fold Romanian diacritics for the PDF text (the XML keeps them). */
const pdfText = (value: string): string =>
  value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/[\\()]/g, (c) => `\\${c}`);

export function renderPdf(invoice: Invoice, company: Company, client: Client | undefined): Buffer {
  const title = invoice.documentType === 'credit_note' ? 'Nota de credit' : invoice.parentDocumentId ? 'Factura storno' : 'Factura';
  const lines = [
    `${title} ${invoice.number}`,
    `Data emiterii: ${invoice.issueDate.slice(0, 10)}`,
    `Furnizor: ${company.name} (CIF ${company.vatCode ?? company.cif})`,
    `Client: ${client?.name ?? invoice.receiverName ?? '-'}${client?.cui ? ` (CIF ${client.cui})` : ''}`,
    '',
    ...invoice.lines.map((l) => `${l.position}. ${l.description}  ${l.quantity} x ${l.unitPrice}  TVA ${l.vatRate}%  = ${l.lineTotal} ${invoice.currency}`),
    '',
    `Total fara TVA: ${invoice.subtotal} ${invoice.currency}`,
    `TVA: ${invoice.vatTotal} ${invoice.currency}`,
    `Total: ${invoice.total} ${invoice.currency}`,
  ];
  const content = ['BT', '/F1 11 Tf', '14 TL', '50 790 Td', ...lines.map((l) => `(${pdfText(l)}) '`), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
