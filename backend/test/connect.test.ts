// The connect flow: RFC 8628 device grant, consent page, tokens, and the signed-request rule of every data route.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { hashToken } from '../src/oauth/secrets.js';
import { testConfig } from './support/config.js';
import { API, connectAccount, signInOnConsentPage, startDevice } from './support/connect.js';
import { makeTestDatabase, testDatabaseKinds, type TestDatabase } from './support/databases.js';
import { COMPANY_A, COMPANY_B, demoUsers, FakeStornoAccount } from './support/fakeStornoAccount.js';
import { appSignature, authHeaders, browse, CookieJar, csrfFrom, submitForm } from './support/http.js';

const DEVICE_URN = 'urn:ietf:params:oauth:grant-type:device_code';

describe.each(testDatabaseKinds())('connect flow on %s', (kind) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let storno: FakeStornoAccount;
  let n = 0;
  const account = () => `acct_test${kind}${++n}`;

  beforeAll(async () => {
    db = makeTestDatabase(kind);
    storno = new FakeStornoAccount(demoUsers());
    app = buildApp(testConfig({ DATABASE_URL: db.url, PUBLIC_URL: 'http://127.0.0.1:8787' }), { outside: { stornoAccount: storno } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.cleanup();
  });

  async function poll(deviceCode: string, encoding: 'json' | 'form', grantType = DEVICE_URN, extra: Record<string, string> = {}) {
    const fields = { grant_type: grantType, device_code: deviceCode, ...extra };
    return app.inject({
      method: 'POST',
      url: `${API}/token`,
      ...(encoding === 'json'
        ? { payload: fields }
        : { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() }),
    });
  }

  async function dbSnapshot() {
    const p = app.db.prisma;
    return JSON.stringify([
      await p.connection.findMany({ orderBy: { id: 'asc' } }),
      await p.refreshToken.findMany({ orderBy: { id: 'asc' } }),
      await p.deviceGrant.findMany({ orderBy: { id: 'asc' } }),
    ]);
  }

  it('connects end to end: consent shows the account and code, the poll gets tokens, settings show who connected', async () => {
    const acct = account();
    const device = await startDevice(app, acct, 'usr_alice');
    expect(device.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(device.verification_uri_complete).toBe(`http://127.0.0.1:8787/stripe-link?code=${device.user_code}`);
    expect(device.interval).toBeLessThanOrEqual(5);

    const pending = await poll(device.device_code, 'json');
    expect(pending.statusCode).toBe(400);
    expect(pending.json().error).toBe('authorization_pending');
    expect(pending.headers['cache-control']).toBe('no-store');

    const { jar, page } = await signInOnConsentPage(app, storno, device.user_code.toLowerCase().replace('-', ''), 'demo@storno.test');
    expect(page.body).toContain(acct);
    expect(page.body).toContain(device.user_code);
    expect(page.body).toContain('Demo Software SRL (CIF 12345674)');
    expect(page.body).toContain('Second Company SRL (CIF 4221306)');
    expect(page.body).not.toContain(device.device_code);

    const approved = await submitForm(app, jar, `${API}/oauth/approve`, {
      csrf: csrfFrom(page.body),
      user_code: device.user_code,
      company_id: COMPANY_A.id,
      approve: 'true',
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.body).toContain('Connected to Demo Software SRL');

    // The extension waits `interval` seconds between polls; move the last poll back instead of sleeping.
    await app.db.prisma.deviceGrant.updateMany({ where: { deviceCodeHash: hashToken(device.device_code) }, data: { lastPolledAt: new Date(Date.now() - 6_000) } });
    const token = await poll(device.device_code, 'form', 'device_code');
    expect(token.statusCode).toBe(200);
    const tokens = token.json();
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const settings = await app.inject({ url: `${API}/settings`, headers: authHeaders(tokens.access_token, 'usr_alice', acct) });
    expect(settings.statusCode).toBe(200);
    expect(settings.json()).toMatchObject({
      status: 'connected',
      company: { id: COMPANY_A.id, name: 'Demo Software SRL', cif: '12345674' },
      authorizedBy: { email: 'demo@storno.test', name: 'Demo User' },
      autoMode: false,
    });

    // The device code is single use.
    const again = await poll(device.device_code, 'json');
    expect(again.json().error).toBe('invalid_grant');

    // Stored only as hashes / sealed: nothing usable in the database.
    const rows = await app.db.prisma.deviceGrant.findMany();
    expect(JSON.stringify(rows)).not.toContain(device.device_code);
    expect(rows.some((r) => r.deviceCodeHash === hashToken(device.device_code))).toBe(true);
    const connection = await app.db.prisma.connection.findUnique({ where: { stripeAccountId: acct } });
    expect(connection!.stornoCredentials).not.toContain('storno_ort_');
    expect(JSON.stringify(await app.db.prisma.refreshToken.findMany())).not.toContain(tokens.refresh_token);
  });

  describe.each([
    ['json', DEVICE_URN],
    ['form', DEVICE_URN],
    ['json', 'device_code'],
    ['form', 'device_code'],
  ] as const)('RFC 8628 errors with a %s body and grant_type %s', (encoding, grantType) => {
    it('answers authorization_pending, then slow_down adding 5 seconds per fast poll', async () => {
      const device = await startDevice(app, account(), 'usr_poller');
      expect((await poll(device.device_code, encoding, grantType)).json().error).toBe('authorization_pending');
      const fast = await poll(device.device_code, encoding, grantType);
      expect(fast.statusCode).toBe(400);
      expect(fast.json()).toMatchObject({ error: 'slow_down' });
      expect(fast.json().error_description).toContain('10 seconds');
      const faster = await poll(device.device_code, encoding, grantType);
      expect(faster.json().error_description).toContain('15 seconds');
    });

    it('answers access_denied after the merchant denies', async () => {
      const device = await startDevice(app, account(), 'usr_denied');
      const { jar, page } = await signInOnConsentPage(app, storno, device.user_code, 'demo@storno.test');
      const denied = await submitForm(app, jar, `${API}/oauth/approve`, { csrf: csrfFrom(page.body), user_code: device.user_code, approve: 'false' });
      expect(denied.statusCode).toBe(200);
      expect(denied.body).toContain('You denied the connection');
      const res = await poll(device.device_code, encoding, grantType);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('access_denied');
    });

    it('answers expired_token once the code is older than its lifetime', async () => {
      const device = await startDevice(app, account(), 'usr_late');
      await app.db.prisma.deviceGrant.updateMany({ where: { deviceCodeHash: hashToken(device.device_code) }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const res = await poll(device.device_code, encoding, grantType);
      expect(res.json().error).toBe('expired_token');
      const page = await browse(app, new CookieJar(), `/stripe-link?code=${device.user_code}`);
      expect(page.statusCode).toBe(410);
      expect(page.body).toContain('This code has expired');
    });

    it('answers invalid_grant for an unknown code and for another account\'s code', async () => {
      expect((await poll('not-a-real-device-code', encoding, grantType)).json().error).toBe('invalid_grant');
      const device = await startDevice(app, account(), 'usr_x');
      const res = await poll(device.device_code, encoding, grantType, { stripe_account_id: 'acct_someoneelse' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('invalid_grant');
    });
  });

  it('rejects unsupported grant types and incomplete requests the RFC way', async () => {
    const res = await app.inject({ method: 'POST', url: `${API}/token`, payload: { grant_type: 'password' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('unsupported_grant_type');
    const missing = await app.inject({ method: 'POST', url: `${API}/token`, payload: { grant_type: DEVICE_URN } });
    expect(missing.json().error).toBe('invalid_request');
  });

  it('refuses to start a grant without a valid signature for that account', async () => {
    const acct = account();
    const unsigned = await app.inject({ method: 'POST', url: `${API}/oauth/device`, payload: { stripe_account_id: acct, user_id: 'usr_a' } });
    expect(unsigned.statusCode).toBe(401);
    const wrongAccount = await app.inject({
      method: 'POST',
      url: `${API}/oauth/device`,
      headers: { 'stripe-signature': appSignature('usr_a', 'acct_other') },
      payload: { stripe_account_id: acct, user_id: 'usr_a' },
    });
    expect(wrongAccount.statusCode).toBe(401);
    const form = await app.inject({
      method: 'POST',
      url: `${API}/oauth/device`,
      headers: { 'stripe-signature': appSignature('usr_a', acct), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `stripe_account_id=${acct}&user_id=usr_a`,
    });
    expect(form.statusCode).toBe(200);
  });

  it('rate-limits device authorizations per account', async () => {
    const acct = account();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await app.inject({
        method: 'POST',
        url: `${API}/oauth/device`,
        headers: { 'stripe-signature': appSignature('usr_flood', acct) },
        payload: { stripe_account_id: acct, user_id: 'usr_flood' },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expect(res.json()).toMatchObject({ error: 'rate_limited' });
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
  });

  it('rotates refresh tokens; presenting a used one after the grace period revokes the whole family', async () => {
    const acct = account();
    const first = await connectAccount(app, storno, { accountId: acct, userId: 'usr_rot', companyId: COMPANY_A.id });
    const rotated = await app.inject({ method: 'POST', url: `${API}/token`, payload: { grant_type: 'refresh_token', refresh_token: first.refresh_token } });
    expect(rotated.statusCode).toBe(200);
    const second = rotated.json();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await app.inject({ url: `${API}/settings`, headers: authHeaders(second.access_token, 'usr_rot', acct) })).statusCode).toBe(200);

    // Past the grace period a concurrent tab has (REFRESH_GRACE_SECONDS), a second presentation is a leak.
    await app.db.prisma.refreshToken.updateMany({ where: { tokenHash: hashToken(first.refresh_token) }, data: { usedAt: new Date(Date.now() - 31_000) } });
    const replay = await app.inject({ method: 'POST', url: `${API}/token`, payload: { grant_type: 'refresh_token', refresh_token: first.refresh_token } });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error).toBe('invalid_grant');
    // The thief's replay also kills the legitimate holder's newer tokens, and using them changes nothing.
    const before = await dbSnapshot();
    const revoked = await app.inject({ method: 'PUT', url: `${API}/settings`, headers: authHeaders(second.access_token, 'usr_rot', acct), payload: { autoMode: true } });
    expect(revoked.statusCode).toBe(401);
    const next = await app.inject({ method: 'POST', url: `${API}/token`, payload: { grant_type: 'refresh_token', refresh_token: second.refresh_token } });
    expect(next.json().error).toBe('invalid_grant');
    expect(await dbSnapshot()).toBe(before);
  });

  it('isolates accounts: wrong signature, stale signature, disconnected token — each 401 and nothing changes', async () => {
    const acctA = account();
    const acctB = account();
    const a = await connectAccount(app, storno, { accountId: acctA, userId: 'usr_a', companyId: COMPANY_A.id });
    await connectAccount(app, storno, { accountId: acctB, userId: 'usr_b', companyId: COMPANY_A.id });
    const attempt = (headers: Record<string, string>) =>
      app.inject({ method: 'PUT', url: `${API}/settings`, headers, payload: { autoMode: true } });

    const before = await dbSnapshot();
    const crossAccount = await attempt({ authorization: `Bearer ${a.access_token}`, 'stripe-signature': appSignature('usr_b', acctB) });
    expect(crossAccount.statusCode).toBe(401);
    expect(crossAccount.json().error).toBe('unauthorized');
    const stale = await attempt({
      authorization: `Bearer ${a.access_token}`,
      'stripe-signature': appSignature('usr_a', acctA, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    });
    expect(stale.statusCode).toBe(401);
    const otherSecret = await attempt({ authorization: `Bearer ${a.access_token}`, 'stripe-signature': appSignature('usr_a', acctA, { secret: 'absec_wrong' }) });
    expect(otherSecret.statusCode).toBe(401);
    const noToken = await attempt({ 'stripe-signature': appSignature('usr_a', acctA) });
    expect(noToken.statusCode).toBe(401);
    expect(await dbSnapshot()).toBe(before);

    const disconnect = await app.inject({ method: 'POST', url: `${API}/disconnect`, headers: authHeaders(a.access_token, 'usr_a', acctA) });
    expect(disconnect.statusCode).toBe(200);
    const afterDisconnect = await dbSnapshot();
    const dead = await attempt(authHeaders(a.access_token, 'usr_a', acctA));
    expect(dead.statusCode).toBe(401);
    expect(await dbSnapshot()).toBe(afterDisconnect);
    const refresh = await app.inject({ method: 'POST', url: `${API}/token`, payload: { grant_type: 'refresh_token', refresh_token: a.refresh_token } });
    expect(refresh.json().error).toBe('invalid_grant');
    const row = await app.db.prisma.connection.findUnique({ where: { stripeAccountId: acctA } });
    expect(row).toMatchObject({ status: 'disconnected', stornoCredentials: null });
    expect(storno.revoked.length).toBeGreaterThan(0);
  });

  it('adds a second Dashboard user for the same company and refuses a different company while connected', async () => {
    const acct = account();
    await connectAccount(app, storno, { accountId: acct, userId: 'usr_first', companyId: COMPANY_A.id });
    const second = await connectAccount(app, storno, { accountId: acct, userId: 'usr_second', companyId: COMPANY_A.id });
    expect((await app.inject({ url: `${API}/settings`, headers: authHeaders(second.access_token, 'usr_second', acct) })).statusCode).toBe(200);

    const device = await startDevice(app, acct, 'usr_third');
    const { jar, page } = await signInOnConsentPage(app, storno, device.user_code, 'demo@storno.test');
    const refused = await submitForm(app, jar, `${API}/oauth/approve`, { csrf: csrfFrom(page.body), user_code: device.user_code, company_id: COMPANY_B.id, approve: 'true' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('already connected to Demo Software SRL');
    expect(refused.body).toContain('Disconnect it in the app settings first');
  });

  it('refuses (403) a company the Storno user cannot access, and explains a user with no company', async () => {
    const device = await startDevice(app, account(), 'usr_limited');
    const { jar, page } = await signInOnConsentPage(app, storno, device.user_code, 'limited@storno.test');
    expect(page.body).not.toContain('Demo Software SRL');
    const res = await app.inject({
      method: 'POST',
      url: `${API}/oauth/approve`,
      cookies: jar.all,
      headers: { 'x-csrf-token': csrfFrom(page.body) },
      payload: { user_code: device.user_code, company_id: COMPANY_A.id, approve: true },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('forbidden');

    const other = await startDevice(app, account(), 'usr_nobody');
    const nobody = await signInOnConsentPage(app, storno, other.user_code, 'nobody@storno.test');
    expect(nobody.page.body).toContain('has no company');
  });

  it('requires the session cookie and CSRF token to approve', async () => {
    const device = await startDevice(app, account(), 'usr_csrf');
    const { jar } = await signInOnConsentPage(app, storno, device.user_code, 'demo@storno.test');
    const noCookie = await app.inject({ method: 'POST', url: `${API}/oauth/approve`, payload: { user_code: device.user_code, company_id: COMPANY_A.id } });
    expect(noCookie.statusCode).toBe(401);
    const noCsrf = await app.inject({ method: 'POST', url: `${API}/oauth/approve`, cookies: jar.all, payload: { user_code: device.user_code, company_id: COMPANY_A.id } });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('throttles repeated wrong user codes from one browser session', async () => {
    const jar = new CookieJar();
    const page = await browse(app, jar, '/stripe-link');
    expect(page.body).toContain('Enter the code shown in the Stripe Dashboard');
    const csrf = csrfFrom(page.body);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await submitForm(app, jar, '/stripe-link/code', { csrf, user_code: 'BBBB-BBBB' })).statusCode);
    expect(statuses.slice(0, 4)).toEqual([400, 400, 400, 400]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    // Even a right code is refused from that session now.
    const device = await startDevice(app, account(), 'usr_brute');
    const blocked = await submitForm(app, jar, '/stripe-link/code', { csrf, user_code: device.user_code });
    expect(blocked.statusCode).toBe(429);
  });

  it('speaks Romanian by Accept-Language, with a switch to English', async () => {
    const jar = new CookieJar();
    const ro = await jar.absorb(await app.inject({ url: '/stripe-link', headers: { 'accept-language': 'ro-RO,ro;q=0.9' } }));
    expect(ro.body).toContain('Introdu codul afișat în Stripe Dashboard');
    expect(ro.body).toContain('<html lang="ro">');
    const en = await browse(app, jar, '/stripe-link?lang=en');
    expect(en.body).toContain('Enter the code shown in the Stripe Dashboard');
    expect(en.headers['set-cookie']).toBeDefined();
    expect(String(ro.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect(String(ro.headers['set-cookie'])).toMatch(/SameSite=Lax/i);
  });

  it('answers reauthorization_required once Storno refuses the stored credentials', async () => {
    const acct = account();
    const t = await connectAccount(app, storno, { accountId: acct, userId: 'usr_re', companyId: COMPANY_A.id });
    const conn = await app.db.prisma.connection.findUnique({ where: { stripeAccountId: acct } });
    await app.services.connections.markReauthorizationRequired(conn!.id);
    // Data routes that need Storno answer 401 reauthorization_required; Settings still loads, with the state (issue 12).
    const res = await app.inject({ url: `${API}/customers/cus_x`, headers: authHeaders(t.access_token, 'usr_re', acct) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('reauthorization_required');
    const settings = await app.inject({ url: `${API}/settings`, headers: authHeaders(t.access_token, 'usr_re', acct) });
    expect(settings.statusCode).toBe(200);
    expect(settings.json().status).toBe('reauthorization_required');
  });

  it('revokes per RFC 7009 and answers 200 for unknown tokens', async () => {
    const acct = account();
    const t = await connectAccount(app, storno, { accountId: acct, userId: 'usr_rev', companyId: COMPANY_A.id });
    expect((await app.inject({ method: 'POST', url: `${API}/oauth/revoke`, payload: { token: 'nonsense' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `${API}/oauth/revoke`, payload: { token: t.refresh_token } })).statusCode).toBe(200);
    expect((await app.inject({ url: `${API}/settings`, headers: authHeaders(t.access_token, 'usr_rev', acct) })).statusCode).toBe(401);
  });
});

