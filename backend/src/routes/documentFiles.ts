// "Open PDF" / "Download XML": the extension asks for signed links (a data route, authenticated like every other),
// the browser then opens a link, which this backend answers by fetching the file from Storno (fileLinks.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contract } from '../../../src/api/contract.js';
import { FILE_LINK_TTL_SECONDS, fileNameFor, signFileLink, verifyFileLink, type FileFormat } from '../documents/fileLinks.js';
import { authOf } from '../http/authenticate.js';
import { HttpError, notFound } from '../http/errors.js';
import { documentOf } from './documentOf.js';

/** Registered in the authenticated scope. */
export const documentFileLinkRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services, config } = app;
  app.route({
    ...contract.documentFiles,
    handler: async (request) => {
      const { connection } = authOf(request);
      const link = await documentOf(services.documents, connection.id, request.params.id);
      if (!link.stornoDocumentId) {
        throw new HttpError(409, 'document_not_at_storno', 'This document does not exist at Storno.ro yet, so it has no PDF or XML.');
      }
      const expires = Math.floor(Date.now() / 1000) + FILE_LINK_TTL_SECONDS;
      const base = `${config.publicUrl}${app.prefix}/files/documents/${encodeURIComponent(link.id)}`;
      const url = (format: FileFormat) => {
        const signature = signFileLink(config.stripe.appSecrets, { connectionId: connection.id, documentId: link.id, format, expires });
        return `${base}/${format}?${new URLSearchParams({ connection: connection.id, expires: String(expires), signature })}`;
      };
      return { pdfUrl: url('pdf'), xmlUrl: url('xml'), expiresAt: new Date(expires * 1000).toISOString() };
    },
  });
};

const EXPIRES = /^\d{1,12}$/;

/** Public on purpose: the browser opens it without a token. The signed query is the permission. */
export const documentFileRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services, config } = app;
  app.route({
    ...contract.documentFile,
    handler: async (request, reply) => {
      const { id, format } = request.params;
      const { connection: connectionId, expires, signature } = request.query;
      if (!connectionId || !expires || !EXPIRES.test(expires) || !signature) {
        throw new HttpError(403, 'link_invalid', 'This link is incomplete. Open the document again from the Stripe Dashboard.');
      }
      const claims = { connectionId, documentId: id, format, expires: Number(expires) };
      const check = verifyFileLink(config.stripe.appSecrets, claims, signature, Math.floor(Date.now() / 1000));
      if (check === 'invalid') throw new HttpError(403, 'link_invalid', 'This link is not valid. Open the document again from the Stripe Dashboard.');
      if (check === 'expired') {
        throw new HttpError(403, 'link_expired', 'This link has expired (links work for 5 minutes). Open the document again from the Stripe Dashboard.');
      }
      const connection = await services.connections.byId(connectionId);
      if (!connection || connection.status === 'disconnected') throw new HttpError(403, 'link_invalid', 'This Storno.ro connection was disconnected.');
      const link = await services.documents.byId(connection.id, id);
      if (!link?.stornoDocumentId) throw notFound('No such document.');
      const storno = await services.engine.storno(connection);
      const file = await storno.invoiceFile(link.stornoDocumentId, format);
      return reply
        .type(format === 'pdf' ? 'application/pdf' : 'application/xml; charset=utf-8')
        .header('Content-Disposition', `${format === 'pdf' ? 'inline' : 'attachment'}; filename="${fileNameFor(link.documentNumber, format)}"`)
        .header('Cache-Control', 'private, no-store')
        .header('X-Content-Type-Options', 'nosniff')
        .send(file.bytes);
    },
  });
};
