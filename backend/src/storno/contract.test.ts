// Contract tests: the Storno client against the Storno sandbox (backend/sandbox/storno), for every call the product
// uses and each server quirk of shared/storno-api.md; then the same calls with fault injection switched on.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SANDBOX_SEED, startStornoSandbox, type StornoSandbox } from '../../sandbox/storno/index.js';
import { StornoClient } from './client.js';
import { StornoAuthError, StornoCompanyNotFoundError, StornoConflictError, StornoError, StornoNotFoundError, StornoPlanLimitError, StornoTransientError, StornoValidationError } from './errors.js';
import { StornoHttp, resetCircuitBreakers } from './http.js';
import { StornoOAuth, createCodeVerifier } from './oauth.js';
import type { CreateInvoiceInput, InvoiceTypeCode, OAuthTokens, StornoClientOptions } from './types.js';
import { oauthCredentials } from '../../test/support/tokens.js';

const OAUTH = {
  clientId: 'storno_cid_contract_tests',
  clientSecret: 'storno_cs_contract_tests_secret',
  name: 'Contract tests',
  redirectUris: ['http://127.0.0.1:8787/callback'],
};
const A = SANDBOX_SEED.companies.a;
const B = SANDBOX_SEED.companies.b;
const KEY = SANDBOX_SEED.apiKeys.demo.key;
const FAST_RETRY = { maxAttempts: 4, initialDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 5_000 };
const run = randomUUID().slice(0, 8);

let sandbox: StornoSandbox;
beforeAll(async () => {
  sandbox = await startStornoSandbox({ providerDelayMs: 0, oauthClients: [OAUTH] });
});
afterAll(async () => {
  await sandbox?.close();
});

function client(over: Partial<StornoClientOptions> = {}): StornoClient {
  return new StornoClient({ baseUrl: sandbox.url, credentials: { type: 'apiKey', key: KEY }, companyId: A.id, retry: FAST_RETRY, timeoutMs: 5_000, ...over });
}

async function failure(p: Promise<unknown>): Promise<StornoError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(StornoError);
    return e as StornoError;
  }
  throw new Error('expected the call to fail');
}

/** Setup-only calls outside the client's surface (series management), through the same transport. */
function raw(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown, query?: Record<string, string | number>) {
  const http = new StornoHttp({ baseUrl: sandbox.url, retry: { maxAttempts: 1 } });
  return http.request({ method, path, body, query, schema: z.unknown(), headers: { Authorization: KEY, 'X-Company': A.id }, retry: 'unsafe' });
}

type Row = { id: string; [key: string]: unknown };
/** A list the product never reads (series, invoices, events), read raw to check what the sandbox holds. */
const list = async (path: string, query?: Record<string, string | number>) => (await raw('GET', path, undefined, query)) as { data: Row[]; total: number; limit: number };
async function allInvoices(query: Record<string, string> = {}): Promise<Row[]> {
  const rows: Row[] = [];
  for (let page = 1; ; page++) {
    const res = await list('/api/v1/invoices', { ...query, page, limit: 20 });
    rows.push(...res.data);
    if (res.data.length === 0 || page * res.limit >= res.total) return rows;
  }
}
const events = async (invoiceId: string) => (await raw('GET', `/api/v1/invoices/${invoiceId}/events`)) as Row[];

const line = (over: Partial<CreateInvoiceInput['lines'][number]> = {}) => ({
  description: 'Abonament lunar',
  quantity: '1.0000',
  unitPrice: '100.00',
  vatRate: '21.00',
  unitOfMeasure: 'buc',
  ...over,
});
const draftFor = (over: Partial<CreateInvoiceInput> = {}): CreateInvoiceInput => ({
  clientId: SANDBOX_SEED.clients.roCompany.id,
  currency: 'RON',
  issueDate: new Date().toISOString().slice(0, 10),
  dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
  paymentMethod: 'bank_transfer',
  lines: [line()],
  ...over,
});

/** Drives the sandbox's sign-in and consent HTML forms like a browser would, returning the redirect's code/state. */
async function consent(authorizeUrl: string): Promise<URL> {
  const authUrl = new URL(authorizeUrl);
  const params = Object.fromEntries(authUrl.searchParams);
  const login = await fetch(authorizeUrl);
  expect(login.status).toBe(200);
  expect(await login.text()).toContain('name="password"');
  const signedIn = await fetch(new URL('/oauth2/authorize/login', sandbox.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, email: SANDBOX_SEED.users.demo.email, password: SANDBOX_SEED.users.demo.password }),
  });
  expect(signedIn.status).toBe(303);
  const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
  const consentPage = await fetch(new URL(signedIn.headers.get('location')!, sandbox.url), { headers: { cookie } });
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await consentPage.text())?.[1];
  expect(csrf).toBeTruthy();
  const decided = await fetch(new URL('/oauth2/authorize/decision', sandbox.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...params, csrf_token: csrf!, decision: 'approve' }),
  });
  expect(decided.status).toBe(303);
  return new URL(decided.headers.get('location')!);
}

describe('identity, companies, reference data', () => {
  it('me, companies (list and get)', async () => {
    const c = client();
    expect((await c.me()).email).toBe(SANDBOX_SEED.users.demo.email);
    const companies = await c.listCompanies();
    expect(companies.map((x) => x.id).sort()).toEqual([A.id, B.id].sort());
    const a = await c.getCompany(A.id);
    expect(a).toMatchObject({ id: A.id, name: A.name, cif: A.cif, hasValidToken: true });
  });

  it('403 for a bad API key (no Bearer) is a StornoAuthError', async () => {
    const e = await failure(client({ credentials: { type: 'apiKey', key: 'af_' + '9'.repeat(64) } }).me());
    expect(e).toBeInstanceOf(StornoAuthError);
    expect(e).toMatchObject({ status: 403, code: 'invalid_api_key' });
  });

  it('404 Company not found: unknown company, and a company the restricted user may not see', async () => {
    const unknown = await failure(client({ companyId: randomUUID() }).listVatRates());
    expect(unknown).toBeInstanceOf(StornoCompanyNotFoundError);
    const restricted = client({ credentials: { type: 'apiKey', key: SANDBOX_SEED.apiKeys.restricted.key } });
    expect(await restricted.listVatRates()).not.toHaveLength(0);
    expect(await failure(client({ credentials: { type: 'apiKey', key: SANDBOX_SEED.apiKeys.restricted.key }, companyId: B.id }).listAllClients())).toBeInstanceOf(StornoCompanyNotFoundError);
  });

  it('VAT rates are 2-dp strings with a default standard rate; document series per type', async () => {
    const rates = await client().listVatRates();
    expect(rates.map((r) => r.rate)).toEqual(expect.arrayContaining([...SANDBOX_SEED.vatRates]));
    expect(rates.find((r) => r.isDefault)).toMatchObject({ rate: '21.00', categoryCode: 'S' });
    const series = (await list('/api/v1/document-series')).data;
    expect(series.find((s) => s.id === A.series.invoice)).toMatchObject({ prefix: 'FACT', type: 'invoice', active: true });
    expect(series.find((s) => s.id === A.series.creditNote)).toMatchObject({ prefix: 'STORNO', type: 'credit_note' });
  });

  it('a malformed UUID is the server 500: a typed transient error', async () => {
    const e = await failure(client({ retry: { maxAttempts: 1 } }).getInvoice('not-a-uuid'));
    expect(e).toBeInstanceOf(StornoTransientError);
    expect(e.status).toBe(500);
  });

  it('409 duplicate series prefix is a StornoConflictError', async () => {
    const e = await failure(raw('POST', '/api/v1/document-series', { prefix: 'FACT', type: 'invoice' }));
    expect(e).toBeInstanceOf(StornoConflictError);
  });
});

describe('clients', () => {
  it('clamps limit to 20, pages to the end, searches by substring', async () => {
    const c = client();
    const names = Array.from({ length: 23 }, (_, i) => `Pager ${run} ${String(i).padStart(2, '0')}`);
    for (const name of names) {
      await c.createClient({ name, type: 'individual', address: 'Str. Test 1', city: 'Cluj-Napoca', county: 'Cluj', country: 'RO' });
    }
    const page = await list('/api/v1/clients', { search: `Pager ${run}`, limit: 100 });
    expect(page.limit).toBe(20);
    expect(page.data).toHaveLength(20);
    expect(page.total).toBe(23);
    const all = await c.listAllClients(`Pager ${run}`);
    expect(all.map((x) => x.name).sort()).toEqual(names);
    const seen = (await c.listAllClients(`ager ${run} 2`)).map((row) => row.name);
    expect(seen.sort()).toEqual(names.filter((n) => n.endsWith(' 20') || n.endsWith(' 21') || n.endsWith(' 22')));
    expect((await c.listAllClients('Cluj SRL')).map((x) => x.id)).toContain(SANDBOX_SEED.clients.roCompany.id);
  });

  it('get → {client, invoiceHistory}; create with a known cui → existing:true', async () => {
    const c = client();
    const detail = await c.getClient(SANDBOX_SEED.clients.roCompany.id);
    expect(detail.client).toMatchObject({ name: SANDBOX_SEED.clients.roCompany.name, cui: '4221306' });
    expect(Array.isArray(detail.invoiceHistory)).toBe(true);
    const again = await c.createClient({ name: 'Duplicate attempt', cui: '4221306' });
    expect(again).toMatchObject({ existing: true, client: { id: SANDBOX_SEED.clients.roCompany.id } });
    const created = await c.createClient({ name: `Nou ${run}`, type: 'individual', address: 'Str. A 1', city: 'Iași', county: 'Iași' });
    expect(created.existing).toBeFalsy();
    expect(created.anafValidated).toBeTypeOf('boolean');
  });

  it('422 {errors:[{key,message}]} names the field', async () => {
    const e = await failure(client().createClient({ name: '' }));
    expect(e).toBeInstanceOf(StornoValidationError);
    expect((e as StornoValidationError).issues.some((i) => i.key === 'name')).toBe(true);
  });

  it('unknown client id → StornoNotFoundError', async () => {
    expect(await failure(client().getClient(randomUUID()))).toBeInstanceOf(StornoNotFoundError);
  });
});

describe('invoices', () => {
  it('create → {invoice, validation} with decimal strings; idempotencyKey replay returns the same invoice', async () => {
    const c = client();
    const key = `contract:${run}:idem`;
    const first = await c.createInvoice(draftFor({ idempotencyKey: key, lines: [line({ quantity: '2.0000', unitPrice: '50.00' })] }));
    expect(first.invoice).toMatchObject({ status: 'draft', subtotal: '100.00', vatTotal: '21.00', total: '121.00', currency: 'RON' });
    expect(first.invoice.lines[0]).toMatchObject({ vatRate: '21.00', quantity: '2.0000', unitPrice: '50.00' });
    expect(first.invoice.number).toMatch(/^DRAFT-/);
    expect(first.validation.valid).toBe(true);
    const replay = await c.createInvoice(draftFor({ idempotencyKey: key }));
    expect(replay.invoice.id).toBe(first.invoice.id);
  });

  it('a vatRate that is not one of the company rates fails validation (the draft still exists)', async () => {
    const res = await client().createInvoice(draftFor({ lines: [line({ vatRate: '19.00' })] }));
    expect(res.validation.valid).toBe(false);
    expect(res.invoice.id).toBeTruthy();
  });

  it('invoiceTypeCode "380" → 400 StornoValidationError; words are accepted', async () => {
    const e = await failure(client().createInvoice(draftFor({ invoiceTypeCode: '380' as InvoiceTypeCode })));
    expect(e).toBeInstanceOf(StornoValidationError);
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/invoiceTypeCode/);
    const ok = await client().createInvoice(draftFor({ invoiceTypeCode: 'standard' }));
    expect(ok.invoice.invoiceTypeCode).toBe('standard');
  });

  it('issue numbers consecutively (prefix + 4 digits); issuing twice is a 422 transition error', async () => {
    const c = client();
    const one = await c.createInvoice(draftFor());
    const two = await c.createInvoice(draftFor());
    const n1 = await c.issueInvoice(one.invoice.id);
    const n2 = await c.issueInvoice(two.invoice.id);
    expect(n1.status).toBe('issued');
    expect(n1.number).toMatch(/^FACT\d{4}$/);
    expect(Number(n2.number.slice(4))).toBe(Number(n1.number.slice(4)) + 1);
    const e = await failure(c.issueInvoice(one.invoice.id));
    expect(e).toBeInstanceOf(StornoValidationError);
    expect(e.status).toBe(422);
    expect((await c.getInvoice(one.invoice.id)).number).toBe(n1.number);
  });

  it("issue's UBL validation failure carries rule ids", async () => {
    const c = client();
    const draft = await c.createInvoice({ lines: [line()], currency: 'RON' }); // no buyer at all
    const e = await failure(c.issueInvoice(draft.invoice.id));
    expect(e).toBeInstanceOf(StornoValidationError);
    expect((e as StornoValidationError).ruleIds.length).toBeGreaterThan(0);
  });

  it('update (PUT partial), submit (a draft is refused, an issued invoice goes to the provider), cancel', async () => {
    const c = client();
    const draft = await c.createInvoice(draftFor());
    const updated = await c.updateInvoice(draft.invoice.id, { notes: `note ${run}` });
    expect(updated.invoice.notes).toBe(`note ${run}`);
    expect(updated.invoice.lines).toHaveLength(1);
    // submit a draft → 422
    expect(await failure(c.submitInvoice(draft.invoice.id))).toBeInstanceOf(StornoValidationError);
    await c.issueInvoice(draft.invoice.id);
    const submitted = await c.submitInvoice(draft.invoice.id);
    expect(submitted.status).toBe('sent_to_provider');
    await sandbox.settle();
    expect(['sent_to_provider', 'validated', 'rejected']).toContain((await c.getInvoice(draft.invoice.id)).status);
    expect((await events(draft.invoice.id)).map((e) => e.newStatus)).toEqual(expect.arrayContaining(['draft', 'issued', 'sent_to_provider']));
    // uploaded → cannot be cancelled; a draft can
    expect(await failure(c.cancelInvoice(draft.invoice.id))).toBeInstanceOf(StornoValidationError);
    const other = await c.createInvoice(draftFor());
    expect((await c.cancelInvoice(other.invoice.id, 'test')).status).toBe('cancelled');
  });

  it('refund with parentDocumentId → refund, parent → refunded', async () => {
    const c = client();
    const parent = await c.createInvoice(draftFor());
    await c.issueInvoice(parent.invoice.id);
    const refund = await c.createInvoice(draftFor({ parentDocumentId: parent.invoice.id, lines: [line({ quantity: '-1.0000' })] }));
    expect(refund.invoice.parentDocumentId).toBe(parent.invoice.id);
    expect(refund.invoice.total).toBe('-121.00');
    const issued = await c.issueInvoice(refund.invoice.id);
    expect(issued.status).toBe('refund');
    const p = await c.getInvoice(parent.invoice.id);
    expect(p.status).toBe('refunded');
    expect(p.refundInvoices?.map((r) => r.id)).toContain(refund.invoice.id);
  });

  it('credit_note needs an active credit_note series', async () => {
    const c = client();
    const cn = await c.createInvoice(draftFor({ documentType: 'credit_note', lines: [line({ quantity: '-1.0000' })] }));
    expect(cn.invoice.documentType).toBe('credit_note');
    expect((await c.issueInvoice(cn.invoice.id)).number).toMatch(/^STORNO\d{4}$/);
    await raw('PATCH', `/api/v1/document-series/${A.series.creditNote}`, { active: false });
    try {
      const orphan = await c.createInvoice(draftFor({ documentType: 'credit_note', lines: [line({ quantity: '-1.0000' })] }));
      const e = await failure(c.issueInvoice(orphan.invoice.id));
      expect(e).toBeInstanceOf(StornoValidationError);
      expect(e.message).toMatch(/series/i);
    } finally {
      await raw('PATCH', `/api/v1/document-series/${A.series.creditNote}`, { active: true });
    }
  });

  it('payments: create (decimal string), list, over-balance → 422', async () => {
    const c = client();
    const inv = await c.createInvoice(draftFor());
    await c.issueInvoice(inv.invoice.id);
    const p = await c.createPayment(inv.invoice.id, { amount: '21.00', paymentMethod: 'bank_transfer', reference: `ref-${run}` });
    expect(p.amount).toBe('21.00');
    expect((await c.listPayments(inv.invoice.id)).map((x) => x.id)).toEqual([p.id]);
    expect((await c.getInvoice(inv.invoice.id)).balance).toBe('100.00');
    expect(await failure(c.createPayment(inv.invoice.id, { amount: '500.00', paymentMethod: 'card' }))).toBeInstanceOf(StornoValidationError);
  });

  it('402 PLAN_LIMIT', async () => {
    const limited = await startStornoSandbox({ providerDelayMs: 0, monthlyInvoiceLimit: 0 });
    try {
      const c = new StornoClient({ baseUrl: limited.url, credentials: { type: 'apiKey', key: KEY }, companyId: A.id, retry: FAST_RETRY });
      const e = await failure(c.createInvoice(draftFor()));
      expect(e).toBeInstanceOf(StornoPlanLimitError);
      expect(e.code).toBe('PLAN_LIMIT');
    } finally {
      await limited.close();
    }
  });
});

describe('webhooks', () => {
  it('create (secret once), list, delete', async () => {
    const c = client();
    const hook = await c.createWebhook({ url: 'https://hooks.example.test/storno', events: ['invoice.issued', 'invoice.validated'] });
    expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);
    const list = await c.listWebhooks();
    expect(list.find((w) => w.id === hook.id)).toMatchObject({ url: 'https://hooks.example.test/storno', isActive: true });
    expect(list.find((w) => w.id === hook.id)?.secret).toBeUndefined();
    await c.deleteWebhook(hook.id);
    expect((await c.listWebhooks()).map((w) => w.id)).not.toContain(hook.id);
    expect(await failure(c.createWebhook({ url: 'ftp://nope', events: ['invoice.issued'] }))).toBeInstanceOf(StornoValidationError);
  });
});

describe('OAuth2 (authorization code + PKCE, refresh rotation, replay revocation)', () => {
  const redirectUri = OAUTH.redirectUris[0]!;
  const oauth = () => new StornoOAuth({ baseUrl: sandbox.url, clientId: OAUTH.clientId, clientSecret: OAUTH.clientSecret });

  async function connect(): Promise<OAuthTokens> {
    const verifier = createCodeVerifier();
    const state = randomUUID();
    const back = await consent(oauth().authorizeUrl({ redirectUri, scopes: ['company.view', 'invoice.view', 'client.view'], state, codeVerifier: verifier }));
    expect(back.searchParams.get('state')).toBe(state);
    const code = back.searchParams.get('code')!;
    expect(code).toBeTruthy();
    return oauth().exchangeCode({ code, redirectUri, codeVerifier: verifier });
  }

  it('code + PKCE exchange, then calls with the Bearer token', async () => {
    const tokens = await connect();
    expect(tokens.accessToken).toMatch(/^storno_oat_/);
    expect(tokens.refreshToken).toMatch(/^storno_ort_/);
    const c = client({ credentials: oauthCredentials(tokens, { baseUrl: sandbox.url, ...OAUTH }) });
    expect((await c.me()).email).toBe(SANDBOX_SEED.users.demo.email);
    expect(await c.listCompanies()).toHaveLength(2);
  });

  it('a wrong PKCE verifier and a reused code are invalid_grant', async () => {
    const verifier = createCodeVerifier();
    const back = await consent(oauth().authorizeUrl({ redirectUri, scopes: ['invoice.view'], state: 's', codeVerifier: verifier }));
    const code = back.searchParams.get('code')!;
    const bad = await failure(oauth().exchangeCode({ code, redirectUri, codeVerifier: createCodeVerifier() }));
    expect(bad).toBeInstanceOf(StornoAuthError);
    expect(bad.code).toBe('invalid_grant');
    const again = await consent(oauth().authorizeUrl({ redirectUri, scopes: ['invoice.view'], state: 's2', codeVerifier: verifier }));
    const code2 = again.searchParams.get('code')!;
    await oauth().exchangeCode({ code: code2, redirectUri, codeVerifier: verifier });
    const reused = await failure(oauth().exchangeCode({ code: code2, redirectUri, codeVerifier: verifier }));
    expect(reused).toMatchObject({ code: 'invalid_grant' });
  });

  it('transparent refresh rotates the pair and reports it; replaying a spent refresh token revokes the family', async () => {
    const tokens = await connect();
    const saved: OAuthTokens[] = [];
    const c = client({
      credentials: oauthCredentials({ ...tokens, expiresAt: Date.now() + 10_000 }, { baseUrl: sandbox.url, ...OAUTH }, saved),
    });
    await Promise.all(Array.from({ length: 10 }, () => c.listVatRates()));
    expect(saved).toHaveLength(1);
    expect(saved[0]!.refreshToken).not.toBe(tokens.refreshToken);
    expect(saved[0]!.accessToken).not.toBe(tokens.accessToken);
    // The spent refresh token presented again: invalid_grant, and the whole family is revoked.
    const replay = await failure(oauth().refresh(tokens.refreshToken));
    expect(replay).toBeInstanceOf(StornoAuthError);
    expect(replay.code).toBe('invalid_grant');
    const e = await failure(c.me()); // 401 on the revoked access token → refresh with the revoked refresh token
    expect(e).toBeInstanceOf(StornoAuthError);
  });

  it('a revoked access token gets a 401, which triggers one refresh', async () => {
    const tokens = await connect();
    await oauth().revoke(tokens.accessToken, 'access_token');
    const saved: OAuthTokens[] = [];
    const c = client({ credentials: oauthCredentials(tokens, { baseUrl: sandbox.url, ...OAUTH }, saved) });
    expect((await c.me()).email).toBe(SANDBOX_SEED.users.demo.email);
    expect(saved).toHaveLength(1);
  });

  it('401 with a bogus token and refresh token → StornoAuthError', async () => {
    const c = client({
      credentials: oauthCredentials({ accessToken: 'storno_oat_bogus', refreshToken: 'storno_ort_bogus', expiresAt: Date.now() + 3_600_000 }, { baseUrl: sandbox.url, ...OAUTH }),
    });
    const e = await failure(c.me());
    expect(e).toBeInstanceOf(StornoAuthError);
    expect(e.code).toBe('invalid_grant');
  });

  it('invalid client secret → StornoAuthError invalid_client', async () => {
    const e = await failure(new StornoOAuth({ baseUrl: sandbox.url, clientId: OAUTH.clientId, clientSecret: 'wrong' }).refresh('storno_ort_x'));
    expect(e).toBeInstanceOf(StornoAuthError);
    expect(e.code).toBe('invalid_client');
  });
});

describe('under fault injection', () => {
  const patient = { maxAttempts: 14, initialDelayMs: 5, maxDelayMs: 50, maxRetryAfterMs: 5_000 };
  // A private breaker threshold for this block: the point here is retries, not fail-fast.
  const faulty = () => {
    resetCircuitBreakers();
    return client({ retry: patient, circuitBreaker: { consecutiveFailures: 1_000 } });
  };
  afterAll(() => {
    sandbox.faults.clear();
    resetCircuitBreakers();
  });

  it('safe calls succeed through latency, 5xx, 429 and drops', async () => {
    const c = faulty();
    sandbox.faults.set([{ path: '/api/v1/', errorRate: 0.2, rateLimitRate: 0.05, dropRate: 0.1, latencyMs: 10 }]);
    expect((await c.me()).email).toBe(SANDBOX_SEED.users.demo.email);
    expect(await c.listCompanies()).toHaveLength(2);
    expect(await c.listVatRates()).not.toHaveLength(0);
    expect((await c.getClient(SANDBOX_SEED.clients.roCompany.id)).client.id).toBe(SANDBOX_SEED.clients.roCompany.id);
    expect((await c.createClient({ name: 'x', cui: '4221306' })).existing).toBe(true);
    const key = `contract:${run}:faulty`;
    const a = await c.createInvoice(draftFor({ idempotencyKey: key }));
    const b = await c.createInvoice(draftFor({ idempotencyKey: key }));
    expect(b.invoice.id).toBe(a.invoice.id);
    expect((await c.getInvoice(a.invoice.id)).id).toBe(a.invoice.id);
    expect((await c.listAllClients('Pager')).length).toBeGreaterThan(20);
    expect(await c.listPayments(a.invoice.id)).toEqual([]);
    expect(Array.isArray(await c.listWebhooks())).toBe(true);
    sandbox.faults.clear();
    const mine = (await allInvoices({ direction: 'outgoing' })).filter((i) => i.id === a.invoice.id);
    expect(mine).toHaveLength(1);
  });

  it('with the harsh mix on /api/v1/invoices, every failure is a typed StornoError and nothing is duplicated', async () => {
    const c = faulty();
    const before = (await list('/api/v1/invoices', { direction: 'outgoing' })).total;
    sandbox.faults.set([{ path: '/api/v1/invoices', errorRate: 0.3, rateLimitRate: 0.2, dropRate: 0.1, latencyMs: 50 }]);
    const outcomes: Array<'ok' | string> = [];
    const record = async (p: Promise<unknown>) => {
      try {
        await p;
        outcomes.push('ok');
      } catch (e) {
        expect(e).toBeInstanceOf(StornoError);
        outcomes.push((e as StornoError).code);
      }
    };
    const keyed = await c.createInvoice(draftFor({ idempotencyKey: `contract:${run}:harsh` }));
    expect(keyed.invoice.id).toBeTruthy();
    await record(c.createInvoice(draftFor({ notes: `harsh unkeyed ${run}` })));
    await record(c.issueInvoice(keyed.invoice.id));
    await record(c.submitInvoice(keyed.invoice.id));
    await record(c.createPayment(keyed.invoice.id, { amount: '1.00', paymentMethod: 'card', reference: `harsh-${run}` }));
    await record(c.listAllClients('Pager'));
    sandbox.faults.clear();
    const [unkeyed, issue, , payment] = outcomes;
    expect(outcomes).toHaveLength(5);
    // Nothing happened twice: the keyed draft, plus the unkeyed one only if its call succeeded.
    const after = (await list('/api/v1/invoices', { direction: 'outgoing' })).total;
    expect(after - before).toBe(1 + (unkeyed === 'ok' ? 1 : 0));
    const inv = await c.getInvoice(keyed.invoice.id);
    expect((await events(keyed.invoice.id)).filter((e) => e.newStatus === 'issued')).toHaveLength(issue === 'ok' ? 1 : 0);
    expect(inv.number.startsWith('DRAFT')).toBe(issue !== 'ok');
    expect(await c.listPayments(keyed.invoice.id)).toHaveLength(payment === 'ok' ? 1 : 0);
  });

  it('timeouts are typed', async () => {
    resetCircuitBreakers();
    sandbox.faults.set([{ path: '/api/v1/me', latencyMs: 400 }]);
    const e = await failure(client({ timeoutMs: 100, retry: { maxAttempts: 2, initialDelayMs: 5 } }).me());
    sandbox.faults.clear();
    expect(e).toBeInstanceOf(StornoTransientError);
    expect(e.code).toBe('timeout');
  });

  it('the circuit opens on consecutive 5xx, fails fast, and closes again after the half-open delay', async () => {
    resetCircuitBreakers();
    const c = client({ retry: { maxAttempts: 1 }, circuitBreaker: { consecutiveFailures: 3, halfOpenAfterMs: 300 } });
    sandbox.faults.set([{ path: '/api/v1/vat-rates', errorRate: 1, errorStatus: 503 }]);
    for (let i = 0; i < 3; i++) expect((await failure(c.listVatRates())).status).toBe(503);
    const open = await failure(c.me()); // every path of this Storno is paused
    expect(open).toMatchObject({ code: 'circuit_open' });
    expect(await failure(client({ companyId: B.id }).listVatRates())).toMatchObject({ code: 'circuit_open' });
    sandbox.faults.clear();
    await new Promise((r) => setTimeout(r, 350));
    expect((await c.me()).email).toBe(SANDBOX_SEED.users.demo.email);
    expect(await c.listVatRates()).not.toHaveLength(0);
    resetCircuitBreakers();
  });
});
