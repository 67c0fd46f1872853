// The auto-mode worker: claims inbox events and runs each through its handler. A transient failure
// (Storno or Stripe unreachable, a timeout) is retried with backoff; a permanent one stops the event and
// shows in the Errors tab. Runs in the server process; on PostgreSQL every instance runs one.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { Inbox, type InboxEvent } from './inbox.js';

export type EventHandler = (event: InboxEvent) => Promise<'done' | 'skipped' | { status: 'skipped' | 'done'; note: string }>;
export type TransientCheck = (err: unknown) => boolean;

export interface WorkerOptions {
  batchSize?: number;
  concurrency?: number;
  idleDelayMs?: number;
  /** Periodic work besides the inbox (e.g. refreshing documents still at the provider). */
  tick?: () => Promise<void>;
  tickEveryMs?: number;
  /** Runs once when the worker starts, before it claims anything (e.g. taking over a dead process's leases). */
  recover?: () => Promise<void>;
}

/**
 * Storno's circuit breaker refused the call (nothing reached Storno), or the connection waits for re-authorization:
 * the attempt proves nothing about the event, which waits for the cause to clear without using up its attempts.
 */
function isPaused(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'circuit_open' || code === 'reauthorization_required';
}

export class Worker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private unsubscribe?: () => void;
  private lastTick = 0;

  constructor(
    private readonly inbox: Inbox,
    private readonly handle: EventHandler,
    private readonly isTransient: TransientCheck,
    private readonly log: FastifyBaseLogger,
    private readonly options: WorkerOptions = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.inbox.onNew(() => this.wake?.());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loop;
  }

  /** Processes everything due now; returns how many events it took. */
  async drainOnce(): Promise<number> {
    const events = await this.inbox.claim(this.id, this.options.batchSize ?? 20);
    const concurrency = this.options.concurrency ?? 4;
    let next = 0;
    const lanes = Array.from({ length: Math.min(concurrency, events.length) }, async () => {
      while (next < events.length) await this.process(events[next++]);
    });
    await Promise.all(lanes);
    return events.length;
  }

  private async run(): Promise<void> {
    if (this.options.recover) {
      try {
        await this.options.recover();
      } catch (err) {
        this.log.error({ err }, 'worker could not take over leases left by a previous process');
      }
    }
    while (this.running) {
      let taken = 0;
      try {
        await this.maybeTick();
        taken = await this.drainOnce();
      } catch (err) {
        this.log.error({ err }, 'worker loop failed; retrying shortly');
      }
      if (taken === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.idleDelayMs ?? 500);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async maybeTick(): Promise<void> {
    const every = this.options.tickEveryMs ?? 5_000;
    if (!this.options.tick || Date.now() - this.lastTick < every) return;
    this.lastTick = Date.now();
    await this.options.tick();
  }

  private async process(event: InboxEvent): Promise<void> {
    try {
      const outcome = await this.handle(event);
      if (typeof outcome === 'string') await this.inbox.complete(event, this.id, outcome);
      else await this.inbox.complete(event, this.id, outcome.status, outcome.note);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (this.isTransient(err) || isPaused(err)) {
        this.log.warn({ eventId: event.eventId, type: event.type, attempt: event.attempts, err: message }, 'event failed; will retry');
        // While the breaker is open the event waits for Storno without using up its attempts.
        await this.inbox.retryLater(event, this.id, message, { giveUp: !isPaused(err) });
      } else {
        this.log.error({ eventId: event.eventId, type: event.type, err }, 'event failed permanently');
        await this.inbox.fail(event, this.id, message);
      }
    }
  }
}
