// An approval on the consent page: the grant's decision and the connection's binding commit together, so a
// lost race (the grant decided or expired meanwhile) binds nothing.
import type { PrismaClient } from '../db/database.js';
import type { ConnectionService, Connection } from './connections.js';
import type { DeviceGrantService } from './deviceGrant.js';
import type { StornoCompanySummary, StornoUserTokens } from './stornoAccount.js';

export interface Approval {
  grantId: string;
  stripeAccountId: string;
  company: StornoCompanySummary;
  user: { email: string; name: string };
  /** The approving user's own Storno token pair: from here on it belongs to this connection only. */
  tokens: StornoUserTokens;
}

/** The bound connection (and the credentials it held before, to revoke), or undefined when the grant was no longer pending. */
export async function approveAndBind(
  prisma: PrismaClient,
  deviceGrants: DeviceGrantService,
  connections: ConnectionService,
  approval: Approval,
): Promise<{ connection: Connection; replaced?: StornoUserTokens } | undefined> {
  return prisma.$transaction(async (tx) => {
    if (!(await deviceGrants.decide(approval.grantId, { approve: true, email: approval.user.email }, tx))) return undefined;
    const bound = await connections.bind(
      { stripeAccountId: approval.stripeAccountId, company: approval.company, user: approval.user, tokens: approval.tokens },
      tx,
    );
    await deviceGrants.attachConnection(approval.grantId, bound.connection.id, tx);
    return bound;
  });
}
