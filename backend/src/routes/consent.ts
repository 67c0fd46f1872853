// The consent page at /stripe-link (RFC 8628 verification_uri) and the approve endpoint it posts to. Public routes:
// the Storno sign-in, a session cookie and a CSRF token guard them.
// Flow: code (from the link or typed) → sign in to Storno (OAuth2 code + PKCE) → see who asks, pick a company → approve.
// Every code looked up, by link or by form, draws on the same per-address budget and counts per session when wrong.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API_PREFIX, contract } from '../../../src/api/contract.js';
import { approveAndBind } from '../oauth/approval.js';
import { approvePage, enterCodePage, messagePage, signInPage, type PageContext } from '../oauth/consentPage.js';
import { CONSENT_TEXT, pickLang, type Lang } from '../oauth/consentText.js';
import { ConnectionConflictError } from '../oauth/connections.js';
import { MAX_WRONG_CODES, SESSION_COOKIE, type ConsentSession } from '../oauth/consentSessions.js';
import type { GrantLookup } from '../oauth/deviceGrant.js';
import { revokeAtStorno } from '../oauth/disconnect.js';
import { formatUserCode, normalizeUserCode, randomToken } from '../oauth/secrets.js';
import { createCodeVerifier } from '../storno/oauth.js';

const LOOKUP_PAGE: Record<Exclude<GrantLookup['kind'], 'pending'>, { status: 404 | 409 | 410; text: keyof (typeof CONSENT_TEXT)['en']; error: string }> = {
  unknown: { status: 404, text: 'unknownCode', error: 'invalid_user_code' },
  expired: { status: 410, text: 'expiredCode', error: 'expired_token' },
  used: { status: 409, text: 'usedCode', error: 'code_already_used' },
  denied: { status: 409, text: 'deniedCode', error: 'access_denied' },
  approved: { status: 409, text: 'approvedCode', error: 'code_already_used' },
};

/** The code of a link followed by a browser without a stored session. */
const CODE_COOKIE = 'storno_link_code';

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

export const consentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services, config } = app;
  const sessions = services.consentSessions;
  const redirectUri = `${config.publicUrl}/stripe-link/callback`;
  const secureCookies = config.publicUrl.startsWith('https://');

  // Every answer of these routes, pages and JSON alike, is what it says it is.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });

  function langOf(request: FastifyRequest, reply: FastifyReply): Lang {
    const query: unknown = request.query;
    const asked = query && typeof query === 'object' && 'lang' in query ? query.lang : undefined;
    const lang = pickLang(asked, request.cookies.lang, request.headers['accept-language']);
    if (asked === 'ro' || asked === 'en') reply.setCookie('lang', lang, { path: '/', sameSite: 'lax', httpOnly: true, secure: secureCookies });
    return lang;
  }

  /** The page context of this browser (its CSRF token is bound to its session cookie, stored or not). */
  function context(request: FastifyRequest, reply: FastifyReply): { ctx: PageContext; lang: Lang; t: (typeof CONSENT_TEXT)[Lang] } {
    const lang = langOf(request, reply);
    const csrf = sessions.csrfFor(sessions.browserId(request, reply));
    return { lang, t: CONSENT_TEXT[lang], ctx: { lang, csrf, switchHref: `/stripe-link?lang=${lang === 'ro' ? 'en' : 'ro'}` } };
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

  type Checked = { kind: 'pending'; lookup: Extract<GrantLookup, { kind: 'pending' }> } | { kind: 'refused'; status: number; page: string };

  /**
   * One user-code attempt. An unknown code is charged to the address's budget and to the browser: to its stored
   * session (created for a browser that keeps its cookie), or, on its first visit, to a signed cookie that carries
   * over into that session (a cookieless request stores nothing).
   */
  async function tryCode(
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: PageContext,
    t: (typeof CONSENT_TEXT)[Lang],
    input: string,
    session: ConsentSession | undefined,
    storeOnMiss: boolean,
  ): Promise<Checked> {
    const tooMany = { kind: 'refused' as const, status: 429, page: messagePage(ctx, t.tooManyAttempts, 'error') };
    const missed = session ? session.failedCodeCount : sessions.cookieMisses(request);
    if (missed >= MAX_WRONG_CODES || !services.codeAttempts.allows(request.ip)) return tooMany;
    const lookup = await services.deviceGrants.lookup(input);
    if (lookup.kind === 'pending') return { kind: 'pending', lookup };
    if (lookup.kind === 'unknown') {
      const addressLeft = services.codeAttempts.chargeMiss(request.ip);
      const counted = session ?? (storeOnMiss ? await sessions.require(request) : undefined);
      const misses = counted ? await sessions.countWrongCode(counted) : sessions.countCookieMiss(request, reply);
      const sessionLeft = misses < MAX_WRONG_CODES;
      if (!addressLeft || !sessionLeft) return tooMany;
      return { kind: 'refused', status: 404, page: enterCodePage(ctx, t.unknownCode) };
    }
    const page = LOOKUP_PAGE[lookup.kind];
    const link = { href: '/stripe-link', label: t.tryAgain };
    return { kind: 'refused', status: page.status, page: messagePage(ctx, t[page.text] as string, lookup.kind === 'approved' ? 'ok' : 'error', link) };
  }

  app.route({
    ...contract.consentPage,
    handler: async (request, reply) => {
    const hadCookie = Boolean(request.cookies[SESSION_COOKIE]);
    const { ctx, t } = context(request, reply);
    let session = hadCookie ? await sessions.load(request) : undefined;
    if (session && session.failedCodeCount >= MAX_WRONG_CODES) return html(reply, 429, messagePage(ctx, t.tooManyAttempts, 'error'));

    const fromLink = request.query.code;
    let userCode = session?.userCode ?? null;
    if (fromLink && fromLink.trim() !== '') {
      const checked = await tryCode(request, reply, ctx, t, fromLink, session, hadCookie);
      if (checked.kind === 'refused') {
        // The link's code replaces whatever this browser had been looking at.
        if (session?.userCode) await sessions.update(session, { userCode: null });
        return html(reply, checked.status, checked.page);
      }
      userCode = checked.lookup.grant.userCode;
      if (session && session.userCode !== userCode) session = await sessions.update(session, { userCode });
      // Without a stored session the browser keeps the code itself, for its sign-in.
      if (!session) reply.setCookie(CODE_COOKIE, userCode, { path: '/stripe-link', httpOnly: true, sameSite: 'lax', secure: secureCookies, maxAge: 15 * 60 });
    }
    if (!userCode) return html(reply, 200, enterCodePage(ctx));

    const lookup = await services.deviceGrants.lookup(userCode);
    if (lookup.kind !== 'pending') {
      const page = LOOKUP_PAGE[lookup.kind];
      if (session) await sessions.update(session, { userCode: null });
      return html(reply, page.status, messagePage(ctx, t[page.text] as string, lookup.kind === 'approved' ? 'ok' : 'error', { href: '/stripe-link', label: t.tryAgain }));
    }
    const { grant } = lookup;
    const shownCode = formatUserCode(grant.userCode);
    const tokens = session ? await sessions.stornoTokens(session, services.stornoAccount) : undefined;
    if (!session || !tokens) return html(reply, 200, signInPage(ctx, shownCode));

    let companies;
    try {
      companies = await services.stornoAccount.companies(tokens.accessToken);
    } catch (err) {
      // Storno no longer accepts these tokens (revoked by a disconnect, expired): sign in again.
      request.log.warn({ err: String(err) }, 'Storno refused the consent session tokens; asking to sign in again');
      await sessions.forgetStornoTokens(session);
      return html(reply, 200, signInPage(ctx, shownCode));
    }
    if (companies.length === 0) return html(reply, 200, messagePage(ctx, t.noCompany, 'error'));
    return html(
      reply,
      200,
      approvePage(ctx, {
        request: {
          stripeAccountId: grant.stripeAccountId,
          stripeAccountName: await services.stripeAccountNames.nameOf(grant.stripeAccountId),
          requestedBy: grant.stripeUserId,
          requestedAt: grant.createdAt,
          userCode: shownCode,
        },
        user: { email: session.userEmail ?? '', name: session.userName ?? '' },
        companies,
      }),
    );
    },
  });

  app.route({
    ...contract.consentCode,
    handler: async (request, reply) => {
    const { ctx, t } = context(request, reply);
    const body = request.body;
    const session = await sessions.require(request, body.csrf);
    if (!session) return html(reply, 403, messagePage(ctx, t.sessionExpired, 'error', { href: '/stripe-link', label: t.tryAgain }));
    const checked = await tryCode(request, reply, ctx, t, body.user_code ?? '', session, true);
    if (checked.kind === 'refused') return html(reply, checked.status === 404 ? 400 : checked.status, checked.page);
    await sessions.update(session, { userCode: checked.lookup.grant.userCode });
    return reply.redirect('/stripe-link', 303);
    },
  });

  app.route({
    ...contract.consentSignIn,
    handler: async (request, reply) => {
    const { ctx, t } = context(request, reply);
    const body = request.body;
    let session = await sessions.require(request, body.csrf);
    if (!session) return html(reply, 403, messagePage(ctx, t.sessionExpired, 'error', { href: '/stripe-link', label: t.tryAgain }));
    // The sign-in of a code link's page carries the code (no session was stored for that page).
    const carriedInput = body.user_code ? body.user_code : session.userCode ? '' : (request.cookies[CODE_COOKIE] ?? '');
    const carried = normalizeUserCode(carriedInput);
    if (carried && carried !== session.userCode) {
      const checked = await tryCode(request, reply, ctx, t, carried, session, true);
      if (checked.kind === 'refused') return html(reply, checked.status, checked.page);
      session = await sessions.update(session, { userCode: checked.lookup.grant.userCode });
    }
    if (!session.userCode) return reply.redirect('/stripe-link', 303);
    const state = randomToken(16);
    const codeVerifier = createCodeVerifier();
    await sessions.update(session, { oauthState: state, pkceVerifier: codeVerifier });
    return reply.redirect(services.stornoAccount.authorizeUrl({ redirectUri, state, codeVerifier }), 303);
    },
  });

  app.route({
    ...contract.consentCallback,
    handler: async (request, reply) => {
    const { ctx, t } = context(request, reply);
    const session = await sessions.load(request);
    const query = request.query;
    const failed = () => html(reply, 400, messagePage(ctx, t.signInFailed, 'error', { href: '/stripe-link', label: t.tryAgain }));
    if (!session || !session.oauthState || query.state !== session.oauthState || !session.pkceVerifier) return failed();
    if (!query.code || query.error) {
      await sessions.update(session, { oauthState: null, pkceVerifier: null });
      return failed();
    }
    try {
      const tokens = await services.stornoAccount.exchangeCode({ code: query.code, redirectUri, codeVerifier: session.pkceVerifier });
      const user = await services.stornoAccount.me(tokens.accessToken);
      await sessions.storeStornoTokens(session, tokens, user);
    } catch (err) {
      request.log.warn({ err: String(err) }, 'Storno sign-in failed');
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
      await sessions.forgetStornoTokens(session);
      if (tokens) await revokeAtStorno(services.stornoAccount, tokens.refreshToken, request.log);
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
      if (session.failedCodeCount >= MAX_WRONG_CODES || !services.codeAttempts.allows(request.ip)) return fail(429, 'rate_limited', t.tooManyAttempts);

      const userCode = body.user_code ?? '';
      const lookup = await services.deviceGrants.lookup(userCode);
      if (lookup.kind !== 'pending') {
        if (lookup.kind === 'unknown') {
          services.codeAttempts.chargeMiss(request.ip);
          await sessions.countWrongCode(session);
        }
        const page = LOOKUP_PAGE[lookup.kind];
        return fail(page.status, page.error, t[page.text] as string);
      }
      const grant = lookup.grant;
      const tokens = await sessions.stornoTokens(session, services.stornoAccount);
      if (!tokens) return fail(401, 'unauthorized', t.signInFailed);

      const approve = !(body.approve === false || body.approve === 'false');
      if (!approve) {
        await services.deviceGrants.decide(grant.id, { approve: false });
        await sessions.update(session, { userCode: null });
        if (asHtml) return html(reply, 200, messagePage(ctx, t.denied, 'ok'));
        return reply.send({ status: 'denied', stripe_account_id: grant.stripeAccountId });
      }

      const companyId = body.company_id ?? '';
      if (!companyId) return fail(400, 'invalid_request', t.noAccess);
      // The user's own Storno credentials decide which companies they may bind.
      const companies = await services.stornoAccount.companies(tokens.accessToken);
      const company = companies.find((c) => c.id === companyId);
      if (!company) return fail(403, 'forbidden', t.noAccess);

      let bound;
      try {
        bound = await approveAndBind(app.db.prisma, services.deviceGrants, services.connections, {
          grantId: grant.id,
          stripeAccountId: grant.stripeAccountId,
          company,
          user: { email: session.userEmail ?? '', name: session.userName ?? '' },
          tokens,
        });
      } catch (err) {
        if (err instanceof ConnectionConflictError) return fail(409, 'account_already_connected', err.message);
        throw err;
      }
      if (!bound) return fail(410, 'expired_token', t.expiredCode);
      // The token pair now belongs to this connection alone: the page forgets it, so another approval in this
      // browser signs in again and binds a pair of its own (a shared pair dies for both at the first refresh).
      await sessions.update(session, { userCode: null, stornoCredentials: null, userEmail: null, userName: null });
      if (bound.replaced && bound.replaced.refreshToken !== tokens.refreshToken) {
        await revokeAtStorno(services.stornoAccount, bound.replaced.refreshToken, request.log, bound.connection.id);
      }
      // Status updates also arrive by polling; a refused webhook registration must not fail the connection.
      await services.stornoAccess
        .registerWebhook(bound.connection)
        .catch((err) => request.log.warn({ err: String(err), connectionId: bound.connection.id }, 'Storno webhook registration failed; polling only'));
      if (asHtml) return html(reply, 200, messagePage(ctx, t.connected(company.name), 'ok'));
      return reply.send({ status: 'approved', stripe_account_id: grant.stripeAccountId });
    },
  });
};
