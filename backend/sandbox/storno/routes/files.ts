// The invoice's files as the real server serves them (§3.5): `/pdf` inline, `/xml` as an attachment (UBL 2.1).
import type { FastifyInstance } from 'fastify';
import { principalOf, requirePermission } from '../auth.js';
import type { SandboxContext } from '../context.js';
import { fileNameOf, renderPdf, renderUbl } from '../renderings.js';
import { loadInvoice } from './common.js';

export function fileRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store } = ctx;
  type P = { Params: { id: string } };

  const partiesOf = (request: Parameters<typeof principalOf>[0], id: string) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.view');
    const invoice = loadInvoice(store, principal, id);
    const company = store.state.companies.find((c) => c.id === invoice.companyId)!;
    const client = invoice.clientId ? store.state.clients.find((c) => c.id === invoice.clientId) : undefined;
    return { invoice, company, client };
  };

  app.get<P>('/api/v1/invoices/:id/pdf', async (request, reply) => {
    const { invoice, company, client } = partiesOf(request, request.params.id);
    return reply
      .type('application/pdf')
      .header('Content-Disposition', `inline; filename="${fileNameOf(invoice, 'pdf')}"`)
      .send(renderPdf(invoice, company, client));
  });

  app.get<P>('/api/v1/invoices/:id/xml', async (request, reply) => {
    const { invoice, company, client } = partiesOf(request, request.params.id);
    return reply
      .type('application/xml')
      .header('Content-Disposition', `attachment; filename="${fileNameOf(invoice, 'xml')}"`)
      .send(renderUbl(invoice, company, client));
  });
}
