// The consent page at /stripe-link (RFC 8628 verification_uri) and the approve endpoint it posts to. Public routes:
// the Storno sign-in, a session cookie and a CSRF token guard them.
// Flow: code (from the link or typed) → sign in to Storno (OAuth2 code + PKCE) → pick a company → approve.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API_PREFIX, contract } from '../../../src/api/contract.js';
import { approvePage, enterCodePage, messagePage, signInPage, type PageContext } from '../oauth/consentPage.js';
import { CONSENT_TEXT, pickLang, type Lang } from '../oauth/consentText.js';
import { ConnectionConflictError } from '../oauth/connections.js';
import { MAX_WRONG_CODES, type ConsentSession } from '../oauth/consentSessions.js';
import { formatUserCode, normalizeUserCode, randomToken } from '../oauth/secrets.js';
import type { GrantLookup } from '../oauth/deviceGrant.js';

const LOOKUP_PAGE: Record<Exclude<GrantLookup['kind'], 'pending'>, { status: 404 | 409 | 410; text: keyof (typeof CONSENT_TEXT)['en']; error: string }> = {
  unknown: { status: 404, text: 'unknownCode', error: 'invalid_user_code' },
  expired: { status: 410, text: 'expiredCode', error: 'expired_token' },
  used: { status: 409, text: 'usedCode', error: 'code_already_used' },
  denied: { status: 409, text: 'deniedCode', error: 'access_denied' },
  approved: { status: 409, text: 'approvedCode', error: 'code_already_used' },
};

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

export const consentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services, config } = app;
  const sessions = services.consentSessions;
  const redirectUri = `${config.publicUrl}/stripe-link/callback`;

  function context(request: FastifyRequest, reply: FastifyReply, session: ConsentSession): { ctx: PageContext; lang: Lang } {
    const query: unknown = request.query;
    const asked = query && typeof query === 'object' && 'lang' in query ? query.lang : undefined;
    const lang = pickLang(asked, request.cookies.lang, request.headers['accept-language']);
    if (asked === 'ro' || asked === 'en') reply.setCookie('lang', lang, { path: '/', sameSite: 'lax', httpOnly: true });
    const other = lang === 'ro' ? 'en' : 'ro';
    return { lang, ctx: { lang, csrf: session.csrfToken, switchHref: `/stripe-link?lang=${other}` } };
  }

  function html(reply: FastifyReply, status: number, body: string) {
    return reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'DENY')
      .header(
        'content-security-policy',
        `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${services.stornoAccount.webOrigin}; frame-ancestors 'none'`,
      )
      .header('referrer-policy', 'no-referrer')
      .send(body);
  }

  app.route({
    ...contract.consentPage,
    handler: async (request, reply) => {
      let session = await sessions.loadOrCreate(request, reply);
      const { ctx, lang } = context(request, reply, session);
      const t = CONSENT_TEXT[lang];
      if (session.failedCodeCount >= MAX_WRONG_CODES) return html(reply, 429, messagePage(ctx, t.tooManyAttempts, 'error'));

      const fromLink = request.query.code;
      if (fromLink && fromLink.trim() !== '') {
        session = await sessions.update(session, { userCode: normalizeUserCode(fromLink) });
      }
      if (!session.userCode) return html(reply, 200, enterCodePage(ctx));

      const lookup = await services.deviceGrants.lookup(session.userCode);
      if (lookup.kind !== 'pending') {
        const page = LOOKUP_PAGE[lookup.kind];
        await sessions.update(session, { userCode: null });
        return html(reply, page.status, messagePage(ctx, t[page.text] as string, lookup.kind === 'approved' ? 'ok' : 'error', { href: '/stripe-link', label: t.tryAgain }));
      }
      const shownCode = formatUserCode(lookup.grant.userCode);
      const tokens = await sessions.stornoTokens(session, services.stornoAccount);
      if (!tokens) return html(reply, 200, signInPage(ctx, lookup.grant.stripeAccountId, shownCode));

      const companies = await services.stornoAccount.companies(tokens.accessToken);
      if (companies.length === 0) return html(reply, 200, messagePage(ctx, t.noCompany, 'error'));
      return html(
        reply,
        200,
        approvePage(ctx, {
          stripeAccountId: lookup.grant.stripeAccountId,
          userCode: shownCode,
          user: { email: session.userEmail ?? '', name: session.userName ?? '' },
          companies,
        }),
      );
    },
  });

  app.route({
    ...contract.consentCode,
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    handler: async (request, reply) => {
      const session = await sessions.loadOrCreate(request, reply);
      const { ctx, lang } = context(request, reply, session);
      const t = CONSENT_TEXT[lang];
      const body = request.body;
      if (!sessions.checkCsrf(session, body.csrf)) return html(reply, 403, messagePage(ctx, t.sessionExpired, 'error', { href: '/stripe-link', label: t.tryAgain }));
      if (session.failedCodeCount >= MAX_WRONG_CODES) return html(reply, 429, messagePage(ctx, t.tooManyAttempts, 'error'));
      const code = normalizeUserCode(body.user_code ?? '');
      const lookup = await services.deviceGrants.lookup(code);
      if (lookup.kind === 'unknown') {
        const count = await sessions.countWrongCode(session);
        if (count >= MAX_WRONG_CODES) return html(reply, 429, messagePage(ctx, t.tooManyAttempts, 'error'));
        return html(reply, 400, enterCodePage(ctx, t.unknownCode));
      }
      await sessions.update(session, { userCode: code });
      return reply.redirect('/stripe-link', 303);
    },
  });

  app.route({
    ...contract.consentSignIn,
    handler: async (request, reply) => {
      const session = await sessions.loadOrCreate(request, reply);
      const { ctx, lang } = context(request, reply, session);
      if (!sessions.checkCsrf(session, request.body.csrf)) {
        return html(reply, 403, messagePage(ctx, CONSENT_TEXT[lang].sessionExpired, 'error', { href: '/stripe-link', label: CONSENT_TEXT[lang].tryAgain }));
      }
      const state = randomToken(16);
      const codeVerifier = randomToken(48);
      await sessions.update(session, { oauthState: state, pkceVerifier: codeVerifier });
      return reply.redirect(services.stornoAccount.authorizeUrl({ redirectUri, state, codeVerifier }), 303);
    },
  });

  app.route({
    ...contract.consentCallback,
    handler: async (request, reply) => {
      const session = await sessions.loadOrCreate(request, reply);
      const { ctx, lang } = context(request, reply, session);
      const t = CONSENT_TEXT[lang];
      const query = request.query;
      const failed = () => html(reply, 400, messagePage(ctx, t.signInFailed, 'error', { href: '/stripe-link', label: t.tryAgain }));
      if (!session.oauthState || query.state !== session.oauthState || !session.pkceVerifier) return failed();
      if (!query.code || query.error) {
        await sessions.update(session, { oauthState: null, pkceVerifier: null });
        return failed();
      }
      try {
        const tokens = await services.stornoAccount.exchangeCode({ code: query.code, redirectUri, codeVerifier: session.pkceVerifier });
        const user = await services.stornoAccount.me(tokens.accessToken);
        await sessions.storeStornoTokens(session, tokens, user);
      } catch (err) {
        request.log.warn({ err }, 'Storno sign-in failed');
        await sessions.update(session, { oauthState: null, pkceVerifier: null });
        return failed();
      }
      // Back to the clean URL: the authorization code must not linger in the address bar or history.
      return reply.redirect('/stripe-link', 303);
    },
  });

  app.route({
    ...contract.consentSignOut,
    handler: async (request, reply) => {
      const session = await sessions.load(request);
      if (session && sessions.checkCsrf(session, request.body.csrf)) {
        const tokens = await sessions.stornoTokens(session, services.stornoAccount);
        await sessions.update(session, { stornoCredentials: null, userEmail: null, userName: null });
        if (tokens) await services.stornoAccount.revoke(tokens.refreshToken).catch((err) => request.log.warn({ err }, 'Storno revoke failed'));
      }
      return reply.redirect('/stripe-link', 303);
    },
  });

  app.route({
    ...contract.approve,
    url: `${API_PREFIX}${contract.approve.url}`,
    config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    handler: async (request, reply) => {
      const asHtml = wantsHtml(request);
      const session = await sessions.load(request);
      const body = request.body;
      const lang = pickLang(undefined, request.cookies.lang, request.headers['accept-language']);
      const t = CONSENT_TEXT[lang];
      const ctx: PageContext = { lang, csrf: session?.csrfToken ?? '', switchHref: '/stripe-link' };
      const fail = (status: 400 | 401 | 403 | 404 | 409 | 410 | 429, error: string, message: string) =>
        asHtml
          ? html(reply, status, messagePage(ctx, message, 'error', { href: '/stripe-link', label: t.tryAgain }))
          : reply.code(status).send({ error, message });

      if (!session) return fail(401, 'unauthorized', t.sessionExpired);
      const csrf = body.csrf ?? request.headers['x-csrf-token'];
      if (!sessions.checkCsrf(session, csrf)) return fail(403, 'invalid_csrf_token', t.sessionExpired);
      if (session.failedCodeCount >= MAX_WRONG_CODES) return fail(429, 'rate_limited', t.tooManyAttempts);

      const userCode = body.user_code ?? '';
      const lookup = await services.deviceGrants.lookup(userCode);
      if (lookup.kind !== 'pending') {
        if (lookup.kind === 'unknown') await sessions.countWrongCode(session);
        const page = LOOKUP_PAGE[lookup.kind];
        return fail(page.status, page.error, t[page.text] as string);
      }
      const grant = lookup.grant;
      const tokens = await sessions.stornoTokens(session, services.stornoAccount);
      if (!tokens) return fail(401, 'unauthorized', t.signInFailed);

      const approve = !(body.approve === false || body.approve === 'false');
      if (!approve) {
        await services.deviceGrants.decide(grant.id, { approve: false });
        if (asHtml) return html(reply, 200, messagePage(ctx, t.denied, 'ok'));
        return reply.send({ status: 'denied', stripe_account_id: grant.stripeAccountId });
      }

      const companyId = body.company_id ?? '';
      if (!companyId) return fail(400, 'invalid_request', t.noAccess);
      // The user's own Storno credentials decide which companies they may bind.
      const companies = await services.stornoAccount.companies(tokens.accessToken);
      const company = companies.find((c) => c.id === companyId);
      if (!company) return fail(403, 'forbidden', t.noAccess);

      try {
        const connection = await services.connections.bind({
          stripeAccountId: grant.stripeAccountId,
          company,
          user: { email: session.userEmail ?? '', name: session.userName ?? '' },
          tokens,
        });
        const decided = await services.deviceGrants.decide(grant.id, { approve: true, connectionId: connection.id, email: session.userEmail ?? '' });
        if (!decided) return fail(410, 'expired_token', t.expiredCode);
        // Status updates also arrive by polling; a refused webhook registration must not fail the connection.
        await services.stornoAccess
          .registerWebhook(connection)
          .catch((err) => request.log.warn({ err: String(err), connectionId: connection.id }, 'Storno webhook registration failed; polling only'));
      } catch (err) {
        if (err instanceof ConnectionConflictError) return fail(409, 'account_already_connected', err.message);
        throw err;
      }
      await sessions.update(session, { userCode: null });
      if (asHtml) return html(reply, 200, messagePage(ctx, t.connected(company.name), 'ok'));
      return reply.send({ status: 'approved', stripe_account_id: grant.stripeAccountId });
    },
  });
};
