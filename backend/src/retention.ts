// Retention: what anonymous visitors and finished work leave behind is deleted by the worker, so the database
// can't grow without bound. Expired consent sessions and device grants past their lifetime (or already used)
// go at once, so do rotated refresh tokens' sealed successors after their grace period; processed webhook events
// after RETENTION_DAYS (they are kept that long to recognise redeliveries).
// Failed events stay: they are shown in the Errors tab until someone acts on them.
import type { FastifyBaseLogger } from 'fastify';
import type { PrismaClient } from './db/database.js';
import { REFRESH_GRACE_SECONDS } from './oauth/tokens.js';

/** How often the worker's tick prunes. */
export const RETENTION_EVERY_MS = 60 * 60 * 1000;

export interface Pruned {
  consentSessions: number;
  deviceGrants: number;
  inboxEvents: number;
}

export class Retention {
  private lastRun = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly processedEventMaxAgeMs: number,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Prunes on the first call and then at most every RETENTION_EVERY_MS; never throws (logged instead). */
  async runIfDue(): Promise<Pruned | undefined> {
    const now = this.now().getTime();
    if (this.lastRun !== 0 && now - this.lastRun < RETENTION_EVERY_MS) return undefined;
    this.lastRun = now;
    try {
      const pruned = await this.prune();
      if (pruned.consentSessions || pruned.deviceGrants || pruned.inboxEvents) this.log.info(pruned, 'retention: deleted old rows');
      return pruned;
    } catch (err) {
      this.log.error({ err }, 'retention failed; retrying at the next run');
      return undefined;
    }
  }

  async prune(): Promise<Pruned> {
    const now = this.now();
    const consentSessions = await this.prisma.consentSession.deleteMany({ where: { expiresAt: { lte: now } } });
    // A consumed grant answers every later poll with invalid_grant, as an unknown one does; a denied one keeps
    // answering access_denied until it expires.
    const deviceGrants = await this.prisma.deviceGrant.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { status: 'consumed' }] } });
    // A rotated refresh token's successor is only needed during the grace period: no sealed pair lingers after it.
    await this.prisma.refreshToken.updateMany({
      where: { successor: { not: null }, usedAt: { lt: new Date(now.getTime() - REFRESH_GRACE_SECONDS * 1000) } },
      data: { successor: null },
    });
    const inboxEvents = await this.prisma.inboxEvent.deleteMany({
      where: { status: { in: ['done', 'skipped'] }, processedAt: { lt: new Date(now.getTime() - this.processedEventMaxAgeMs) } },
    });
    return { consentSessions: consentSessions.count, deviceGrants: deviceGrants.count, inboxEvents: inboxEvents.count };
  }
}
