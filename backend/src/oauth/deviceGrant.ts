// RFC 8628 device authorization grant: the extension starts it, the merchant approves it on the consent
// page, and the extension's poll exchanges the device code (once) for our tokens.
import { randomUUID } from 'node:crypto';
import type { DeviceAuthorizationResponse } from '../../../src/api/contract.js';
import type { DeviceGrant } from '../db/generated/sqlite/client.js';
import type { PrismaClient } from '../db/database.js';
import type { Db } from './connections.js';
import { formatUserCode, hashToken, isWellFormedUserCode, newUserCode, normalizeUserCode, randomToken } from './secrets.js';

export const DEVICE_CODE_TTL_SECONDS = 600;
export const POLL_INTERVAL_SECONDS = 5;
const SLOW_DOWN_STEP_SECONDS = 5;

/** RFC 8628 §3.2 answer, as the extension reads it (src/api/contract.ts). */
export type DeviceAuthorization = DeviceAuthorizationResponse;

/** RFC 8628 §3.5 outcomes of one poll. */
export type PollOutcome =
  | { kind: 'approved'; grant: DeviceGrant }
  | { kind: 'error'; error: 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token' | 'invalid_grant'; description: string };

export type GrantLookup =
  | { kind: 'pending'; grant: DeviceGrant }
  | { kind: 'unknown' | 'expired' | 'used' | 'denied' | 'approved' };

export class DeviceGrantService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly publicUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async start(stripeAccountId: string, stripeUserId: string): Promise<DeviceAuthorization> {
    const deviceCode = randomToken(32); // 256 bits
    // User codes are unique among stored grants; a collision (20^8 space) just draws again.
    for (let attempt = 0; ; attempt++) {
      const userCode = newUserCode();
      try {
        await this.prisma.deviceGrant.create({
          data: {
            id: randomUUID(),
            deviceCodeHash: hashToken(deviceCode),
            userCode,
            stripeAccountId,
            stripeUserId,
            status: 'pending',
            intervalSeconds: POLL_INTERVAL_SECONDS,
            expiresAt: new Date(this.now().getTime() + DEVICE_CODE_TTL_SECONDS * 1000),
          },
        });
        const shown = formatUserCode(userCode);
        return {
          device_code: deviceCode,
          user_code: shown,
          verification_uri: `${this.publicUrl}/stripe-link`,
          verification_uri_complete: `${this.publicUrl}/stripe-link?code=${shown}`,
          expires_in: DEVICE_CODE_TTL_SECONDS,
          interval: POLL_INTERVAL_SECONDS,
        };
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  }

  /** One poll of the token endpoint. `stripeAccountId`, when the client names one, must be the grant's. */
  async poll(deviceCode: string, stripeAccountId?: string): Promise<PollOutcome> {
    const now = this.now();
    const grant = await this.prisma.deviceGrant.findUnique({ where: { deviceCodeHash: hashToken(deviceCode) } });
    if (!grant || grant.status === 'consumed' || (stripeAccountId && stripeAccountId !== grant.stripeAccountId)) {
      return { kind: 'error', error: 'invalid_grant', description: 'The device code is unknown, already used, or belongs to another account.' };
    }
    if (grant.expiresAt <= now) {
      return { kind: 'error', error: 'expired_token', description: 'The device code has expired; start the connection again.' };
    }
    if (grant.status === 'denied') {
      return { kind: 'error', error: 'access_denied', description: 'The Storno.ro user denied the connection.' };
    }
    if (grant.status === 'approved') {
      // Single use: only the poll that flips approved → consumed gets the tokens.
      const claimed = await this.prisma.deviceGrant.updateMany({
        where: { id: grant.id, status: 'approved' },
        data: { status: 'consumed', lastPolledAt: now },
      });
      if (claimed.count === 1) return { kind: 'approved', grant };
      return { kind: 'error', error: 'invalid_grant', description: 'The device code was already used.' };
    }
    const tooSoon = grant.lastPolledAt && now.getTime() - grant.lastPolledAt.getTime() < grant.intervalSeconds * 1000;
    if (tooSoon) {
      const interval = grant.intervalSeconds + SLOW_DOWN_STEP_SECONDS;
      await this.prisma.deviceGrant.update({ where: { id: grant.id }, data: { intervalSeconds: interval, lastPolledAt: now } });
      return { kind: 'error', error: 'slow_down', description: `Polling too fast; wait ${interval} seconds between polls.` };
    }
    await this.prisma.deviceGrant.update({ where: { id: grant.id }, data: { lastPolledAt: now } });
    return { kind: 'error', error: 'authorization_pending', description: 'Waiting for the merchant to approve on the consent page.' };
  }

  /** Finds a grant by what a person typed or followed, telling apart each reason it can't be used. */
  async lookup(userCodeInput: string): Promise<GrantLookup> {
    const userCode = normalizeUserCode(userCodeInput);
    if (!isWellFormedUserCode(userCode)) return { kind: 'unknown' };
    const grant = await this.prisma.deviceGrant.findUnique({ where: { userCode } });
    if (!grant) return { kind: 'unknown' };
    if (grant.status === 'consumed') return { kind: 'used' };
    if (grant.status === 'denied') return { kind: 'denied' };
    if (grant.status === 'approved') return { kind: 'approved' };
    if (grant.expiresAt <= this.now()) return { kind: 'expired' };
    return { kind: 'pending', grant };
  }

  /**
   * Records the merchant's decision; false when the grant was decided concurrently or expired. An approval
   * runs in the transaction that binds the connection (`db`), and names it with `attachConnection`.
   */
  async decide(grantId: string, decision: { approve: true; email: string } | { approve: false }, db: Db = this.prisma): Promise<boolean> {
    const result = await db.deviceGrant.updateMany({
      where: { id: grantId, status: 'pending', expiresAt: { gt: this.now() } },
      data: decision.approve ? { status: 'approved', approvedByEmail: decision.email } : { status: 'denied' },
    });
    return result.count === 1;
  }

  async attachConnection(grantId: string, connectionId: string, db: Db): Promise<void> {
    await db.deviceGrant.update({ where: { id: grantId }, data: { connectionId } });
  }
}
