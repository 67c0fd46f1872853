// The connect flow's view of Storno, on the real Storno client: OAuth2 code + PKCE for the signed-in user,
// then `me` and the companies that user can access under their organization.
import type { AppConfig } from '../config.js';
import { StornoClient } from '../storno/client.js';
import { StornoOAuth } from '../storno/oauth.js';
import { fixedToken } from '../storno/tokenKeeper.js';
import type { StornoAccountApi } from './stornoAccount.js';

/** What the invoicing integration needs (storno-api.md §1.3). */
export const STORNO_SCOPES = [
  'company.view',
  'client.view',
  'client.create',
  'client.edit',
  'invoice.view',
  'invoice.create',
  'invoice.edit',
  'invoice.issue',
  'invoice.cancel',
  'invoice.delete',
  'invoice.refund',
  'payment.view',
  'payment.create',
  'series.view',
  'webhook.view',
  'webhook.manage',
];

/** Production Storno signs users in on app.storno.ro while its API is api.storno.ro; the sandbox serves both. */
export function stornoWebBase(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === 'api.storno.ro') return 'https://app.storno.ro';
  return url.origin;
}

export function createStornoAccountApi(config: AppConfig): StornoAccountApi {
  const webBaseUrl = stornoWebBase(config.storno.apiUrl);
  const oauth = new StornoOAuth({
    baseUrl: config.storno.apiUrl,
    clientId: config.storno.oauthClientId,
    clientSecret: config.storno.oauthClientSecret,
    webBaseUrl,
  });
  // Only the signed-in user's current access token: the consent session keeps and refreshes it (consentSessions.ts).
  const asUser = (accessToken: string) => new StornoClient({ baseUrl: config.storno.apiUrl, credentials: { type: 'oauth', tokens: fixedToken(accessToken) } });

  return {
    webOrigin: new URL(webBaseUrl).origin,
    authorizeUrl: ({ redirectUri, state, codeVerifier }) => oauth.authorizeUrl({ redirectUri, state, codeVerifier, scopes: STORNO_SCOPES }),
    exchangeCode: (input) => oauth.exchangeCode(input),
    refresh: (refreshToken) => oauth.refresh(refreshToken),
    revoke: (token) => oauth.revoke(token, 'refresh_token'),
    async me(accessToken) {
      const me = await asUser(accessToken).me();
      const name = [me.firstName, me.lastName].filter(Boolean).join(' ');
      return { email: me.email, name: (me as { fullName?: string }).fullName ?? (name || me.email) };
    },
    async companies(accessToken) {
      const companies = await asUser(accessToken).listCompanies();
      return companies.map((c) => ({ id: c.id, name: c.name, cif: String(c.cif) }));
    },
  };
}
