import { render } from '@stripe/ui-extension-sdk/testing';
import { Link } from '@stripe/ui-extension-sdk/ui';
import { contextFor, expectSigned, hasButton, press, renderView, reply, screenText, setup } from '../test/harness';
import { doc, payment, refund } from '../test/fixtures';
import PaymentDetailView from './PaymentDetailView';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const ctx = (id = 'pi_1', object = 'payment_intent', locale = 'en-US') => contextFor('stripe.dashboard.payment.detail', { id, object }, locale);

describe('PaymentDetailView', () => {
  it('loading', () => {
    setup();
    expect(render(<PaymentDetailView {...ctx()} />).wrapper).toContainText('Loading…');
  });

  it('not connected', async () => {
    setup({ connected: false });
    const { wrapper } = await renderView(PaymentDetailView, ctx());
    expect(hasButton(wrapper, 'Connect Storno.ro')).toBe(true);
  });

  it('PaymentIntent and charge ids are sent as-is', async () => {
    const { backend } = setup();
    backend.on('GET', 'payments/pi_1', payment());
    backend.on('GET', 'payments/ch_9', payment({}, 'ch_9'));
    await renderView(PaymentDetailView, ctx('pi_1', 'payment_intent'));
    await renderView(PaymentDetailView, ctx('ch_9', 'charge'));
    expect(backend.requests.map((r) => r.path)).toEqual(['payments/pi_1', 'payments/ch_9']);
  });

  it('no document: amount, status, empty refunds, Create e-invoice → POST, refetch, toast', async () => {
    const { backend, platform } = setup();
    let document: ReturnType<typeof doc> | null = null;
    backend.on('GET', 'payments/pi_1', () => payment({ document, canCreate: !document }));
    backend.on('POST', 'payments/pi_1/einvoice', () => {
      document = doc({ kind: 'payment', status: 'issued', stripeObjectId: 'pi_1' });
      return document;
    });
    const { wrapper, update } = await renderView(PaymentDetailView, ctx());
    expect(wrapper).toContainText('RON\u00a0121.00');
    expect(wrapper).toContainText('Succeeded');
    expect(wrapper).toContainText('No e-invoice for this payment yet.');
    expect(wrapper).toContainText('No refunds.');
    await press(wrapper, update, 'Create e-invoice');
    expectSigned(backend.calls('POST', 'payments/pi_1/einvoice')[0]);
    expect(platform.toasts).toContainEqual({ message: 'E-invoice created', kind: 'success' });
    expect(wrapper).toContainText('Invoice STR-0001');
  });

  it('payment of a Stripe invoice: the refusal names the invoice, whose e-invoice covers it', async () => {
    const { backend, platform } = setup();
    let refused = false;
    backend.on('GET', 'payments/pi_1', () => payment({ canCreate: !refused, payment: { ...payment().payment, invoiceId: refused ? 'in_77' : null } }));
    backend.on('POST', 'payments/pi_1/einvoice', () => {
      refused = true;
      return reply(409, { error: 'covered_by_invoice', message: 'This payment belongs to Stripe invoice in_77.', invoiceId: 'in_77' });
    });
    const { wrapper, update } = await renderView(PaymentDetailView, ctx());
    await press(wrapper, update, 'Create e-invoice');
    expect(wrapper).toContainText("This payment belongs to Stripe invoice in_77; the invoice's e-invoice covers it.");
    expect(wrapper.find(Link)).toHaveProps({ href: { name: 'invoiceDetails', params: { invoiceId: 'in_77' } } });
    expect(screenText(wrapper)).toContain('This payment belongs to a Stripe invoice; create the e-invoice from the invoice.');
    expect(platform.toasts.map((toast) => toast.kind)).not.toContain('success');
  });

  it('rejected: provider error and Fix and resend', async () => {
    const { backend } = setup();
    backend.on('GET', 'payments/pi_1', payment({ document: doc({ kind: 'payment', status: 'rejected', providerError: 'ANAF: XML schema error' }), canCreate: false }));
    backend.on('POST', 'documents/doc_1/retry', doc({ status: 'sent_to_provider' }));
    const { wrapper, update } = await renderView(PaymentDetailView, ctx());
    expect(wrapper).toContainText('ANAF: XML schema error');
    await press(wrapper, update, 'Fix and resend');
    expectSigned(backend.calls('POST', 'documents/doc_1/retry')[0]);
  });

  it('pre-flight block and total mismatch → Issue anyway on the payment route', async () => {
    const { backend } = setup();
    backend.on('GET', 'payments/pi_1', payment({
      document: doc({ kind: 'payment', status: 'blocked', number: null, problem: { kind: 'total_mismatch', expected: '121.00', actual: '120.99', difference: '0.01', currency: 'ron' } }),
      canCreate: false,
    }));
    backend.on('POST', 'payments/pi_1/einvoice', doc({ status: 'issued' }));
    const { wrapper, update } = await renderView(PaymentDetailView, ctx());
    expect(wrapper).toContainText('RON\u00a0120.99');
    await press(wrapper, update, 'Issue anyway');
    expect(backend.calls('POST', 'payments/pi_1/einvoice')).toHaveLength(0);
    await press(wrapper, update, 'Yes, issue and send');
    expect(backend.calls('POST', 'payments/pi_1/einvoice')[0].body).toEqual({ issueAnyway: true });
  });

  it('refunds: credit note status, Create credit note, and the standalone choice when none can be made', async () => {
    const { backend, platform } = setup();
    let creditNote: ReturnType<typeof doc> | null = null;
    let standalone: ReturnType<typeof doc> | null = null;
    backend.on('GET', 'payments/pi_1', () =>
      payment({
        document: doc({ kind: 'payment' }),
        canCreate: false,
        refunds: [
          refund({ creditNote, canCreate: !creditNote }),
          refund({
            refund: { id: 're_2', amount: '5.00', currency: 'ron', status: 'pending', reason: null, created: '2026-03-03T10:00:00.000Z' },
            creditNote: standalone,
            canCreate: false,
            reason: 'The refunded payment has no e-invoice.',
            standaloneAllowed: !standalone,
          }),
        ],
      }),
    );
    backend.on('POST', 'refunds/re_1/credit-note', () => {
      creditNote = doc({ id: 'doc_cn', kind: 'refund', number: 'STR-CN-1', status: 'sent_to_provider', total: '-20.00' });
      return creditNote;
    });
    backend.on('POST', 'refunds/re_2/credit-note', () => {
      standalone = doc({ id: 'doc_sa', kind: 'standalone_refund', number: 'STR-NEG-1', status: 'issued', total: '-5.00' });
      return standalone;
    });
    const { wrapper, update } = await renderView(PaymentDetailView, ctx());
    expect(wrapper).toContainText('Refund of RON\u00a020.00');
    expect(screenText(wrapper)).toContain('Requested by customer');
    expect(wrapper).toContainText('No credit note yet.');
    expect(wrapper).toContainText('The refunded payment has no e-invoice.');
    expect(wrapper).toContainText('You can issue a standalone negative invoice');

    await press(wrapper, update, 'Create credit note');
    const [cn] = backend.calls('POST', 'refunds/re_1/credit-note');
    expectSigned(cn);
    expect(cn.body).toEqual({});
    expect(platform.toasts).toContainEqual({ message: 'Credit note created', kind: 'success' });
    expect(wrapper).toContainText('Credit note STR-CN-1');

    // A negative invoice outside the normal flow: first what will happen, nothing sent until confirmed.
    await press(wrapper, update, 'Issue standalone refund invoice');
    expect(screenText(wrapper)).toContain('Send a negative invoice to ANAF?');
    expect(screenText(wrapper)).toContain('A separate invoice of −RON\u00a05.00');
    expect(backend.calls('POST', 'refunds/re_2/credit-note')).toHaveLength(0);
    await press(wrapper, update, 'Cancel');
    expect(backend.calls('POST', 'refunds/re_2/credit-note')).toHaveLength(0);
    await press(wrapper, update, 'Issue standalone refund invoice');
    await press(wrapper, update, 'Yes, issue and send');
    expect(backend.calls('POST', 'refunds/re_2/credit-note')[0].body).toEqual({ standalone: true });
    expect(platform.toasts).toContainEqual({ message: 'Refund invoice created', kind: 'success' });
    expect(platform.toasts.filter((toast) => toast.message === 'Credit note created')).toHaveLength(1);
    expect(wrapper).toContainText('Refund invoice STR-NEG-1');
    expect(hasButton(wrapper, 'Issue standalone refund invoice')).toBe(false);
  });

  it('error', async () => {
    const { backend } = setup();
    backend.on('GET', 'payments/pi_1', reply(502, { error: 'storno_error', message: 'Storno.ro answered: Eroare internă' }));
    const { wrapper } = await renderView(PaymentDetailView, ctx());
    expect(screenText(wrapper)).toContain("Couldn't load data from Storno.ro");
    expect(screenText(wrapper)).toContain('Storno.ro answered: Eroare internă');
  });

  it('Romanian', async () => {
    const { backend } = setup();
    backend.on('GET', 'payments/pi_1', payment({ refunds: [refund()] }));
    const { wrapper } = await renderView(PaymentDetailView, ctx('pi_1', 'payment_intent', 'ro-RO'));
    expect(wrapper).toContainText('Rambursare de 20,00\u00a0RON');
    expect(hasButton(wrapper, 'Creează e-factura')).toBe(true);
    expect(hasButton(wrapper, 'Creează stornarea')).toBe(true);
  });
});
