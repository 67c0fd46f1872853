import { render } from '@stripe/ui-extension-sdk/testing';
import { Badge } from '@stripe/ui-extension-sdk/ui';
import { contextFor, expectSigned, hasButton, press, renderView, reply, screenText, setup } from '../test/harness';
import { doc, subscription } from '../test/fixtures';
import SubscriptionDetailView from './SubscriptionDetailView';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const ctx = (locale = 'en-US') => contextFor('stripe.dashboard.subscription.detail', { id: 'sub_1', object: 'subscription' }, locale);

describe('SubscriptionDetailView', () => {
  it('loading', () => {
    setup();
    expect(render(<SubscriptionDetailView {...ctx()} />).wrapper).toContainText('Loading…');
  });

  it('not connected', async () => {
    setup({ connected: false });
    const { wrapper } = await renderView(SubscriptionDetailView, ctx());
    expect(hasButton(wrapper, 'Connect Storno.ro')).toBe(true);
  });

  it('plan, amount, interval, status and every cycle; Create e-invoice for the one not invoiced', async () => {
    const { backend, platform } = setup();
    let second: ReturnType<typeof doc> | null = null;
    backend.on('GET', 'subscriptions/sub_1', () => {
      const data = subscription();
      data.cycles[1].document = second;
      return data;
    });
    backend.on('POST', 'subscriptions/sub_1/cycles/in_c2/einvoice', () => {
      second = doc({ id: 'doc_c2', stripeObjectId: 'in_c2', number: 'STR-0101', status: 'issued' });
      return second;
    });
    const { wrapper, update } = await renderView(SubscriptionDetailView, ctx());
    expect(wrapper).toContainText('Pro');
    // The header is the price per cycle without VAT, labelled; each cycle shows its gross total with the net next to it.
    expect(wrapper).toContainText('€99.00per cycle, excl. VAT · every month');
    expect(wrapper).toContainText('Total incl. VAT: €119.79 (€99.00 excl. VAT)');
    expect(wrapper).toContainText('Active');
    // Last day included (Stripe's period end is the first second of the next period).
    expect(wrapper).toContainText('Jan 1, 2026 – Jan 31, 2026');
    expect(wrapper).toContainText('Feb 1, 2026 – Feb 28, 2026');
    expect(wrapper).toContainText('ACME-0002 · Paid');
    expect(wrapper).toContainText('Not invoiced');
    expect(wrapper.findAll(Badge)).toHaveLength(1);

    await press(wrapper, update, 'Create e-invoice');
    const [post] = backend.calls('POST', 'subscriptions/sub_1/cycles/in_c2/einvoice');
    expectSigned(post);
    expect(platform.toasts).toContainEqual({ message: 'E-invoice created', kind: 'success' });
    expect(hasButton(wrapper, 'Create e-invoice')).toBe(false);
    expect(wrapper.findAll(Badge).map((badge) => badge.text)).toEqual(['Validated', 'Issued']);
  });

  it('empty: no cycles yet', async () => {
    const { backend } = setup();
    backend.on('GET', 'subscriptions/sub_1', subscription({ cycles: [] }));
    const { wrapper } = await renderView(SubscriptionDetailView, ctx());
    expect(wrapper).toContainText('No billing cycles yet.');
  });

  it('a blocked cycle shows its pre-flight checks and re-runs the cycle route', async () => {
    const { backend } = setup();
    const data = subscription();
    data.cycles[1].document = doc({ id: 'doc_c2', status: 'blocked', number: null, problem: { kind: 'preflight', checks: [{ code: 'buyer_address_missing', message: 'The customer has no address.' }] } });
    backend.on('GET', 'subscriptions/sub_1', data);
    backend.on('POST', 'subscriptions/sub_1/cycles/in_c2/einvoice', data.cycles[1].document);
    const { wrapper, update } = await renderView(SubscriptionDetailView, ctx());
    expect(wrapper).toContainText('The customer has no address.');
    await press(wrapper, update, 'Check again');
    expect(backend.calls('POST', 'subscriptions/sub_1/cycles/in_c2/einvoice')).toHaveLength(1);
  });

  it('error', async () => {
    const { backend } = setup();
    backend.on('GET', 'subscriptions/sub_1', reply(500, { error: 'internal', message: 'Nope' }));
    const { wrapper } = await renderView(SubscriptionDetailView, ctx());
    expect(screenText(wrapper)).toContain("Couldn't load data from Storno.ro");
  });

  it('Romanian', async () => {
    const { backend } = setup();
    backend.on('GET', 'subscriptions/sub_1', subscription());
    const { wrapper } = await renderView(SubscriptionDetailView, ctx('ro-RO'));
    expect(wrapper).toContainText('în fiecare lună');
    expect(wrapper).toContainText('Cicluri de facturare');
    expect(wrapper).toContainText('Nefacturat');
  });
});
