// The name a merchant knows their Stripe account by, read with the platform key for the consent page: a person
// approving a code sees whose account asks, not only an `acct_…` id.
import type { FastifyBaseLogger } from 'fastify';
import type Stripe from 'stripe';
import { onAccount } from '../stripe/client.js';

export class StripeAccountNames {
  constructor(
    private readonly stripe: Stripe,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** The business name (or the Dashboard display name); null when Stripe does not answer — the page still shows the id. */
  async nameOf(accountId: string): Promise<string | null> {
    try {
      const account = await this.stripe.accounts.retrieveCurrent({}, { ...onAccount(accountId), timeout: 5_000, maxNetworkRetries: 0 });
      return account.business_profile?.name || account.settings?.dashboard?.display_name || null;
    } catch (err) {
      this.log.warn({ err: String(err), accountId }, 'could not read the Stripe account name for the consent page');
      return null;
    }
  }
}
