// Invoice lifecycle actions (§3.5/§3.6): issue, submit, cancel, restore, validate, events.
import type { FastifyInstance } from 'fastify';
import { principalOf, requirePermission } from '../auth.js';
import type { SandboxContext } from '../context.js';
import { toRfc3339 } from '../dates.js';
import { fail } from '../errors.js';
import { invoiceEventData, recordEvent } from '../events.js';
import { defaultSeries, draftNumber, invoiceDetail, nextNumberOf, validateInvoice } from '../invoices.js';
import { isNegative } from '../money.js';
import { bodyOf, loadInvoice } from './common.js';

const NOT_SUBMITTABLE = ['draft', 'cancelled', 'refunded', 'sent_to_provider', 'synced', 'validated'];

export function lifecycleRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store } = ctx;
  type P = { Params: { id: string } };

  app.post<P>('/api/v1/invoices/:id/issue', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.issue');
    const invoice = loadInvoice(store, principal, request.params.id);
    if (invoice.status !== 'draft') throw fail(422, `Only draft invoices can be issued (status: ${invoice.status}).`);
    const validation = validateInvoice(store, invoice);
    if (!validation.valid) {
      throw fail(422, 'Factura nu a trecut validarea.', { valid: false, errors: validation.errors, warnings: validation.warnings });
    }
    const series =
      (invoice.documentSeriesId && store.state.series.find((s) => s.id === invoice.documentSeriesId)) ||
      defaultSeries(store, invoice.companyId, invoice.documentType);
    if (!series) throw fail(422, `No active document series of type "${invoice.documentType}" for this company.`);
    invoice.number = nextNumberOf(series);
    series.currentNumber += 1;
    invoice.documentSeriesId = series.id;

    const previous = invoice.status;
    const parent = invoice.parentDocumentId ? store.state.invoices.find((p) => p.id === invoice.parentDocumentId) : undefined;
    invoice.status = parent ? 'refund' : 'issued';
    if (parent) {
      const parentPrevious = parent.status;
      parent.status = 'refunded';
      recordEvent(store, parent, parentPrevious, 'refunded', principal.user.email, { refundInvoiceId: invoice.id });
    }
    // Refunds and negative totals are settled by construction.
    if (parent || isNegative(invoice.total)) {
      invoice.amountPaid = invoice.total;
      invoice.paidAt = toRfc3339();
    }
    const company = store.state.companies.find((c) => c.id === invoice.companyId)!;
    const client = invoice.clientId ? store.state.clients.find((c) => c.id === invoice.clientId) : undefined;
    if (company.efacturaDelayHours !== null && (!client || client.country === 'RO')) {
      invoice.scheduledSendAt = toRfc3339(new Date(Date.now() + company.efacturaDelayHours * 3600_000));
    }
    recordEvent(store, invoice, previous, invoice.status, principal.user.email, { number: invoice.number });
    ctx.webhooks.emit(invoice.companyId, 'invoice.issued', invoiceEventData(invoice));
    return {
      status: invoice.status,
      number: invoice.number,
      efacturaDelayHours: company.efacturaDelayHours,
      scheduledSendAt: invoice.scheduledSendAt,
    };
  });

  app.post<P>('/api/v1/invoices/:id/submit', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.issue');
    const invoice = loadInvoice(store, principal, request.params.id);
    if (NOT_SUBMITTABLE.includes(invoice.status) || (invoice.uploaded && invoice.status !== 'rejected')) {
      throw fail(422, `Invoice cannot be submitted to ANAF in status "${invoice.status}".`);
    }
    const client = invoice.clientId ? store.state.clients.find((c) => c.id === invoice.clientId) : undefined;
    // As the real server (storno-api.md §3.5): only a Romanian (or no) client is ever sent, whatever the body says.
    if (client && client.country !== 'RO') {
      throw fail(422, 'Only invoices for clients in Romania are sent to ANAF (client is outside Romania).');
    }
    const company = store.state.companies.find((c) => c.id === invoice.companyId)!;
    if (!company.hasValidToken) throw fail(422, 'No valid ANAF token for this company. Connect ANAF in Settings.');
    ctx.provider.submit(invoice, principal.user.email);
    return { message: 'Invoice queued for ANAF submission.', status: invoice.status };
  });

  app.post<P>('/api/v1/invoices/:id/cancel', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.cancel');
    const invoice = loadInvoice(store, principal, request.params.id);
    const allowed = invoice.status === 'draft' || (invoice.status === 'issued' && !invoice.uploaded);
    if (!allowed) throw fail(422, `Invoice cannot be cancelled in status "${invoice.status}".`);
    const body = bodyOf(request);
    const previous = invoice.status;
    invoice.status = 'cancelled';
    invoice.cancelledAt = toRfc3339();
    invoice.cancellationReason = typeof body.reason === 'string' ? body.reason : null;
    recordEvent(store, invoice, previous, 'cancelled', principal.user.email, { reason: invoice.cancellationReason });
    return invoiceDetail(store, invoice);
  });

  app.post<P>('/api/v1/invoices/:id/restore', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.edit');
    const invoice = loadInvoice(store, principal, request.params.id);
    if (invoice.status !== 'cancelled') throw fail(422, `Only cancelled invoices can be restored (status: ${invoice.status}).`);
    invoice.status = 'draft';
    invoice.cancelledAt = null;
    invoice.cancellationReason = null;
    // Re-issuing takes a new number.
    invoice.number = draftNumber();
    recordEvent(store, invoice, 'cancelled', 'draft', principal.user.email);
    return invoiceDetail(store, invoice);
  });

  app.post<P>('/api/v1/invoices/:id/validate', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.view');
    return validateInvoice(store, loadInvoice(store, principal, request.params.id));
  });

  app.get<P>('/api/v1/invoices/:id/events', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.view');
    const invoice = loadInvoice(store, principal, request.params.id);
    return store.state.invoiceEvents
      .filter((e) => e.invoiceId === invoice.id)
      .reverse() // appended oldest first
      .map(({ id, previousStatus, newStatus, metadata, createdAt, createdBy }) => ({ id, previousStatus, newStatus, metadata, createdAt, createdBy }));
  });
}
