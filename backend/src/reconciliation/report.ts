// What became of each sale of a read period: its stored Stripe facts joined with our document for it, a chunk
// at a time (memory stays one chunk whatever the period's size), with its legal deadline and late flag.
// Document statuses are joined when read, so a document made or judged since the read shows at once.
import Big from 'big.js';
import type { DocumentLink, PeriodSale } from '../db/generated/sqlite/client.js';
import type { PrismaClient } from '../db/database.js';
import { lastUploadDay } from '../deadlines/index.js';
import { saleKindOf } from '../documents/store.js';
import { problemText } from '../documents/summary.js';
import { minorToMajor, stripeExponent } from '../invoicing/money.js';
import { bucharestDate, todayInBucharest } from '../invoicing/dates.js';
import { isIssuedNumber } from '../storno/client.js';
import { SaleStatus, type DocumentProblem, type NotApplicableReason, type PeriodSaleView, type SaleKind, type StatusTotals } from '../../../src/api/contract.js';

const CHUNK = 500;
/** Document statuses that have not reached the provider yet: the legal clock still runs for them. */
const NOT_UPLOADED = new Set(['pending', 'draft', 'issued']);

/**
 * RON per unit of a currency for a sale of that day, by the rule documents use (BNR's last rate before it); null when
 * BNR quotes no such currency. Throws while BNR cannot be reached: the totals then carry no RON equivalent.
 */
export type RonRate = (currency: string, day: string) => Promise<string | null>;
export const noRates: RonRate = async (currency) => (currency === 'RON' ? '1' : null);

/** One lookup per currency and day within a summary; once BNR fails, no more waiting on it for this summary. */
function summaryRates(rates: RonRate): RonRate {
  const known = new Map<string, Promise<string | null>>();
  let unreachable = false;
  return (currency, day) => {
    if (currency === 'RON') return Promise.resolve('1');
    if (unreachable) return Promise.resolve(null);
    const key = `${currency}:${day}`;
    let rate = known.get(key);
    if (!rate) {
      rate = rates(currency, day).catch(() => {
        unreachable = true;
        return null;
      });
      known.set(key, rate);
    }
    return rate;
  };
}

export function stripeUrl(sale: Pick<PeriodSale, 'kind' | 'stripeObjectId' | 'paymentIntentId'>): string {
  if (sale.kind === 'invoice') return `https://dashboard.stripe.com/invoices/${sale.stripeObjectId}`;
  if (sale.kind === 'payment') return `https://dashboard.stripe.com/payments/${sale.stripeObjectId}`;
  return sale.paymentIntentId ? `https://dashboard.stripe.com/payments/${sale.paymentIntentId}` : `https://dashboard.stripe.com/search?query=${sale.stripeObjectId}`;
}

/** Why a document is stuck: the provider's message, or the blocking problem. */
export function stuckReason(link: Pick<DocumentLink, 'providerError' | 'problem'>): string | null {
  return link.providerError ?? problemText(link.problem ? (JSON.parse(link.problem) as DocumentProblem) : null);
}

/** The one rule that says what became of a sale. */
export function classify(sale: Pick<PeriodSale, 'notApplicable'>, link: DocumentLink | null): SaleStatus {
  if (!link) return sale.notApplicable ? 'not_applicable' : 'missing';
  switch (link.status) {
    case 'validated':
      return 'reported';
    case 'rejected':
      return 'rejected';
    case 'blocked':
      return 'blocked';
    default:
      // A document issued to a buyer outside e-Factura's scope stays issued on purpose.
      return link.status === 'issued' && sale.notApplicable === 'buyer_outside_scope' ? 'not_applicable' : 'in_progress';
  }
}

/** Exact major units, every decimal the currency has (an accountant's figure: 1.235 KWD stays 1.235). */
const major = (minor: bigint | string, currency: string) => minorToMajor(String(minor), currency).toFixed(stripeExponent(currency));

export function saleView(sale: PeriodSale, link: DocumentLink | null, today: string): PeriodSaleView {
  const status = classify(sale, link);
  // A document's own date decides its deadline (with "when paid", the payment day); without one, the sale's day.
  const deadline = lastUploadDay(link?.issueDate ?? sale.saleDay);
  const uploadStillDue = status === 'missing' || status === 'blocked' || status === 'rejected' || (status === 'in_progress' && NOT_UPLOADED.has(link!.status));
  return {
    kind: sale.kind as SaleKind,
    stripeId: sale.stripeObjectId,
    stripeUrl: stripeUrl(sale),
    date: sale.saleDay,
    customer: sale.customerName,
    taxId: sale.customerTaxId,
    amount: major(sale.amount, sale.currency),
    currency: sale.currency,
    vat: sale.vat === null ? null : major(sale.vat, sale.currency),
    status,
    reason: status === 'not_applicable' ? (sale.notApplicable as NotApplicableReason) : link && (status === 'blocked' || status === 'rejected') ? stuckReason(link) : null,
    documentId: link?.id ?? null,
    einvoiceNumber: isIssuedNumber(link?.documentNumber) ? link.documentNumber : null,
    issueDate: link ? (link.issueDate ?? bucharestDate(Math.floor(link.createdAt.getTime() / 1000))) : null,
    deadline,
    late: uploadStillDue && deadline < today,
    anafMessage: link?.providerError ?? null,
  };
}

export interface SaleQuery {
  status?: SaleStatus;
  /** Id of the last sale of the previous chunk. */
  after?: string | null;
  limit?: number;
}

export class PeriodReport {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly rates: RonRate = noRates,
  ) {}

  /** Sales in (day, id) order with their documents, one chunk at a time. */
  async *chunks(connectionId: string, reconciliationId: string, today = todayInBucharest()): AsyncGenerator<Array<PeriodSaleView & { rowId: string }>> {
    let after: string | null = null;
    for (;;) {
      const rows: PeriodSale[] = await this.prisma.periodSale.findMany({
        where: { reconciliationId },
        orderBy: [{ saleDay: 'asc' }, { id: 'asc' }],
        take: CHUNK,
        ...(after ? { cursor: { id: after }, skip: 1 } : {}),
      });
      if (rows.length === 0) return;
      const links = await this.prisma.documentLink.findMany({
        where: { connectionId, stripeObjectId: { in: rows.map((r) => r.stripeObjectId) } },
      });
      const byKey = new Map(links.map((l) => [`${saleKindOf(l.kind)}:${l.stripeObjectId}`, l]));
      yield rows.map((row) => {
        const link = byKey.get(`${row.kind}:${row.stripeObjectId}`) ?? null;
        return { ...saleView(row, link, today), rowId: row.id };
      });
      after = rows.at(-1)!.id;
      if (rows.length < CHUNK) return;
    }
  }

  /** Counts and totals per status and currency, and how many sales are late. */
  async summary(connectionId: string, reconciliationId: string) {
    const acc = new Map(SaleStatus.options.map((s) => [s, { count: 0, totals: new Map<string, Big>(), ron: new Big(0) as Big | null }]));
    let total = 0;
    let late = 0;
    const rateOf = summaryRates(this.rates);
    for await (const chunk of this.chunks(connectionId, reconciliationId)) {
      for (const sale of chunk) {
        total++;
        if (sale.late) late++;
        const bucket = acc.get(sale.status)!;
        bucket.count++;
        bucket.totals.set(sale.currency, (bucket.totals.get(sale.currency) ?? new Big(0)).plus(sale.amount));
        const rate = await rateOf(sale.currency, sale.date);
        bucket.ron = rate === null || bucket.ron === null ? null : bucket.ron.plus(new Big(sale.amount).times(rate));
      }
    }
    const byStatus = {} as Record<SaleStatus, StatusTotals>;
    for (const [status, bucket] of acc) {
      byStatus[status] = {
        count: bucket.count,
        totals: Object.fromEntries([...bucket.totals].map(([currency, sum]) => [currency, sum.toFixed(stripeExponent(currency))])),
        ronEquivalent: bucket.ron?.toFixed(2, 1 as Big.RoundingMode) ?? null,
      };
    }
    return { total, byStatus, late };
  }

  /** One page of sales, optionally of one status (filtered while streaming: statuses are joined, not stored). */
  async page(connectionId: string, reconciliationId: string, query: SaleQuery): Promise<{ sales: PeriodSaleView[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const out: Array<PeriodSaleView & { rowId: string }> = [];
    let started = !query.after;
    for await (const chunk of this.chunks(connectionId, reconciliationId)) {
      for (const sale of chunk) {
        if (!started) {
          started = sale.rowId === query.after;
          continue;
        }
        if (query.status && sale.status !== query.status) continue;
        if (out.length === limit) return { sales: out.map(strip), nextCursor: out.at(-1)!.rowId };
        out.push(sale);
      }
    }
    return { sales: out.map(strip), nextCursor: null };
  }
}

const strip = ({ rowId: _rowId, ...view }: PeriodSaleView & { rowId: string }): PeriodSaleView => view;

