import { render } from '@stripe/ui-extension-sdk/testing';
import { contextFor, expectSigned, hasButton, press, renderView, reply, screenText, setup } from '../test/harness';
import { customerMatched, customerUnmatched } from '../test/fixtures';
import CustomerDetailView from './CustomerDetailView';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const ctx = (id = 'cus_1', locale = 'en-US') => contextFor('stripe.dashboard.customer.detail', { id, object: 'customer' }, locale);

describe('CustomerDetailView', () => {
  it('loading', () => {
    setup();
    expect(render(<CustomerDetailView {...ctx()} />).wrapper).toContainText('Loading…');
  });

  it('not connected', async () => {
    const { backend } = setup({ connected: false });
    const { wrapper } = await renderView(CustomerDetailView, ctx());
    expect(hasButton(wrapper, 'Connect Storno.ro')).toBe(true);
    expect(backend.requests).toHaveLength(0);
  });

  it('matched: the client, how it matched, and the invoice history', async () => {
    const { backend } = setup();
    backend.on('GET', 'customers/cus_1', customerMatched());
    const { wrapper } = await renderView(CustomerDetailView, ctx());
    expect(wrapper).toContainText('Matched by Romanian CIF');
    expect(wrapper).toContainText('Acme SRL');
    expect(wrapper).toContainText('CIF: RO998877');
    expect(wrapper).toContainText('Email: billing@acme.ro');
    expect(wrapper).toContainText('Address: Str. Lungă 1, Cluj-Napoca, Cluj, RO');
    expect(wrapper).toContainText('STR-0042');
    expect(wrapper).toContainText('RON\u00a0242.00');
    expect(hasButton(wrapper, 'Create client')).toBe(false);
    expectSigned(backend.calls('GET', 'customers/cus_1')[0]);
  });

  it('no match: the reason, the proposal, Create client → POST, refetch and toast', async () => {
    const { backend, platform } = setup();
    let created = false;
    backend.on('GET', 'customers/cus_2', () => (created ? { ...customerMatched(), match: { ...customerMatched().match!, matchedBy: 'created' } } : customerUnmatched()));
    backend.on('POST', 'customers/cus_2/client', () => {
      created = true;
      return reply(201, { ...customerMatched(), match: { ...customerMatched().match!, matchedBy: 'created' } });
    });
    const { wrapper, update } = await renderView(CustomerDetailView, ctx('cus_2'));
    const text = screenText(wrapper);
    expect(text).toContain('No Storno.ro client matches this customer');
    expect(text).toContain("No Storno.ro client has this customer's email (ion@example.com), or name (Ion Ionescu).");
    expect(text).toContain('Ion Ionescu');
    expect(text).toContain('Individual');
    expect(text).toContain('Bd. Unirii 3, Iași, Iași');
    expect(wrapper).toContainText('No invoices for this client yet.');

    await press(wrapper, update, 'Create client');
    expectSigned(backend.calls('POST', 'customers/cus_2/client')[0]);
    expect(platform.toasts).toContainEqual({ message: 'Client created', kind: 'success' });
    expect(wrapper).toContainText('Created from this customer');
    expect(backend.calls('GET', 'customers/cus_2')).toHaveLength(2);
  });

  it('error from the create action is shown, and the view stays', async () => {
    const { backend, platform } = setup();
    backend.on('GET', 'customers/cus_2', customerUnmatched());
    backend.on('POST', 'customers/cus_2/client', reply(422, { error: 'client_data_invalid', message: 'Storno would refuse this client: the county is missing.' }));
    const { wrapper, update } = await renderView(CustomerDetailView, ctx('cus_2'));
    await press(wrapper, update, 'Create client');
    expect(screenText(wrapper)).toContain('Storno would refuse this client: the county is missing.');
    expect(platform.toasts).toContainEqual({ message: 'Something went wrong', kind: 'caution' });
  });

  it('error loading', async () => {
    const { backend } = setup();
    backend.on('GET', 'customers/cus_1', reply(500, { error: 'internal', message: 'Boom' }));
    const { wrapper } = await renderView(CustomerDetailView, ctx());
    expect(screenText(wrapper)).toContain("Couldn't load data from Storno.ro");
  });

  it('Romanian', async () => {
    const { backend } = setup();
    backend.on('GET', 'customers/cus_1', customerMatched());
    const { wrapper } = await renderView(CustomerDetailView, ctx('cus_1', 'ro-RO'));
    expect(wrapper).toContainText('Potrivit după CIF');
    expect(wrapper).toContainText('Istoric facturi');
    expect(wrapper).toContainText('242,00\u00a0RON');
  });
});
