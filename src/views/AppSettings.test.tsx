import { render } from '@stripe/ui-extension-sdk/testing';
import { Button, Switch } from '@stripe/ui-extension-sdk/ui';
import { reply, contextFor, expectSigned, hasButton, press, renderView, screenText, settle, setup, storedTokens, button } from '../test/harness';
import { settings } from '../test/fixtures';
import AppSettings from './AppSettings';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const ctx = (locale = 'en-US') => contextFor('settings', null, locale);

describe('AppSettings', () => {
  it('shows a loading state first', () => {
    setup();
    const { wrapper } = render(<AppSettings {...ctx()} />);
    expect(wrapper).toContainText('Loading…');
  });

  it('connected: connection, company, CIF, who authorized it and when, auto mode', async () => {
    const { backend } = setup();
    backend.on('GET', 'settings', settings());
    const { wrapper } = await renderView(AppSettings, ctx());
    expect(screenText(wrapper)).toContain('Connected');
    expect(wrapper).toContainText('Exemplu Software SRL');
    expect(wrapper).toContainText('RO12345678');
    expect(wrapper).toContainText('Ana Popescu (ana@exemplu.ro)');
    expect(wrapper).toContainText('Feb 10, 2026, 11:30 AM');
    expect(wrapper.find(Switch)).toHaveProps({ checked: false, label: 'Auto mode' });
    const [request] = backend.calls('GET', 'settings');
    expectSigned(request, /^Bearer at-1$/);
  });

  it('not connected: no backend call, a Connect Storno.ro button', async () => {
    const { backend } = setup({ connected: false });
    const { wrapper } = await renderView(AppSettings, ctx());
    expect(wrapper).toContainText('Not connected');
    expect(screenText(wrapper)).toContain('Storno.ro is not connected');
    expect(hasButton(wrapper, 'Connect Storno.ro')).toBe(true);
    expect(backend.requests).toHaveLength(0);
  });

  it('error: shows the backend message and reloads on Try again', async () => {
    const { backend } = setup();
    let fail = true;
    backend.on('GET', 'settings', () => (fail ? reply(500, { error: 'internal', message: 'Database unavailable' }) : settings()));
    const { wrapper, update } = await renderView(AppSettings, ctx());
    expect(screenText(wrapper)).toContain("Couldn't load data from Storno.ro");
    expect(screenText(wrapper)).toContain('Database unavailable');
    fail = false;
    await press(wrapper, update, 'Try again');
    expect(wrapper).toContainText('Exemplu Software SRL');
  });

  it('auto mode: turning it on asks first and says what happens from now on; turning it off does not ask', async () => {
    const { backend, platform } = setup();
    let current = settings();
    backend.on('GET', 'settings', () => current);
    backend.on('PUT', 'settings', (request) => {
      current = settings({ autoMode: Boolean(request.body?.autoMode) });
      return current;
    });
    const { wrapper, update } = await renderView(AppSettings, ctx());
    // The description is not part of the switch, so clicking it cannot toggle anything.
    expect(wrapper.find(Switch)!.prop('description')).toBeUndefined();
    expect(screenText(wrapper)).toContain('Issue e-invoices automatically');
    wrapper.find(Switch)!.trigger('onChange', { target: { checked: true } });
    await settle(update);
    expect(backend.calls('PUT', 'settings')).toHaveLength(0);
    expect(screenText(wrapper)).toContain('Turn on auto mode?');
    expect(screenText(wrapper)).toContain('sent to ANAF without asking you');
    expect(wrapper.find(Switch)).toHaveProps({ checked: false });
    await press(wrapper, update, 'Cancel');
    expect(backend.calls('PUT', 'settings')).toHaveLength(0);
    wrapper.find(Switch)!.trigger('onChange', { target: { checked: true } });
    await settle(update);
    await press(wrapper, update, 'Turn on auto mode');
    const [put] = backend.calls('PUT', 'settings');
    expect(put.body).toEqual({ autoMode: true });
    expectSigned(put);
    expect(wrapper.find(Switch)).toHaveProps({ checked: true });
    expect(platform.toasts).toContainEqual({ message: 'Auto mode is on', kind: 'success' });
    wrapper.find(Switch)!.trigger('onChange', { target: { checked: false } });
    await settle(update);
    expect(backend.calls('PUT', 'settings')[1].body).toEqual({ autoMode: false });
    expect(platform.toasts).toContainEqual({ message: 'Auto mode is off', kind: 'success' });
  });

  it('disconnect asks for confirmation; nothing happens until confirmed', async () => {
    const { backend, platform } = setup();
    backend.on('GET', 'settings', settings());
    backend.on('POST', 'disconnect', { ok: true });
    const { wrapper, update } = await renderView(AppSettings, ctx());

    await press(wrapper, update, 'Disconnect');
    expect(screenText(wrapper)).toContain('Disconnect Storno.ro?');
    expect(backend.calls('POST', 'disconnect')).toHaveLength(0);
    await press(wrapper, update, 'Cancel');
    expect(screenText(wrapper)).not.toContain('Disconnect Storno.ro?');
    expect(backend.calls('POST', 'disconnect')).toHaveLength(0);
    expect(storedTokens(platform)).not.toBeNull();

    await press(wrapper, update, 'Disconnect');
    await press(wrapper, update, 'Yes, disconnect');
    const [request] = backend.calls('POST', 'disconnect');
    expectSigned(request, /^Bearer at-1$/);
    expect(storedTokens(platform)).toBeNull();
    expect(wrapper).toContainText('Not connected');
    expect(hasButton(wrapper, 'Connect Storno.ro')).toBe(true);
    expect(platform.toasts).toContainEqual({ message: 'Storno.ro disconnected', kind: 'success' });
  });

  it('reauthorization_required: tokens deleted and reconnect offered', async () => {
    const { backend, platform } = setup();
    backend.reauthorizationRequired = true;
    const { wrapper } = await renderView(AppSettings, ctx());
    expect(wrapper).toContainText('Needs re-authorization');
    expect(screenText(wrapper)).toContain('Storno.ro needs to be reconnected');
    expect(hasButton(wrapper, 'Connect Storno.ro')).toBe(true);
    expect(storedTokens(platform)).toBeNull();
  });

  describe('Connect Storno.ro (device flow)', () => {
    it('asks for a code with the signed account/user, opens the page and polls until approved, honouring slow_down', async () => {
      const { backend, platform } = setup({ connected: false });
      backend.devicePolls = [reply(400, { error: 'authorization_pending' }), reply(400, { error: 'slow_down' }), reply(400, { error: 'authorization_pending' }), 'approve'];
      backend.on('GET', 'settings', settings());
      const { wrapper, update } = await renderView(AppSettings, ctx());

      await press(wrapper, update, 'Connect Storno.ro');
      const [device] = backend.calls('POST', 'oauth/device');
      expect(device.body).toEqual({ stripe_account_id: 'acct_1234', user_id: 'usr_1234' });
      expect(device.headers['stripe-signature']).toMatch(/^t=\d+,v1=sig\d+$/);
      expect(device.headers.authorization).toBeUndefined();

      const open = button(wrapper, 'Open Storno.ro to approve');
      expect(open.props).toMatchObject({ href: 'https://stripe-app.storno.ro/stripe-link?code=WXYZ-1234', target: '_blank' });
      expect(backend.calls('POST', 'token')).toHaveLength(0);

      await press(wrapper, update, 'Open Storno.ro to approve');
      expect(platform.opened).toEqual(['https://stripe-app.storno.ro/stripe-link?code=WXYZ-1234']);
      await settle(update, 30);

      const polls = backend.calls('POST', 'token');
      expect(polls).toHaveLength(4);
      expect(polls[0].body).toEqual({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'dev-code-1' });
      expect(platform.sleeps).toEqual([5000, 5000, 10000, 10000]);
      expect(storedTokens(platform)).toMatchObject({ access_token: 'at-2', refresh_token: 'rt-2' });
      expect(platform.toasts).toContainEqual({ message: 'Storno.ro connected', kind: 'success' });
      expect(wrapper).toContainText('Exemplu Software SRL');
      expectSigned(backend.calls('GET', 'settings')[0], /^Bearer at-2$/);
    });

    it('while pending shows the code only as a fallback, then stops when the code expires', async () => {
      const { backend } = setup({ connected: false });
      const pending = reply(400, { error: 'authorization_pending' });
      backend.devicePolls = [pending, pending, pending, pending, pending, pending, reply(400, { error: 'expired_token' })];
      const { wrapper, update } = await renderView(AppSettings, ctx());
      await press(wrapper, update, 'Connect Storno.ro');
      expect(screenText(wrapper)).not.toContain('WXYZ-1234');
      button(wrapper, 'Open Storno.ro to approve').trigger('onPress', {});
      await update();
      await update();
      expect(wrapper).toContainText('Waiting for your approval on Storno.ro…');
      expect(wrapper).toContainText("If the page didn't open, go to https://stripe-app.storno.ro/stripe-link and enter WXYZ-1234.");

      await settle(update, 40);
      expect(screenText(wrapper)).toContain('The connection code expired');
      expect(backend.calls('POST', 'token')).toHaveLength(7);
      expect(hasButton(wrapper, 'Try again')).toBe(true);
      await settle(update, 5);
      expect(backend.calls('POST', 'token')).toHaveLength(7);
    });

    it('access_denied: clear message and Try again asks for a new code', async () => {
      const { backend } = setup({ connected: false });
      backend.devicePolls = [reply(400, { error: 'access_denied' })];
      const { wrapper, update } = await renderView(AppSettings, ctx());
      await press(wrapper, update, 'Connect Storno.ro');
      await press(wrapper, update, 'Open Storno.ro to approve');
      await settle(update, 10);
      expect(screenText(wrapper)).toContain('The connection was declined on Storno.ro');
      expect(backend.calls('POST', 'token')).toHaveLength(1);
      await press(wrapper, update, 'Try again');
      expect(backend.calls('POST', 'oauth/device')).toHaveLength(2);
      expect(hasButton(wrapper, 'Open Storno.ro to approve')).toBe(true);
    });
  });

  it('Romanian Dashboard locale shows Romanian strings', async () => {
    const { backend } = setup();
    backend.on('GET', 'settings', settings({ autoMode: true }));
    const { wrapper } = await renderView(AppSettings, ctx('ro-RO'));
    expect(wrapper).toContainText('Conexiunea Storno.ro');
    expect(wrapper).toContainText('Conectat');
    expect(wrapper.find(Switch)).toHaveProps({ label: 'Mod automat', checked: true });
    expect(wrapper.find(Button, { type: 'destructive' })).toContainText('Deconectează');
  });
});
