// The backend's HTTP contract (design.md §4), once: every route's method, path, params, query, body and each
// response status as zod schemas. The backend validates and serializes with them and generates its OpenAPI
// document from them; the extension imports only the inferred types (`import type`), so zod never reaches
// its bundle. Money is a decimal string in major units ("121.00", "5000" for JPY) next to its ISO currency.
import { z } from 'zod';

// ---- building blocks --------------------------------------------------------------------------------


/** RFC 6749/8628 error body of the OAuth endpoints. */
export const OAuthErrorResponse = z
  .object({
    error: z.enum([
      'authorization_pending',
      'slow_down',
      'access_denied',
      'expired_token',
      'invalid_grant',
      'invalid_request',
      'unsupported_grant_type',
      'invalid_client',
      'rate_limited',
    ]),
    error_description: z.string().optional(),
    message: z.string().optional(),
  })
  .meta({ id: 'OAuthError' });
export type OAuthErrorResponse = z.infer<typeof OAuthErrorResponse>;

const money = z.string().regex(/^-?\d+(\.\d+)?$/).describe('Decimal in major units, e.g. "121.00" (never a float)');
const isoDate = z.string().describe('ISO 8601 date-time');

/** A Stripe id with one of these prefixes; the message names the object so a person knows what to fix. */
const stripeId = (what: string, prefixes: string[]) =>
  z.string().regex(new RegExp(`^(${prefixes.join('|')})_[A-Za-z0-9_]+$`), {
    error: (issue) => `The ${what} id ${JSON.stringify(issue.input)} must be a Stripe id starting with ${prefixes.map((p) => `${p}_`).join(' or ')}.`,
  });
const idParams = (what: string, prefixes: string[]) => z.object({ id: stripeId(what, prefixes) });

// ---- documents ----------------------------------------------------------------------------------------

export const DocumentStatus = z.enum([
  'pending', // accepted, not yet created at Storno (waiting for a worker or a retry)
  'blocked', // a pre-flight check or a total mismatch stops it; `problem` says why
  'draft',
  'issued',
  'sent_to_provider',
  'validated',
  'rejected',
  'cancelled', // the Stripe invoice was voided before its e-invoice was uploaded (issue 12)
]);
export type DocumentStatus = z.infer<typeof DocumentStatus>;

/** `void_reversal`: the credit note reversing an e-invoice whose Stripe invoice was voided after issue (issue 12). */
export const DocumentKind = z.enum(['invoice', 'payment', 'refund', 'standalone_refund', 'void_reversal']);
export type DocumentKind = z.infer<typeof DocumentKind>;

export const PreflightCheck = z.object({
  /** Stable code, e.g. `buyer_cif_invalid`, `buyer_address_missing`, `bucharest_sector_missing`. */
  code: z.string(),
  /** A sentence the merchant can act on (English; the extension words it from `code` + `params`). */
  message: z.string(),
  /** The values the sentence names (CIF, county, line number…), for the extension's translation. */
  params: z.record(z.string(), z.string()).optional(),
});
export type PreflightCheck = z.infer<typeof PreflightCheck>;

/** Every error but the OAuth endpoints': `{ error, message }`, and what some errors add. 401 is `unauthorized` or `reauthorization_required`. */
export const ErrorResponse = z
  .object({
    error: z.string(),
    message: z.string(),
    /** `covered_by_invoice`: the Stripe invoice whose e-invoice covers this payment. */
    invoiceId: z.string().optional(),
    /** `deadline_passed`: the document's date and its upload deadline (YYYY-MM-DD), so the extension words it. */
    issueDate: z.string().optional(),
    deadline: z.string().optional(),
    /** `client_data_invalid`: why Storno would refuse the client. */
    checks: z.array(PreflightCheck).optional(),
  })
  .meta({ id: 'Error' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

export const DocumentProblem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('preflight'), checks: z.array(PreflightCheck) }),
  z.object({
    kind: z.literal('total_mismatch'),
    /** What Stripe charged. */
    expected: money,
    /** What Storno's rounding would produce. */
    actual: money,
    difference: money,
    currency: z.string(),
  }),
  /** Nothing for the merchant to do: the document is made as soon as the outside service answers (BNR's exchange rate). */
  z.object({ kind: z.literal('waiting'), code: z.string(), message: z.string() }),
  /** Storno refused an action for this connection (issue 12): a missing permission (403) or the plan limit (402). */
  z.object({ kind: z.literal('storno_refusal'), reason: z.enum(['permission', 'plan_limit']), message: z.string(), permission: z.string().optional() }),
]);
export type DocumentProblem = z.infer<typeof DocumentProblem>;

// Issue 12: every sale auto mode handles is an obligation with a state a person understands.
export const ObligationState = z.enum([
  'done',
  'in_progress',
  'waiting_parent', // a credit note waits for its parent e-invoice to exist and be accepted
  'waiting_reconnect', // Storno no longer accepts the stored authorization
  'waiting_storno', // Storno is unreachable; retried automatically with backoff
  'waiting_bnr', // BNR's exchange rate cannot be read; retried automatically with backoff, never sent without it
  'blocked', // needs the merchant: `detail` says why, `action` what clears it
  'failed', // refused by Storno or the provider; retry after fixing
]);
export type ObligationState = z.infer<typeof ObligationState>;

export const ObligationAction = z.enum(['retry', 'reconnect', 'fix_in_stripe', 'fix_in_storno', 'ask_storno_admin', 'confirm']);
export type ObligationAction = z.infer<typeof ObligationAction>;

export const ObligationInfo = z.object({
  state: ObligationState,
  action: ObligationAction.nullable(),
  /** A sentence for the merchant (English; the state and action are translated by the extension). */
  detail: z.string().nullable(),
});
export type ObligationInfo = z.infer<typeof ObligationInfo>;

export const DocumentSummary = z
  .object({
    id: z.string(),
    kind: DocumentKind,
    stripeObjectId: z.string(),
    stornoDocumentId: z.string().nullable(),
    number: z.string().nullable(),
    status: DocumentStatus,
    clientName: z.string().nullable(),
    total: money.nullable(),
    currency: z.string().nullable(),
    providerError: z.string().nullable(),
    problem: DocumentProblem.nullable(),
    origin: z.enum(['manual', 'auto']),
    createdAt: isoDate,
    updatedAt: isoDate,
    /** BNR reference rate the document carries (non-RON), RON per unit, and the BNR day it is from. */
    exchangeRate: z.object({ rate: z.string(), publishedOn: z.string().nullable() }).nullable().optional(),
    /** Buyer outside Romania: Storno never sends it to ANAF (upload optional: the merchant may upload its XML in SPV). */
    outsideScope: z.boolean().optional(),
    /** Fiscal assumptions made for this document (e.g. a VAT rate assumed without Stripe tax details). */
    assumptions: z.array(z.string()).optional(),
    /** What the last "Fix and resend" changed. */
    lastFix: z.object({ changes: z.array(z.string()), at: z.string().nullable() }).nullable().optional(),
    /** Issue 12: the issue date and the last legal upload day (5 working days later), YYYY-MM-DD. */
    issueDate: z.string().nullable(),
    deadline: z.string().nullable(),
    /** Storno's isLateSubmission. */
    lateSubmission: z.boolean(),
    obligation: ObligationInfo,
  })
  .meta({ id: 'DocumentSummary' });
export type DocumentSummary = z.infer<typeof DocumentSummary>;

/** POST …/einvoice, …/credit-note, /documents/:id/retry|submit. `issueAnyway` accepts a total mismatch. */
export const CreateDocumentRequest = z
  .strictObject({
    issueAnyway: z.boolean().optional(),
    /** Refunds only: make the standalone negative invoice when no parent document exists. */
    standalone: z.boolean().optional(),
    /** Issue 12: the merchant confirms making a document whose upload deadline has already passed. */
    confirmLate: z.boolean().optional(),
  })
  .meta({ id: 'CreateDocumentRequest' });
export type CreateDocumentRequest = z.infer<typeof CreateDocumentRequest>;

// ---- settings and dashboard ------------------------------------------------------------------------------

export const ConnectionStatus = z.enum(['connected', 'disconnected', 'reauthorization_required']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const SettingsResponse = z
  .object({
    status: ConnectionStatus,
    company: z.object({ id: z.string(), name: z.string(), cif: z.string() }).nullable(),
    authorizedBy: z.object({ email: z.string(), name: z.string() }).nullable(),
    authorizedAt: isoDate.nullable(),
    autoMode: z.boolean(),
    /** VAT rate used for payments without Stripe tax details, e.g. "21.00". */
    defaultVatRate: z.string(),
    /** Issue 12: when auto mode makes a Stripe invoice's e-invoice (default: at finalization, as the law says). */
    invoiceTrigger: z.enum(['finalized', 'paid']),
  })
  .meta({ id: 'Settings' });
export type SettingsResponse = z.infer<typeof SettingsResponse>;

export const SettingsUpdate = z.strictObject({
  autoMode: z.boolean().optional(),
  defaultVatRate: z
    .string()
    .regex(/^\d{1,2}\.\d{2}$/, 'must be a percentage with two decimals, e.g. "21.00"')
    .optional(),
  invoiceTrigger: z.enum(['finalized', 'paid'], { error: 'must be finalized or paid' }).optional(),
});
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;

export const FailedEvent = z.object({ id: z.string(), type: z.string(), stripeObjectId: z.string().nullable(), error: z.string(), at: isoDate });
export type FailedEvent = z.infer<typeof FailedEvent>;

export const DashboardTab = z.enum(['all', 'pending', 'errors'], { error: 'must be one of all, pending, errors' });
export type DashboardTab = z.infer<typeof DashboardTab>;

export const DashboardResponse = z
  .object({
    tab: DashboardTab,
    counts: z.object({
      draft: z.number().int(),
      issued: z.number().int(),
      sent_to_provider: z.number().int(),
      validated: z.number().int(),
      rejected: z.number().int(),
      pending: z.number().int(),
      blocked: z.number().int(),
      total: z.number().int(),
    }),
    documents: z.array(DocumentSummary),
    autoMode: z.boolean(),
    /** Issue 12, "what needs me today?": the four tiles add up to `total`; due soon / overdue count unfinished documents. */
    tiles: z.object({
      validated: z.number().int(),
      inProgress: z.number().int(),
      needsAction: z.number().int(),
      draftOrIssued: z.number().int(),
      total: z.number().int(),
      dueSoon: z.number().int(),
      overdue: z.number().int(),
    }),
    /** Sales with no document yet whose event could not be processed (errors tab): retry with POST /events/:id/retry. */
    failedEvents: z.array(FailedEvent),
    connectionStatus: ConnectionStatus,
  })
  .meta({ id: 'Dashboard' });
export type DashboardResponse = z.infer<typeof DashboardResponse>;

// ---- Stripe objects and their documents -------------------------------------------------------------------

export const MatchMethod = z.enum(['ro_cif', 'eu_vat', 'ro_cnp', 'email', 'name', 'confirmed', 'created']);
export type MatchMethod = z.infer<typeof MatchMethod>;

export const StornoClientDetails = z.object({
  id: z.string(),
  name: z.string(),
  cif: z.string().nullable(),
  /** An individual's CNP (shown to the merchant who owns the data). */
  cnp: z.string().nullable().optional(),
  vatCode: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  city: z.string().nullable(),
  county: z.string().nullable(),
  country: z.string().nullable(),
});
export type StornoClientDetails = z.infer<typeof StornoClientDetails>;

export const InvoiceHistoryItem = z.object({
  id: z.string(),
  number: z.string().nullable(),
  issueDate: z.string().nullable(),
  total: money,
  currency: z.string(),
  status: z.string(),
});
export type InvoiceHistoryItem = z.infer<typeof InvoiceHistoryItem>;

const PassedOverClient = z.object({ clientId: z.string(), name: z.string().nullable(), reason: z.string() });

export const CustomerResponse = z
  .object({
    customer: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
    match: z.object({ client: StornoClientDetails, matchedBy: MatchMethod }).nullable(),
    /** Why nothing matched (shown when `match` is null). */
    noMatchReason: z.string().nullable(),
    /** The same, as data for the extension's wording: the keys that were looked up and the checks that fail. */
    noMatch: z
      .object({ taxIds: z.array(z.string()), email: z.string().nullable(), name: z.string().nullable(), checks: z.array(PreflightCheck) })
      .nullable(),
    /** What "Create client" would send, so the merchant sees it first. */
    proposal: z
      .object({
        type: z.enum(['company', 'individual']),
        name: z.string(),
        cui: z.string().nullable(),
        cnp: z.string().nullable().optional(),
        country: z.string(),
        county: z.string().nullable(),
        city: z.string().nullable(),
        address: z.string().nullable(),
      })
      .nullable(),
    history: z.array(InvoiceHistoryItem),
    /** Why "Create client" is disabled: what Storno would refuse (the same checks as pre-flight); null when it may be created. */
    createBlockedReason: z.string().nullable().optional(),
    /** An e-mail-only hit on a company client: the merchant may confirm it (POST …/client/confirm), it is never used by itself. */
    suggestedClient: PassedOverClient.nullable().optional(),
    /** Clients with the same e-mail or name that were not matched, and why. */
    passedOver: z.array(PassedOverClient).optional(),
  })
  .meta({ id: 'Customer' });
export type CustomerResponse = z.infer<typeof CustomerResponse>;

/** POST /customers/:id/client/confirm */
export const ConfirmClientRequest = z.strictObject({ clientId: z.uuid('must be a Storno client id') }).meta({ id: 'ConfirmClientRequest' });
export type ConfirmClientRequest = z.infer<typeof ConfirmClientRequest>;

export const RefundResponse = z
  .object({
    refund: z.object({ id: z.string(), amount: money, currency: z.string(), status: z.string(), reason: z.string().nullable(), created: isoDate }),
    creditNote: DocumentSummary.nullable(),
    canCreate: z.boolean(),
    /** Why no credit note can be made (no e-invoice exists for the refunded payment). */
    reason: z.string().nullable(),
    /** `reason` as a code: `refund_not_succeeded` or `no_parent_document`. */
    reasonCode: z.string().nullable(),
    /** A standalone negative invoice may be made instead, as an explicit choice. */
    standaloneAllowed: z.boolean(),
  })
  .meta({ id: 'Refund' });
export type RefundResponse = z.infer<typeof RefundResponse>;

/** Why a Stripe invoice cannot be e-invoiced (the engine refuses drafts and voided invoices). */
export const CannotCreateReason = z.enum(['invoice_draft', 'invoice_void']);
export type CannotCreateReason = z.infer<typeof CannotCreateReason>;

export const PaymentResponse = z
  .object({
    payment: z.object({
      id: z.string(),
      object: z.enum(['payment_intent', 'charge']),
      amount: money,
      currency: z.string(),
      /** Stripe's status, except `refunded` / `partially_refunded` once money went back. */
      status: z.string(),
      amountRefunded: money,
      description: z.string().nullable(),
      customerId: z.string().nullable(),
      created: isoDate,
      /** The Stripe invoice this payment belongs to, when there is one (its document is the invoice's). */
      invoiceId: z.string().nullable(),
    }),
    document: DocumentSummary.nullable(),
    canCreate: z.boolean(),
    refunds: z.array(RefundResponse),
  })
  .meta({ id: 'Payment' });
export type PaymentResponse = z.infer<typeof PaymentResponse>;

export const InvoiceResponse = z
  .object({
    invoice: z.object({
      id: z.string(),
      number: z.string().nullable(),
      amount: money,
      currency: z.string(),
      status: z.string(),
      customerName: z.string().nullable(),
      created: isoDate,
    }),
    document: DocumentSummary.nullable(),
    canCreate: z.boolean(),
    /** Why `canCreate` is false without a document. */
    cannotCreateReason: CannotCreateReason.nullable(),
  })
  .meta({ id: 'Invoice' });
export type InvoiceResponse = z.infer<typeof InvoiceResponse>;

const calendarDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('A calendar day in Europe/Bucharest');

export const SubscriptionCycle = z.object({
  invoiceId: z.string(),
  number: z.string().nullable(),
  /** `periodEnd` is the last day included (Stripe's end is exclusive). */
  periodStart: calendarDay,
  periodEnd: calendarDay,
  /** Gross (VAT included), what the customer pays. */
  amount: money,
  /** Net (VAT excluded). */
  net: money,
  currency: z.string(),
  stripeStatus: z.string(),
  document: DocumentSummary.nullable(),
  /** Whether POST …/cycles/:invoiceId/einvoice would be accepted now. */
  canCreate: z.boolean(),
  cannotCreateReason: CannotCreateReason.nullable(),
});
export type SubscriptionCycle = z.infer<typeof SubscriptionCycle>;

/** POST /documents/:id/files: links that work without a token until `expiresAt` (5 minutes). */
export const DocumentFilesResponse = z.object({ pdfUrl: z.string(), xmlUrl: z.string(), expiresAt: isoDate });
export type DocumentFilesResponse = z.infer<typeof DocumentFilesResponse>;

export const SubscriptionResponse = z
  .object({
    subscription: z.object({
      id: z.string(),
      status: z.string(),
      plan: z.string(),
      /** Price × quantity per cycle, before discounts. */
      amount: money,
      /** Whether `amount` includes VAT (Stripe price `tax_behavior: inclusive`); otherwise VAT is added on top. */
      amountIncludesVat: z.boolean(),
      currency: z.string(),
      interval: z.string(),
      intervalCount: z.number().int(),
      customerId: z.string().nullable(),
    }),
    cycles: z.array(SubscriptionCycle),
  })
  .meta({ id: 'Subscription' });
export type SubscriptionResponse = z.infer<typeof SubscriptionResponse>;

// ---- OAuth (device grant, tokens, consent) -------------------------------------------------------------

export const DeviceAuthorizationRequest = z.object(
  {
    stripe_account_id: z.string({ error: 'is required' }).regex(/^acct_\w+$/, 'must be a Stripe account id (acct_…)'),
    user_id: z.string({ error: 'is required' }).regex(/^usr_\w+$/, 'must be a Stripe user id (usr_…)'),
  },
  { error: 'stripe_account_id and user_id are required (JSON or form).' },
);

export const DeviceAuthorizationResponse = z
  .object({
    device_code: z.string(),
    user_code: z.string(),
    verification_uri: z.string(),
    verification_uri_complete: z.string(),
    expires_in: z.number().int(),
    interval: z.number().int(),
  })
  .meta({ id: 'DeviceAuthorization' });
export type DeviceAuthorizationResponse = z.infer<typeof DeviceAuthorizationResponse>;

/** JSON or form. Which fields a grant needs is checked by the endpoint, which answers RFC 6749 errors. */
export const TokenRequest = z.object({
  grant_type: z.string().optional().describe('device_code, urn:ietf:params:oauth:grant-type:device_code or refresh_token'),
  device_code: z.string().optional(),
  stripe_account_id: z.string().optional(),
  refresh_token: z.string().optional(),
}).default({});

export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string(),
  })
  .meta({ id: 'Tokens' });
export type TokenResponse = z.infer<typeof TokenResponse>;

export const RevokeRequest = z.object({ token: z.string().optional(), token_type_hint: z.string().optional() }).default({});

/** The consent page's forms (form-encoded) and its approve call (JSON from scripts, form from the page). */
export const ConsentQuery = z.object({ code: z.string().optional(), lang: z.string().optional() });
export const ConsentCallbackQuery = z.object({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  lang: z.string().optional(),
});
export const ConsentForm = z.object({ csrf: z.string().optional(), user_code: z.string().optional() }).default({});
export const ApproveRequest = z.object({
  csrf: z.string().optional(),
  user_code: z.string().optional(),
  company_id: z.string().optional(),
  approve: z.union([z.boolean(), z.string()]).optional().describe('false or "false" denies; anything else approves'),
}).default({});
export const ApproveResponse = z.object({ status: z.enum(['approved', 'denied']), stripe_account_id: z.string() });

// ---- periods: reconciliation, backfill, export (issue 16) -------------------------------------------------

const day = z.string().describe('Calendar day in Europe/Bucharest, YYYY-MM-DD');

export const SaleKind = z.enum(['invoice', 'payment', 'refund']);
export type SaleKind = z.infer<typeof SaleKind>;
/** What became of one Stripe sale: reported = validated by ANAF; missing = no e-invoice although one is due. */
export const SaleStatus = z.enum(['missing', 'rejected', 'blocked', 'in_progress', 'reported', 'not_applicable']);
export type SaleStatus = z.infer<typeof SaleStatus>;
export const NotApplicableReason = z.enum(['voided', 'zero_total', 'buyer_outside_scope']);
export type NotApplicableReason = z.infer<typeof NotApplicableReason>;

/** Checked by the route itself, whose messages say what a day must look like. */
export const PeriodRequest = z.strictObject({ from: z.unknown().optional(), to: z.unknown().optional() }).meta({ id: 'PeriodRequest' });
export type PeriodRequest = { from: string; to: string };

export const PeriodSaleView = z
  .object({
    kind: SaleKind,
    stripeId: z.string(),
    stripeUrl: z.string(),
    date: day,
    customer: z.string().nullable(),
    taxId: z.string().nullable(),
    amount: money,
    currency: z.string(),
    vat: money.nullable(),
    status: SaleStatus,
    /** not_applicable: why none is due; blocked/rejected: what stops it. */
    reason: z.string().nullable(),
    documentId: z.string().nullable(),
    einvoiceNumber: z.string().nullable(),
    /** The day our document was made (null while none exists). */
    issueDate: day.nullable(),
    /** Last legal upload day (5 Romanian working days after the sale's issue day). */
    deadline: day,
    /** Not reported yet and the deadline has passed. */
    late: z.boolean(),
    anafMessage: z.string().nullable(),
  })
  .meta({ id: 'PeriodSale' });
export type PeriodSaleView = z.infer<typeof PeriodSaleView>;

export const StatusTotals = z.object({
  count: z.number().int(),
  /** Per currency (ISO code) → decimal string. */
  totals: z.record(z.string(), money),
  /** Sum in RON where every currency's rate is known; null otherwise. */
  ronEquivalent: money.nullable(),
});
export type StatusTotals = z.infer<typeof StatusTotals>;

export const BackfillResponse = z
  .object({
    id: z.string(),
    reconciliationId: z.string(),
    from: day,
    to: day,
    status: z.enum(['running', 'done', 'cancelled']),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
    /** Seconds left at the current pace (null until something finished). */
    etaSeconds: z.number().int().nullable(),
    startedAt: isoDate,
    finishedAt: isoDate.nullable(),
    /** The last failures, with the reason each one stopped. */
    failures: z.array(z.object({ stripeId: z.string(), kind: SaleKind, message: z.string() })),
  })
  .meta({ id: 'Backfill' });
export type BackfillResponse = z.infer<typeof BackfillResponse>;

export const ReconciliationResponse = z
  .object({
    id: z.string(),
    from: day,
    to: day,
    status: z.enum(['queued', 'running', 'done', 'failed']),
    /** A Stripe event arrived after the read began: request the period again for fresh figures. */
    stale: z.boolean(),
    progress: z.object({ phase: z.enum(['invoices', 'invoice_payments', 'payments', 'refunds', 'done']), pagesRead: z.number().int(), salesFound: z.number().int() }),
    error: z.string().nullable(),
    summary: z
      .object({
        total: z.number().int(),
        byStatus: z.record(SaleStatus, StatusTotals),
        /** Sales not reported yet whose legal deadline has passed. */
        late: z.number().int(),
      })
      .nullable(),
    /** The missing sales (oldest deadline first), at most 50; the rest through /sales. */
    missing: z.array(PeriodSaleView),
    /** The backfill of this account still running, if any. */
    activeBackfill: BackfillResponse.nullable(),
  })
  .meta({ id: 'Reconciliation' });
export type ReconciliationResponse = z.infer<typeof ReconciliationResponse>;

export const SalesQuery = z.strictObject({
  status: SaleStatus.optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export const SalesPage = z.object({ sales: z.array(PeriodSaleView), nextCursor: z.string().nullable() });
export type SalesPage = z.infer<typeof SalesPage>;

export const BackfillRequest = z.strictObject({
  reconciliationId: z.string().min(1, 'reconciliationId is required'),
  /** Required (true) when some missing sales are already past their legal deadline. */
  confirmLate: z.boolean().optional(),
});
export type BackfillRequest = z.infer<typeof BackfillRequest>;

/** 409 answer to POST /backfills: either late sales need confirmation (with them), or another state stops it. */
export const BackfillRefusal = ErrorResponse.extend({
  lateCount: z.number().int().optional(),
  late: z.array(PeriodSaleView).optional(),
  backfillId: z.string().optional(),
});
export type LateConfirmationRequired = { error: 'late_confirmation_required'; message: string; lateCount: number; late: PeriodSaleView[] };

export const ExportLinks = z.object({ csvUrl: z.string(), jsonUrl: z.string(), expiresAt: isoDate });
export type ExportLinks = z.infer<typeof ExportLinks>;

// ---- the routes -------------------------------------------------------------------------------------------

type Method = 'GET' | 'POST' | 'PUT';
const route = <S extends object>(method: Method, url: string, schema: S) => ({ method, url, schema });
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const redirect = { 303: z.undefined().describe('See Other: on to the next page') };
const signed = [{ bearer: [], stripeSignature: [] }];
const jsonOrForm = ['application/json', 'application/x-www-form-urlencoded'];
const form = ['application/x-www-form-urlencoded'];

/** What any data route may answer besides its success (design.md §4). */
const failures = {
  400: ErrorResponse.describe('Invalid input; nothing changed'),
  401: ErrorResponse.describe('`unauthorized` or `reauthorization_required`'),
  404: ErrorResponse.describe('Unknown object'),
  403: ErrorResponse.describe('`storno_permission`: the Storno user who connected lacks a permission'),
  409: ErrorResponse.describe('Nothing can be done in this state (draft invoice, no parent document, `deadline_passed` without confirmLate, …)'),
  500: ErrorResponse,
  502: ErrorResponse.describe('Stripe or Storno refused'),
  503: ErrorResponse.describe('Stripe or Storno unreachable; nothing was lost'),
};
const oauthFailures = { 400: OAuthErrorResponse, 401: ErrorResponse, 429: OAuthErrorResponse, 500: ErrorResponse };

const read = <P extends z.ZodType, R extends z.ZodType>(url: string, summary: string, params: P, response: R) =>
  route('GET', url, { summary, security: signed, params, response: { 200: response, ...failures } });
const make = <P extends z.ZodType>(url: string, summary: string, params: P) =>
  route('POST', url, {
    summary,
    security: signed,
    params,
    body: CreateDocumentRequest.optional(),
    response: {
      201: DocumentSummary.describe('Made now (status may be `blocked` with a `problem`)'),
      200: DocumentSummary.describe('It already existed, or another request is making it'),
      ...failures,
    },
  });

/** Paths of the extension's API are under API_PREFIX; the consent page and /healthz, /readyz are also at the root. */
export const API_PREFIX = '/api/v1/stripe-app';

export const contract = {
  // Data routes: bearer token + Stripe-Signature (the backend registers them in its authenticated scope).
  getSettings: route('GET', '/settings', { summary: 'Connection, company, who authorized, auto mode (also while Storno needs re-authorization)', security: signed, response: { 200: SettingsResponse, ...failures } }),
  updateSettings: route('PUT', '/settings', { summary: 'Change auto mode, the default VAT rate or the invoice trigger', security: signed, body: SettingsUpdate, response: { 200: SettingsResponse, ...failures } }),
  disconnect: route('POST', '/disconnect', {
    summary: 'Revoke every token of the connection and forget the Storno credentials',
    security: signed,
    response: { 200: z.object({ status: z.literal('disconnected') }), ...failures },
  }),
  getDashboard: route('GET', '/dashboard', {
    summary: 'Tiles, deadlines, obligations that need the merchant and recent documents (also while Storno needs re-authorization)',
    security: signed,
    querystring: z.object({ tab: DashboardTab.default('all') }),
    response: { 200: DashboardResponse, ...failures },
  }),
  getCustomer: read('/customers/:id', 'Matched Storno client (and how), its invoice history, or why nothing matched', idParams('customer', ['cus']), CustomerResponse),
  createClient: route('POST', '/customers/:id/client', {
    summary: 'Create the Storno client from the Stripe customer',
    security: signed,
    params: idParams('customer', ['cus']),
    response: { 201: CustomerResponse, ...failures, 422: ErrorResponse.describe('`client_data_invalid`: Storno would refuse the data (`checks` says why); nothing was created') },
  }),
  getInvoice: read('/invoices/:id', 'Stripe invoice and its e-invoice with the pipeline', idParams('invoice', ['in']), InvoiceResponse),
  createInvoiceEinvoice: make('/invoices/:id/einvoice', 'Make the e-invoice of a Stripe invoice', idParams('invoice', ['in'])),
  getPayment: read('/payments/:id', 'Payment, its document and its refunds with their credit notes', idParams('payment', ['pi', 'ch', 'py']), PaymentResponse),
  createPaymentEinvoice: make('/payments/:id/einvoice', 'Make the e-invoice of a payment without a Stripe invoice', idParams('payment', ['pi', 'ch', 'py'])),
  getRefund: read('/refunds/:id', 'Refund, its credit note, or why none can be made', idParams('refund', ['re', 'pyr']), RefundResponse),
  createCreditNote: make('/refunds/:id/credit-note', 'Make the credit note (or, with standalone, the standalone refund invoice)', idParams('refund', ['re', 'pyr'])),
  getSubscription: read('/subscriptions/:id', 'Subscription and every billing cycle with its document', idParams('subscription', ['sub']), SubscriptionResponse),
  createCycleEinvoice: make(
    '/subscriptions/:id/cycles/:invoiceId/einvoice',
    'Make the e-invoice of one billing cycle',
    z.object({ id: stripeId('subscription', ['sub']), invoiceId: stripeId('invoice', ['in']) }),
  ),
  submitDocument: make('/documents/:id/submit', 'Continue a document to the provider', z.object({ id: z.string() })),
  resendDocument: make('/documents/:id/resend', 'Fix and resend a rejected document: re-read Stripe and the Storno client, update the Storno document, submit; says what changed (or what to fix)', z.object({ id: z.string() })),
  confirmClient: route('POST', '/customers/:id/client/confirm', {
    summary: 'Confirm the proposed company client (same e-mail) for a customer without a tax ID',
    security: signed,
    params: idParams('customer', ['cus']),
    body: ConfirmClientRequest,
    response: { 200: CustomerResponse, ...failures },
  }),
  retryDocument: make('/documents/:id/retry', 'Retry a rejected (fix and resend) or blocked (rebuild) document, or a waiting one now', z.object({ id: z.string() })),
  retryEvent: route('POST', '/events/:id/retry', {
    summary: 'Put a failed webhook event (a sale with no document yet) back in line',
    security: signed,
    params: z.object({ id: z.string() }),
    response: { 200: z.object({ status: z.literal('pending') }), ...failures },
  }),
  documentFiles: route('POST', '/documents/:id/files', {
    summary: "Signed links (valid 5 minutes) to the document's PDF and UBL XML",
    security: signed,
    params: z.object({ id: z.string() }),
    response: { 200: DocumentFilesResponse, ...failures },
  }),
  // Public on purpose: the browser opens it without a token; the signed query is the permission.
  documentFile: route('GET', '/files/documents/:id/:format', {
    summary: 'The PDF (inline) or XML (attachment), fetched from Storno',
    params: z.object({ id: z.string(), format: z.enum(['pdf', 'xml']) }),
    querystring: z.object({ connection: z.string().max(100).optional(), expires: z.string().max(20).optional(), signature: z.string().max(128).optional() }),
    response: {
      200: z.any().describe('application/pdf or application/xml'),
      400: ErrorResponse.describe('Unknown format'),
      403: ErrorResponse.describe('`link_invalid` or `link_expired`'),
      404: ErrorResponse,
      401: ErrorResponse.describe('`reauthorization_required`: Storno no longer accepts the connection'),
      502: ErrorResponse,
      503: ErrorResponse,
    },
  }),

  // Periods (issue 16): what became of each Stripe sale of a period, creating the missing ones, the export.
  checkPeriod: route('POST', '/reconciliations', {
    summary: 'Check a period (from/to days in Europe/Bucharest): 202 starts reading Stripe, 200 reuses a fresh check',
    security: signed,
    body: PeriodRequest,
    response: { 202: ReconciliationResponse, 200: ReconciliationResponse, ...failures },
  }),
  getReconciliation: read('/reconciliations/:id', 'Progress, counts and totals per status, the missing sales', z.object({ id: z.string() }), ReconciliationResponse),
  listPeriodSales: route('GET', '/reconciliations/:id/sales', {
    summary: 'The sales of a checked period, a page at a time, optionally of one status',
    security: signed,
    params: z.object({ id: z.string() }),
    querystring: SalesQuery,
    response: { 200: SalesPage, ...failures },
  }),
  exportPeriod: route('POST', '/reconciliations/:id/export', {
    summary: 'Short-lived signed links to the period as CSV and JSON',
    security: signed,
    params: z.object({ id: z.string() }),
    response: { 200: ExportLinks, ...failures },
  }),
  startBackfill: route('POST', '/backfills', {
    summary: 'Create the missing e-invoices of a checked period as a job (late ones need confirmLate)',
    security: signed,
    body: BackfillRequest,
    response: { 202: BackfillResponse, ...failures, 409: BackfillRefusal.describe('Late sales need confirmation, or another backfill runs, or nothing is missing') },
  }),
  activeBackfill: route('GET', '/backfills', {
    summary: 'The backfill still running for this account, if any',
    security: signed,
    response: { 200: z.object({ active: BackfillResponse.nullable() }), ...failures },
  }),
  getBackfill: read('/backfills/:id', 'Progress of a backfill: done / total / failed, ETA', z.object({ id: z.string() }), BackfillResponse),
  cancelBackfill: route('POST', '/backfills/:id/cancel', {
    summary: 'Stop a backfill: nothing new starts, what is in flight finishes',
    security: signed,
    params: z.object({ id: z.string() }),
    response: { 200: BackfillResponse, ...failures },
  }),

  // Public on purpose: each authenticates its own way (app signature, device code, session + CSRF, webhook signature).
  downloadPeriodExport: route('GET', '/exports/:file', {
    summary: 'The period file behind a signed link (HMAC over connection, period and expiry): <token>.csv or <token>.json',
    params: z.object({ file: z.string() }),
    response: {
      200: {
        description: 'The period, one row per sale',
        content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.object({ from: day, to: day, sales: z.array(PeriodSaleView) }) } },
      },
      403: ErrorResponse.describe('Invalid or expired link'),
      500: ErrorResponse,
    },
  }),
  deviceAuthorization: route('POST', '/oauth/device', {
    summary: 'RFC 8628 §3.1 device authorization (a Stripe-Signature for the account and user is required)',
    consumes: jsonOrForm,
    body: DeviceAuthorizationRequest,
    response: { 200: DeviceAuthorizationResponse, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse, 500: ErrorResponse },
  }),
  token: route('POST', '/token', {
    summary: 'Token endpoint: device_code (or its URN) and refresh_token grants; JSON or form',
    consumes: jsonOrForm,
    body: TokenRequest,
    response: { 200: TokenResponse, ...oauthFailures },
  }),
  revoke: route('POST', '/oauth/revoke', {
    summary: 'RFC 7009 revocation: 200 whether or not the token was known',
    consumes: jsonOrForm,
    body: RevokeRequest,
    response: { 200: z.object({}), ...oauthFailures },
  }),
  approve: route('POST', '/oauth/approve', {
    summary: 'Consent page only (session cookie + CSRF): approve or deny a user code for one Storno company',
    consumes: jsonOrForm,
    body: ApproveRequest,
    response: {
      200: {
        description: 'Approved or denied (JSON; the consent page gets HTML)',
        content: { 'application/json': { schema: ApproveResponse }, 'text/html': { schema: z.string() } },
      },
      400: ErrorResponse,
      401: ErrorResponse,
      403: ErrorResponse,
      404: ErrorResponse,
      409: ErrorResponse,
      410: ErrorResponse,
      429: ErrorResponse,
      500: ErrorResponse,
    },
  }),
  stripeWebhook: route('POST', '/webhooks/stripe', {
    summary: 'Stripe webhook intake (Stripe-Signature with the endpoint secret over the raw body)',
    body: z.string().optional().describe('The event JSON, exactly as Stripe sent it'),
    response: { 200: z.object({ received: z.literal(true), duplicate: z.boolean() }), 400: ErrorResponse, 500: ErrorResponse },
  }),
  stornoWebhook: route('POST', '/webhooks/storno/:connectionId', {
    summary: 'Storno webhook intake (X-Webhook-Signature: hex HMAC-SHA256 of the raw body)',
    params: z.object({ connectionId: z.string() }),
    body: z.string().optional().describe('The event JSON, exactly as Storno sent it'),
    response: { 200: z.object({ received: z.literal(true) }), 400: ErrorResponse, 500: ErrorResponse },
  }),
  healthz: route('GET', '/healthz', { summary: 'The process answers', response: { 200: z.object({ status: z.literal('ok') }) } }),
  readyz: route('GET', '/readyz', {
    summary: 'Database reachable and migrated',
    response: { 200: z.object({ status: z.literal('ready'), database: z.string(), migrations: z.number().int() }), 503: ErrorResponse },
  }),

  // The consent page (the device grant's verification_uri), at the root.
  consentPage: route('GET', '/stripe-link', {
    summary: 'Consent page: enter the code, sign in at Storno, pick the company',
    querystring: ConsentQuery,
    response: { 200: html('The page for this step'), 404: html('Unknown code'), 409: html('Code used or denied'), 410: html('Code expired'), 429: html('Too many wrong codes') },
  }),
  consentCode: route('POST', '/stripe-link/code', {
    summary: 'Enter the code shown in the Dashboard',
    consumes: form,
    body: ConsentForm,
    response: { ...redirect, 400: html('Unknown code'), 403: html('Session expired'), 409: html('Code used or denied'), 410: html('Code expired'), 429: html('Too many wrong codes') },
  }),
  consentSignIn: route('POST', '/stripe-link/signin', {
    summary: 'Sign in at Storno (OAuth2 code + PKCE); carries the code of a link followed without a stored session',
    consumes: form,
    body: ConsentForm,
    response: { ...redirect, 403: html('Session expired'), 404: html('Unknown code'), 409: html('Code used or denied'), 410: html('Code expired'), 429: html('Too many wrong codes') },
  }),
  consentCallback: route('GET', '/stripe-link/callback', { summary: "Storno's OAuth2 redirect back", querystring: ConsentCallbackQuery, response: { ...redirect, 400: html('Sign-in failed') } }),
  consentSignOut: route('POST', '/stripe-link/signout', { summary: 'Sign out of Storno', consumes: form, body: ConsentForm, response: redirect }),
};
