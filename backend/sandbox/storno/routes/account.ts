// Who am I and what can I see: /me, /companies (§1.2, §1.6), VAT rates (§5.1) and document series (§5.2).
import type { FastifyInstance } from 'fastify';
import { assertUuid, principalOf, requirePermission, resolveCompany, visibleCompanies } from '../auth.js';
import type { SandboxContext } from '../context.js';
import { fail } from '../errors.js';
import { newId } from '../ids.js';
import { nextNumberOf } from '../invoices.js';
import { toRfc3339 } from '../dates.js';
import type { Company, DocumentSeries } from '../state.js';
import { bodyOf } from './common.js';

const SERIES_TYPES = ['invoice', 'proforma', 'credit_note', 'delivery_note', 'receipt', 'voucher'];

function companyOut(c: Company): Record<string, unknown> {
  const { organizationId: _o, hasValidToken: _t, createdAt: _c, ...rest } = c;
  return {
    ...rest,
    syncEnabled: false,
    lastSyncedAt: null,
    syncDaysBack: 60,
    archiveEnabled: false,
    archiveRetentionYears: 10,
    enabledModules: ['invoices', 'clients', 'payments'],
    deletedAt: null,
    hardDeleteAt: null,
    stripeConnect: null,
  };
}

const seriesOut = (s: DocumentSeries) => ({
  id: s.id, prefix: s.prefix, currentNumber: s.currentNumber, type: s.type, active: s.active, isDefault: s.isDefault,
  source: s.source, nextNumber: nextNumberOf(s),
});

export function accountRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store } = ctx;

  app.get('/api/v1/me', async (request) => {
    const p = principalOf(request);
    const u = p.user;
    return {
      id: u.id, email: u.email, firstName: u.firstName, lastName: u.lastName, fullName: `${u.firstName} ${u.lastName}`,
      phone: null, locale: 'ro', timezone: 'Europe/Bucharest', respectQuietHours: false, roles: ['ROLE_USER'], active: true,
      emailVerified: true, mfaEnabled: false, hasPassword: true, createdAt: u.createdAt, preferences: {}, avatarUrl: null,
      organization: { id: p.organization.id, name: p.organization.name, slug: p.organization.slug, createdAt: p.organization.createdAt },
      plan: { name: 'business', monthlyInvoiceLimit: ctx.options.monthlyInvoiceLimit },
      memberships: store.state.memberships
        .filter((m) => m.userId === u.id)
        .map((m) => {
          const o = store.state.organizations.find((x) => x.id === m.organizationId)!;
          return { id: m.id, role: m.role, organization: { id: o.id, name: o.name, slug: o.slug } };
        }),
      permissions: [...p.permissions],
      currentRole: p.membership.role,
      impersonating: false,
      impersonator: null,
    };
  });

  app.get('/api/v1/companies', async (request) => {
    const p = principalOf(request);
    requirePermission(p, 'company.view');
    return { data: visibleCompanies(store, p).map(companyOut) };
  });

  app.get<{ Params: { id: string } }>('/api/v1/companies/:id', async (request) => {
    const p = principalOf(request);
    requirePermission(p, 'company.view');
    assertUuid(request.params.id);
    const c = visibleCompanies(store, p).find((x) => x.id === request.params.id);
    if (!c) throw fail(404, 'Company not found.');
    return { ...companyOut(c), hasValidToken: c.hasValidToken };
  });

  app.get('/api/v1/vat-rates', async (request) => {
    const p = principalOf(request);
    const company = resolveCompany(store, request, p);
    const rows = store.state.vatRates
      .filter((r) => r.companyId === company.id)
      .sort((a, b) => a.position - b.position || Number(b.rate) - Number(a.rate));
    return { data: rows.map(({ companyId: _c, ...r }) => r) };
  });

  app.get('/api/v1/document-series', async (request) => {
    const p = principalOf(request);
    requirePermission(p, 'series.view');
    const company = resolveCompany(store, request, p);
    return { data: store.state.series.filter((s) => s.companyId === company.id).map(seriesOut) };
  });

  app.post('/api/v1/document-series', async (request, reply) => {
    const p = principalOf(request);
    requirePermission(p, 'series.manage');
    const company = resolveCompany(store, request, p);
    const body = bodyOf(request);
    if (typeof body.prefix !== 'string' || !body.prefix.trim()) throw fail(400, 'prefix is required.');
    const type = typeof body.type === 'string' ? body.type : 'invoice';
    if (!SERIES_TYPES.includes(type)) throw fail(400, 'Invalid series type.');
    if (store.state.series.some((s) => s.companyId === company.id && s.prefix === body.prefix)) {
      throw fail(409, 'A series with this prefix already exists.');
    }
    const series: DocumentSeries = {
      id: newId(), companyId: company.id, prefix: body.prefix.trim(), type,
      currentNumber: Number.isInteger(body.currentNumber) ? (body.currentNumber as number) : 0,
      active: body.active !== false, isDefault: body.isDefault === true, source: 'manual', createdAt: toRfc3339(),
    };
    if (series.isDefault) for (const s of store.state.series) if (s.companyId === company.id && s.type === type) s.isDefault = false;
    store.state.series.push(series);
    return reply.code(201).send(seriesOut(series));
  });

  app.patch<{ Params: { id: string } }>('/api/v1/document-series/:id', async (request) => {
    const p = principalOf(request);
    requirePermission(p, 'series.manage');
    assertUuid(request.params.id);
    const series = store.state.series.find((s) => s.id === request.params.id && visibleCompanies(store, p).some((c) => c.id === s.companyId));
    if (!series) throw fail(404, 'Document series not found.');
    const body = bodyOf(request);
    if (typeof body.active === 'boolean') series.active = body.active;
    if (typeof body.isDefault === 'boolean') series.isDefault = body.isDefault;
    if (Number.isInteger(body.currentNumber)) series.currentNumber = body.currentNumber as number;
    if (typeof body.prefix === 'string' && body.prefix.trim()) series.prefix = body.prefix.trim();
    return seriesOut(series);
  });
}
