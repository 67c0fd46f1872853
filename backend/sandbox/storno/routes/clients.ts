// /api/v1/clients (§2): flat paginated list with substring search, detail with invoice history, create with
// the server's cui/vatCode rules and 422 {errors:[{key,message}]}, partial PATCH that propagates to invoices.
import type { FastifyInstance } from 'fastify';
import { principalOf, requirePermission, resolveCompany } from '../auth.js';
import { euVatPrefix, normalizeCounty } from '../cif.js';
import type { SandboxContext } from '../context.js';
import { toRfc3339 } from '../dates.js';
import { fail } from '../errors.js';
import { newId } from '../ids.js';
import { invoiceListItem, isEditable } from '../invoices.js';
import { Big } from '../money.js';
import type { Client, Store } from '../state.js';
import { bodyOf, loadClient, pagination, queryOf, type Body } from './common.js';

const STRING_FIELDS = [
  'cnp', 'vatCode', 'registrationNumber', 'address', 'city', 'postalCode', 'email', 'phone', 'bankName', 'bankAccount',
  'contactPerson', 'notes', 'idNumber', 'clientCode',
] as const;

/** A tiny stand-in for ANAF's company registry: fills missing fields of known Romanian companies. */
const ANAF_REGISTRY: Record<string, Partial<Client>> = {
  '4221306': { name: 'Client Cluj SRL', address: 'Str. Memorandumului 28', city: 'Cluj-Napoca', county: 'Cluj', postalCode: '400114', registrationNumber: 'J12/4321/2001', isVatPayer: true },
  '12345674': { name: 'Demo Software SRL', address: 'Str. Observatorului 12', city: 'Cluj-Napoca', county: 'Cluj', registrationNumber: 'J12/1234/2020', isVatPayer: true },
  '33333338': { name: 'Atelier Digital SRL', address: 'Bd. Unirii 5', city: 'Sector 3', county: 'București', registrationNumber: 'J40/5678/2019', isVatPayer: true },
};

function invoiceStats(store: Store, clientId: string) {
  const invoices = store.state.invoices.filter((i) => i.clientId === clientId && !i.deletedAt && i.direction === 'outgoing');
  const counted = invoices.filter((i) => i.status !== 'draft' && i.status !== 'cancelled');
  const total = counted.reduce((acc, i) => acc.plus(i.total), new Big(0));
  const last = counted.map((i) => i.issueDate).sort().at(-1) ?? null;
  return { invoices, count: counted.length, total: Number(total.toFixed(2)), last };
}

export const clientDetail = (c: Client): Record<string, unknown> => ({
  id: c.id, type: c.type, name: c.name, cui: c.cui, cnp: c.cnp, vatCode: c.vatCode, isVatPayer: c.isVatPayer,
  registrationNumber: c.registrationNumber, address: c.address, city: c.city, county: c.county, country: c.country,
  postalCode: c.postalCode, email: c.email, phone: c.phone, bankName: c.bankName, bankAccount: c.bankAccount,
  defaultPaymentTermDays: c.defaultPaymentTermDays, contactPerson: c.contactPerson, clientCode: c.clientCode, notes: c.notes,
  idNumber: c.idNumber, currency: c.currency, source: c.source, lastSyncedAt: c.lastSyncedAt, einvoiceIdentifiers: [],
  viesValid: c.viesValid, viesValidatedAt: c.viesValidatedAt, viesName: c.viesName,
});

/** The short form create answers with (no county/registrationNumber/phone/postalCode). */
const clientShort = (c: Client): Record<string, unknown> => ({
  id: c.id, type: c.type, name: c.name, cui: c.cui, cnp: c.cnp, vatCode: c.vatCode, isVatPayer: c.isVatPayer,
  address: c.address, city: c.city, country: c.country, email: c.email, source: c.source, viesValid: c.viesValid,
});

const s = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

export function clientRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store } = ctx;

  app.get('/api/v1/clients', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'client.view');
    const company = resolveCompany(store, request, principal);
    const q = queryOf(request);
    const { page, limit } = pagination(q);
    const search = q.search?.trim().toLowerCase();
    let rows = store.state.clients.filter((c) => {
      if (c.deletedAt || c.companyId !== company.id) return false;
      if (q.country && c.country !== q.country.toUpperCase()) return false;
      if (q.vatPayer === 'yes' && !c.isVatPayer) return false;
      if (q.vatPayer === 'no' && c.isVatPayer) return false;
      if (q.source && c.source !== q.source) return false;
      if (search) return [c.name, c.cui, c.cnp, c.email, c.idNumber, c.vatCode].some((v) => v?.toLowerCase().includes(search));
      return true;
    });
    const stats = new Map(rows.map((c) => [c.id, invoiceStats(store, c.id)]));
    if (q.hasInvoices === 'active') rows = rows.filter((c) => stats.get(c.id)!.count > 0);
    if (q.hasInvoices === 'dormant') rows = rows.filter((c) => stats.get(c.id)!.count === 0);
    const sort = q.sort ?? 'recent';
    rows.sort((a, b) => {
      if (sort === 'name') return a.name.localeCompare(b.name, 'ro');
      if (sort === 'mostInvoiced') return stats.get(b.id)!.total - stats.get(a.id)!.total;
      if (sort === 'mostInvoices') return stats.get(b.id)!.count - stats.get(a.id)!.count;
      if (sort === 'recentActivity') return (stats.get(b.id)!.last ?? '').localeCompare(stats.get(a.id)!.last ?? '');
      return b.createdAt.localeCompare(a.createdAt);
    });
    const data = rows.slice((page - 1) * limit, page * limit).map((c) => {
      const st = stats.get(c.id)!;
      return {
        id: c.id, type: c.type, name: c.name, cui: c.cui, cnp: c.cnp, vatCode: c.vatCode, isVatPayer: c.isVatPayer,
        address: c.address, city: c.city, email: c.email, country: c.country, viesValid: c.viesValid, source: c.source,
        invoiceCount: st.count, invoiceTotal: st.total, lastInvoiceDate: st.last, groupCreatedAt: c.createdAt,
      };
    });
    const currencies = new Set(store.state.invoices.filter((i) => i.companyId === company.id && !i.deletedAt).map((i) => i.currency));
    return {
      data,
      total: rows.length,
      page,
      limit,
      currency: company.defaultCurrency,
      hasForeignCurrencies: [...currencies].some((c) => c !== company.defaultCurrency),
      distinctCountries: [...new Set(rows.map((c) => c.country))].sort(),
    };
  });

  app.get<{ Params: { id: string } }>('/api/v1/clients/:id', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'client.view');
    const client = loadClient(store, principal, request.params.id);
    const { page, limit } = pagination(queryOf(request));
    const st = invoiceStats(store, client.id);
    const history = [...st.invoices].sort((a, b) => b.issueDate.localeCompare(a.issueDate) || b.createdAtMs - a.createdAtMs);
    return {
      client: clientDetail(client),
      invoiceHistory: history.slice((page - 1) * limit, page * limit).map((i) => invoiceListItem(store, i)),
      invoiceTotal: st.total.toFixed(2),
      invoiceCount: st.invoices.length,
      deliveryNoteHistory: [],
      deliveryNoteCount: 0,
      receiptHistory: [],
      receiptCount: 0,
    };
  });

  app.post('/api/v1/clients', async (request, reply) => {
    const principal = principalOf(request);
    requirePermission(principal, 'client.create');
    const company = resolveCompany(store, request, principal);
    const body = bodyOf(request);
    const rawCui = s(body.cui);

    // Same raw cui string (compared before "RO" is stripped) → the existing client.
    if (rawCui && rawCui !== '-') {
      const existing = store.state.clients.find((c) => c.companyId === company.id && !c.deletedAt && c.cui === rawCui);
      if (existing) return reply.code(200).send({ client: clientShort(existing), existing: true });
    }

    let country = (s(body.country) ?? 'RO').toUpperCase();
    let type = s(body.type) ?? 'company';
    let cui: string | null = null;
    let vatCode = s(body.vatCode);
    let isVatPayer = body.isVatPayer === true;
    if (rawCui === '-') {
      type = 'individual';
    } else if (rawCui) {
      const upper = rawCui.toUpperCase().replace(/\s+/g, '');
      const eu = euVatPrefix(upper);
      if (/^RO\d+$/.test(upper)) {
        cui = upper.slice(2);
        vatCode = upper;
        country = 'RO';
        isVatPayer = true;
      } else if (eu && eu.prefix !== 'RO') {
        cui = upper;
        vatCode = upper;
        country = eu.country;
      } else {
        cui = rawCui;
      }
    }

    const errors: { key: string; message: string }[] = [];
    const name = s(body.name);
    if (!name) errors.push({ key: 'name', message: 'Numele clientului este obligatoriu.' });
    const anafFills = country === 'RO' && !!cui;
    if (!anafFills) {
      if (!s(body.address)) errors.push({ key: 'address', message: 'Adresa este obligatorie.' });
      if (!s(body.city)) errors.push({ key: 'city', message: 'Localitatea este obligatorie.' });
      if (country === 'RO' && !s(body.county)) errors.push({ key: 'county', message: 'Județul este obligatoriu pentru clienții din România.' });
    }
    if (errors.length > 0) return reply.code(422).send({ errors });

    const client: Client = {
      id: newId(),
      companyId: company.id,
      type,
      name: name!,
      cui,
      cnp: null,
      vatCode,
      isVatPayer,
      registrationNumber: null,
      address: null,
      city: null,
      county: normalizeCounty(s(body.county)),
      country,
      postalCode: null,
      email: null,
      phone: null,
      bankName: null,
      bankAccount: null,
      defaultPaymentTermDays: Number.isInteger(body.defaultPaymentTermDays) ? (body.defaultPaymentTermDays as number) : null,
      contactPerson: null,
      clientCode: null,
      notes: null,
      idNumber: null,
      currency: typeof body.currency === 'string' && /^[A-Z]{3}$/.test(body.currency) ? body.currency : null,
      source: 'manual',
      lastSyncedAt: null,
      viesValid: null,
      viesValidatedAt: null,
      viesName: null,
      createdAt: toRfc3339(),
      deletedAt: null,
    };
    for (const f of STRING_FIELDS) if (f !== 'vatCode') client[f] = s(body[f]);
    // ANAF lookup (RO company + cui): fills only what the caller left empty.
    const registry = anafFills ? ANAF_REGISTRY[cui!] : undefined;
    if (registry) {
      for (const [k, v] of Object.entries(registry) as [keyof Client, never][]) {
        if (client[k] === null || client[k] === undefined || client[k] === false) (client[k] as unknown) = v;
      }
    }
    store.state.clients.push(client);
    return reply.code(201).send({ client: clientShort(client), anafValidated: !!registry });
  });

  app.patch<{ Params: { id: string } }>('/api/v1/clients/:id', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'client.edit');
    const client = loadClient(store, principal, request.params.id);
    const body: Body = bodyOf(request);
    if ('name' in body && !s(body.name)) throw fail(422, 'Numele clientului nu poate fi gol.');
    if ('country' in body && (typeof body.country !== 'string' || !/^[A-Za-z]{2}$/.test(body.country))) throw fail(422, 'Țară invalidă.');
    const before = { name: client.name, cui: client.cui, cnp: client.cnp, vatCode: client.vatCode, isVatPayer: client.isVatPayer, country: client.country };
    if ('name' in body) client.name = s(body.name)!;
    if ('type' in body && s(body.type)) client.type = s(body.type)!;
    if ('cui' in body) client.cui = s(body.cui);
    for (const f of STRING_FIELDS) if (f in body) client[f] = s(body[f]);
    if ('county' in body) client.county = normalizeCounty(s(body.county));
    if ('country' in body) client.country = String(body.country).toUpperCase();
    if ('isVatPayer' in body) client.isVatPayer = body.isVatPayer === true;
    if ('defaultPaymentTermDays' in body) client.defaultPaymentTermDays = Number.isInteger(body.defaultPaymentTermDays) ? (body.defaultPaymentTermDays as number) : null;
    if ('currency' in body) client.currency = s(body.currency);

    // name/cui/cnp/vatCode/isVatPayer/country changes propagate into the client's editable invoices.
    const changed = (Object.keys(before) as (keyof typeof before)[]).some((k) => before[k] !== client[k]);
    let invoicesUpdated = 0;
    if (changed) {
      for (const inv of store.state.invoices) {
        if (inv.clientId !== client.id || inv.deletedAt || !isEditable(inv)) continue;
        inv.receiverName = client.name;
        inv.receiverCif = client.cui ?? client.cnp;
        invoicesUpdated += 1;
      }
    }
    return { client: clientDetail(client), invoicesUpdated };
  });

  app.delete<{ Params: { id: string } }>('/api/v1/clients/:id', async (request, reply) => {
    const principal = principalOf(request);
    requirePermission(principal, 'client.delete');
    const client = loadClient(store, principal, request.params.id);
    client.deletedAt = new Date().toISOString();
    return reply.code(204).send();
  });
}
