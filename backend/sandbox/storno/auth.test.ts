// Auth and tenancy (§1.1, §1.5, §1.6): the exact error bodies, company resolution, allowedCompanies.
import { SANDBOX_SEED } from './index.js';
import { COMPANY_A, COMPANY_B, kit, type Kit } from './testkit.js';

const S = SANDBOX_SEED;
let k: Kit;
beforeAll(async () => {
  k = await kit();
});
afterAll(async () => {
  await k.sandbox.close();
});

describe('credentials', () => {
  it('no credential → 401 JWT Token not found', async () => {
    const res = await k.sandbox.app.inject({ method: 'GET', url: '/api/v1/companies' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ code: 401, message: 'JWT Token not found' });
  });

  it('unknown API key (no Bearer) → 403 AUTH_HEADER_TOKEN', async () => {
    const res = await k.call('GET', '/api/v1/companies', undefined, { authorization: `af_${'9'.repeat(64)}` });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status_code: 403, message: 'Invalid API Token', error_code: 'AUTH_HEADER_TOKEN' });
    expect(typeof res.body.detail).toBe('string');
  });

  it('unknown OAuth2 token → 401 OAUTH2_AUTH_FAILED; another Bearer value is a bad JWT', async () => {
    const res = await k.call('GET', '/api/v1/companies', undefined, { authorization: `Bearer storno_oat_${'0'.repeat(64)}` });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ status_code: 401, message: 'Invalid OAuth2 token', error_code: 'OAUTH2_AUTH_FAILED' });
    const jwt = await k.call('GET', '/api/v1/companies', undefined, { authorization: 'Bearer eyJhbGciOi.x.y' });
    expect(jwt).toMatchObject({ status: 401, body: { code: 401, message: 'Invalid JWT Token' } });
  });

  it('/me describes the key owner and organization', async () => {
    const me = await k.call('GET', '/api/v1/me');
    expect(me.body).toMatchObject({ email: S.users.demo.email, organization: { id: S.organization.id }, currentRole: 'owner' });
    expect(me.body.memberships).toHaveLength(1);
  });
});

describe('companies', () => {
  it('lists both companies for the demo user as {data}, with cif as a number', async () => {
    const res = await k.call('GET', '/api/v1/companies');
    expect(res.body.data.map((c: { id: string; cif: number }) => [c.id, c.cif])).toEqual([
      [COMPANY_A, 12345674],
      [COMPANY_B, 33333338],
    ]);
    const one = await k.call('GET', `/api/v1/companies/${COMPANY_B}`);
    expect(one.body).toMatchObject({ name: S.companies.b.name, hasValidToken: true, efacturaDelayHours: null, state: 'București' });
  });

  it('the restricted user sees only company A, and company B is "not found" for it', async () => {
    const h = { authorization: S.apiKeys.restricted.key };
    const res = await k.call('GET', '/api/v1/companies', undefined, h);
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([COMPANY_A]);
    expect((await k.call('GET', `/api/v1/companies/${COMPANY_B}`, undefined, h)).status).toBe(404);
    const clients = await k.call('GET', '/api/v1/clients', undefined, { ...h, 'x-company': COMPANY_B });
    expect(clients).toMatchObject({ status: 404, body: { error: 'Company not found.' } });
    // Item endpoints are authorized against allowedCompanies too.
    const bClient = await k.call('GET', `/api/v1/clients/${S.clients.ofCompanyB.id}`, undefined, h);
    expect(bClient.status).toBe(404);
  });
});

describe('company scoping', () => {
  it('?company= wins over X-Company', async () => {
    const res = await k.call('GET', `/api/v1/clients?company=${COMPANY_B}`, undefined, { 'x-company': COMPANY_A });
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([S.clients.ofCompanyB.id]);
  });

  it('no company and two in the organization → 404 {"error":"Company not found."}', async () => {
    const res = await k.call('GET', '/api/v1/vat-rates', undefined, { 'x-company': '' });
    expect(res).toMatchObject({ status: 404, body: { error: 'Company not found.' } });
  });

  it('unknown company uuid → 404; malformed uuid → 500 problem JSON', async () => {
    expect((await k.call('GET', '/api/v1/invoices', undefined, { 'x-company': '0a5e0000-0000-4000-8000-000000000bad' })).status).toBe(404);
    const bad = await k.call('GET', '/api/v1/invoices', undefined, { 'x-company': 'not-a-uuid' });
    expect(bad).toMatchObject({ status: 500, body: { title: 'An error occurred', status: 500 } });
  });

  it('vat-rates and document-series of the company', async () => {
    const rates = await k.call('GET', '/api/v1/vat-rates');
    expect(rates.body.data.map((r: { rate: string; categoryCode: string }) => `${r.rate}/${r.categoryCode}`)).toEqual([
      '21.00/S',
      '11.00/S',
      '9.00/S',
      '5.00/S',
      '0.00/Z',
    ]);
    expect(rates.body.data[0]).toMatchObject({ isDefault: true, isActive: true, position: 0, label: 'Standard' });
    expect(rates.body.data[4].label).toBe('Scutit');
    const series = await k.call('GET', '/api/v1/document-series', undefined, { 'x-company': COMPANY_B });
    expect(series.body.data.map((s: { prefix: string; type: string; nextNumber: string }) => `${s.prefix}/${s.type}/${s.nextNumber}`)).toEqual([
      'FACT/invoice/FACT0001',
      'STORNO/credit_note/STORNO0001',
    ]);
  });
});
