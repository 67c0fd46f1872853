// Issue 13 against the Storno sandbox (its real OAuth2 server): connect, disconnect and connect again in the same
// browser; the consent page never shows Storno's refusal of the revoked tokens (the raw 502 invalid_client of before).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_SEED } from '../sandbox/storno/index.js';
import { API, startDevice } from './support/connect.js';
import { authHeaders, browse, CookieJar, csrfFrom, submitForm } from './support/http.js';
import { DEMO_ACCOUNT, startWorld, stornoSignIn, type World } from './support/world.js';

describe('reconnecting in the same browser, on the Storno sandbox', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => world?.close());

  it('connect → disconnect → connect again succeeds, each time with a fresh Storno sign-in', async () => {
    const { app } = world;
    const jar = new CookieJar();
    const connect = async (userId: string) => {
      const device = await startDevice(app, DEMO_ACCOUNT, userId);
      const page = await browse(app, jar, `/stripe-link?code=${device.user_code}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Sign in with Storno.ro');
      const signin = await submitForm(app, jar, '/stripe-link/signin', { csrf: csrfFrom(page.body) });
      expect(signin.statusCode).toBe(303);
      const callback = await stornoSignIn(world, signin.headers.location as string, SANDBOX_SEED.users.demo.email, SANDBOX_SEED.users.demo.password);
      expect((await browse(app, jar, callback.replace(world.baseUrl, ''))).statusCode).toBe(303);
      const approvePage = await browse(app, jar, '/stripe-link');
      expect(approvePage.statusCode).toBe(200);
      expect(approvePage.body).toContain('Storno Demo SRL');
      const approved = await submitForm(app, jar, `${API}/oauth/approve`, {
        csrf: csrfFrom(approvePage.body),
        user_code: device.user_code,
        company_id: SANDBOX_SEED.companies.a.id,
        approve: 'true',
      });
      expect(approved.statusCode).toBe(200);
      const token = await app.inject({ method: 'POST', url: `${API}/token`, payload: { grant_type: 'device_code', device_code: device.device_code } });
      expect(token.statusCode).toBe(200);
      return token.json() as { access_token: string };
    };

    const first = await connect('usr_reconnect');
    const disconnected = await app.inject({ method: 'POST', url: `${API}/disconnect`, headers: authHeaders(first.access_token, 'usr_reconnect', DEMO_ACCOUNT) });
    expect(disconnected.statusCode).toBe(200);

    const second = await connect('usr_reconnect');
    const settings = await app.inject({ url: `${API}/settings`, headers: authHeaders(second.access_token, 'usr_reconnect', DEMO_ACCOUNT) });
    expect(settings.json()).toMatchObject({ status: 'connected', company: { name: 'Demo Software SRL' } });
    // The new connection's own Storno credentials work (it lists the company's data through Storno).
    const dashboard = await app.inject({ url: `${API}/dashboard?tab=all`, headers: authHeaders(second.access_token, 'usr_reconnect', DEMO_ACCOUNT) });
    expect(dashboard.statusCode).toBe(200);
  });
});
