// The OAuth2 sign-in and consent pages in a real browser (Debian Chromium via playwright-core), no page JS.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { SANDBOX_SEED, startStornoSandbox, type StornoSandbox } from './index.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`skipping the browser test: ${CHROMIUM} is not installed`);

describe.skipIf(!hasChromium)('OAuth2 consent in Chromium', () => {
  let sandbox: StornoSandbox;
  let browser: Browser;
  let callback: Server;
  let redirectUri: string;
  const hits: URL[] = [];

  beforeAll(async () => {
    // The "client application": a tiny server that receives the redirect.
    callback = createServer((req, res) => {
      hits.push(new URL(req.url ?? '/', 'http://127.0.0.1'));
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end('<!doctype html><title>Callback</title><p>Conectat</p>');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/oauth/callback`;
    sandbox = await startStornoSandbox({
      oauthClients: [{ clientId: 'storno_cid_browser', clientSecret: 'storno_cs_browser', name: 'Storno e-invoicing for Stripe', redirectUris: [redirectUri] }],
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    callback?.close();
  });

  it('signs in, approves, lands on the redirect_uri with a code, and the code + verifier buy tokens', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: 'storno_cid_browser',
      redirect_uri: redirectUri,
      scope: 'company.view invoice.view invoice.create',
      state: 'st-123',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${sandbox.url}/oauth2/authorize?${params}`);
    await page.getByLabel('Adresă de e-mail').fill(SANDBOX_SEED.users.demo.email);
    await page.getByLabel('Parolă').fill(SANDBOX_SEED.users.demo.password);
    await page.getByRole('button', { name: 'Autentificare' }).click();

    await page.getByRole('heading', { name: 'Autorizezi accesul?' }).waitFor();
    await page.getByText('Storno e-invoicing for Stripe').first().waitFor();
    expect(await page.getByRole('listitem').count()).toBe(3);
    await page.getByRole('button', { name: 'Aprobă' }).click();
    await page.waitForURL((url) => url.toString().startsWith(redirectUri));
    await context.close();

    // Chromium also asks the callback server for /favicon.ico: pick the redirect itself.
    const landed = hits.find((u) => u.pathname === '/oauth/callback')!;
    expect(landed.searchParams.get('state')).toBe('st-123');
    const code = landed.searchParams.get('code');
    expect(code).toMatch(/^[0-9a-f]{64}$/);

    const res = await fetch(`${sandbox.url}/api/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: redirectUri,
        client_id: 'storno_cid_browser',
        client_secret: 'storno_cs_browser',
        code_verifier: verifier,
      }),
    });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { access_token: string; scope: string };
    expect(tokens.scope).toBe('company.view invoice.view invoice.create');
    const me = await fetch(`${sandbox.url}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(((await me.json()) as { email: string }).email).toBe(SANDBOX_SEED.users.demo.email);
  });
});
