// Typed calls to the Storno REST API for what the product uses. Authentication (API key, or an OAuth2 access token
// from a TokenKeeper, renewed once after a 401), company scope, and which calls may be repeated live here;
// transport, timeouts, retries and the circuit breaker live in http.ts.
import Big from 'big.js';
import type { z } from 'zod';
import { StornoAuthError, StornoTransientError, StornoValidationError } from './errors.js';
import { StornoHttp, type RequestSpec, type RetryMode, type StornoFile } from './http.js';
import * as s from './schemas.js';
import type {
  ClientDetail,
  ClientRow,
  Company,
  CompanyDetail,
  CreateClientInput,
  CreateClientResult,
  CreateInvoiceInput,
  CreatePaymentInput,
  CreateWebhookInput,
  Invoice,
  InvoiceWithValidation,
  IssueResult,
  Me,
  Page,
  Payment,
  StornoClientOptions,
  SubmitResult,
  UpdateInvoiceInput,
  VatRate,
  Webhook,
} from './types.js';

/** The server clamps `limit` to 20; paging helpers always ask for the maximum. */
export const STORNO_MAX_PAGE_SIZE = 20;
const MAX_PAGES = 10_000;
const enc = encodeURIComponent;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A number Storno assigned on issue; a draft carries a `DRAFT-…` placeholder instead (storno-api.md §3.5). */
export const isIssuedNumber = (number: string | null | undefined): number is string => !!number && !number.startsWith('DRAFT');

type Result<S> = S extends z.ZodType ? z.output<S> : undefined;

export class StornoClient {
  readonly companyId: string | undefined;
  private readonly http: StornoHttp;

  constructor(private readonly options: StornoClientOptions) {
    this.companyId = options.companyId;
    this.http = new StornoHttp(options);
  }

  // ---- identity & companies ----------------------------------------------------------------------------------------

  me(): Promise<Me> {
    return this.get('/api/v1/me', s.meSchema, 'me');
  }

  listCompanies(): Promise<Company[]> {
    return this.get('/api/v1/companies', s.companyListSchema, 'companies').then((r) => r.data);
  }

  getCompany(companyId: string): Promise<CompanyDetail> {
    return this.get(`/api/v1/companies/${enc(companyId)}`, s.companyDetailSchema, 'company');
  }

  // ---- clients -----------------------------------------------------------------------------------------------------

  /** Every page of clients matching `search` (Storno clamps a page to 20 rows). */
  listAllClients(search?: string): Promise<ClientRow[]> {
    return collect(pages((page) => this.get('/api/v1/clients', s.clientPageSchema, 'clients', { search, page, limit: STORNO_MAX_PAGE_SIZE })));
  }

  getClient(clientId: string): Promise<ClientDetail> {
    return this.get(`/api/v1/clients/${enc(clientId)}`, s.clientDetailSchema);
  }

  /**
   * Retried safely when a `cui` is given: Storno answers an existing client with the same raw cui string
   * (`existing: true`) instead of creating a second one. Without a cui it is not repeated after an ambiguous failure.
   */
  createClient(input: CreateClientInput): Promise<CreateClientResult> {
    const deduplicated = !!input.cui && input.cui.trim() !== '' && input.cui.trim() !== '-';
    return this.send('POST', '/api/v1/clients', input, s.createClientResultSchema, deduplicated ? 'safe' : 'unsafe');
  }

  // ---- invoices ----------------------------------------------------------------------------------------------------

  /**
   * Creates a draft. With `idempotencyKey` it is retried (a replay returns the same invoice); without one it is
   * repeated only when Storno certainly did not act (429, refused connection).
   */
  createInvoice(input: CreateInvoiceInput): Promise<InvoiceWithValidation> {
    return this.send('POST', '/api/v1/invoices', input, s.invoiceWithValidationSchema, input.idempotencyKey ? 'safe' : 'unsafe');
  }

  getInvoice(invoiceId: string): Promise<Invoice> {
    return this.get(`/api/v1/invoices/${enc(invoiceId)}`, s.invoiceSchema, 'invoice');
  }

  /** PUT is partial with absolute values (lines given ⇒ all replaced): repeating lands in the same state. */
  updateInvoice(invoiceId: string, patch: UpdateInvoiceInput): Promise<InvoiceWithValidation> {
    return this.send('PUT', `/api/v1/invoices/${enc(invoiceId)}`, patch, s.invoiceWithValidationSchema, 'safe');
  }

  /**
   * Issues a draft (assigns the series number). A blind repeat is not safe, so after an ambiguous failure
   * (dropped connection, timeout, 5xx) we re-read the invoice: no longer a draft ⇒ our issue went through and the
   * answer is rebuilt from the invoice (`reconciled: true`); still a draft ⇒ issue again (Storno numbers under a row
   * lock, so if the lost request was still running the repeat gets a 422, and the next re-read reconciles).
   */
  issueInvoice(invoiceId: string): Promise<IssueResult> {
    return this.reconciled(
      invoiceId,
      () => this.send('POST', `/api/v1/invoices/${enc(invoiceId)}/issue`, undefined, s.issueResultSchema, 'unsafe'),
      (inv) =>
        inv.status !== 'draft' && inv.status !== 'cancelled' && isIssuedNumber(inv.number)
          ? { status: inv.status, number: inv.number, scheduledSendAt: inv.scheduledSendAt ?? null, reconciled: true }
          : undefined,
      true,
    );
  }

  /**
   * Sends an issued invoice to ANAF (async upload). Never re-posted blindly — a second upload is worse than a late
   * one: after an ambiguous failure the invoice is re-read; `sent_to_provider`/`validated` ⇒ success (`reconciled`),
   * otherwise the original transient error is thrown and the caller retries later. Storno sends only documents of a
   * Romanian (or no) client: it offers no optional upload (ANAF's `extern=DA`) for a buyer outside Romania.
   */
  submitInvoice(invoiceId: string): Promise<SubmitResult> {
    return this.reconciled(
      invoiceId,
      () => this.send('POST', `/api/v1/invoices/${enc(invoiceId)}/submit`, undefined, s.submitResultSchema, 'unsafe'),
      (inv) =>
        inv.status === 'sent_to_provider' ||
        inv.status === 'validated' ||
        (inv.status === 'refund' && ['uploaded', 'ok', 'validated'].includes(inv.anafStatus ?? ''))
          ? { status: inv.status, message: 'Submission confirmed by re-reading the invoice.', reconciled: true }
          : undefined,
      false,
    );
  }

  /** Cancels a draft or a never-uploaded issued invoice. Reaching `cancelled` is the goal, so it is reconciled and repeated. */
  cancelInvoice(invoiceId: string, reason?: string): Promise<Invoice> {
    return this.reconciled(
      invoiceId,
      () =>
        this.send('POST', `/api/v1/invoices/${enc(invoiceId)}/cancel`, reason === undefined ? {} : { reason }, s.invoiceSchema, 'unsafe', 'invoice'),
      (inv) => (inv.status === 'cancelled' ? inv : undefined),
      true,
    );
  }

  /** The invoice's PDF (as Storno renders it) or its UBL 2.1 XML. */
  async invoiceFile(invoiceId: string, format: 'pdf' | 'xml'): Promise<StornoFile> {
    const file = await this.call({ method: 'GET', path: `/api/v1/invoices/${enc(invoiceId)}/${format}`, retry: 'safe', file: true });
    return file as unknown as StornoFile;
  }

  // ---- reference data ----------------------------------------------------------------------------------------------

  /** Inactive rates included; the standard one is `categoryCode "S"` + `isDefault`. */
  listVatRates(): Promise<VatRate[]> {
    return this.get('/api/v1/vat-rates', s.listOf(s.vatRateSchema), 'vatRates');
  }

  // ---- payments ----------------------------------------------------------------------------------------------------

  /**
   * Records a payment. Storno has no idempotency for payments, so it is never re-posted after an ambiguous failure.
   * If `reference` was given, the invoice's payments are read back and a payment with that reference and amount
   * counts as ours; otherwise the transient error is thrown.
   */
  async createPayment(invoiceId: string, input: CreatePaymentInput): Promise<Payment> {
    try {
      return await this.send('POST', `/api/v1/invoices/${enc(invoiceId)}/payments`, input, s.paymentSchema, 'unsafe', 'payment');
    } catch (e) {
      if (!(e instanceof StornoTransientError && e.maybeProcessed) || !input.reference) throw e;
      const existing = await this.listPayments(invoiceId).catch(() => {
        throw e;
      });
      const mine = existing.find((p) => p.reference === input.reference && sameDecimal(p.amount, input.amount));
      if (mine) return mine;
      throw e;
    }
  }

  listPayments(invoiceId: string): Promise<Payment[]> {
    return this.get(`/api/v1/invoices/${enc(invoiceId)}/payments`, s.listOf(s.paymentSchema), 'payments');
  }

  // ---- webhooks ----------------------------------------------------------------------------------------------------

  listWebhooks(): Promise<Webhook[]> {
    return this.get('/api/v1/webhooks', s.listOf(s.webhookSchema), 'webhooks');
  }

  /** The answer is the only time the full signing `secret` is shown. Not repeated after an ambiguous failure. */
  createWebhook(input: CreateWebhookInput): Promise<Webhook> {
    return this.send('POST', '/api/v1/webhooks', input, s.itemOf(s.webhookSchema), 'unsafe', 'webhook');
  }

  /** Idempotent: a 404 on a repeated attempt means the first one deleted it. */
  async deleteWebhook(webhookId: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `/api/v1/webhooks/${enc(webhookId)}`, retry: 'safe', notFoundOnRepeatIsSuccess: true });
  }

  // ---- plumbing ----------------------------------------------------------------------------------------------------

  private get<S extends z.ZodType>(path: string, schema: S, label?: string, query?: RequestSpec<S>['query']) {
    return this.call({ method: 'GET', path, query, schema, label, retry: 'safe' });
  }

  private send<S extends z.ZodType>(
    method: 'POST' | 'PUT' | 'PATCH',
    path: string,
    body: unknown,
    schema: S,
    retry: RetryMode,
    label?: string,
  ) {
    return this.call({ method, path, body, schema, label, retry });
  }

  private async call<S extends z.ZodType | undefined>(spec: RequestSpec<S>): Promise<Result<S>> {
    const headers: Record<string, string> = {};
    if (this.companyId) headers['X-Company'] = this.companyId;
    if (this.options.organizationId) headers['X-Organization'] = this.options.organizationId;
    const creds = this.options.credentials;
    // API keys go bare: any Authorization not starting with "Bearer " is treated as a key.
    if (creds.type === 'apiKey') return this.http.request({ ...spec, headers: { ...headers, Authorization: creds.key } });
    const token = await creds.tokens.accessToken();
    try {
      return await this.http.request({ ...spec, headers: { ...headers, Authorization: `Bearer ${token}` } });
    } catch (e) {
      // A 401 is refused before any work is done, so repeating once with a fresh token is safe for every call.
      if (!(e instanceof StornoAuthError) || e.status !== 401) throw e;
      const fresh = await creds.tokens.renew(token);
      if (fresh === token) throw e;
      return this.http.request({ ...spec, headers: { ...headers, Authorization: `Bearer ${fresh}` } });
    }
  }

  /**
   * Runs a state transition; after an ambiguous failure (or a 422 on a repeat, i.e. a lost race with our own earlier
   * attempt) re-reads the invoice and lets `settle` decide whether the transition already happened.
   */
  private async reconciled<T>(
    invoiceId: string,
    act: () => Promise<T>,
    settle: (invoice: Invoice) => T | undefined,
    mayRepeat: boolean,
  ): Promise<T> {
    const max = this.http.retryOptions.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      try {
        return await act();
      } catch (e) {
        const ambiguous = e instanceof StornoTransientError && e.maybeProcessed && e.code !== 'circuit_open';
        const lostRace = attempt > 1 && e instanceof StornoValidationError;
        if (!ambiguous && !lostRace) throw e;
        let invoice: Invoice;
        try {
          invoice = await this.getInvoice(invoiceId);
        } catch {
          throw e; // the caller learns about the transition that failed, not the read
        }
        const done = settle(invoice);
        if (done !== undefined) return done;
        if (!mayRepeat || lostRace || attempt >= max) throw e;
        await sleep(this.http.backoffMs(attempt, e));
      }
    }
  }
}

async function* pages<T>(fetchPage: (page: number) => Promise<Page<T>>): AsyncGenerator<T> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await fetchPage(page);
    yield* res.data;
    // The server's `limit` is the clamped one actually used.
    if (res.data.length === 0 || page * res.limit >= res.total) return;
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function sameDecimal(a: string, b: string): boolean {
  try {
    return new Big(a).eq(new Big(b));
  } catch {
    return a === b;
  }
}
