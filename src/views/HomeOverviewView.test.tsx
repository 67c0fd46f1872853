import { render } from '@stripe/ui-extension-sdk/testing';
import { Badge, Button, Link, Switch, Tabs } from '@stripe/ui-extension-sdk/ui';
import { contextFor, expectSigned, hasButton, press, renderView, reply, screenText, settle, setup, storedTokens } from '../test/harness';
import { dashboard, doc, settings } from '../test/fixtures';
import HomeOverviewView from './HomeOverviewView';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const ctx = (locale = 'en-US') => contextFor('stripe.dashboard.home.overview', null, locale);

const errorsTab = () =>
  dashboard({
    tab: 'errors',
    documents: [
      doc({ id: 'doc_2', number: 'STR-0002', status: 'rejected', clientName: 'Beta SRL', providerError: 'E-Factura: CIF cumpărător invalid', obligation: { state: 'failed', action: 'retry', detail: null } }),
      doc({
        id: 'doc_3',
        number: null,
        status: 'blocked',
        clientName: 'Gamma SRL',
        problem: { kind: 'preflight', checks: [{ code: 'bucharest_sector_missing', message: 'Add the Bucharest sector to the customer address.' }] },
        obligation: { state: 'blocked', action: 'fix_in_stripe', detail: null },
      }),
      doc({
        id: 'doc_4',
        number: null,
        status: 'blocked',
        clientName: 'Delta SRL',
        problem: { kind: 'total_mismatch', expected: '100.00', actual: '100.01', difference: '0.01', currency: 'ron' },
        obligation: { state: 'blocked', action: 'confirm', detail: null },
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
    // Four tiles that add up to the total (7 + 7 + 2 + 2 = 18), then the deadline figures.
    expect(text).toContain('Validated7');
    expect(text).toContain('In progress7');
    expect(text).toContain('Needs action2');
    expect(text).toContain('Draft / issued2');
    expect(text).toContain('Due within 2 working days1');
    expect(text).toContain('Overdue0');
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

    // Another total reaches ANAF: nothing is sent before the merchant confirms.
    await press(wrapper, update, 'Issue anyway');
    expect(screenText(wrapper)).toContain('Issue with a different total?');
    expect(backend.calls('POST', 'documents/doc_4/retry')).toHaveLength(0);
    await press(wrapper, update, 'Yes, issue and send');
    const [anyway] = backend.calls('POST', 'documents/doc_4/retry');
    expect(anyway.body).toEqual({ issueAnyway: true });
  });

  it('Errors tab: every obligation that needs the merchant — state, reason, deadline, action, the Stripe object — and sales with no document yet', async () => {
    const { backend } = setup();
    const waiting = doc({
      id: 'doc_5',
      kind: 'refund',
      stripeObjectId: 're_1',
      number: null,
      status: 'blocked',
      clientName: 'Epsilon SRL',
      deadline: '2026-12-07',
      problem: { kind: 'storno_refusal', reason: 'plan_limit', message: 'Storno.ro refused: Monthly invoice limit reached.' },
      obligation: { state: 'blocked', action: 'fix_in_storno', detail: 'Storno.ro refused: Monthly invoice limit reached.' },
    });
    const reconnect = doc({ id: 'doc_6', stripeObjectId: 'in_9', status: 'pending', number: null, obligation: { state: 'waiting_reconnect', action: 'reconnect', detail: 'Reconnect and it continues.' } });
    backend.on('GET', 'dashboard', (request) =>
      request.query.get('tab') === 'errors'
        ? dashboard({ tab: 'errors', documents: [waiting, reconnect], failedEvents: [{ id: 'ev_1', type: 'payment_intent.succeeded', stripeObjectId: 'pi_7', error: 'Stripe is not answering', at: '2026-11-30T10:00:00.000Z' }] })
        : dashboard(),
    );
    backend.on('POST', 'events/ev_1/retry', { status: 'pending' });
    const { wrapper, update } = await renderView(HomeOverviewView, ctx());
    wrapper.find(Tabs)!.trigger('onSelectionChange', 'errors');
    await settle(update);
    const text = screenText(wrapper);
    expect(text).toContain('Blocked: needs you');
    expect(text).toContain('Storno.ro refused: Monthly invoice limit reached.');
    expect(text).toContain('Fix it in Storno.ro, then retry');
    expect(text).toContain('Upload to ANAF by');
    expect(text).toContain('Waiting for you to reconnect Storno.ro');
    expect(text).toContain('Reconnect Storno.ro in Settings');
    expect(text).toContain('No document yet (payment_intent.succeeded)');
    expect(text).toContain('Stripe is not answering');
    // Rows open the Stripe object through the Dashboard's navigation.
    const hrefs = wrapper.findAll(Link).map((l) => l.props.href);
    expect(hrefs).toContainEqual({ name: 'invoiceDetails', params: { invoiceId: 'in_9' } });
    expect(hrefs).toContainEqual({ name: 'paymentDetails', params: { paymentId: 'pi_7' } });

    const buttons = wrapper.findAll(Button).filter((b) => b.text === 'Retry');
    buttons.at(-1)!.trigger('onPress');
    await settle(update);
    expect(backend.calls('POST', 'events/ev_1/retry')).toHaveLength(1);
  });

  it('while Storno needs re-authorization, Home still loads from our data with a reconnect banner', async () => {
    const { backend } = setup();
    backend.on('GET', 'dashboard', dashboard({ connectionStatus: 'reauthorization_required' }));
    const { wrapper } = await renderView(HomeOverviewView, ctx());
    const text = screenText(wrapper);
    expect(text).toContain('Storno.ro needs you to reconnect');
    expect(text).toContain('Validated7');
    expect(hasButton(wrapper, 'Connect Storno.ro')).toBe(true);
    expect(wrapper.find(Switch)).toBeTruthy();
  });

  it('auto mode toggle: PUT /settings then refetch', async () => {
    const { backend } = setup();
    let autoMode = false;
    backend.on('GET', 'dashboard', () => dashboard({ autoMode }));
    backend.on('PUT', 'settings', (request) => {
      autoMode = Boolean(request.body?.autoMode);
      return settings({ autoMode });
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
    expect(wrapper.text).toContain('În curs7');
    expect(wrapper.text).toContain('Necesită acțiune2');
    expect(wrapper.text).toContain('Termen depășit0');
    expect(wrapper).toContainText('121,00\u00a0RON');
    expect(wrapper).toContainText('Documente recente');
    expect(wrapper.find(Badge, { type: 'positive' })).toContainText('Validată');
  });
});
