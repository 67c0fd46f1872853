import { NotConnectedError, StornoClient, getClient } from './client';
import { setPlatform } from './platform';
import { API_BASE, ACCOUNT_ID, USER_ID, expectSigned, reply, setup, storedTokens } from '../test/harness';
import { dashboard } from '../test/fixtures';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const client = () => getClient({ baseUrl: API_BASE, userId: USER_ID, accountId: ACCOUNT_ID });

describe('StornoClient', () => {
  it('sends Bearer + a fresh Stripe-Signature on every call', async () => {
    const { backend, platform } = setup();
    backend.on('GET', 'dashboard', dashboard());
    await client().getDashboard('pending');
    await client().getDashboard('errors');
    const [first, second] = backend.requests;
    expectSigned(first, /^Bearer at-1$/);
    expect(first.query.get('tab')).toBe('pending');
    expect(first.headers['stripe-signature']).not.toBe(second.headers['stripe-signature']);
    expect(platform.signatures).toBe(2);
  });

  it('concurrent calls with an expiring token share one refresh (rotating refresh tokens)', async () => {
    const { backend } = setup({ expiresInSeconds: 10 });
    backend.on('GET', 'dashboard', dashboard());
    await Promise.all([client().getDashboard('all'), client().getDashboard('pending'), client().getDashboard('errors')]);
    expect(backend.calls('POST', 'token')).toHaveLength(1);
    expect(backend.calls('GET', 'dashboard').every((r) => r.headers.authorization === 'Bearer at-2')).toBe(true);
  });

  describe('two Dashboard tabs (one Secret Store, a client each)', () => {
    const tab = () => new StornoClient({ baseUrl: API_BASE, userId: USER_ID, accountId: ACCOUNT_ID });

    it('refreshing at the same moment: both keep working, nobody is asked to reconnect', async () => {
      const { backend, platform } = setup({ expiresInSeconds: 10 });
      backend.on('GET', 'dashboard', dashboard());
      const [a, b] = [tab(), tab()];
      // Both read rt-1 before either refreshes; the fake backend accepts each refresh token once.
      await Promise.all([a.reloadTokens(), b.reloadTokens()]);
      await Promise.all([a.getDashboard('all'), b.getDashboard('pending')]);
      expect(backend.calls('GET', 'dashboard').map((r) => r.headers.authorization)).toEqual(['Bearer at-2', 'Bearer at-2']);
      expect(a.reauthorizationRequired || b.reauthorizationRequired).toBe(false);
      expect(storedTokens(platform)).toMatchObject({ access_token: 'at-2', refresh_token: 'rt-2' });
    });

    it('a tab refreshing later uses the pair the other tab rotated to instead of presenting the old token', async () => {
      const { backend, platform } = setup({ expiresInSeconds: 10 });
      backend.on('GET', 'dashboard', dashboard());
      const [a, b] = [tab(), tab()];
      await b.reloadTokens(); // tab B read rt-1 when it opened
      await a.getDashboard('all'); // tab A rotated rt-1 → rt-2
      await b.getDashboard('pending');
      expect(backend.calls('POST', 'token')).toHaveLength(1);
      expect(backend.calls('GET', 'dashboard').at(-1)!.headers.authorization).toBe('Bearer at-2');
      expect(storedTokens(platform)).toMatchObject({ refresh_token: 'rt-2' });
    });
  });

  it('a refused refresh deletes the tokens and asks for re-authorization', async () => {
    const { backend, platform } = setup({ expiresInSeconds: 10 });
    backend.validRefreshTokens.clear();
    await expect(client().getDashboard('all')).rejects.toEqual(new NotConnectedError('reauthorization_required'));
    expect(storedTokens(platform)).toBeNull();
    expect(client().reauthorizationRequired).toBe(true);
    expect(backend.calls('GET', 'dashboard')).toHaveLength(0);
  });

  it('a refresh that fails for a server reason keeps the tokens', async () => {
    const { backend, platform } = setup({ expiresInSeconds: 10 });
    backend.on('POST', 'token', reply(500, { error: 'internal_error', message: 'Try later' }));
    await expect(client().getDashboard('all')).rejects.toThrow('Try later');
    expect(storedTokens(platform)).not.toBeNull();
  });

  it('a second 401 after the retry gives up and asks for re-authorization', async () => {
    const { backend, platform } = setup();
    backend.on('GET', 'dashboard', reply(401, { error: 'unauthorized', message: 'no' }));
    await expect(client().getDashboard('all')).rejects.toBeInstanceOf(NotConnectedError);
    expect(backend.calls('GET', 'dashboard')).toHaveLength(2);
    expect(backend.calls('POST', 'token')).toHaveLength(1);
    expect(storedTokens(platform)).toBeNull();
  });

  it('network failures become an ApiError with status 0', async () => {
    const { platform } = setup();
    setPlatform({
      ...platform,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(client().getSettings()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});
