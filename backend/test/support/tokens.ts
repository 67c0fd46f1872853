// Storno credentials for tests that hold a token pair in memory: the product's TokenKeeper on a store that is a
// variable, saving each rotated pair to `saved` as a connection's row would.
import { StornoOAuth } from '../../src/storno/oauth.js';
import { TokenKeeper, type TokenStore } from '../../src/storno/tokenKeeper.js';
import type { OAuthCredentials, OAuthTokens } from '../../src/storno/types.js';

export function memoryTokenStore(initial: OAuthTokens, saved: OAuthTokens[] = []): TokenStore {
  let stored = initial;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    read: async () => stored,
    exclusive(update) {
      const run = queue.then(async () => {
        const next = await update(stored);
        if (next !== stored) saved.push((stored = next));
        return next;
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

export function oauthCredentials(
  tokens: OAuthTokens,
  client: { baseUrl: string; clientId: string; clientSecret?: string },
  saved: OAuthTokens[] = [],
): OAuthCredentials {
  const oauth = new StornoOAuth(client);
  return { type: 'oauth', tokens: new TokenKeeper(memoryTokenStore(tokens, saved), (refreshToken) => oauth.refresh(refreshToken)) };
}
