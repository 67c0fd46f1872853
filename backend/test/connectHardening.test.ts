// Issue 13: connecting holds up against an attacker and never gets stuck for a merchant. Everything goes through
// HTTP (`inject`, each attacker on an address of its own) against the backend with the Stripe fake behind it.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startStripeFake, type StripeFake } from '../sandbox/stripe/index.js';
import { buildApp } from '../src/app.js';
import { ConfigError } from '../src/config.js';
import { SESSION_COOKIE } from '../src/oauth/consentSessions.js';
import { formatUserCode, hashToken, newUserCode } from '../src/oauth/secrets.js';
import { stornoSignature } from '../src/routes/stornoWebhooks.js';
import { createStripeClient } from '../src/stripe/client.js';
import { TEST_SECRETS, testConfig } from './support/config.js';
import { API, connectAccount, signInOnConsentPage, startDevice } from './support/connect.js';
import { makeTestDatabase, testDatabaseKinds, type TestDatabase } from './support/databases.js';
import { COMPANY_A, demoUsers, FakeStornoAccount } from './support/fakeStornoAccount.js';
import { appSignature, authHeaders, browse, CookieJar, csrfFrom, submitForm } from './support/http.js';

const PUBLIC_URL = 'http://127.0.0.1:8787';

/** A code nobody was given (one the grant table does not hold). */
const wrongCode = () => formatUserCode(newUserCode());

describe.each(testDatabaseKinds())('connect hardening on %s', (kind) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let storno: FakeStornoAccount;
  let stripe: StripeFake;
  const logs: string[] = [];
  let n = 0;
  let address = 0;
  const account = () => `acct_h13${kind}${++n}`;
  /** Each attacker or merchant gets an address of its own: the per-address budgets don't leak between tests. */
  const newAddress = () => `10.13.${Math.floor(++address / 250)}.${address % 250}`;

  beforeAll(async () => {
    db = makeTestDatabase(kind);
    storno = new FakeStornoAccount(demoUsers());
    stripe = await startStripeFake({ secretKey: TEST_SECRETS.STRIPE_SECRET_KEY, webhookSecret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET });
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    app = buildApp(testConfig({ DATABASE_URL: db.url, PUBLIC_URL, LOG_LEVEL: 'info' }), {
      logStream,
      outside: { stornoAccount: storno, stripe: createStripeClient({ secretKey: TEST_SECRETS.STRIPE_SECRET_KEY, apiUrl: stripe.url }) },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.close();
    await db?.cleanup();
  });

  const visit = (url: string, remoteAddress: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, remoteAddress, headers });

  describe('per-address limits', () => {
    it('X-Forwarded-For no longer resets the rate limits (TRUST_PROXY is off by default)', async () => {
      const acct = account();
      const from = newAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) {
        const res = await app.inject({
          method: 'POST',
          url: `${API}/oauth/device`,
          remoteAddress: from,
          headers: { 'stripe-signature': appSignature('usr_xff', acct), 'x-forwarded-for': `203.0.113.${i}` },
          payload: { stripe_account_id: acct, user_id: 'usr_xff' },
        });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
      expect(statuses[20]).toBe(429);

      // The code budget ignores the header too.
      const guesser = newAddress();
      for (let i = 0; i < 30; i++) expect((await visit(`/stripe-link?code=${wrongCode()}`, guesser, { 'x-forwarded-for': `198.51.100.${i}` })).statusCode).toBe(404);
      expect((await visit(`/stripe-link?code=${wrongCode()}`, guesser, { 'x-forwarded-for': '198.51.100.250' })).statusCode).toBe(429);
    });

    it('guessing codes by link hits 429 within the form\'s budget, and then even a right code is refused', async () => {
      const from = newAddress();
      const device = await startDevice(app, account(), 'usr_victim');
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) statuses.push((await visit(`/stripe-link?code=${wrongCode()}`, from)).statusCode);
      expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
      expect(statuses[30]).toBe(429);
      const hit = await visit(`/stripe-link?code=${device.user_code}`, from);
      expect(hit.statusCode).toBe(429);
      expect(hit.body).toContain('Too many wrong codes');
    });

    it('the link and the form draw on one per-address budget', async () => {
      const from = newAddress();
      for (let i = 0; i < 15; i++) expect((await visit(`/stripe-link?code=${wrongCode()}`, from)).statusCode).toBe(404);
      // Fresh browser sessions for the form (each session has its own 5 wrong codes) from the same address.
      let last = 0;
      for (let i = 0; i < 16; i++) {
        const jar = new CookieJar();
        const page = jar.absorb(await app.inject({ url: '/stripe-link', remoteAddress: from }));
        const res = jar.absorb(
          await app.inject({
            method: 'POST',
            url: '/stripe-link/code',
            remoteAddress: from,
            cookies: jar.all,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams({ csrf: csrfFrom(page.body), user_code: wrongCode() }).toString(),
          }),
        );
        last = res.statusCode;
        if (i < 14) expect(res.statusCode).toBe(400);
      }
      expect(last).toBe(429);
    });

    it('a browser keeping its cookie is stopped after 5 wrong codes by link, like the form', async () => {
      const from = newAddress();
      const jar = new CookieJar();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push(jar.absorb(await app.inject({ url: `/stripe-link?code=${wrongCode()}`, remoteAddress: from, cookies: jar.all })).statusCode);
      expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
      // The form of that browser is closed as well.
      const page = jar.absorb(await app.inject({ url: '/stripe-link', remoteAddress: from, cookies: jar.all }));
      expect(page.statusCode).toBe(429);
    });
  });

  describe('what the consent page shows', () => {
    it('a pending code reveals nothing before sign-in; after it, the business name, id, requester, time and a warning', async () => {
      const device = await startDevice(app, DEMO.account, 'usr_requester');
      const cookieless = await visit(device.verification_uri_complete.replace(PUBLIC_URL, ''), newAddress());
      expect(cookieless.statusCode).toBe(200);
      expect(cookieless.body).toContain(device.user_code);
      expect(cookieless.body).toContain('Sign in with Storno.ro');
      for (const secret of [DEMO.account, 'usr_requester', 'Storno Demo SRL']) expect(cookieless.body).not.toContain(secret);

      const { page } = await signInOnConsentPage(app, storno, device.user_code, 'demo@storno.test');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<strong>Storno Demo SRL</strong> (${DEMO.account})`);
      expect(page.body).toContain('Stripe Dashboard user usr_requester');
      expect(page.body).toContain('Requested at');
      expect(page.body).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}T/);
      expect(page.body).toContain('If someone sent you this link or code, deny it');

      const ro = await signInOnConsentPage(app, storno, (await startDevice(app, DEMO.account, 'usr_ro')).user_code, 'demo@storno.test');
      const roPage = await browse(app, ro.jar, '/stripe-link?lang=ro');
      expect(roPage.body).toContain('utilizatorul Stripe Dashboard usr_ro');
      expect(roPage.body).toContain('Dacă cineva ți-a trimis acest link sau cod, refuză');
      expect(roPage.body).toContain('ora României');
    });

    it('still shows the account id when Stripe does not know the account', async () => {
      const acct = account();
      const device = await startDevice(app, acct, 'usr_unknown_acct');
      const { page } = await signInOnConsentPage(app, storno, device.user_code, 'demo@storno.test');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<dd>${acct}</dd>`);
    });

    it('sends nosniff on every consent response', async () => {
      const page = await visit('/stripe-link', newAddress());
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      const approve = await app.inject({ method: 'POST', url: `${API}/oauth/approve`, payload: {} });
      expect(approve.headers['x-content-type-options']).toBe('nosniff');
    });

    it('100 cookieless requests store no consent session', async () => {
      const before = await app.db.prisma.consentSession.count();
      const from = newAddress();
      const device = await startDevice(app, account(), 'usr_many');
      const urls = ['/stripe-link', `/stripe-link?code=${device.user_code}`, '/stripe-link?lang=ro', `/stripe-link?code=${wrongCode()}`];
      for (let i = 0; i < 100; i++) {
        const res = await visit(urls[i % 4], from);
        expect(res.statusCode).toBe(i % 4 === 3 ? 404 : 200);
      }
      expect(await app.db.prisma.consentSession.count()).toBe(before);
    });
  });

  describe('Storno webhooks', () => {
    const secret = 'a1'.repeat(32);
    let connectionId: string;
    beforeAll(async () => {
      const acct = account();
      await connectAccount(app, storno, { accountId: acct, userId: 'usr_hooks', companyId: COMPANY_A.id });
      connectionId = (await app.db.prisma.connection.findUnique({ where: { stripeAccountId: acct } }))!.id;
      await app.services.connections.storeWebhook(connectionId, 'wh_1', secret);
    });
    const deliver = (body: string, headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: `${API}/webhooks/storno/${connectionId}`, headers: { 'content-type': 'application/json', ...headers }, payload: body });
    const events = () => app.db.prisma.inboxEvent.count({ where: { source: 'storno' } });

    it('answers 400 (never 500) to malformed signatures and stores nothing', async () => {
      const body = JSON.stringify({ id: 'evt-sig', event: 'invoice.validated', created_at: '2026-03-01T10:00:00Z', data: {} });
      const good = stornoSignature(secret, body);
      const before = await events();
      for (const signature of ['é'.repeat(64), `${good.slice(0, 63)}é`, good.slice(0, 10), `${good}00`, 'zz'.repeat(32), '']) {
        const res = await deliver(body, { 'x-webhook-signature': signature, 'x-webhook-id': 'd-1' });
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toBe('invalid_signature');
      }
      expect((await deliver(body, { 'x-webhook-id': 'd-1' })).statusCode).toBe(400);
      expect(await events()).toBe(before);
      expect((await deliver(body, { 'x-webhook-signature': good.toUpperCase(), 'x-webhook-id': 'd-1' })).statusCode).toBe(200);
      expect(await events()).toBe(before + 1);
    });

    it('a signed delivery replayed under a new X-Webhook-Id adds nothing', async () => {
      const body = JSON.stringify({ id: 'evt-replay', event: 'invoice.validated', created_at: '2026-03-01T10:00:00Z', data: { id: 'inv-1' } });
      const before = await events();
      const signature = stornoSignature(secret, body);
      expect((await deliver(body, { 'x-webhook-signature': signature, 'x-webhook-id': 'delivery-1' })).statusCode).toBe(200);
      for (const id of ['delivery-2', 'forged', '']) {
        expect((await deliver(body, { 'x-webhook-signature': signature, 'x-webhook-id': id })).statusCode).toBe(200);
      }
      expect(await events()).toBe(before + 1);
      const noId = JSON.stringify({ event: 'invoice.validated', data: {} });
      expect((await deliver(noId, { 'x-webhook-signature': stornoSignature(secret, noId), 'x-webhook-id': 'delivery-3' })).statusCode).toBe(400);
      expect(await events()).toBe(before + 1);
    });
  });

  describe('token endpoint', () => {
    const token = (payload: string, contentType: string) => app.inject({ method: 'POST', url: `${API}/token`, headers: { 'content-type': contentType }, payload });

    it('answers every malformed body with RFC 6749 invalid_request', async () => {
      const cases: [string, string][] = [
        ['{"grant_type": "refresh_token", ', 'application/json'],
        ['', 'application/json'],
        ['[]', 'application/json'],
        ['"refresh_token"', 'application/json'],
        ['null', 'application/json'],
        ['{"grant_type": 7}', 'application/json'],
        ['{"grant_type": "refresh_token", "refresh_token": ["a", "b"]}', 'application/json'],
        ['grant_type=refresh_token&grant_type=refresh_token&refresh_token=x', 'application/x-www-form-urlencoded'],
        ['grant_type=refresh_token', 'application/x-www-form-urlencoded'],
        ['grant_type=device_code', 'application/x-www-form-urlencoded'],
        ['<grant_type>refresh_token</grant_type>', 'application/xml'],
        ['grant_type refresh_token', 'text/plain'],
      ];
      for (const [payload, contentType] of cases) {
        const res = await token(payload, contentType);
        expect({ payload, status: res.statusCode, error: res.json().error }).toEqual({ payload, status: 400, error: 'invalid_request' });
        expect(res.json().error_description).toEqual(expect.any(String));
        expect(res.headers['cache-control']).toBe('no-store');
      }
      const revoke = await app.inject({ method: 'POST', url: `${API}/oauth/revoke`, headers: { 'content-type': 'application/json' }, payload: '{nope' });
      expect(revoke.statusCode).toBe(400);
      expect(revoke.json().error).toBe('invalid_request');
    });

    it('two tabs refreshing at the same moment both keep working', async () => {
      const acct = account();
      const first = await connectAccount(app, storno, { accountId: acct, userId: 'usr_tabs', companyId: COMPANY_A.id });
      const refresh = (refreshToken: string) => app.inject({ method: 'POST', url: `${API}/token`, payload: { grant_type: 'refresh_token', refresh_token: refreshToken } });
      const [a, b] = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token)]);
      expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
      expect(a.json().refresh_token).toBe(b.json().refresh_token);
      for (const tab of [a.json(), b.json()]) {
        expect((await app.inject({ url: `${API}/settings`, headers: authHeaders(tab.access_token, 'usr_tabs', acct) })).statusCode).toBe(200);
      }
      const next = await refresh(a.json().refresh_token);
      expect(next.statusCode).toBe(200);
      expect((await app.inject({ url: `${API}/settings`, headers: authHeaders(next.json().access_token, 'usr_tabs', acct) })).statusCode).toBe(200);
    });
  });

  describe('approvals and reconnecting', () => {
    it('the Storno authorization code never reaches the logs', async () => {
      const device = await startDevice(app, account(), 'usr_logs');
      const jar = new CookieJar();
      const first = await browse(app, jar, `/stripe-link?code=${device.user_code}`);
      const signin = await submitForm(app, jar, '/stripe-link/signin', { csrf: csrfFrom(first.body) });
      const state = new URL(signin.headers.location as string).searchParams.get('state')!;
      const code = storno.issueCode('demo@storno.test');
      const callback = await browse(app, jar, `/stripe-link/callback?code=${code}&state=${state}`);
      expect(callback.statusCode).toBe(303);
      const text = logs.join('');
      expect(text).toContain('/stripe-link/callback?code=%5Bredacted%5D');
      expect(text).not.toContain(code);
      expect(text).not.toContain(state);
      expect(text).not.toContain(device.user_code);
    });

    it('after an approval the session forgets the Storno tokens; a second approval signs in again and binds its own pair', async () => {
      const [acct1, acct2] = [account(), account()];
      const d1 = await startDevice(app, acct1, 'usr_one');
      const { jar, page } = await signInOnConsentPage(app, storno, d1.user_code, 'demo@storno.test');
      const approve = (userCode: string, csrf: string) =>
        submitForm(app, jar, `${API}/oauth/approve`, { csrf, user_code: userCode, company_id: COMPANY_A.id, approve: 'true' });
      expect((await approve(d1.user_code, csrfFrom(page.body))).statusCode).toBe(200);
      const sessionRow = await app.db.prisma.consentSession.findUnique({ where: { id: hashToken(jar.all[SESSION_COOKIE]) } });
      expect(sessionRow).toMatchObject({ stornoCredentials: null, userEmail: null, userCode: null });

      // Same browser, another code: the page asks to sign in again instead of reusing the first pair.
      const d2 = await startDevice(app, acct2, 'usr_two');
      const again = await browse(app, jar, `/stripe-link?code=${d2.user_code}`);
      expect(again.body).toContain('Sign in with Storno.ro');
      expect(again.body).not.toContain('name="company_id"');
      const second = await signInOnConsentPage(app, storno, d2.user_code, 'demo@storno.test', jar);
      expect((await approve(d2.user_code, csrfFrom(second.page.body))).statusCode).toBe(200);

      const [c1, c2] = await Promise.all([acct1, acct2].map((a) => app.db.prisma.connection.findUnique({ where: { stripeAccountId: a } })));
      const [p1, p2] = [app.services.connections.credentials(c1!)!, app.services.connections.credentials(c2!)!];
      expect(p1.refreshToken).not.toBe(p2.refreshToken);
      // Refreshing one pair (Storno rotates it) leaves the other connection's pair usable.
      await storno.refresh(p1.refreshToken);
      expect(await storno.companies(p2.accessToken)).toContainEqual(COMPANY_A);
    });

    it('a lost race binds nothing: of two concurrent approvals of one code, only the winner\'s pair is stored', async () => {
      const acct = account();
      const device = await startDevice(app, acct, 'usr_race');
      const [x, y] = [
        await signInOnConsentPage(app, storno, device.user_code, 'demo@storno.test'),
        await signInOnConsentPage(app, storno, device.user_code, 'demo@storno.test'),
      ];
      const pairOf = async (jar: CookieJar) => {
        const row = await app.db.prisma.consentSession.findUnique({ where: { id: hashToken(jar.all[SESSION_COOKIE]) } });
        return app.services.connections.open(row!.stornoCredentials!);
      };
      const pairs = [await pairOf(x.jar), await pairOf(y.jar)];
      const results = await Promise.all(
        [x, y].map(({ jar, page }) =>
          submitForm(app, jar, `${API}/oauth/approve`, { csrf: csrfFrom(page.body), user_code: device.user_code, company_id: COMPANY_A.id, approve: 'true' }),
        ),
      );
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.find((s) => s !== 200)).toBeGreaterThanOrEqual(400);
      const winner = pairs[statuses.indexOf(200)];
      const connection = await app.db.prisma.connection.findUnique({ where: { stripeAccountId: acct } });
      expect(app.services.connections.credentials(connection!)!.refreshToken).toBe(winner.refreshToken);
    });

    it('connect → disconnect → connect again in the same browser works', async () => {
      const acct = account();
      const jar = new CookieJar();
      const connect = async () => {
        const device = await startDevice(app, acct, 'usr_again');
        const { page } = await signInOnConsentPage(app, storno, device.user_code, 'demo@storno.test', jar);
        expect(page.statusCode).toBe(200);
        const approved = await submitForm(app, jar, `${API}/oauth/approve`, { csrf: csrfFrom(page.body), user_code: device.user_code, company_id: COMPANY_A.id, approve: 'true' });
        expect(approved.statusCode).toBe(200);
        const token = await app.inject({ method: 'POST', url: `${API}/token`, payload: { grant_type: 'device_code', device_code: device.device_code } });
        expect(token.statusCode).toBe(200);
        return token.json() as { access_token: string };
      };
      const first = await connect();
      const stored = app.services.connections.credentials((await app.db.prisma.connection.findUnique({ where: { stripeAccountId: acct } }))!)!;
      expect((await app.inject({ method: 'POST', url: `${API}/disconnect`, headers: authHeaders(first.access_token, 'usr_again', acct) })).statusCode).toBe(200);
      expect(storno.revoked).toContain(stored.refreshToken);

      const second = await connect();
      const settings = await app.inject({ url: `${API}/settings`, headers: authHeaders(second.access_token, 'usr_again', acct) });
      expect(settings.json()).toMatchObject({ status: 'connected', company: { id: COMPANY_A.id } });
    });

    it('a consent session whose Storno tokens were revoked asks to sign in again instead of failing', async () => {
      const device = await startDevice(app, account(), 'usr_revoked');
      const { jar } = await signInOnConsentPage(app, storno, device.user_code, 'demo@storno.test');
      const row = await app.db.prisma.consentSession.findUnique({ where: { id: hashToken(jar.all[SESSION_COOKIE]) } });
      await storno.revoke(app.services.connections.open(row!.stornoCredentials!).accessToken);
      const page = await browse(app, jar, '/stripe-link');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Sign in with Storno.ro');
    });

    it('account.application.deauthorized revokes the connection\'s tokens at Storno and ours', async () => {
      const acct = account();
      const tokens = await connectAccount(app, storno, { accountId: acct, userId: 'usr_deauth', companyId: COMPANY_A.id });
      const stored = app.services.connections.credentials((await app.db.prisma.connection.findUnique({ where: { stripeAccountId: acct } }))!)!;
      const payload = JSON.stringify({
        id: `evt_deauth_${acct}`,
        object: 'event',
        api_version: '2026-10-28.endive',
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        type: 'account.application.deauthorized',
        account: acct,
        data: { object: { id: 'ca_app', object: 'application', name: 'Storno' } },
      });
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET });
      const intake = await app.inject({ method: 'POST', url: `${API}/webhooks/stripe`, headers: { 'content-type': 'application/json', 'stripe-signature': header }, payload });
      expect(intake.statusCode).toBe(200);
      while ((await app.services.worker.drainOnce()) > 0);
      expect(storno.revoked).toContain(stored.refreshToken);
      expect(await app.db.prisma.connection.findUnique({ where: { stripeAccountId: acct } })).toMatchObject({ status: 'disconnected', stornoCredentials: null });
      expect((await app.inject({ url: `${API}/settings`, headers: authHeaders(tokens.access_token, 'usr_deauth', acct) })).statusCode).toBe(401);
    });
  });

  it('the worker deletes expired sessions, finished grants and old processed events, and keeps the rest', async () => {
    const p = app.db.prisma;
    const past = new Date(Date.now() - 60_000);
    const old = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    await p.consentSession.createMany({
      data: [
        { id: 'h13-expired', csrfToken: 'x', expiresAt: past },
        { id: 'h13-live', csrfToken: 'x', expiresAt: new Date(Date.now() + 600_000) },
      ],
    });
    const grant = (id: string, status: string, expiresAt: Date) => ({
      id,
      deviceCodeHash: `hash-${id}`,
      userCode: newUserCode(),
      stripeAccountId: 'acct_ret',
      stripeUserId: 'usr_ret',
      status,
      intervalSeconds: 5,
      expiresAt,
    });
    const soon = new Date(Date.now() + 600_000);
    await p.deviceGrant.createMany({
      data: [grant('g-expired', 'pending', past), grant('g-consumed', 'consumed', soon), grant('g-pending', 'pending', soon), grant('g-denied', 'denied', soon)],
    });
    const event = (eventId: string, status: string, processedAt: Date | null) => ({
      id: `ie-${eventId}`,
      source: 'stripe',
      eventId,
      type: 'invoice.paid',
      payload: '{}',
      status,
      processedAt,
    });
    await p.inboxEvent.createMany({
      data: [event('old-done', 'done', old), event('old-skipped', 'skipped', old), event('new-done', 'done', new Date()), event('old-failed', 'failed', old), event('pending', 'pending', null)],
    });

    app.services.worker.start();
    try {
      for (let i = 0; (await p.consentSession.count({ where: { id: 'h13-expired' } })) > 0; i++) {
        if (i > 200) throw new Error('the worker never pruned');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await app.services.worker.stop();
    }
    expect((await p.consentSession.findMany({ where: { id: { startsWith: 'h13-' } } })).map((s) => s.id)).toEqual(['h13-live']);
    expect((await p.deviceGrant.findMany({ where: { stripeAccountId: 'acct_ret' }, orderBy: { id: 'asc' } })).map((g) => g.id)).toEqual(['g-denied', 'g-pending']);
    const events = (await p.inboxEvent.findMany({ where: { id: { startsWith: 'ie-' } }, orderBy: { id: 'asc' } })).map((e) => e.eventId);
    expect(events).toEqual(['new-done', 'old-failed', 'pending']);
  });
});

describe('proxy trust and cookies are configuration', () => {
  it('TRUST_PROXY: off by default, a hop count or an address list; anything else is refused', () => {
    expect(testConfig().trustProxy).toBe(false);
    expect(testConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(testConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16']);
    expect(() => testConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => testConfig({ TRUST_PROXY: 'proxy.local' })).toThrow(ConfigError);
    expect(testConfig({ RETENTION_DAYS: '10' }).retentionMs).toBe(10 * 24 * 3600 * 1000);
    expect(() => testConfig({ RETENTION_DAYS: '1' })).toThrow(ConfigError);
  });

  it('behind a configured proxy the forwarded address counts, and only the proxy may set it', async () => {
    const db = makeTestDatabase('sqlite');
    const app = buildApp(testConfig({ DATABASE_URL: db.url, TRUST_PROXY: '10.0.0.5' }), { outside: { stornoAccount: new FakeStornoAccount(demoUsers()) } });
    await app.ready();
    try {
      const guess = (remoteAddress: string, forwarded: string) =>
        app.inject({ url: `/stripe-link?code=${wrongCode()}`, remoteAddress, headers: { 'x-forwarded-for': forwarded } });
      // Through the proxy: each client has its own budget.
      for (let i = 0; i < 30; i++) expect((await guess('10.0.0.5', '192.0.2.1')).statusCode).toBe(404);
      expect((await guess('10.0.0.5', '192.0.2.1')).statusCode).toBe(429);
      expect((await guess('10.0.0.5', '192.0.2.2')).statusCode).toBe(404);
      // Anyone else claiming an address is counted by their own.
      for (let i = 0; i < 30; i++) expect((await guess('192.0.2.77', `192.0.2.${100 + i}`)).statusCode).toBe(404);
      expect((await guess('192.0.2.77', '192.0.2.200')).statusCode).toBe(429);
    } finally {
      await app.close();
      await db.cleanup();
    }
  });

  it('cookies are Secure whenever PUBLIC_URL is https', async () => {
    for (const [publicUrl, secure] of [
      ['https://stripe-app.example.ro', true],
      ['http://127.0.0.1:8787', false],
    ] as const) {
      const db = makeTestDatabase('sqlite');
      const app = buildApp(testConfig({ DATABASE_URL: db.url, PUBLIC_URL: publicUrl }), { outside: { stornoAccount: new FakeStornoAccount(demoUsers()) } });
      await app.ready();
      try {
        const page = await app.inject({ url: '/stripe-link?lang=ro' });
        const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
        expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual(['lang', SESSION_COOKIE]);
        for (const cookie of cookies) expect(/;\s*Secure/i.test(cookie)).toBe(secure);
      } finally {
        await app.close();
        await db.cleanup();
      }
    }
  });
});
