// "Open PDF" / "Download XML": the extension asks for signed links (authenticated like every data route), the
// browser then opens a link, which this backend answers by fetching the file from Storno (fileLinks.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FILE_FORMATS, FILE_LINK_TTL_SECONDS, fileNameFor, signFileLink, verifyFileLink, type FileFormat } from '../documents/fileLinks.js';
import { authenticate, authOf } from '../http/authenticate.js';
import { HttpError, notFound } from '../http/errors.js';

const linkQuery = z.object({
  connection: z.string().min(1).max(100),
  expires: z.coerce.number().int().positive(),
  signature: z.string().max(128),
});

export async function documentFileRoutes(app: FastifyInstance): Promise<void> {
  const { services, config } = app;

  app.post('/documents/:id/files', { preHandler: authenticate }, async (request) => {
    const { connection } = authOf(request);
    const link = await services.documents.byId(connection.id, (request.params as { id: string }).id);
    if (!link) throw notFound('No such document for this account.');
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
  });

  // No bearer token here: the browser opens this page. The signature is the permission.
  app.get('/files/documents/:id/:format', async (request, reply) => {
    const { id, format } = request.params as { id: string; format: string };
    if (!FILE_FORMATS.includes(format as FileFormat)) throw notFound(`No file format "${format}"; use pdf or xml.`);
    const query = linkQuery.safeParse(request.query);
    if (!query.success) throw new HttpError(403, 'link_invalid', 'This link is incomplete. Open the document again from the Stripe Dashboard.');
    const claims = { connectionId: query.data.connection, documentId: id, format: format as FileFormat, expires: query.data.expires };
    const check = verifyFileLink(config.stripe.appSecrets, claims, query.data.signature, Math.floor(Date.now() / 1000));
    if (check === 'invalid') throw new HttpError(403, 'link_invalid', 'This link is not valid. Open the document again from the Stripe Dashboard.');
    if (check === 'expired') throw new HttpError(403, 'link_expired', 'This link has expired (links work for 5 minutes). Open the document again from the Stripe Dashboard.');

    const connection = await services.connections.byId(claims.connectionId);
    if (!connection || connection.status === 'disconnected') throw new HttpError(403, 'link_invalid', 'This Storno.ro connection was disconnected.');
    const link = await services.documents.byId(connection.id, id);
    if (!link?.stornoDocumentId) throw notFound('No such document.');
    const storno = await services.engine.storno(connection);
    const file = await storno.invoiceFile(link.stornoDocumentId, claims.format);
    const disposition = claims.format === 'pdf' ? 'inline' : 'attachment';
    return reply
      .type(claims.format === 'pdf' ? 'application/pdf' : 'application/xml; charset=utf-8')
      .header('Content-Disposition', `${disposition}; filename="${fileNameFor(link.documentNumber, claims.format)}"`)
      .header('Cache-Control', 'private, no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .send(file.bytes);
  });
}
