// Small helpers every route module uses: bodies, pagination as the server clamps it, item lookups scoped
// to the caller's organization (+ allowedCompanies).
import type { FastifyRequest } from 'fastify';
import { assertUuid, canSeeCompany, type Principal } from '../auth.js';
import { fail } from '../errors.js';
import type { Client, Invoice, Store } from '../state.js';

export type Body = Record<string, unknown>;

export const bodyOf = (request: FastifyRequest): Body =>
  request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Body) : {};

export const queryOf = (request: FastifyRequest): Record<string, string | undefined> =>
  (request.query ?? {}) as Record<string, string | undefined>;

/** PHP `(int)` then clamp: page ≥ 1; limit 1..20, default 10 (Pagination::MAX_LIMIT). */
export function pagination(query: Record<string, string | undefined>): { page: number; limit: number } {
  const int = (v: string | undefined) => {
    const n = Number.parseInt(v ?? '', 10);
    return Number.isNaN(n) ? 0 : n;
  };
  const page = Math.max(1, query.page === undefined ? 1 : int(query.page));
  const limit = query.limit === undefined ? 10 : Math.min(20, Math.max(1, int(query.limit)));
  return { page, limit };
}

export function loadInvoice(store: Store, principal: Principal, id: string): Invoice {
  assertUuid(id);
  const invoice = store.state.invoices.find((i) => i.id === id && !i.deletedAt);
  if (!invoice || !canSeeCompany(store, principal, invoice.companyId)) throw fail(404, 'Invoice not found.');
  return invoice;
}

export function loadClient(store: Store, principal: Principal, id: string): Client {
  assertUuid(id);
  const client = store.state.clients.find((c) => c.id === id && !c.deletedAt);
  if (!client || !canSeeCompany(store, principal, client.companyId)) throw fail(404, 'Client not found.');
  return client;
}
