// Everything each extension view needs, in one answer per view (design.md §4).
import type {
  CustomerResponse,
  InvoiceResponse,
  PaymentResponse,
  RefundResponse,
  SubscriptionCycle,
  SubscriptionResponse,
} from '../../../src/api/contract.js';
import { buyerFacts, type BuyerFacts } from '../invoicing/buyer.js';
import { clientProposal } from '../invoicing/matching.js';
import { linePeriod } from '../invoicing/mapping.js';
import { formatMinorForDisplay } from '../invoicing/money.js';
import { buyerChecks } from '../invoicing/preflight.js';
import type { Connection } from '../oauth/connections.js';
import type { StripeReader } from '../stripe/reader.js';
import type { StripeInvoiceData, StripeRefundData } from '../stripe/types.js';
import { NO_PARENT_REASON, PARENT_REJECTED_REASON } from './builders.js';
import { customerInputOf, type CustomerMatcher, type MatchMethod } from './customers.js';
import type { DocumentEngine } from './engine.js';
import { ClientDataInvalid, NotAProposal } from './errors.js';
import { amountPaid, coveringInvoice, findRefundParent, invoiceRefusal } from './sales.js';
import type { DocumentStore } from './store.js';
import { summarize } from './summary.js';

const iso = (unixSeconds: number | null | undefined) => new Date((unixSeconds ?? 0) * 1000).toISOString();
const money = (minor: number | null | undefined, currency: string) => formatMinorForDisplay(minor ?? 0, currency);

export class DocumentViews {
  constructor(
    private readonly reader: StripeReader,
    private readonly documents: DocumentStore,
    private readonly customers: CustomerMatcher,
    private readonly engine: DocumentEngine,
  ) {}

  async customer(connection: Connection, customerId: string): Promise<CustomerResponse> {
    const customer = await this.reader.getCustomer(connection.stripeAccountId, customerId);
    const buyer = buyerFacts(customerInputOf(customer));
    const storno = await this.engine.storno(connection);
    const { resolved, decision } = await this.customers.resolve(connection, storno, customerId, buyer);
    const base = { customer: { id: customer.id, name: customer.name ?? null, email: customer.email ?? null }, passedOver: decision.passedOver };
    if (!resolved) {
      const proposal = clientProposal(buyer);
      const checks = buyerChecks(buyer);
      return {
        ...base,
        match: null,
        noMatchReason: `No Storno client has this customer's ${describeKeys(buyer.input)}.${decision.proposal ? ` A client with the same e-mail is a company; confirm it only if this customer buys for that company.` : ''}`,
        noMatch: {
          taxIds: (buyer.input.taxIds ?? []).map((t) => t.value ?? '').filter(Boolean),
          email: buyer.input.email ?? null,
          name: buyer.input.name ?? null,
          checks,
        },
        proposal: {
          type: proposal.type,
          name: proposal.name,
          cui: proposal.cui ?? null,
          cnp: proposal.cnp ?? null,
          country: proposal.country,
          county: proposal.county ?? null,
          city: proposal.city ?? null,
          address: proposal.address ?? null,
        },
        // "Create client" runs the pre-flight buyer checks: disabled, with the reason, when Storno would refuse.
        createBlockedReason: checks.length ? checks.map((c) => c.message).join(' ') : null,
        suggestedClient: decision.proposal,
        history: [],
      };
    }
    return { ...base, ...(await this.clientDetails(connection, resolved.clientId, resolved.matchedBy)), noMatchReason: null, noMatch: null, proposal: null, createBlockedReason: null, suggestedClient: null };
  }

  async createClient(connection: Connection, customerId: string): Promise<CustomerResponse> {
    const customer = await this.reader.getCustomer(connection.stripeAccountId, customerId);
    const buyer = buyerFacts(customerInputOf(customer));
    const checks = buyerChecks(buyer);
    if (checks.length) throw new ClientDataInvalid(checks);
    const storno = await this.engine.storno(connection);
    await this.customers.create(connection, storno, customerId, buyer);
    return this.customer(connection, customerId);
  }

  /** The merchant confirms the proposed company client (same e-mail) for a customer without a tax id. */
  async confirmClient(connection: Connection, customerId: string, clientId: string): Promise<CustomerResponse> {
    const customer = await this.reader.getCustomer(connection.stripeAccountId, customerId);
    const buyer: BuyerFacts = buyerFacts(customerInputOf(customer));
    const storno = await this.engine.storno(connection);
    if (!(await this.customers.confirm(connection, storno, customerId, buyer, clientId))) throw new NotAProposal();
    return this.customer(connection, customerId);
  }

  private async clientDetails(connection: Connection, clientId: string, matchedBy: MatchMethod) {
    const storno = await this.engine.storno(connection);
    const detail = await storno.getClient(clientId);
    const c = detail.client;
    return {
      match: {
        matchedBy,
        client: {
          id: c.id,
          name: c.name,
          cif: c.cui ?? null,
          cnp: c.cnp ?? null,
          vatCode: c.vatCode ?? null,
          email: c.email ?? null,
          address: c.address ?? null,
          city: c.city ?? null,
          county: c.county ?? null,
          country: c.country ?? null,
        },
      },
      history: detail.invoiceHistory.map((i) => ({
        id: i.id,
        number: i.number,
        issueDate: i.issueDate?.slice(0, 10) ?? null,
        total: i.total,
        currency: i.currency,
        status: i.status,
      })),
    };
  }

  async invoice(connection: Connection, invoiceId: string): Promise<InvoiceResponse> {
    const invoice = await this.reader.getInvoice(connection.stripeAccountId, invoiceId);
    const link = await this.documents.find(connection.id, 'invoice', invoiceId);
    const refusal = invoiceRefusal(String(invoice.status));
    return {
      invoice: {
        id: invoice.id,
        number: invoice.number ?? null,
        amount: money(invoice.total, invoice.currency),
        currency: invoice.currency.toUpperCase(),
        status: String(invoice.status),
        customerName: invoice.customer_name ?? null,
        created: iso(invoice.created),
      },
      document: link ? summarize(link) : null,
      canCreate: !link && !refusal,
      cannotCreateReason: link ? null : refusal,
    };
  }

  async payment(connection: Connection, paymentId: string): Promise<PaymentResponse> {
    const acct = connection.stripeAccountId;
    const resolved = await this.reader.resolvePayment(acct, paymentId);
    const pi = resolved.paymentIntent;
    const charge = resolved.charge;
    const id = pi?.id ?? charge!.id;
    const currency = pi?.currency ?? charge!.currency;
    const invoiceId = coveringInvoice(resolved);
    const link = invoiceId ? await this.documents.find(connection.id, 'invoice', invoiceId) : await this.documents.find(connection.id, 'payment', id);
    const amount = amountPaid(resolved);
    const refunded = charge?.amount_refunded ?? 0;
    const stripeStatus = String(pi?.status ?? charge?.status);
    // Stripe keeps a refunded payment "succeeded"; the merchant reads it as refunded (as the Dashboard shows it).
    const status = stripeStatus === 'succeeded' && refunded > 0 ? (refunded >= amount ? 'refunded' : 'partially_refunded') : stripeStatus;
    const refunds = await this.reader.listRefunds(acct, id);
    const customerRef = pi?.customer ?? charge?.customer ?? null;
    return {
      payment: {
        id,
        object: pi ? 'payment_intent' : 'charge',
        amount: money(amount, currency),
        currency: currency.toUpperCase(),
        status,
        amountRefunded: money(refunded, currency),
        description: pi?.description ?? charge?.description ?? null,
        customerId: typeof customerRef === 'string' ? customerRef : (customerRef?.id ?? null),
        created: iso(pi?.created ?? charge?.created),
        invoiceId,
      },
      document: link ? summarize(link) : null,
      // A payment of a Stripe invoice (or of a Checkout that is still making one) is invoiced through that invoice.
      canCreate: !link && !invoiceId && !resolved.invoicePending && stripeStatus === 'succeeded',
      refunds: await Promise.all(refunds.map((r) => this.refundFor(connection, r))),
    };
  }

  async refund(connection: Connection, refundId: string): Promise<RefundResponse> {
    return this.refundFor(connection, await this.reader.getRefund(connection.stripeAccountId, refundId));
  }

  private async refundFor(connection: Connection, refund: StripeRefundData): Promise<RefundResponse> {
    const link = await this.documents.ofSale(connection.id, 'refund', refund.id);
    const base = {
      refund: {
        id: refund.id,
        amount: money(refund.amount, refund.currency),
        currency: refund.currency.toUpperCase(),
        status: String(refund.status),
        reason: refund.reason ? String(refund.reason) : null,
        created: iso(refund.created),
      },
      creditNote: link ? summarize(link) : null,
    };
    if (link) return { ...base, canCreate: false, reason: null, reasonCode: null, standaloneAllowed: false };
    if (refund.status !== 'succeeded') {
      return {
        ...base,
        canCreate: false,
        reason: `The refund is ${refund.status}; a credit note is made once it has succeeded.`,
        reasonCode: 'refund_not_succeeded',
        standaloneAllowed: false,
      };
    }
    // A parent that exists but is not accepted yet: the credit note can be asked for now and waits for it. A rejected
    // one never became an invoice: it is fixed and resent first.
    const { parent: parentLink } = await findRefundParent({ reader: this.reader, documents: this.documents }, connection, refund.id);
    if (!parentLink) return { ...base, canCreate: false, reason: NO_PARENT_REASON, reasonCode: 'no_parent_document', standaloneAllowed: true };
    if (parentLink.status === 'rejected') return { ...base, canCreate: false, reason: PARENT_REJECTED_REASON, reasonCode: 'parent_rejected', standaloneAllowed: false };
    return { ...base, canCreate: true, reason: null, reasonCode: null, standaloneAllowed: false };
  }

  async subscription(connection: Connection, subscriptionId: string): Promise<SubscriptionResponse> {
    const acct = connection.stripeAccountId;
    const [sub, invoices] = await Promise.all([
      this.reader.getSubscription(acct, subscriptionId),
      this.reader.listSubscriptionInvoices(acct, subscriptionId),
    ]);
    const item = sub.items.data[0];
    const price = item?.price;
    const cycles: SubscriptionCycle[] = [];
    for (const invoice of invoices) cycles.push(await this.cycle(connection, invoice));
    const productName = typeof price?.product === 'object' && price.product && 'name' in price.product ? String(price.product.name) : null;
    return {
      subscription: {
        id: sub.id,
        status: String(sub.status),
        plan: productName ?? price?.nickname ?? price?.id ?? '—',
        amount: money((price?.unit_amount ?? 0) * (item?.quantity ?? 1), sub.currency),
        amountIncludesVat: price?.tax_behavior === 'inclusive',
        currency: sub.currency.toUpperCase(),
        interval: String(price?.recurring?.interval ?? ''),
        intervalCount: price?.recurring?.interval_count ?? 1,
        customerId: typeof sub.customer === 'string' ? sub.customer : (sub.customer?.id ?? null),
      },
      cycles,
    };
  }

  private async cycle(connection: Connection, invoice: StripeInvoiceData): Promise<SubscriptionCycle> {
    const link = await this.documents.find(connection.id, 'invoice', invoice.id);
    // The service period is on the lines (an invoice's period_* is the previous period for subscriptions).
    const periods = invoice.lines.data.map((l) => l.period).filter(Boolean) as { start: number; end: number }[];
    const start = periods.length ? Math.min(...periods.map((p) => p.start)) : invoice.period_start;
    const end = periods.length ? Math.max(...periods.map((p) => p.end)) : invoice.period_end;
    // The same calendar days the e-invoice's line period carries (last day included).
    const days = linePeriod({ start, end });
    const refusal = invoiceRefusal(String(invoice.status));
    return {
      invoiceId: invoice.id,
      number: invoice.number ?? null,
      periodStart: days?.startDate ?? iso(start).slice(0, 10),
      periodEnd: days?.endDate ?? iso(end).slice(0, 10),
      amount: money(invoice.total, invoice.currency),
      net: money(invoice.total_excluding_tax ?? invoice.total, invoice.currency),
      currency: invoice.currency.toUpperCase(),
      stripeStatus: String(invoice.status),
      document: link ? summarize(link) : null,
      canCreate: !link && !refusal,
      cannotCreateReason: link ? null : refusal,
    };
  }
}

function describeKeys(input: { taxIds?: { type: string; value: string | null }[] | null; email?: string | null; name?: string | null }): string {
  const keys: string[] = [];
  if (input.taxIds?.length) keys.push(`tax ID (${input.taxIds.map((t) => t.value).join(', ')})`);
  if (input.email) keys.push(`email (${input.email})`);
  if (input.name) keys.push(`name (${input.name})`);
  return keys.length ? keys.join(', or ') : 'details (the customer has no tax ID, email or name)';
}
