// Simulated provider verdicts (ANAF-style rejections, fix + resubmit) and outbound webhooks (signature, retries).
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SANDBOX_SEED } from './index.js';
import { kit, type Kit } from './testkit.js';

const S = SANDBOX_SEED;
let k: Kit;

interface Received { headers: Record<string, string | string[] | undefined>; body: string }

/** A local receiver; `statuses` are answered in order (then 200). */
async function receiver(statuses: number[] = []): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/storno`, got, server };
}

async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeEach(async () => {
  k = await kit({ providerDelayMs: 0, webhookRetryDelaysMs: [30, 30] });
});
afterEach(async () => {
  await k.sandbox.close();
});

async function issuedFor(clientId: string): Promise<string> {
  const inv = await k.draft({ clientId });
  expect((await k.call('POST', `/api/v1/invoices/${inv.id}/issue`)).status).toBe(200);
  return inv.id;
}

async function submitAndSettle(id: string) {
  const res = await k.call('POST', `/api/v1/invoices/${id}/submit`);
  expect(res.status).toBe(200);
  expect(res.body.status).toBe('sent_to_provider');
  await k.sandbox.settle();
  return (await k.call('GET', `/api/v1/invoices/${id}`)).body;
}

describe('provider verdicts', () => {
  it('validates a correct Romanian buyer (sent_to_provider → validated, anafStatus ok)', async () => {
    const id = await issuedFor(S.clients.roCompany.id);
    const inv = await submitAndSettle(id);
    expect(inv).toMatchObject({ status: 'validated', anafStatus: 'ok', anafErrorMessage: null });
    expect(inv.anafUploadId).toMatch(/^\d+$/);
    const events = (await k.call('GET', `/api/v1/invoices/${id}/events`)).body.map((e: { newStatus: string }) => e.newStatus);
    expect(events).toEqual(['validated', 'sent_to_provider', 'issued', 'draft']);
    // Once validated, no resubmission.
    expect((await k.call('POST', `/api/v1/invoices/${id}/submit`)).status).toBe(422);
  });

  it('rejects a buyer CIF with a wrong check digit (BR-RO-120); the frozen snapshot is judged until the document is updated', async () => {
    const c = await k.call('POST', '/api/v1/clients', { name: 'CIF Greșit SRL', cui: '12345678', address: 'Str. X 1', city: 'Cluj-Napoca', county: 'Cluj' });
    const id = await issuedFor(c.body.client.id);
    const rejected = await submitAndSettle(id);
    expect(rejected).toMatchObject({ status: 'rejected', anafStatus: 'nok' });
    expect(rejected.anafErrorMessage).toMatch(/^E: \[BR-RO-120\].*CIF cumparator invalid 12345678/);
    await k.call('PATCH', `/api/v1/clients/${c.body.client.id}`, { cui: '18547290' });
    // The client is fixed, but the document still carries the buyer frozen when it was made.
    expect((await submitAndSettle(id)).anafErrorMessage).toMatch(/CIF cumparator invalid 12345678/);
    expect((await k.call('PUT', `/api/v1/invoices/${id}`, { clientId: c.body.client.id })).status).toBe(200);
    const fixed = await submitAndSettle(id);
    expect(fixed).toMatchObject({ status: 'validated', anafStatus: 'ok', anafErrorMessage: null, receiverCif: '18547290' });
  });

  it('rejects a buyer with no street, city or county (BR-RO-082/092/111), validated once fixed', async () => {
    const c = await k.call('POST', '/api/v1/clients', { name: 'Fără Adresă SRL', cui: '18547290' });
    const id = await issuedFor(c.body.client.id);
    const rejected = await submitAndSettle(id);
    expect(rejected.status).toBe('rejected');
    expect(rejected.anafErrorMessage).toContain('[BR-RO-082]');
    expect(rejected.anafErrorMessage).toContain('[BR-RO-092]');
    expect(rejected.anafErrorMessage).toContain('[BR-RO-111]');
    await k.call('PATCH', `/api/v1/clients/${c.body.client.id}`, { address: 'Str. Republicii 5', city: 'Brașov', county: 'Nowhere' });
    await k.call('PUT', `/api/v1/invoices/${id}`, { clientId: c.body.client.id });
    const stillBad = await submitAndSettle(id);
    expect(stillBad.anafErrorMessage).toMatch(/^E: \[BR-RO-111\]/);
    await k.call('PATCH', `/api/v1/clients/${c.body.client.id}`, { county: 'Județul Brașov' });
    await k.call('PUT', `/api/v1/invoices/${id}`, { clientId: c.body.client.id });
    expect((await submitAndSettle(id)).status).toBe('validated');
  });

  it('a validated refund stays refund', async () => {
    const parent = await issuedFor(S.clients.roCompany.id);
    const child = await k.draft({ parentDocumentId: parent, lines: [{ description: 'Storno', quantity: '-1', unitPrice: '100.00' }] });
    await k.call('POST', `/api/v1/invoices/${child.id}/issue`);
    expect(await submitAndSettle(child.id)).toMatchObject({ status: 'refund', anafStatus: 'ok' });
  });

  it('submit needs a Romanian (or no) client and a company ANAF token: else 422 {error}', async () => {
    const de = await issuedFor(S.clients.german.id);
    const res = await k.call('POST', `/api/v1/invoices/${de}/submit`);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/Romania/);
    const ro = await issuedFor(S.clients.roCompany.id);
    k.sandbox.store.state.companies.find((c) => c.id === S.companies.a.id)!.hasValidToken = false;
    const noToken = await k.call('POST', `/api/v1/invoices/${ro}/submit`);
    expect(noToken.status).toBe(422);
    expect(noToken.body.error).toMatch(/ANAF token/);
  });
});

describe('webhooks', () => {
  it('registers (secret shown once) and delivers signed invoice events with the real headers', async () => {
    const r = await receiver();
    try {
      const created = await k.call('POST', '/api/v1/webhooks', {
        url: r.url,
        events: ['invoice.created', 'invoice.issued', 'invoice.sent_to_provider', 'invoice.validated', 'payment.received'],
      });
      expect(created.status).toBe(201);
      const secret: string = created.body.data.secret;
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      const list = await k.call('GET', '/api/v1/webhooks');
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0]).not.toHaveProperty('secret');

      const id = await issuedFor(S.clients.roCompany.id);
      await submitAndSettle(id);
      await k.call('POST', `/api/v1/invoices/${id}/payments`, { amount: '121.00', paymentMethod: 'card' });
      await k.sandbox.settle();
      await waitFor(() => r.got.length === 5);

      const events = r.got.map((g) => JSON.parse(g.body));
      expect(events.map((e) => e.event).sort()).toEqual(
        ['invoice.created', 'invoice.issued', 'invoice.sent_to_provider', 'invoice.validated', 'payment.received'].sort(),
      );
      const validated = events.find((e) => e.event === 'invoice.validated');
      expect(validated.data).toEqual({ id, number: 'FACT0001', status: 'validated', direction: 'outgoing', total: '121.00', currency: 'RON' });
      expect(validated.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      expect(Number.isNaN(Date.parse(validated.created_at))).toBe(false);
      const payment = events.find((e) => e.event === 'payment.received');
      expect(payment.data).toMatchObject({ invoiceId: id, amount: '121.00', paymentMethod: 'card', currency: 'RON' });
      for (const g of r.got) {
        const expected = createHmac('sha256', secret).update(g.body).digest('hex');
        expect(g.headers['x-webhook-signature']).toBe(expected);
        expect(g.headers['user-agent']).toBe('Storno-Webhook/1.0');
        expect(g.headers['x-webhook-event']).toBe(JSON.parse(g.body).event);
        expect(g.headers['x-webhook-id']).not.toBe(JSON.parse(g.body).id);
      }
      const del = await k.call('DELETE', `/api/v1/webhooks/${created.body.data.id}`);
      expect(del.status).toBe(204);
    } finally {
      r.server.close();
    }
  });

  it('retries a failed delivery with the same id and body, then gives up after 3 attempts', async () => {
    const r = await receiver([500, 503, 500]);
    try {
      await k.call('POST', '/api/v1/webhooks', { url: r.url, events: ['invoice.created'] });
      await k.draft();
      await waitFor(() => r.got.length === 3);
      await new Promise((res) => setTimeout(res, 80));
      expect(r.got).toHaveLength(3);
      expect(new Set(r.got.map((g) => g.body)).size).toBe(1);
      expect(new Set(r.got.map((g) => g.headers['x-webhook-id'])).size).toBe(1);
      expect(k.sandbox.store.state.deliveries[0]).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: 500 });
    } finally {
      r.server.close();
    }
  });

  it('requires https; loopback http only behind allowLoopbackWebhooks; an explicit company', async () => {
    const ev = { events: ['invoice.created'] };
    expect((await k.call('POST', '/api/v1/webhooks', { url: 'http://example.com/h', ...ev })).status).toBe(400);
    expect((await k.call('POST', '/api/v1/webhooks', { url: 'https://example.com/h', ...ev })).status).toBe(201);
    expect((await k.call('POST', '/api/v1/webhooks', { url: 'https://example.com/h', events: ['nope'] })).status).toBe(400);
    const noCompany = await k.call('GET', '/api/v1/webhooks', undefined, { 'x-company': '' });
    expect(noCompany).toMatchObject({ status: 400, body: { error: 'No company selected.' } });
    const strict = await kit({ allowLoopbackWebhooks: false });
    try {
      const res = await strict.call('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/h', ...ev });
      expect(res).toMatchObject({ status: 400, body: { error: 'Webhook URL must use HTTPS.' } });
    } finally {
      await strict.sandbox.close();
    }
  });
});
