// Webhook signatures cover the exact bytes sent: routes registered after this keep a JSON body as its raw text.
import type { FastifyInstance } from 'fastify';

export function rawJsonBody(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}
