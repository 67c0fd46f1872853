// Document links: one row per (connection, Stripe object, kind) — the rule that makes "one Stripe object,
// one document" hold — with the Storno id, cached status, provider error and any blocking problem.
import { randomUUID } from 'node:crypto';
import type { DashboardResponse, DashboardTab, DocumentKind, DocumentStatus } from '../../../src/api/contract.js';
import type { DocumentLink } from '../db/generated/sqlite/client.js';
import type { PrismaClient } from '../db/database.js';
import { isDueWithin, isOverdue, lastUploadDay } from '../deadlines/index.js';
import { LeaseLost } from './errors.js';
import { todayInBucharest } from '../invoicing/dates.js';
import { allows, IllegalTransition, tileOf, TRANSITIONS, type LifecycleEvent, type Step, type TargetOf } from './lifecycle.js';
import { summarize } from './summary.js';

export type { DocumentLink };

export const LINK_LEASE_MS = 120_000;
const IN_FLIGHT: DocumentStatus[] = ['pending', 'draft', 'issued', 'sent_to_provider'];
/** Working days before the deadline that make an unfinished document "due soon" on Home. */
const DUE_SOON_WORKING_DAYS = 2;

/**
 * Storno's idempotencyKey is global across companies (storno-api.md §6.4): namespace it per connection. A refund
 * has one document — a credit note or, without a parent, a standalone refund invoice — so both kinds share one
 * key: the unique key column makes it impossible for both to exist.
 */
export function idempotencyKeyFor(connectionId: string, kind: DocumentKind, stripeObjectId: string): string {
  return `stripe-app:${connectionId}:${saleKindOf(kind)}:${stripeObjectId}`;
}

/** The sale a document reports: a standalone refund invoice reports its refund, as a credit note would. */
export const saleKindOf = (kind: DocumentKind | string): string => (kind === 'standalone_refund' ? 'refund' : kind);

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}

/** The drive that holds a document's lease: its fencing token goes with every write it makes. */
export interface Lease {
  linkId: string;
  token: string;
}

type LinkData = Partial<Omit<DocumentLink, 'id' | 'connectionId' | 'createdAt' | 'updatedAt' | 'status' | 'lockedUntil' | 'leaseOwner'>>;

export class DocumentStore {
  constructor(private readonly prisma: PrismaClient) {}

  find(connectionId: string, kind: DocumentKind, stripeObjectId: string): Promise<DocumentLink | null> {
    return this.prisma.documentLink.findUnique({ where: { connectionId_stripeObjectId_kind: { connectionId, stripeObjectId, kind } } });
  }

  /** The document of a sale, of either kind for a refund (its credit note or its standalone refund invoice). */
  ofSale(connectionId: string, kind: DocumentKind, stripeObjectId: string): Promise<DocumentLink | null> {
    return this.prisma.documentLink.findUnique({ where: { idempotencyKey: idempotencyKeyFor(connectionId, kind, stripeObjectId) } });
  }

  byId(connectionId: string, id: string): Promise<DocumentLink | null> {
    return this.prisma.documentLink.findFirst({ where: { id, connectionId } });
  }

  /** The link for this object, created (status pending) if it did not exist; concurrent callers get the same row. */
  async ensure(input: { connectionId: string; kind: DocumentKind; stripeObjectId: string; origin: 'manual' | 'auto'; parentId?: string }): Promise<DocumentLink> {
    const existing = await this.prisma.documentLink.findUnique({ where: { idempotencyKey: idempotencyKeyFor(input.connectionId, input.kind, input.stripeObjectId) } });
    if (existing) return existing;
    try {
      return await this.prisma.documentLink.create({
        data: {
          id: randomUUID(),
          connectionId: input.connectionId,
          kind: input.kind,
          stripeObjectId: input.stripeObjectId,
          idempotencyKey: idempotencyKeyFor(input.connectionId, input.kind, input.stripeObjectId),
          status: 'pending',
          origin: input.origin,
          parentId: input.parentId ?? null,
        },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Made concurrently — possibly as the other kind of a refund's document: that one is the refund's document.
      const row = await this.prisma.documentLink.findUnique({ where: { idempotencyKey: idempotencyKeyFor(input.connectionId, input.kind, input.stripeObjectId) } });
      if (!row) throw err;
      return row;
    }
  }

  /** Takes the link's lease; null while someone else drives it. */
  async lease(linkId: string): Promise<Lease | null> {
    const now = new Date();
    const token = randomUUID();
    const res = await this.prisma.documentLink.updateMany({
      where: { id: linkId, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      data: { lockedUntil: new Date(now.getTime() + LINK_LEASE_MS), leaseOwner: token },
    });
    return res.count === 1 ? { linkId, token } : null;
  }

  /** Extends the lease of a drive that is still running; a drive whose lease was taken over stops here. */
  async renew(lease: Lease): Promise<void> {
    const res = await this.prisma.documentLink.updateMany({
      where: { id: lease.linkId, leaseOwner: lease.token },
      data: { lockedUntil: new Date(Date.now() + LINK_LEASE_MS) },
    });
    if (res.count !== 1) throw new LeaseLost(lease.linkId);
  }

  async release(lease: Lease): Promise<void> {
    // updateMany: the row may be gone (a document that could not be made is not kept), or no longer ours.
    await this.prisma.documentLink.updateMany({ where: { id: lease.linkId, leaseOwner: lease.token }, data: { lockedUntil: null, leaseOwner: null } });
  }

  /**
   * Writes what a drive learned, only while it holds the lease. With `step`, the status moves along the lifecycle
   * table: the target is typed by the table and the source status is the guard of the write.
   */
  async commit<E extends LifecycleEvent>(lease: Lease, data: LinkData, step?: Step<E>): Promise<DocumentLink> {
    if (step) {
      const current = await this.prisma.documentLink.findUnique({ where: { id: lease.linkId }, select: { status: true } });
      if (current && !allows(step.event, current.status, step.by)) throw new IllegalTransition(step.event, current.status, step.by);
    }
    const res = await this.prisma.documentLink.updateMany({
      where: { id: lease.linkId, leaseOwner: lease.token, ...(step ? { status: { in: [...TRANSITIONS_FROM(step.event)] } } : {}) },
      data: { ...data, ...(step ? { status: step.to } : {}) },
    });
    if (res.count !== 1) throw new LeaseLost(lease.linkId);
    return (await this.prisma.documentLink.findUnique({ where: { id: lease.linkId } }))!;
  }

  /** Facts that need no lease: the provider's verdict read from Storno (idempotent), Storno's late flag. */
  async recordVerdict(linkId: string, data: LinkData & { status: TargetOf<'verdict'> }): Promise<DocumentLink> {
    await this.prisma.documentLink.updateMany({ where: { id: linkId, status: { in: [...TRANSITIONS_FROM('verdict')] } }, data });
    return (await this.prisma.documentLink.findUnique({ where: { id: linkId } }))!;
  }

  /** Parent ready: every document waiting for it is due now. */
  async wakeWaitingFor(connectionId: string, waitingFor: string): Promise<number> {
    const res = await this.prisma.documentLink.updateMany({
      where: { connectionId, hold: 'parent', waitingFor },
      data: { nextAttemptAt: new Date(), attempts: 0 },
    });
    return res.count;
  }

  /** The merchant's "retry" on a plan-limit refusal etc.; also wakes waiting obligations of a reconnected connection. */
  async dueNow(linkId: string): Promise<void> {
    await this.prisma.documentLink.updateMany({ where: { id: linkId }, data: { nextAttemptAt: new Date() } });
  }

  /** Documents at the provider whose verdict was not read since `readBefore`. */
  inFlight(limit: number, readBefore = new Date()): Promise<DocumentLink[]> {
    return this.prisma.documentLink.findMany({
      where: {
        status: 'sent_to_provider',
        stornoDocumentId: { not: null },
        connection: { status: 'active' },
        OR: [{ lastRefreshedAt: null }, { lastRefreshedAt: { lte: readBefore } }],
      },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    });
  }

  /**
   * Documents the worker drives again: those whose re-drive is due (backoff after Storno failed, a parent that became
   * ready, a plan limit's daily retry, obligations recorded while the connection needed re-authorization), and those
   * left half-way without a schedule (a crash between steps) once they are not fresh. Never one someone holds.
   */
  due(limit: number, olderThanMs = 60_000): Promise<DocumentLink[]> {
    const now = new Date();
    const before = new Date(now.getTime() - olderThanMs);
    return this.prisma.documentLink.findMany({
      where: {
        connection: { status: 'active' },
        OR: [
          { nextAttemptAt: { lte: now } },
          {
            nextAttemptAt: null,
            hold: null,
            updatedAt: { lt: before },
            OR: [
              { status: { in: ['pending', 'draft'] } },
              { status: 'issued', lastRefreshedAt: null },
              // Submitted (or already judged) but the Stripe payment not yet recorded: a crash between the steps.
              { status: { in: ['issued', 'sent_to_provider', 'validated'] }, paymentRecorded: false, stornoDocumentId: { not: null } },
            ],
          },
        ],
        AND: [{ OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] }],
      },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    });
  }

  /** Drops every document lease (SQLite runs one server process: at its start, any lease is a dead process's). */
  async releaseAll(): Promise<number> {
    const res = await this.prisma.documentLink.updateMany({ where: { lockedUntil: { not: null } }, data: { lockedUntil: null } });
    return res.count;
  }

  /** Drops a link that never reached Storno (nothing can be made for its object); only its lease holder may. */
  async remove(lease: Lease): Promise<void> {
    await this.prisma.documentLink.deleteMany({ where: { id: lease.linkId, stornoDocumentId: null, leaseOwner: lease.token } });
  }

  byStornoId(connectionId: string, stornoDocumentId: string): Promise<DocumentLink | null> {
    return this.prisma.documentLink.findFirst({ where: { connectionId, stornoDocumentId } });
  }

  childrenOf(parentId: string): Promise<DocumentLink[]> {
    return this.prisma.documentLink.findMany({ where: { parentId }, orderBy: { createdAt: 'asc' } });
  }

  async dashboard(connectionId: string, connectionStatus: string, tab: DashboardTab, limit = 50): Promise<Omit<DashboardResponse, 'autoMode' | 'failedEvents'>> {
    // Independent aggregates and the page of rows, asked at once (a pool answers them side by side).
    const settled = { status: 'issued', outsideScope: true, stornoDocumentId: { not: null } };
    const where =
      tab === 'pending'
        ? { status: { in: IN_FLIGHT } }
        : tab === 'errors'
          ? // Every obligation that needs the merchant (the connection's own state puts all unfinished ones there).
            connectionStatus === 'reauthorization_required'
            ? { status: { notIn: ['validated', 'cancelled'] } }
            : { status: { in: ['blocked', 'rejected'] } }
          : {};
    const [groups, settledIssued, owed, rows] = await Promise.all([
      this.prisma.documentLink.groupBy({ by: ['status'], where: { connectionId }, _count: { _all: true } }),
      this.prisma.documentLink.count({ where: { connectionId, ...settled } }),
      // Deadlines of what has not reached ANAF yet (an upload meets the deadline; a rejection owes it again), by issue date.
      this.prisma.documentLink.groupBy({
        by: ['issueDate'],
        where: { connectionId, issueDate: { not: null }, status: { notIn: ['validated', 'cancelled', 'sent_to_provider'] }, NOT: settled },
        _count: { _all: true },
      }),
      this.prisma.documentLink.findMany({ where: { connectionId, ...where }, orderBy: { createdAt: 'desc' }, take: limit }),
    ]);
    const counts = { draft: 0, issued: 0, sent_to_provider: 0, validated: 0, rejected: 0, pending: 0, blocked: 0, total: 0 };
    for (const g of groups) {
      const key = g.status as keyof typeof counts;
      if (key in counts) counts[key] += g._count._all;
      counts.total += g._count._all;
    }
    // Tiles follow from the status (and the connection's state): one tile per status group, the issued ones split into
    // those settled outside e-Factura's scope and those still moving. Aggregates only, so Home stays fast at any size.
    const tiles = { validated: 0, inProgress: 0, needsAction: 0, draftOrIssued: 0, total: 0, dueSoon: 0, overdue: 0 };
    const add = (status: string, n: number, isSettled: boolean) => {
      const tile = tileOf({ status, hold: null, problem: null, outsideScope: isSettled, stornoDocumentId: isSettled ? 'settled' : null }, connectionStatus);
      if (!tile || n === 0) return;
      tiles[tile] += n;
      tiles.total += n;
    };
    for (const g of groups) {
      if (g.status === 'issued') {
        add('issued', settledIssued, true);
        add('issued', g._count._all - settledIssued, false);
      } else add(g.status, g._count._all, false);
    }
    const today = todayInBucharest();
    for (const o of owed) {
      const deadline = lastUploadDay(o.issueDate!);
      if (isOverdue(deadline, today)) tiles.overdue += o._count._all;
      else if (isDueWithin(deadline, today, DUE_SOON_WORKING_DAYS)) tiles.dueSoon += o._count._all;
    }
    const documents = rows.map((r) => summarize(r, connectionStatus)).filter((d) => tab !== 'errors' || d.obligation.state !== 'done');
    return { tab, counts, tiles, documents, connectionStatus: (connectionStatus === 'active' ? 'connected' : connectionStatus) as DashboardResponse['connectionStatus'] };
  }
}

const TRANSITIONS_FROM = (event: LifecycleEvent): readonly string[] => TRANSITIONS[event].from;
