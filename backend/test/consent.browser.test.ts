// Issue 4's end-to-end: in real Chromium, the consent page signs in on the Storno sandbox, a company is
// picked and authorized, and the extension's poll receives tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_SEED } from '../sandbox/storno/index.js';
import { artifactPath, hasChromium, launchChromium } from './support/browser.js';
import { API, startDevice } from './support/connect.js';
import { authHeaders } from './support/http.js';
import { DEMO_ACCOUNT, startWorld, type World } from './support/world.js';

describe.skipIf(!hasChromium)('consent page in Chromium', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => world?.close());

  it('signs in on Storno, picks a company, authorizes, and the poll gets tokens', async () => {
    const device = await startDevice(world.app, DEMO_ACCOUNT, 'usr_browser');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ locale: 'en-US' });
      await page.goto(device.verification_uri_complete);
      // Before sign-in the page shows the code to compare, and nothing about the account that asks.
      expect(await page.textContent('.code')).toBe(device.user_code);
      expect(await page.textContent('body')).not.toContain(DEMO_ACCOUNT);
      await page.click('text=Sign in with Storno.ro');

      // Storno's own sign-in and consent pages (the sandbox's).
      await page.fill('#email', SANDBOX_SEED.users.demo.email);
      await page.fill('#password', SANDBOX_SEED.users.demo.password);
      await page.click('button[type=submit]');
      await page.click('button[value=approve]');

      // Back on our consent page: pick the company and authorize.
      await page.waitForSelector('#company_id');
      expect(await page.textContent('body')).toContain('Demo User');
      // Signed in: whose Stripe account asks (its business name from Stripe), who asked, when, and a warning.
      expect(await page.textContent('dd strong')).toBe('Storno Demo SRL');
      expect(await page.textContent('body')).toContain(DEMO_ACCOUNT);
      expect(await page.textContent('body')).toContain('Stripe Dashboard user usr_browser');
      expect(await page.textContent('[role=note]')).toContain('If someone sent you this link or code, deny it');
      await page.selectOption('#company_id', SANDBOX_SEED.companies.a.id);
      await page.screenshot({ path: artifactPath('consent-approve.png'), fullPage: true });
      await page.click('button[value=true]');
      await page.waitForSelector('[role=status]');
      expect(await page.textContent('[role=status]')).toContain('Connected to Demo Software SRL');
      expect(page.url()).not.toContain(device.device_code);
    } finally {
      await browser.close();
    }
    const token = await world.app.inject({ method: 'POST', url: `${API}/token`, payload: { grant_type: 'device_code', device_code: device.device_code } });
    expect(token.statusCode).toBe(200);
    const settings = await world.app.inject({ url: `${API}/settings`, headers: authHeaders(token.json().access_token, 'usr_browser', DEMO_ACCOUNT) });
    expect(settings.json()).toMatchObject({ status: 'connected', company: { name: 'Demo Software SRL', cif: '12345674' }, authorizedBy: { email: 'demo@storno.test' } });
  });
});
