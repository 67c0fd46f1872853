import { render } from '@stripe/ui-extension-sdk/testing';
import { Button, Switch } from '@stripe/ui-extension-sdk/ui';
import { DEVICE_GRANT_SECRET_NAME, resetClients } from '../api/client';
import {
  reply,
  contextFor,
  expectSigned,
  hasButton,
  press,
  renderView,
  screenText,
  settle,
  setup,
  storedTokens,
  button,
  tokenKey,
  NOW_MS,
  USER_ID,
  type FakePlatform,
} from '../test/harness';
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
    backend.on('POST', 'disconnect', { status: 'disconnected' });
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
    const pending = reply(400, { error: 'authorization_pending' });
    const grantKey = `${USER_ID}/${DEVICE_GRANT_SECRET_NAME}`;
    const storedGrant = (platform: FakePlatform) => platform.store.get(grantKey) ?? null;

    it('asks for a code with the signed account/user and polls at once, without a click, honouring slow_down', async () => {
      const { backend, platform } = setup({ connected: false });
      backend.devicePolls = [pending, reply(400, { error: 'slow_down' }), pending, 'approve'];
      backend.on('GET', 'settings', settings());
      const { wrapper, update } = await renderView(AppSettings, ctx());
      const idleSleeps = platform.sleeps.length;

      await press(wrapper, update, 'Connect Storno.ro');
      const [device] = backend.calls('POST', 'oauth/device');
      expect(device.body).toEqual({ stripe_account_id: 'acct_1234', user_id: 'usr_1234' });
      expect(device.headers['stripe-signature']).toMatch(/^t=\d+,v1=sig\d+$/);
      expect(device.headers.authorization).toBeUndefined();
      await settle(update, 30);

      // Nobody pressed "Open Storno.ro to approve": the approval on the consent page is enough.
      expect(platform.opened).toEqual([]);
      const polls = backend.calls('POST', 'token');
      expect(polls).toHaveLength(4);
      expect(polls[0].body).toEqual({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'dev-code-1' });
      expect(platform.sleeps.slice(idleSleeps)).toEqual([5000, 5000, 10000, 10000]);
      expect(storedTokens(platform)).toMatchObject({ access_token: 'at-2', refresh_token: 'rt-2' });
      expect(storedGrant(platform)).toBeNull();
      expect(platform.toasts).toContainEqual({ message: 'Storno.ro connected', kind: 'success' });
      expect(wrapper).toContainText('Exemplu Software SRL');
      expectSigned(backend.calls('GET', 'settings')[0], /^Bearer at-2$/);
    });

    it('while pending shows the link and the code as a fallback, and stops when the code expires', async () => {
      const { backend, platform } = setup({ connected: false });
      backend.devicePolls = [pending, pending, pending, pending, pending, pending, reply(400, { error: 'expired_token' })];
      const { wrapper, update } = await renderView(AppSettings, ctx());
      const pressedAt = platform.clock.now;
      button(wrapper, 'Connect Storno.ro').trigger('onPress', {});
      for (let i = 0; i < 6; i++) await update();
      expect(wrapper).toContainText('Waiting for your approval on Storno.ro…');
      expect(wrapper).toContainText("If the page didn't open, go to https://stripe-app.storno.ro/stripe-link and enter WXYZ-1234.");
      const open = button(wrapper, 'Open Storno.ro to approve');
      expect(open.props).toMatchObject({ href: 'https://stripe-app.storno.ro/stripe-link?code=WXYZ-1234', target: '_blank' });
      open.trigger('onPress', {});
      expect(platform.opened).toEqual(['https://stripe-app.storno.ro/stripe-link?code=WXYZ-1234']);
      // The code waits in the Secret Store (user scope) for a reload or another tab, until it expires.
      const stored = JSON.parse(storedGrant(platform)!) as { device_code: string; expires_at: number };
      expect(stored.device_code).toBe('dev-code-1');
      expect(stored.expires_at - pressedAt).toBeGreaterThanOrEqual(900_000);
      expect(stored.expires_at - pressedAt).toBeLessThanOrEqual(900_000 + 10_000);

      await settle(update, 40);
      expect(screenText(wrapper)).toContain('The connection code expired');
      expect(backend.calls('POST', 'token')).toHaveLength(7);
      expect(storedGrant(platform)).toBeNull();
      expect(hasButton(wrapper, 'Try again')).toBe(true);
      await settle(update, 5);
      expect(backend.calls('POST', 'token')).toHaveLength(7);
    });

    it('approval after a settings reload completes without a click: the reloaded view follows the stored code', async () => {
      const { backend, platform } = setup({ connected: false });
      backend.devicePolls = [pending];
      backend.on('GET', 'settings', settings());
      const before = await renderView(AppSettings, ctx());
      await press(before.wrapper, before.update, 'Connect Storno.ro');
      await settle(before.update, 6);
      expect(backend.calls('POST', 'oauth/device')).toHaveLength(1);
      // Reload: the view (and its client) is gone; the merchant approves on the consent page meanwhile.
      await before.unmount();
      resetClients();
      backend.devicePolls = ['approve'];
      const pollsBefore = backend.calls('POST', 'token').length;

      const { wrapper, update } = await renderView(AppSettings, ctx());
      await settle(update, 20);
      expect(backend.calls('POST', 'oauth/device')).toHaveLength(1);
      expect(backend.calls('POST', 'token').length).toBeGreaterThan(pollsBefore);
      expect(backend.calls('POST', 'token').at(-1)!.body).toMatchObject({ device_code: 'dev-code-1' });
      expect(platform.opened).toEqual([]);
      expect(storedTokens(platform)).toMatchObject({ access_token: 'at-2' });
      expect(storedGrant(platform)).toBeNull();
      expect(wrapper).toContainText('Exemplu Software SRL');
    });

    it('a second Settings tab follows the same code and notices the connection made in the first', async () => {
      const { backend, platform } = setup({ connected: false });
      let exchanged = false;
      // Single use, like the backend: after the exchange the code is invalid_grant for everyone.
      backend.on('POST', 'token', () => {
        if (!tabA) return pending;
        if (exchanged) return reply(400, { error: 'invalid_grant', error_description: 'The device code was already used.' });
        exchanged = true;
        return { access_token: 'at-9', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-9' };
      });
      backend.validAccessTokens.add('at-9');
      backend.on('GET', 'settings', settings());
      let tabA: boolean | null = null;
      const a = await renderView(AppSettings, ctx());
      await press(a.wrapper, a.update, 'Connect Storno.ro');
      resetClients(); // another tab: its own client, the same Secret Store
      const b = await renderView(AppSettings, ctx());
      await settle(b.update, 4);
      expect(backend.calls('POST', 'oauth/device')).toHaveLength(1);
      expect(b.wrapper).toContainText('Waiting for your approval on Storno.ro…');

      tabA = true;
      await Promise.all([settle(a.update, 30), settle(b.update, 30)]);
      expect(storedTokens(platform)).toMatchObject({ access_token: 'at-9', refresh_token: 'rt-9' });
      for (const tab of [a, b]) {
        expect(tab.wrapper).toContainText('Exemplu Software SRL');
        expect(screenText(tab.wrapper)).not.toContain('expired');
      }
    });

    it('a tab that was idle when another tab connected notices it', async () => {
      const { backend, platform } = setup({ connected: false });
      backend.on('GET', 'settings', settings());
      const idle = await renderView(AppSettings, ctx());
      expect(hasButton(idle.wrapper, 'Connect Storno.ro')).toBe(true);
      // Another tab connected meanwhile: its tokens are in this user's Secret Store.
      platform.store.set(tokenKey, JSON.stringify({ access_token: 'at-1', refresh_token: 'rt-1', expires_at: Math.floor(NOW_MS / 1000) + 3600 }));
      await settle(idle.update, 20);
      expect(idle.wrapper).toContainText('Exemplu Software SRL');
      expect(backend.calls('POST', 'oauth/device')).toHaveLength(0);
    });

    it('access_denied: clear message and Try again asks for a new code', async () => {
      const { backend, platform } = setup({ connected: false });
      backend.devicePolls = [reply(400, { error: 'access_denied' })];
      const { wrapper, update } = await renderView(AppSettings, ctx());
      await press(wrapper, update, 'Connect Storno.ro');
      await settle(update, 10);
      expect(screenText(wrapper)).toContain('The connection was declined on Storno.ro');
      expect(backend.calls('POST', 'token')).toHaveLength(1);
      expect(storedGrant(platform)).toBeNull();
      backend.devicePolls = [pending];
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
