// Routes of the extension's views and actions: parse → call a service → shape the answer. Every one of them
// requires the bearer token and a matching Stripe-Signature (authenticate).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { DashboardTab, DocumentKind } from '../../../src/api/contract.js';
import type { DriveResult } from '../documents/engine.js';
import { canRetry } from '../documents/lifecycle.js';
import { summarize } from '../documents/store.js';
import { authenticate, authOf } from '../http/authenticate.js';
import { badRequest, HttpError, notFound } from '../http/errors.js';

const stripeId = (prefixes: string[]) =>
  z.string().regex(new RegExp(`^(${prefixes.join('|')})_[A-Za-z0-9_]+$`), `must be a Stripe id starting with ${prefixes.map((p) => `${p}_`).join(' or ')}`);

const ids = {
  customer: stripeId(['cus']),
  invoice: stripeId(['in']),
  payment: stripeId(['pi', 'ch', 'py']),
  refund: stripeId(['re', 'pyr']),
  subscription: stripeId(['sub']),
};

const createBody = z
  .object({ issueAnyway: z.boolean().optional(), standalone: z.boolean().optional(), confirmLate: z.boolean().optional() })
  .strict()
  .optional();

function param(schema: z.ZodString, value: unknown, what: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(`The ${what} id ${JSON.stringify(value)} ${parsed.error.issues[0].message}.`);
  return parsed.data;
}

/** 201 when this request made the document, 200 when it existed (or another request is making it). */
function sendDocument(reply: FastifyReply, result: DriveResult, existedBefore: boolean) {
  return reply.code(existedBefore || result.busy ? 200 : 201).send(summarize(result.link, 'active'));
}

export async function documentRoutes(app: FastifyInstance): Promise<void> {
  const { services } = app;
  const guarded = { preHandler: authenticate };

  async function create(request: { body: unknown }, reply: FastifyReply, connection: Parameters<typeof services.engine.drive>[0], kind: DocumentKind, id: string) {
    const body = createBody.parse(request.body ?? undefined) ?? {};
    const existing = await services.documents.find(connection.id, kind, id);
    const result = existing
      ? await services.engine.driveLink(connection, existing, body)
      : await services.engine.drive(connection, kind, id, { origin: 'manual', ...body });
    return sendDocument(reply, result, Boolean(existing));
  }

  // Home loads from our own data, also while Storno needs re-authorization (issue 12).
  app.get('/dashboard', { ...guarded, config: { whileReauthorizing: true } }, async (request) => {
    const tab = ((request.query as Record<string, unknown>).tab ?? 'all') as DashboardTab;
    if (!['all', 'pending', 'errors'].includes(tab)) throw badRequest('tab must be one of all, pending, errors.');
    const { connection } = authOf(request);
    const failedEvents = tab === 'pending' ? [] : await services.inbox.failedFor(connection.stripeAccountId);
    return { ...(await services.documents.dashboard(connection.id, connection.status, tab)), autoMode: connection.autoMode, failedEvents };
  });

  // A sale whose event failed before it had a document: put the event back in line (errors tab's retry).
  app.post('/events/:id/retry', guarded, async (request) => {
    const { connection } = authOf(request);
    const requeued = await services.inbox.requeue((request.params as { id: string }).id, connection.stripeAccountId);
    if (!requeued) throw notFound('No failed event with this id for this account.');
    return { status: 'pending' };
  });

  app.get('/customers/:id', guarded, async (request) => {
    const id = param(ids.customer, (request.params as { id: string }).id, 'customer');
    return services.views.customer(authOf(request).connection, id);
  });

  app.post('/customers/:id/client', guarded, async (request, reply) => {
    const id = param(ids.customer, (request.params as { id: string }).id, 'customer');
    return reply.code(201).send(await services.views.createClient(authOf(request).connection, id));
  });

  app.get('/invoices/:id', guarded, async (request) => {
    const id = param(ids.invoice, (request.params as { id: string }).id, 'invoice');
    return services.views.invoice(authOf(request).connection, id);
  });

  app.post('/invoices/:id/einvoice', guarded, async (request, reply) => {
    const id = param(ids.invoice, (request.params as { id: string }).id, 'invoice');
    return create(request, reply, authOf(request).connection, 'invoice', id);
  });

  app.get('/payments/:id', guarded, async (request) => {
    const id = param(ids.payment, (request.params as { id: string }).id, 'payment');
    return services.views.payment(authOf(request).connection, id);
  });

  app.post('/payments/:id/einvoice', guarded, async (request, reply) => {
    const id = param(ids.payment, (request.params as { id: string }).id, 'payment');
    const { connection } = authOf(request);
    // A charge and its PaymentIntent are one payment: key the document by the PaymentIntent when there is one.
    const resolved = await services.reader.resolvePayment(connection.stripeAccountId, id);
    if (resolved.invoiceId) {
      throw new HttpError(409, 'covered_by_invoice', `This payment belongs to Stripe invoice ${resolved.invoiceId}; create the e-invoice from the invoice.`, { invoiceId: resolved.invoiceId });
    }
    return create(request, reply, connection, 'payment', resolved.paymentIntent?.id ?? resolved.charge!.id);
  });

  app.get('/refunds/:id', guarded, async (request) => {
    const id = param(ids.refund, (request.params as { id: string }).id, 'refund');
    return services.views.refund(authOf(request).connection, id);
  });

  app.post('/refunds/:id/credit-note', guarded, async (request, reply) => {
    const id = param(ids.refund, (request.params as { id: string }).id, 'refund');
    const { connection } = authOf(request);
    const body = createBody.parse(request.body ?? undefined) ?? {};
    const existing =
      (await services.documents.find(connection.id, 'refund', id)) ?? (await services.documents.find(connection.id, 'standalone_refund', id));
    if (existing) return sendDocument(reply, await services.engine.driveLink(connection, existing, body), true);
    return create(request, reply, connection, body.standalone ? 'standalone_refund' : 'refund', id);
  });

  app.get('/subscriptions/:id', guarded, async (request) => {
    const id = param(ids.subscription, (request.params as { id: string }).id, 'subscription');
    return services.views.subscription(authOf(request).connection, id);
  });

  app.post('/subscriptions/:id/cycles/:invoiceId/einvoice', guarded, async (request, reply) => {
    const params = request.params as { id: string; invoiceId: string };
    const subscriptionId = param(ids.subscription, params.id, 'subscription');
    const invoiceId = param(ids.invoice, params.invoiceId, 'invoice');
    const { connection } = authOf(request);
    const invoice = await services.reader.getInvoice(connection.stripeAccountId, invoiceId);
    const parentSub = invoice.parent?.subscription_details?.subscription;
    const ofSubscription = typeof parentSub === 'string' ? parentSub : parentSub?.id;
    if (ofSubscription !== subscriptionId) throw notFound(`Invoice ${invoiceId} is not a billing cycle of subscription ${subscriptionId}.`);
    return create(request, reply, connection, 'invoice', invoiceId);
  });

  app.post('/documents/:id/submit', guarded, async (request, reply) => {
    const { connection } = authOf(request);
    const link = await services.documents.byId(connection.id, (request.params as { id: string }).id);
    if (!link) throw notFound('No such document for this account.');
    return sendDocument(reply, await services.engine.driveLink(connection, link), true);
  });

  app.post('/documents/:id/retry', guarded, async (request, reply) => {
    const { connection } = authOf(request);
    const link = await services.documents.byId(connection.id, (request.params as { id: string }).id);
    if (!link) throw notFound('No such document for this account.');
    const body = createBody.parse(request.body ?? undefined) ?? {};
    if (canRetry(link)) return sendDocument(reply, await services.engine.retry(connection, link, body), true);
    // Waiting for Storno or its parent, or a refusal retried daily: "retry now" drives it at once.
    if (link.hold || link.nextAttemptAt) return sendDocument(reply, await services.engine.driveLink(connection, link, body), true);
    throw new HttpError(409, 'not_retryable', `Only a rejected, blocked or waiting document can be retried; this one is ${link.status.replace(/_/g, ' ')}.`);
  });
}
