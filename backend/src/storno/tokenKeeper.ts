// The one keeper of a Storno OAuth2 token pair, wherever we hold one (a connection's, a consent session's).
// Storno rotates refresh tokens and revokes the whole family when a spent one is presented again, so a refresh is
// single-flighted in this process and runs inside the store's `exclusive` (a row lock across instances) on the pair
// stored now: whoever refreshed meanwhile already wrote the pair we should use instead.
import type { OAuthTokens } from './types.js';

/** Where a pair is kept, and how one refresh of it at a time is ensured. */
export interface TokenStore {
  /** The pair as stored. */
  read(): Promise<OAuthTokens>;
  /** Runs `update` on the stored pair while no other keeper of it can, and stores the pair it returns. */
  exclusive(update: (stored: OAuthTokens) => Promise<OAuthTokens>): Promise<OAuthTokens>;
}

/** What the Storno client needs of a keeper: a usable access token, and a new one after Storno refused one. */
export interface AccessTokenSource {
  accessToken(): Promise<string>;
  /** A token other than `rejected`; `rejected` itself when there is none to be had. */
  renew(rejected: string): Promise<string>;
}

export class TokenKeeper implements AccessTokenSource {
  private known: OAuthTokens | undefined;
  private inflight: Promise<OAuthTokens> | undefined;

  constructor(
    private readonly store: TokenStore,
    private readonly refresh: (refreshToken: string) => Promise<OAuthTokens>,
    /** Refresh when less than this is left. */
    private readonly marginMs = 60_000,
  ) {}

  /** The pair, refreshed first when it is about to expire. A refused refresh throws Storno's StornoAuthError. */
  async tokens(): Promise<OAuthTokens> {
    const current = this.inflight ? await this.inflight : (this.known ??= await this.store.read());
    return this.usable(current) ? current : this.rotate((stored) => !this.usable(stored));
  }

  async accessToken(): Promise<string> {
    return (await this.tokens()).accessToken;
  }

  async renew(rejected: string): Promise<string> {
    return (await this.rotate((stored) => stored.accessToken === rejected)).accessToken;
  }

  private rotate(stale: (stored: OAuthTokens) => boolean): Promise<OAuthTokens> {
    this.inflight ??= this.store
      .exclusive((stored) => (stale(stored) ? this.refresh(stored.refreshToken) : Promise.resolve(stored)))
      .then((pair) => (this.known = pair))
      .finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private usable(pair: OAuthTokens): boolean {
    return pair.expiresAt - this.marginMs > Date.now();
  }
}

/** A token someone else keeps (the consent page's signed-in user): used as it is, never refreshed here. */
export function fixedToken(accessToken: string): AccessTokenSource {
  return { accessToken: async () => accessToken, renew: async () => accessToken };
}
