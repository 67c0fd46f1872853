// Invoice status history (GET /invoices/{id}/events) and the webhook payload every invoice.* event carries.
import { toRfc3339 } from './dates.js';
import { newId } from './ids.js';
import type { Invoice, Store } from './state.js';

export function recordEvent(
  store: Store,
  invoice: Invoice,
  previousStatus: string | null,
  newStatus: string,
  createdBy: string | null,
  metadata: Record<string, unknown> = {},
): void {
  // Appended in order: readers take the array order (reversed) as the time order.
  store.state.invoiceEvents.push({
    id: newId(),
    invoiceId: invoice.id,
    previousStatus,
    newStatus,
    metadata,
    createdAt: toRfc3339(),
    createdAtMs: Date.now(),
    createdBy,
  });
}

/** `{id, number, status, direction, total, currency}` — what the real server sends for invoice.* events. */
export const invoiceEventData = (invoice: Invoice): Record<string, unknown> => ({
  id: invoice.id,
  number: invoice.number,
  status: invoice.status,
  direction: invoice.direction,
  total: invoice.total,
  currency: invoice.currency,
});
