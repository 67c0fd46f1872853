// Routes of the fiscal decisions the merchant takes in the views: confirm a proposed client (an e-mail-only hit
// on a company), "Fix and resend" a rejected document, "Send to ANAF anyway" a document outside mandatory scope.
// Every one requires the bearer token and a matching Stripe-Signature (authenticate).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { summarize } from '../documents/store.js';
import { authenticate, authOf } from '../http/authenticate.js';
import { badRequest, HttpError, notFound } from '../http/errors.js';

const customerId = z.string().regex(/^cus_[A-Za-z0-9_]+$/, 'must be a Stripe customer id starting with cus_');
const confirmBody = z.object({ clientId: z.string().uuid('must be a Storno client id') }).strict();

export async function fiscalRoutes(app: FastifyInstance): Promise<void> {
  const { services } = app;
  const guarded = { preHandler: authenticate };

  async function documentOf(request: { params: unknown }, connectionId: string) {
    const link = await services.documents.byId(connectionId, (request.params as { id: string }).id);
    if (!link) throw notFound('No such document for this account.');
    return link;
  }

  app.post('/customers/:id/client/confirm', guarded, async (request) => {
    const id = customerId.safeParse((request.params as { id: string }).id);
    if (!id.success) throw badRequest(`The customer id ${id.error.issues[0].message}.`);
    const body = confirmBody.safeParse(request.body ?? {});
    if (!body.success) throw badRequest(`clientId ${body.error.issues[0].message}.`);
    return services.views.confirmClient(authOf(request).connection, id.data, body.data.clientId);
  });

  app.post('/documents/:id/resend', guarded, async (request) => {
    const { connection } = authOf(request);
    const link = await documentOf(request, connection.id);
    if (link.status !== 'rejected' || !link.stornoDocumentId) {
      throw new HttpError(409, 'not_rejected', `Only a document the provider rejected can be fixed and resent; this one is ${link.status.replace(/_/g, ' ')}.`);
    }
    return summarize((await services.engine.fixAndResend(connection, link)).link);
  });

  app.post('/documents/:id/send-anyway', guarded, async (request) => {
    const { connection } = authOf(request);
    const link = await documentOf(request, connection.id);
    if (link.status !== 'issued' || !link.outsideScope) {
      throw new HttpError(409, 'not_outside_scope', 'Only an issued document for a buyer outside Romania waits for "Send to ANAF anyway".');
    }
    return summarize((await services.engine.sendAnyway(connection, link)).link);
  });
}
