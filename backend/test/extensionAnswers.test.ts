// What the extension reads besides documents: signed PDF/XML links (bound to connection, document, format and
// time; Storno's credentials stay here), and the view answers the extension words in the merchant's language
// (pre-flight params, cycle create rules, refunded payments, draft/void invoices).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../sandbox/stripe/index.js';
import { signFileLink } from '../src/documents/fileLinks.js';
import { TEST_SECRETS } from './support/config.js';
import { connectDemo, startWorld, type Session, type World } from './support/world.js';

describe('extension answers', () => {
  let world: World;
  let s: Session;

  beforeAll(async () => {
    world = await startWorld();
    s = await connectDemo(world);
  });
  afterAll(async () => world?.close());

  async function filesOf(documentId: string) {
    const res = await s.post(`/documents/${documentId}/files`);
    expect(res.statusCode).toBe(200);
    return res.json() as { pdfUrl: string; xmlUrl: string; expiresAt: string };
  }

  it('signed links open the PDF inline and the XML as an attachment, without credentials in the URL', async () => {
    const created = (await s.post(`/invoices/${DEMO.invoices.b2b}/einvoice`, { confirmLate: true })).json();
    const links = await filesOf(created.id);
    const expiresIn = Date.parse(links.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(240_000);
    expect(expiresIn).toBeLessThanOrEqual(300_000);
    for (const url of [links.pdfUrl, links.xmlUrl]) {
      expect(url.startsWith(`${world.baseUrl}/api/v1/stripe-app/files/documents/${created.id}/`)).toBe(true);
      expect(url).not.toMatch(/Bearer|access_token|af_|storno_at/i);
    }

    const pdf = await fetch(links.pdfUrl);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`inline; filename="${created.number}.pdf"`);
    expect(pdf.headers.get('cache-control')).toBe('private, no-store');
    const bytes = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    expect(bytes.startsWith('%PDF-')).toBe(true);
    expect(bytes).toContain(created.number);

    const xml = await fetch(links.xmlUrl);
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-disposition')).toBe(`attachment; filename="${created.number}.xml"`);
    const text = await xml.text();
    expect(text).toContain(`<cbc:ID>${created.number}</cbc:ID>`);
    expect(text).toContain('<cbc:PayableAmount currencyID="RON">121.00</cbc:PayableAmount>');
  });

  it('a link is refused when tampered with, moved to another document or format, expired, or without a signature', async () => {
    const a = (await s.post(`/invoices/${DEMO.invoices.mixedRates}/einvoice`, { confirmLate: true })).json();
    const b = (await s.post(`/invoices/${DEMO.invoices.coupon}/einvoice`, { confirmLate: true })).json();
    const { pdfUrl } = await filesOf(a.id);
    const url = new URL(pdfUrl);
    const status = async (u: URL | string) => {
      const res = await fetch(u);
      return [res.status, ((await res.json()) as { error: string }).error];
    };

    const tampered = new URL(url);
    tampered.searchParams.set('signature', url.searchParams.get('signature')!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')));
    expect(await status(tampered)).toEqual([403, 'link_invalid']);
    expect(await status(url.href.replace(a.id, b.id))).toEqual([403, 'link_invalid']);
    expect(await status(url.href.replace('/pdf?', '/xml?'))).toEqual([403, 'link_invalid']);
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    expect(await status(later)).toEqual([403, 'link_invalid']);
    const bare = new URL(url);
    bare.search = '';
    expect(await status(bare)).toEqual([403, 'link_invalid']);

    const connection = url.searchParams.get('connection')!;
    const expires = Math.floor(Date.now() / 1000) - 1;
    const signature = signFileLink([TEST_SECRETS.STRIPE_APP_SECRET], { connectionId: connection, documentId: a.id, format: 'pdf', expires });
    const expired = new URL(url);
    expired.searchParams.set('expires', String(expires));
    expired.searchParams.set('signature', signature);
    expect(await status(expired)).toEqual([403, 'link_expired']);
  });

  it('asking for links needs the bearer token and signature; a document not at Storno yet has none', async () => {
    const created = (await s.post(`/invoices/${DEMO.invoices.badCif}/einvoice`, { confirmLate: true })).json();
    expect(created.status).toBe('blocked');
    const refused = await world.app.inject({ method: 'POST', url: `/api/v1/stripe-app/documents/${created.id}/files` });
    expect(refused.statusCode).toBe(401);
    const res = await s.post(`/documents/${created.id}/files`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('document_not_at_storno');
  });

  it('pre-flight checks carry a code, the English message and the values for translation', async () => {
    const view = (await s.get(`/invoices/${DEMO.invoices.badCif}`)).json();
    const check = view.document.problem.checks.find((c: { code: string }) => c.code === 'buyer_cif_invalid');
    expect(check.message).toContain('fails the check digit');
    expect(check.params).toEqual({ cif: 'RO12345678' });
  });

  it('draft and void Stripe invoices say why nothing can be made', async () => {
    const voided = (await s.get(`/invoices/${DEMO.invoices.voided}`)).json();
    expect(voided).toMatchObject({ canCreate: false, cannotCreateReason: 'invoice_void', document: null });
    const open = (await s.get(`/invoices/${DEMO.invoices.open}`)).json();
    expect(open).toMatchObject({ canCreate: true, cannotCreateReason: null });
  });

  it('a fully refunded payment reads refunded, with the refunded amount', async () => {
    const view = (await s.get(`/payments/${DEMO.invoicePayments.b2b.paymentIntent}`)).json();
    expect(view.payment).toMatchObject({ status: 'refunded', amount: '121.00', amountRefunded: '121.00' });
  });

  it('subscription cycles: gross and net, the last day included, create offered exactly where the backend accepts it', async () => {
    const view = (await s.get(`/subscriptions/${DEMO.subscriptions.monthly}`)).json();
    expect(typeof view.subscription.amountIncludesVat).toBe('boolean');
    expect(view.cycles.length).toBeGreaterThan(0);
    for (const cycle of view.cycles) {
      expect(cycle.periodStart).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(cycle.periodEnd).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(cycle.periodEnd >= cycle.periodStart).toBe(true);
      expect(Number(cycle.net)).toBeLessThanOrEqual(Number(cycle.amount));
      expect(cycle.canCreate).toBe(!cycle.document && !['draft', 'void'].includes(cycle.stripeStatus));
    }
    // Consecutive monthly cycles do not overlap: one ends the day before the next starts.
    const sorted = [...view.cycles].sort((x, y) => x.periodStart.localeCompare(y.periodStart));
    for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1].periodEnd < sorted[i].periodStart).toBe(true);
    // The demo's cycles start at 00:00 UTC (02:00 in Bucharest): November's last day is the 30th, not 1 December.
    expect(sorted.at(-1)).toMatchObject({ periodStart: '2026-11-01', periodEnd: '2026-11-30' });
    const offered = view.cycles.find((c: { canCreate: boolean }) => c.canCreate);
    if (offered) {
      const made = await s.post(`/subscriptions/${DEMO.subscriptions.monthly}/cycles/${offered.invoiceId}/einvoice`, { confirmLate: true });
      expect([200, 201]).toContain(made.statusCode);
    }
  });
});

describe('demo recipe: re-authorization through the sandbox control', () => {
  it('after POST /__sandbox/revoke-tokens the views answer reauthorization_required', async () => {
    const world = await startWorld();
    try {
      const s = await connectDemo(world);
      expect((await s.get(`/customers/${DEMO.customers.b2bCluj}`)).statusCode).toBe(200);
      const revoked = await fetch(`${world.storno.url}/__sandbox/revoke-tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'demo@storno.test' }),
      });
      expect(((await revoked.json()) as { revoked: number }).revoked).toBeGreaterThan(0);
      const refused = await s.get(`/customers/${DEMO.customers.b2bCluj}`);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error).toBe('reauthorization_required');
    } finally {
      await world.close();
    }
  });
});

describe('demo recipe: an outage through the sandbox fault controls', () => {
  it('a create during the outage is kept as accepted-and-waiting, then completed once Storno answers again', async () => {
    const world = await startWorld({ env: { STALLED_AFTER_MS: '0' } });
    try {
      const s = await connectDemo(world);
      const faults = `${world.storno.url}/__sandbox/faults`;
      const set = await fetch(faults, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules: [{ path: '/api/v1/', errorRate: 1, errorStatus: 503 }] }) });
      expect(set.status).toBe(200);
      const during = await s.post(`/invoices/${DEMO.invoices.mixedRates}/einvoice`, { confirmLate: true });
      expect(during.statusCode).toBe(503);
      expect(during.json().error).toBe('storno_unavailable');
      const waiting = (await s.get(`/invoices/${DEMO.invoices.mixedRates}`)).json();
      expect(waiting).toMatchObject({ canCreate: false, document: { status: 'pending' } });

      await fetch(faults, { method: 'DELETE' });
      for (let i = 0; i < 20; i++) {
        await world.app.services.engine.sweep();
        await world.storno.settle();
        const now = (await s.get(`/invoices/${DEMO.invoices.mixedRates}`)).json();
        if (now.document.status === 'validated') return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error('the document accepted during the outage never completed');
    } finally {
      await world.close();
    }
  });
});
