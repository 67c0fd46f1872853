// What the connect flow needs from Storno on behalf of the signed-in user: the OAuth2 authorization code
// flow with PKCE, who they are, and which companies they can access. A port, so the flow is testable and
// the Storno client stays unaware of Stripe.
export interface StornoUserTokens {
  accessToken: string;
  refreshToken: string;
  /** Unix milliseconds. */
  expiresAt: number;
}

export interface StornoCompanySummary {
  id: string;
  name: string;
  cif: string;
}

export interface StornoAccountApi {
  /** Origin of Storno's sign-in pages (the consent page's CSP lets its forms lead there). */
  webOrigin: string;
  authorizeUrl(input: { redirectUri: string; state: string; codeVerifier: string }): string;
  exchangeCode(input: { code: string; redirectUri: string; codeVerifier: string }): Promise<StornoUserTokens>;
  refresh(refreshToken: string): Promise<StornoUserTokens>;
  revoke(token: string): Promise<void>;
  me(accessToken: string): Promise<{ email: string; name: string }>;
  companies(accessToken: string): Promise<StornoCompanySummary[]>;
}
