// The period room (issue 16): which Stripe sales of a period have no e-invoice, creating the missing ones as a
// job, and the accountant's export. Routes reach it as `services.periods`.
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import type { DocumentEngine } from '../documents/engine.js';
import type { DocumentStore } from '../documents/store.js';
import type { Connection, ConnectionService } from '../oauth/connections.js';
import type { StripeReader } from '../stripe/reader.js';
import type { ReconciliationResponse } from '../../../src/api/periodContract.js';
import { Backfills } from './backfill.js';
import { ExportSigner } from './exports.js';
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

  constructor(deps: PeriodServiceDeps) {
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

  async view(connection: Connection, rec: PeriodReconciliation): Promise<ReconciliationResponse> {
    const done = rec.status === 'done';
    const [stale, summary, missing, active] = await Promise.all([
      done ? this.reconciler.isStale(connection, rec) : Promise.resolve(false),
      done ? this.report.summary(connection.id, rec.id) : Promise.resolve(null),
      done ? this.report.page(connection.id, rec.id, { status: 'missing', limit: MISSING_SHOWN }) : Promise.resolve({ sales: [] }),
      this.backfills.active(connection.id),
    ]);
    return {
      id: rec.id,
      from: rec.fromDay,
      to: rec.toDay,
      status: rec.status as ReconciliationResponse['status'],
      stale,
      progress: { phase: rec.phase as ReconciliationResponse['progress']['phase'], pagesRead: rec.pagesRead, salesFound: rec.salesFound },
      error: rec.status === 'failed' || rec.attempts > 0 ? rec.lastError : null,
      summary,
      // Oldest deadline first: what the merchant should look at before anything else.
      missing: [...missing.sales].sort((a, b) => a.deadline.localeCompare(b.deadline)),
      activeBackfill: active ? await this.backfills.view(active) : null,
    };
  }
}
