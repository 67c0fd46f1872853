// Reads the current Stripe objects the invoicing engine needs, for one installed account at a time.
// The engine never trusts amounts from elsewhere (extension, webhook payload), so every document starts
// here. Lists are always read to the end: invoices have >10 lines, subscriptions 14+ cycles.
import type Stripe from 'stripe';
import { onAccount } from './client.js';
import { StripeObjectNotFound, mapStripeError } from './errors.js';
import type {
  CheckoutLineItems,
  CompleteList,
  Plain,
  RefundOrigin,
  ResolvedPayment,
  StripeChargeData,
  StripeCheckoutLineItem,
  StripeCheckoutSessionData,
  StripeCustomerData,
  StripeInvoiceData,
  StripeInvoicePayment,
  StripeLine,
  StripePaymentIntentData,
  StripeRefundData,
  StripeSubscriptionData,
  StripeTaxId,
} from './types.js';

/** A page of a period list: plain objects (decimals as strings), with the one expansion each list needs. */
export interface PeriodPage {
  data: Array<Record<string, unknown> & { id: string; created: number }>;
  hasMore: boolean;
}

export interface StripeReaderOptions {
  /** Page size for list calls (Stripe max 100); tests lower it to exercise pagination. */
  pageSize?: number;
}

function isDecimal(value: unknown): value is Stripe.Decimal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Stripe.Decimal).toFixed === 'function' &&
    typeof (value as Stripe.Decimal).isZero === 'function'
  );
}

/** Deep copy turning Stripe.Decimal into strings and dropping the SDK's `lastResponse`. */
export function toPlain<T>(value: T): Plain<T> {
  const walk = (v: unknown): unknown => {
    if (isDecimal(v)) return v.toString();
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) if (k !== 'lastResponse') out[k] = walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as Plain<T>;
}

function complete<T>(data: T[], url: string): CompleteList<T> {
  return { object: 'list', data, has_more: false, url };
}

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === 'string' ? value : value.id;

export class StripeReader {
  private readonly pageSize: number;
  /** Tax rate percentages are immutable in Stripe, so they are cached per account for the process. */
  private readonly ratePercent = new Map<string, string>();

  constructor(
    private readonly stripe: Stripe,
    options: StripeReaderOptions = {},
  ) {
    this.pageSize = Math.min(100, Math.max(1, options.pageSize ?? 100));
  }

  /** Runs one read and turns SDK errors into StripeObjectNotFound / transient / permanent errors. */
  private async read<T>(accountId: string, objectType: string, objectId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw mapStripeError(err, { accountId, objectType, objectId });
    }
  }

  private async all<T>(list: Stripe.ApiListPromise<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of list) out.push(item);
    return out;
  }

  // -------------------------------------------------------------------------------------------- customers

  async getCustomer(accountId: string, id: string): Promise<StripeCustomerData> {
    return this.read(accountId, 'customer', id, async () => {
      const customer = await this.stripe.customers.retrieve(id, { expand: ['tax_ids'] }, onAccount(accountId));
      if ((customer as Stripe.DeletedCustomer).deleted) {
        throw new StripeObjectNotFound('customer', id, accountId, { detail: 'deleted' });
      }
      const c = customer as Stripe.Customer;
      let taxIds = c.tax_ids?.data ?? [];
      if (c.tax_ids?.has_more) {
        taxIds = await this.all(this.stripe.customers.listTaxIds(id, { limit: this.pageSize }, onAccount(accountId)));
      }
      return { ...toPlain(c), tax_ids: complete(toPlain(taxIds) as StripeTaxId[], `/v1/customers/${id}/tax_ids`) };
    });
  }

  // -------------------------------------------------------------------------------------------- invoices

  async getInvoice(accountId: string, id: string): Promise<StripeInvoiceData> {
    return this.read(accountId, 'invoice', id, async () => {
      const invoice = await this.stripe.invoices.retrieve(id, { expand: ['payments'] }, onAccount(accountId));
      return this.completeInvoice(accountId, invoice);
    });
  }

  /** Every invoice of a subscription (every page), oldest first — one per billing cycle plus prorations. */
  async listSubscriptionInvoices(accountId: string, subscriptionId: string): Promise<StripeInvoiceData[]> {
    return this.read(accountId, 'subscription', subscriptionId, async () => {
      const invoices = await this.all(
        this.stripe.invoices.list(
          { subscription: subscriptionId, limit: this.pageSize, expand: ['data.payments'] },
          onAccount(accountId),
        ),
      );
      const out: StripeInvoiceData[] = [];
      for (const invoice of invoices) out.push(await this.completeInvoice(accountId, invoice));
      return out.sort((a, b) => a.created - b.created || a.period_end - b.period_end);
    });
  }

  /** Fetches what the invoice did not carry inline: lines past the first 10, payments past 10, tax rates. */
  private async completeInvoice(accountId: string, invoice: Stripe.Invoice): Promise<StripeInvoiceData> {
    const id = invoice.id;
    let lines: Stripe.InvoiceLineItem[] = invoice.lines.data;
    if (invoice.lines.has_more) {
      lines = await this.all(this.stripe.invoices.listLineItems(id, { limit: this.pageSize }, onAccount(accountId)));
    }
    let payments: Stripe.InvoicePayment[] = invoice.payments?.data ?? [];
    if (!invoice.payments || invoice.payments.has_more) {
      payments = await this.all(this.stripe.invoicePayments.list({ invoice: id, limit: this.pageSize }, onAccount(accountId)));
    }
    const plainLines = toPlain(lines) as StripeLine[];
    const rateIds = new Set<string>();
    for (const tax of [...(invoice.total_taxes ?? []), ...plainLines.flatMap((l) => l.taxes ?? [])]) {
      if (tax.tax_rate_details?.tax_rate) rateIds.add(tax.tax_rate_details.tax_rate);
    }
    const { lines: _lines, payments: _payments, ...rest } = toPlain(invoice);
    return {
      ...rest,
      lines: complete(plainLines, `/v1/invoices/${id}/lines`),
      payments: complete(toPlain(payments) as StripeInvoicePayment[], `/v1/invoice_payments?invoice=${id}`),
      tax_rate_percentages: await this.getTaxRatePercentages(accountId, [...rateIds]),
    };
  }

  /** Percentage (decimal string) of each tax rate id. */
  async getTaxRatePercentages(accountId: string, ids: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const id of ids) {
      const key = `${accountId}/${id}`;
      let percent = this.ratePercent.get(key);
      if (percent === undefined) {
        const rate = await this.read(accountId, 'tax_rate', id, () =>
          this.stripe.taxRates.retrieve(id, {}, onAccount(accountId)),
        );
        percent = String(rate.percentage);
        this.ratePercent.set(key, percent);
      }
      out[id] = percent;
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------- subscriptions

  async getSubscription(accountId: string, id: string): Promise<StripeSubscriptionData> {
    return this.read(accountId, 'subscription', id, async () =>
      toPlain(await this.stripe.subscriptions.retrieve(id, { expand: ['items.data.price.product'] }, onAccount(accountId))),
    );
  }

  // -------------------------------------------------------------------------------------------- payments

  async getPaymentIntent(accountId: string, id: string): Promise<StripePaymentIntentData> {
    return this.read(accountId, 'payment_intent', id, async () =>
      toPlain(await this.stripe.paymentIntents.retrieve(id, {}, onAccount(accountId))),
    );
  }

  async getCharge(accountId: string, id: string): Promise<StripeChargeData> {
    return this.read(accountId, 'charge', id, async () =>
      toPlain(await this.stripe.charges.retrieve(id, {}, onAccount(accountId))),
    );
  }

  /** The invoice a PaymentIntent paid, via invoice payments (PaymentIntent.invoice is gone since basil). */
  async findInvoiceIdForPaymentIntent(accountId: string, paymentIntentId: string): Promise<string | null> {
    return this.read(accountId, 'payment_intent', paymentIntentId, async () => {
      const page = await this.stripe.invoicePayments.list(
        { payment: { type: 'payment_intent', payment_intent: paymentIntentId }, limit: 10 },
        onAccount(accountId),
      );
      // Several rows only happen for retried/canceled attempts; the paid one names the invoice.
      const paid = page.data.find((p) => p.status === 'paid') ?? page.data[0];
      return paid ? idOf(paid.invoice) : null;
    });
  }

  /**
   * The invoice that covers a PaymentIntent: the one it paid, else its Checkout Session's (made, or still to be made
   * when the session has `invoice_creation.enabled` — Stripe creates it after the payment succeeds).
   */
  private async coveringInvoice(accountId: string, paymentIntentId: string): Promise<Pick<ResolvedPayment, 'invoiceId' | 'invoicePending'>> {
    const paid = await this.findInvoiceIdForPaymentIntent(accountId, paymentIntentId);
    if (paid) return { invoiceId: paid };
    const session = await this.read(accountId, 'payment_intent', paymentIntentId, async () =>
      (await this.stripe.checkout.sessions.list({ payment_intent: paymentIntentId, limit: 1 }, onAccount(accountId))).data[0],
    );
    const fromSession = idOf(session?.invoice ?? null);
    if (fromSession) return { invoiceId: fromSession };
    return session?.invoice_creation?.enabled ? { invoicePending: true } : {};
  }

  /** The Dashboard's payment page gives a `pi_…` or a `ch_…`/`py_…`: resolve both to the same picture. */
  async resolvePayment(accountId: string, id: string): Promise<ResolvedPayment> {
    if (id.startsWith('pi_')) {
      const paymentIntent = await this.getPaymentIntent(accountId, id);
      const chargeId = idOf(paymentIntent.latest_charge);
      const charge = chargeId ? await this.getCharge(accountId, chargeId) : undefined;
      return { paymentIntent, ...(charge ? { charge } : {}), ...(await this.coveringInvoice(accountId, id)) };
    }
    if (id.startsWith('ch_') || id.startsWith('py_')) {
      const charge = await this.getCharge(accountId, id);
      const piId = idOf(charge.payment_intent);
      if (!piId) return { charge };
      const paymentIntent = await this.getPaymentIntent(accountId, piId);
      return { paymentIntent, charge, ...(await this.coveringInvoice(accountId, piId)) };
    }
    throw new StripeObjectNotFound('payment', id, accountId, { detail: 'not a PaymentIntent (pi_) or Charge (ch_/py_) id' });
  }

  // -------------------------------------------------------------------------------------------- refunds

  async getRefund(accountId: string, id: string): Promise<StripeRefundData> {
    return this.read(accountId, 'refund', id, async () =>
      toPlain(await this.stripe.refunds.retrieve(id, {}, onAccount(accountId))),
    );
  }

  /** Every refund of a payment, given its PaymentIntent (`pi_…`) or Charge (`ch_…`/`py_…`), newest first. */
  async listRefunds(accountId: string, paymentIntentOrCharge: string): Promise<StripeRefundData[]> {
    const byIntent = paymentIntentOrCharge.startsWith('pi_');
    return this.read(accountId, byIntent ? 'payment_intent' : 'charge', paymentIntentOrCharge, async () => {
      const params: Stripe.RefundListParams = byIntent
        ? { payment_intent: paymentIntentOrCharge, limit: this.pageSize }
        : { charge: paymentIntentOrCharge, limit: this.pageSize };
      return toPlain(await this.all(this.stripe.refunds.list(params, onAccount(accountId))));
    });
  }

  /** refund → charge / PaymentIntent → invoice (through invoice payments); invoiceId null for bare payments. */
  async findInvoiceForRefund(accountId: string, refundId: string): Promise<RefundOrigin> {
    const refund = await this.getRefund(accountId, refundId);
    const chargeId = idOf(refund.charge);
    const charge = chargeId ? await this.getCharge(accountId, chargeId) : null;
    const paymentIntentId = idOf(refund.payment_intent) ?? idOf(charge?.payment_intent ?? null);
    const invoiceId = paymentIntentId ? await this.findInvoiceIdForPaymentIntent(accountId, paymentIntentId) : null;
    return { refund, charge, paymentIntentId, invoiceId };
  }

  // -------------------------------------------------------------------------------------------- periods

  /**
   * One page of a time-bounded list, newest first, for a caller that keeps Stripe's cursor between pages (the
   * period reconciliation): never more than one page in memory, and a restart continues from `startingAfter`.
   */
  async periodPage(
    accountId: string,
    list: 'invoices' | 'invoice_payments' | 'payment_intents' | 'refunds',
    params: { createdGte: number; createdLte: number; startingAfter?: string | null; limit?: number },
  ): Promise<PeriodPage> {
    const common = {
      created: { gte: params.createdGte, lte: params.createdLte },
      limit: Math.min(100, Math.max(1, params.limit ?? this.pageSize)),
      ...(params.startingAfter ? { starting_after: params.startingAfter } : {}),
    };
    const account = onAccount(accountId);
    return this.read(accountId, list, params.startingAfter ?? 'first page', async () => {
      const page =
        list === 'invoices'
          ? await this.stripe.invoices.list(common, account)
          : list === 'invoice_payments'
            ? await this.stripe.invoicePayments.list(common, account)
            : list === 'payment_intents'
              ? await this.stripe.paymentIntents.list({ ...common, expand: ['data.latest_charge'] }, account)
              : await this.stripe.refunds.list({ ...common, expand: ['data.charge'] }, account);
      return { data: toPlain(page.data as unknown[]) as PeriodPage['data'], hasMore: page.has_more };
    });
  }

  // -------------------------------------------------------------------------------------------- checkout

  /** The Checkout Session that created a PaymentIntent and all its line items (taxes expanded), or null. */
  async getCheckoutLineItems(accountId: string, paymentIntentId: string): Promise<CheckoutLineItems | null> {
    return this.read(accountId, 'payment_intent', paymentIntentId, async () => {
      const sessions = await this.stripe.checkout.sessions.list(
        { payment_intent: paymentIntentId, limit: 1 },
        onAccount(accountId),
      );
      const session = sessions.data[0];
      if (!session) return null;
      const items = await this.all(
        this.stripe.checkout.sessions.listLineItems(
          session.id,
          { limit: this.pageSize, expand: ['data.taxes'] },
          onAccount(accountId),
        ),
      );
      const { line_items: _items, ...rest } = toPlain(session);
      return {
        session: rest as StripeCheckoutSessionData,
        lineItems: toPlain(items) as StripeCheckoutLineItem[],
      };
    });
  }
}
