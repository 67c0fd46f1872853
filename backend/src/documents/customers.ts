// Matching Stripe customers to Storno clients (invoicing/matching.ts decides), remembering the match per
// connection so the next lookup needs no search, re-checking a remembered match against the client as
// Storno has it now, and forgetting it when the customer changes.
import { createHash, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/database.js';
import type { BuyerFacts } from '../invoicing/buyer.js';
import { clientProposal, clientSearchTerms, decideClient, stillAgrees, type ClientDecision, type MatchedBy } from '../invoicing/matching.js';
import type { CustomerInput, StornoClientRow } from '../invoicing/types.js';
import type { Connection } from '../oauth/connections.js';
import type { StornoClient } from '../storno/client.js';
import { StornoNotFoundError } from '../storno/errors.js';
import type { Client as StornoClientRecord } from '../storno/types.js';
import type { StripeCustomerData } from '../stripe/types.js';

export type MatchMethod = MatchedBy | 'created';

export interface ResolvedClient {
  clientId: string;
  matchedBy: MatchMethod;
  /** Served from the remembered match (no Storno search made). */
  remembered: boolean;
  /** The client as Storno holds it now: what a document made for it carries. */
  client?: StornoClientRecord;
}

export interface Resolution {
  resolved: ResolvedClient | null;
  /** How the decision went: a proposal to confirm, clients passed over (empty for a remembered match). */
  decision: Omit<ClientDecision, 'match'>;
}

export function customerInputOf(customer: StripeCustomerData): CustomerInput {
  return {
    name: customer.name ?? null,
    email: customer.email ?? null,
    phone: customer.phone ?? null,
    address: customer.address ?? null,
    taxIds: customer.tax_ids.data.map((t) => ({
      type: String(t.type),
      value: t.value,
      verification: t.verification ? { status: String(t.verification.status) } : null,
    })),
    taxExempt: customer.tax_exempt ? String(customer.tax_exempt) : null,
  };
}

/** Changes whenever a field matching or the client proposal reads changes. */
export function customerHash(input: CustomerInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

export class CustomerMatcher {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * The remembered match, if the customer has not changed since and the Storno client still agrees with the
   * customer's fiscal identity (a client edited in Storno, or deleted, is matched afresh).
   */
  async remembered(connection: Connection, storno: StornoClient, customerId: string, buyer: BuyerFacts): Promise<ResolvedClient | null> {
    const link = await this.prisma.customerLink.findUnique({
      where: { connectionId_stripeCustomerId: { connectionId: connection.id, stripeCustomerId: customerId } },
    });
    if (!link) return null;
    if (link.customerHash !== customerHash(buyer.input)) {
      await this.forget(connection.id, customerId);
      return null;
    }
    const client = await this.current(storno, link.stornoClientId);
    if (!client || !stillAgrees(buyer, client as StornoClientRow, link.matchedBy)) {
      await this.forget(connection.id, customerId);
      return null;
    }
    return { clientId: link.stornoClientId, matchedBy: link.matchedBy as MatchMethod, remembered: true, client };
  }

  private async current(storno: StornoClient, clientId: string): Promise<StornoClientRecord | null> {
    try {
      return (await storno.getClient(clientId)).client;
    } catch (err) {
      if (err instanceof StornoNotFoundError) return null;
      throw err;
    }
  }

  /** Searches Storno (substring, every page) for each term and decides on our side. */
  async search(storno: StornoClient, buyer: BuyerFacts): Promise<ClientDecision> {
    const seen = new Map<string, StornoClientRow>();
    for (const term of clientSearchTerms(buyer)) {
      for (const row of await storno.listAllClients(term)) seen.set(row.id, row as StornoClientRow);
      const decision = decideClient(buyer, [...seen.values()]);
      // Terms go from most to least specific; stop at the first exact identifier match.
      if (decision.match && ['ro_cif', 'eu_vat', 'ro_cnp'].includes(decision.match.matchedBy)) return decision;
    }
    return decideClient(buyer, [...seen.values()]);
  }

  async resolve(connection: Connection, storno: StornoClient, customerId: string | null, buyer: BuyerFacts): Promise<Resolution> {
    const none = { proposal: null, passedOver: [] };
    if (customerId) {
      const known = await this.remembered(connection, storno, customerId, buyer);
      if (known) return { resolved: known, decision: none };
    }
    const { match, ...decision } = await this.search(storno, buyer);
    if (!match) return { resolved: null, decision };
    if (customerId) await this.remember(connection.id, customerId, match.clientId, match.matchedBy, buyer.input);
    const client = (await this.current(storno, match.clientId)) ?? undefined;
    return { resolved: { ...match, remembered: false, client }, decision };
  }

  /** The merchant confirms the proposed company client for an id-less customer (never chosen by itself). */
  async confirm(connection: Connection, storno: StornoClient, customerId: string, buyer: BuyerFacts, clientId: string): Promise<boolean> {
    const { resolved, decision } = await this.resolve(connection, storno, customerId, buyer);
    if (resolved || decision.proposal?.clientId !== clientId) return false;
    await this.remember(connection.id, customerId, clientId, 'confirmed', buyer.input);
    return true;
  }

  /** Creates the Storno client from the Stripe customer (Storno returns the existing one for a known CIF). */
  async create(connection: Connection, storno: StornoClient, customerId: string | null, buyer: BuyerFacts): Promise<ResolvedClient> {
    const result = await storno.createClient(clientProposal(buyer));
    const matchedBy: MatchMethod = result.existing ? 'ro_cif' : 'created';
    if (customerId) await this.remember(connection.id, customerId, result.client.id, matchedBy, buyer.input);
    return { clientId: result.client.id, matchedBy, remembered: false };
  }

  async forget(connectionId: string, customerId: string): Promise<void> {
    await this.prisma.customerLink.deleteMany({ where: { connectionId, stripeCustomerId: customerId } });
  }

  private async remember(connectionId: string, customerId: string, clientId: string, matchedBy: MatchMethod, input: CustomerInput) {
    const data = { stornoClientId: clientId, matchedBy, customerHash: customerHash(input) };
    await this.prisma.customerLink.upsert({
      where: { connectionId_stripeCustomerId: { connectionId, stripeCustomerId: customerId } },
      create: { id: randomUUID(), connectionId, stripeCustomerId: customerId, ...data },
      update: data,
    });
  }
}
