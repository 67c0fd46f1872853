// Benchmark figures of the period check (issue 16), run by scripts/bench.ts against the real server process:
//   - reading a period of N sales from the Stripe fake (wall time, peak RSS of the server; two sizes, so a
//     reader can see whether memory grows with N)
//   - backfill throughput against the zero-delay Storno sandbox, and Storno requests per document (counted by
//     a pass-through proxy in front of the sandbox)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { generateAccount } from '../backend/sandbox/stripe/generate.js';
import { SANDBOX_SEED } from '../backend/sandbox/storno/index.js';
import { startServerProcess, waitForProgress, type ServerProcess } from '../backend/test/support/autoRun.js';
import { API } from '../backend/test/support/connect.js';
import { authHeaders } from '../backend/test/support/http.js';
import { connectDemo, freePort, type Session, type World } from '../backend/test/support/world.js';
import type { BackfillResponse, ReconciliationResponse } from '../src/api/contract.js';

const PERIOD = { from: '2026-10-01', to: '2026-10-31' };

interface Account {
  session: Session;
  sales: number;
}

export interface PeriodBench {
  reads: Account[];
  fill: Account;
}

/** Generated accounts in the Stripe fake, each connected through the real consent flow (needs the live app). */
export async function preparePeriodBench(world: World, short: boolean): Promise<PeriodBench> {
  const account = async (name: string, sales: number, companyId: string) => {
    const invoices = Math.round(sales * 0.6);
    const refunds = Math.round(sales * 0.1);
    const generated = generateAccount({ prefix: name, from: PERIOD.from, to: PERIOD.to, invoices, payments: sales - invoices - refunds, refunds, seed: sales });
    world.stripe.createAccount(`acct_bench_${name}`, generated.objects);
    return { session: await connectDemo(world, { accountId: `acct_bench_${name}`, userId: `usr_bench_${name}`, companyId }), sales };
  };
  const sizes = short ? [500, 2_000] : [2_000, 10_000];
  const reads = [];
  for (const n of sizes) reads.push(await account(`r${n}`, n, SANDBOX_SEED.companies.b.id));
  return { reads, fill: await account('fill', short ? 20 : 100, SANDBOX_SEED.companies.a.id) };
}

/** A pass-through HTTP proxy that counts requests (the Storno sandbox keeps no request log). */
async function countingProxy(target: string): Promise<{ url: string; count: () => number; reset: () => void; close: () => Promise<void> }> {
  let count = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    count++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      fetch(`${target}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, redirect: 'manual' })
        .then(async (answer) => {
          const body = Buffer.from(await answer.arrayBuffer());
          const out: Record<string, string> = {};
          answer.headers.forEach((v, k) => {
            if (!['content-encoding', 'transfer-encoding', 'connection', 'content-length'].includes(k)) out[k] = v;
          });
          res.writeHead(answer.status, out).end(body);
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => count,
    reset: () => {
      count = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function runPeriodBench(
  bench: PeriodBench,
  input: { world: World; env: (worker: boolean) => Record<string, string>; port: number; row: (what: string, value: string, note?: string) => void; peakRssMb: (pid: number | undefined) => number | undefined },
): Promise<void> {
  const call = async <T>(server: ServerProcess, session: Session, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}${API}${path}`, {
      method,
      headers: { ...authHeaders(session.tokens.access_token, session.userId, session.accountId), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  // ---- reading a period, two sizes, a fresh server process each (VmHWM is per process) ---------------------------
  for (const read of bench.reads) {
    const server = startServerProcess(input.env(true), input.port);
    await server.ready();
    try {
      const t0 = performance.now();
      const started = await call<ReconciliationResponse>(server, read.session, 'POST', '/reconciliations', PERIOD);
      const done = await waitForProgress(
        'the period read',
        async () => {
          const rec = await call<ReconciliationResponse>(server, read.session, 'GET', `/reconciliations/${started.id}`);
          return { done: rec.status === 'done' || rec.status === 'failed', progress: rec.progress.pagesRead, value: rec };
        },
        { everyMs: 100, stallMs: 120_000 },
      );
      const seconds = (performance.now() - t0) / 1000;
      if (done.status !== 'done') throw new Error(`period read failed: ${done.error}`);
      input.row(
        `period check, ${read.sales} sales`,
        `${seconds.toFixed(2)} s`,
        `${done.summary!.total} sales, ${done.progress.pagesRead} pages; peak RSS server ${(input.peakRssMb(server.child.pid) ?? 0).toFixed(0)} MB; aim < 20 s`,
      );
    } finally {
      await server.kill('SIGTERM');
    }
  }

  // ---- backfill throughput, Storno requests per document --------------------------------------------------------
  const proxy = await countingProxy(input.world.storno.url);
  const server = startServerProcess({ ...input.env(true), STORNO_API_URL: proxy.url, BACKFILL_CONCURRENCY: '4' }, input.port);
  await server.ready();
  try {
    const { session } = bench.fill;
    const started = await call<ReconciliationResponse>(server, session, 'POST', '/reconciliations', PERIOD);
    await waitForProgress('the fill period read', async () => {
      const rec = await call<ReconciliationResponse>(server, session, 'GET', `/reconciliations/${started.id}`);
      return { done: rec.status === 'done', progress: rec.progress.pagesRead, value: rec };
    });
    proxy.reset();
    const t0 = performance.now();
    const job = await call<BackfillResponse>(server, session, 'POST', '/backfills', { reconciliationId: started.id, confirmLate: true });
    const end = await waitForProgress(
      'the backfill',
      async () => {
        const view = await call<BackfillResponse>(server, session, 'GET', `/backfills/${job.id}`);
        return { done: view.status !== 'running', progress: view.done + view.failed, value: view };
      },
      { everyMs: 100, stallMs: 120_000 },
    );
    const seconds = (performance.now() - t0) / 1000;
    input.row(`backfill of ${end.total} missing sales`, `${seconds.toFixed(2)} s`, `${(end.total / seconds).toFixed(1)} documents/s, ${end.done} done, ${end.failed} failed, concurrency 4, zero-delay sandbox`);
    input.row('Storno requests per document (backfill)', (proxy.count() / Math.max(1, end.total)).toFixed(1), `${proxy.count()} requests for ${end.total} documents (client matching included); aim ≤ 5`);
  } finally {
    await server.kill('SIGTERM');
    await proxy.close();
  }
}
