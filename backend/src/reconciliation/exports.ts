// The accountant's file of a period (CSV or JSON) behind a short-lived signed link: the extension cannot send
// its bearer token with a plain browser download, so the link itself carries a proof — an HMAC over the
// connection, the reconciliation, the period and the expiry — and answers nothing once any of them differs.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { PeriodSaleView } from '../../../src/api/contract.js';
import type { PeriodReport } from './report.js';

export const EXPORT_LINK_TTL_SECONDS = 15 * 60;

/** What a link is bound to: the connection, the reconciliation and its period. */
export interface ExportBinding {
  connectionId: string;
  reconciliationId: string;
  from: string;
  to: string;
}

/** `<reconciliation id>.<expiry>.<mac>` + `.csv|.json`: short enough for a URL path segment. */
export const EXPORT_FILE = /^([0-9a-f-]{36})\.(\d{9,11})\.([A-Za-z0-9_-]{32})\.(csv|json)$/;

export class ExportSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, so an export link can never pass for any other signed value of the app.
    this.key = createHmac('sha256', secret).update('storno-stripe-app/period-export/v1').digest();
  }

  /** 192 bits of HMAC-SHA256 over everything the link is bound to; only the reconciliation id travels in clear. */
  private mac(binding: ExportBinding, exp: number): string {
    return createHmac('sha256', this.key)
      .update([binding.connectionId, binding.reconciliationId, binding.from, binding.to, exp].join('|'))
      .digest('base64url')
      .slice(0, 32);
  }

  sign(binding: ExportBinding, now = Date.now()): { token: string; expiresAt: Date } {
    const exp = Math.floor(now / 1000) + EXPORT_LINK_TTL_SECONDS;
    return { token: `${binding.reconciliationId}.${exp}.${this.mac(binding, exp)}`, expiresAt: new Date(exp * 1000) };
  }

  /** Parses a requested file name: which reconciliation, which format, and the proof to check. */
  parse(file: string): { reconciliationId: string; exp: number; mac: string; format: 'csv' | 'json' } | null {
    const match = EXPORT_FILE.exec(file);
    return match ? { reconciliationId: match[1]!, exp: Number(match[2]), mac: match[3]!, format: match[4] as 'csv' | 'json' } : null;
  }

  /** True for a genuine, unexpired link of exactly this binding. */
  verify(binding: ExportBinding, link: { exp: number; mac: string }, now = Date.now()): boolean {
    if (link.exp * 1000 <= now) return false;
    const expected = Buffer.from(this.mac(binding, link.exp));
    const given = Buffer.from(link.mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

export const CSV_COLUMNS: Array<[keyof PeriodSaleView, string]> = [
  ['stripeId', 'stripe_id'],
  ['stripeUrl', 'stripe_link'],
  ['kind', 'kind'],
  ['date', 'date'],
  ['customer', 'customer'],
  ['taxId', 'tax_id'],
  ['amount', 'amount'],
  ['currency', 'currency'],
  ['vat', 'vat'],
  ['einvoiceNumber', 'einvoice_number'],
  ['status', 'status'],
  ['issueDate', 'issue_date'],
  ['deadline', 'legal_deadline'],
  ['late', 'late'],
  ['anafMessage', 'anaf_message'],
];

async function* saleRows(report: PeriodReport, connectionId: string, reconciliationId: string) {
  for await (const chunk of report.chunks(connectionId, reconciliationId)) {
    for (const { rowId: _rowId, ...sale } of chunk) yield sale;
  }
}

/** CSV with a header row; a BOM so spreadsheet programs read the diacritics as UTF-8. */
export function csvStream(report: PeriodReport, connectionId: string, reconciliationId: string): Readable {
  const csv = stringify({
    bom: true,
    header: true,
    columns: CSV_COLUMNS.map(([key, header]) => ({ key, header })),
    cast: { boolean: (value) => (value ? 'yes' : 'no') },
  });
  Readable.from(saleRows(report, connectionId, reconciliationId)).on('error', (err) => csv.destroy(err)).pipe(csv);
  return csv;
}

/** `{ "from", "to", "sales": [...] }`, written sale by sale. */
export function jsonStream(report: PeriodReport, connectionId: string, reconciliationId: string, period: { from: string; to: string }): Readable {
  async function* parts() {
    yield `{"from":${JSON.stringify(period.from)},"to":${JSON.stringify(period.to)},"sales":[`;
    let first = true;
    for await (const sale of saleRows(report, connectionId, reconciliationId)) {
      yield `${first ? '' : ','}${JSON.stringify(sale)}`;
      first = false;
    }
    yield ']}';
  }
  return Readable.from(parts());
}
