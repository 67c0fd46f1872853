// Reading a period from Stripe as a durable job: invoices finalized in it, payments without an invoice, refunds.
// Which payments belong to an invoice is read from Stripe's invoice payments around the period (one list, paged)
// rather than asked per payment: Stripe allows 25 requests a second in test mode, and a month can hold thousands.
// Each step reads one page with Stripe's cursor and commits its sales together with the next cursor, so memory
// holds one page whatever the period's size, and a restart continues from the last committed page. A finished
// read is reused until a Stripe event for the account arrives after it began (the sales may have changed then).
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { PeriodReconciliation } from '../db/generated/sqlite/client.js';
import type { Database } from '../db/database.js';
import type { Connection } from '../oauth/connections.js';
import type { StripeReader } from '../stripe/reader.js';
import { periodBounds, type Period } from './period.js';
import { invoiceSale, paymentSale, refundSale, type SaleFacts } from './sales.js';

export type { PeriodReconciliation };

/** Invoices finalized in the period may have been created (as drafts) this long before it. */
export const INVOICE_DRAFT_LOOKBACK_DAYS = 45;
export const RECONCILIATION_LEASE_MS = 60_000;
const MAX_ATTEMPTS = 8;

type Phase = 'invoices' | 'invoice_payments' | 'payments' | 'refunds' | 'done';
const NEXT: Record<Exclude<Phase, 'done'>, Phase> = { invoices: 'invoice_payments', invoice_payments: 'payments', payments: 'refunds', refunds: 'done' };
const LISTS = { invoices: 'invoices', invoice_payments: 'invoice_payments', payments: 'payment_intents', refunds: 'refunds' } as const;

export class Reconciler {
  constructor(
    private readonly db: Database,
    private readonly reader: StripeReader,
    private readonly log: FastifyBaseLogger,
    private readonly pageSize = 100,
  ) {}

  private get prisma() {
    return this.db.prisma;
  }

  byId(connectionId: string, id: string): Promise<PeriodReconciliation | null> {
    return this.prisma.periodReconciliation.findFirst({ where: { id, connectionId } });
  }

  /** Stripe may have changed the period's sales: an event for the account arrived after the read began. */
  async isStale(connection: Connection, rec: PeriodReconciliation): Promise<boolean> {
    const since = rec.startedAt ?? rec.createdAt;
    const event = await this.prisma.inboxEvent.findFirst({
      where: { source: 'stripe', stripeAccountId: connection.stripeAccountId, createdAt: { gt: since } },
      select: { id: true },
    });
    return event !== null;
  }

  /** The period's current reconciliation: a fresh or running one is reused, otherwise a new job is queued. */
  async request(connection: Connection, period: Period): Promise<{ reconciliation: PeriodReconciliation; reused: boolean }> {
    const latest = await this.prisma.periodReconciliation.findFirst({
      where: { connectionId: connection.id, fromDay: period.from, toDay: period.to, status: { in: ['queued', 'running', 'done'] } },
      orderBy: { createdAt: 'desc' },
    });
    if (latest && (latest.status !== 'done' || !(await this.isStale(connection, latest)))) return { reconciliation: latest, reused: true };
    const reconciliation = await this.prisma.periodReconciliation.create({
      data: { id: randomUUID(), connectionId: connection.id, fromDay: period.from, toDay: period.to, status: 'queued' },
    });
    return { reconciliation, reused: false };
  }

  /** Takes one due job under a lease (a job whose lease ran out belonged to a process that died). */
  async claim(workerId: string): Promise<PeriodReconciliation | null> {
    const now = new Date();
    const due = {
      OR: [
        { status: 'queued', nextRunAt: { lte: now } },
        { status: 'running', nextRunAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      ],
    };
    const candidates = await this.prisma.periodReconciliation.findMany({ where: due, orderBy: { createdAt: 'asc' }, take: 5, select: { id: true } });
    for (const { id } of candidates) {
      const res = await this.prisma.periodReconciliation.updateMany({
        where: { id, ...due },
        data: { status: 'running', lockedBy: workerId, leaseUntil: new Date(now.getTime() + RECONCILIATION_LEASE_MS) },
      });
      if (res.count === 1) {
        const rec = await this.prisma.periodReconciliation.findUnique({ where: { id } });
        if (rec && !rec.startedAt) return this.prisma.periodReconciliation.update({ where: { id }, data: { startedAt: now } });
        return rec;
      }
    }
    return null;
  }

  /** Reads the whole period (page after page) while the lease is ours. */
  async run(rec: PeriodReconciliation, workerId: string, connection: Connection | null): Promise<void> {
    if (!connection || connection.status === 'disconnected') {
      await this.prisma.periodReconciliation.updateMany({ where: { id: rec.id, lockedBy: workerId }, data: { status: 'failed', lastError: 'The account is no longer connected.', leaseUntil: null, finishedAt: new Date() } });
      return;
    }
    let current = rec;
    try {
      while (current.phase !== 'done') {
        const next = await this.step(current, workerId, connection);
        if (!next) return; // the lease was lost: another worker has the job now
        current = next;
      }
      await this.prisma.periodReconciliation.updateMany({
        where: { id: rec.id, lockedBy: workerId },
        data: { status: 'done', leaseUntil: null, finishedAt: new Date(), lastError: null, salesFound: await this.countSales(rec.id) },
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const attempts = current.attempts + 1;
      this.log.warn({ reconciliationId: rec.id, attempts, err: message }, 'reading a period from Stripe failed');
      // Stripe outages pass: try again later from the saved cursor; a job that keeps failing is shown as failed.
      await this.prisma.periodReconciliation.updateMany({
        where: { id: rec.id, lockedBy: workerId },
        data:
          attempts >= MAX_ATTEMPTS
            ? { status: 'failed', attempts, lastError: message, leaseUntil: null, finishedAt: new Date() }
            : { attempts, lastError: message, leaseUntil: null, nextRunAt: new Date(Date.now() + Math.min(60_000, 1000 * 2 ** attempts)) },
      });
    }
  }

  /** One page of the current phase: its sales and the next cursor are committed together. */
  private async step(rec: PeriodReconciliation, workerId: string, connection: Connection): Promise<PeriodReconciliation | null> {
    const phase = rec.phase as Exclude<Phase, 'done'>;
    const { start, end } = periodBounds({ from: rec.fromDay, to: rec.toDay });
    // Invoices finalized in the period may have been drafted before it; their payment records may be older still
    // (made at finalization) or newer (paid after the period).
    const createdGte = phase === 'invoices' || phase === 'invoice_payments' ? start - INVOICE_DRAFT_LOOKBACK_DAYS * 86_400 : start;
    const createdLte = phase === 'invoice_payments' ? Math.floor(Date.now() / 1000) : end;
    const page = await this.reader.periodPage(connection.stripeAccountId, LISTS[phase], { createdGte, createdLte, startingAfter: rec.cursor, limit: this.pageSize });
    // Stripe lists newest first; anything older than the window means the rest is older too.
    const inWindow = page.data.filter((o) => o.created >= createdGte && o.created <= createdLte);
    const reachedOlder = page.data.some((o) => o.created < createdGte);
    const last = page.data.at(-1)?.id ?? null;
    const finished = !page.hasMore || reachedOlder || !last;
    const advance = this.prisma.periodReconciliation.updateMany({
      where: { id: rec.id, lockedBy: workerId },
      data: {
        phase: finished ? NEXT[phase] : phase,
        cursor: finished ? null : last,
        pagesRead: { increment: 1 },
        attempts: 0,
        leaseUntil: new Date(Date.now() + RECONCILIATION_LEASE_MS),
      },
    });

    let updated: { count: number };
    if (phase === 'invoice_payments') {
      const paymentIntentIds = [...new Set(inWindow.map((ip) => (ip.payment as { payment_intent?: unknown } | null)?.payment_intent).filter((id): id is string => typeof id === 'string'))];
      [, , updated] = await this.prisma.$transaction([
        this.prisma.periodInvoicePayment.deleteMany({ where: { reconciliationId: rec.id, paymentIntentId: { in: paymentIntentIds } } }),
        this.prisma.periodInvoicePayment.createMany({ data: paymentIntentIds.map((paymentIntentId) => ({ reconciliationId: rec.id, paymentIntentId })) }),
        advance,
      ]);
    } else {
      let sales: SaleFacts[];
      if (phase === 'invoices') {
        sales = inWindow.map(invoiceSale).filter((s): s is SaleFacts => s !== null && s.saleDay >= rec.fromDay && s.saleDay <= rec.toDay);
      } else if (phase === 'refunds') {
        sales = inWindow.map(refundSale).filter((s): s is SaleFacts => s !== null);
      } else {
        sales = await this.withoutInvoice(rec, inWindow.map(paymentSale).filter((s): s is SaleFacts => s !== null));
      }
      const ids = sales.map((s) => s.stripeObjectId);
      [, , updated] = await this.prisma.$transaction([
        // A page read again after a crash replaces what its first reading left.
        this.prisma.periodSale.deleteMany({ where: { reconciliationId: rec.id, stripeObjectId: { in: ids } } }),
        this.prisma.periodSale.createMany({ data: sales.map((s) => ({ id: randomUUID(), reconciliationId: rec.id, ...s })) }),
        advance,
      ]);
    }
    if (updated.count !== 1) return null;
    return this.prisma.periodReconciliation.findUnique({ where: { id: rec.id } });
  }

  /** Drops PaymentIntents that paid an invoice (those are reported through the invoice). */
  private async withoutInvoice(rec: PeriodReconciliation, payments: SaleFacts[]): Promise<SaleFacts[]> {
    if (payments.length === 0) return [];
    const ids = payments.map((p) => p.stripeObjectId);
    const [ofInvoices, paid] = await Promise.all([
      this.prisma.periodSale.findMany({ where: { reconciliationId: rec.id, kind: 'invoice', paymentIntentId: { in: ids } }, select: { paymentIntentId: true } }),
      this.prisma.periodInvoicePayment.findMany({ where: { reconciliationId: rec.id, paymentIntentId: { in: ids } }, select: { paymentIntentId: true } }),
    ]);
    const paysAnInvoice = new Set([...ofInvoices, ...paid].map((k) => k.paymentIntentId));
    return payments.filter((p) => !paysAnInvoice.has(p.stripeObjectId));
  }

  /** Sales read so far (progress while running). */
  countSales(reconciliationId: string): Promise<number> {
    return this.prisma.periodSale.count({ where: { reconciliationId } });
  }

  /** SQLite runs one server process: at its start, any lease is a dead process's. */
  async releaseAll(): Promise<number> {
    const res = await this.prisma.periodReconciliation.updateMany({ where: { status: 'running', leaseUntil: { not: null } }, data: { leaseUntil: null } });
    return res.count;
  }
}
