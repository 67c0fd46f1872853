// "Create the missing e-invoices" of a period as a durable job: one row per missing sale, claimed under a lease
// by a few lanes (the pace toward Storno), driven through the document engine — whose link row and Storno
// idempotency key make a repeat after a crash find the same document instead of a second one. Cancelling stops
// the claiming; what is already in flight finishes.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Backfill, BackfillItem } from '../db/generated/sqlite/client.js';
import type { Database } from '../db/database.js';
import { DocumentEngine, type DriveOptions } from '../documents/engine.js';
import type { DocumentStore } from '../documents/store.js';
import type { Connection, ConnectionService } from '../oauth/connections.js';
import type { BackfillResponse, PeriodSaleView, SaleKind } from '../../../src/api/contract.js';
import type { PeriodReconciliation } from './reconciler.js';
import { stuckReason, type PeriodReport } from './report.js';

export const ITEM_LEASE_MS = 120_000;
const MAX_ATTEMPTS = 5;
const INSERT_CHUNK = 500;

export class BackfillRefused extends Error {
  constructor(
    readonly code: 'late_confirmation_required' | 'backfill_running' | 'nothing_missing' | 'reconciliation_not_ready',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BackfillRefused';
  }
}

export interface BackfillDeps {
  db: Database;
  report: PeriodReport;
  engine: DocumentEngine;
  documents: DocumentStore;
  connections: ConnectionService;
  log: FastifyBaseLogger;
}

export class Backfills {
  constructor(private readonly deps: BackfillDeps) {}

  private get prisma() {
    return this.deps.db.prisma;
  }

  byId(connectionId: string, id: string): Promise<Backfill | null> {
    return this.prisma.backfill.findFirst({ where: { id, connectionId } });
  }

  active(connectionId: string): Promise<Backfill | null> {
    return this.prisma.backfill.findFirst({ where: { connectionId, status: 'running' }, orderBy: { createdAt: 'desc' } });
  }

  /** The missing sales of a read period, and which of them are already past their deadline. */
  async missingOf(connectionId: string, rec: PeriodReconciliation): Promise<{ missing: Array<{ kind: SaleKind; stripeId: string }>; late: PeriodSaleView[]; lateCount: number }> {
    const missing: Array<{ kind: SaleKind; stripeId: string }> = [];
    const late: PeriodSaleView[] = [];
    let lateCount = 0;
    for await (const chunk of this.deps.report.chunks(connectionId, rec.id)) {
      for (const { rowId: _rowId, ...sale } of chunk) {
        if (sale.status !== 'missing') continue;
        missing.push({ kind: sale.kind, stripeId: sale.stripeId });
        if (sale.late) {
          lateCount++;
          if (late.length < 100) late.push(sale);
        }
      }
    }
    return { missing, late, lateCount };
  }

  /** Starts the job for a read period; late sales need the merchant's explicit confirmation first. */
  async start(connection: Connection, rec: PeriodReconciliation, confirmLate: boolean): Promise<Backfill> {
    if (rec.status !== 'done') throw new BackfillRefused('reconciliation_not_ready', 'The period is still being read from Stripe; start when the check has finished.');
    const running = await this.active(connection.id);
    if (running) throw new BackfillRefused('backfill_running', `A backfill of ${running.fromDay} … ${running.toDay} is still running; wait for it or cancel it.`, { backfillId: running.id });
    const { missing, late, lateCount } = await this.missingOf(connection.id, rec);
    if (missing.length === 0) throw new BackfillRefused('nothing_missing', 'Every sale of this period already has its e-invoice (or needs none).');
    if (lateCount > 0 && !confirmLate) {
      throw new BackfillRefused(
        'late_confirmation_required',
        `${lateCount} of the ${missing.length} missing e-invoices are already past their legal upload deadline (a fine per invoice may apply). Confirm to create them anyway.`,
        { lateCount, late },
      );
    }
    const backfill = await this.prisma.backfill.create({
      data: { id: randomUUID(), connectionId: connection.id, reconciliationId: rec.id, fromDay: rec.fromDay, toDay: rec.toDay, status: 'running', total: missing.length, lateConfirmed: lateCount },
    });
    for (let i = 0; i < missing.length; i += INSERT_CHUNK) {
      await this.prisma.backfillItem.createMany({
        data: missing.slice(i, i + INSERT_CHUNK).map((m) => ({
          id: randomUUID(),
          backfillId: backfill.id,
          kind: m.kind,
          stripeObjectId: m.stripeId,
          // Credit notes need their parent's document: refunds go after every invoice and payment.
          stage: m.kind === 'refund' ? 1 : 0,
          status: 'pending',
        })),
      });
    }
    return backfill;
  }

  async cancel(backfill: Backfill): Promise<Backfill> {
    await this.prisma.$transaction([
      this.prisma.backfill.updateMany({ where: { id: backfill.id, status: 'running' }, data: { status: 'cancelled', cancelledAt: new Date(), finishedAt: new Date() } }),
      this.prisma.backfillItem.updateMany({ where: { backfillId: backfill.id, status: 'pending' }, data: { status: 'cancelled', finishedAt: new Date() } }),
    ]);
    return (await this.prisma.backfill.findUnique({ where: { id: backfill.id } }))!;
  }

  async view(backfill: Backfill): Promise<BackfillResponse> {
    const groups = await this.prisma.backfillItem.groupBy({ by: ['status'], where: { backfillId: backfill.id }, _count: { _all: true } });
    const count = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
    const done = count('done');
    const failed = count('failed');
    const finished = done + failed;
    const remaining = count('pending') + count('processing');
    const elapsed = (Date.now() - backfill.startedAt.getTime()) / 1000;
    const failures = await this.prisma.backfillItem.findMany({
      where: { backfillId: backfill.id, status: 'failed' },
      orderBy: { finishedAt: 'desc' },
      take: 20,
      select: { stripeObjectId: true, kind: true, lastError: true },
    });
    return {
      id: backfill.id,
      reconciliationId: backfill.reconciliationId,
      from: backfill.fromDay,
      to: backfill.toDay,
      status: backfill.status as BackfillResponse['status'],
      total: backfill.total,
      done,
      failed,
      cancelled: count('cancelled'),
      etaSeconds: backfill.status === 'running' && finished > 0 ? Math.ceil((elapsed / finished) * remaining) : null,
      startedAt: backfill.startedAt.toISOString(),
      finishedAt: backfill.finishedAt?.toISOString() ?? null,
      failures: failures.map((f) => ({ stripeId: f.stripeObjectId, kind: f.kind as SaleKind, message: f.lastError ?? '' })),
    };
  }

  /** Takes the next due item of a running job (refunds only once their job's invoices and payments are through). */
  async claim(workerId: string): Promise<BackfillItem | null> {
    const now = new Date();
    const due = {
      backfill: { status: 'running' },
      OR: [
        { status: 'pending', nextAttemptAt: { lte: now } },
        { status: 'processing', leaseUntil: { lt: now } },
      ],
    };
    const candidates = await this.prisma.backfillItem.findMany({ where: due, orderBy: [{ stage: 'asc' }, { id: 'asc' }], take: 10 });
    for (const item of candidates) {
      if (item.stage > 0) {
        const before = await this.prisma.backfillItem.count({ where: { backfillId: item.backfillId, stage: { lt: item.stage }, status: { in: ['pending', 'processing'] } } });
        if (before > 0) continue;
      }
      const res = await this.prisma.backfillItem.updateMany({
        where: { id: item.id, ...due },
        data: { status: 'processing', lockedBy: workerId, leaseUntil: new Date(now.getTime() + ITEM_LEASE_MS), attempts: { increment: 1 } },
      });
      if (res.count === 1) return { ...item, status: 'processing', lockedBy: workerId, attempts: item.attempts + 1 };
    }
    return null;
  }

  /** Makes (or finds) the item's document and records the outcome; only the lease holder may settle it. */
  async process(item: BackfillItem, workerId: string): Promise<void> {
    const settle = (data: Partial<BackfillItem>) =>
      this.prisma.backfillItem.updateMany({ where: { id: item.id, lockedBy: workerId, status: 'processing' }, data: { leaseUntil: null, ...data } });
    const backfill = await this.prisma.backfill.findUnique({ where: { id: item.backfillId } });
    const connection = backfill ? await this.deps.connections.byId(backfill.connectionId) : null;
    try {
      if (!backfill || !connection || connection.status === 'disconnected') throw new Error('The account is no longer connected.');
      if (connection.status !== 'active') throw Object.assign(new Error('Storno.ro needs the app to be reconnected.'), { retryable: true });
      // The merchant confirmed the late ones when starting the job (the engine asks before making a late document).
      const result = await this.drive(connection, item, { origin: 'manual', confirmLate: backfill.lateConfirmed > 0 });
      if (result.busy) {
        // Someone else is making this very document right now: look again shortly.
        await settle({ status: 'pending', attempts: item.attempts - 1, nextAttemptAt: new Date(Date.now() + 2_000) });
      } else if (result.link.status === 'blocked' || result.link.status === 'rejected') {
        await settle({ status: 'failed', documentId: result.link.id, lastError: stuckReason(result.link) ?? 'The document could not be made.', finishedAt: new Date() });
      } else {
        await settle({ status: 'done', documentId: result.link.id, lastError: null, finishedAt: new Date() });
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // isTransient covers Storno's and Stripe's passing failures (and the reconnect wait above).
      const again = DocumentEngine.isTransient(err) && item.attempts < MAX_ATTEMPTS;
      this.deps.log.warn({ backfillId: item.backfillId, stripeObjectId: item.stripeObjectId, err: message, again }, 'backfill item failed');
      await settle(
        again
          ? { status: 'pending', lastError: message, nextAttemptAt: new Date(Date.now() + Math.min(60_000, 1000 * 2 ** item.attempts)) }
          : { status: 'failed', lastError: message, finishedAt: new Date() },
      );
    }
    await this.finishIfDone(item.backfillId);
  }

  private async drive(connection: Connection, item: BackfillItem, options: DriveOptions) {
    const { documents, engine } = this.deps;
    const existing = await documents.ofSale(connection.id, item.kind as SaleKind, item.stripeObjectId);
    if (existing) return engine.driveLink(connection, existing, options);
    return engine.drive(connection, item.kind as SaleKind, item.stripeObjectId, options);
  }

  private async finishIfDone(backfillId: string): Promise<void> {
    const open = await this.prisma.backfillItem.count({ where: { backfillId, status: { in: ['pending', 'processing'] } } });
    if (open === 0) await this.prisma.backfill.updateMany({ where: { id: backfillId, status: 'running' }, data: { status: 'done', finishedAt: new Date() } });
  }

  /** SQLite runs one server process: at its start, any lease is a dead process's. */
  async releaseAll(): Promise<number> {
    const res = await this.prisma.backfillItem.updateMany({ where: { status: 'processing' }, data: { status: 'pending', leaseUntil: null, nextAttemptAt: new Date() } });
    return res.count;
  }
}

