// Tokens the extension holds (in the Stripe Secret Store, user scope): a short-lived JWT access token bound
// to account, user and connection, and an opaque rotating refresh token stored hashed. A refresh token
// presented again within REFRESH_GRACE_SECONDS of its rotation (two Dashboard tabs refreshing at once) gets
// the same new pair; presented later, it means it leaked: the whole family (one device-grant login) is revoked.
import { randomUUID } from 'node:crypto';
import type { JWT } from '@fastify/jwt';
import type { PrismaClient } from '../db/database.js';
import type { RefreshToken } from '../db/generated/sqlite/client.js';
import { hashToken, openJson, randomToken, sealJson } from './secrets.js';

export const ACCESS_TOKEN_TTL_SECONDS = 900;
export const REFRESH_TOKEN_TTL_SECONDS = 90 * 24 * 3600;
/** How long a rotated refresh token still answers with the pair it was rotated into. */
export const REFRESH_GRACE_SECONDS = 30;

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface AccessClaims {
  /** Stripe Dashboard user id (usr_…). */
  sub: string;
  /** Stripe account id (acct_…). */
  acct: string;
  /** Connection id. */
  cid: string;
  /** Refresh-token family id. */
  fam: string;
}

export interface IssuedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

export type RefreshResult = { ok: true; tokens: IssuedTokens } | { ok: false; reason: 'unknown' | 'reused' | 'expired' | 'disconnected' };

export class TokenService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly jwt: JWT,
    private readonly encryptionKey: Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new family for a user who just completed the device grant. */
  async issueNewFamily(connectionId: string, stripeAccountId: string, stripeUserId: string): Promise<IssuedTokens> {
    return this.issue({ connectionId, stripeAccountId, stripeUserId, familyId: randomUUID() });
  }

  async refresh(refreshToken: string): Promise<RefreshResult> {
    const now = this.now();
    const row = await this.prisma.refreshToken.findUnique({
      where: { tokenHash: hashToken(refreshToken) },
      include: { connection: true },
    });
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revokedAt) return { ok: false, reason: 'reused' };
    if (row.expiresAt < now) return { ok: false, reason: 'expired' };
    if (row.connection.status === 'disconnected') return { ok: false, reason: 'disconnected' };
    if (row.usedAt) return this.presentedAgain(row, now);
    // Claim, issue and remember the successor in one transaction: of two concurrent presentations only one
    // rotates, and the other (waiting on the row) finds the successor already there.
    const issued = await this.prisma.$transaction(async (tx) => {
      const claimed = await tx.refreshToken.updateMany({ where: { id: row.id, usedAt: null, revokedAt: null }, data: { usedAt: now } });
      if (claimed.count !== 1) return undefined;
      const tokens = await this.issue(row, tx);
      await tx.refreshToken.update({ where: { id: row.id }, data: { successor: sealJson(this.encryptionKey, tokens) } });
      return tokens;
    });
    if (issued) return { ok: true, tokens: issued };
    const current = await this.prisma.refreshToken.findUnique({ where: { id: row.id } });
    return current ? this.presentedAgain(current, now) : { ok: false, reason: 'unknown' };
  }

  /** A rotated token presented again: the same new pair within the grace period, otherwise a leak. */
  private async presentedAgain(row: RefreshToken, now: Date): Promise<RefreshResult> {
    const elapsedSeconds = row.usedAt ? (now.getTime() - row.usedAt.getTime()) / 1000 : Infinity;
    if (row.successor && !row.revokedAt && elapsedSeconds <= REFRESH_GRACE_SECONDS) {
      const tokens = openJson<IssuedTokens>(this.encryptionKey, row.successor);
      return { ok: true, tokens: { ...tokens, expires_in: Math.max(1, tokens.expires_in - Math.ceil(elapsedSeconds)) } };
    }
    await this.revokeFamily(row.familyId);
    return { ok: false, reason: 'reused' };
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  async revokeConnection(connectionId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { connectionId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** RFC 7009: a refresh token or an access token; an unknown token is not an error. */
  async revoke(token: string): Promise<void> {
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashToken(token) } });
    if (row) return this.revokeFamily(row.familyId);
    const claims = this.verifyAccessToken(token);
    if (claims) await this.revokeFamily(claims.fam);
  }

  verifyAccessToken(token: string): AccessClaims | undefined {
    try {
      const claims = this.jwt.verify<AccessClaims & { typ?: string }>(token);
      if (claims.typ !== 'access' || !claims.sub || !claims.acct || !claims.cid || !claims.fam) return undefined;
      return { sub: claims.sub, acct: claims.acct, cid: claims.cid, fam: claims.fam };
    } catch {
      return undefined;
    }
  }

  /** A family is alive while none of its tokens was revoked (reuse or disconnect revokes them all). */
  async isFamilyActive(familyId: string): Promise<boolean> {
    const revoked = await this.prisma.refreshToken.findFirst({ where: { familyId, revokedAt: { not: null } }, select: { id: true } });
    return !revoked;
  }

  private async issue(
    input: { connectionId: string; stripeAccountId: string; stripeUserId: string; familyId: string },
    db: Tx | PrismaClient = this.prisma,
  ): Promise<IssuedTokens> {
    const refreshToken = randomToken(32);
    await db.refreshToken.create({
      data: {
        id: randomUUID(),
        tokenHash: hashToken(refreshToken),
        familyId: input.familyId,
        connectionId: input.connectionId,
        stripeAccountId: input.stripeAccountId,
        stripeUserId: input.stripeUserId,
        expiresAt: new Date(this.now().getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000),
      },
    });
    const claims: AccessClaims & { typ: string } = {
      typ: 'access',
      sub: input.stripeUserId,
      acct: input.stripeAccountId,
      cid: input.connectionId,
      fam: input.familyId,
    };
    // fast-jwt reads a bare number as milliseconds; a "900s" string says what it means.
    const accessToken = this.jwt.sign(claims, { expiresIn: `${ACCESS_TOKEN_TTL_SECONDS}s` });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, refresh_token: refreshToken };
  }
}
