import { render } from '@stripe/ui-extension-sdk/testing';
import { TaskListItem } from '@stripe/ui-extension-sdk/ui';
import { contextFor, expectSigned, hasButton, press, renderView, reply, screenText, setup, storedTokens, type Wrapper } from '../test/harness';
import { doc, invoice } from '../test/fixtures';
import InvoiceDetailView from './InvoiceDetailView';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const ctx = (locale = 'en-US') => contextFor('stripe.dashboard.invoice.detail', { id: 'in_1', object: 'invoice' }, locale);
const steps = (wrapper: Wrapper) => wrapper.findAll(TaskListItem).map((node) => `${node.props.title}:${node.props.status}`);

describe('InvoiceDetailView', () => {
  it('loading', () => {
    setup();
    expect(render(<InvoiceDetailView {...ctx()} />).wrapper).toContainText('Loading…');
  });

  it('not connected', async () => {
    setup({ connected: false });
    const { wrapper } = await renderView(InvoiceDetailView, ctx());
    expect(screenText(wrapper)).toContain('Storno.ro is not connected');
  });

  it('validated document: amount, status and the full pipeline', async () => {
    const { backend } = setup();
    backend.on('GET', 'invoices/in_1', invoice({ document: doc() }));
    const { wrapper } = await renderView(InvoiceDetailView, ctx());
    expect(wrapper).toContainText('RON\u00a01,210.00');
    expect(wrapper).toContainText('Paid');
    expect(wrapper).toContainText('Invoice STR-0001');
    expect(steps(wrapper)).toEqual(['Draft:complete', 'Issued:complete', 'Sent to provider:complete', 'Validated:complete']);
    expectSigned(backend.calls('GET', 'invoices/in_1')[0]);
  });

  it('the panel says by when the document must reach ANAF while it is owed, and when that day has passed', async () => {
    const { backend } = setup(); // today is 2026-03-15 in the harness
    let current = doc({ status: 'issued', issueDate: '2026-03-12', deadline: '2026-03-19', obligation: { state: 'in_progress', action: null, detail: null } });
    backend.on('GET', 'invoices/in_1', () => invoice({ document: current, canCreate: false }));
    const { wrapper } = await renderView(InvoiceDetailView, ctx());
    expect(screenText(wrapper)).toContain('ANAF upload deadline');
    expect(screenText(wrapper)).toContain('Mar 19, 2026');
    expect(screenText(wrapper)).not.toContain('passed');

    current = doc({ status: 'issued', issueDate: '2026-03-02', deadline: '2026-03-09', obligation: { state: 'in_progress', action: null, detail: null } });
    const late = await renderView(InvoiceDetailView, ctx());
    expect(screenText(late.wrapper)).toContain('Mar 9, 2026 · passed');

    current = doc(); // validated: nothing is owed any more
    const done = await renderView(InvoiceDetailView, ctx());
    expect(screenText(done.wrapper)).not.toContain('ANAF upload deadline');
  });

  it('none yet: Create e-invoice → POST, refetch, toast', async () => {
    const { backend, platform } = setup();
    let document: ReturnType<typeof doc> | null = null;
    backend.on('GET', 'invoices/in_1', () => invoice({ document, canCreate: !document }));
    backend.on('POST', 'invoices/in_1/einvoice', () => {
      document = doc({ status: 'issued' });
      return document;
    });
    const { wrapper, update } = await renderView(InvoiceDetailView, ctx());
    expect(wrapper).toContainText('No e-invoice for this invoice yet.');
    await press(wrapper, update, 'Create e-invoice');
    const [post] = backend.calls('POST', 'invoices/in_1/einvoice');
    expectSigned(post);
    expect(post.body).toEqual({});
    expect(platform.toasts).toContainEqual({ message: 'E-invoice created', kind: 'success' });
    expect(steps(wrapper)).toEqual(['Draft:complete', 'Issued:complete', 'Sent to provider:not-started', 'Validated:not-started']);
  });

  it.each([
    ['en-US', 'This document will reach ANAF late', 'its e-Factura upload deadline was 2026-10-08'],
    ['ro-RO', 'Documentul va ajunge la ANAF cu întârziere', 'termenul de încărcare în e-Factura a fost 2026-10-08'],
  ])('past its upload deadline (%s): says so in the UI language with the dates, makes nothing before the confirmation', async (locale, title, text) => {
    const { backend } = setup();
    backend.on('GET', 'invoices/in_1', () => invoice({ document: null, canCreate: true }));
    backend.on('POST', 'invoices/in_1/einvoice', (request) =>
      (request.body as { confirmLate?: boolean } | undefined)?.confirmLate
        ? doc({ status: 'issued' })
        : reply(409, { error: 'deadline_passed', message: 'This document is dated 2026-10-01; its e-Factura upload deadline was 2026-10-08 …', issueDate: '2026-10-01', deadline: '2026-10-08' }),
    );
    const { wrapper, update } = await renderView(InvoiceDetailView, ctx(locale));
    await press(wrapper, update, locale === 'ro-RO' ? 'Creează e-factura' : 'Create e-invoice');
    expect(screenText(wrapper)).toContain(title);
    expect(screenText(wrapper)).toContain(text);
    // Nothing is made until the merchant confirms (the click through the banner is walked in journey 5b, Chromium).
    expect(backend.calls('POST', 'invoices/in_1/einvoice').map((c) => c.body)).toEqual([{}]);
  });

  it('follows a document at the provider by itself until its verdict, then stops re-reading', async () => {
    // Fake clock that still moves on its own, so the render helpers' own short waits keep working.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { backend } = setup();
      let status: 'sent_to_provider' | 'validated' = 'sent_to_provider';
      backend.on('GET', 'invoices/in_1', () => invoice({ document: doc({ status }), canCreate: false }));
      const { wrapper, update } = await renderView(InvoiceDetailView, ctx());
      expect(steps(wrapper)).toEqual(['Draft:complete', 'Issued:complete', 'Sent to provider:complete', 'Validated:in-progress']);
      status = 'validated';
      await vi.advanceTimersByTimeAsync(4000);
      await update();
      expect(steps(wrapper)).toEqual(['Draft:complete', 'Issued:complete', 'Sent to provider:complete', 'Validated:complete']);
      const reads = backend.calls('GET', 'invoices/in_1').length;
      await vi.advanceTimersByTimeAsync(20_000);
      expect(backend.calls('GET', 'invoices/in_1')).toHaveLength(reads);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not keep re-reading a document that is done though not validated (issued for a buyer outside Romania)', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { backend } = setup();
      backend.on('GET', 'invoices/in_1', invoice({ document: doc({ status: 'issued', outsideScope: true, obligation: { state: 'done', action: null, detail: null } }), canCreate: false }));
      await renderView(InvoiceDetailView, ctx());
      const reads = backend.calls('GET', 'invoices/in_1').length;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(backend.calls('GET', 'invoices/in_1')).toHaveLength(reads);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejected: the provider error and Fix and resend', async () => {
    const { backend } = setup();
    let status: 'rejected' | 'sent_to_provider' = 'rejected';
    backend.on('GET', 'invoices/in_1', () =>
      invoice({ document: doc({ status, providerError: status === 'rejected' ? 'BR-RO-100: buyer CIF invalid' : null }), canCreate: false }),
    );
    backend.on('POST', 'documents/doc_1/retry', () => {
      status = 'sent_to_provider';
      return doc({ status });
    });
    const { wrapper, update } = await renderView(InvoiceDetailView, ctx());
    expect(screenText(wrapper)).toContain('Rejected by the e-Factura provider');
    expect(wrapper).toContainText('BR-RO-100: buyer CIF invalid');
    expect(steps(wrapper)).toEqual(['Draft:complete', 'Issued:complete', 'Sent to provider:complete', 'Rejected:blocked']);
    await press(wrapper, update, 'Fix and resend');
    expectSigned(backend.calls('POST', 'documents/doc_1/retry')[0]);
    expect(steps(wrapper)).toEqual(['Draft:complete', 'Issued:complete', 'Sent to provider:complete', 'Validated:in-progress']);
    expect(hasButton(wrapper, 'Fix and resend')).toBe(false);
  });

  it('blocked by pre-flight: lists the checks; Check again re-runs create', async () => {
    const { backend } = setup();
    const blocked = doc({
      status: 'blocked',
      number: null,
      problem: {
        kind: 'preflight',
        checks: [
          { code: 'buyer_cif_invalid', message: "The customer's CIF RO123 fails the check digit; correct the tax ID in Stripe.", params: { cif: 'RO123' } },
          { code: 'buyer_address_missing', message: 'The customer has no address.', params: {} },
          { code: 'some_future_check', message: 'A check this extension does not know yet.', params: {} },
        ],
      },
    });
    backend.on('GET', 'invoices/in_1', invoice({ document: blocked, canCreate: false }));
    backend.on('POST', 'invoices/in_1/einvoice', blocked);
    const { wrapper, update } = await renderView(InvoiceDetailView, ctx());
    expect(screenText(wrapper)).toContain('Fix these before issuing');
    expect(wrapper).toContainText("The customer's CIF RO123 fails the check digit; correct the tax ID in Stripe.");
    expect(wrapper).toContainText("The customer's Romanian address has no street or city");
    expect(wrapper).toContainText('A check this extension does not know yet.');
    expect(steps(wrapper)[0]).toBe('Draft:blocked');
    await press(wrapper, update, 'Check again');
    expect(backend.calls('POST', 'invoices/in_1/einvoice')[0].body).toEqual({});
  });

  it('total mismatch: expected vs actual, Issue anyway posts issueAnyway', async () => {
    const { backend, platform } = setup();
    let issued = false;
    backend.on('GET', 'invoices/in_1', () =>
      invoice({
        document: issued
          ? doc({ status: 'issued' })
          : doc({ status: 'blocked', number: null, problem: { kind: 'total_mismatch', expected: '1210.00', actual: '1210.01', difference: '0.01', currency: 'ron' } }),
        canCreate: false,
      }),
    );
    backend.on('POST', 'invoices/in_1/einvoice', (request) => {
      issued = request.body?.issueAnyway === true;
      return doc({ status: issued ? 'issued' : 'blocked' });
    });
    const { wrapper, update } = await renderView(InvoiceDetailView, ctx());
    expect(screenText(wrapper)).toContain("Totals don't match");
    expect(wrapper).toContainText("Stripe charged RON\u00a01,210.00, Storno.ro's rounding gives RON\u00a01,210.01 (difference RON\u00a00.01).");
    await press(wrapper, update, 'Issue anyway');
    // It reaches ANAF with a different total: a confirmation step first, nothing sent yet.
    expect(screenText(wrapper)).toContain('Issue with a different total?');
    expect(backend.calls('POST', 'invoices/in_1/einvoice')).toHaveLength(0);
    await press(wrapper, update, 'Cancel');
    expect(screenText(wrapper)).not.toContain('Issue with a different total?');
    await press(wrapper, update, 'Issue anyway');
    await press(wrapper, update, 'Yes, issue and send');
    expect(backend.calls('POST', 'invoices/in_1/einvoice')[0].body).toEqual({ issueAnyway: true });
    expect(platform.toasts).toContainEqual({ message: 'E-invoice created', kind: 'success' });
    expect(screenText(wrapper)).not.toContain("Totals don't match");
  });

  it('a 401 reauthorization_required during an action: tokens deleted, reconnect offered', async () => {
    const { backend, platform } = setup();
    backend.on('GET', 'invoices/in_1', invoice());
    const { wrapper, update } = await renderView(InvoiceDetailView, ctx());
    backend.reauthorizationRequired = true;
    await press(wrapper, update, 'Create e-invoice');
    expect(storedTokens(platform)).toBeNull();
    expect(screenText(wrapper)).toContain('Storno.ro needs to be reconnected');
    expect(hasButton(wrapper, 'Connect Storno.ro')).toBe(true);
  });

  it('error', async () => {
    const { backend } = setup();
    backend.on('GET', 'invoices/in_1', reply(404, { error: 'not_found', message: 'No such invoice' }));
    const { wrapper } = await renderView(InvoiceDetailView, ctx());
    expect(screenText(wrapper)).toContain('No such invoice');
  });

  it('Romanian', async () => {
    const { backend } = setup();
    backend.on('GET', 'invoices/in_1', invoice({ document: doc({ status: 'sent_to_provider' }) }));
    const { wrapper } = await renderView(InvoiceDetailView, ctx('ro'));
    expect(wrapper).toContainText('Factură STR-0001');
    expect(wrapper).toContainText('Trimisă la ANAF');
    expect(wrapper).toContainText('Plătită');
  });
});
