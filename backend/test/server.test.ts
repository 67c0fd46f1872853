// The real main (`npm start`): first start creates the database and development secrets under DATA_DIR and
// starts both stand-ins; a second start reuses them; SIGTERM lets an in-flight request finish.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/world.js';

const ROOT = join(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'storno-server-'));

interface Running {
  child: ChildProcess;
  output: () => string;
  url: string;
  exited: Promise<number | null>;
}

async function start(logLevel = 'info'): Promise<Running> {
  const [port, storno, stripe] = [await freePort(), await freePort(), await freePort()];
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', DATA_DIR: dataDir, PORT: String(port), STORNO_SANDBOX_PORT: String(storno), STRIPE_FAKE_PORT: String(stripe), LOG_LEVEL: logLevel };
  // As `npm start` runs it: one node process, so signals reach the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000; // a first start on a busy two-core machine compiles a lot
  while (!out.includes('backend ready')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out, url: `http://127.0.0.1:${port}`, exited };
}

describe('npm start', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));

  it('starts with nothing configured, prints one banner, and a second start reuses the database and secrets', async () => {
    const first = await start();
    expect(first.output()).toContain('Consent page:');
    expect(first.output()).toMatch(/Stand-ins: +Storno API sandbox at http:\/\/127\.0\.0\.1:\d+; Stripe API fake at/);
    expect(first.output()).toContain(join(dataDir, 'storno-stripe.db'));
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    const secrets = readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await start('debug');
    expect(readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8')).toBe(secrets);
    expect(existsSync(join(dataDir, 'storno-sandbox.json'))).toBe(true);
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);

    // SIGTERM while a request is in flight (the preview bundle takes a moment to build): it still completes.
    const inFlight = fetch(`${second.url}/preview/app.js`);
    // Signal only once the server has taken the request (a request arriving after close gets a 503 by design).
    while (!second.output().includes('GET /preview/app.js ← taken')) {
      await new Promise((r) => setTimeout(r, 5));
    }
    second.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(1000);
    expect(await second.exited).toBe(0);
  }, 0); // bounded by the start-up waits above
});
