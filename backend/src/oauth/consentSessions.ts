// Sessions of the consent page: an HttpOnly cookie holding a random id (stored hashed), a CSRF token,
// the PKCE verifier while signing in to Storno, the user's sealed Storno tokens, and a count of wrong codes.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsentSession } from '../db/generated/sqlite/client.js';
import type { PrismaClient } from '../db/database.js';
import { hashToken, openJson, randomToken, sealJson } from './secrets.js';
import type { StornoAccountApi, StornoUserTokens } from './stornoAccount.js';

export const SESSION_COOKIE = 'storno_link_sid';
const SESSION_TTL_MS = 30 * 60 * 1000;
export const MAX_WRONG_CODES = 5;

export type { ConsentSession };

export class ConsentSessionStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly encryptionKey: Buffer,
    private readonly secureCookies: boolean,
  ) {}

  async load(request: FastifyRequest): Promise<ConsentSession | undefined> {
    const raw = request.cookies[SESSION_COOKIE];
    if (!raw) return undefined;
    const session = await this.prisma.consentSession.findUnique({ where: { id: hashToken(raw) } });
    if (!session || session.expiresAt <= new Date()) return undefined;
    return session;
  }

  async loadOrCreate(request: FastifyRequest, reply: FastifyReply): Promise<ConsentSession> {
    const existing = await this.load(request);
    if (existing) return existing;
    const raw = randomToken(32);
    const session = await this.prisma.consentSession.create({
      data: { id: hashToken(raw), csrfToken: randomToken(24), expiresAt: new Date(Date.now() + SESSION_TTL_MS) },
    });
    reply.setCookie(SESSION_COOKIE, raw, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secureCookies,
      maxAge: SESSION_TTL_MS / 1000,
    });
    return session;
  }

  update(session: ConsentSession, data: Partial<Omit<ConsentSession, 'id'>>): Promise<ConsentSession> {
    return this.prisma.consentSession.update({ where: { id: session.id }, data });
  }

  checkCsrf(session: ConsentSession, presented: unknown): boolean {
    if (typeof presented !== 'string') return false;
    const a = Buffer.from(session.csrfToken);
    const b = Buffer.from(presented);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async countWrongCode(session: ConsentSession): Promise<number> {
    const updated = await this.update(session, { failedCodeCount: session.failedCodeCount + 1 });
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

  /** The signed-in user's Storno tokens, refreshed when close to expiry; undefined when signed out. */
  async stornoTokens(session: ConsentSession, storno: StornoAccountApi): Promise<StornoUserTokens | undefined> {
    if (!session.stornoCredentials) return undefined;
    const tokens = openJson<StornoUserTokens>(this.encryptionKey, session.stornoCredentials);
    if (tokens.expiresAt - 60_000 > Date.now()) return tokens;
    try {
      const fresh = await storno.refresh(tokens.refreshToken);
      await this.update(session, { stornoCredentials: sealJson(this.encryptionKey, fresh) });
      return fresh;
    } catch {
      await this.update(session, { stornoCredentials: null, userEmail: null, userName: null });
      return undefined;
    }
  }
}
