// /api/v1/invoices: create (§3.1), read (§3.3), update/delete (§3.4).
import type { FastifyInstance } from 'fastify';
import { principalOf, requirePermission, resolveCompany } from '../auth.js';
import type { SandboxContext } from '../context.js';
import { fail, problem } from '../errors.js';
import { invoiceEventData, recordEvent } from '../events.js';
import { UUID_RE } from '../ids.js';
import { Big, parseDecimal } from '../money.js';
import type { Invoice } from '../state.js';
import {
  applyHeader,
  applyTotals,
  balanceOf,
  defaultSeries,
  DOCUMENT_TYPES,
  invoiceDetail,
  invoiceListItem,
  isEditable,
  newInvoice,
  parseLines,
  setClient,
  STATUSES,
  validateInvoice,
} from '../invoices.js';
import { bodyOf, loadInvoice, pagination, queryOf } from './common.js';

const SORTS: Record<string, (i: Invoice) => string | number> = {
  number: (i) => i.number,
  issueDate: (i) => i.issueDate,
  total: (i) => Number(i.total),
  status: (i) => i.status,
  direction: (i) => i.direction,
  createdAt: (i) => i.createdAtMs,
};

export function invoiceRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store } = ctx;

  app.post('/api/v1/invoices', async (request, reply) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.create');
    const company = resolveCompany(store, request, principal);
    const body = bodyOf(request);

    // Idempotency (§6.4): body field, looked up globally — not per company.
    const key = body.idempotencyKey;
    if (key !== undefined && key !== null) {
      if (typeof key !== 'string' || key.length > 255) throw fail(400, 'idempotencyKey must be a string of at most 255 characters.');
      const existing = store.state.invoices.find((i) => i.idempotencyKey === key);
      if (existing?.deletedAt) {
        throw fail(400, `An exception occurred while executing a query: Duplicate entry '${key}' for key 'UNIQ_INVOICE_IDEMPOTENCY_KEY'`);
      }
      if (existing) return reply.code(201).send({ invoice: invoiceDetail(store, existing), validation: validateInvoice(store, existing) });
    } else if (typeof body.clientId === 'string' && typeof body.currency === 'string' && body.total !== undefined) {
      // No key: the server's fuzzy dedupe returns a draft made in the last hour for the same client/currency/total.
      const total = parseDecimal(body.total);
      const hourAgo = Date.now() - 3600_000;
      const dup =
        total &&
        store.state.invoices.find(
          (i) =>
            !i.deletedAt && i.status === 'draft' && i.companyId === company.id && i.clientId === body.clientId &&
            i.currency === String(body.currency).toUpperCase() && i.createdAtMs >= hourAgo && new Big(i.total).eq(total),
        );
      if (dup) return reply.code(201).send({ invoice: invoiceDetail(store, dup), validation: validateInvoice(store, dup) });
    }

    const month = new Date().toISOString().slice(0, 7);
    const usageKey = `${company.organizationId}:${month}`;
    const used = store.state.monthlyUsage[usageKey] ?? 0;
    const limit = store.state.organizations.find((o) => o.id === company.organizationId)?.monthlyInvoiceLimit ?? ctx.options.monthlyInvoiceLimit;
    if (used >= limit) {
      throw fail(402, 'Monthly invoice limit reached.', { code: 'PLAN_LIMIT', limit });
    }

    if (!Array.isArray(body.lines) || body.lines.length === 0) throw fail(400, 'At least one invoice line is required.');
    const invoice = newInvoice(company);
    const documentType = body.documentType ?? 'invoice';
    if (!(DOCUMENT_TYPES as readonly unknown[]).includes(documentType)) throw fail(400, `Invalid documentType "${String(documentType)}".`);
    invoice.documentType = documentType as Invoice['documentType'];

    let client = null;
    if (body.clientId !== undefined && body.clientId !== null) {
      const id = String(body.clientId);
      if (!UUID_RE.test(id)) throw problem(500);
      // ⚠ Faithful: the client is not checked against the company.
      client = store.state.clients.find((c) => c.id === id && !c.deletedAt) ?? null;
      if (!client) throw fail(404, 'Client not found.');
      setClient(invoice, client);
    }
    applyHeader(invoice, body, 'create');
    const { lines, rawVatRates } = parseLines(body.lines, client, body);
    invoice.lines = lines;

    if (body.documentSeriesId !== undefined && body.documentSeriesId !== null) {
      const series = store.state.series.find((s) => s.id === body.documentSeriesId && s.companyId === company.id);
      if (!series) throw fail(404, 'Document series not found.');
      invoice.documentSeriesId = series.id;
    } else {
      invoice.documentSeriesId = defaultSeries(store, company.id, invoice.documentType)?.id ?? null;
    }
    if (typeof body.parentDocumentId === 'string') {
      // Silently dropped when unknown or of another company.
      const parent = store.state.invoices.find((p) => p.id === body.parentDocumentId && p.companyId === company.id && !p.deletedAt);
      invoice.parentDocumentId = parent?.id ?? null;
    }
    if (typeof key === 'string') invoice.idempotencyKey = key;
    applyTotals(invoice);

    store.state.invoices.push(invoice);
    store.state.monthlyUsage[usageKey] = used + 1;
    recordEvent(store, invoice, null, 'draft', principal.user.email);
    ctx.webhooks.emit(company.id, 'invoice.created', invoiceEventData(invoice));
    return reply.code(201).send({ invoice: invoiceDetail(store, invoice), validation: validateInvoice(store, invoice, rawVatRates) });
  });

  app.get('/api/v1/invoices', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.view');
    const company = resolveCompany(store, request, principal);
    const q = queryOf(request);
    const { page, limit } = pagination(q);
    // Bad enum values are uncaught exceptions on the real server.
    if (q.status && !(STATUSES as readonly string[]).includes(q.status)) throw problem(500);
    if (q.direction && !['incoming', 'outgoing'].includes(q.direction)) throw problem(500);
    if (q.type && !(DOCUMENT_TYPES as readonly string[]).includes(q.type)) throw problem(500);
    const sortKey = q.sort ?? 'issueDate';
    const sortBy = SORTS[sortKey];
    if (!sortBy) throw problem(500);
    const desc = (q.order ?? 'desc').toLowerCase() !== 'asc';
    const search = q.search?.trim().toLowerCase();

    const rows = store.state.invoices.filter((i) => {
      if (i.deletedAt || i.companyId !== company.id) return false;
      if (q.status && i.status !== q.status) return false;
      if (q.direction && i.direction !== q.direction) return false;
      if (q.type && i.documentType !== q.type) return false;
      if (q.clientId && i.clientId !== q.clientId) return false;
      if (q.currency && i.currency !== q.currency.toUpperCase()) return false;
      if (q.dateFrom && i.issueDate < q.dateFrom.slice(0, 10)) return false;
      if (q.dateTo && i.issueDate > q.dateTo.slice(0, 10)) return false;
      if (q.isPaid === 'true' || q.isPaid === '1') {
        if (!i.paidAt) return false;
      } else if (q.isPaid === 'false' || q.isPaid === '0') {
        if (i.paidAt) return false;
      }
      if (search) {
        const clientName = i.clientId ? store.state.clients.find((c) => c.id === i.clientId)?.name : undefined;
        const hay = [i.number, i.receiverName, i.senderName, i.receiverCif, i.senderCif, clientName];
        if (!hay.some((h) => h?.toLowerCase().includes(search))) return false;
      }
      return true;
    });
    rows.sort((a, b) => {
      const x = sortBy(a);
      const y = sortBy(b);
      const c = x < y ? -1 : x > y ? 1 : b.createdAtMs - a.createdAtMs;
      return desc ? -c : c;
    });
    const sum = (pick: (i: Invoice) => string) => rows.reduce((acc, i) => acc.plus(pick(i)), new Big(0)).toFixed(2);
    const receivable = rows.filter((i) => i.direction === 'outgoing' && i.status !== 'cancelled');
    return {
      data: rows.slice((page - 1) * limit, page * limit).map((i) => invoiceListItem(store, i)),
      total: rows.length,
      page,
      limit,
      currency: company.defaultCurrency,
      distinctCurrencies: [...new Set(rows.map((i) => i.currency))],
      totals: {
        subtotal: sum((i) => i.subtotal),
        vatTotal: sum((i) => i.vatTotal),
        total: sum((i) => i.total),
        receivable: receivable.reduce((acc, i) => acc.plus(balanceOf(i)), new Big(0)).toFixed(2),
        payable: '0.00',
      },
    };
  });

  app.get<{ Params: { id: string } }>('/api/v1/invoices/:id', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.view');
    return invoiceDetail(store, loadInvoice(store, principal, request.params.id));
  });

  app.put<{ Params: { id: string } }>('/api/v1/invoices/:id', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.edit');
    const invoice = loadInvoice(store, principal, request.params.id);
    if (!isEditable(invoice)) throw fail(422, 'Invoice is not editable.');
    const body = bodyOf(request);
    // Work on a copy so a failing update leaves the stored invoice untouched.
    const next: Invoice = structuredClone(invoice);
    let client = next.clientId ? (store.state.clients.find((c) => c.id === next.clientId) ?? null) : null;
    if ('clientId' in body) {
      if (body.clientId === null) {
        next.clientId = null;
        client = null;
      } else {
        const id = String(body.clientId);
        if (!UUID_RE.test(id)) throw problem(500);
        client = store.state.clients.find((c) => c.id === id && !c.deletedAt) ?? null;
        if (!client) throw fail(404, 'Client not found.');
        setClient(next, client);
      }
    }
    if ('documentType' in body) {
      if (!(DOCUMENT_TYPES as readonly unknown[]).includes(body.documentType)) throw problem(500);
      next.documentType = body.documentType as Invoice['documentType'];
    }
    applyHeader(next, body, 'update');
    let rawVatRates: string[] | undefined;
    if ('lines' in body) {
      const parsed = parseLines(body.lines, client, body);
      next.lines = parsed.lines;
      rawVatRates = parsed.rawVatRates;
    }
    if ('documentSeriesId' in body && next.status === 'draft') {
      const series = store.state.series.find((s) => s.id === body.documentSeriesId && s.companyId === next.companyId);
      if (!series) throw fail(404, 'Document series not found.');
      next.documentSeriesId = series.id;
    }
    applyTotals(next);
    Object.assign(invoice, next);
    return { invoice: invoiceDetail(store, invoice), validation: validateInvoice(store, invoice, rawVatRates) };
  });

  app.delete<{ Params: { id: string } }>('/api/v1/invoices/:id', async (request, reply) => {
    const principal = principalOf(request);
    requirePermission(principal, 'invoice.delete');
    const invoice = loadInvoice(store, principal, request.params.id);
    if (invoice.status !== 'draft' && invoice.status !== 'cancelled') {
      throw fail(422, 'Only draft or cancelled invoices can be deleted.');
    }
    const series = invoice.documentSeriesId ? store.state.series.find((s) => s.id === invoice.documentSeriesId) : undefined;
    // Give the number back if this invoice held the series' last, never-uploaded number.
    if (series && !invoice.uploaded && series.currentNumber > 0) {
      const last = `${series.prefix}${String(series.currentNumber).padStart(4, '0')}`;
      if (invoice.number === last) series.currentNumber -= 1;
    }
    invoice.deletedAt = new Date().toISOString();
    return reply.code(204).send();
  });

}
