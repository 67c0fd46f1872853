// Clients (§2): flat page with clamped limit, substring search, create rules and short form, PATCH propagation.
import { SANDBOX_SEED } from './index.js';
import { kit, type Kit } from './testkit.js';

let k: Kit;
beforeEach(async () => {
  k = await kit();
});
afterEach(async () => {
  await k.sandbox.close();
});

const ro = (over: Record<string, unknown> = {}) => ({ name: 'Firma Nouă SRL', address: 'Str. Lungă 1', city: 'Brașov', county: 'Brașov', ...over });

describe('list', () => {
  it('answers the flat page envelope with limit clamped to 1..20 (default 10)', async () => {
    for (let i = 0; i < 20; i++) await k.call('POST', '/api/v1/clients', ro({ name: `Firma ${i}` }));
    const def = await k.call('GET', '/api/v1/clients');
    expect(def.status).toBe(200);
    expect(Object.keys(def.body).sort()).toEqual(['currency', 'data', 'distinctCountries', 'hasForeignCurrencies', 'limit', 'page', 'total']);
    expect(def.body).toMatchObject({ total: 23, page: 1, limit: 10, currency: 'RON', hasForeignCurrencies: false, distinctCountries: ['DE', 'RO'] });
    expect(def.body.data).toHaveLength(10);
    expect((await k.call('GET', '/api/v1/clients?limit=100')).body).toMatchObject({ limit: 20 });
    expect((await k.call('GET', '/api/v1/clients?limit=100')).body.data).toHaveLength(20);
    expect((await k.call('GET', '/api/v1/clients?limit=-5')).body.data).toHaveLength(1);
    expect((await k.call('GET', '/api/v1/clients?limit=20&page=2')).body.data).toHaveLength(3);
  });

  it('searches substrings of name, cui, email and vatCode, case-insensitively', async () => {
    const names = async (q: string) =>
      (await k.call('GET', `/api/v1/clients?search=${encodeURIComponent(q)}`)).body.data.map((c: { name: string }) => c.name).sort();
    expect(await names('22130')).toEqual(['Client Cluj SRL']);
    expect(await names('ANA@EXAMPLE')).toEqual(['Ana Popescu']);
    expect(await names('DE1234')).toEqual(['Beispiel GmbH']);
    expect(await names('srl')).toEqual(['Client Cluj SRL']);
    expect(await names('nobody')).toEqual([]);
  });

  it('only lists the selected company', async () => {
    const b = await k.call('GET', '/api/v1/clients', undefined, { 'x-company': SANDBOX_SEED.companies.b.id });
    expect(b.body.data.map((c: { id: string }) => c.id)).toEqual([SANDBOX_SEED.clients.ofCompanyB.id]);
  });
});

describe('create', () => {
  it('"RO" + digits → cui digits + vatCode; 201 short form without county/registrationNumber/phone/postalCode', async () => {
    const res = await k.call('POST', '/api/v1/clients', { name: 'Firma RO', cui: 'RO18547290', address: 'Str. A 1', city: 'Iași', county: 'Iași', phone: '0700' });
    expect(res.status).toBe(201);
    expect(res.body.anafValidated).toBe(false);
    expect(res.body.client).toMatchObject({ cui: '18547290', vatCode: 'RO18547290', country: 'RO', isVatPayer: true });
    for (const hidden of ['county', 'registrationNumber', 'phone', 'postalCode']) expect(res.body.client).not.toHaveProperty(hidden);
    const full = await k.call('GET', `/api/v1/clients/${res.body.client.id}`);
    expect(full.body.client).toMatchObject({ county: 'Iași', phone: '0700' });
    expect(full.body).toMatchObject({ invoiceHistory: [], invoiceCount: 0 });
  });

  it('another EU prefix sets vatCode and country; address and city stay required', async () => {
    const missing = await k.call('POST', '/api/v1/clients', { name: 'Société', cui: 'FR12345678901' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { key: string }) => e.key)).toEqual(['address', 'city']);
    const res = await k.call('POST', '/api/v1/clients', { name: 'Société', cui: 'FR12345678901', address: '1 rue X', city: 'Paris' });
    expect(res.body.client).toMatchObject({ cui: 'FR12345678901', vatCode: 'FR12345678901', country: 'FR' });
  });

  it('the same raw cui string returns the existing client (200, existing:true); "RO" + that cui does not match', async () => {
    const same = await k.call('POST', '/api/v1/clients', { name: 'Oricine', cui: '4221306' });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ existing: true, client: { id: SANDBOX_SEED.clients.roCompany.id } });
    const prefixed = await k.call('POST', '/api/v1/clients', { name: 'Oricine', cui: 'RO4221306' });
    expect(prefixed.status).toBe(201);
    expect(prefixed.body.anafValidated).toBe(true);
  });

  it('422 {errors:[{key,message}]} for a missing name, and for a RO client without cui lacking address/city/county', async () => {
    const res = await k.call('POST', '/api/v1/clients', { country: 'RO' });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { key: string }) => e.key)).toEqual(['name', 'address', 'city', 'county']);
    expect(typeof res.body.errors[0].message).toBe('string');
  });

  it('a RO company with cui needs no address (ANAF fills it in production; here it stays empty unless known)', async () => {
    const res = await k.call('POST', '/api/v1/clients', { name: 'Fără Adresă SRL', cui: '18547290' });
    expect(res.status).toBe(201);
    expect(res.body.client).toMatchObject({ address: null, city: null });
  });
});

describe('update', () => {
  it('PATCH is partial and propagates name/cui into editable invoices', async () => {
    const inv = await k.draft();
    const res = await k.call('PATCH', `/api/v1/clients/${SANDBOX_SEED.clients.roCompany.id}`, { name: 'Client Cluj SA' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ client: { name: 'Client Cluj SA', city: 'Cluj-Napoca', county: 'Cluj' }, invoicesUpdated: 1 });
    expect((await k.call('GET', `/api/v1/invoices/${inv.id}`)).body.receiverName).toBe('Client Cluj SA');
    expect((await k.call('PATCH', `/api/v1/clients/${SANDBOX_SEED.clients.roCompany.id}`, { name: '' })).status).toBe(422);
  });
});
