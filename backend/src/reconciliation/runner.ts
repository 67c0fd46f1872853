// Runs the period jobs in the server process: reading periods from Stripe (one at a time) and backfill items
// (a few lanes at a time: the pace toward Storno). Both are DB rows under leases, so a process that dies leaves
// work another process (or the next start) takes over. On PostgreSQL every instance runs one.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { ConnectionService } from '../oauth/connections.js';
import type { Backfills } from './backfill.js';
import type { Reconciler } from './reconciler.js';

export interface RunnerOptions {
  /** Backfill items in flight at once (each makes a handful of Storno requests). */
  concurrency: number;
  idleDelayMs?: number;
  /** Take over every lease at start (SQLite: one server process, so any lease is a dead one's). */
  recover?: boolean;
}

export class PeriodJobs {
  readonly id = `periods-${randomUUID().slice(0, 8)}`;
  private running = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();

  constructor(
    private readonly reconciler: Reconciler,
    private readonly backfills: Backfills,
    private readonly connections: ConnectionService,
    private readonly log: FastifyBaseLogger,
    private readonly options: RunnerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    const begin = this.options.recover ? this.recover() : Promise.resolve();
    this.loops = [
      begin.then(() => this.loop(() => this.readOnePeriod())),
      ...Array.from({ length: Math.max(1, this.options.concurrency) }, () => begin.then(() => this.loop(() => this.backfillOne()))),
    ];
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** New work was queued: idle loops look at once. */
  wake(): void {
    for (const w of this.wakers) w();
  }

  /** Does everything due now, then returns (tests drive the jobs this way, without the timer). */
  async drain(): Promise<void> {
    while ((await this.readOnePeriod()) || (await this.backfillOne())) {
      // keep going while anything was done
    }
  }

  private async recover(): Promise<void> {
    try {
      const periods = await this.reconciler.releaseAll();
      const items = await this.backfills.releaseAll();
      if (periods || items) this.log.warn({ periods, items }, 'took over period jobs left by a previous process');
    } catch (err) {
      this.log.error({ err }, 'could not take over period jobs left by a previous process');
    }
  }

  private async loop(work: () => Promise<boolean>): Promise<void> {
    while (this.running) {
      let did = false;
      try {
        did = await work();
      } catch (err) {
        this.log.error({ err }, 'period job loop failed; retrying shortly');
      }
      if (!did && this.running) {
        await new Promise<void>((resolve) => {
          const waker = () => {
            clearTimeout(timer);
            this.wakers.delete(waker);
            resolve();
          };
          const timer = setTimeout(waker, this.options.idleDelayMs ?? 500);
          this.wakers.add(waker);
        });
      }
    }
  }

  async readOnePeriod(): Promise<boolean> {
    const rec = await this.reconciler.claim(this.id);
    if (!rec) return false;
    await this.reconciler.run(rec, this.id, await this.connections.byId(rec.connectionId));
    return true;
  }

  async backfillOne(): Promise<boolean> {
    const item = await this.backfills.claim(this.id);
    if (!item) return false;
    await this.backfills.process(item, this.id);
    return true;
  }
}
