// The fiscal facts in the views (issue 15): the document panel's BNR rate, assumptions, outside-scope notice with
// the voluntary upload, "Fix and resend" and what it changed; the customer view's proposal to confirm, passed-over
// clients, the CNP, and "Create client" disabled with the reason. English and Romanian.
import { Button } from '@stripe/ui-extension-sdk/ui';
import { contextFor, expectSigned, hasButton, press, renderView, screenText, setup, type Wrapper } from '../test/harness';
import { customerUnmatched, doc, invoice } from '../test/fixtures';
import CustomerDetailView from './CustomerDetailView';
import InvoiceDetailView from './InvoiceDetailView';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const invoiceCtx = (locale = 'en-US') => contextFor('stripe.dashboard.invoice.detail', { id: 'in_1', object: 'invoice' }, locale);
const customerCtx = (locale = 'en-US') => contextFor('stripe.dashboard.customer.detail', { id: 'cus_2', object: 'customer' }, locale);
const buttonNamed = (wrapper: Wrapper, label: string) => wrapper.findAll(Button).find((b) => b.text.includes(label));

describe('document panel fiscal facts', () => {
  it('shows the BNR rate and the assumptions of a document', async () => {
    const { backend } = setup();
    backend.on('GET', 'invoices/in_1', invoice({
      document: doc({ currency: 'EUR', exchangeRate: { rate: '5.0734', publishedOn: '2026-11-12' }, assumptions: ['No Stripe tax details: 21.00 % VAT (in force on 2026-11-13) is assumed to be included in the amount.'] }),
    }));
    const { wrapper } = await renderView(InvoiceDetailView, invoiceCtx());
    const text = screenText(wrapper);
    expect(text).toContain('BNR exchange rate');
    expect(text).toMatch(/1 EUR = 5\.0734 RON \(BNR, /);
    expect(text).toContain('Assumed for this document');
    expect(text).toContain('21.00 % VAT (in force on 2026-11-13) is assumed');
  });

  it('a buyer outside Romania: says why it is not sent and how to upload it anyway, with its XML at hand', async () => {
    const { backend } = setup();
    backend.on('GET', 'invoices/in_1', () => invoice({ document: doc({ status: 'issued', outsideScope: true, obligation: { state: 'done', action: null, detail: null } }), canCreate: false }));
    const { wrapper } = await renderView(InvoiceDetailView, invoiceCtx());
    const text = screenText(wrapper);
    expect(text).toContain('Not sent to ANAF: buyer outside Romania — upload optional');
    expect(text).toContain('Storno.ro sends only documents of buyers in Romania');
    expect(text).toContain('upload it in ANAF’s SPV');
    expect(hasButton(wrapper, 'Download XML')).toBe(true);
    expect(text).not.toContain('ANAF upload deadline'); // nothing is owed for it
  });

  it('a rejected document offers "Fix and resend" and then lists what changed', async () => {
    const { backend } = setup();
    let fixed = false;
    backend.on('GET', 'invoices/in_1', () =>
      invoice({
        document: fixed
          ? doc({ status: 'sent_to_provider', lastFix: { changes: ['Buyer CUI: (none) → "18547290".'], at: '2026-11-30T11:00:00.000Z' } })
          : doc({ status: 'rejected', providerError: 'E: [BR-RO-120] …' }),
        canCreate: false,
      }),
    );
    backend.on('POST', 'documents/doc_1/retry', () => {
      fixed = true;
      return doc({ status: 'sent_to_provider' });
    });
    const { wrapper, update } = await renderView(InvoiceDetailView, invoiceCtx());
    expect(screenText(wrapper)).toContain('Fix the buyer in the Storno.ro client');
    await press(wrapper, update, 'Fix and resend');
    const text = screenText(wrapper);
    expect(text).toContain('Changed by the last "Fix and resend"');
    expect(text).toContain('Buyer CUI: (none) → "18547290".');
  });

  it('a document waiting for BNR says so instead of a problem to fix', async () => {
    const { backend } = setup();
    backend.on('GET', 'invoices/in_1', invoice({ document: doc({ status: 'pending', stornoDocumentId: null, problem: { kind: 'waiting', code: 'exchange_rate_unavailable', message: "Waiting for BNR's exchange rate" } }), canCreate: false }));
    const { wrapper } = await renderView(InvoiceDetailView, invoiceCtx());
    expect(screenText(wrapper)).toContain("Waiting for BNR's exchange rate");
  });

  it('Romanian', async () => {
    const { backend } = setup();
    backend.on('GET', 'invoices/in_1', invoice({ document: doc({ status: 'issued', outsideScope: true, currency: 'EUR', exchangeRate: { rate: '5.0734', publishedOn: null } }), canCreate: false }));
    const { wrapper } = await renderView(InvoiceDetailView, invoiceCtx('ro-RO'));
    const text = screenText(wrapper);
    expect(text).toContain('Netrimisă la ANAF: cumpărător din afara României — încărcare opțională');
    expect(text).toContain('încarcă-l în SPV-ul ANAF');
    expect(text).toContain('Curs BNR');
  });
});

describe('customer view: the right buyer', () => {
  it('a company client with the same e-mail is proposed for confirmation, never used by itself', async () => {
    const { backend, platform } = setup();
    let confirmed = false;
    const unmatched = {
      ...customerUnmatched(),
      suggestedClient: { clientId: '0a5e0000-0000-4000-8000-00000000a001', name: 'Client Cluj SRL', reason: 'same e-mail, but it is a company (CIF 4221306) and the customer has no tax ID' },
      passedOver: [{ clientId: 'x', name: 'Ana Pop', reason: 'same name, but a different e-mail address: another person' }],
    };
    const view = () => (confirmed ? { ...unmatched, match: { matchedBy: 'confirmed' as const, client: { id: 'c', name: 'Client Cluj SRL', cif: '4221306', cnp: null, vatCode: null, email: 'office@client-cluj.test', address: null, city: null, county: null, country: 'RO' } }, noMatchReason: null, noMatch: null, createBlockedReason: null, suggestedClient: null, proposal: null, passedOver: [] } : unmatched);
    backend.on('GET', 'customers/cus_2', view);
    backend.on('POST', 'customers/cus_2/client/confirm', () => {
      confirmed = true;
      return view();
    });
    const { wrapper, update } = await renderView(CustomerDetailView, customerCtx());
    const text = screenText(wrapper);
    expect(text).toContain('A company client has the same e-mail');
    expect(text).toContain('Client Cluj SRL');
    expect(text).toContain('Clients not matched');
    expect(text).toContain('Ana Pop: same name, but a different e-mail address: another person');
    await press(wrapper, update, 'Use this company client');
    const call = backend.calls('POST', 'customers/cus_2/client/confirm')[0];
    expectSigned(call);
    expect(call.body).toEqual({ clientId: '0a5e0000-0000-4000-8000-00000000a001' });
    expect(platform.toasts).toContainEqual({ message: 'Client confirmed', kind: 'success' });
    expect(screenText(wrapper)).toContain('Confirmed by you (same e-mail)');
  });

  it('"Create client" is disabled with the reason when Storno would refuse; a consumer\'s CNP is shown', async () => {
    const { backend } = setup();
    backend.on('GET', 'customers/cus_2', {
      ...customerUnmatched(),
      proposal: { ...customerUnmatched().proposal!, cnp: '2850307220018' },
      createBlockedReason: "The customer's Romanian address has no county; set the county (e.g. \"Cluj\") in the customer's address in Stripe.",
    });
    const { wrapper } = await renderView(CustomerDetailView, customerCtx());
    const text = screenText(wrapper);
    expect(text).toContain('Storno.ro would refuse this client:');
    expect(text).toContain('has no county');
    expect(text).toContain('2850307220018');
    expect(buttonNamed(wrapper, 'Create client')?.props.disabled).toBe(true);
  });

  it('Romanian', async () => {
    const { backend } = setup();
    backend.on('GET', 'customers/cus_2', { ...customerUnmatched(), suggestedClient: { clientId: 'c', name: 'Client Cluj SRL', reason: 'x' } });
    const { wrapper } = await renderView(CustomerDetailView, customerCtx('ro-RO'));
    expect(screenText(wrapper)).toContain('Un client persoană juridică are același e-mail');
    expect(screenText(wrapper)).toContain('Folosește acest client persoană juridică');
  });
});
