// Routes of the fiscal decisions the merchant takes in the views: confirm a proposed client (an e-mail-only hit on
// a company), "Fix and resend" a rejected document.
// Registered in the authenticated scope (app.ts); params, bodies and answers are checked against src/api/contract.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contract } from '../../../src/api/contract.js';
import { summarize } from '../documents/summary.js';
import { authOf } from '../http/authenticate.js';
import { HttpError } from '../http/errors.js';
import { documentOf } from './documentOf.js';

export const fiscalRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;

  app.route({
    ...contract.confirmClient,
    handler: async (request) => services.views.confirmClient(authOf(request).connection, request.params.id, request.body.clientId),
  });

  app.route({
    ...contract.resendDocument,
    handler: async (request, reply) => {
      const { connection } = authOf(request);
      const link = await documentOf(services.documents, connection.id, request.params.id);
      if (link.status !== 'rejected' || !link.stornoDocumentId) {
        throw new HttpError(409, 'not_rejected', `Only a document the provider rejected can be fixed and resent; this one is ${link.status.replace(/_/g, ' ')}.`);
      }
      return reply.code(200).send(summarize((await services.engine.fixAndResend(connection, link)).link));
    },
  });
};
