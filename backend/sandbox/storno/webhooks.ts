// Outbound webhooks (storno-api §6.5): signed POSTs with the real headers, 3 attempts (now, +1 min, +5 min by
// default; tests shrink the delays), delivery records kept in the state.
import { createHmac } from 'node:crypto';
import { newId, uuidV7 } from './ids.js';
import { toRfc3339 } from './dates.js';
import type { Delivery, Store, Webhook } from './state.js';

export const WEBHOOK_EVENTS = [
  'invoice.created',
  'invoice.issued',
  'invoice.sent_to_provider',
  'invoice.validated',
  'invoice.rejected',
  'invoice.updated',
  'payment.received',
  'company.created',
  'company.updated',
  'company.removed',
  'company.restored',
  'company.reset',
  'sync.started',
  'sync.completed',
  'sync.error',
  'anaf.token_created',
] as const;

export const signBody = (secret: string, body: string): string => createHmac('sha256', secret).update(body).digest('hex');

export interface WebhookDispatcher {
  emit(companyId: string, event: string, data: Record<string, unknown>): void;
  /** Resolves once no delivery is in flight (scheduled retries are not waited for). */
  idle(): Promise<void>;
  close(): void;
}

export function createWebhookDispatcher(store: Store, retryDelaysMs: number[], timeoutMs = 10_000): WebhookDispatcher {
  const timers = new Set<NodeJS.Timeout>();
  const inflight = new Set<Promise<void>>();
  let closed = false;

  async function attempt(hook: Webhook, delivery: Delivery): Promise<void> {
    delivery.attempts += 1;
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-webhook-signature': signBody(hook.secret, delivery.payload),
          'x-webhook-event': delivery.event,
          'x-webhook-id': delivery.id,
          'user-agent': 'Storno-Webhook/1.0',
        },
        body: delivery.payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      delivery.lastStatusCode = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) {
        delivery.status = 'success';
        delivery.lastError = null;
        store.changed();
        return;
      }
      delivery.lastError = `HTTP ${res.status}`;
    } catch (err) {
      delivery.lastError = err instanceof Error ? err.message : String(err);
    }
    const delay = retryDelaysMs[delivery.attempts - 1];
    if (delay === undefined || closed) {
      delivery.status = 'failed';
    } else {
      delivery.status = 'retrying';
      const timer = setTimeout(() => {
        timers.delete(timer);
        track(attempt(hook, delivery));
      }, delay);
      timers.add(timer);
    }
    store.changed();
  }

  function track(p: Promise<void>): void {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }

  return {
    emit(companyId, event, data) {
      if (closed) return;
      const hooks = store.state.webhooks.filter((w) => w.companyId === companyId && w.isActive && w.events.includes(event));
      for (const hook of hooks) {
        const payload = JSON.stringify({ id: uuidV7(), event, created_at: new Date().toISOString(), data });
        const delivery: Delivery = {
          id: newId(),
          webhookId: hook.id,
          eventId: JSON.parse(payload).id as string,
          event,
          payload,
          status: 'pending',
          attempts: 0,
          lastStatusCode: null,
          lastError: null,
          createdAt: toRfc3339(),
        };
        store.state.deliveries.push(delivery);
        track(attempt(hook, delivery));
      }
    },
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
