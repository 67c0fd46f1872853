// Invoice domain: reading create/update bodies the way the server does (§3.1), line math, the validation block,
// numbering, and the detail/list serializers. Routes stay thin around these.
import { dayToRfc3339, isValidDay, todayInBucharest, toRfc3339 } from './dates.js';
import { fail } from './errors.js';
import { newId, randomHex } from './ids.js';
import { Big, isNegative, lineMath, money, parseDecimal, quantity4, sub, totals } from './money.js';
import type { Client, Company, DocumentSeries, Invoice, InvoiceLine, Store } from './state.js';

export const INVOICE_TYPE_CODES = [
  'standard',
  'reverse_charge',
  'exempt_with_deduction',
  'services_art_311',
  'sales_art_312',
  'non_taxable',
  'special_regime_art_314_315',
  'non_transfer',
  'simplified',
  'services_art_278',
  'exempt_art_294_ab',
  'exempt_art_294_cd',
  'self_billing',
] as const;
export const DOCUMENT_TYPES = ['invoice', 'credit_note', 'proforma'] as const;
export const STATUSES = [
  'draft', 'synced', 'issued', 'sent_to_provider', 'validated', 'rejected', 'cancelled', 'paid', 'partially_paid',
  'overdue', 'converted', 'refund', 'refunded',
] as const;
const VAT_CATEGORY_CODES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'];
const ZERO_RATE_CODES = ['Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'];
const EU = ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'GR', 'ES', 'FI', 'FR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'];

/** Text fields passed through as given (and serialized in the detail, null when absent). */
export const TEXT_FIELDS = [
  'notes', 'paymentTerms', 'deliveryLocation', 'projectReference', 'orderNumber', 'contractNumber', 'issuerName',
  'issuerId', 'mentions', 'internalNote', 'salesAgent', 'deputyName', 'deputyIdentityCard', 'deputyAuto',
  'taxPointDate', 'taxPointDateCode', 'buyerReference', 'receivingAdviceReference', 'despatchAdviceReference',
  'tenderOrLotReference', 'invoicedObjectIdentifier', 'buyerAccountingReference', 'businessProcessType', 'payeeName',
  'payeeIdentifier', 'payeeLegalRegistrationIdentifier', 'payeeBankAccount', 'payeeBankName',
] as const;
const FLAG_DEFAULTS: Record<string, unknown> = {
  tvaLaIncasare: false,
  platitorTva: false,
  plataOnline: false,
  showClientBalance: false,
  clientBalanceExisting: null,
  clientBalanceOverdue: null,
  ublExtensions: null,
};

type Body = Record<string, unknown>;

export interface ParsedLines {
  lines: InvoiceLine[];
  /** vatRate as the caller sent it, stringified like PHP does (21 → "21"); compared verbatim in create's validation. */
  rawVatRates: string[];
}

/** Lines as the create/update endpoints read them; 400 `{error:"Line N: …"}` on the first bad one. */
export function parseLines(input: unknown, client: Client | null, body: Body): ParsedLines {
  if (!Array.isArray(input) || input.length === 0) throw fail(400, 'At least one invoice line is required.');
  const lines: InvoiceLine[] = [];
  const rawVatRates: string[] = [];
  const autoRules = body.autoApplyVatRules === true;
  input.forEach((raw: unknown, i) => {
    const l = (raw && typeof raw === 'object' ? raw : {}) as Body;
    if (typeof l.description !== 'string' || l.description.trim() === '') throw fail(400, `Line ${i}: description is required.`);
    if (l.quantity === undefined || l.quantity === null || l.quantity === '') throw fail(400, `Line ${i}: quantity is required.`);
    const qty = parseDecimal(l.quantity);
    if (!qty) throw fail(400, `Line ${i}: quantity must be a number.`);
    if (qty.eq(0)) throw fail(400, `Line ${i}: quantity must not be zero.`);
    if (l.unitPrice === undefined || l.unitPrice === null || l.unitPrice === '') throw fail(400, `Line ${i}: unitPrice is required.`);
    const price = parseDecimal(l.unitPrice);
    if (!price) throw fail(400, `Line ${i}: unitPrice must be a number.`);
    if (price.lt(0)) throw fail(400, `Line ${i}: unitPrice must not be negative.`);

    let code = l.vatCategoryCode === undefined || l.vatCategoryCode === null ? 'S' : String(l.vatCategoryCode);
    if (!VAT_CATEGORY_CODES.includes(code)) throw fail(400, `Line ${i}: invalid vatCategoryCode "${code}".`);
    const rateGiven = l.vatRate !== undefined && l.vatRate !== null && l.vatRate !== '';
    let rawRate = rateGiven ? String(l.vatRate) : ZERO_RATE_CODES.includes(code) ? '0.00' : '21.00';
    let rate = parseDecimal(rawRate);
    if (!rate || rate.lt(0)) throw fail(400, `Line ${i}: invalid vatRate.`);
    if (code === 'S' && rate.eq(0)) code = 'Z';
    else if (ZERO_RATE_CODES.includes(code) && rate.gt(0)) code = 'S';

    // autoApplyVatRules: VIES-valid EU client → S becomes AE 0 %; client outside the EU → everything Z 0 %.
    if (autoRules && client && client.country !== 'RO') {
      if (!EU.includes(client.country)) {
        code = 'Z';
        rate = new Big(0);
        rawRate = '0.00';
      } else if (client.viesValid && code === 'S') {
        code = 'AE';
        rate = new Big(0);
        rawRate = '0.00';
      }
    }
    const discount = parseDecimal(l.discount ?? 0) ?? new Big(0);
    const vatIncluded = l.vatIncluded === true || (autoRules && body.vatIncluded === true);
    const math = lineMath({ quantity: qty, unitPrice: price, vatRate: rate, discount, vatIncluded });
    rawVatRates.push(rawRate);
    lines.push({
      id: newId(),
      position: i,
      description: l.description.trim(),
      quantity: quantity4(qty),
      unitOfMeasure: typeof l.unitOfMeasure === 'string' && l.unitOfMeasure ? l.unitOfMeasure : 'buc',
      unitPrice: math.unitPrice,
      vatRate: money(rate),
      vatCategoryCode: code,
      vatAmount: math.vatAmount,
      lineTotal: math.lineTotal,
      discount: money(discount),
      discountPercent: money(parseDecimal(l.discountPercent ?? 0) ?? 0),
      vatIncluded,
      productId: typeof l.productId === 'string' ? l.productId : null,
      productCode: typeof l.productCode === 'string' ? l.productCode : null,
      lineNote: str(l.lineNote),
      buyerAccountingRef: str(l.buyerAccountingRef),
      buyerItemIdentification: str(l.buyerItemIdentification),
      standardItemIdentification: str(l.standardItemIdentification),
      cpvCode: str(l.cpvCode),
      ublExtensions: l.ublExtensions ?? null,
    });
  });
  return { lines, rawVatRates };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : v === undefined || v === null ? null : String(v));

/** Default series of a type: active + isDefault, else the oldest active one. */
export function defaultSeries(store: Store, companyId: string, type: string): DocumentSeries | undefined {
  const active = store.state.series.filter((s) => s.companyId === companyId && s.type === type && s.active);
  return active.find((s) => s.isDefault) ?? [...active].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
}

export const nextNumberOf = (s: DocumentSeries): string => `${s.prefix}${String(s.currentNumber + 1).padStart(4, '0')}`;
export const draftNumber = (): string => `DRAFT-${randomHex(4)}`;

export function buyerSnapshotOf(client: Client): Record<string, unknown> {
  return {
    name: client.name, type: client.type, cui: client.cui, cnp: client.cnp, vatCode: client.vatCode, isVatPayer: client.isVatPayer,
    registrationNumber: client.registrationNumber, address: client.address, city: client.city, county: client.county,
    country: client.country, postalCode: client.postalCode, email: client.email, phone: client.phone,
  };
}

export function applyTotals(invoice: Invoice): void {
  const t = totals(invoice.lines);
  invoice.subtotal = t.subtotal;
  invoice.vatTotal = t.vatTotal;
  invoice.total = t.total;
  invoice.discount = t.discount;
  // A negative total is settled by construction (the server sets amountPaid = total).
  if (isNegative(invoice.total)) invoice.amountPaid = invoice.total;
}

/** The header fields shared by create and update; only keys present in the body are applied. */
export function applyHeader(invoice: Invoice, body: Body, mode: 'create' | 'update'): void {
  if ('invoiceTypeCode' in body && body.invoiceTypeCode !== null && body.invoiceTypeCode !== undefined) {
    const code = String(body.invoiceTypeCode);
    if (!(INVOICE_TYPE_CODES as readonly string[]).includes(code)) {
      // Create answers 400; update lets the enum error escape (500), as the real server.
      throw mode === 'create' ? fail(400, 'Invalid invoiceTypeCode') : fail(500, 'Invalid invoiceTypeCode');
    }
    invoice.invoiceTypeCode = code;
  }
  if ('issueDate' in body && body.issueDate !== null && body.issueDate !== undefined) {
    if (!isValidDay(body.issueDate)) throw fail(400, 'Invalid issueDate; expected YYYY-MM-DD.');
    if (mode === 'create' && body.issueDate > todayInBucharest()) throw fail(400, 'Issue date cannot be in the future.');
    invoice.issueDate = body.issueDate;
  }
  if ('dueDate' in body) {
    if (body.dueDate === null || body.dueDate === '') invoice.dueDate = null;
    else if (!isValidDay(body.dueDate)) throw fail(400, 'Invalid dueDate; expected YYYY-MM-DD.');
    else invoice.dueDate = body.dueDate;
  }
  if ('currency' in body && body.currency) {
    const c = String(body.currency).toUpperCase();
    if (!/^[A-Z]{3}$/.test(c)) throw fail(400, 'Invalid currency.');
    invoice.currency = c;
  }
  if ('exchangeRate' in body) {
    const r = body.exchangeRate === null ? null : parseDecimal(body.exchangeRate);
    invoice.exchangeRate = r ? r.round(4, 1).toFixed(4) : null;
  }
  if ('paymentMethod' in body) invoice.paymentMethod = str(body.paymentMethod);
  if ('language' in body && body.language) {
    if (!['ro', 'en', 'de', 'fr'].includes(String(body.language))) throw fail(400, 'Invalid language.');
    invoice.language = String(body.language);
  }
  if ('scheduledEmailAt' in body) invoice.scheduledEmailAt = str(body.scheduledEmailAt);
  for (const f of TEXT_FIELDS) if (f in body) invoice.extra[f] = str(body[f]);
  for (const f of Object.keys(FLAG_DEFAULTS)) if (f in body) invoice.extra[f] = body[f];
  if (mode === 'update' || !invoice.clientId) {
    if ('receiverName' in body) invoice.receiverName = str(body.receiverName);
    if ('receiverCif' in body) invoice.receiverCif = str(body.receiverCif);
  }
}

export function setClient(invoice: Invoice, client: Client): void {
  invoice.clientId = client.id;
  invoice.receiverName = client.name;
  invoice.receiverCif = client.cui ?? client.cnp;
  invoice.buyerSnapshot = buyerSnapshotOf(client);
}

export function newInvoice(company: Company): Invoice {
  const now = new Date();
  return {
    id: newId(),
    companyId: company.id,
    clientId: null,
    documentType: 'invoice',
    status: 'draft',
    direction: 'outgoing',
    number: draftNumber(),
    documentSeriesId: null,
    parentDocumentId: null,
    issueDate: todayInBucharest(now),
    dueDate: null,
    currency: company.defaultCurrency,
    exchangeRate: null,
    invoiceTypeCode: null,
    paymentMethod: null,
    language: 'ro',
    senderName: company.name,
    senderCif: String(company.cif),
    receiverName: null,
    receiverCif: null,
    subtotal: '0.00',
    vatTotal: '0.00',
    total: '0.00',
    discount: '0.00',
    amountPaid: '0.00',
    paidAt: null,
    cancelledAt: null,
    cancellationReason: null,
    scheduledSendAt: null,
    scheduledEmailAt: null,
    anafUploadId: null,
    anafDownloadId: null,
    anafMessageId: null,
    anafStatus: null,
    anafErrorMessage: null,
    uploaded: false,
    idempotencyKey: null,
    extra: {},
    buyerSnapshot: null,
    lines: [],
    createdAt: toRfc3339(now),
    createdAtMs: now.getTime(),
    deletedAt: null,
  };
}

/** Editable per §3.4: not cancelled / sent_to_provider, and never uploaded unless rejected. */
export const isEditable = (i: Invoice): boolean =>
  i.status !== 'cancelled' && i.status !== 'sent_to_provider' && (!i.uploaded || i.status === 'rejected');

export interface ValidationMessage { message: string; source: string; ruleId?: string; location?: string }
export interface ValidationResult { valid: boolean; errors: ValidationMessage[]; warnings: ValidationMessage[]; schematronAvailable: boolean }

/**
 * The business checks the server runs before issuing (and reports on create/update). Schematron is not
 * available in the sandbox, so CIUS-RO address/identifier rules surface only as provider rejections.
 * `rawVatRates` (create only) are compared verbatim, so "21" fails against the company's "21.00".
 */
export function validateInvoice(store: Store, invoice: Invoice, rawVatRates?: string[]): ValidationResult {
  const errors: ValidationMessage[] = [];
  const warnings: ValidationMessage[] = [];
  const active = store.state.vatRates.filter((r) => r.companyId === invoice.companyId && r.isActive).map((r) => r.rate);
  invoice.lines.forEach((line, i) => {
    const rate = rawVatRates?.[i] ?? line.vatRate;
    if (!active.includes(rate)) {
      errors.push({
        message: `Linia ${i + 1}: cota de TVA ${rate}% nu este configurată ca activă pentru companie (cote active: ${active.join(', ')}).`,
        source: 'business',
        ruleId: 'VAT_RATE_NOT_ALLOWED',
        location: `lines[${i}].vatRate`,
      });
    }
  });
  if (!invoice.receiverName?.trim()) {
    errors.push({ message: 'Numele cumpărătorului (BT-44) este obligatoriu.', source: 'business', ruleId: 'BR-07', location: 'receiverName' });
  }
  if (!invoice.dueDate) {
    warnings.push({ message: 'Data scadenței (BT-9) lipsește.', source: 'business', ruleId: 'BR-CO-25', location: 'dueDate' });
  }
  return { valid: errors.length === 0, errors, warnings, schematronAvailable: false };
}

// ── serializers ────────────────────────────────────────────────────────────────────────────────────────────

export const balanceOf = (i: Invoice): string => sub(i.total, i.amountPaid);

function clientSummary(store: Store, i: Invoice, detail: boolean): Record<string, unknown> | null {
  const c = i.clientId ? store.state.clients.find((x) => x.id === i.clientId) : undefined;
  if (!c) return null;
  const base = { id: c.id, name: c.name, cui: c.cui, isVatPayer: c.isVatPayer, country: c.country };
  if (!detail) return base;
  return {
    ...base, type: c.type, cnp: c.cnp, registrationNumber: c.registrationNumber, address: c.address, city: c.city,
    county: c.county, email: c.email, phone: c.phone, bankName: c.bankName, bankAccount: c.bankAccount,
  };
}

export function invoiceListItem(store: Store, i: Invoice): Record<string, unknown> {
  return {
    id: i.id,
    company: {},
    client: clientSummary(store, i, false),
    clientName: i.receiverName,
    documentType: i.documentType,
    status: i.status,
    direction: i.direction,
    senderCif: i.senderCif,
    receiverCif: i.receiverCif,
    senderName: i.senderName,
    receiverName: i.receiverName,
    number: i.number,
    subtotal: i.subtotal,
    vatTotal: i.vatTotal,
    total: i.total,
    currency: i.currency,
    invoiceTypeCode: i.invoiceTypeCode,
    issueDate: dayToRfc3339(i.issueDate),
    dueDate: dayToRfc3339(i.dueDate),
    anafErrorMessage: i.anafErrorMessage,
    isDuplicate: false,
    isLateSubmission: false,
    paidAt: i.paidAt,
    paymentMethod: i.paymentMethod,
    cancelledAt: i.cancelledAt,
    scheduledSendAt: i.scheduledSendAt,
    scheduledEmailAt: i.scheduledEmailAt,
    supplier: null,
    amountPaid: i.amountPaid,
    balance: balanceOf(i),
    parentDocumentId: i.parentDocumentId,
    payeeBankAccount: i.extra.payeeBankAccount ?? null,
    payeeBankName: i.extra.payeeBankName ?? null,
  };
}

export function invoiceDetail(store: Store, i: Invoice): Record<string, unknown> {
  const series = i.documentSeriesId ? store.state.series.find((s) => s.id === i.documentSeriesId) : undefined;
  const parent = i.parentDocumentId ? store.state.invoices.find((p) => p.id === i.parentDocumentId) : undefined;
  const texts = Object.fromEntries(TEXT_FIELDS.map((f) => [f, i.extra[f] ?? null]));
  const flags = Object.fromEntries(Object.entries(FLAG_DEFAULTS).map(([k, d]) => [k, k in i.extra ? i.extra[k] : d]));
  const detail: Record<string, unknown> = {
    ...invoiceListItem(store, i),
    client: clientSummary(store, i, true),
    anafMessageId: i.anafMessageId,
    anafUploadId: i.anafUploadId,
    anafDownloadId: i.anafDownloadId,
    anafStatus: i.anafStatus,
    signatureValid: null,
    syncedAt: null,
    discount: i.discount,
    exchangeRate: i.exchangeRate,
    language: i.language,
    cancellationReason: i.cancellationReason,
    ...texts,
    ...flags,
    lines: i.lines.map((l) => ({ ...l })),
    attachments: [],
    payments: [],
    documentSeries: series ? { id: series.id, prefix: series.prefix, nextNumber: nextNumberOf(series) } : null,
    buyerSnapshot: i.buyerSnapshot,
    penaltyEnabled: false,
    penaltyPercentPerDay: null,
    penaltyGraceDays: null,
    parentDocumentNumber: parent?.number ?? null,
    parentDocumentDate: parent ? dayToRfc3339(parent.issueDate) : null,
  };
  const children = store.state.invoices.filter((c) => c.parentDocumentId === i.id && !c.deletedAt);
  if (children.length > 0) {
    detail.refundInvoices = children.map((c) => ({ id: c.id, number: c.number, issueDate: dayToRfc3339(c.issueDate), status: c.status }));
  }
  return detail;
}

