// OAuth2 provider, token side (§1.4): authorization codes (10 min, single use, PKCE S256 when a challenge was
// sent), access tokens storno_oat_ (TTL configurable), refresh tokens storno_ort_ (30 d, rotated each use;
// replaying a used one revokes the whole family), token and revoke endpoints.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SandboxContext } from './context.js';
import { ApiError } from './errors.js';
import { hashSecret, newId, randomHex, safeEqual } from './ids.js';
import type { OAuthClient, OAuthToken, Store } from './state.js';
import { bodyOf } from './routes/common.js';

const CODE_TTL_MS = 10 * 60_000;
const REFRESH_TTL_MS = 30 * 24 * 3600_000;

const oauthError = (status: number, error: string, description?: string) =>
  new ApiError(status, description ? { error, error_description: description } : { error });

export function issueCode(
  store: Store,
  input: { client: OAuthClient; userId: string; organizationId: string; redirectUri: string; scopes: string[]; codeChallenge: string | null },
): string {
  const code = randomHex(32);
  store.state.oauthCodes.push({
    codeHash: hashSecret(code),
    clientId: input.client.clientId,
    userId: input.userId,
    organizationId: input.organizationId,
    redirectUri: input.redirectUri,
    scopes: input.scopes,
    codeChallenge: input.codeChallenge,
    expiresAtMs: Date.now() + CODE_TTL_MS,
    usedAtMs: null,
  });
  store.changed();
  return code;
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

function clientCredentials(request: FastifyRequest, body: Record<string, unknown>): { id?: string; secret?: string } {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  }
  return {
    id: typeof body.client_id === 'string' ? body.client_id : undefined,
    secret: typeof body.client_secret === 'string' ? body.client_secret : undefined,
  };
}

export function oauthTokenRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store } = ctx;

  function mint(family: string, base: Pick<OAuthToken, 'clientId' | 'userId' | 'organizationId' | 'scopes'>) {
    const now = Date.now();
    const access = `storno_oat_${randomHex(32)}`;
    const refresh = `storno_ort_${randomHex(32)}`;
    const ttl = ctx.options.accessTokenTtlSeconds;
    const common = { ...base, familyId: family, usedAtMs: null, revokedAtMs: null };
    store.state.oauthTokens.push(
      { ...common, tokenHash: hashSecret(access), kind: 'access', expiresAtMs: now + ttl * 1000 },
      { ...common, tokenHash: hashSecret(refresh), kind: 'refresh', expiresAtMs: now + REFRESH_TTL_MS },
    );
    store.changed();
    return { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: ttl, scope: base.scopes.join(' ') };
  }

  const revokeFamily = (familyId: string) => {
    const now = Date.now();
    for (const t of store.state.oauthTokens) if (t.familyId === familyId && t.revokedAtMs === null) t.revokedAtMs = now;
    store.changed();
  };

  app.post('/api/v1/oauth2/token', async (request, reply) => {
    const body = bodyOf(request);
    const grant = body.grant_type;
    if (typeof grant !== 'string' || !grant) throw oauthError(400, 'invalid_request', 'Missing grant_type.');
    if (grant !== 'authorization_code' && grant !== 'refresh_token') {
      throw oauthError(400, 'unsupported_grant_type', `Grant type "${grant}" is not supported.`);
    }
    const creds = clientCredentials(request, body);
    const client = store.state.oauthClients.find((c) => c.clientId === creds.id);
    if (!client) throw oauthError(401, 'invalid_client');
    if (client.clientType === 'confidential' && (!creds.secret || !safeEqual(hashSecret(creds.secret), client.clientSecretHash))) {
      throw oauthError(401, 'invalid_client');
    }
    reply.header('cache-control', 'no-store');

    if (grant === 'authorization_code') {
      const { code, redirect_uri: redirectUri, code_verifier: verifier } = body;
      if (typeof code !== 'string' || !code) throw oauthError(400, 'invalid_request', 'Missing code.');
      if (typeof redirectUri !== 'string' || !redirectUri) throw oauthError(400, 'invalid_request', 'Missing redirect_uri.');
      const row = store.state.oauthCodes.find((c) => c.codeHash === hashSecret(code));
      if (!row || row.clientId !== client.clientId) throw oauthError(400, 'invalid_grant', 'Invalid authorization code.');
      if (row.usedAtMs !== null) throw oauthError(400, 'invalid_grant', 'Authorization code already used.');
      if (row.expiresAtMs <= Date.now()) throw oauthError(400, 'invalid_grant', 'Authorization code expired.');
      if (row.redirectUri !== redirectUri) throw oauthError(400, 'invalid_grant', 'redirect_uri does not match.');
      if (row.codeChallenge !== null) {
        if (typeof verifier !== 'string' || !verifier) throw oauthError(400, 'invalid_request', 'Missing code_verifier.');
        if (!safeEqual(s256(verifier), row.codeChallenge)) throw oauthError(400, 'invalid_grant', 'PKCE verification failed.');
      }
      row.usedAtMs = Date.now();
      return mint(newId(), { clientId: client.clientId, userId: row.userId, organizationId: row.organizationId, scopes: row.scopes });
    }

    const token = body.refresh_token;
    if (typeof token !== 'string' || !token) throw oauthError(400, 'invalid_request', 'Missing refresh_token.');
    const row = store.state.oauthTokens.find((t) => t.kind === 'refresh' && t.tokenHash === hashSecret(token));
    if (!row || row.clientId !== client.clientId) throw oauthError(400, 'invalid_grant', 'Invalid refresh token.');
    if (row.usedAtMs !== null) {
      // Reuse of a rotated token: someone else may hold the family — revoke all of it.
      revokeFamily(row.familyId);
      throw oauthError(400, 'invalid_grant', 'Refresh token already used; all tokens of this grant were revoked.');
    }
    if (row.revokedAtMs !== null || row.expiresAtMs <= Date.now()) throw oauthError(400, 'invalid_grant', 'Refresh token expired or revoked.');
    row.usedAtMs = Date.now();
    return mint(row.familyId, { clientId: row.clientId, userId: row.userId, organizationId: row.organizationId, scopes: row.scopes });
  });

  // Always 200 with an empty body, whatever was sent (as the real server).
  app.post('/api/v1/oauth2/revoke', async (request, reply) => {
    const token = bodyOf(request).token;
    if (typeof token === 'string' && token) {
      const row = store.state.oauthTokens.find((t) => t.tokenHash === hashSecret(token));
      if (row?.kind === 'refresh') revokeFamily(row.familyId);
      else if (row && row.revokedAtMs === null) {
        row.revokedAtMs = Date.now();
        store.changed();
      }
    }
    return reply.code(200).send('');
  });
}
