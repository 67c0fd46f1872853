import { render } from '@stripe/ui-extension-sdk/testing';
import { Badge, Switch, Tabs } from '@stripe/ui-extension-sdk/ui';
import { contextFor, expectSigned, hasButton, press, renderView, reply, screenText, settle, setup, storedTokens } from '../test/harness';
import { dashboard, doc } from '../test/fixtures';
import HomeOverviewView from './HomeOverviewView';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const ctx = (locale = 'en-US') => contextFor('stripe.dashboard.home.overview', null, locale);

const errorsTab = () =>
  dashboard({
    tab: 'errors',
    documents: [
      doc({ id: 'doc_2', number: 'STR-0002', status: 'rejected', clientName: 'Beta SRL', providerError: 'E-Factura: CIF cumpărător invalid' }),
      doc({
        id: 'doc_3',
        number: null,
        status: 'blocked',
        clientName: 'Gamma SRL',
        problem: { kind: 'preflight', checks: [{ code: 'bucharest_sector_missing', message: 'Add the Bucharest sector to the customer address.' }] },
      }),
      doc({
        id: 'doc_4',
        number: null,
        status: 'blocked',
        clientName: 'Delta SRL',
        problem: { kind: 'total_mismatch', expected: '100.00', actual: '100.01', difference: '0.01', currency: 'ron' },
      }),
    ],
  });

describe('HomeOverviewView', () => {
  it('shows a loading state first', () => {
    setup();
    const { wrapper } = render(<HomeOverviewView {...ctx()} />);
    expect(wrapper).toContainText('Loading…');
  });

  it('not connected: offers Connect Storno.ro, calls nothing', async () => {
    const { backend } = setup({ connected: false });
    const { wrapper } = await renderView(HomeOverviewView, ctx());
    expect(screenText(wrapper)).toContain('Storno.ro is not connected');
    expect(hasButton(wrapper, 'Connect Storno.ro')).toBe(true);
    expect(backend.requests).toHaveLength(0);
  });

  it('connected: status counts, auto mode and recent documents with amount and status', async () => {
    const { backend } = setup();
    backend.on('GET', 'dashboard', dashboard());
    const { wrapper } = await renderView(HomeOverviewView, ctx());
    const text = wrapper.text;
    expect(text).toContain('Validated7');
    expect(text).toContain('In progress10');
    expect(text).toContain('Rejected1');
    expect(text).toContain('Issued2');
    expect(text).toContain('Draft1');
    expect(wrapper).toContainText('STR-0001');
    expect(wrapper).toContainText('Acme SRL');
    expect(wrapper).toContainText('RON\u00a0121.00');
    expect(wrapper).toContainText('€50.00');
    expect(wrapper.find(Badge, { type: 'positive' })).toContainText('Validated');
    expect(wrapper.find(Badge, { type: 'negative' })).toContainText('Rejected');
    expect(wrapper.find(Switch)).toHaveProps({ checked: false });
    const [request] = backend.calls('GET', 'dashboard');
    expect(request.query.get('tab')).toBe('all');
    expectSigned(request, /^Bearer at-1$/);
  });

  it('empty: says there is nothing yet', async () => {
    const { backend } = setup();
    backend.on('GET', 'dashboard', dashboard({ documents: [] }));
    const { wrapper } = await renderView(HomeOverviewView, ctx());
    expect(wrapper).toContainText('No documents yet.');
  });

  it('error: shows the message with Try again', async () => {
    const { backend } = setup();
    backend.on('GET', 'dashboard', reply(503, { error: 'storno_unavailable', message: 'Storno.ro is not answering' }));
    const { wrapper } = await renderView(HomeOverviewView, ctx());
    expect(screenText(wrapper)).toContain('Storno.ro is not reachable right now. Nothing was lost');
    expect(hasButton(wrapper, 'Try again')).toBe(true);
  });

  it('Errors tab: reasons, Retry and Issue anyway, then refetches and toasts', async () => {
    const { backend, platform } = setup();
    backend.on('GET', 'dashboard', (request) => (request.query.get('tab') === 'errors' ? errorsTab() : dashboard()));
    backend.on('POST', 'documents/doc_2/retry', doc({ id: 'doc_2', status: 'sent_to_provider' }));
    backend.on('POST', 'documents/doc_4/retry', doc({ id: 'doc_4', status: 'issued' }));
    const { wrapper, update } = await renderView(HomeOverviewView, ctx());

    wrapper.find(Tabs)!.trigger('onSelectionChange', 'errors');
    await settle(update);
    expect(backend.calls('GET', 'dashboard').map((r) => r.query.get('tab'))).toEqual(['all', 'errors']);
    expect(wrapper).toContainText('E-Factura: CIF cumpărător invalid');
    expect(wrapper).toContainText('Add the Bucharest sector to the customer address.');
    expect(wrapper).toContainText('Stripe charged RON\u00a0100.00');

    await press(wrapper, update, 'Retry');
    const [retry] = backend.calls('POST', 'documents/doc_2/retry');
    expectSigned(retry);
    expect(retry.body).toEqual({});
    expect(platform.toasts).toContainEqual({ message: 'Sent again', kind: 'success' });
    expect(backend.calls('GET', 'dashboard')).toHaveLength(3);

    await press(wrapper, update, 'Issue anyway');
    expect(backend.calls('POST', 'documents/doc_4/retry')).toHaveLength(0);
    await press(wrapper, update, 'Yes, issue and send');
    const [anyway] = backend.calls('POST', 'documents/doc_4/retry');
    expect(anyway.body).toEqual({ issueAnyway: true });
  });

  it('auto mode toggle: asks first, then PUT /settings and refetch', async () => {
    const { backend } = setup();
    let autoMode = false;
    backend.on('GET', 'dashboard', () => dashboard({ autoMode }));
    backend.on('PUT', 'settings', (request) => {
      autoMode = Boolean(request.body?.autoMode);
      return {};
    });
    const { wrapper, update } = await renderView(HomeOverviewView, ctx());
    wrapper.find(Switch)!.trigger('onChange', { target: { checked: true } });
    await settle(update);
    expect(backend.calls('PUT', 'settings')).toHaveLength(0);
    await press(wrapper, update, 'Turn on auto mode');
    expect(backend.calls('PUT', 'settings')[0].body).toEqual({ autoMode: true });
    expect(wrapper.find(Switch)).toHaveProps({ checked: true });
  });

  it('refreshes an access token that is about to expire before calling', async () => {
    const { backend, platform } = setup({ expiresInSeconds: 30 });
    backend.on('GET', 'dashboard', dashboard());
    const { wrapper } = await renderView(HomeOverviewView, ctx());
    // (The period section's look for a running backfill comes after the dashboard.)
    expect(backend.requests.filter((r) => r.path !== 'backfills').map((r) => `${r.method} ${r.path}`)).toEqual(['POST token', 'GET dashboard']);
    expect(backend.requests[0].body).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-1' });
    expectSigned(backend.requests[1], /^Bearer at-2$/);
    expect(storedTokens(platform)).toMatchObject({ access_token: 'at-2', refresh_token: 'rt-2' });
    expect(wrapper).toContainText('STR-0001');
  });

  it('a 401 unauthorized refreshes once and retries once', async () => {
    const { backend } = setup();
    backend.validAccessTokens.clear(); // at-1 revoked at the backend although not expired locally
    backend.on('GET', 'dashboard', dashboard());
    const { wrapper } = await renderView(HomeOverviewView, ctx());
    expect(backend.requests.filter((r) => r.path !== 'backfills').map((r) => `${r.method} ${r.path} ${r.headers.authorization ?? ''}`)).toEqual([
      'GET dashboard Bearer at-1',
      'POST token ',
      'GET dashboard Bearer at-2',
    ]);
    expect(wrapper).toContainText('STR-0001');
  });

  it('reauthorization_required: tokens deleted, reconnect offered', async () => {
    const { backend, platform } = setup();
    backend.reauthorizationRequired = true;
    const { wrapper } = await renderView(HomeOverviewView, ctx());
    expect(screenText(wrapper)).toContain('Storno.ro needs to be reconnected');
    expect(hasButton(wrapper, 'Connect Storno.ro')).toBe(true);
    expect(storedTokens(platform)).toBeNull();
    expect(backend.calls('GET', 'dashboard')).toHaveLength(1);
  });

  it('Romanian: labels and money in Romanian format', async () => {
    const { backend } = setup();
    backend.on('GET', 'dashboard', dashboard());
    const { wrapper } = await renderView(HomeOverviewView, ctx('ro-RO'));
    expect(wrapper.text).toContain('Validate7');
    expect(wrapper.text).toContain('În lucru10');
    expect(wrapper).toContainText('121,00\u00a0RON');
    expect(wrapper).toContainText('Documente recente');
    expect(wrapper.find(Badge, { type: 'positive' })).toContainText('Validată');
  });
});
