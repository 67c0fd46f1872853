// The backend's HTTP contract (design.md §4) as TypeScript types, shared by the extension's API client and
// the backend's routes so both sides change together. Types only: nothing here reaches the bundle.
// Money is a decimal string in major units ("121.00", "5000" for JPY) next to its ISO currency code.

export type DocumentStatus =
  | 'pending' // accepted, not yet created at Storno (waiting for a worker or a retry)
  | 'blocked' // a pre-flight check or a total mismatch stops it; `problem` says why
  | 'draft'
  | 'issued'
  | 'sent_to_provider'
  | 'validated'
  | 'rejected';

export type DocumentKind = 'invoice' | 'payment' | 'refund' | 'standalone_refund';

export interface PreflightCheck {
  /** Stable code, e.g. `buyer_cif_invalid`, `buyer_address_missing`, `bucharest_sector_missing`. */
  code: string;
  /** A sentence the merchant can act on. */
  message: string;
}

export type DocumentProblem =
  | { kind: 'preflight'; checks: PreflightCheck[] }
  /** Nothing for the merchant to do: the document is made as soon as the outside service answers (BNR). */
  | { kind: 'waiting'; code: string; message: string }
  | {
      kind: 'total_mismatch';
      /** What Stripe charged. */
      expected: string;
      /** What Storno's rounding would produce. */
      actual: string;
      difference: string;
      currency: string;
    };

export interface DocumentSummary {
  id: string;
  kind: DocumentKind;
  stripeObjectId: string;
  stornoDocumentId: string | null;
  number: string | null;
  status: DocumentStatus;
  clientName: string | null;
  total: string | null;
  currency: string | null;
  providerError: string | null;
  problem: DocumentProblem | null;
  origin: 'manual' | 'auto';
  createdAt: string;
  updatedAt: string;
  /** BNR reference rate the document carries (non-RON), RON per unit, and the BNR day it is from. */
  exchangeRate?: { rate: string; publishedOn: string | null } | null;
  /** Buyer outside Romania: not sent to ANAF unless the merchant chooses "Send to ANAF anyway". */
  outsideScope?: boolean;
  /** Fiscal assumptions made for this document (e.g. a VAT rate assumed without Stripe tax details). */
  assumptions?: string[];
  /** What the last "Fix and resend" changed. */
  lastFix?: { changes: string[]; at: string | null } | null;
}

export type ConnectionStatus = 'connected' | 'disconnected' | 'reauthorization_required';

export interface SettingsResponse {
  status: ConnectionStatus;
  company: { id: string; name: string; cif: string } | null;
  authorizedBy: { email: string; name: string } | null;
  authorizedAt: string | null;
  autoMode: boolean;
  /** VAT rate used for payments without Stripe tax details, e.g. "21.00". */
  defaultVatRate: string;
}

export interface SettingsUpdate {
  autoMode?: boolean;
  defaultVatRate?: string;
}

export type DashboardTab = 'all' | 'pending' | 'errors';

export interface DashboardResponse {
  tab: DashboardTab;
  counts: { draft: number; issued: number; sent_to_provider: number; validated: number; rejected: number; pending: number; blocked: number; total: number };
  documents: DocumentSummary[];
  autoMode: boolean;
}

export type MatchMethod = 'ro_cif' | 'eu_vat' | 'ro_cnp' | 'email' | 'name' | 'confirmed' | 'created';

export interface StornoClientDetails {
  id: string;
  name: string;
  cif: string | null;
  /** An individual's CNP (shown to the merchant who owns the data). */
  cnp?: string | null;
  vatCode: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  county: string | null;
  country: string | null;
}

export interface InvoiceHistoryItem {
  id: string;
  number: string | null;
  issueDate: string | null;
  total: string;
  currency: string;
  status: string;
}

export interface CustomerResponse {
  customer: { id: string; name: string | null; email: string | null };
  match: { client: StornoClientDetails; matchedBy: MatchMethod } | null;
  /** Why nothing matched (shown when `match` is null). */
  noMatchReason: string | null;
  /** What "Create client" would send, so the merchant sees it first. */
  proposal: { type: 'company' | 'individual'; name: string; cui: string | null; cnp?: string | null; country: string; county: string | null; city: string | null; address: string | null } | null;
  history: InvoiceHistoryItem[];
  /** Why "Create client" is disabled: what Storno would refuse (the same checks as pre-flight); null when it may be created. */
  createBlockedReason?: string | null;
  /** An e-mail-only hit on a company client: the merchant may confirm it (POST …/client/confirm), it is never used by itself. */
  suggestedClient?: { clientId: string; name: string | null; reason: string } | null;
  /** Clients with the same e-mail or name that were not matched, and why. */
  passedOver?: { clientId: string; name: string | null; reason: string }[];
}

/** POST /customers/:id/client/confirm */
export interface ConfirmClientRequest {
  clientId: string;
}

export interface PaymentResponse {
  payment: {
    id: string;
    object: 'payment_intent' | 'charge';
    amount: string;
    currency: string;
    status: string;
    description: string | null;
    customerId: string | null;
    created: string;
    /** The Stripe invoice this payment belongs to, when there is one (its document is the invoice's). */
    invoiceId: string | null;
  };
  document: DocumentSummary | null;
  canCreate: boolean;
  refunds: RefundResponse[];
}

export interface RefundResponse {
  refund: { id: string; amount: string; currency: string; status: string; reason: string | null; created: string };
  creditNote: DocumentSummary | null;
  canCreate: boolean;
  /** Why no credit note can be made (no e-invoice exists for the refunded payment). */
  reason: string | null;
  /** A standalone negative invoice may be made instead, as an explicit choice. */
  standaloneAllowed: boolean;
}

export interface InvoiceResponse {
  invoice: { id: string; number: string | null; amount: string; currency: string; status: string; customerName: string | null; created: string };
  document: DocumentSummary | null;
  canCreate: boolean;
}

export interface SubscriptionCycle {
  invoiceId: string;
  number: string | null;
  periodStart: string;
  periodEnd: string;
  amount: string;
  currency: string;
  stripeStatus: string;
  document: DocumentSummary | null;
}

export interface SubscriptionResponse {
  subscription: { id: string; status: string; plan: string; amount: string; currency: string; interval: string; intervalCount: number; customerId: string | null };
  cycles: SubscriptionCycle[];
}

/** POST …/einvoice, …/credit-note, /documents/:id/retry|submit. `issueAnyway` accepts a total mismatch. */
export interface CreateDocumentRequest {
  issueAnyway?: boolean;
  /** Refunds only: make the standalone negative invoice when no parent document exists. */
  standalone?: boolean;
}

export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

/** RFC 6749/8628 error body of POST /token. */
export interface OAuthErrorResponse {
  error:
    | 'authorization_pending'
    | 'slow_down'
    | 'access_denied'
    | 'expired_token'
    | 'invalid_grant'
    | 'invalid_request'
    | 'unsupported_grant_type'
    | 'invalid_client';
  error_description?: string;
}

/** Every other error: `{ error, message }`; 401 `unauthorized` or `reauthorization_required`. */
export interface ErrorResponse {
  error: string;
  message: string;
}
