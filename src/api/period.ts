// The period routes (issue 16) through the shared backend client: check a period, follow its backfill, export.
import type { StornoClient } from './client';
import type { BackfillResponse, ExportLinks, PeriodSaleView, ReconciliationResponse, SaleStatus } from './contract';

/** The order the period section shows the statuses in: what needs the merchant first. */
export const SALE_STATUSES: SaleStatus[] = ['missing', 'rejected', 'blocked', 'in_progress', 'reported', 'not_applicable'];

export const periodApi = {
  check: (client: StornoClient, from: string, to: string) => client.request<ReconciliationResponse>('POST', 'reconciliations', { from, to }),
  reconciliation: (client: StornoClient, id: string) => client.request<ReconciliationResponse>('GET', `reconciliations/${encodeURIComponent(id)}`),
  startBackfill: (client: StornoClient, reconciliationId: string, confirmLate: boolean) =>
    client.request<BackfillResponse>('POST', 'backfills', { reconciliationId, confirmLate }),
  backfill: (client: StornoClient, id: string) => client.request<BackfillResponse>('GET', `backfills/${encodeURIComponent(id)}`),
  activeBackfill: (client: StornoClient) => client.request<{ active: BackfillResponse | null }>('GET', 'backfills'),
  cancelBackfill: (client: StornoClient, id: string) => client.request<BackfillResponse>('POST', `backfills/${encodeURIComponent(id)}/cancel`, {}),
  exportLinks: (client: StornoClient, id: string) => client.request<ExportLinks>('POST', `reconciliations/${encodeURIComponent(id)}/export`, {}),
  /** The e-invoice (or credit note) of one sale, through the same routes as its detail page; a late one is made
   *  from its row, which shows it as late (the create-all job asks for an explicit confirmation). */
  create: (client: StornoClient, sale: Pick<PeriodSaleView, 'kind' | 'stripeId' | 'late'>) =>
    client.request<unknown>(
      'POST',
      sale.kind === 'invoice' ? `invoices/${encodeURIComponent(sale.stripeId)}/einvoice` : sale.kind === 'payment' ? `payments/${encodeURIComponent(sale.stripeId)}/einvoice` : `refunds/${encodeURIComponent(sale.stripeId)}/credit-note`,
      sale.late ? { confirmLate: true } : {},
    ),
};

/** "YYYY-MM-DD" of an instant in Europe/Bucharest. */
export function bucharestDay(ms: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const day = (year: number, month: number, d: number) => `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** This month (to today) and last month, as Romanian calendar days. */
export function presetPeriods(nowMs: number): { this_month: { from: string; to: string }; last_month: { from: string; to: string } } {
  const today = bucharestDay(nowMs);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const [ly, lm] = month === 1 ? [year - 1, 12] : [year, month - 1];
  return {
    this_month: { from: day(year, month, 1), to: today },
    last_month: { from: day(ly, lm, 1), to: day(ly, lm, lastDayOf(ly, lm)) },
  };
}
