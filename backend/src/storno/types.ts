// Types of the Storno client: request bodies use the server's own field names (shared/storno-api.md §2–§6),
// response types are inferred from the zod schemas so they cannot drift from what is validated.
import type { z } from 'zod';
import type * as s from './schemas.js';
import type { AccessTokenSource } from './tokenKeeper.js';

/** A decimal as Storno wants it: a string in the field's scale ("1815.00", "2.0000", "21.00"). Never a JS number. */
export type DecimalString = string;
/** Calendar day YYYY-MM-DD. */
export type IsoDate = string;

// ---- credentials ---------------------------------------------------------------------------------------------------

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  scope?: string;
}

/** A Bearer token from a keeper (tokenKeeper.ts), which also renews it after a 401. */
export interface OAuthCredentials {
  type: 'oauth';
  tokens: AccessTokenSource;
}

export interface ApiKeyCredentials {
  type: 'apiKey';
  /** `af_<64 hex>`, sent as `Authorization: af_…` (no Bearer). */
  key: string;
}

export type StornoCredentials = OAuthCredentials | ApiKeyCredentials;

// ---- resilience ----------------------------------------------------------------------------------------------------

export interface RetryOptions {
  /** Total attempts including the first (default 4). */
  maxAttempts: number;
  /** First backoff ceiling; doubles each attempt, full jitter (default 200 ms). */
  initialDelayMs: number;
  /** Backoff ceiling (default 5 s). */
  maxDelayMs: number;
  /** A 429 whose Retry-After is longer than this is not waited for; the error carries `retryAfterMs` (default 30 s). */
  maxRetryAfterMs: number;
}

export interface CircuitBreakerOptions {
  /** Consecutive transient failures (5xx, network, timeout — not 429) that open the circuit (default 5). */
  consecutiveFailures: number;
  /** How long it stays open before letting one trial call through (default 30 s). */
  halfOpenAfterMs: number;
}

export interface HttpSettings {
  baseUrl: string;
  /** Per attempt, including reading the body (default 10 s). */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  circuitBreaker?: Partial<CircuitBreakerOptions>;
  /** Injected fetch (tests); defaults to the global undici fetch. */
  fetch?: typeof fetch;
  userAgent?: string;
}

export interface StornoClientOptions extends HttpSettings {
  credentials: StornoCredentials;
  /** Sent as `X-Company` on every call. */
  companyId?: string;
  /** Sent as `X-Organization` (API keys of users in several organizations). */
  organizationId?: string;
}

// ---- inputs --------------------------------------------------------------------------------------------------------

export interface CreateClientInput {
  name: string;
  type?: 'company' | 'individual';
  /** Send digits for RO companies: an existing client with the same raw string is returned (`existing: true`). */
  cui?: string;
  cnp?: string;
  vatCode?: string;
  registrationNumber?: string;
  isVatPayer?: boolean;
  address?: string;
  city?: string;
  county?: string;
  /** ISO-2; default RO. */
  country?: string;
  postalCode?: string;
  email?: string;
  phone?: string;
  bankName?: string;
  bankAccount?: string;
  contactPerson?: string;
  notes?: string;
  idNumber?: string;
  defaultPaymentTermDays?: number;
  currency?: string;
}


export type DocumentType = 'invoice' | 'credit_note' | 'proforma';

/** Words, never UBL numbers ("380" → 400 Invalid invoiceTypeCode). */
export type InvoiceTypeCode =
  | 'standard'
  | 'reverse_charge'
  | 'exempt_with_deduction'
  | 'services_art_311'
  | 'sales_art_312'
  | 'non_taxable'
  | 'special_regime_art_314_315'
  | 'non_transfer'
  | 'simplified'
  | 'services_art_278'
  | 'exempt_art_294_ab'
  | 'exempt_art_294_cd'
  | 'self_billing';

export type VatCategoryCode = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O' | 'L' | 'M';

export type DocumentStatus =
  | 'draft'
  | 'synced'
  | 'issued'
  | 'sent_to_provider'
  | 'validated'
  | 'rejected'
  | 'cancelled'
  | 'paid'
  | 'partially_paid'
  | 'overdue'
  | 'converted'
  | 'refund'
  | 'refunded';

export interface InvoiceLineInput {
  description: string;
  /** 4 dp, ≠ 0, negative for a storno line. */
  quantity: DecimalString;
  /** 2 dp, ≥ 0. */
  unitPrice: DecimalString;
  /** Must equal one of the company's active rates exactly, e.g. "21.00" (default "21.00"). */
  vatRate?: DecimalString;
  vatCategoryCode?: VatCategoryCode;
  /** buc (default), kg, l, m, ora, zi, luna, set, pachet… */
  unitOfMeasure?: string;
  /** An amount, not a percent. */
  discount?: DecimalString;
  discountPercent?: DecimalString;
  vatIncluded?: boolean;
  productId?: string;
  productCode?: string;
  lineNote?: string;
  buyerAccountingRef?: string;
  buyerItemIdentification?: string;
  standardItemIdentification?: string;
  cpvCode?: string;
  ublExtensions?: Record<string, unknown>;
}

export interface CreateInvoiceInput {
  lines: InvoiceLineInput[];
  clientId?: string;
  receiverName?: string;
  receiverCif?: string;
  /** Absent ⇒ default active series of the documentType (a credit_note needs an active credit_note series). */
  documentSeriesId?: string;
  documentType?: DocumentType;
  /** The original invoice of a refund: on issue the refund becomes `refund` and the parent `refunded`. */
  parentDocumentId?: string;
  issueDate?: IsoDate;
  dueDate?: IsoDate;
  currency?: string;
  /** RON per unit, 4 dp. */
  exchangeRate?: DecimalString;
  invoiceTypeCode?: InvoiceTypeCode;
  paymentMethod?: string;
  language?: 'ro' | 'en' | 'de' | 'fr';
  notes?: string;
  paymentTerms?: string;
  deliveryLocation?: string;
  projectReference?: string;
  orderNumber?: string;
  contractNumber?: string;
  issuerName?: string;
  issuerId?: string;
  mentions?: string;
  internalNote?: string;
  salesAgent?: string;
  tvaLaIncasare?: boolean;
  platitorTva?: boolean;
  plataOnline?: boolean;
  autoApplyVatRules?: boolean;
  vatIncluded?: boolean;
  /**
   * Body field (≤255), globally unique across Storno — namespace it (`stripe-app:<companyId>:<stripeObjectId>`).
   * With a key the create is retried safely: a replay returns the same invoice.
   */
  idempotencyKey?: string;
  scheduledEmailAt?: string;
  collect?: { value?: DecimalString; type?: string; issueDate?: IsoDate; documentNumber?: string; mentions?: string };
  ublExtensions?: Record<string, unknown>;
  buyerReference?: string;
  // `total` is deliberately absent: the server uses it for fuzzy de-duplication (§6.4).
}


/** PUT is partial: absent keys stay; `lines` given ⇒ all lines replaced. */
export type UpdateInvoiceInput = Partial<Omit<CreateInvoiceInput, 'idempotencyKey' | 'collect'>>;

export interface CreatePaymentInput {
  /** > 0 and ≤ balance. */
  amount: DecimalString;
  paymentMethod: string;
  paymentDate?: IsoDate;
  currency?: string;
  /** Also used to recognise the payment after an ambiguous failure (see StornoClient.createPayment). */
  reference?: string;
  notes?: string;
}

export interface CreateWebhookInput {
  /** https only. */
  url: string;
  events: string[];
  description?: string;
  isActive?: boolean;
}

// ---- outputs -------------------------------------------------------------------------------------------------------

export interface Page<T> {
  data: T[];
  total: number;
  page: number;
  limit: number;
  [extra: string]: unknown;
}

export type TokenResponse = z.infer<typeof s.tokenResponseSchema>;
export type Me = z.infer<typeof s.meSchema>;
export type Company = z.infer<typeof s.companySchema>;
export type CompanyDetail = z.infer<typeof s.companyDetailSchema>;
export type ClientRow = z.infer<typeof s.clientRowSchema>;
export type Client = z.infer<typeof s.clientSchema>;
export type ClientDetail = z.infer<typeof s.clientDetailSchema>;
export type CreateClientResult = z.infer<typeof s.createClientResultSchema>;
export type Invoice = z.infer<typeof s.invoiceSchema>;
export type InvoiceLine = z.infer<typeof s.invoiceLineSchema>;
export type ValidationResult = z.infer<typeof s.validationResultSchema>;
export type InvoiceWithValidation = z.infer<typeof s.invoiceWithValidationSchema>;
export type IssueResult = z.infer<typeof s.issueResultSchema> & {
  /** True when the answer was lost and reconstructed from a re-read of the invoice. */
  reconciled?: boolean;
};
export type SubmitResult = z.infer<typeof s.submitResultSchema> & { reconciled?: boolean };
export type VatRate = z.infer<typeof s.vatRateSchema>;
export type Payment = z.infer<typeof s.paymentSchema>;
export type Webhook = z.infer<typeof s.webhookSchema>;
