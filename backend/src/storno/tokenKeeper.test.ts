import { describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../../test/support/tokens.js';
import { TokenKeeper } from './tokenKeeper.js';
import type { OAuthTokens } from './types.js';

const HOUR = 3_600_000;
const pair = (n: number, expiresAt = Date.now() + HOUR): OAuthTokens => ({ accessToken: `at${n}`, refreshToken: `rt${n}`, expiresAt });

function refresher() {
  const spent: string[] = [];
  let n = 1;
  const refresh = async (refreshToken: string) => {
    spent.push(refreshToken);
    await new Promise((r) => setTimeout(r, 10));
    return pair(++n);
  };
  return { spent, refresh };
}

describe('TokenKeeper', () => {
  it('uses a pair with time left as it is', async () => {
    const { spent, refresh } = refresher();
    expect(await new TokenKeeper(memoryTokenStore(pair(1)), refresh).accessToken()).toBe('at1');
    expect(spent).toEqual([]);
  });

  it('refreshes a pair about to expire once for concurrent callers, and stores the new pair', async () => {
    const { spent, refresh } = refresher();
    const saved: OAuthTokens[] = [];
    const keeper = new TokenKeeper(memoryTokenStore(pair(1, Date.now() + 30_000), saved), refresh, 60_000);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => keeper.accessToken()));
    expect(new Set(tokens)).toEqual(new Set(['at2']));
    expect(spent).toEqual(['rt1']);
    expect(saved.map((t) => t.refreshToken)).toEqual(['rt2']);
  });

  it('two keepers of one store (two instances) spend a refresh token once: the second takes the stored pair', async () => {
    const { spent, refresh } = refresher();
    const store = memoryTokenStore(pair(1, Date.now() - 1));
    const [a, b] = [new TokenKeeper(store, refresh), new TokenKeeper(store, refresh)];
    expect(await Promise.all([a.accessToken(), b.accessToken()])).toEqual(['at2', 'at2']);
    expect(spent).toEqual(['rt1']);
  });

  it('after a 401 renews only the rejected token; a token another keeper already replaced is not refreshed again', async () => {
    const { spent, refresh } = refresher();
    const store = memoryTokenStore(pair(1));
    const [a, b] = [new TokenKeeper(store, refresh), new TokenKeeper(store, refresh)];
    expect(await a.accessToken()).toBe('at1');
    expect(await b.accessToken()).toBe('at1');
    expect(await a.renew('at1')).toBe('at2');
    expect(await b.renew('at1')).toBe('at2');
    expect(spent).toEqual(['rt1']);
  });

  it('a refused refresh reaches the caller and leaves the stored pair alone', async () => {
    const saved: OAuthTokens[] = [];
    const keeper = new TokenKeeper(memoryTokenStore(pair(1, 0), saved), async () => {
      throw new Error('invalid_grant');
    });
    await expect(keeper.accessToken()).rejects.toThrow('invalid_grant');
    expect(saved).toEqual([]);
  });
});
