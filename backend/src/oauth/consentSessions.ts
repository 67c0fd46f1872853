// Sessions of the consent page: an HttpOnly cookie holding a random id (stored hashed), a CSRF token derived
// from that id, the PKCE verifier while signing in to Storno, the user's sealed Storno tokens until they approve,
// and a count of wrong codes. A browser gets its cookie on the first page, but a row is stored only once a form
// (with a valid CSRF token) needs one: pages fetched without a cookie store nothing.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsentSession } from '../db/generated/sqlite/client.js';
import type { PrismaClient } from '../db/database.js';
import { hashToken, openJson, randomToken, sealJson } from './secrets.js';
import { TokenKeeper, type TokenStore } from '../storno/tokenKeeper.js';
import type { StornoAccountApi, StornoUserTokens } from './stornoAccount.js';

export const SESSION_COOKIE = 'storno_link_sid';
/** Wrong codes of a browser that has no stored session yet, signed and bound to its session cookie. */
const MISSES_COOKIE = 'storno_link_misses';
const SESSION_TTL_MS = 30 * 60 * 1000;
export const MAX_WRONG_CODES = 5;

export type { ConsentSession };

export class ConsentSessionStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly encryptionKey: Buffer,
    private readonly secureCookies: boolean,
  ) {}

  /** The browser's session id from its cookie; a browser without one is given a new cookie (nothing is stored). */
  browserId(request: FastifyRequest, reply: FastifyReply): string {
    const raw = request.cookies[SESSION_COOKIE];
    if (raw && /^[\w-]{20,100}$/.test(raw)) return raw;
    const fresh = randomToken(32);
    reply.setCookie(SESSION_COOKIE, fresh, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secureCookies,
      maxAge: SESSION_TTL_MS / 1000,
    });
    // Later code in this request (a form needing a row) sees the id it will be known by.
    request.cookies[SESSION_COOKIE] = fresh;
    return fresh;
  }

  /** The CSRF token of a browser session: bound to its id, so a page can carry it before any row exists. */
  csrfFor(browserId: string): string {
    return createHmac('sha256', this.encryptionKey).update(`consent-csrf:${browserId}`).digest('base64url');
  }

  async load(request: FastifyRequest): Promise<ConsentSession | undefined> {
    const raw = request.cookies[SESSION_COOKIE];
    if (!raw) return undefined;
    const session = await this.prisma.consentSession.findUnique({ where: { id: hashToken(raw) } });
    if (!session || session.expiresAt <= new Date()) return undefined;
    return session;
  }

  /**
   * The stored session of a browser that needs one (it posted a form with a valid CSRF token, or follows a code
   * link with its cookie); created now when missing. Undefined for a wrong CSRF token: nothing is stored then.
   */
  async require(request: FastifyRequest, presentedCsrf?: unknown): Promise<ConsentSession | undefined> {
    const raw = request.cookies[SESSION_COOKIE];
    if (!raw) return undefined;
    if (presentedCsrf !== undefined && !this.matches(this.csrfFor(raw), presentedCsrf)) return undefined;
    const existing = await this.load(request);
    if (existing) return existing;
    const id = hashToken(raw);
    const data = { csrfToken: this.csrfFor(raw), expiresAt: new Date(Date.now() + SESSION_TTL_MS), failedCodeCount: this.cookieMisses(request) };
    // An expired row under the same id starts afresh.
    return this.prisma.consentSession.upsert({
      where: { id },
      create: { id, ...data },
      update: { ...data, oauthState: null, pkceVerifier: null, userCode: null, stornoCredentials: null, userEmail: null, userName: null },
    });
  }

  /**
   * Counts a wrong code of a browser without a stored session in a signed cookie (nothing is stored for it); the
   * count carries over into its session if one is stored later. Returns the count.
   */
  countCookieMiss(request: FastifyRequest, reply: FastifyReply): number {
    const raw = request.cookies[SESSION_COOKIE];
    if (!raw) return 1;
    const count = this.cookieMisses(request) + 1;
    reply.setCookie(MISSES_COOKIE, `${count}.${this.missSignature(raw, count)}`, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secureCookies,
      maxAge: SESSION_TTL_MS / 1000,
    });
    return count;
  }

  /** Wrong codes counted in the browser's signed cookie (0 when absent or not ours). */
  cookieMisses(request: FastifyRequest): number {
    const raw = request.cookies[SESSION_COOKIE];
    const [count, signature] = (request.cookies[MISSES_COOKIE] ?? '').split('.');
    const n = Number(count);
    if (!raw || !Number.isInteger(n) || n < 0 || !signature) return 0;
    return this.matches(this.missSignature(raw, n), signature) ? n : 0;
  }

  private missSignature(raw: string, count: number): string {
    return createHmac('sha256', this.encryptionKey).update(`consent-misses:${raw}:${count}`).digest('base64url');
  }

  update(session: ConsentSession, data: Partial<Omit<ConsentSession, 'id'>>): Promise<ConsentSession> {
    return this.prisma.consentSession.update({ where: { id: session.id }, data });
  }

  checkCsrf(session: ConsentSession, presented: unknown): boolean {
    return this.matches(session.csrfToken, presented);
  }

  private matches(expected: string, presented: unknown): boolean {
    if (typeof presented !== 'string') return false;
    const a = Buffer.from(expected);
    const b = Buffer.from(presented);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async countWrongCode(session: ConsentSession): Promise<number> {
    const updated = await this.prisma.consentSession.update({ where: { id: session.id }, data: { failedCodeCount: { increment: 1 } } });
    return updated.failedCodeCount;
  }

  async storeStornoTokens(session: ConsentSession, tokens: StornoUserTokens, user: { email: string; name: string }) {
    return this.update(session, {
      stornoCredentials: sealJson(this.encryptionKey, tokens),
      userEmail: user.email,
      userName: user.name,
      oauthState: null,
      pkceVerifier: null,
    });
  }

  /** Signs the session out of Storno (the tokens now belong to a connection, or were refused). */
  forgetStornoTokens(session: ConsentSession): Promise<ConsentSession> {
    return this.update(session, { stornoCredentials: null, userEmail: null, userName: null });
  }

  /** The signed-in user's Storno tokens, refreshed when close to expiry; undefined when signed out or refused. */
  async stornoTokens(session: ConsentSession, storno: StornoAccountApi): Promise<StornoUserTokens | undefined> {
    if (!session.stornoCredentials) return undefined;
    const sealed = (tokens: StornoUserTokens) => sealJson(this.encryptionKey, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt });
    const opened = (row: ConsentSession | null) => {
      if (!row?.stornoCredentials) throw new Error('signed out of Storno meanwhile');
      return openJson<StornoUserTokens>(this.encryptionKey, row.stornoCredentials);
    };
    // One browser per session, so no lock: the stored pair is re-read before refreshing, as for a connection.
    const store: TokenStore = {
      read: async () => opened(session),
      exclusive: async (update) => {
        const current = opened(await this.prisma.consentSession.findUnique({ where: { id: session.id } }));
        const next = await update(current);
        if (next !== current) await this.update(session, { stornoCredentials: sealed(next) });
        return next;
      },
    };
    try {
      return await new TokenKeeper(store, (refreshToken) => storno.refresh(refreshToken)).tokens();
    } catch {
      await this.forgetStornoTokens(session);
      return undefined;
    }
  }
}
