// OAuth2 provider (§1.4) through the HTML forms with inject: sign-in, consent, code + PKCE, refresh rotation,
// replay revocation, token expiry, error bodies.
import { createHash, randomBytes } from 'node:crypto';
import { SANDBOX_SEED, type StornoSandbox } from './index.js';
import { kit } from './testkit.js';

const S = SANDBOX_SEED;
const CLIENT = { clientId: 'storno_cid_test', clientSecret: 'storno_cs_test_secret', name: 'Test <App> & Co', redirectUris: ['http://127.0.0.1:9999/cb'] };
let sandbox: StornoSandbox;

beforeEach(async () => {
  sandbox = (await kit({ oauthClients: [CLIENT], accessTokenTtlSeconds: 1 })).sandbox;
});
afterEach(async () => {
  await sandbox.close();
});

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

function authorizeParams(challenge: string, extra: Record<string, string> = {}) {
  return {
    response_type: 'code',
    client_id: CLIENT.clientId,
    redirect_uri: CLIENT.redirectUris[0]!,
    scope: 'invoice.view company.view',
    state: 'xyz',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** Signs in and answers the consent form the way a browser would; returns the redirect Location. */
async function consent(params: Record<string, string>, decision: 'approve' | 'deny', email: string = S.users.demo.email, password: string = S.users.demo.password) {
  const page = await sandbox.app.inject({ method: 'GET', url: `/oauth2/authorize?${new URLSearchParams(params)}` });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('<label for="email">');
  const login = await sandbox.app.inject({ method: 'POST', url: '/oauth2/authorize/login', payload: { ...params, email, password } });
  if (login.statusCode !== 303) return { login };
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const consentPage = await sandbox.app.inject({ method: 'GET', url: String(login.headers.location), headers: { cookie } });
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(consentPage.body)![1]!;
  const decided = await sandbox.app.inject({
    method: 'POST',
    url: '/oauth2/authorize/decision',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...params, csrf_token: csrf, decision }).toString(),
  });
  expect(decided.statusCode).toBe(303);
  return { login, consentPage, location: new URL(String(decided.headers.location)) };
}

const token = (payload: Record<string, string>) => sandbox.app.inject({ method: 'POST', url: '/api/v1/oauth2/token', payload });

describe('authorization code + PKCE', () => {
  it('consent lists the client (escaped) and scopes; approve redirects with code+state; the code buys org-bound tokens once', async () => {
    const { verifier, challenge } = pkce();
    const { consentPage, location } = await consent(authorizeParams(challenge), 'approve');
    expect(consentPage!.body).toContain('Test &#60;App&#62; &#38; Co');
    expect(consentPage!.body).not.toContain('<App>');
    expect(consentPage!.body).toContain('invoice.view');
    expect(location!.origin + location!.pathname).toBe(CLIENT.redirectUris[0]);
    expect(location!.searchParams.get('state')).toBe('xyz');
    const code = location!.searchParams.get('code')!;

    const base = { grant_type: 'authorization_code', code, redirect_uri: CLIENT.redirectUris[0]!, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
    const wrongVerifier = await token({ ...base, code_verifier: pkce().verifier });
    expect(wrongVerifier.statusCode).toBe(400);
    expect(wrongVerifier.json().error).toBe('invalid_grant');
    const ok = await token({ ...base, code_verifier: verifier });
    expect(ok.statusCode).toBe(200);
    const t = ok.json();
    expect(t).toMatchObject({ token_type: 'Bearer', expires_in: 1, scope: 'invoice.view company.view' });
    expect(t.access_token).toMatch(/^storno_oat_[0-9a-f]{64}$/);
    expect(t.refresh_token).toMatch(/^storno_ort_[0-9a-f]{64}$/);
    expect((await token({ ...base, code_verifier: verifier })).json().error).toBe('invalid_grant'); // single use

    const companies = await sandbox.app.inject({ method: 'GET', url: '/api/v1/companies', headers: { authorization: `Bearer ${t.access_token}` } });
    expect(companies.statusCode).toBe(200);
    expect(companies.json().data).toHaveLength(2);
    // Scopes limit the token: no client.view was granted → voter denial.
    const clients = await sandbox.app.inject({ method: 'GET', url: `/api/v1/clients?company=${S.companies.a.id}`, headers: { authorization: `Bearer ${t.access_token}` } });
    expect(clients.statusCode).toBe(403);
    // Access tokens expire after the configured TTL.
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await sandbox.app.inject({ method: 'GET', url: '/api/v1/companies', headers: { authorization: `Bearer ${t.access_token}` } });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error_code).toBe('OAUTH2_AUTH_FAILED');
  });

  it('deny redirects with error=access_denied&state; a wrong password re-renders the form with 401', async () => {
    const { location } = await consent(authorizeParams(pkce().challenge), 'deny');
    expect(Object.fromEntries(location!.searchParams)).toEqual({ error: 'access_denied', state: 'xyz' });
    const { login } = await consent(authorizeParams(pkce().challenge), 'approve', S.users.demo.email, 'wrong');
    expect(login.statusCode).toBe(401);
    expect(login.body).toContain('role="alert"');
  });

  it('an unregistered redirect_uri is shown as an error page, never redirected to', async () => {
    const res = await sandbox.app.inject({ method: 'GET', url: `/oauth2/authorize?${new URLSearchParams(authorizeParams('c', { redirect_uri: 'http://127.0.0.1:9999/cb/' }))}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });
});

describe('refresh tokens', () => {
  async function firstTokens() {
    const { verifier, challenge } = pkce();
    const { location } = await consent(authorizeParams(challenge), 'approve');
    const res = await token({
      grant_type: 'authorization_code', code: location!.searchParams.get('code')!, redirect_uri: CLIENT.redirectUris[0]!,
      client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, code_verifier: verifier,
    });
    return res.json() as { access_token: string; refresh_token: string };
  }
  const refresh = (rt: string) => token({ grant_type: 'refresh_token', refresh_token: rt, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });

  it('rotates on each use; replaying a used one revokes the whole family', async () => {
    const t1 = await firstTokens();
    const r2 = await refresh(t1.refresh_token);
    expect(r2.statusCode).toBe(200);
    const t2 = r2.json();
    expect(t2.refresh_token).not.toBe(t1.refresh_token);
    const replay = await refresh(t1.refresh_token);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error).toBe('invalid_grant');
    expect((await refresh(t2.refresh_token)).json().error).toBe('invalid_grant');
    sandbox.store.state.oauthTokens.forEach((t) => expect(t.revokedAtMs).not.toBeNull());
  });

  it('form-encoded bodies work; bad client → 401 invalid_client; other grants → unsupported_grant_type; revoke is always 200', async () => {
    const t1 = await firstTokens();
    const form = await sandbox.app.inject({
      method: 'POST',
      url: '/api/v1/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t1.refresh_token, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }).toString(),
    });
    expect(form.statusCode).toBe(200);
    const badClient = await token({ grant_type: 'refresh_token', refresh_token: 'x', client_id: CLIENT.clientId, client_secret: 'nope' });
    expect(badClient.statusCode).toBe(401);
    expect(badClient.json()).toEqual({ error: 'invalid_client' });
    const grant = await token({ grant_type: 'password', client_id: CLIENT.clientId });
    expect(grant.json().error).toBe('unsupported_grant_type');
    expect((await token({ client_id: CLIENT.clientId })).json().error).toBe('invalid_request');
    const access = form.json().access_token;
    const revoke = await sandbox.app.inject({ method: 'POST', url: '/api/v1/oauth2/revoke', payload: { token: access } });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.body).toBe('');
    expect((await sandbox.app.inject({ method: 'POST', url: '/api/v1/oauth2/revoke', payload: { token: 'garbage' } })).statusCode).toBe(200);
    const after = await sandbox.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${access}` } });
    expect(after.statusCode).toBe(401);
  });
});
