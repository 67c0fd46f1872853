// What each inbox event does. Handlers read the current objects from Stripe (events may arrive out of
// order or be stale) and drive documents through the engine, whose idempotency makes repeats harmless.
import type { FastifyBaseLogger } from 'fastify';
import type Stripe from 'stripe';
import type { CustomerMatcher } from '../documents/customers.js';
import type { DocumentEngine } from '../documents/engine.js';
import { coveringInvoice, findRefundParent } from '../documents/sales.js';
import type { DocumentStore } from '../documents/store.js';
import type { ConnectionService } from '../oauth/connections.js';
import { closeConnection } from '../oauth/disconnect.js';
import type { StornoAccountApi } from '../oauth/stornoAccount.js';
import type { TokenService } from '../oauth/tokens.js';
import type { StripeReader } from '../stripe/reader.js';
import type { InboxEvent } from './inbox.js';
import type { EventHandler } from './worker.js';

interface Deps {
  connections: ConnectionService;
  tokens: TokenService;
  stornoAccount: StornoAccountApi;
  documents: DocumentStore;
  engine: DocumentEngine;
  reader: StripeReader;
  customers: CustomerMatcher;
  log: FastifyBaseLogger;
}

const skipped = (note: string) => ({ status: 'skipped' as const, note });

export function createEventHandler(deps: Deps): EventHandler {
  return async (event: InboxEvent) => {
    if (event.source === 'storno') return handleStorno(deps, event);
    const payload = JSON.parse(event.payload) as Stripe.Event;
    const account = event.stripeAccountId;
    const connection = account ? await deps.connections.byAccount(account) : null;
    if (!connection || connection.status === 'disconnected') return skipped('account not connected');
    const object = payload.data.object as unknown as { id: string; object: string };

    switch (event.type) {
      case 'account.application.deauthorized':
        await closeConnection(deps, connection, deps.log);
        return 'done';
      case 'customer.updated':
        await deps.customers.forget(connection.id, object.id);
        return 'done';
    }

    // Auto mode may have been switched off after the event was stored.
    if (!connection.autoMode) return skipped('auto mode is off');
    if (connection.status !== 'active') throw new Error('the connection needs re-authorization; reconnect from the app settings');

    switch (event.type) {
      case 'invoice.paid':
        await deps.engine.drive(connection, 'invoice', object.id, { origin: 'auto' });
        return 'done';
      case 'payment_intent.succeeded': {
        const resolved = await deps.reader.resolvePayment(connection.stripeAccountId, object.id);
        const invoiceId = coveringInvoice(resolved);
        if (invoiceId) return skipped(`belongs to invoice ${invoiceId} (handled by invoice.paid)`);
        await deps.engine.drive(connection, 'payment', object.id, { origin: 'auto' });
        return 'done';
      }
      case 'charge.refunded':
      case 'refund.created':
      case 'refund.updated': {
        const chargeOrPayment = event.type === 'charge.refunded' ? object.id : ((object as unknown as Stripe.Refund).payment_intent as string | null) ?? String((object as unknown as Stripe.Refund).charge);
        const refunds = await deps.reader.listRefunds(connection.stripeAccountId, chargeOrPayment);
        let made = 0;
        for (const refund of refunds.filter((r) => r.status === 'succeeded')) {
          const { parent } = await findRefundParent(deps, connection, refund.id);
          // Auto mode credits only what it invoiced by itself; manual documents stay the merchant's call.
          if (!parent || parent.origin !== 'auto') continue;
          await deps.engine.drive(connection, 'refund', refund.id, { origin: 'auto' });
          made++;
        }
        return made ? 'done' : skipped('no auto-made document for the refunded payment');
      }
      default:
        return skipped('event type not used by this app');
    }
  };
}

/** Storno says a document changed: read its state (webhooks carry no trustworthy status of their own). */
async function handleStorno(deps: Deps, event: InboxEvent) {
  const body = JSON.parse(event.payload) as { data?: { id?: string; invoiceId?: string } };
  const connection = event.stripeAccountId ? await deps.connections.byAccount(event.stripeAccountId) : null;
  const documentId = body.data?.invoiceId ?? body.data?.id;
  if (!connection || !documentId) return skipped('unknown connection or document');
  const link = await deps.documents.byStornoId(connection.id, documentId);
  if (!link) return skipped('not a document of this app');
  await deps.engine.refresh(connection, link);
  return 'done';
}
