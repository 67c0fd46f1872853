import * as utils from '@stripe/ui-extension-sdk/utils';
import { getPlatform, resetPlatform, sdkPlatform, setPlatform } from './platform';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const apiFetch = vi.mocked(utils.stripeApiFetch);
const ok = (json: unknown, status = 200) => ({ ok: status < 400, status, json: json as object, headers: {}, redirected: false, statusText: '', type: 'basic', url: '' });

describe('sdkPlatform (Secret Store, user scope, through the Dashboard fetch)', () => {
  beforeEach(() => apiFetch.mockReset());

  it('find asks for the payload in the user scope', async () => {
    apiFetch.mockResolvedValueOnce(ok({ id: 'appsecret_1', payload: '{"a":1}' }));
    expect(await sdkPlatform.secrets.get('usr_1', 'storno_tokens')).toBe('{"a":1}');
    const [url, init] = apiFetch.mock.calls[0] as unknown as [string, { method: string; headers: Record<string, string> }];
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe('https://api.stripe.com/v1/apps/secrets/find');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({ 'scope[type]': 'user', 'scope[user]': 'usr_1', name: 'storno_tokens', 'expand[]': 'payload' });
    expect(init.method).toBe('GET');
    expect(init.headers.Authorization).toBe('Bearer DO_NOT_PASS_A_REAL_API_KEY');
  });

  it('a missing secret is null; other errors throw', async () => {
    apiFetch.mockResolvedValueOnce(ok({ error: { code: 'resource_missing' } }, 404));
    expect(await sdkPlatform.secrets.get('usr_1', 'x')).toBeNull();
    apiFetch.mockResolvedValueOnce(ok({ error: { message: 'Forbidden' } }, 403));
    await expect(sdkPlatform.secrets.get('usr_1', 'x')).rejects.toThrow('Forbidden');
  });

  it('create (upsert) and deleteWhere post form bodies', async () => {
    apiFetch.mockResolvedValue(ok({}));
    await sdkPlatform.secrets.set('usr_1', 'storno_tokens', '{"b":2}');
    await sdkPlatform.secrets.delete('usr_1', 'storno_tokens');
    const calls = apiFetch.mock.calls as unknown as [string, { method: string; body: string }][];
    expect(calls[0][0]).toBe('https://api.stripe.com/v1/apps/secrets');
    expect(Object.fromEntries(new URLSearchParams(calls[0][1].body))).toEqual({ 'scope[type]': 'user', 'scope[user]': 'usr_1', name: 'storno_tokens', payload: '{"b":2}' });
    expect(calls[1][0]).toBe('https://api.stripe.com/v1/apps/secrets/delete');
    expect(calls[1][1].method).toBe('POST');
  });

  it('signature and toasts go through the SDK; toasts are cut to 30 characters', async () => {
    expect(await sdkPlatform.fetchSignature()).toBe('t=1,v1=from-sdk');
    sdkPlatform.toast('A very long message that the Dashboard would refuse', 'success');
    expect(utils.showToast).toHaveBeenCalledWith('A very long message that the D', { type: 'success' });
  });

  it('setPlatform replaces parts, resetPlatform restores the SDK one', () => {
    const toast = vi.fn();
    setPlatform({ toast });
    expect(getPlatform().toast).toBe(toast);
    expect(getPlatform().secrets).toBe(sdkPlatform.secrets);
    resetPlatform();
    expect(getPlatform()).toBe(sdkPlatform);
  });
});
