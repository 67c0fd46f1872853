// Auto-mode runs for the automation tests and the benchmark: a burst of Stripe payments in the fake, the
// events Stripe would send for them (duplicated, shuffled), delivered signed over real HTTP with Stripe's
// retry-until-2xx, and the checks that every payment ends as exactly one validated document.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEMO, signatureHeader, type StripeFake } from '../../sandbox/stripe/index.js';
import { buildEvent, type StripeEventObject } from '../../sandbox/stripe/events.js';
import type { StornoSandbox } from '../../sandbox/storno/index.js';
import type { Database } from '../../src/db/database.js';
import { prng } from '../../sandbox/storno/faults.js';
import { TEST_SECRETS } from './config.js';
import { API } from './connect.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** mulberry32 (shared with the sandbox's fault draws): a seeded run is the same run every time. */
export { prng };

export interface Expected {
  kind: 'invoice' | 'payment';
  stripeObjectId: string;
}

export interface Burst {
  /** One entry per payment: the Stripe object that must end up as exactly one document. */
  expected: Expected[];
  /** What Stripe sends, in delivery order (duplicates share the event id, as Stripe's redeliveries do). */
  events: StripeEventObject[];
}

const BUYERS = [DEMO.customers.b2bCluj, DEMO.customers.bucharest, DEMO.customers.consumer];

/**
 * `invoices` paid invoices (each `invoice.paid`; `invoicePiEvents` of them also a `payment_intent.succeeded` that
 * must be left to the invoice) and `payments` invoice-less Checkout payments (`payment_intent.succeeded`), plus
 * `duplicates` redeliveries of random events; all shuffled.
 */
export async function makeBurst(
  stripe: StripeFake,
  input: { invoices: number; payments: number; invoicePiEvents: number; duplicates: number; seed?: number; account?: string },
): Promise<Burst> {
  const random = prng(input.seed ?? 7);
  const account = input.account ?? DEMO.account;
  const expected: Expected[] = [];
  const events: StripeEventObject[] = [];
  for (let i = 0; i < input.invoices; i++) {
    const { invoice, paymentIntent } = await stripe.createPaidInvoice({
      account,
      customer: BUYERS[i % BUYERS.length]!,
      lines: [{ description: `Abonament ${i}`, unitAmount: 1000 + i, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
    });
    expected.push({ kind: 'invoice', stripeObjectId: invoice.id });
    events.push(buildEvent('invoice.paid', invoice, account));
    if (i < input.invoicePiEvents) events.push(buildEvent('payment_intent.succeeded', paymentIntent, account));
  }
  for (let i = 0; i < input.payments; i++) {
    const { paymentIntent } = await stripe.createPayment({
      account,
      customer: BUYERS[(i + 1) % BUYERS.length]!,
      lineItems: [{ description: `Curs ${i}`, unitAmount: 500 + i, quantity: 1, taxRate: DEMO.taxRates.vat21 }],
    });
    expected.push({ kind: 'payment', stripeObjectId: paymentIntent.id });
    events.push(buildEvent('payment_intent.succeeded', paymentIntent, account));
  }
  const originals = events.length;
  for (let i = 0; i < input.duplicates; i++) events.push(events[Math.floor(random() * originals)]!);
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  return { expected, events };
}

export function webhookUrl(baseUrl: string): string {
  return `${baseUrl}${API}/webhooks/stripe`;
}

/** One delivery attempt, signed now (so a retry after minutes is not refused as stale, as with Stripe). */
export async function deliverOnce(url: string, event: StripeEventObject): Promise<number> {
  const payload = JSON.stringify(event);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signatureHeader(payload, TEST_SECRETS.STRIPE_WEBHOOK_SECRET) },
      body: payload,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * Delivers every event like Stripe does: until a 2xx, retrying while the endpoint is down. `targets` are tried in
 * turn (several server instances behind one URL); `concurrency` deliveries are in flight at once.
 */
export async function deliverAll(
  targets: string[] | (() => string[]),
  events: StripeEventObject[],
  options: { concurrency?: number; retryDelayMs?: number; stallMs?: number; onDelivered?: (n: number) => void } = {},
): Promise<{ attempts: number; failures: number }> {
  const list = typeof targets === 'function' ? targets : () => targets;
  // Stripe gives up on an endpoint that accepts nothing for a long time; a slow machine that still accepts some
  // events is making progress, so the limit is time since the last accepted delivery, not since the start.
  const stallMs = options.stallMs ?? 60_000;
  let lastProgress = Date.now();
  let next = 0;
  let attempts = 0;
  let failures = 0;
  let delivered = 0;
  const lane = async () => {
    while (next < events.length) {
      const event = events[next++]!;
      for (let attempt = 0; ; attempt++) {
        const urls = list();
        const url = urls[(next + attempt) % urls.length]!;
        attempts++;
        const status = await deliverOnce(url, event);
        if (status >= 200 && status < 300) break;
        failures++;
        if (Date.now() - lastProgress > stallMs) throw new Error(`no delivery accepted for ${stallMs} ms; event ${event.id} last got ${status}`);
        await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 50));
      }
      lastProgress = Date.now();
      options.onDelivered?.(++delivered);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, lane));
  return { attempts, failures };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Waits until `probe` says done, failing only when its progress figure has not moved for `stallMs`: a slow or busy
 * machine takes longer but still finishes, while a run that is truly stuck fails with its last state.
 */
export async function waitForProgress<T>(
  what: string,
  probe: () => Promise<{ done: boolean; progress: number; value: T }>,
  options: { stallMs?: number; everyMs?: number } = {},
): Promise<T> {
  const stallMs = options.stallMs ?? 30_000;
  let best = -Infinity;
  let movedAt = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const state = await probe();
      if (state.done) return state.value;
      if (state.progress > best) {
        best = state.progress;
        movedAt = Date.now();
      }
      last = state.value;
    } catch (err) {
      last = err;
    }
    if (Date.now() - movedAt > stallMs) throw new Error(`no progress for ${stallMs} ms waiting for ${what}: ${JSON.stringify(last) ?? String(last)}`);
    await new Promise((r) => setTimeout(r, options.everyMs ?? 250));
  }
}

export interface Outcome {
  inbox: Record<string, number>;
  links: Record<string, number>;
  linkCount: number;
}

export async function outcome(db: Database): Promise<Outcome> {
  const inboxRows = await db.prisma.inboxEvent.groupBy({ by: ['status'], _count: { _all: true } });
  const linkRows = await db.prisma.documentLink.groupBy({ by: ['status'], _count: { _all: true } });
  return {
    inbox: Object.fromEntries(inboxRows.map((r) => [r.status, r._count._all])),
    links: Object.fromEntries(linkRows.map((r) => [r.status, r._count._all])),
    linkCount: linkRows.reduce((n, r) => n + r._count._all, 0),
  };
}

/** Done: nothing waits in the inbox and every document has its verdict. */
export function settled(o: Outcome): boolean {
  return !o.inbox.pending && !o.inbox.processing && !o.links.pending && !o.links.draft && !o.links.issued && !o.links.sent_to_provider;
}

/** Work finished so far: processed inbox events plus documents past each step (grows while the run moves). */
export function progressOf(o: Outcome): number {
  const inbox = (o.inbox.done ?? 0) + (o.inbox.skipped ?? 0) + (o.inbox.failed ?? 0);
  const links = (o.links.issued ?? 0) + 2 * (o.links.sent_to_provider ?? 0) + 3 * ((o.links.validated ?? 0) + (o.links.rejected ?? 0));
  return inbox + o.linkCount + links;
}

/** Waits, bounded by progress, until every event is processed and every document judged. */
export async function waitUntilSettled(db: Database, storno: StornoSandbox, stallMs = 30_000): Promise<Outcome> {
  return waitForProgress('every event processed and every document judged', async () => {
    await storno.settle();
    const o = await outcome(db);
    return { done: settled(o), progress: progressOf(o), value: o };
  }, { stallMs });
}

export interface Audit {
  /** Problems found; empty when each payment has exactly one validated document and nothing is pending. */
  problems: string[];
  stornoInvoices: number;
  stornoPayments: number;
}

/**
 * Each expected Stripe object: one DocumentLink, validated, with its payment recorded; at Storno exactly one
 * invoice under the link's idempotency key (and no other invoice made by the app), exactly one payment on it;
 * the inbox all done or skipped.
 */
export async function audit(db: Database, storno: StornoSandbox, expected: Expected[]): Promise<Audit> {
  const problems: string[] = [];
  const links = await db.prisma.documentLink.findMany();
  const byObject = new Map<string, typeof links>();
  for (const l of links) byObject.set(`${l.kind}:${l.stripeObjectId}`, [...(byObject.get(`${l.kind}:${l.stripeObjectId}`) ?? []), l]);
  const want = new Set(expected.map((e) => `${e.kind}:${e.stripeObjectId}`));
  for (const key of byObject.keys()) if (!want.has(key)) problems.push(`unexpected document ${key}`);

  const state = storno.store.state;
  const invoicesByKey = new Map<string, number>();
  for (const inv of state.invoices) {
    if (inv.idempotencyKey?.startsWith('stripe-app:')) invoicesByKey.set(inv.idempotencyKey, (invoicesByKey.get(inv.idempotencyKey) ?? 0) + 1);
  }
  const paymentsByInvoice = new Map<string, number>();
  for (const p of state.payments) {
    paymentsByInvoice.set(p.invoiceId, (paymentsByInvoice.get(p.invoiceId) ?? 0) + 1);
  }
  const appInvoices = [...invoicesByKey.values()].reduce((a, b) => a + b, 0);
  if (appInvoices !== expected.length) problems.push(`Storno holds ${appInvoices} app invoices for ${expected.length} payments`);

  for (const e of expected) {
    const rows = byObject.get(`${e.kind}:${e.stripeObjectId}`) ?? [];
    if (rows.length !== 1) {
      problems.push(`${e.kind} ${e.stripeObjectId}: ${rows.length} document links`);
      continue;
    }
    const link = rows[0]!;
    if (link.status !== 'validated') problems.push(`${e.kind} ${e.stripeObjectId}: ${link.status}${link.providerError ? ` (${link.providerError})` : ''}${link.problem ? ` ${link.problem}` : ''}`);
    if (!link.paymentRecorded) problems.push(`${e.kind} ${e.stripeObjectId}: payment not recorded`);
    const atStorno = invoicesByKey.get(link.idempotencyKey) ?? 0;
    if (atStorno !== 1) problems.push(`${e.kind} ${e.stripeObjectId}: ${atStorno} Storno invoices under its idempotency key`);
    const inv = state.invoices.find((i) => i.id === link.stornoDocumentId);
    if (!inv || inv.idempotencyKey !== link.idempotencyKey) problems.push(`${e.kind} ${e.stripeObjectId}: link points at ${link.stornoDocumentId}, not its Storno invoice`);
    else if (inv.status !== 'validated') problems.push(`${e.kind} ${e.stripeObjectId}: Storno says ${inv.status}`);
    const payments = inv ? (paymentsByInvoice.get(inv.id) ?? 0) : 0;
    if (payments !== 1) problems.push(`${e.kind} ${e.stripeObjectId}: ${payments} payments recorded at Storno`);
  }
  const numbers = state.invoices.filter((i) => i.idempotencyKey?.startsWith('stripe-app:')).map((i) => `${i.companyId}:${i.number}`);
  if (new Set(numbers).size !== numbers.length) problems.push('two Storno invoices share a number');

  const o = await outcome(db);
  for (const [status, n] of Object.entries(o.inbox)) if (status !== 'done' && status !== 'skipped') problems.push(`${n} inbox events ${status}`);
  return { problems: problems.slice(0, 30), stornoInvoices: appInvoices, stornoPayments: [...paymentsByInvoice.values()].reduce((a, b) => a + b, 0) };
}

// ---- the real server as a child process --------------------------------------------------------------------------

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  /** Resolves once /healthz answers. */
  ready(timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `tsx backend/src/server.ts` (what `npm start` runs) with the given environment. */
export function startServerProcess(env: Record<string, string>, port: number): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/server.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...TEST_SECRETS, NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    url,
    output: () => out,
    // A start on a busy two-core machine (tsx compiling, migrations) can take well over 30 s.
    async ready(timeoutMs = 180_000) {
      await waitFor(
        `server on ${port} to start\n${out}`,
        async () => {
          if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}`);
          const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
          return res.ok;
        },
        timeoutMs,
        50,
      );
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
