// Auto mode as it runs in production: the real server (`tsx backend/src/server.ts`, what `npm start` runs) as a
// child process, with the stand-ins in this test process.
//  - SQLite: the server is SIGKILLed at random moments while events stream in (Stripe keeps retrying delivery
//    while it is down) and restarted each time → every payment still ends as exactly one validated document.
//  - PostgreSQL (TEST_DATABASE_URL): two servers on one database share the work → the same result, each event
//    claimed by one worker once, and both workers did some of it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { audit, deliverAll, makeBurst, outcome, prng, startServerProcess, waitUntilSettled, webhookUrl, type ServerProcess } from './support/autoRun.js';
import { connectDemo, freePort, startWorld, type World } from './support/world.js';

/** The stand-ins and a connected demo account with auto mode on; the in-process backend is closed again. */
async function prepare(kind: 'sqlite' | 'postgresql'): Promise<World> {
  const world = await startWorld({ kind, providerDelayMs: 0 });
  const s = await connectDemo(world);
  expect((await s.put('/settings', { autoMode: true })).statusCode).toBe(200);
  await world.app.close();
  return world;
}

function serverEnv(world: World, dataDir: string, publicUrl: string): Record<string, string> {
  return {
    DATABASE_URL: world.db.url,
    DATA_DIR: dataDir,
    PUBLIC_URL: publicUrl,
    STORNO_API_URL: world.storno.url,
    STRIPE_API_URL: world.stripe.url,
    WORKER_ENABLED: 'true',
    WORKER_TICK_MS: '200',
    STALLED_AFTER_MS: '500',
    VERDICT_POLL_MS: '0',
  };
}


describe('auto mode survives SIGKILL (sqlite, real server process)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'storno-crash-'));
  let world: World | undefined;
  let server: ServerProcess | undefined;
  let db: Database | undefined;
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await db?.close();
    await world?.stripe.close();
    await world?.storno.close();
    await world?.db.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('killed at random moments 5 times and restarted → one validated document per payment, nothing pending', async () => {
    world = await prepare('sqlite');
    const port = Number(new URL(world.baseUrl).port);
    const env = serverEnv(world, dataDir, world.baseUrl);
    const burst = await makeBurst(world.stripe, { invoices: 150, payments: 100, invoicePiEvents: 30, duplicates: 30, seed: 11 });

    server = startServerProcess(env, port);
    await server.ready();
    // Stripe's side: deliver everything, retrying while the server is down.
    const delivery = deliverAll([webhookUrl(server.url)], burst.events, { concurrency: 4, retryDelayMs: 100 });

    const random = prng(5);
    const kills: string[] = [];
    db = openDatabase(world.db.url);
    for (let k = 0; k < 5; k++) {
      await new Promise((r) => setTimeout(r, 700 + Math.floor(random() * 2500)));
      await server.kill('SIGKILL');
      const o = await outcome(db).catch(() => undefined);
      kills.push(o ? `links ${JSON.stringify(o.links)}` : '?');
      server = startServerProcess(env, port);
      await server.ready();
    }
    await delivery;
    console.info(`documents when killed: ${kills.join(' | ')}`);
    const final = await waitUntilSettled(db, world.storno);

    const result = await audit(db, world.storno, burst.expected);
    expect(result.problems, `kills at: ${kills.join(' | ')}\n${server.output()}`).toEqual([]);
    expect(final.links).toEqual({ validated: 250 });
    expect(await db.prisma.inboxEvent.count({ where: { source: 'stripe' } })).toBe(280);
  }, 0); // bounded by progress (the waits above), not by the clock
});

const pg = process.env.TEST_DATABASE_URL;
if (!pg) console.info('skipping the two-instance PostgreSQL run: TEST_DATABASE_URL is not set');
describe('auto mode on two server processes sharing one PostgreSQL database', () => {
  const dataDirs = [mkdtempSync(join(tmpdir(), 'storno-pg-a-')), mkdtempSync(join(tmpdir(), 'storno-pg-b-'))];
  let world: World | undefined;
  const servers: ServerProcess[] = [];
  let db: Database | undefined;
  afterAll(async () => {
    for (const s of servers) await s.kill('SIGTERM');
    await db?.close();
    await world?.stripe.close();
    await world?.storno.close();
    await world?.db.cleanup();
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
  });

  it.skipIf(!pg)('two instances → one validated document per payment, each event claimed once, both did work', async () => {
    world = await prepare('postgresql');
    const ports = [Number(new URL(world.baseUrl).port), await freePort()];
    for (const [i, port] of ports.entries()) servers.push(startServerProcess(serverEnv(world, dataDirs[i]!, `http://127.0.0.1:${port}`), port));
    await Promise.all(servers.map((s) => s.ready()));
    const burst = await makeBurst(world.stripe, { invoices: 200, payments: 100, invoicePiEvents: 40, duplicates: 60, seed: 13 });
    // Deliveries alternate between the two instances (as behind a load balancer).
    await deliverAll(servers.map((s) => webhookUrl(s.url)), burst.events, { concurrency: 8 });

    db = openDatabase(world.db.url);
    const final = await waitUntilSettled(db, world.storno);
    const result = await audit(db, world.storno, burst.expected);
    expect(result.problems).toEqual([]);
    expect(final.links).toEqual({ validated: 300 });

    const processed = await db.prisma.inboxEvent.findMany({ where: { source: 'stripe', status: { in: ['done', 'skipped'] }, lockedBy: { not: null } } });
    expect(processed).toHaveLength(340); // every stored event was claimed by a worker (none was skipped at intake)
    // Claimed once, by one worker: a second claim would have raised the attempt count.
    expect(processed.filter((e) => e.attempts !== 1).map((e) => [e.eventId, e.attempts, e.lastError])).toEqual([]);
    const perWorker = new Map<string, number>();
    for (const e of processed) perWorker.set(e.lockedBy!, (perWorker.get(e.lockedBy!) ?? 0) + 1);
    expect([...perWorker.keys()]).toHaveLength(2);
    for (const n of perWorker.values()) expect(n).toBeGreaterThan(0);
  }, 0); // bounded by progress (the waits above), not by the clock
});
