// The sandbox's whole world as plain JSON-able records, plus the store that holds it and (optionally) persists
// it to a file: loaded on start, written shortly after each change, so two runs of `npm run sandbox` share documents.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { seedState, type SeedOverrides } from './seed.js';

export interface Organization {
  id: string;
  name: string;
  slug: string;
  createdAt: string;
  /** Test control: this organization's own plan limit (invoices per month), over the sandbox-wide option. */
  monthlyInvoiceLimit?: number;
}
export interface User { id: string; email: string; passwordHash: string; firstName: string; lastName: string; createdAt: string }
export interface Membership {
  id: string;
  userId: string;
  organizationId: string;
  role: 'owner' | 'admin' | 'accountant' | 'employee';
  /** Empty = every company of the organization. */
  allowedCompanies: string[];
  /** Test control: permissions the admin took away from this member (calls needing them answer 403). */
  deniedPermissions?: string[];
}
export interface Company {
  id: string;
  organizationId: string;
  name: string;
  cif: number;
  registrationNumber: string | null;
  vatPayer: boolean;
  vatCode: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  country: string;
  phone: string | null;
  email: string | null;
  website: string | null;
  capitalSocial: string | null;
  vatOnCollection: boolean;
  oss: boolean;
  vatIn: string | null;
  eoriCode: string | null;
  representative: string | null;
  representativeRole: string | null;
  bankName: string | null;
  bankAccount: string | null;
  bankBic: string | null;
  defaultCurrency: string;
  efacturaDelayHours: number | null;
  isReadOnly: boolean;
  /** Whether an ANAF OAuth token resolves for the company (precondition for submit). */
  hasValidToken: boolean;
  createdAt: string;
}
export interface VatRate {
  id: string;
  companyId: string;
  rate: string;
  label: string;
  categoryCode: string;
  isDefault: boolean;
  isActive: boolean;
  position: number;
}
export interface DocumentSeries {
  id: string;
  companyId: string;
  prefix: string;
  type: string;
  currentNumber: number;
  active: boolean;
  isDefault: boolean;
  source: string;
  createdAt: string;
}
export interface Client {
  id: string;
  companyId: string;
  type: string;
  name: string;
  cui: string | null;
  cnp: string | null;
  vatCode: string | null;
  isVatPayer: boolean;
  registrationNumber: string | null;
  address: string | null;
  city: string | null;
  county: string | null;
  country: string;
  postalCode: string | null;
  email: string | null;
  phone: string | null;
  bankName: string | null;
  bankAccount: string | null;
  defaultPaymentTermDays: number | null;
  contactPerson: string | null;
  clientCode: string | null;
  notes: string | null;
  idNumber: string | null;
  currency: string | null;
  source: string;
  lastSyncedAt: string | null;
  viesValid: boolean | null;
  viesValidatedAt: string | null;
  viesName: string | null;
  createdAt: string;
  deletedAt: string | null;
}
export interface InvoiceLine {
  id: string;
  position: number;
  description: string;
  quantity: string;
  unitOfMeasure: string;
  unitPrice: string;
  vatRate: string;
  vatCategoryCode: string;
  vatAmount: string;
  lineTotal: string;
  discount: string;
  discountPercent: string;
  vatIncluded: boolean;
  productId: string | null;
  productCode: string | null;
  lineNote: string | null;
  buyerAccountingRef: string | null;
  buyerItemIdentification: string | null;
  standardItemIdentification: string | null;
  cpvCode: string | null;
  ublExtensions: unknown;
}
export interface Invoice {
  id: string;
  companyId: string;
  clientId: string | null;
  documentType: 'invoice' | 'credit_note' | 'proforma';
  status: string;
  direction: 'outgoing' | 'incoming';
  number: string;
  documentSeriesId: string | null;
  parentDocumentId: string | null;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  exchangeRate: string | null;
  invoiceTypeCode: string | null;
  paymentMethod: string | null;
  language: string;
  senderName: string;
  senderCif: string;
  receiverName: string | null;
  receiverCif: string | null;
  subtotal: string;
  vatTotal: string;
  total: string;
  discount: string;
  amountPaid: string;
  paidAt: string | null;
  cancelledAt: string | null;
  cancellationReason: string | null;
  scheduledSendAt: string | null;
  scheduledEmailAt: string | null;
  anafUploadId: string | null;
  anafDownloadId: string | null;
  anafMessageId: string | null;
  anafStatus: string | null;
  anafErrorMessage: string | null;
  /** True once an upload to the provider happened (the server's "uploaded" notion). */
  uploaded: boolean;
  idempotencyKey: string | null;
  /** Free text fields and flags passed through as given (notes, paymentTerms, tvaLaIncasare, …). */
  extra: Record<string, unknown>;
  buyerSnapshot: Record<string, unknown> | null;
  lines: InvoiceLine[];
  createdAt: string;
  createdAtMs: number;
  deletedAt: string | null;
}
export interface InvoiceEvent {
  id: string;
  invoiceId: string;
  previousStatus: string | null;
  newStatus: string;
  metadata: Record<string, unknown>;
  createdAt: string;
  createdAtMs: number;
  createdBy: string | null;
}
export interface Payment {
  id: string;
  invoiceId: string;
  amount: string;
  currency: string;
  paymentDate: string;
  paymentMethod: string;
  reference: string | null;
  notes: string | null;
  isReconciled: boolean;
  createdAt: string;
}
export interface ApiKey { id: string; userId: string; name: string; tokenHash: string; scopes: string[]; revokedAt: string | null }
export interface OAuthClient {
  id: string;
  clientId: string;
  clientSecretHash: string;
  name: string;
  clientType: 'confidential' | 'public';
  redirectUris: string[];
  scopes: string[];
}
export interface OAuthCode {
  codeHash: string;
  clientId: string;
  userId: string;
  organizationId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  expiresAtMs: number;
  usedAtMs: number | null;
}
export interface OAuthToken {
  tokenHash: string;
  kind: 'access' | 'refresh';
  /** Every token minted from one authorization shares a family; replaying a used refresh token revokes it all. */
  familyId: string;
  clientId: string;
  userId: string;
  organizationId: string;
  scopes: string[];
  expiresAtMs: number;
  usedAtMs: number | null;
  revokedAtMs: number | null;
}
export interface Webhook {
  id: string;
  companyId: string;
  url: string;
  description: string | null;
  events: string[];
  secret: string;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}
export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  event: string;
  payload: string;
  status: 'pending' | 'success' | 'failed' | 'retrying';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
}

export interface SandboxState {
  version: 1;
  organizations: Organization[];
  users: User[];
  memberships: Membership[];
  companies: Company[];
  vatRates: VatRate[];
  series: DocumentSeries[];
  clients: Client[];
  invoices: Invoice[];
  invoiceEvents: InvoiceEvent[];
  payments: Payment[];
  apiKeys: ApiKey[];
  oauthClients: OAuthClient[];
  oauthCodes: OAuthCode[];
  oauthTokens: OAuthToken[];
  webhooks: Webhook[];
  deliveries: Delivery[];
  /** Invoices created per organization and month ("orgId:YYYY-MM"), for the plan limit. */
  monthlyUsage: Record<string, number>;
}

export interface Store {
  state: SandboxState;
  /** Call after any mutation; schedules a (debounced) write when a state file is configured. */
  changed(): void;
  /** Replaces the state with a fresh seed. */
  reset(): void;
  /** Writes pending changes now (used on close). */
  flush(): void;
}

export function createStore(overrides: SeedOverrides, stateFile?: string, debounceMs = 100): Store {
  let timer: NodeJS.Timeout | undefined;
  const load = (): SandboxState => {
    if (stateFile && existsSync(stateFile)) {
      const parsed = JSON.parse(readFileSync(stateFile, 'utf8')) as SandboxState;
      if (parsed.version === 1) {
        // Credentials come from the current options, so changing the API key or OAuth client takes effect on restart.
        const fresh = seedState(overrides);
        return { ...parsed, users: fresh.users, apiKeys: fresh.apiKeys, oauthClients: fresh.oauthClients };
      }
    }
    return seedState(overrides);
  };
  const write = () => {
    if (!stateFile) return;
    mkdirSync(dirname(stateFile), { recursive: true });
    // Write-then-rename so a crash mid-write never leaves half a file behind.
    const tmp = `${stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(store.state));
    renameSync(tmp, stateFile);
  };
  const store: Store = {
    state: load(),
    changed() {
      if (!stateFile || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        write();
      }, debounceMs);
      timer.unref();
    },
    reset() {
      store.state = seedState(overrides);
      store.changed();
    },
    flush() {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      write();
    },
  };
  return store;
}
