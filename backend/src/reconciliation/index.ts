// The period room (issue 16): which Stripe sales of a period have no e-invoice, creating the missing ones as a
// job, and the accountant's export. Routes reach it as `services.periods`.
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import type { DocumentEngine } from '../documents/engine.js';
import type { DocumentStore } from '../documents/store.js';
import type { Connection, ConnectionService } from '../oauth/connections.js';
import type { StripeReader } from '../stripe/reader.js';
import type { PeriodSaleView, ReconciliationResponse } from '../../../src/api/contract.js';
import { Backfills } from './backfill.js';
import { ExportSigner } from './exports.js';
import { todayInBucharest } from '../invoicing/dates.js';
import type { Period } from './period.js';
import { Reconciler, type PeriodReconciliation } from './reconciler.js';
import { noRates, PeriodReport, type RonRate } from './report.js';
import { PeriodJobs } from './runner.js';

export { BackfillRefused } from './backfill.js';
export { periodProblem } from './period.js';

/** Missing sales listed with a period (the rest are paged through /sales). */
export const MISSING_SHOWN = 50;

export interface PeriodServiceDeps {
  db: Database;
  reader: StripeReader;
  engine: DocumentEngine;
  documents: DocumentStore;
  connections: ConnectionService;
  log: FastifyBaseLogger;
  exportSecret: string;
  backfillConcurrency: number;
  rates?: RonRate;
  pageSize?: number;
}

export class PeriodService {
  readonly reconciler: Reconciler;
  readonly report: PeriodReport;
  readonly backfills: Backfills;
  readonly exports: ExportSigner;
  readonly jobs: PeriodJobs;
  private readonly cache = new Map<string, { key: string; figures: { summary: Awaited<ReturnType<PeriodReport['summary']>>; missing: PeriodSaleView[] } }>();

  constructor(private readonly deps: PeriodServiceDeps) {
    this.reconciler = new Reconciler(deps.db, deps.reader, deps.log, deps.pageSize);
    this.report = new PeriodReport(deps.db.prisma, deps.rates ?? noRates);
    this.backfills = new Backfills({ ...deps, report: this.report });
    this.exports = new ExportSigner(deps.exportSecret);
    this.jobs = new PeriodJobs(this.reconciler, this.backfills, deps.connections, deps.log, {
      concurrency: deps.backfillConcurrency,
      recover: deps.db.dialect === 'sqlite',
    });
  }

  async request(connection: Connection, period: Period) {
    const result = await this.reconciler.request(connection, period);
    if (!result.reused) this.jobs.wake();
    return result;
  }

  /**
   * Summary and missing list of a read period. Both join every sale with its document, so they are kept until a
   * document of the account changes (its newest update or its count moves) — polling a large period stays cheap.
   */
  private async figures(connection: Connection, rec: PeriodReconciliation) {
    const marker = await this.deps.db.prisma.documentLink.aggregate({ where: { connectionId: connection.id }, _max: { updatedAt: true }, _count: { _all: true } });
    const key = `${marker._max.updatedAt?.toISOString() ?? '-'}/${marker._count._all}/${todayInBucharest()}`;
    const cached = this.cache.get(rec.id);
    if (cached?.key === key) return cached.figures;
    const [summary, missing] = await Promise.all([
      this.report.summary(connection.id, rec.id),
      this.report.page(connection.id, rec.id, { status: 'missing', limit: MISSING_SHOWN }),
    ]);
    const figures = { summary, missing: missing.sales };
    if (this.cache.size >= 100) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(rec.id, { key, figures });
    return figures;
  }

  async view(connection: Connection, rec: PeriodReconciliation): Promise<ReconciliationResponse> {
    const done = rec.status === 'done';
    const [stale, figures, active, salesFound] = await Promise.all([
      done ? this.reconciler.isStale(connection, rec) : Promise.resolve(false),
      done ? this.figures(connection, rec) : Promise.resolve(null),
      this.backfills.active(connection.id),
      done ? Promise.resolve(rec.salesFound) : this.reconciler.countSales(rec.id),
    ]);
    const summary = figures?.summary ?? null;
    const missing = { sales: figures?.missing ?? [] };
    return {
      id: rec.id,
      from: rec.fromDay,
      to: rec.toDay,
      status: rec.status as ReconciliationResponse['status'],
      stale,
      progress: { phase: rec.phase as ReconciliationResponse['progress']['phase'], pagesRead: rec.pagesRead, salesFound },
      error: rec.status === 'failed' || rec.attempts > 0 ? rec.lastError : null,
      summary,
      // Oldest deadline first: what the merchant should look at before anything else.
      missing: [...missing.sales].sort((a, b) => a.deadline.localeCompare(b.deadline)),
      activeBackfill: active ? await this.backfills.view(active) : null,
    };
  }
}
