// What each inbox event does. Handlers read the current objects from Stripe (events may arrive out of
// order or be stale), record the sale as an obligation (a document link) and drive it through the engine, whose
// idempotency makes repeats harmless. Once the obligation is recorded the event is done: what keeps the document
// from moving (its parent, Storno down, the connection needing re-authorization) is the document's visible state,
// and the worker's sweep resumes it when the cause clears.
import type { FastifyBaseLogger } from 'fastify';
import type Stripe from 'stripe';
import type { DocumentKind } from '../../../src/api/contract.js';
import type { CustomerMatcher } from '../documents/customers.js';
import { DocumentEngine } from '../documents/engine.js';
import { ReauthorizationRequired } from '../documents/errors.js';
import { coveredByInvoiceMessage, coveringInvoice, findRefundParent } from '../documents/sales.js';
import type { DocumentLink, DocumentStore } from '../documents/store.js';
import type { Connection, ConnectionService } from '../oauth/connections.js';
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
const done = (note: string) => ({ status: 'done' as const, note });

export function createEventHandler(deps: Deps): EventHandler {
  /** Drives a recorded obligation as far as it goes now; what stops it is the document's state, not the event's. */
  async function advance(connection: Connection, link: DocumentLink, run: () => Promise<unknown>) {
    try {
      await run();
      return 'done' as const;
    } catch (err) {
      if (err instanceof ReauthorizationRequired) return done('recorded; waits for the connection to be re-authorized');
      if (DocumentEngine.isTransient(err) && (await deps.documents.byId(connection.id, link.id))) return done('recorded; waits for Storno (retried automatically)');
      throw err;
    }
  }

  /** Records the sale's obligation and drives it as far as it goes now. */
  async function obligation(connection: Connection, kind: DocumentKind, stripeObjectId: string) {
    const link = await deps.documents.ensure({ connectionId: connection.id, kind, stripeObjectId, origin: 'auto' });
    if (connection.status !== 'active') {
      // Due as soon as the merchant reconnects (the sweep skips connections that are not active).
      await deps.documents.dueNow(link.id);
      return done('recorded; waits for the connection to be re-authorized');
    }
    return advance(connection, link, () => deps.engine.driveLink(connection, link, { origin: 'auto' }));
  }

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

    switch (event.type) {
      case 'invoice.finalized':
        if (connection.invoiceTrigger === 'paid') return skipped('e-invoices are made when invoices are paid (connection setting)');
        return obligation(connection, 'invoice', object.id);
      case 'invoice.paid': {
        // Made at finalization already: record the payment on it. Otherwise make it now.
        const link = await deps.documents.find(connection.id, 'invoice', object.id);
        if (!link) return obligation(connection, 'invoice', object.id);
        return advance(connection, link, () => deps.engine.paymentReceived(connection, link));
      }
      case 'invoice.voided':
        if (connection.status !== 'active') throw new ReauthorizationRequired();
        return (await deps.engine.voided(connection, object.id)) ? 'done' : skipped('no e-invoice was made for the voided invoice');
      case 'payment_intent.succeeded': {
        const resolved = await deps.reader.resolvePayment(connection.stripeAccountId, object.id);
        const invoiceId = coveringInvoice(resolved);
        if (invoiceId) return skipped(`belongs to invoice ${invoiceId} (handled by invoice.paid or invoice.finalized)`);
        if (resolved.invoicePending) return skipped(`${coveredByInvoiceMessage(resolved)} (handled by invoice.paid or invoice.finalized)`);
        return obligation(connection, 'payment', object.id);
      }
      case 'charge.refunded':
      case 'refund.created':
      case 'refund.updated': {
        const refundObject = object as unknown as Stripe.Refund;
        const chargeOrPayment = event.type === 'charge.refunded' ? object.id : ((refundObject.payment_intent as string | null) ?? String(refundObject.charge));
        const refunds = await deps.reader.listRefunds(connection.stripeAccountId, chargeOrPayment);
        let made = 0;
        for (const refund of refunds.filter((r) => r.status === 'succeeded')) {
          const { parent } = await findRefundParent(deps, connection, refund.id);
          // Auto mode credits only what it invoiced by itself; manual documents stay the merchant's call. A parent not
          // made yet will be auto mode's: the credit note waits for it.
          if (parent && parent.origin !== 'auto') continue;
          await obligation(connection, 'refund', refund.id);
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
  // Our own submit already moved it there: the event tells nothing a read would add.
  if (event.type === 'invoice.sent_to_provider' && link.status === 'sent_to_provider') return skipped('already sent to the provider');
  await deps.engine.refresh(connection, link);
  return 'done';
}
