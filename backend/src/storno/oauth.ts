// Storno's OAuth2 provider, client side (§1.4): Authorization Code + PKCE (S256), token exchange, refresh, revoke.
// Used by the consent flow before any company is chosen, and by StornoClient to refresh its access token.
import { createHash, randomBytes } from 'node:crypto';
import { StornoHttp } from './http.js';
import { tokenResponseSchema } from './schemas.js';
import type { HttpSettings, OAuthTokens } from './types.js';

export interface StornoOAuthOptions extends HttpSettings {
  clientId: string;
  /** Confidential clients only. */
  clientSecret?: string;
  /** Where the user's browser signs in: https://app.storno.ro in production; the sandbox serves it on its API base. */
  webBaseUrl?: string;
  /** Clock (tests). */
  now?: () => number;
}

export interface AuthorizeUrlParams {
  redirectUri: string;
  /** Permission strings, e.g. ['invoice.view', 'invoice.create']. */
  scopes: string[];
  state: string;
  codeVerifier: string;
}

const base64url = (buf: Buffer) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** RFC 7636 verifier: 43–128 chars of [A-Za-z0-9-._~]; 32 random bytes → 43 chars. */
export function createCodeVerifier(): string {
  return base64url(randomBytes(32));
}

/** S256 challenge: base64url(SHA-256(verifier)). */
export function codeChallengeS256(verifier: string): string {
  return base64url(createHash('sha256').update(verifier, 'ascii').digest());
}

export class StornoOAuth {
  readonly clientId: string;
  private readonly clientSecret: string | undefined;
  private readonly webBaseUrl: string;
  private readonly http: StornoHttp;
  private readonly now: () => number;

  constructor(options: StornoOAuthOptions) {
    this.clientId = options.clientId;
    this.clientSecret = options.clientSecret;
    this.http = new StornoHttp(options);
    this.webBaseUrl = (options.webBaseUrl ?? this.http.baseUrl).replace(/\/+$/, '');
    this.now = options.now ?? Date.now;
  }

  /** The page to send the user's browser to. */
  authorizeUrl(params: AuthorizeUrlParams): string {
    const url = new URL(`${this.webBaseUrl}/oauth2/authorize`);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.clientId);
    url.searchParams.set('redirect_uri', params.redirectUri);
    url.searchParams.set('scope', params.scopes.join(' '));
    url.searchParams.set('state', params.state);
    url.searchParams.set('code_challenge', codeChallengeS256(params.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    return url.toString();
  }

  /**
   * Exchanges the authorization code. Not retried on an ambiguous failure: the code is single use, so a repeat
   * after a lost answer can only fail with invalid_grant — the user has to restart consent.
   */
  async exchangeCode(params: { code: string; redirectUri: string; codeVerifier: string }): Promise<OAuthTokens> {
    return this.token({
      grant_type: 'authorization_code',
      code: params.code,
      redirect_uri: params.redirectUri,
      code_verifier: params.codeVerifier,
    });
  }

  /**
   * Rotates the refresh token. Never repeated after an ambiguous failure: if the first attempt reached Storno the
   * old refresh token is spent, and presenting it again revokes the whole token family (§1.4).
   * A dead refresh token fails with StornoAuthError code `invalid_grant` (reconnect needed).
   */
  async refresh(refreshToken: string): Promise<OAuthTokens> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /** Revokes an access or refresh token (Storno answers 200 whatever the token). Idempotent, so retried. */
  async revoke(token: string, tokenTypeHint?: 'access_token' | 'refresh_token'): Promise<void> {
    await this.http.request({
      method: 'POST',
      path: '/api/v1/oauth2/revoke',
      body: { token, token_type_hint: tokenTypeHint, ...this.clientAuth() },
      retry: 'safe',
    });
  }

  private clientAuth() {
    return { client_id: this.clientId, ...(this.clientSecret ? { client_secret: this.clientSecret } : {}) };
  }

  private async token(body: Record<string, string>): Promise<OAuthTokens> {
    const requestedAt = this.now();
    const res = await this.http.request({
      method: 'POST',
      path: '/api/v1/oauth2/token',
      body: { ...body, ...this.clientAuth() },
      schema: tokenResponseSchema,
      label: 'token',
      retry: 'unsafe',
    });
    return {
      accessToken: res.access_token,
      refreshToken: res.refresh_token,
      // Measured from when we asked, so clock skew and latency make us refresh early, never late.
      expiresAt: requestedAt + res.expires_in * 1000,
      ...(res.scope !== undefined ? { scope: res.scope } : {}),
    };
  }
}
