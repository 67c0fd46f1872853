// Helpers for the end-to-end journeys (journeys*.browser.test.ts): one offline world (Storno sandbox,
// Stripe fake, backend with its worker) and one Chromium page on the local Dashboard preview, which renders
// the real extension views. Everything waits for what a merchant would see; nothing sleeps blindly.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { SANDBOX_SEED } from '../../sandbox/storno/index.js';
import { artifactPath, launchChromium } from './browser.js';
import { startWorld, type World } from './world.js';

export type Viewport = 'home' | 'customer' | 'payment' | 'invoice' | 'subscription' | 'settings';

export interface Journey {
  world: World;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Opens a Dashboard page of the preview (English) and returns the extension view's root. */
  open(viewport: Viewport, object?: string): Promise<Locator>;
  /** The extension view currently shown: the drawer, or the settings page. */
  view(): Locator;
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The world runs the worker with a short tick (documents still at the provider are refreshed quickly) and a
 * provider that decides a little after submission, so a view usually first shows "Sent to provider" and the
 * verdict arrives later through Storno's webhook (or the worker's sweep), as it does for real.
 */
export async function startJourneys(options: { providerDelayMs?: number } = {}): Promise<Journey> {
  const world = await startWorld({ worker: true, providerDelayMs: options.providerDelayMs ?? 300, env: { WORKER_TICK_MS: '200' } });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => console.error('preview page error:', error.message));
  const view = () => page.locator('aside.pv-drawer, form.pv-settings');
  return {
    world,
    browser,
    context,
    page,
    view,
    async open(viewport, object) {
      const query = new URLSearchParams({ viewport, locale: 'en-US', ...(object ? { object } : {}) });
      await page.goto(`${world.baseUrl}/preview?${query}`);
      await view().waitFor();
      // The first answer of the backend replaces "Loading…".
      await view().locator('[aria-label=Loading]').first().waitFor({ state: 'detached' });
      return view();
    },
    async shot(name) {
      // Toasts fade by themselves; the picture is of the view.
      await page.screenshot({ path: artifactPath(name), fullPage: true });
    },
    async close() {
      await browser.close();
      await world.close();
    },
  };
}

/**
 * Waits until `target()` is visible. The extension views load on open and after an action, not by
 * themselves (as in the Dashboard), so when `reload` is given it reloads the page between looks, as a
 * merchant would to see a status that changed at the provider. Returns how many reloads it took.
 */
export async function until(target: () => Locator, options: { reload?: Page; timeoutMs?: number; everyMs?: number } = {}): Promise<number> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (let reloads = 0; ; reloads++) {
    const left = deadline - Date.now();
    try {
      await target().first().waitFor({ state: 'visible', timeout: Math.max(100, Math.min(left, options.reload ? (options.everyMs ?? 500) : left)) });
      return reloads;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      if (options.reload) {
        await options.reload.reload();
        await options.reload.locator('aside.pv-drawer, form.pv-settings').first().waitFor();
      }
    }
  }
}

/** The pipeline step (Draft, Issued, Sent to provider, Validated / Rejected) with its state. */
export const step = (scope: Locator, title: string, state: 'complete' | 'blocked' | 'in-progress' | 'not-started') =>
  scope.locator(`li.pv-task-${state}`).filter({ hasText: new RegExp(`^\\W*${title}$`) });

const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** A status badge with exactly this text ("Connected" is not "Not connected"). */
export const badge = (scope: Locator, text: string) => scope.locator('.pv-badge').filter({ hasText: exactly(text) });

const A = SANDBOX_SEED.companies.a;

/** The Storno sandbox's REST API as the company's own user would call it (demo API key, company A). */
export async function storno<T = Record<string, unknown>>(world: World, method: 'GET' | 'PATCH', path: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(path, world.storno.url), {
    method,
    headers: {
      authorization: SANDBOX_SEED.apiKeys.demo.key,
      'x-company': A.id,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`Storno ${method} ${path}: HTTP ${response.status} ${JSON.stringify(json)}`);
  return json;
}
