// Shapes of the period reconciliation, backfill and export routes (issue 16), shared by the backend and the
// extension. Money is a decimal string in the currency's major unit; days are "YYYY-MM-DD" in Europe/Bucharest.

export type SaleKind = 'invoice' | 'payment' | 'refund';
/** What became of one Stripe sale: reported = validated by ANAF; missing = no e-invoice although one is due. */
export type SaleStatus = 'reported' | 'in_progress' | 'rejected' | 'blocked' | 'not_applicable' | 'missing';
export const SALE_STATUSES: SaleStatus[] = ['missing', 'rejected', 'blocked', 'in_progress', 'reported', 'not_applicable'];
export type NotApplicableReason = 'voided' | 'zero_total' | 'buyer_outside_scope';

export interface PeriodRequest {
  from: string;
  to: string;
}

export interface PeriodSaleView {
  kind: SaleKind;
  stripeId: string;
  stripeUrl: string;
  date: string;
  customer: string | null;
  taxId: string | null;
  amount: string;
  currency: string;
  vat: string | null;
  status: SaleStatus;
  /** not_applicable: why none is due; blocked/rejected: what stops it. */
  reason: string | null;
  documentId: string | null;
  einvoiceNumber: string | null;
  /** The day our document was made (null while none exists). */
  issueDate: string | null;
  /** Last legal upload day (5 Romanian working days after the sale's issue day). */
  deadline: string;
  /** Not reported yet and the deadline has passed. */
  late: boolean;
  anafMessage: string | null;
}

export interface StatusTotals {
  count: number;
  /** Per currency (ISO code) → decimal string. */
  totals: Record<string, string>;
  /** Sum in RON where every currency's rate is known; null otherwise. */
  ronEquivalent: string | null;
}

export interface ReconciliationResponse {
  id: string;
  from: string;
  to: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  /** A Stripe event arrived after the read began: request the period again for fresh figures. */
  stale: boolean;
  progress: { phase: 'invoices' | 'invoice_payments' | 'payments' | 'refunds' | 'done'; pagesRead: number; salesFound: number };
  error: string | null;
  summary: {
    total: number;
    byStatus: Record<SaleStatus, StatusTotals>;
    /** Sales not reported yet whose legal deadline has passed. */
    late: number;
  } | null;
  /** The missing sales (oldest deadline first), at most `missingShown`; the rest through /sales. */
  missing: PeriodSaleView[];
  /** The backfill of this account still running, if any. */
  activeBackfill: BackfillResponse | null;
}

export interface SalesPage {
  sales: PeriodSaleView[];
  nextCursor: string | null;
}

export interface BackfillRequest {
  reconciliationId: string;
  /** Required (true) when some missing sales are already past their legal deadline. */
  confirmLate?: boolean;
}

export interface BackfillResponse {
  id: string;
  reconciliationId: string;
  from: string;
  to: string;
  status: 'running' | 'done' | 'cancelled';
  total: number;
  done: number;
  failed: number;
  cancelled: number;
  /** Seconds left at the current pace (null until something finished). */
  etaSeconds: number | null;
  startedAt: string;
  finishedAt: string | null;
  /** The last failures, with the reason each one stopped. */
  failures: Array<{ stripeId: string; kind: SaleKind; message: string }>;
}

/** 409 answer to POST /backfills when late sales were not confirmed. */
export interface LateConfirmationRequired {
  error: 'late_confirmation_required';
  message: string;
  lateCount: number;
  late: PeriodSaleView[];
}

export interface ExportLinks {
  csvUrl: string;
  jsonUrl: string;
  expiresAt: string;
}
