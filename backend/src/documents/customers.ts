// Matching Stripe customers to Storno clients (CIF, EU VAT, email, name — in that order), remembering the
// match per connection so the next lookup needs no search, and forgetting it when the customer changes.
import { createHash, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/database.js';
import { clientProposal, clientSearchTerms, matchClient, type MatchedBy } from '../invoicing/matching.js';
import type { CustomerInput, StornoClientRow } from '../invoicing/types.js';
import type { Connection } from '../oauth/connections.js';
import type { StornoClient } from '../storno/client.js';
import type { StripeCustomerData } from '../stripe/types.js';

export type MatchMethod = MatchedBy | 'created';

export interface ResolvedClient {
  clientId: string;
  matchedBy: MatchMethod;
  /** Served from the remembered match (no Storno search made). */
  remembered: boolean;
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

  /** The remembered match, if the customer has not changed since. */
  async remembered(connection: Connection, customerId: string, input: CustomerInput): Promise<ResolvedClient | null> {
    const link = await this.prisma.customerLink.findUnique({
      where: { connectionId_stripeCustomerId: { connectionId: connection.id, stripeCustomerId: customerId } },
    });
    if (!link) return null;
    if (link.customerHash !== customerHash(input)) {
      await this.forget(connection.id, customerId);
      return null;
    }
    return { clientId: link.stornoClientId, matchedBy: link.matchedBy as MatchMethod, remembered: true };
  }

  /** Searches Storno (substring, every page) for each term and compares exactly on our side. */
  async search(storno: StornoClient, input: CustomerInput): Promise<{ clientId: string; matchedBy: MatchedBy } | null> {
    const seen = new Map<string, StornoClientRow>();
    for (const term of clientSearchTerms(input)) {
      for (const row of await storno.listAllClients(term)) seen.set(row.id, row as StornoClientRow);
      const match = matchClient(input, [...seen.values()]);
      // Terms go from most to least specific; stop at the first exact identifier match.
      if (match && (match.matchedBy === 'ro_cif' || match.matchedBy === 'eu_vat')) return match;
    }
    return matchClient(input, [...seen.values()]);
  }

  async resolve(connection: Connection, storno: StornoClient, customerId: string | null, input: CustomerInput): Promise<ResolvedClient | null> {
    if (customerId) {
      const known = await this.remembered(connection, customerId, input);
      if (known) return known;
    }
    const found = await this.search(storno, input);
    if (!found) return null;
    if (customerId) await this.remember(connection.id, customerId, found.clientId, found.matchedBy, input);
    return { ...found, remembered: false };
  }

  /** Creates the Storno client from the Stripe customer (Storno returns the existing one for a known CIF). */
  async create(connection: Connection, storno: StornoClient, customerId: string | null, input: CustomerInput): Promise<ResolvedClient> {
    const result = await storno.createClient(clientProposal(input));
    const matchedBy: MatchMethod = result.existing ? 'ro_cif' : 'created';
    if (customerId) await this.remember(connection.id, customerId, result.client.id, matchedBy, input);
    return { clientId: result.client.id, matchedBy, remembered: false };
  }

  async resolveOrCreate(connection: Connection, storno: StornoClient, customerId: string | null, input: CustomerInput): Promise<ResolvedClient> {
    return (await this.resolve(connection, storno, customerId, input)) ?? this.create(connection, storno, customerId, input);
  }

  async forget(connectionId: string, customerId: string): Promise<void> {
    await this.prisma.customerLink.deleteMany({ where: { connectionId, stripeCustomerId: customerId } });
  }

  /** customer.updated for an account: forget on every connection of that account. */
  async forgetForAccount(stripeAccountId: string, customerId: string): Promise<void> {
    await this.prisma.customerLink.deleteMany({ where: { stripeCustomerId: customerId, connection: { stripeAccountId } } });
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
