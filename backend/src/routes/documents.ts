// Routes of the extension's views and actions: parse → call a service → shape the answer. They are registered in
// the authenticated scope (app.ts); params, bodies and answers are checked against src/api/contract.ts.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contract, type CreateDocumentRequest, type DocumentKind } from '../../../src/api/contract.js';
import type { DriveResult } from '../documents/engine.js';
import { canRetry } from '../documents/lifecycle.js';
import { assertNotCoveredByInvoice } from '../documents/sales.js';
import { summarize } from '../documents/summary.js';
import { authOf } from '../http/authenticate.js';
import { HttpError, notFound } from '../http/errors.js';
import type { Connection } from '../oauth/connections.js';
import { documentOf } from './documentOf.js';

/** 201 when this request made the document, 200 when it existed (or another request is making it). */
function sendDocument(reply: FastifyReply, result: DriveResult, existedBefore: boolean) {
  return reply.code(existedBefore || result.busy ? 200 : 201).send(summarize(result.link, 'active'));
}

export const documentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;

  async function create(reply: FastifyReply, connection: Connection, kind: DocumentKind, id: string, body: CreateDocumentRequest = {}) {
    const existing = await services.documents.find(connection.id, kind, id);
    const result = existing
      ? await services.engine.driveLink(connection, existing, body)
      : await services.engine.drive(connection, kind, id, { origin: 'manual', ...body });
    return sendDocument(reply, result, Boolean(existing));
  }

  app.route({
    ...contract.getDashboard,
    // Home loads from our own data, also while Storno needs re-authorization (issue 12).
    config: { whileReauthorizing: true },
    handler: async (request) => {
      const { connection } = authOf(request);
      const tab = request.query.tab;
      const [home, failedEvents] = await Promise.all([
        services.documents.dashboard(connection.id, connection.status, tab),
        tab === 'pending' ? [] : services.inbox.failedFor(connection.stripeAccountId),
      ]);
      return { ...home, autoMode: connection.autoMode, failedEvents };
    },
  });

  // A sale whose event failed before it had a document: put the event back in line (errors tab's retry).
  app.route({
    ...contract.retryEvent,
    handler: async (request) => {
      const { connection } = authOf(request);
      if (!(await services.inbox.requeue(request.params.id, connection.stripeAccountId))) throw notFound('No failed event with this id for this account.');
      return { status: 'pending' as const };
    },
  });

  app.route({ ...contract.getCustomer, handler: async (request) => services.views.customer(authOf(request).connection, request.params.id) });

  app.route({
    ...contract.createClient,
    handler: async (request, reply) => reply.code(201).send(await services.views.createClient(authOf(request).connection, request.params.id)),
  });

  app.route({ ...contract.getInvoice, handler: async (request) => services.views.invoice(authOf(request).connection, request.params.id) });

  app.route({
    ...contract.createInvoiceEinvoice,
    handler: async (request, reply) => create(reply, authOf(request).connection, 'invoice', request.params.id, request.body),
  });

  app.route({ ...contract.getPayment, handler: async (request) => services.views.payment(authOf(request).connection, request.params.id) });

  app.route({
    ...contract.createPaymentEinvoice,
    handler: async (request, reply) => {
      const { connection } = authOf(request);
      // A charge and its PaymentIntent are one payment: key the document by the PaymentIntent when there is one.
      const resolved = await services.reader.resolvePayment(connection.stripeAccountId, request.params.id);
      assertNotCoveredByInvoice(resolved);
      return create(reply, connection, 'payment', resolved.paymentIntent?.id ?? resolved.charge!.id, request.body);
    },
  });

  app.route({ ...contract.getRefund, handler: async (request) => services.views.refund(authOf(request).connection, request.params.id) });

  app.route({
    ...contract.createCreditNote,
    handler: async (request, reply) => {
      const { connection } = authOf(request);
      const body = request.body ?? {};
      const id = request.params.id;
      const existing = await services.documents.ofSale(connection.id, 'refund', id);
      if (existing) return sendDocument(reply, await services.engine.driveLink(connection, existing, body), true);
      return create(reply, connection, body.standalone ? 'standalone_refund' : 'refund', id, body);
    },
  });

  app.route({ ...contract.getSubscription, handler: async (request) => services.views.subscription(authOf(request).connection, request.params.id) });

  app.route({
    ...contract.createCycleEinvoice,
    handler: async (request, reply) => {
      const { id: subscriptionId, invoiceId } = request.params;
      const { connection } = authOf(request);
      const invoice = await services.reader.getInvoice(connection.stripeAccountId, invoiceId);
      const parentSub = invoice.parent?.subscription_details?.subscription;
      const ofSubscription = typeof parentSub === 'string' ? parentSub : parentSub?.id;
      if (ofSubscription !== subscriptionId) throw notFound(`Invoice ${invoiceId} is not a billing cycle of subscription ${subscriptionId}.`);
      return create(reply, connection, 'invoice', invoiceId, request.body);
    },
  });

  app.route({
    ...contract.submitDocument,
    handler: async (request, reply) => {
      const { connection } = authOf(request);
      const link = await documentOf(services.documents, connection.id, request.params.id);
      return sendDocument(reply, await services.engine.driveLink(connection, link), true);
    },
  });

  app.route({
    ...contract.retryDocument,
    handler: async (request, reply) => {
      const { connection } = authOf(request);
      const link = await documentOf(services.documents, connection.id, request.params.id);
      const body = request.body ?? {};
      if (canRetry(link)) return sendDocument(reply, await services.engine.retry(connection, link, body), true);
      // Waiting for Storno or its parent, or a refusal retried daily: "retry now" drives it at once.
      if (link.hold || link.nextAttemptAt) return sendDocument(reply, await services.engine.driveLink(connection, link, body), true);
      throw new HttpError(409, 'not_retryable', `Only a rejected, blocked or waiting document can be retried; this one is ${link.status.replace(/_/g, ' ')}.`);
    },
  });
};
