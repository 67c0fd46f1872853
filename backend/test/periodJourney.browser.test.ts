// The accountant's month-end journey in real Chromium (issue 16): on Home, pick last month (October 2026, the
// demo account's month) → the missing e-invoices are counted and listed → "Create all missing", confirm the late
// ones → the progress bar moves while the job runs → the figures show them reported.
import type { Locator } from 'playwright-core';
import type { BackfillResponse, ReconciliationResponse } from '../../src/api/contract.js';
import { presetPeriods } from '../../src/api/period.js';
import { hasChromium } from './support/browser.js';
import { waitForProgress } from './support/autoRun.js';
import { API } from './support/connect.js';
import { authHeaders } from './support/http.js';
import { startJourneys, type Journey } from './support/journeys.js';
import { connectDemo, type Session } from './support/world.js';

const PREVIEW_USER = 'usr_preview';

/** A count box of the period section ("Missing", "Reported", …) → its number. */
const figure = async (scope: Locator, label: string) =>
  Number(await scope.locator(`xpath=.//div[contains(@class,"pv-box")][span[1][normalize-space()="${label}"]]/span[2]`).first().innerText());

/**
 * Waits until the period section shows `result`. Reading a month of Stripe takes what it takes: waited on the
 * view's "Reading Stripe… N sales found so far", failing only when that stops moving, not on a clock.
 */
const periodRead = (home: Locator, result: Locator) =>
  waitForProgress('the period read in the view', async () => {
    const done = await result.isVisible();
    const reading = await home.getByText(/^Reading Stripe… \d+ sales found so far$/).first().innerText({ timeout: 1_000 }).catch(() => '');
    return { done, progress: Number(/(\d+) sales/.exec(reading)?.[1] ?? 0), value: reading };
  }, { stallMs: 60_000, everyMs: 100 });

describe.skipIf(!hasChromium)('period check journey in the Dashboard preview (Chromium)', () => {
  let j: Journey;
  let s: Session;

  beforeAll(async () => {
    j = await startJourneys();
    // Connected as the preview's Dashboard user (the connect flow itself is journey 1 of journeys.browser.test.ts).
    s = await connectDemo(j.world, { userId: PREVIEW_USER });
    await j.page.goto(`${j.world.baseUrl}/preview?viewport=home&locale=en-US`);
    await j.page.evaluate(
      ([key, tokens]) => window.localStorage.setItem(key, tokens),
      [`storno-preview:secret:${PREVIEW_USER}:storno_tokens`, JSON.stringify({ access_token: s.tokens.access_token, refresh_token: s.tokens.refresh_token, expires_at: Math.floor(Date.now() / 1000) + 3600 })],
    );
  });
  afterAll(async () => j?.close());

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${j.world.baseUrl}${API}${path}`, { headers: authHeaders(s.tokens.access_token, s.userId, s.accountId) });
    return (await res.json()) as T;
  };

  it('last month → missing e-invoices → create all (late confirmed) → progress → reported', async () => {
    const lastMonth = presetPeriods(Date.now()).last_month;
    const view = await j.open('home');
    await view.getByText('Check a period', { exact: true }).waitFor();
    // The period section (Home's own counts above it use some of the same words).
    const home = view.locator('xpath=.//div[contains(@class,"pv-box")][span[normalize-space()="Check a period"]]');
    await home.getByRole('button', { name: 'Last month', exact: true }).click();

    const heading = home.getByText(/^Missing e-invoices \(\d+\)$/);
    await periodRead(home, heading);
    const missing = Number(/\((\d+)\)/.exec(await heading.innerText())![1]);
    expect(missing).toBeGreaterThan(10);
    expect(await figure(home, 'Missing')).toBe(missing);
    await home.getByText(`${lastMonth.from} – ${lastMonth.to}`).waitFor();
    await home.getByText(/sales? (is|are) past (its|their) upload deadline/).waitFor();
    const reportedBefore = await figure(home, 'Reported');
    await j.shot('period-1-missing.png');

    await home.getByRole('button', { name: `Create all missing (${missing})` }).click();
    await home.getByText(new RegExp(`^\\d+ of ${missing} are already past their deadline$`)).waitFor();
    await home.getByRole('button', { name: 'Create anyway' }).click();
    await home.getByText('Creating the missing e-invoices').waitFor();
    await home.getByText(new RegExp(`^\\d+ of ${missing} done`)).first().waitFor();
    await j.shot('period-2-progress.png');

    // The bar keeps moving until the job ends (waited on its progress, not on a clock).
    const seen = new Set<string>();
    const end = await waitForProgress('the backfill in the view', async () => {
      const text = await home.getByText(/^(\d+ of \d+ done|Finished:)/).first().innerText().catch(() => '');
      seen.add(text);
      const active = await api<{ active: BackfillResponse | null }>('/backfills');
      const done = text.startsWith('Finished:');
      return { done, progress: seen.size + (active.active ? active.active.done + active.active.failed : 0), value: text };
    }, { stallMs: 60_000, everyMs: 100 });
    expect(end).toMatch(/^Finished: \d+ created/);
    expect([...seen].some((t) => /^\d+ of \d+ done/.test(t))).toBe(true);

    // The provider decides; checking the month again shows the created e-invoices reported.
    expect((await api<{ active: BackfillResponse | null }>('/backfills')).active).toBeNull();
    await waitForProgress('every created e-invoice judged', async () => {
      const started = await fetch(`${j.world.baseUrl}${API}/reconciliations`, {
        method: 'POST',
        headers: { ...authHeaders(s.tokens.access_token, s.userId, s.accountId), 'content-type': 'application/json' },
        body: JSON.stringify(lastMonth),
      });
      const view = (await started.json()) as ReconciliationResponse;
      const inProgress = view.summary?.byStatus.in_progress.count ?? Infinity;
      return { done: view.status === 'done' && inProgress === 0, progress: view.summary?.byStatus.reported.count ?? 0, value: view };
    });
    await home.getByRole('button', { name: 'Last month', exact: true }).click();
    await periodRead(home, home.getByText(/^Missing e-invoices|^Every sale of this period/).first());
    const reportedAfter = await figure(home, 'Reported');
    const missingAfter = await figure(home, 'Missing');
    const blocked = await figure(home, 'Blocked');
    const rejected = await figure(home, 'Rejected');
    expect(await figure(home, 'In progress')).toBe(0);
    // Everything that could be made is reported; what could not is shown (blocked buyer data, a refund of a sale
    // never e-invoiced) — never silently left out.
    expect(reportedAfter).toBeGreaterThan(reportedBefore);
    expect(reportedAfter + blocked + rejected + missingAfter).toBeGreaterThanOrEqual(reportedBefore + missing);
    expect(missingAfter).toBeLessThanOrEqual(1);
    await j.shot('period-3-reported.png');
    // A whole month backfilled through the Storno sandbox: no wall-clock limit, every wait above is bounded by
    // progress (waitForProgress) or a per-step locator timeout.
  }, 0);
});
