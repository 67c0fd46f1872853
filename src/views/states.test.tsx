// Every view in both languages, over every status a document, a Storno invoice or a Stripe object can have: no raw
// status value, no `DRAFT-…` placeholder, no half-translated screen. Then the states a merchant would trip over:
// documents followed until they settle, accepted-and-waiting instead of a create button, PDF/XML links, ANAF
// messages explained in the UI language, refunded payments, missing objects, voided invoices, percentages.
import type { ComponentType } from 'react';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { Badge, Button } from '@stripe/ui-extension-sdk/ui';
import type { DocumentStatus, DocumentSummary } from '../api/contract';
import { en } from '../i18n/en';
import { ro } from '../i18n/ro';
import { contextFor, hasButton, press, renderView, reply, screenText, setup, type FakeBackend } from '../test/harness';
import { customerMatched, dashboard, doc, invoice, payment, refund, settings, subscription } from '../test/fixtures';
import AppSettings from './AppSettings';
import CustomerDetailView from './CustomerDetailView';
import HomeOverviewView from './HomeOverviewView';
import InvoiceDetailView from './InvoiceDetailView';
import PaymentDetailView from './PaymentDetailView';
import SubscriptionDetailView from './SubscriptionDetailView';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const DOCUMENT_STATUSES: DocumentStatus[] = ['pending', 'blocked', 'draft', 'issued', 'sent_to_provider', 'validated', 'rejected'];
const STORNO_STATUSES = ['draft', 'synced', 'issued', 'sent_to_provider', 'validated', 'rejected', 'cancelled', 'paid', 'partially_paid', 'overdue', 'converted', 'refund', 'refunded'];
const STRIPE_STATUSES = ['succeeded', 'refunded', 'partially_refunded', 'processing', 'requires_payment_method', 'canceled', 'draft', 'open', 'paid', 'void', 'uncollectible', 'pending', 'failed'];
const RAW = new Set([...DOCUMENT_STATUSES, ...STORNO_STATUSES, ...STRIPE_STATUSES, 'active', 'past_due', 'requires_action']);
const LOCALES = [
  ['en', 'en-US', en],
  ['ro', 'ro-RO', ro],
] as const;

/** One document per status, with what each status carries (number only once issued, problem, provider error). */
const docs = (kind: DocumentSummary['kind'] = 'invoice'): DocumentSummary[] =>
  DOCUMENT_STATUSES.map((status, i) =>
    doc({
      id: `doc_${status}`,
      kind,
      status,
      number: ['pending', 'blocked'].includes(status) ? null : status === 'draft' ? 'DRAFT-12e91d64' : `STR-00${i}`,
      stornoDocumentId: ['pending', 'blocked'].includes(status) ? null : `st_${i}`,
      providerError: status === 'rejected' ? 'E: [BR-RO-120] validari globale eroare: CIF cumparator invalid 12345678' : null,
      problem: status === 'blocked' ? { kind: 'preflight', checks: [{ code: 'bucharest_sector_missing', message: 'The customer has no sector.', params: {} }] } : null,
    }),
  );

interface Case {
  name: string;
  View: ComponentType<ExtensionContextValue>;
  viewport: string;
  object: { id: string; object: string } | null;
  serve(backend: FakeBackend): void;
}

const CASES: Case[] = [
  {
    name: 'home',
    View: HomeOverviewView,
    viewport: 'stripe.dashboard.home.overview',
    object: null,
    serve: (b) => void b.on('GET', 'dashboard', dashboard({ documents: docs(), autoMode: true })),
  },
  {
    name: 'settings',
    View: AppSettings,
    viewport: 'settings',
    object: null,
    serve: (b) => void b.on('GET', 'settings', settings({ autoMode: true })),
  },
  {
    name: 'customer',
    View: CustomerDetailView,
    viewport: 'stripe.dashboard.customer.detail',
    object: { id: 'cus_1', object: 'customer' },
    serve: (b) => {
      const data = customerMatched();
      data.history = STORNO_STATUSES.map((status, i) => ({ id: `h${i}`, number: status === 'draft' ? 'DRAFT-0a1b2c3d' : `STR-01${i}`, issueDate: '2026-02-01', total: '10.00', currency: 'ron', status }));
      b.on('GET', 'customers/cus_1', data);
    },
  },
  ...DOCUMENT_STATUSES.map(
    (status): Case => ({
      name: `invoice with a ${status} document`,
      View: InvoiceDetailView,
      viewport: 'stripe.dashboard.invoice.detail',
      object: { id: 'in_1', object: 'invoice' },
      serve: (b) => void b.on('GET', 'invoices/in_1', invoice({ document: docs().find((d) => d.status === status)!, canCreate: false })),
    }),
  ),
  ...STRIPE_STATUSES.map(
    (status): Case => ({
      name: `payment ${status} with credit notes in every status`,
      View: PaymentDetailView,
      viewport: 'stripe.dashboard.payment.detail',
      object: { id: 'pi_1', object: 'payment_intent' },
      serve: (b) => {
        const base = payment({ document: doc({ kind: 'payment', number: 'DRAFT-99999999', status: 'draft' }), canCreate: false });
        base.payment.status = status;
        base.refunds = docs('refund').map((creditNote, i) =>
          refund({ refund: { id: `re_${i}`, amount: '1.00', currency: 'ron', status: STRIPE_STATUSES[i % STRIPE_STATUSES.length], reason: 'duplicate', created: '2026-03-02T10:00:00.000Z' }, creditNote, canCreate: false }),
        );
        b.on('GET', 'payments/pi_1', base);
      },
    }),
  ),
  {
    name: 'subscription with cycles in every status',
    View: SubscriptionDetailView,
    viewport: 'stripe.dashboard.subscription.detail',
    object: { id: 'sub_1', object: 'subscription' },
    serve: (b) => {
      const data = subscription();
      const template = data.cycles[1];
      data.cycles = [
        ...docs().map((document, i) => ({ ...template, invoiceId: `in_c${i}`, document, canCreate: false, stripeStatus: STRIPE_STATUSES[i] })),
        { ...template, invoiceId: 'in_draft', number: null, stripeStatus: 'draft', canCreate: false, cannotCreateReason: 'invoice_draft' as const },
        { ...template, invoiceId: 'in_void', stripeStatus: 'void', canCreate: false, cannotCreateReason: 'invoice_void' as const },
      ];
      b.on('GET', 'subscriptions/sub_1', data);
    },
  },
];

const words = (text: string) => text.split(/[^A-Za-z_ăâîșțĂÂÎȘȚ-]+/).filter(Boolean);

describe.each(LOCALES)('every view in %s', (_language, locale, strings) => {
  const labels = new Set([...Object.values(strings.status), ...Object.values(strings.stornoStatus), ...Object.values(strings.connection), strings.matchedBy.ro_cif]);

  it.each(CASES.map((c) => [c.name, c] as const))('%s: statuses in words, no placeholders', async (_name, c) => {
    const { backend } = setup();
    c.serve(backend);
    const { wrapper } = await renderView(c.View, contextFor(c.viewport, c.object, locale));
    const text = screenText(wrapper);
    expect(text).not.toMatch(/Couldn't load|Nu am putut încărca/);
    // A raw status never reaches the screen: as the text of a badge, as a snake_case word, or (in Romanian, where
    // no sentence uses English words) as any status word at all.
    const raw = words(text).filter((word) => RAW.has(word) && (locale === 'ro-RO' || word.includes('_')));
    expect(raw).toEqual([]);
    for (const badge of wrapper.findAll(Badge)) expect(labels).toContain(badge.text);
    expect(text).not.toMatch(/DRAFT-|No number yet\)|\(No number yet|undefined|\[object/);
    if (locale === 'ro-RO') {
      // English labels do not leak into the Romanian screen.
      for (const english of ['Succeeded', 'Refunded', 'Validated', 'Rejected', 'Pending', 'Credit note', 'Open PDF', 'Paid', 'Draft']) expect(text).not.toContain(english);
    }
  });
});

describe('states a merchant notices', () => {
  const ctx = (viewport: string, object: { id: string; object: string } | null, locale = 'en-US') => contextFor(viewport, object, locale);

  it('a credit note under a payment is followed until ANAF validates it, without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { backend } = setup();
      let status: DocumentStatus = 'issued';
      backend.on('GET', 'payments/pi_1', () =>
        payment({ document: doc({ kind: 'payment' }), canCreate: false, refunds: [refund({ creditNote: doc({ id: 'doc_cn', kind: 'refund', number: 'STORNO0001', status }), canCreate: false })] }),
      );
      const { wrapper, update } = await renderView(PaymentDetailView, ctx('stripe.dashboard.payment.detail', { id: 'pi_1', object: 'payment_intent' }));
      expect(screenText(wrapper)).toContain('Following the status…');
      status = 'sent_to_provider';
      await vi.advanceTimersByTimeAsync(4000);
      await update();
      expect(wrapper.findAll(Badge).map((b) => b.text)).toContain('Sent to provider');
      status = 'validated';
      await vi.advanceTimersByTimeAsync(4000);
      await update();
      expect(wrapper.findAll(Badge).map((b) => b.text)).toEqual(['Validated', 'Validated']);
      const reads = backend.calls('GET', 'payments/pi_1').length;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(backend.calls('GET', 'payments/pi_1')).toHaveLength(reads);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each(LOCALES)('a create during a Storno outage: the view shows the accepted document waiting for Storno (%s), not the create button', async (_l, locale, strings) => {
    const { backend } = setup();
    let accepted = false;
    backend.on('GET', 'invoices/in_1', () => invoice({ document: accepted ? doc({ status: 'pending', number: null, stornoDocumentId: null }) : null, canCreate: !accepted }));
    backend.on('POST', 'invoices/in_1/einvoice', () => {
      accepted = true;
      return reply(503, { error: 'storno_unavailable', message: 'Storno.ro is not reachable right now.' });
    });
    const { wrapper, update } = await renderView(InvoiceDetailView, ctx('stripe.dashboard.invoice.detail', { id: 'in_1', object: 'invoice' }, locale));
    await press(wrapper, update, strings.createEinvoice);
    const text = screenText(wrapper);
    expect(text).toContain(strings.pendingHint);
    expect(text).toContain(strings.apiErrors.storno_unavailable);
    expect(hasButton(wrapper, strings.createEinvoice)).toBe(false);
    expect(hasButton(wrapper, strings.openPdf)).toBe(false);
  });

  it('Open PDF and Download XML open short-lived signed backend links, never Storno itself', async () => {
    const { backend, platform } = setup();
    backend.on('GET', 'invoices/in_1', invoice({ document: doc(), canCreate: false }));
    const { wrapper, update } = await renderView(InvoiceDetailView, ctx('stripe.dashboard.invoice.detail', { id: 'in_1', object: 'invoice' }));
    const [post] = backend.calls('POST', 'documents/doc_1/files');
    expect(post.headers.authorization).toMatch(/^Bearer /);
    const pdf = (wrapper.findAll(Button) as unknown as { text: string; props: Record<string, unknown> }[]).find((b) => b.text === 'Open PDF')!;
    expect(pdf.props).toMatchObject({ target: '_blank', href: expect.stringMatching(/\/files\/documents\/doc_1\/pdf\?connection=.+&expires=\d+&signature=[0-9a-f]{64}$/) });
    const xml = (wrapper.findAll(Button) as unknown as { text: string; props: Record<string, unknown> }[]).find((b) => b.text === 'Download XML')!;
    expect(xml.props.href).toMatch(/\/files\/documents\/doc_1\/xml\?/);
    await press(wrapper, update, 'Open PDF');
    expect(platform.opened).toEqual([pdf.props.href]);
  });

  it.each(LOCALES)('an ANAF rejection keeps the original text and explains the rule in the UI language (%s)', async (language, locale) => {
    const { backend } = setup();
    const anaf = 'E: [BR-RO-092] Adresa cumparatorului trebuie sa contina localitatea (BT-52, cac:PostalAddress/cbc:CityName lipseste)';
    backend.on('GET', 'invoices/in_1', invoice({ document: doc({ status: 'rejected', providerError: anaf }), canCreate: false }));
    const { wrapper } = await renderView(InvoiceDetailView, ctx('stripe.dashboard.invoice.detail', { id: 'in_1', object: 'invoice' }, locale));
    const text = screenText(wrapper);
    expect(text).toContain(anaf);
    expect(text).toContain(language === 'en' ? "BR-RO-092: The buyer's address has no city." : 'BR-RO-092: Adresa cumpărătorului nu are localitate.');
  });

  it.each(LOCALES)('pre-flight reasons are worded in the UI language from code and params (%s)', async (language, locale) => {
    const { backend } = setup();
    const problem = { kind: 'preflight' as const, checks: [{ code: 'buyer_county_unknown', message: 'The customer\'s county "Transilvania" is not a Romanian county…', params: { county: 'Transilvania' } }] };
    backend.on('GET', 'invoices/in_1', invoice({ document: doc({ status: 'blocked', number: null, stornoDocumentId: null, problem }), canCreate: false }));
    const { wrapper } = await renderView(InvoiceDetailView, ctx('stripe.dashboard.invoice.detail', { id: 'in_1', object: 'invoice' }, locale));
    expect(screenText(wrapper)).toContain(language === 'en' ? 'The customer\'s county "Transilvania" is not a Romanian county' : 'Județul „Transilvania” al clientului nu este un județ din România');
  });

  it.each(LOCALES)('a voided invoice cannot be e-invoiced, and says so without "yet" (%s)', async (_l, locale, strings) => {
    const { backend } = setup();
    backend.on('GET', 'invoices/in_1', invoice({ canCreate: false, cannotCreateReason: 'invoice_void', invoice: { ...invoice().invoice, status: 'void' } }));
    const { wrapper } = await renderView(InvoiceDetailView, ctx('stripe.dashboard.invoice.detail', { id: 'in_1', object: 'invoice' }, locale));
    expect(screenText(wrapper)).toContain(strings.cannotCreateReason.invoice_void);
    expect(screenText(wrapper)).not.toMatch(/\byet\b|încă/);
    expect(hasButton(wrapper, strings.createEinvoice)).toBe(false);
  });

  it.each(LOCALES)('a missing Stripe object is titled as such, not as a Storno.ro failure (%s)', async (_l, locale, strings) => {
    const { backend } = setup();
    backend.on('GET', 'invoices/in_1', reply(404, { error: 'stripe_object_not_found', message: 'No such invoice: in_1' }));
    const { wrapper } = await renderView(InvoiceDetailView, ctx('stripe.dashboard.invoice.detail', { id: 'in_1', object: 'invoice' }, locale));
    expect(screenText(wrapper)).toContain(strings.notFoundTitle);
    expect(screenText(wrapper)).not.toContain(strings.loadErrorTitle);
  });

  it.each(LOCALES)('a fully refunded payment reads Refunded (%s)', async (language, locale) => {
    const { backend } = setup();
    const data = payment({ canCreate: false, document: doc({ kind: 'payment' }) });
    data.payment.status = 'refunded';
    data.payment.amountRefunded = '121.00';
    backend.on('GET', 'payments/pi_1', data);
    const { wrapper } = await renderView(PaymentDetailView, ctx('stripe.dashboard.payment.detail', { id: 'pi_1', object: 'payment_intent' }, locale));
    expect(screenText(wrapper)).toContain(language === 'en' ? 'Refunded' : 'Rambursată');
    expect(screenText(wrapper)).not.toContain(language === 'en' ? 'Succeeded' : 'Reușită');
  });

  it('subscription: draft and void cycles say why instead of offering a create the backend would refuse', async () => {
    const { backend } = setup();
    const data = subscription();
    data.cycles.push(
      { ...data.cycles[1], invoiceId: 'in_draft', stripeStatus: 'draft', canCreate: false, cannotCreateReason: 'invoice_draft' },
      { ...data.cycles[1], invoiceId: 'in_void', stripeStatus: 'void', canCreate: false, cannotCreateReason: 'invoice_void' },
    );
    backend.on('GET', 'subscriptions/sub_1', data);
    const { wrapper } = await renderView(SubscriptionDetailView, ctx('stripe.dashboard.subscription.detail', { id: 'sub_1', object: 'subscription' }));
    expect(wrapper.findAll(Button).filter((b) => (b as unknown as { text: string }).text === 'Create e-invoice')).toHaveLength(1);
    expect(screenText(wrapper)).toContain(en.cannotCreateReason.invoice_draft);
    expect(screenText(wrapper)).toContain(en.cannotCreateReason.invoice_void);
  });

  it('numbers and percentages follow the locale', async () => {
    const { backend } = setup();
    backend.on('GET', 'settings', settings());
    const ro_ = await renderView(AppSettings, ctx('settings', null, 'ro-RO'));
    expect(screenText(ro_.wrapper)).toContain('21,00\u00a0%');
    const en_ = await renderView(AppSettings, ctx('settings', null, 'en-US'));
    expect(screenText(en_.wrapper)).toContain('21.00%');
  });
});

