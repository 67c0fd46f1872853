// The local Dashboard preview: its pure helpers, its backend routes, the real extension views in headless
// Chromium against a listening backend with the Storno sandbox and the Stripe fake, and its absence in
// production.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { cssToStyle } from '../../../preview/css.js';
import { demoCatalog, objectContextOf, parseSelection, selectionOfRoute, selectionQuery } from '../../../preview/selection.js';
import { startStornoSandbox, SANDBOX_SEED, type StornoSandbox } from '../../sandbox/storno/index.js';
import { DEMO, startStripeFake, type StripeFake } from '../../sandbox/stripe/index.js';
import { TEST_SECRETS, testConfig } from '../../test/support/config.js';
import { sqliteTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { isValidAppSignature } from '../http/stripeSignature.js';
import { previewRoutes } from './preview.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`skipping the preview browser test: ${CHROMIUM} is not installed`);
const ARTIFACTS = 'test-artifacts';

describe('preview helpers', () => {
  it('reads and writes the selection in the URL, with safe defaults', () => {
    expect(parseSelection('?viewport=payment&object=pi_demo_b2b&locale=ro-RO')).toEqual({ viewport: 'payment', object: 'pi_demo_b2b', locale: 'ro-RO' });
    expect(parseSelection('?viewport=nope&locale=fr-FR&object=x')).toEqual({ viewport: 'home', object: null, locale: 'en-US' });
    expect(parseSelection('?viewport=settings&object=cus_1').object).toBeNull();
    expect(selectionQuery({ viewport: 'invoice', object: 'in_demo_b2b', locale: 'ro-RO' })).toBe('?viewport=invoice&object=in_demo_b2b&locale=ro-RO');
  });

  it('gives a payment page a charge or a PaymentIntent object context, and follows Dashboard routes', () => {
    expect(objectContextOf({ viewport: 'payment', object: 'ch_1', locale: 'en-US' })).toEqual({ id: 'ch_1', object: 'charge' });
    expect(objectContextOf({ viewport: 'payment', object: 'pi_1', locale: 'en-US' })).toEqual({ id: 'pi_1', object: 'payment_intent' });
    expect(objectContextOf({ viewport: 'home', object: null, locale: 'en-US' })).toBeNull();
    expect(selectionOfRoute({ name: 'invoiceDetails', params: { invoiceId: 'in_1' } }, 'ro-RO')).toEqual({ viewport: 'invoice', object: 'in_1', locale: 'ro-RO' });
    expect(selectionOfRoute({ name: 'balances' }, 'ro-RO')).toBeNull();
  });

  it('sorts the Stripe fake demo ids into viewports, leaving charges out', () => {
    const catalog = demoCatalog({ ids: DEMO, descriptions: { [DEMO.customers.b2bCluj]: 'Tehnic Cluj SRL' } });
    expect(catalog.customer[0]).toEqual({ id: DEMO.customers.b2bCluj, description: 'Tehnic Cluj SRL' });
    expect(catalog.payment.map((o) => o.id)).toContain(DEMO.payments.bare.paymentIntent);
    expect(catalog.payment.some((o) => o.id.startsWith('ch_'))).toBe(false);
    expect(catalog.invoice.map((o) => o.id)).toContain(DEMO.invoices.subscriptionCycles[0]);
    expect(catalog.subscription).toHaveLength(2);
  });

  it('maps css tokens to flex layout and spacing', () => {
    expect(cssToStyle({ stack: 'x', gap: 'small', alignY: 'center', padding: 'medium' })).toEqual({
      display: 'flex',
      flexDirection: 'row',
      alignItems: 'center',
      gap: 8,
      padding: 16,
    });
    expect(cssToStyle({ display: 'grid', gridColumns: 3, width: '1/2', color: 'secondary' })).toMatchObject({
      display: 'grid',
      gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
      width: '50%',
      color: '#6c7688',
    });
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('preview on a listening backend', () => {
  let db: TestDatabase;
  let storno: StornoSandbox;
  let stripe: StripeFake;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    // PUBLIC_URL (consent link, OAuth redirect) and the fake's webhook target need the port up front.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    db = sqliteTestDatabase();
    storno = await startStornoSandbox({
      providerDelayMs: 0,
      oauthClients: [
        {
          clientId: TEST_SECRETS.STORNO_OAUTH_CLIENT_ID,
          clientSecret: TEST_SECRETS.STORNO_OAUTH_CLIENT_SECRET,
          name: 'Storno e-Factura for Stripe (preview test)',
          redirectUris: [`${base}/stripe-link/callback`],
        },
      ],
    });
    stripe = await startStripeFake({
      secretKey: TEST_SECRETS.STRIPE_SECRET_KEY,
      webhookSecret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET,
      webhookUrl: `${base}/api/v1/stripe-app/webhooks/stripe`,
    });
    app = buildApp(
      testConfig({ DATABASE_URL: db.url, PUBLIC_URL: base, PORT: String(port), STORNO_API_URL: storno.url, STRIPE_API_URL: stripe.url }),
    );
    app.register(previewRoutes);
    await app.listen({ port, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await stripe?.close();
    await storno?.close();
    await db?.cleanup();
  });

  it('signs the default payload for the demo account only, and only for its own page', async () => {
    const ok = await app.inject({ method: 'POST', url: '/preview/api/signature', payload: { user_id: 'usr_preview', account_id: DEMO.account } });
    expect(ok.statusCode).toBe(200);
    expect(isValidAppSignature(ok.json().signature, 'usr_preview', DEMO.account, [TEST_SECRETS.STRIPE_APP_SECRET])).toBe(true);

    const other = await app.inject({ method: 'POST', url: '/preview/api/signature', payload: { user_id: 'usr_preview', account_id: 'acct_real' } });
    expect(other.statusCode).toBe(403);
    const foreign = await app.inject({
      method: 'POST',
      url: '/preview/api/signature',
      headers: { origin: 'https://evil.example' },
      payload: { user_id: 'usr_preview', account_id: DEMO.account },
    });
    expect(foreign.statusCode).toBe(403);
  });

  it('proxies the demo catalogue and makes the Stripe fake send signed events to the backend', async () => {
    const demo = await app.inject({ url: '/preview/api/demo' });
    expect(demo.json().ids.account).toBe(DEMO.account);

    const paid = await app.inject({ method: 'POST', url: '/preview/api/emit', payload: { kind: 'payment_succeeded', customer: DEMO.customers.consumer } });
    expect(paid.statusCode).toBe(200);
    const { object, delivered } = paid.json();
    expect(object).toEqual({ id: expect.stringMatching(/^pi_/), object: 'payment_intent' });
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.every((event: { status: number }) => event.status === 200)).toBe(true);

    const refund = await app.inject({ method: 'POST', url: '/preview/api/emit', payload: { kind: 'refund', payment: object.id } });
    expect(refund.statusCode).toBe(200);
    expect(refund.json().object.object).toBe('refund');
    expect(refund.json().delivered.map((event: { type: string }) => event.type)).toContain('charge.refunded');

    const again = await app.inject({ method: 'POST', url: '/preview/api/emit', payload: { kind: 'refund', payment: object.id } });
    expect(again.statusCode).toBe(400);
  });

  describe.skipIf(!hasChromium)('in Chromium', () => {
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const shot = (target: Page, name: string) => target.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

    beforeAll(async () => {
      // Only this file's pictures: other browser tests write theirs to the same folder, possibly at the same time.
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const name of readdirSync(ARTIFACTS)) if (/^(preview-|consent-approved)/.test(name)) rmSync(`${ARTIFACTS}/${name}`, { force: true });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      page = await context.newPage();
      page.on('pageerror', (error) => console.error('preview page error:', error.message));
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('renders the home view in the drawer (not connected yet)', async () => {
      await page.goto(`${base}/preview?viewport=home&locale=en-US`);
      const drawer = page.locator('aside.pv-drawer');
      await drawer.getByText('Storno.ro is not connected').waitFor();
      await expect(drawer.getByRole('button', { name: 'Connect Storno.ro' }).isVisible()).resolves.toBe(true);
      expect(await page.locator('.pv-unknown').count()).toBe(0);
      await shot(page, 'preview-home-en');
    });

    it('renders Settings, switches the Dashboard locale, and Connect opens exactly one consent tab', async () => {
      await page.goto(`${base}/preview?viewport=settings&locale=en-US`);
      await page.getByRole('button', { name: 'Connect Storno.ro' }).waitFor();
      await page.getByText('Storno.ro connection').waitFor();
      await shot(page, 'preview-settings-en');

      await page.locator('select[name=locale]').selectOption('ro-RO');
      await page.getByRole('button', { name: 'Conectează Storno.ro' }).waitFor();
      await page.getByText('Conexiunea Storno.ro').waitFor();
      expect(page.url()).toContain('locale=ro-RO');
      await shot(page, 'preview-settings-ro');

      await page.getByRole('button', { name: 'Conectează Storno.ro' }).click();
      const open = page.getByRole('link', { name: 'Deschide Storno.ro pentru aprobare' });
      await open.waitFor();
      const pagesBefore = context.pages().length;
      const [consent] = await Promise.all([context.waitForEvent('page'), open.click()]);
      await consent.waitForLoadState();
      expect(consent.url()).toMatch(new RegExp(`^${base}/stripe-link\\?code=[A-Z]{4}-[A-Z]{4}$`));
      // The view also calls platform.openUrl for the same link: still one new tab.
      await page.waitForTimeout(1000);
      expect(context.pages().length).toBe(pagesBefore + 1);
      await page.getByText('Așteptăm aprobarea ta în Storno.ro…').waitFor();
      await shot(page, 'preview-settings-waiting');

      // Approve on the real consent page (sign in at the Storno sandbox), then the view finishes by itself.
      await consent.getByRole('button', { name: /Storno\.ro/ }).first().click();
      await consent.getByLabel('Adresă de e-mail').fill(SANDBOX_SEED.users.demo.email);
      await consent.getByLabel('Parolă').fill(SANDBOX_SEED.users.demo.password);
      await consent.getByRole('button', { name: 'Autentificare' }).click();
      await consent.getByRole('button', { name: 'Aprobă' }).click();
      await consent.locator('button[name=approve][value=true]').click();
      await consent.getByText(/Connected to|Conectat la/).waitFor();
      await shot(consent, 'consent-approved');
      await consent.close();

      await page.getByRole('button', { name: 'Deconectează' }).waitFor({ timeout: 20_000 });
      await page.getByText('Demo Software SRL').first().waitFor();
      expect(await page.evaluate(() => Object.keys(localStorage).some((key) => key.startsWith('storno-preview:secret:usr_preview:')))).toBe(true);
      await shot(page, 'preview-settings-connected');
    }, 60_000);

    it('emits a payment from the bar, e-invoices it in the payment view, refunds it, and shows it on home', async () => {
      await page.goto(`${base}/preview?viewport=customer&object=${DEMO.customers.b2bCluj}&locale=en-US`);
      const drawer = page.locator('aside.pv-drawer');
      await drawer.waitFor();
      await page.getByRole('button', { name: 'Payment succeeded' }).click();
      await page.waitForURL(/viewport=payment&object=pi_/);
      await page.locator('.pv-bar-status').filter({ hasText: /payment_intent\.succeeded → 200/ }).waitFor();
      await drawer.getByRole('button', { name: 'Create e-invoice' }).click();
      await drawer.getByRole('button', { name: 'Create e-invoice' }).waitFor({ state: 'detached' });
      await shot(page, 'preview-payment-einvoiced');

      // Open PDF: one new tab on the backend's signed link, serving the document's PDF.
      const openPdf = drawer.getByRole('link', { name: 'Open PDF' });
      await openPdf.waitFor();
      const href = (await openPdf.getAttribute('href'))!;
      expect(href).toMatch(/\/api\/v1\/stripe-app\/files\/documents\/[^/]+\/pdf\?connection=.+&signature=[0-9a-f]{64}$/);
      const [pdfTab] = await Promise.all([context.waitForEvent('page'), openPdf.click()]);
      expect(pdfTab.url()).toBe(href);
      await pdfTab.close();
      const pdf = await fetch(href);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

      await page.getByRole('button', { name: 'Refund' }).click();
      await page.locator('.pv-bar-status').filter({ hasText: /charge\.refunded → 200/ }).waitFor();
      await drawer.getByText('Refunds').waitFor();
      await shot(page, 'preview-payment-refunded');
      expect(await page.locator('.pv-unknown').count()).toBe(0);

      await page.locator('select[name=viewport]').selectOption('home');
      await drawer.getByText('Recent documents').waitFor();
      await drawer.getByRole('tab', { name: 'All' }).waitFor();
      await page.waitForTimeout(300);
      await shot(page, 'preview-home-connected');
      // The README's picture; written only on request so test runs leave tracked files alone.
      if (process.env.UPDATE_PREVIEW_SCREENSHOT === '1') {
        await expect.poll(() => page.locator('.pv-toast').count(), { timeout: 6000 }).toBe(0);
        mkdirSync('docs', { recursive: true });
        await page.screenshot({ path: 'docs/preview.png' });
      }
    }, 45_000);
  });
});

describe('preview in production', () => {
  it('is never served, even when the plugin is registered', async () => {
    const db = sqliteTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'https://stripe-app.storno.ro',
      DATABASE_URL: db.url,
      STORNO_API_URL: 'https://api.storno.ro',
      STORNO_OAUTH_CLIENT_ID: 'storno_cid_production',
      STORNO_OAUTH_CLIENT_SECRET: 'storno_cs_production_0123456789',
      STRIPE_SECRET_KEY: 'sk_live_production_0123456789',
      STRIPE_APP_SECRET: 'absec_production_0123456789',
      STRIPE_WEBHOOK_SECRET: 'whsec_production_0123456789',
      ENCRYPTION_KEY: 'ab'.repeat(32),
      JWT_SECRET: 'production-jwt-secret-0123456789abcdef',
      WORKER_ENABLED: 'false',
    });
    expect(config.env).toBe('production');
    const app = buildApp(config);
    app.register(previewRoutes);
    await app.ready();
    try {
      for (const [method, url] of [
        ['GET', '/preview'],
        ['GET', '/preview/app.js'],
        ['GET', '/preview/api/demo'],
        ['POST', '/preview/api/signature'],
        ['POST', '/preview/api/emit'],
      ] as const) {
        expect((await app.inject({ method, url, payload: method === 'POST' ? {} : undefined })).statusCode, url).toBe(404);
      }
    } finally {
      await app.close();
      await db.cleanup();
    }
  });
});
