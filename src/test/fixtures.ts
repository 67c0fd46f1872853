// Contract-shaped sample data for the fake backend.
import type {
  CustomerResponse,
  DashboardResponse,
  DocumentSummary,
  InvoiceResponse,
  PaymentResponse,
  RefundResponse,
  SettingsResponse,
  SubscriptionResponse,
} from '../api/contract';

/** The obligation the backend reports for a status on an active connection (documents/lifecycle.ts `obligationOf`). */
function obligationFor(document: Pick<DocumentSummary, 'status' | 'problem'>): DocumentSummary['obligation'] {
  if (document.status === 'validated' || document.status === 'cancelled') return { state: 'done', action: null, detail: null };
  if (document.status === 'rejected') return { state: 'failed', action: 'retry', detail: null };
  if (document.status === 'blocked') return { state: 'blocked', action: document.problem?.kind === 'total_mismatch' ? 'confirm' : 'fix_in_stripe', detail: null };
  return { state: 'in_progress', action: null, detail: null };
}

export const doc = (overrides: Partial<DocumentSummary> = {}): DocumentSummary => {
  const base: DocumentSummary = {
    id: 'doc_1',
    kind: 'invoice',
    stripeObjectId: 'in_1',
    stornoDocumentId: 'st_1',
    number: 'STR-0001',
    status: 'validated',
    clientName: 'Acme SRL',
    total: '121.00',
    currency: 'ron',
    providerError: null,
    problem: null,
    origin: 'manual',
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:05:00.000Z',
    issueDate: '2026-03-01',
    deadline: '2026-03-06',
    lateSubmission: false,
    obligation: { state: 'done', action: null, detail: null },
    ...overrides,
  };
  // As the backend answers: the obligation follows the status unless the test says otherwise.
  return overrides.obligation ? base : { ...base, obligation: obligationFor(base) };
};

export const settings = (overrides: Partial<SettingsResponse> = {}): SettingsResponse => ({
  status: 'connected',
  company: { id: 'co_1', name: 'Exemplu Software SRL', cif: 'RO12345678' },
  authorizedBy: { email: 'ana@exemplu.ro', name: 'Ana Popescu' },
  authorizedAt: '2026-02-10T09:30:00.000Z',
  autoMode: false,
  defaultVatRate: '21.00',
  invoiceTrigger: 'finalized',
  ...overrides,
});

export const dashboard = (overrides: Partial<DashboardResponse> = {}): DashboardResponse => ({
  tab: 'all',
  counts: { draft: 1, issued: 2, sent_to_provider: 3, validated: 7, rejected: 1, pending: 4, blocked: 0, total: 18 },
  documents: [
    doc(),
    doc({ id: 'doc_2', number: 'STR-0002', status: 'rejected', clientName: 'Beta SRL', total: '50.00', currency: 'eur', providerError: 'E-Factura: CIF cumpărător invalid' }),
  ],
  autoMode: false,
  tiles: { validated: 7, inProgress: 7, needsAction: 2, draftOrIssued: 2, total: 18, dueSoon: 1, overdue: 0 },
  failedEvents: [],
  connectionStatus: 'connected',
  ...overrides,
});

export const customerMatched = (): CustomerResponse => ({
  customer: { id: 'cus_1', name: 'Acme SRL', email: 'billing@acme.ro' },
  match: {
    client: { id: 'cl_1', name: 'Acme SRL', cif: 'RO998877', vatCode: null, email: 'billing@acme.ro', address: 'Str. Lungă 1', city: 'Cluj-Napoca', county: 'Cluj', country: 'RO' },
    matchedBy: 'ro_cif',
  },
  noMatchReason: null,
  noMatch: null,
  proposal: null,
  history: [{ id: 'h1', number: 'STR-0042', issueDate: '2026-02-01', total: '242.00', currency: 'ron', status: 'validated' }],
});

export const customerUnmatched = (): CustomerResponse => ({
  customer: { id: 'cus_2', name: 'Ion Ionescu', email: 'ion@example.com' },
  match: null,
  noMatchReason: "No Storno client has this customer's email (ion@example.com), or name (Ion Ionescu).",
  noMatch: { taxIds: [], email: 'ion@example.com', name: 'Ion Ionescu', checks: [] },
  proposal: { type: 'individual', name: 'Ion Ionescu', cui: null, country: 'RO', county: 'Iași', city: 'Iași', address: 'Bd. Unirii 3' },
  history: [],
});

export const refund = (overrides: Partial<RefundResponse> = {}): RefundResponse => ({
  refund: { id: 're_1', amount: '20.00', currency: 'ron', status: 'succeeded', reason: 'requested_by_customer', created: '2026-03-02T10:00:00.000Z' },
  creditNote: null,
  canCreate: true,
  reason: null,
  reasonCode: null,
  standaloneAllowed: false,
  ...overrides,
});

export const payment = (overrides: Partial<PaymentResponse> = {}, id = 'pi_1'): PaymentResponse => ({
  payment: {
    id,
    object: id.startsWith('ch_') ? 'charge' : 'payment_intent',
    amount: '121.00',
    currency: 'ron',
    status: 'succeeded',
    amountRefunded: '0.00',
    description: null,
    customerId: 'cus_1',
    created: '2026-03-01T10:00:00.000Z',
    invoiceId: null,
  },
  document: null,
  canCreate: true,
  refunds: [],
  ...overrides,
});

export const invoice = (overrides: Partial<InvoiceResponse> = {}): InvoiceResponse => ({
  invoice: { id: 'in_1', number: 'ACME-0007', amount: '1210.00', currency: 'ron', status: 'paid', customerName: 'Acme SRL', created: '2026-03-01T10:00:00.000Z' },
  document: null,
  canCreate: true,
  cannotCreateReason: null,
  ...overrides,
});

export const subscription = (overrides: Partial<SubscriptionResponse> = {}): SubscriptionResponse => ({
  subscription: { id: 'sub_1', status: 'active', plan: 'Pro', amount: '99.00', amountIncludesVat: false, currency: 'eur', interval: 'month', intervalCount: 1, customerId: 'cus_1' },
  cycles: [
    { invoiceId: 'in_c1', number: 'ACME-0001', periodStart: '2026-01-01', periodEnd: '2026-01-31', amount: '119.79', net: '99.00', currency: 'eur', stripeStatus: 'paid', document: doc({ id: 'doc_c1', stripeObjectId: 'in_c1', number: 'STR-0100', total: '119.79', currency: 'eur' }), canCreate: false, cannotCreateReason: null },
    { invoiceId: 'in_c2', number: 'ACME-0002', periodStart: '2026-02-01', periodEnd: '2026-02-28', amount: '119.79', net: '99.00', currency: 'eur', stripeStatus: 'paid', document: null, canCreate: true, cannotCreateReason: null },
  ],
  ...overrides,
});
