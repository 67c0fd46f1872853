// `npm run bench` (`-- --short` for CI): auto-mode figures measured in one run on this machine, all on 127.0.0.1.
//   1. webhook intake (signed events, stored before 2xx) vs a bare Fastify route answering {} — same run, same load
//   2. end to end: invoice.paid delivered → document validated, zero-delay Storno sandbox
//   3. period check (issue 16): reading 10,000 sales, backfill throughput, Storno requests per document
//   4. dashboard latency with 100,000 documents (10,000 in --short)
//   5. peak RSS of the server process
// The backend runs as `tsx backend/src/server.ts` (what `npm start` runs) in a child process; the load generator
// and the stand-ins run here. Figures are printed, never asserted.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, signatureHeader } from '../backend/sandbox/stripe/index.js';
import { buildEvent } from '../backend/sandbox/stripe/events.js';
import { openDatabase } from '../backend/src/db/database.js';
import { DocumentStore } from '../backend/src/documents/store.js';
import { deliverOnce, REPO_ROOT, startServerProcess, waitFor, webhookUrl, type ServerProcess } from '../backend/test/support/autoRun.js';
import { TEST_SECRETS } from '../backend/test/support/config.js';
import { API } from '../backend/test/support/connect.js';
import { authHeaders } from '../backend/test/support/http.js';
import { connectDemo, freePort, startWorld } from '../backend/test/support/world.js';
import { preparePeriodBench, runPeriodBench } from './benchPeriods.js';

interface CannonResult {
  requests: { average: number; sent: number };
  latency: { p50: number; p99: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: CannonRequest) => CannonRequest;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: CannonRequest[];
}) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const short = process.argv.includes('--short');
const SECONDS = short ? 2 : 10;
const CONNECTIONS = 10;
const E2E_SINGLE = short ? 3 : 5;
const E2E_BATCH = short ? 20 : 100;
const FAULTY_BURST = short ? 40 : 200;
const DOCUMENTS = short ? 10_000 : 100_000;

const rows: [string, string, string][] = [];
const row = (what: string, value: string, note = '') => {
  rows.push([what, value, note]);
  console.error(`  … ${what}: ${value} ${note}`);
};
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function bareServer(port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const code = `import Fastify from 'fastify';
const app = Fastify({ logger: false });
app.post('/bare', async () => ({}));
await app.listen({ port: ${port}, host: '127.0.0.1' });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: REPO_ROOT, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the bare server', async () => (await fetch(`${url}/bare`, { method: 'POST' }).catch(() => undefined))?.ok, 15_000, 50);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  console.error(`bench (${short ? 'short' : 'full'}): ${SECONDS} s per load run, ${CONNECTIONS} connections`);
  const world = await startWorld({ kind: 'sqlite', providerDelayMs: 0 });
  const session = await connectDemo(world);
  await session.put('/settings', { autoMode: true });
  const periods = await preparePeriodBench(world, short);
  await world.app.close();
  const port = Number(new URL(world.baseUrl).port);
  const dataDir = mkdtempSync(join(tmpdir(), 'storno-bench-'));
  const env = (worker: boolean) => ({
    DATABASE_URL: world.db.url,
    DATA_DIR: dataDir,
    PUBLIC_URL: world.baseUrl,
    STORNO_API_URL: world.storno.url,
    STRIPE_API_URL: world.stripe.url,
    WORKER_ENABLED: String(worker),
    WORKER_TICK_MS: '1000',
  });
  const db = openDatabase(world.db.url);
  let server: ServerProcess | undefined;
  let peak = 0;
  const stopServer = async () => {
    peak = Math.max(peak, peakRssMb(server?.child.pid) ?? 0);
    await server?.kill('SIGTERM');
  };

  try {
    // ---- 1. intake vs bare route ---------------------------------------------------------------------------------
    const { invoice } = await world.stripe.createPaidInvoice({
      customer: DEMO.customers.b2bCluj,
      lines: [{ description: 'Abonament', unitAmount: 10_000, taxRate: DEMO.taxRates.vat21 }],
    });
    const template = JSON.stringify(buildEvent('invoice.paid', invoice, DEMO.account));
    const templateId = (JSON.parse(template) as { id: string }).id;

    // Both runs send the same requests, each a distinct event signed like Stripe's: the load generator's own
    // cost (signing) is then the same on both sides and the ratio compares the servers alone.
    let counter = 0;
    const signedRequests = (prefix: string): CannonRequest[] => [
      {
        method: 'POST',
        setupRequest: (req) => {
          const body = template.replace(templateId, `${prefix}${counter++}`);
          return { ...req, body, headers: { 'content-type': 'application/json', 'stripe-signature': signatureHeader(body, TEST_SECRETS.STRIPE_WEBHOOK_SECRET) } };
        },
      },
    ];
    const bare = await bareServer(await freePort());
    const bareRun = await autocannon({ url: `${bare.url}/bare`, connections: CONNECTIONS, duration: SECONDS, requests: signedRequests('evt_bare_') });
    await bare.stop();

    server = startServerProcess(env(false), port);
    await server.ready();
    const prefix = `evt_bench_${randomUUID().slice(0, 8)}_`;
    counter = 0;
    const intakeRun = await autocannon({ url: webhookUrl(server.url), connections: CONNECTIONS, duration: SECONDS, requests: signedRequests(prefix) });
    const sent = counter;
    await new Promise((r) => setTimeout(r, 300)); // requests still in flight when the run stopped
    const stored = await db.prisma.inboxEvent.count({ where: { eventId: { startsWith: prefix } } });
    // The intake run's events all name one invoice: counted, they are cleared so the end-to-end figures below
    // measure one payment's way through, not a backlog of tens of thousands of copies.
    await db.prisma.inboxEvent.deleteMany({ where: { eventId: { startsWith: prefix } } });
    const ratio = intakeRun.requests.average / bareRun.requests.average;
    row('bare Fastify route {}', `${Math.round(bareRun.requests.average)} req/s`, `p50 ${ms(bareRun.latency.p50)}, p99 ${ms(bareRun.latency.p99)}`);
    row('webhook intake (signed, stored)', `${Math.round(intakeRun.requests.average)} req/s`, `p50 ${ms(intakeRun.latency.p50)}, p99 ${ms(intakeRun.latency.p99)}`);
    row('intake / bare', `${(ratio * 100).toFixed(0)} %`, `aim ≥ 33 % — ${ratio >= 1 / 3 ? 'met' : 'MISSED'}`);
    const lost = intakeRun['2xx'] - stored;
    row(
      'intake: lost events',
      String(Math.max(0, lost)),
      `${intakeRun['2xx']} acknowledged (2xx), ${stored} inbox rows, ${sent} distinct ids sent, ${intakeRun.non2xx} non-2xx, ${intakeRun.errors} errors`,
    );
    await stopServer();

    // ---- 2. end to end: invoice.paid → validated -----------------------------------------------------------------
    server = startServerProcess(env(true), port);
    await server.ready();
    const stornoCallsBefore = world.storno.requests.length;
    const paidEvent = async (i: number) => {
      const paid = await world.stripe.createPaidInvoice({
        customer: DEMO.customers.b2bCluj,
        lines: [{ description: `Bench ${i}`, unitAmount: 1000 + i, taxRate: DEMO.taxRates.vat21 }],
      });
      return { id: paid.invoice.id as string, event: buildEvent('invoice.paid', paid.invoice, DEMO.account) };
    };
    const validated = (ids: string[]) =>
      db.prisma.documentLink.count({ where: { kind: 'invoice', stripeObjectId: { in: ids }, status: 'validated' } });
    const singles: number[] = [];
    for (let i = 0; i < E2E_SINGLE; i++) {
      const { id, event } = await paidEvent(i);
      const t0 = performance.now();
      await deliverOnce(webhookUrl(server.url), event);
      await waitFor('a validated document', async () => (await validated([id])) === 1, 60_000, 5);
      singles.push(performance.now() - t0);
    }
    row('e2e invoice.paid → validated (one)', `${(median(singles) / 1000).toFixed(2)} s`, `median of ${E2E_SINGLE}, min ${(Math.min(...singles) / 1000).toFixed(2)} s`);
    const batch = await Promise.all(Array.from({ length: E2E_BATCH }, (_, i) => paidEvent(100 + i)));
    const t0 = performance.now();
    await Promise.all(batch.map((b) => deliverOnce(webhookUrl(server!.url), b.event)));
    await waitFor('the batch validated', async () => (await validated(batch.map((b) => b.id))) === E2E_BATCH, 300_000, 20);
    const batchSeconds = (performance.now() - t0) / 1000;
    row(`e2e batch of ${E2E_BATCH} → all validated`, `${batchSeconds.toFixed(2)} s`, `${(E2E_BATCH / batchSeconds).toFixed(1)} documents/s`);
    const happyCalls = world.storno.requests.length - stornoCallsBefore;
    row('Storno requests per document (happy path)', (happyCalls / (E2E_SINGLE + E2E_BATCH)).toFixed(1), `${happyCalls} API calls for ${E2E_SINGLE + E2E_BATCH} documents, verdict refreshes included`);

    // The same under Storno faults (5xx, 429, cut connections on invoice calls): retries and re-drives cost calls,
    // backoff keeps them bounded.
    const faulty = await Promise.all(Array.from({ length: FAULTY_BURST }, (_, i) => paidEvent(1000 + i)));
    const faultyCallsBefore = world.storno.requests.length;
    world.storno.faults.set([{ path: '/api/v1/invoices', errorRate: 0.15, rateLimitRate: 0.05, dropRate: 0.05, count: FAULTY_BURST * 2 }]);
    const tf = performance.now();
    await Promise.all(faulty.map((b) => deliverOnce(webhookUrl(server!.url), b.event)));
    await waitFor('the faulty burst validated', async () => (await validated(faulty.map((b) => b.id))) === FAULTY_BURST, 600_000, 50);
    world.storno.faults.clear();
    const faultyCalls = world.storno.requests.length - faultyCallsBefore;
    row(
      `Storno requests per document (faulty burst of ${FAULTY_BURST})`,
      (faultyCalls / FAULTY_BURST).toFixed(1),
      `${faultyCalls} API calls (failed ones included), all validated in ${((performance.now() - tf) / 1000).toFixed(1)} s`,
    );
    await stopServer();

    // ---- 3. period check ----------------------------------------------------------------------------------------
    await runPeriodBench(periods, { world, env, port, row, peakRssMb });

    // ---- 4. dashboard with 100,000 documents ----------------------------------------------------------------------
    const connection = (await db.prisma.connection.findFirst({ where: { stripeAccountId: DEMO.account } }))!;
    const existing = await db.prisma.documentLink.count({ where: { connectionId: connection.id } });
    const statuses = ['validated', 'validated', 'validated', 'validated', 'sent_to_provider', 'issued', 'rejected', 'blocked', 'draft', 'pending'];
    const seed = Array.from({ length: DOCUMENTS - existing }, (_, i) => ({
      id: randomUUID(),
      connectionId: connection.id,
      kind: 'payment',
      stripeObjectId: `pi_bench_${i}`,
      idempotencyKey: `stripe-app:${connection.id}:payment:pi_bench_${i}`,
      status: statuses[i % statuses.length]!,
      origin: 'auto',
      clientName: `Client ${i % 97}`,
      total: `${100 + (i % 900)}.00`,
      currency: 'RON',
      createdAt: new Date(Date.now() - i * 60_000),
    }));
    for (let i = 0; i < seed.length; i += 2000) await db.prisma.documentLink.createMany({ data: seed.slice(i, i + 2000) });
    // Database time alone (one tenant's counts + one tab's rows), without HTTP, auth and JSON around it.
    const store = new DocumentStore(db.prisma);
    for (const tab of ['all', 'pending', 'errors'] as const) {
      const times: number[] = [];
      for (let i = 0; i < (short ? 50 : 200); i++) {
        const t = performance.now();
        await store.dashboard(connection.id, 'active', tab, 20);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      row(`dashboard DB time tab=${tab}, ${DOCUMENTS} docs`, `p50 ${ms(times[Math.floor(times.length / 2)]!)}, p99 ${ms(times[Math.floor(times.length * 0.99)]!)}`, 'counts by status, tiles, deadlines + 20 newest rows, Prisma on SQLite');
    }
    server = startServerProcess(env(false), port);
    await server.ready();
    const headers = authHeaders(session.tokens.access_token, session.userId, session.accountId);
    for (const tab of ['all', 'pending', 'errors'] as const) {
      const res = await fetch(`${server.url}${API}/dashboard?tab=${tab}`, { headers });
      if (!res.ok) throw new Error(`dashboard ${tab}: ${res.status} ${await res.text()}`);
      const run = await autocannon({ url: `${server.url}${API}/dashboard?tab=${tab}`, connections: 1, duration: Math.max(2, SECONDS / 2), headers });
      const p99 = run.latency.p99;
      row(`dashboard tab=${tab}, ${DOCUMENTS} docs`, `p50 ${ms(run.latency.p50)}, p99 ${ms(p99)}`, `${Math.round(run.requests.average)} req/s, 1 connection; aim p99 < 20 ms — ${p99 < 20 ? 'met' : 'MISSED'}`);
    }
    await stopServer();
    row('peak RSS, server process', `${peak.toFixed(0)} MB`, 'VmHWM, highest of the server runs');
    row('peak RSS, bench process', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`, 'load generator + stand-ins');
  } finally {
    await server?.kill('SIGKILL');
    await db.close();
    await world.stripe.close();
    await world.storno.close();
    await world.db.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const widths = [0, 1, 2].map((c) => Math.max(...[['figure', 'value', 'notes'], ...rows].map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((v, c) => v.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(`\nStorno e-Factura for Stripe — benchmark (${short ? 'short' : 'full'}, ${((Date.now() - started) / 1000).toFixed(0)} s, node ${process.version}, SQLite)`);
  console.log(line(['figure', 'value', 'notes']));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
