// Fault injection (latency, 5xx, 429 + Retry-After, dropped sockets, count) over real HTTP, and state-file persistence.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_SEED, startStornoSandbox, type StornoSandbox } from './index.js';

const S = SANDBOX_SEED;
const auth = { authorization: S.apiKeys.demo.key, 'x-company': S.companies.a.id };

describe('fault injection', () => {
  let sb: StornoSandbox;
  beforeAll(async () => {
    sb = await startStornoSandbox({ seed: 7 });
  });
  afterAll(async () => {
    await sb.close();
  });
  afterEach(() => sb.faults.clear());

  it('adds latency to matching routes only', async () => {
    sb.faults.set([{ path: '/api/v1/vat-rates', latencyMs: 150 }]);
    let t = Date.now();
    expect((await fetch(`${sb.url}/api/v1/vat-rates`, { headers: auth })).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    t = Date.now();
    await fetch(`${sb.url}/api/v1/document-series`, { headers: auth });
    expect(Date.now() - t).toBeLessThan(140);
  });

  it('answers 429 with Retry-After for the next N requests (count), set over HTTP', async () => {
    const set = await fetch(`${sb.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ method: 'GET', path: '^/api/v1/invoices$', rateLimitRate: 1, count: 2 }] }),
    });
    expect(set.status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${sb.url}/api/v1/invoices`, { headers: auth });
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get('retry-after')).toBe('1');
    }
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('drops the connection (socket destroyed, no answer)', async () => {
    sb.faults.set([{ path: '/api/v1/companies', dropRate: 1 }]);
    await expect(fetch(`${sb.url}/api/v1/companies`, { headers: auth })).rejects.toThrow();
    expect((await fetch(`${sb.url}/__sandbox/state`)).status).toBe(200); // control routes are never faulted
    const cleared = await fetch(`${sb.url}/__sandbox/faults`, { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    expect((await fetch(`${sb.url}/api/v1/companies`, { headers: auth })).status).toBe(200);
  });

  it('error rates are seeded: the same rules give the same sequence of statuses', async () => {
    const run = async () => {
      sb.faults.set([{ path: '/api/v1/me', errorRate: 0.5 }]);
      const out = [];
      for (let i = 0; i < 12; i++) out.push((await fetch(`${sb.url}/api/v1/me`, { headers: auth })).status);
      return out;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.some((s) => s === 200)).toBe(true);
    expect(first.some((s) => s === 500 || s === 503)).toBe(true);
  });

  it('rejects malformed rules with 400', async () => {
    const res = await fetch(`${sb.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules: [{ path: '/x', errorRate: 2 }] }) });
    expect(res.status).toBe(400);
  });
});

describe('state file', () => {
  it('keeps documents across restarts; /__sandbox/reset restores the seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'storno-sandbox-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startStornoSandbox({ stateFile });
      const created = await fetch(`${first.url}/api/v1/invoices`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ receiverName: 'Persistă SRL', lines: [{ description: 'x', quantity: '1', unitPrice: '10.00' }] }),
      });
      const { invoice } = (await created.json()) as { invoice: { id: string } };
      await fetch(`${first.url}/api/v1/invoices/${invoice.id}/issue`, { method: 'POST', headers: auth });
      await first.close();

      const second = await startStornoSandbox({ stateFile });
      const again = await fetch(`${second.url}/api/v1/invoices/${invoice.id}`, { headers: auth });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ receiverName: 'Persistă SRL', number: 'FACT0001', status: 'issued' });
      expect((await fetch(`${second.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
      expect((await fetch(`${second.url}/api/v1/invoices/${invoice.id}`, { headers: auth })).status).toBe(404);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
