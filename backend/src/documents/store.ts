// Document links: one row per (connection, Stripe object, kind) — the rule that makes "one Stripe object,
// one document" hold — with the Storno id, cached status, provider error and any blocking problem.
import { randomUUID } from 'node:crypto';
import type { DocumentKind, DocumentProblem, DocumentStatus, DocumentSummary, DashboardResponse, DashboardTab } from '../../../src/api/contract.js';
import type { DocumentLink } from '../db/generated/sqlite/client.js';
import type { PrismaClient } from '../db/database.js';

export type { DocumentLink };

export const LINK_LEASE_MS = 120_000;
const IN_FLIGHT: DocumentStatus[] = ['pending', 'draft', 'issued', 'sent_to_provider'];
const ERRORS: DocumentStatus[] = ['rejected', 'blocked'];

/**
 * Storno's idempotencyKey is global across companies (storno-api.md §6.4): namespace it per connection. A refund
 * has one document — a credit note or, without a parent, a standalone refund invoice — so both kinds share one
 * key: the unique key column makes it impossible for both to exist.
 */
export function idempotencyKeyFor(connectionId: string, kind: DocumentKind, stripeObjectId: string): string {
  return `stripe-app:${connectionId}:${kind === 'standalone_refund' ? 'refund' : kind}:${stripeObjectId}`;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}

export function summarize(link: DocumentLink): DocumentSummary {
  return {
    id: link.id,
    kind: link.kind as DocumentKind,
    stripeObjectId: link.stripeObjectId,
    stornoDocumentId: link.stornoDocumentId,
    number: link.documentNumber,
    status: link.status as DocumentStatus,
    clientName: link.clientName,
    total: link.total,
    currency: link.currency,
    providerError: link.providerError,
    problem: link.problem ? (JSON.parse(link.problem) as DocumentProblem) : null,
    origin: link.origin as 'manual' | 'auto',
    createdAt: link.createdAt.toISOString(),
    updatedAt: link.updatedAt.toISOString(),
    ...fiscalSummary(link),
  };
}

/** The fiscal facts of a document for its panel: BNR rate, scope, assumptions, the last fix. */
function fiscalSummary(link: DocumentLink): Pick<DocumentSummary, 'exchangeRate' | 'outsideScope' | 'assumptions' | 'lastFix'> {
  const notes = link.fiscalNotes ? (JSON.parse(link.fiscalNotes) as { assumptions?: string[]; changes?: string[]; fixedAt?: string }) : {};
  return {
    exchangeRate: link.exchangeRate ? { rate: link.exchangeRate, publishedOn: link.exchangeRateDate } : null,
    outsideScope: link.outsideScope,
    assumptions: notes.assumptions ?? [],
    lastFix: notes.changes ? { changes: notes.changes, at: notes.fixedAt ?? null } : null,
  };
}

export class DocumentStore {
  constructor(private readonly prisma: PrismaClient) {}

  find(connectionId: string, kind: DocumentKind, stripeObjectId: string): Promise<DocumentLink | null> {
    return this.prisma.documentLink.findUnique({ where: { connectionId_stripeObjectId_kind: { connectionId, stripeObjectId, kind } } });
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

  /** Takes the link's lease; false while someone else drives it. */
  async lease(linkId: string): Promise<boolean> {
    const now = new Date();
    const res = await this.prisma.documentLink.updateMany({
      where: { id: linkId, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      data: { lockedUntil: new Date(now.getTime() + LINK_LEASE_MS) },
    });
    return res.count === 1;
  }

  /** Extends the lease of a drive that is still running. */
  async renew(linkId: string): Promise<void> {
    await this.prisma.documentLink.updateMany({ where: { id: linkId }, data: { lockedUntil: new Date(Date.now() + LINK_LEASE_MS) } });
  }

  async release(linkId: string): Promise<void> {
    // updateMany: the row may be gone (a document that could not be made is not kept).
    await this.prisma.documentLink.updateMany({ where: { id: linkId }, data: { lockedUntil: null } });
  }

  update(linkId: string, data: Partial<Omit<DocumentLink, 'id' | 'connectionId' | 'createdAt' | 'updatedAt'>>): Promise<DocumentLink> {
    return this.prisma.documentLink.update({ where: { id: linkId }, data });
  }

  inFlight(limit: number): Promise<DocumentLink[]> {
    return this.prisma.documentLink.findMany({
      where: { status: 'sent_to_provider', stornoDocumentId: { not: null } },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    });
  }

  /** Documents left half-way (a crash or an outage between steps): nobody holds them and they are not fresh. */
  stalled(limit: number, olderThanMs = 60_000): Promise<DocumentLink[]> {
    const before = new Date(Date.now() - olderThanMs);
    return this.prisma.documentLink.findMany({
      where: {
        OR: [
          { status: { in: ['pending', 'draft'] } },
          { status: 'issued', lastRefreshedAt: null },
          // Submitted (or already judged) but the Stripe payment not yet recorded: a crash between the steps.
          { status: { in: ['issued', 'sent_to_provider', 'validated'] }, paymentRecorded: false, stornoDocumentId: { not: null } },
        ],
        updatedAt: { lt: before },
        AND: [{ OR: [{ lockedUntil: null }, { lockedUntil: { lt: new Date() } }] }],
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

  async remove(linkId: string): Promise<void> {
    await this.prisma.documentLink.deleteMany({ where: { id: linkId, stornoDocumentId: null } });
  }

  byStornoId(connectionId: string, stornoDocumentId: string): Promise<DocumentLink | null> {
    return this.prisma.documentLink.findFirst({ where: { connectionId, stornoDocumentId } });
  }

  childrenOf(parentId: string): Promise<DocumentLink[]> {
    return this.prisma.documentLink.findMany({ where: { parentId }, orderBy: { createdAt: 'asc' } });
  }

  async dashboard(connectionId: string, tab: DashboardTab, limit = 50): Promise<Omit<DashboardResponse, 'autoMode'>> {
    const groups = await this.prisma.documentLink.groupBy({ by: ['status'], where: { connectionId }, _count: { _all: true } });
    const counts = { draft: 0, issued: 0, sent_to_provider: 0, validated: 0, rejected: 0, pending: 0, blocked: 0, total: 0 };
    for (const g of groups) {
      const key = g.status as keyof typeof counts;
      if (key in counts) counts[key] += g._count._all;
      counts.total += g._count._all;
    }
    const statusFilter = tab === 'pending' ? { in: IN_FLIGHT } : tab === 'errors' ? { in: ERRORS } : undefined;
    const rows = await this.prisma.documentLink.findMany({
      where: { connectionId, ...(statusFilter ? { status: statusFilter } : {}) },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return { tab, counts, documents: rows.map(summarize) };
  }
}
