// The OAuth2 sign-in and consent pages (§1.4 step 1) a person uses in a browser: server-rendered forms that
// work without JavaScript, every input labelled, every dynamic value HTML-escaped.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from './context.js';
import { hashPassword, randomHex, safeEqual } from './ids.js';
import { issueCode } from './oauth.js';
import type { OAuthClient } from './state.js';

const SESSION_COOKIE = 'storno_sandbox_session';
const PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;
type Params = Partial<Record<(typeof PARAMS)[number], string>>;

const SCOPE_LABELS: Record<string, string> = {
  'company.view': 'Să vadă companiile tale',
  'client.view': 'Să vadă clienții',
  'client.create': 'Să creeze clienți',
  'client.edit': 'Să modifice clienți',
  'client.delete': 'Să șteargă clienți',
  'invoice.view': 'Să vadă facturile',
  'invoice.create': 'Să creeze facturi',
  'invoice.edit': 'Să modifice facturi',
  'invoice.delete': 'Să șteargă facturi',
  'invoice.issue': 'Să emită facturi și să le trimită la ANAF',
  'invoice.send': 'Să trimită facturi pe e-mail',
  'invoice.cancel': 'Să anuleze facturi',
  'invoice.refund': 'Să emită facturi storno',
  'series.view': 'Să vadă seriile de documente',
  'series.manage': 'Să administreze seriile de documente',
  'payment.view': 'Să vadă încasările',
  'payment.create': 'Să înregistreze încasări',
  'payment.delete': 'Să șteargă încasări',
  'efactura.view': 'Să vadă mesajele e-Factura',
  'efactura.submit': 'Să trimită în e-Factura',
  'settings.view': 'Să vadă setările',
  'webhook.view': 'Să vadă webhook-urile',
  'webhook.manage': 'Să administreze webhook-urile',
};

export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"'`=/]/g, (ch) => `&#${ch.charCodeAt(0)};`);

interface Session {
  userId: string;
  csrf: string;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="ro">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Storno.ro (sandbox)</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f6f8; color: #1a1f36; margin: 0; }
  main { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  h1 { font-size: 1.3rem; margin-top: 0; }
  label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
  input[type=email], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; }
  button { margin-top: 1.25rem; padding: .6rem 1.2rem; font-size: 1rem; border-radius: 4px; border: 1px solid #635bff; background: #635bff; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #1a1f36; border-color: #aab; }
  button.link { background: none; border: none; color: #635bff; padding: 0; font-size: .9rem; }
  .error { color: #b42318; background: #fef3f2; padding: .5rem; border-radius: 4px; }
  .note { font-size: .85rem; color: #555; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

const hiddenParams = (p: Params) =>
  PARAMS.filter((k) => p[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(p[k])}">`)
    .join('\n');

const paramsQuery = (p: Params) =>
  new URLSearchParams(Object.entries(p).filter((e): e is [string, string] => typeof e[1] === 'string')).toString();

function pickParams(source: unknown): Params {
  const src = (source ?? {}) as Record<string, unknown>;
  const out: Params = {};
  for (const k of PARAMS) if (typeof src[k] === 'string') out[k] = src[k] as string;
  return out;
}

function redirectWith(redirectUri: string, values: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(values)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

type Checked =
  | { kind: 'fatal'; message: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'ok'; client: OAuthClient; scopes: string[]; redirectUri: string };

export function oauthPages(app: FastifyInstance, ctx: SandboxContext): void {
  const { store } = ctx;
  const sessions = new Map<string, Session>();

  function check(p: Params): Checked {
    const client = store.state.oauthClients.find((c) => c.clientId === p.client_id);
    if (!client) return { kind: 'fatal', message: 'Aplicația (client_id) nu este înregistrată.' };
    // Never redirect to an unregistered URI: the error is shown here instead.
    if (!p.redirect_uri || !client.redirectUris.includes(p.redirect_uri)) {
      return { kind: 'fatal', message: 'redirect_uri nu corespunde exact cu niciuna dintre adresele înregistrate ale aplicației.' };
    }
    const fail = (error: string) => ({ kind: 'redirect' as const, location: redirectWith(p.redirect_uri!, { error, state: p.state }) });
    if (p.response_type !== 'code') return fail('unsupported_response_type');
    if (p.code_challenge && p.code_challenge_method !== 'S256') return fail('invalid_request');
    const scopes = (p.scope ?? '').split(/\s+/).filter(Boolean);
    if (scopes.some((s) => !client.scopes.includes(s))) return fail('invalid_scope');
    return { kind: 'ok', client, scopes: scopes.length > 0 ? scopes : [...client.scopes], redirectUri: p.redirect_uri };
  }

  function sessionOf(request: FastifyRequest): Session | undefined {
    const id = request.cookies[SESSION_COOKIE];
    return id ? sessions.get(id) : undefined;
  }

  function send(reply: FastifyReply, status: number, html: string) {
    return reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
      .send(html);
  }

  const loginPage = (p: Params, client: OAuthClient, error?: string) =>
    page(
      'Autentificare',
      `<h1>Autentificare în Storno.ro</h1>
<p><strong>${escapeHtml(client.name)}</strong> cere acces la contul tău Storno.ro.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/oauth2/authorize/login">
${hiddenParams(p)}
<label for="email">Adresă de e-mail</label>
<input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Parolă</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Autentificare</button>
</form>
<p class="note">Mediu de test (sandbox). Nu folosi parole reale.</p>`,
    );

  const consentPage = (p: Params, client: OAuthClient, scopes: string[], session: Session) => {
    const user = store.state.users.find((u) => u.id === session.userId)!;
    const membership = store.state.memberships.find((m) => m.userId === user.id);
    const org = store.state.organizations.find((o) => o.id === membership?.organizationId);
    return page(
      'Autorizare acces',
      `<h1>Autorizezi accesul?</h1>
<p><strong>${escapeHtml(client.name)}</strong> dorește acces la organizația <strong>${escapeHtml(org?.name)}</strong>
în numele tău (${escapeHtml(user.email)}). Va putea:</p>
<ul>
${scopes.map((s) => `<li>${escapeHtml(SCOPE_LABELS[s] ?? s)} <span class="note">(${escapeHtml(s)})</span></li>`).join('\n')}
</ul>
<form method="post" action="/oauth2/authorize/decision">
${hiddenParams(p)}
<input type="hidden" name="csrf_token" value="${escapeHtml(session.csrf)}">
<button type="submit" name="decision" value="approve">Aprobă</button>
<button type="submit" name="decision" value="deny" class="secondary">Refuză</button>
</form>
<form method="post" action="/oauth2/logout">
${hiddenParams(p)}
<button type="submit" class="link">Nu ești tu? Schimbă contul</button>
</form>`,
    );
  };

  const errorPage = (message: string) => page('Eroare', `<h1>Cererea de autorizare nu este validă</h1><p class="error" role="alert">${escapeHtml(message)}</p>`);

  app.get('/oauth2/authorize', async (request, reply) => {
    const p = pickParams(request.query);
    const c = check(p);
    if (c.kind === 'fatal') return send(reply, 400, errorPage(c.message));
    if (c.kind === 'redirect') return reply.redirect(c.location, 303);
    const session = sessionOf(request);
    if (!session) return send(reply, 200, loginPage(p, c.client));
    return send(reply, 200, consentPage(p, c.client, c.scopes, session));
  });

  app.post('/oauth2/authorize/login', async (request, reply) => {
    const p = pickParams(request.body);
    const c = check(p);
    if (c.kind === 'fatal') return send(reply, 400, errorPage(c.message));
    if (c.kind === 'redirect') return reply.redirect(c.location, 303);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const user = store.state.users.find((u) => u.email.toLowerCase() === email);
    if (!user || !safeEqual(hashPassword(password), user.passwordHash)) {
      return send(reply, 401, loginPage(p, c.client, 'E-mailul sau parola nu sunt corecte.'));
    }
    const id = randomHex(24);
    sessions.set(id, { userId: user.id, csrf: randomHex(16) });
    reply.setCookie(SESSION_COOKIE, id, { path: '/oauth2', httpOnly: true, sameSite: 'lax' });
    return reply.redirect(`/oauth2/authorize?${paramsQuery(p)}`, 303);
  });

  app.post('/oauth2/authorize/decision', async (request, reply) => {
    const p = pickParams(request.body);
    const c = check(p);
    if (c.kind === 'fatal') return send(reply, 400, errorPage(c.message));
    if (c.kind === 'redirect') return reply.redirect(c.location, 303);
    const session = sessionOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!session) return reply.redirect(`/oauth2/authorize?${paramsQuery(p)}`, 303);
    if (typeof body.csrf_token !== 'string' || !safeEqual(body.csrf_token, session.csrf)) {
      return send(reply, 403, errorPage('Formularul a expirat. Reîncarcă pagina și încearcă din nou.'));
    }
    if (body.decision !== 'approve') return reply.redirect(redirectWith(c.redirectUri, { error: 'access_denied', state: p.state }), 303);
    const membership = store.state.memberships.find((m) => m.userId === session.userId);
    if (!membership) return send(reply, 403, errorPage('Contul nu aparține niciunei organizații.'));
    const code = issueCode(store, {
      client: c.client,
      userId: session.userId,
      organizationId: membership.organizationId,
      redirectUri: c.redirectUri,
      scopes: c.scopes,
      codeChallenge: p.code_challenge ?? null,
    });
    return reply.redirect(redirectWith(c.redirectUri, { code, state: p.state }), 303);
  });

  app.post('/oauth2/logout', async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    if (id) sessions.delete(id);
    reply.clearCookie(SESSION_COOKIE, { path: '/oauth2' });
    return reply.redirect(`/oauth2/authorize?${paramsQuery(pickParams(request.body))}`, 303);
  });
}
