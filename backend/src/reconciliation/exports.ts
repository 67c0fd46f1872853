// The accountant's file of a period (CSV or JSON) behind a short-lived signed link: the extension cannot send
// its bearer token with a plain browser download, so the link itself carries a proof — an HMAC over the
// connection, the reconciliation, the period and the expiry — and answers nothing once any of them differs.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { PeriodSaleView } from '../../../src/api/periodContract.js';
import type { PeriodReport } from './report.js';

export const EXPORT_LINK_TTL_SECONDS = 15 * 60;

export interface ExportClaims {
  /** connection id */
  c: string;
  /** reconciliation id */
  r: string;
  from: string;
  to: string;
  /** expiry, unix seconds */
  exp: number;
}

export class ExportSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, so an export link can never pass for any other signed value of the app.
    this.key = createHmac('sha256', secret).update('storno-stripe-app/period-export/v1').digest();
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  sign(claims: Omit<ExportClaims, 'exp'>, now = Date.now()): { token: string; expiresAt: Date } {
    const exp = Math.floor(now / 1000) + EXPORT_LINK_TTL_SECONDS;
    const payload = Buffer.from(JSON.stringify({ ...claims, exp })).toString('base64url');
    return { token: `${payload}.${this.mac(payload)}`, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a genuine, unexpired token; null otherwise (the caller answers the same for every case). */
  verify(token: string, now = Date.now()): ExportClaims | null {
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ExportClaims;
      return typeof claims.exp === 'number' && claims.exp * 1000 > now ? claims : null;
    } catch {
      return null;
    }
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
