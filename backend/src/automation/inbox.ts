// The durable inbox: every accepted webhook event is a row before we answer 2xx. Workers claim due rows
// under a lease; a worker that dies leaves a lease that expires, and another worker takes the row over.
import { randomUUID } from 'node:crypto';
import type { InboxEvent } from '../db/generated/sqlite/client.js';
import type { FailedEvent } from '../../../src/api/contract.js';
import type { Database } from '../db/database.js';

export type { InboxEvent };

export const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 15 * 60_000;
const BASE_BACKOFF_MS = 1_000;
/** Longest wait of an event held back by Storno's open circuit (it keeps no attempt count toward giving up). */
const PAUSED_MAX_BACKOFF_MS = 60_000;
/** After this many attempts a transiently failing event stops and shows in the Errors tab. */
export const MAX_ATTEMPTS = 12;

export type RecordResult = 'recorded' | 'duplicate';

export interface NewInboxEvent {
  source: 'stripe' | 'storno';
  eventId: string;
  type: string;
  stripeAccountId: string | null;
  payload: string;
  /** `skipped` events are kept (for the record) but never processed. */
  status: 'pending' | 'skipped';
  note?: string;
}

/** Exponential backoff with full jitter: spreads retries so a recovering Storno is not stampeded. */
export function backoffMs(attempt: number, random = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

/** A DateTime as Prisma stores it: ISO 8601 text on SQLite, a UTC timestamp on PostgreSQL. */
function timestamp(date: Date, dialect: Database['dialect']): string {
  const iso = date.toISOString();
  return dialect === 'sqlite' ? iso.replace('Z', '+00:00') : iso;
}

/** Rows per INSERT: well under SQLite's parameter limit (11 per row). */
const MAX_BATCH = 200;

interface Queued {
  event: NewInboxEvent;
  resolve(result: RecordResult): void;
  reject(err: unknown): void;
}

export class Inbox {
  private readonly listeners = new Set<() => void>();
  private readonly queue: Queued[] = [];
  private flushing = false;

  constructor(private readonly db: Database) {}

  /** Called when something new is due, so an idle in-process worker wakes at once. */
  onNew(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stores the event once (a repeated id is a duplicate) and resolves once it is committed. Events arriving
   * together are written by one multi-row INSERT … ON CONFLICT DO NOTHING (group commit): the webhook is the
   * hot path, and one statement per delivery costs several times the write itself.
   */
  record(event: NewInboxEvent): Promise<RecordResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (!this.flushing && this.queue.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const outcomes = await this.insertBatch(batch.map((b) => b.event));
          batch.forEach((b, i) => b.resolve(outcomes[i]));
          if (batch.some((b, i) => outcomes[i] === 'recorded' && b.event.status === 'pending')) for (const l of this.listeners) l();
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async insertBatch(events: NewInboxEvent[]): Promise<RecordResult[]> {
    const now = new Date();
    const key = (e: NewInboxEvent) => `${e.source}\u0000${e.eventId}`;
    // A delivery repeated within one batch: the first is the one written.
    const firsts = events.filter((e, i) => events.findIndex((o) => key(o) === key(e)) === i);
    const pg = this.db.dialect === 'postgresql';
    const params: unknown[] = [];
    const rows = firsts.map((e) => {
      const at = timestamp(now, this.db.dialect);
      const base = params.length;
      params.push(randomUUID(), e.source, e.eventId, e.type, e.stripeAccountId, e.payload, e.status, at, e.note ?? null, at, e.status === 'skipped' ? at : null);
      const p = (n: number, cast = '') => (pg ? `$${base + n}${cast}` : '?');
      return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, 0, ${p(8, '::timestamp')}, ${p(9)}, ${p(10, '::timestamp')}, ${p(11, '::timestamp')})`;
    });
    const inserted = await this.db.rawQuery<{ source: string; eventId: string }>(
      `INSERT INTO "InboxEvent" ("id", "source", "eventId", "type", "stripeAccountId", "payload", "status", "attempts",
         "nextAttemptAt", "lastError", "createdAt", "processedAt")
       VALUES ${rows.join(', ')} ON CONFLICT ("source", "eventId") DO NOTHING RETURNING "source", "eventId"`,
      params,
    );
    const written = new Set(inserted.map((r) => `${r.source}\u0000${r.eventId}`));
    const claimed = new Set<string>();
    return events.map((e) => {
      const k = key(e);
      if (!written.has(k) || claimed.has(k)) return 'duplicate';
      claimed.add(k);
      return 'recorded';
    });
  }

  /** Claims up to `limit` due events for `workerId`; no event is held by two workers at once. */
  async claim(workerId: string, limit: number): Promise<InboxEvent[]> {
    return this.db.dialect === 'postgresql' ? this.claimPostgres(workerId, limit) : this.claimOptimistic(workerId, limit);
  }

  private async claimPostgres(workerId: string, limit: number): Promise<InboxEvent[]> {
    // SKIP LOCKED lets concurrent instances take disjoint rows without waiting on each other.
    const ids = await this.db.prisma.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE "InboxEvent" SET "status" = 'processing', "lockedBy" = $1,
         "leaseUntil" = (now() AT TIME ZONE 'UTC') + ($2::int * interval '1 millisecond'), "attempts" = "attempts" + 1
       WHERE "id" IN (
         SELECT "id" FROM "InboxEvent"
         WHERE ("status" = 'pending' AND "nextAttemptAt" <= (now() AT TIME ZONE 'UTC'))
            OR ("status" = 'processing' AND "leaseUntil" < (now() AT TIME ZONE 'UTC'))
         ORDER BY "createdAt" LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING "id"`,
      workerId,
      LEASE_MS,
      limit,
    );
    if (ids.length === 0) return [];
    return this.db.prisma.inboxEvent.findMany({ where: { id: { in: ids.map((r) => r.id) } }, orderBy: { createdAt: 'asc' } });
  }

  /** SQLite has one writer at a time; a conditional update per row is the claim. */
  private async claimOptimistic(workerId: string, limit: number): Promise<InboxEvent[]> {
    const now = new Date();
    const due = { OR: [{ status: 'pending', nextAttemptAt: { lte: now } }, { status: 'processing', leaseUntil: { lt: now } }] };
    const candidates = await this.db.prisma.inboxEvent.findMany({ where: due, orderBy: { createdAt: 'asc' }, take: limit, select: { id: true } });
    const claimed: string[] = [];
    for (const { id } of candidates) {
      const res = await this.db.prisma.inboxEvent.updateMany({
        where: { id, ...due },
        data: { status: 'processing', lockedBy: workerId, leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: { increment: 1 } },
      });
      if (res.count === 1) claimed.push(id);
    }
    if (claimed.length === 0) return [];
    return this.db.prisma.inboxEvent.findMany({ where: { id: { in: claimed } }, orderBy: { createdAt: 'asc' } });
  }

  /** Only the lease holder may settle an event (a worker whose lease expired has lost it). */
  async complete(event: InboxEvent, workerId: string, status: 'done' | 'skipped' = 'done', note?: string): Promise<boolean> {
    const res = await this.db.prisma.inboxEvent.updateMany({
      where: { id: event.id, lockedBy: workerId, status: 'processing' },
      data: { status, processedAt: new Date(), leaseUntil: null, lastError: note ?? null },
    });
    return res.count === 1;
  }

  /**
   * Puts the event back with backoff. `giveUp: false` (Storno's circuit is open: the call never left) never moves
   * it to failed, and caps the wait so processing resumes soon after Storno is back.
   */
  async retryLater(event: InboxEvent, workerId: string, error: string, options: { giveUp?: boolean } = {}): Promise<void> {
    const attempts = event.attempts;
    const mayGiveUp = options.giveUp ?? true;
    const giveUp = mayGiveUp && attempts >= MAX_ATTEMPTS;
    const delay = mayGiveUp ? backoffMs(attempts) : Math.min(backoffMs(attempts), PAUSED_MAX_BACKOFF_MS);
    await this.db.prisma.inboxEvent.updateMany({
      where: { id: event.id, lockedBy: workerId, status: 'processing' },
      data: giveUp
        ? { status: 'failed', lastError: error, leaseUntil: null, processedAt: new Date() }
        : { status: 'pending', lastError: error, leaseUntil: null, nextAttemptAt: new Date(Date.now() + delay) },
    });
  }

  /** Frees every leased event (SQLite runs one server process: at its start, any lease is a dead process's). */
  async releaseAll(): Promise<number> {
    const res = await this.db.prisma.inboxEvent.updateMany({
      where: { status: 'processing' },
      data: { status: 'pending', leaseUntil: null, nextAttemptAt: new Date() },
    });
    return res.count;
  }

  async fail(event: InboxEvent, workerId: string, error: string): Promise<void> {
    await this.db.prisma.inboxEvent.updateMany({
      where: { id: event.id, lockedBy: workerId, status: 'processing' },
      data: { status: 'failed', lastError: error, leaseUntil: null, processedAt: new Date() },
    });
  }

  /** Puts a failed event of the account back in line (the Errors tab's retry). False when there is no such event. */
  async requeue(id: string, stripeAccountId: string): Promise<boolean> {
    const res = await this.db.prisma.inboxEvent.updateMany({
      where: { id, status: 'failed', stripeAccountId },
      data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lastError: null },
    });
    for (const l of this.listeners) l();
    return res.count === 1;
  }

  /** Events of the account that failed before their sale had a document: the Errors tab shows each (issue 12). */
  async failedFor(stripeAccountId: string, limit = 50): Promise<FailedEvent[]> {
    const rows = await this.db.prisma.inboxEvent.findMany({
      where: { stripeAccountId, status: 'failed', source: 'stripe' },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return rows.map((r) => {
      const object = (JSON.parse(r.payload) as { data?: { object?: { id?: unknown } } }).data?.object;
      return {
        id: r.id,
        type: r.type,
        stripeObjectId: typeof object?.id === 'string' ? object.id : null,
        error: r.lastError ?? 'failed',
        at: (r.processedAt ?? r.createdAt).toISOString(),
      };
    });
  }
}
