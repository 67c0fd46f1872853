// The document pipeline: make the Storno document for a Stripe object, then issue it, submit it to the
// e-invoice provider and record the payment — each step safe to repeat. A document link row (unique per
// connection and Stripe object) plus Storno's idempotency key make "one Stripe object, one document" hold
// across double clicks, auto mode, retries after timeouts and crashes between Storno's answer and our commit.
import Big from 'big.js';
import type { FastifyBaseLogger } from 'fastify';
import type { DocumentKind, DocumentProblem } from '../../../src/api/contract.js';
import { BnrUnavailable, type BnrRates } from '../bnr/rates.js';
import type { Connection, ConnectionService } from '../oauth/connections.js';
import { isIssuedNumber, type StornoClient } from '../storno/client.js';
import { isMissingPermission, StornoPlanLimitError, StornoTransientError, StornoValidationError } from '../storno/errors.js';
import type { StripeReader } from '../stripe/reader.js';
import { isOverdue, lastUploadDay } from '../deadlines/index.js';
import { buildInvoiceDocument, buildPaymentDocument, buildRefundDocument, buildVoidReversal, WaitingForParent, type BuildDeps, type BuiltDocument } from './builders.js';
import { describeChanges } from './changes.js';
import { ActiveVatRates } from './activeVatRates.js';
import type { CustomerMatcher } from './customers.js';
import { DeadlinePassed, LeaseLost, ReauthorizationRequired, StornoPermissionDenied } from './errors.js';
import { allows, canRetry, isReadyParent, redriveDelayMs } from './lifecycle.js';
import { pipelineStatus } from './status.js';
import type { StornoAccess } from './stornoAccess.js';
import type { DocumentLink, DocumentStore, Lease } from './store.js';
import { todayInBucharest } from '../invoicing/dates.js';

export interface DriveOptions {
  origin?: 'manual' | 'auto';
  /** The merchant accepts a total mismatch. */
  issueAnyway?: boolean;
  /** Refunds without a parent document: make the standalone negative invoice. */
  standalone?: boolean;
  /** The merchant confirms making a document whose upload deadline has passed. */
  confirmLate?: boolean;
}

export interface DriveResult {
  link: DocumentLink;
  /** Another request or worker is driving this document right now; `link` is its current state. */
  busy: boolean;
}

/** Longest automatic wait: Storno down (after its circuit opened, sooner), a parent not yet accepted. */
const STORNO_BACKOFF_CAP_MS = 60_000;
const CIRCUIT_OPEN_BACKOFF_CAP_MS = 10_000;
const PARENT_BACKOFF_CAP_MS = 15 * 60_000;
/** BNR unreachable: its rate is published once a day, so a few minutes between attempts is plenty. */
const BNR_BACKOFF_CAP_MS = 5 * 60_000;
/** A plan limit is retried once a day (or when the merchant asks), not every minute. */
const PLAN_LIMIT_RETRY_MS = 24 * 3600_000;

function validationMessage(err: StornoValidationError): string {
  const rules = err.ruleIds?.length ? ` (${err.ruleIds.join(', ')})` : '';
  return `Storno refused the document: ${err.message}${rules}`;
}

/** Names the permission a refused Storno action needed, so the merchant can ask for exactly that. */
async function acting<T>(permission: string, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isMissingPermission(err)) throw new StornoPermissionDenied(permission, action, err.message);
    throw err;
  }
}

/** What the document panel shows beside the status: assumptions made, and what the last fix changed. */
export interface FiscalNotes {
  assumptions: string[];
  /** What "Fix and resend" changed at Storno, newest fix only. */
  changes?: string[];
  fixedAt?: string;
}

function fiscalNotesOf(link: { fiscalNotes: string | null }): FiscalNotes {
  return link.fiscalNotes ? (JSON.parse(link.fiscalNotes) as FiscalNotes) : { assumptions: [] };
}

const parentKey = (link: Pick<DocumentLink, 'kind' | 'stripeObjectId'>) => `${link.kind}:${link.stripeObjectId}`;

export class DocumentEngine {
  private readonly activeRates = new ActiveVatRates();

  constructor(
    private readonly documents: DocumentStore,
    private readonly access: StornoAccess,
    private readonly reader: StripeReader,
    private readonly customers: CustomerMatcher,
    private readonly connections: ConnectionService,
    private readonly bnr: BnrRates,
    private readonly log: FastifyBaseLogger,
    /** A document untouched this long, half-way and not leased, is resumed by `sweep`. */
    private readonly stalledAfterMs = 60_000,
    /** A document at the provider is read again at most this often (webhooks usually bring the verdict first). */
    private readonly verdictPollMs = 60_000,
  ) {}

  async storno(connection: Connection): Promise<StornoClient> {
    try {
      return await this.access.clientFor(connection);
    } catch (err) {
      throw await this.access.failed(connection, err);
    }
  }

  /** Make (or continue) the document of a Stripe object. */
  async drive(connection: Connection, kind: DocumentKind, stripeObjectId: string, options: DriveOptions = {}): Promise<DriveResult> {
    const link = await this.documents.ensure({ connectionId: connection.id, kind, stripeObjectId, origin: options.origin ?? 'manual' });
    return this.driveLink(connection, link, options);
  }

  /**
   * Drives a document under its lease. `prepare` runs first, holding the lease (a retry resets the status there, so no
   * other driver sees a half-made change). Outcomes the merchant must see are committed on the document: waiting for
   * its parent, for Storno (backoff) or for reconnection, blocked by a Storno refusal.
   */
  async driveLink(
    connection: Connection,
    link: DocumentLink,
    options: DriveOptions = {},
    prepare?: (lease: Lease, current: DocumentLink) => Promise<DocumentLink>,
  ): Promise<DriveResult> {
    const lease = await this.documents.lease(link.id);
    if (!lease) return { link: (await this.documents.byId(connection.id, link.id)) ?? link, busy: true };
    let current = (await this.documents.byId(connection.id, link.id)) ?? link;
    try {
      if (prepare) current = await prepare(lease, current);
      return { link: await this.pipeline(connection, lease, current, options), busy: false };
    } catch (err) {
      return { link: await this.settleFailure(connection, lease, current, err), busy: false };
    } finally {
      await this.documents.release(lease);
    }
  }

  private async pipeline(connection: Connection, lease: Lease, link: DocumentLink, options: DriveOptions): Promise<DocumentLink> {
    const storno = await this.storno(connection);
    const created = await this.create(connection, storno, lease, link, options);
    // Each step can wait on Storno's retries; renewing the lease between steps keeps a slow drive ours.
    await this.documents.renew(lease);
    let current = await this.issue(storno, lease, created.link);
    await this.documents.renew(lease);
    // A draft this drive made and numbered holds nothing an earlier attempt did: no re-reads before submit or payment.
    const fresh = created.fresh && current.status === 'issued';
    current = await this.submit(storno, lease, current, { fresh });
    await this.documents.renew(lease);
    current = await this.recordPayment(connection, storno, lease, current, created.built, fresh);
    if (current.hold || current.nextAttemptAt || current.attempts) {
      // It moved (or is blocked for the merchant): whatever schedule an earlier failure set is over. A refusal that
      // sets its own schedule (a plan limit's daily retry) never gets here: it ends in settleFailure.
      current = await this.documents.commit(lease, { hold: null, waitingFor: null, nextAttemptAt: null, attempts: 0 });
    }
    if (isReadyParent(current)) await this.documents.wakeWaitingFor(connection.id, parentKey(current));
    return current;
  }

  /** Commits what a failed drive means for the obligation; rethrows what the caller must answer with. */
  private async settleFailure(connection: Connection, lease: Lease, link: DocumentLink, raw: unknown): Promise<DocumentLink> {
    const err = await this.access.failed(connection, raw);
    const current = (await this.documents.byId(connection.id, link.id)) ?? link;
    const commit = (data: Parameters<DocumentStore['commit']>[1]) => this.documents.commit(lease, data).catch(() => current);
    if (err instanceof LeaseLost) throw err;
    if (err instanceof ReauthorizationRequired) {
      // Due again as soon as the connection is re-authorized (the worker skips connections that are not active).
      await commit({ nextAttemptAt: new Date() });
      throw err;
    }
    if (err instanceof WaitingForParent) {
      const attempts = current.attempts + 1;
      return commit({ hold: 'parent', waitingFor: err.parent, attempts, nextAttemptAt: new Date(Date.now() + redriveDelayMs(attempts, PARENT_BACKOFF_CAP_MS)), issueDate: err.issueDate ?? current.issueDate });
    }
    if (err instanceof BnrUnavailable) {
      // Never sent without its rate: the document waits, visibly, and is made once BNR answers (backoff).
      const attempts = current.attempts + 1;
      const problem: DocumentProblem = { kind: 'waiting', code: 'exchange_rate_unavailable', message: `Waiting for BNR's exchange rate: ${err.message}` };
      return commit({ hold: 'bnr', attempts, problem: JSON.stringify(problem), nextAttemptAt: new Date(Date.now() + redriveDelayMs(attempts, BNR_BACKOFF_CAP_MS)) });
    }
    if (err instanceof StornoPermissionDenied || err instanceof StornoPlanLimitError) {
      const planLimit = err instanceof StornoPlanLimitError;
      const problem: DocumentProblem = planLimit
        ? { kind: 'storno_refusal', reason: 'plan_limit', message: `Storno.ro refused: ${err.message}. Raise the Storno plan's limit, then retry; it is also retried once a day.` }
        : {
            kind: 'storno_refusal',
            reason: 'permission',
            permission: err.permission,
            message: `The Storno user who connected (${connection.authorizedByEmail}) lacks permission to ${err.action} (${err.permission}) in ${connection.companyName}; ask the Storno admin to grant it, then retry.`,
          };
      const schedule = { hold: null, waitingFor: null, nextAttemptAt: planLimit ? new Date(Date.now() + PLAN_LIMIT_RETRY_MS) : null };
      if (!allows('block', current.status)) {
        // Refused after the document reached the provider (recording the payment): shown, retried daily.
        return commit({ ...schedule, providerError: problem.message, nextAttemptAt: new Date(Date.now() + PLAN_LIMIT_RETRY_MS) });
      }
      return this.documents.commit(lease, { ...schedule, problem: JSON.stringify(problem), providerError: null }, { event: 'block', to: 'blocked', by: 'engine' });
    }
    if (DocumentEngine.isTransient(err)) {
      const attempts = current.attempts + 1;
      const cap = (err as { code?: string }).code === 'circuit_open' ? CIRCUIT_OPEN_BACKOFF_CAP_MS : STORNO_BACKOFF_CAP_MS;
      const message = err instanceof Error ? err.message : String(err);
      await commit({ hold: 'storno', attempts, providerError: message, nextAttemptAt: new Date(Date.now() + redriveDelayMs(attempts, cap)) });
      throw err;
    }
    // Nothing can be made for this object (unknown id, a draft invoice, a refund with no parent, a late document
    // not confirmed): keep no empty row.
    if (current.status === 'pending' && !current.stornoDocumentId) await this.documents.remove(lease);
    throw err;
  }

  private async build(connection: Connection, storno: StornoClient, link: DocumentLink, options: DriveOptions): Promise<BuiltDocument> {
    const deps: BuildDeps = {
      reader: this.reader,
      storno,
      customers: this.customers,
      documents: this.documents,
      bnr: this.bnr,
      activeRates: (o) => this.activeRates.of(connection, storno, o),
    };
    return acting('client.view, client.create', 'read or create the buyer as a Storno client', () => {
      if (link.kind === 'invoice') return buildInvoiceDocument(deps, connection, link);
      if (link.kind === 'payment') return buildPaymentDocument(deps, connection, link);
      if (link.kind === 'void_reversal') return buildVoidReversal(deps, connection, link);
      return buildRefundDocument(deps, connection, link, link.kind === 'standalone_refund' || Boolean(options.standalone));
    });
  }

  /** pending/blocked → draft at Storno (or blocked with the reason). */
  private async create(
    connection: Connection,
    storno: StornoClient,
    lease: Lease,
    link: DocumentLink,
    options: DriveOptions,
  ): Promise<{ link: DocumentLink; built?: BuiltDocument; fresh: boolean }> {
    if (link.stornoDocumentId || !allows('create', link.status)) return { link, fresh: false };
    const built = await this.build(connection, storno, link, options);
    // Asked once, in the merchant's own create request. A drive resumed later (after a Storno outage) finishes what
    // the merchant was told is accepted and waiting: a late upload is still owed, a silently dropped one never is.
    if (!link.issueDate && options.origin === 'manual' && !options.confirmLate) {
      const deadline = lastUploadDay(built.issueDate);
      if (isOverdue(deadline, todayInBucharest())) throw new DeadlinePassed(built.issueDate, deadline);
    }
    const issueAnyway = link.issueAnyway || Boolean(options.issueAnyway);
    const facts = {
      clientName: built.clientName,
      total: built.total,
      currency: built.currency,
      stripeCustomerId: built.stripeCustomerId,
      parentId: built.parentId ?? link.parentId,
      issueAnyway,
      issueDate: built.issueDate,
      paymentRecorded: built.payment ? link.paymentRecorded : true,
      outsideScope: built.outsideScope,
      exchangeRate: built.exchangeRate?.rate ?? null,
      exchangeRateDate: built.exchangeRate?.publishedOn || null,
      fiscalNotes: JSON.stringify({ ...fiscalNotesOf(link), assumptions: built.assumptions } satisfies FiscalNotes),
    };
    const blocking = built.problem && !(built.problem.kind === 'total_mismatch' && issueAnyway);
    if (blocking || !built.payload) {
      // Blocked for the merchant: no automatic re-drive until they act.
      const unscheduled = { hold: null, waitingFor: null, nextAttemptAt: null, attempts: 0 };
      return { built, fresh: false, link: await this.documents.commit(lease, { ...facts, ...unscheduled, problem: JSON.stringify(built.problem), providerError: null }, { event: 'block', to: 'blocked', by: 'engine' }) };
    }
    try {
      const payload = built.payload;
      const created = await acting('invoice.create', 'create invoices', () => storno.createInvoice(payload));
      const invoice = created.invoice;
      return {
        built,
        // A replayed create (same idempotency key) answers the invoice as an earlier attempt left it, maybe issued.
        fresh: invoice.status === 'draft',
        link: await this.documents.commit(
          lease,
          { ...facts, stornoDocumentId: invoice.id, documentNumber: invoice.number, problem: built.problem ? JSON.stringify(built.problem) : null, providerError: null, total: invoice.total },
          { event: 'create', to: 'draft', by: 'engine' },
        ),
      };
    } catch (err) {
      if (err instanceof StornoValidationError) {
        return { built, fresh: false, link: await this.documents.commit(lease, { ...facts, providerError: validationMessage(err) }, { event: 'reject', to: 'rejected', by: 'engine' }) };
      }
      throw err;
    }
  }

  /** draft → issued (numbered). Storno validates the UBL first; a refusal is shown, not retried. */
  private async issue(storno: StornoClient, lease: Lease, link: DocumentLink): Promise<DocumentLink> {
    if (link.status !== 'draft' || !link.stornoDocumentId) return link;
    const id = link.stornoDocumentId;
    try {
      const issued = await acting('invoice.issue', 'issue invoices', () => storno.issueInvoice(id));
      return this.documents.commit(lease, { documentNumber: issued.number, providerError: null }, { event: 'issue', to: 'issued', by: 'engine' });
    } catch (err) {
      if (err instanceof StornoValidationError) {
        // "Only draft invoices can be issued": an earlier attempt did it and its answer was lost (a crash
        // between Storno's answer and our commit). Continue from what Storno holds instead of rejecting.
        const current = await storno.getInvoice(id);
        if (current.status !== 'draft' && current.status !== 'cancelled' && isIssuedNumber(current.number)) {
          return this.documents.commit(lease, { documentNumber: current.number, providerError: null }, { event: 'issue', to: 'issued', by: 'engine' });
        }
        return this.documents.commit(lease, { providerError: validationMessage(err) }, { event: 'reject', to: 'rejected', by: 'engine' });
      }
      throw err;
    }
  }

  /**
   * issued → sent to the provider. Buyers outside Romania are out of mandatory e-Factura scope: the document stays
   * issued, and the panel says so: their upload is optional, and Storno never sends them (the merchant may upload the
   * XML in ANAF's SPV).
   */
  private async submit(storno: StornoClient, lease: Lease, link: DocumentLink, { fresh = false } = {}): Promise<DocumentLink> {
    if (link.status !== 'issued' || !link.stornoDocumentId) return link;
    const id = link.stornoDocumentId;
    let outside = link.outsideScope;
    if (!fresh) {
      const invoice = await storno.getInvoice(id);
      // Already submitted by an earlier attempt whose answer was lost (a crash before our commit): do not submit again.
      const already = pipelineStatus(invoice);
      if (already === 'sent_to_provider' || already === 'validated') return this.documents.commit(lease, { providerError: null }, { event: 'submit', to: already, by: 'engine' });
      const country = (invoice.client as { country?: string | null } | null | undefined)?.country;
      outside = Boolean(country && country !== 'RO');
    }
    // Out of scope: stays issued and is done (settled); lastRefreshedAt keeps the sweep from resuming it as half-way.
    if (outside) return this.documents.commit(lease, { lastRefreshedAt: new Date(), outsideScope: true });
    try {
      await acting('invoice.issue', 'send invoices to e-Factura', () => storno.submitInvoice(id));
      // Read as of now: the first poll for the verdict comes a VERDICT_POLL_MS later (its webhook usually sooner).
      return this.documents.commit(lease, { providerError: null, lastRefreshedAt: new Date() }, { event: 'submit', to: 'sent_to_provider', by: 'engine' });
    } catch (err) {
      if (err instanceof StornoValidationError) {
        return this.documents.commit(lease, { providerError: validationMessage(err) }, { event: 'reject', to: 'rejected', by: 'engine' });
      }
      throw err;
    }
  }

  /** The Stripe payment, recorded once (the client recognises an earlier attempt by its reference). */
  private async recordPayment(connection: Connection, storno: StornoClient, lease: Lease, link: DocumentLink, known?: BuiltDocument, fresh = false): Promise<DocumentLink> {
    if (link.paymentRecorded || !link.stornoDocumentId || ['pending', 'blocked', 'draft', 'rejected', 'cancelled'].includes(link.status)) return link;
    const id = link.stornoDocumentId;
    // Usually known from this drive; after a crash between steps (or a payment after finalization), read again from Stripe.
    const built = known ?? (await this.build(connection, storno, link, {}));
    // Nothing paid yet (an invoice made at finalization): invoice.paid records it later.
    if (!built.payment) return this.documents.commit(lease, { paymentRecorded: true });
    if (!fresh) {
      const invoice = await storno.getInvoice(id);
      const balance = new Big(invoice.balance ?? invoice.total);
      if (balance.lte(0)) return this.documents.commit(lease, { paymentRecorded: true });
      // Something is paid already: maybe our own payment, posted before a crash kept us from noting it.
      if (balance.lt(invoice.total)) {
        const reference = built.payment.reference;
        if (reference && (await storno.listPayments(id)).some((p) => p.reference === reference)) {
          return this.documents.commit(lease, { paymentRecorded: true });
        }
      }
    }
    const payment = built.payment;
    try {
      await acting('payment.create', 'record payments', () =>
        storno.createPayment(id, {
          amount: payment.amount,
          paymentMethod: 'card',
          paymentDate: payment.paymentDate,
          currency: built.currency,
          reference: payment.reference,
          notes: 'Stripe',
        }),
      );
    } catch (err) {
      // A payment Storno refuses (e.g. over the balance) must not hold the document back; it is shown.
      if (!(err instanceof StornoValidationError)) throw err;
      this.log.warn({ linkId: link.id, err: err.message }, 'Storno refused to record the Stripe payment');
    }
    return this.documents.commit(lease, { paymentRecorded: true });
  }

  /**
   * invoice.paid on an invoice whose e-invoice exists (made at finalization): record the payment on it — now, or,
   * while the connection waits for re-authorization, as soon as it is reconnected.
   */
  async paymentReceived(connection: Connection, link: DocumentLink): Promise<DriveResult> {
    if (connection.status === 'active') return this.driveLink(connection, link, {}, (lease) => this.documents.commit(lease, { paymentRecorded: false }));
    const lease = await this.documents.lease(link.id);
    if (!lease) throw new StornoTransientError({ code: 'busy', message: 'The document is being driven right now; the payment is recorded next.', maybeProcessed: false });
    try {
      return { link: await this.documents.commit(lease, { paymentRecorded: false, nextAttemptAt: new Date() }), busy: false };
    } finally {
      await this.documents.release(lease);
    }
  }

  /**
   * invoice.voided. Never uploaded → cancelled (at Storno too when it was issued there, storno-api.md §3.5); already
   * at the provider → the reversing credit note (once the original is accepted). Returns false when nothing was made.
   */
  async voided(connection: Connection, invoiceId: string): Promise<boolean> {
    const link = await this.documents.find(connection.id, 'invoice', invoiceId);
    if (!link || link.status === 'cancelled') return false;
    // At the provider (or final outside its scope): a legal document exists and only a reversing one undoes it.
    if (link.status === 'sent_to_provider' || isReadyParent(link)) {
      const reversal = await this.documents.ensure({ connectionId: connection.id, kind: 'void_reversal', stripeObjectId: invoiceId, origin: 'auto', parentId: link.id });
      await this.driveLink(connection, reversal, { origin: 'auto' });
      return true;
    }
    const lease = await this.documents.lease(link.id);
    if (!lease) throw new StornoTransientError({ code: 'busy', message: 'The document is being driven right now; try again shortly.', maybeProcessed: false });
    try {
      const current = (await this.documents.byId(connection.id, link.id)) ?? link;
      if (current.stornoDocumentId) {
        const storno = await this.storno(connection);
        const id = current.stornoDocumentId;
        const atStorno = await storno.getInvoice(id);
        if (atStorno.status === 'draft' || atStorno.status === 'issued') {
          await acting('invoice.cancel', 'cancel invoices', () => storno.cancelInvoice(id, 'Stripe invoice voided'));
        }
      }
      await this.documents.commit(lease, { hold: null, waitingFor: null, nextAttemptAt: null, problem: null }, { event: 'cancel', to: 'cancelled', by: 'engine' });
      return true;
    } catch (err) {
      await this.settleFailure(connection, lease, link, err);
      return true;
    } finally {
      await this.documents.release(lease);
    }
  }

  /** Reads the provider's verdict from Storno. */
  async refresh(connection: Connection, link: DocumentLink): Promise<DocumentLink> {
    if (!link.stornoDocumentId) return link;
    const storno = await this.storno(connection);
    try {
      const invoice = await storno.getInvoice(link.stornoDocumentId);
      const status = pipelineStatus(invoice);
      if (!allows('verdict', link.status) || status === 'draft' || status === 'pending' || status === 'blocked' || status === 'cancelled') return link;
      const updated = await this.documents.recordVerdict(link.id, {
        status,
        documentNumber: invoice.number,
        providerError: status === 'rejected' ? (invoice.anafErrorMessage ?? link.providerError ?? 'Rejected by the e-invoice provider.') : null,
        lateSubmission: (invoice as { isLateSubmission?: unknown }).isLateSubmission === true,
        lastRefreshedAt: new Date(),
      });
      if (isReadyParent(updated)) await this.documents.wakeWaitingFor(connection.id, parentKey(updated));
      return updated;
    } catch (err) {
      throw await this.access.failed(connection, err);
    }
  }

  /**
   * Retry: a document rejected at Storno is fixed and resent (`fixAndResend`); a blocked one, or one Storno refused to
   * create, is rebuilt. Lease first.
   */
  async retry(connection: Connection, link: DocumentLink, options: DriveOptions = {}): Promise<DriveResult> {
    if (link.status === 'rejected' && link.stornoDocumentId) return this.fixAndResend(connection, link);
    return this.driveLink(connection, link, options, async (lease, current) => {
      if (!canRetry(current)) return current;
      // Storno accepts a new submit from `rejected`; issue again first if it never got a number.
      const numbered = isIssuedNumber(current.documentNumber);
      const to = current.stornoDocumentId ? (numbered ? 'issued' : 'draft') : 'pending';
      // The last verdict read belongs to the attempt before (an issued document with one would count as settled).
      return this.documents.commit(lease, { problem: null, providerError: null, hold: null, nextAttemptAt: null, attempts: 0, lastRefreshedAt: null }, { event: 'retry', to, by: 'merchant' });
    });
  }

  /**
   * Fix and resend a document the provider (or Storno's own pre-upload checks) rejected: re-read Stripe and the Storno
   * client, rebuild the document, and when the buyer or the lines differ from what the Storno document holds, update
   * it (PUT, allowed for rejected invoices — storno-api.md §3.4; it refreshes the frozen buyer snapshot) and submit it
   * again. When nothing changed it is not resent: the panel says what to fix instead.
   */
  async fixAndResend(connection: Connection, link: DocumentLink): Promise<DriveResult> {
    const lease = await this.documents.lease(link.id);
    if (!lease) return { link: (await this.documents.byId(connection.id, link.id)) ?? link, busy: true };
    let current = (await this.documents.byId(connection.id, link.id)) ?? link;
    try {
      if (current.status !== 'rejected' || !current.stornoDocumentId) return { link: current, busy: false };
      const id = current.stornoDocumentId;
      const storno = await this.storno(connection);
      const built = await this.build(connection, storno, current, {});
      if (built.problem?.kind === 'preflight' || !built.payload) {
        return { link: await this.documents.commit(lease, { problem: JSON.stringify(built.problem) }), busy: false };
      }
      const invoice = await storno.getInvoice(id);
      const client = (await storno.getClient(built.payload.clientId)).client;
      const changes = describeChanges({ invoice, client, payload: built.payload });
      if (!changes.length) {
        const nothing: DocumentProblem = {
          kind: 'preflight',
          checks: [
            {
              code: 'nothing_changed',
              message: `Nothing changed since it was rejected, so it was not resent. ANAF said: ${current.providerError ?? 'rejected'}. Fix that in the Storno.ro client (address, county, sector, CUI/CNP) or in Stripe, then use "Fix and resend" again.`,
            },
          ],
        };
        return { link: await this.documents.commit(lease, { problem: JSON.stringify(nothing) }), busy: false };
      }
      const { clientId, lines, exchangeRate } = built.payload;
      await acting('invoice.edit', 'edit invoices', () => storno.updateInvoice(id, { clientId, lines, ...(exchangeRate ? { exchangeRate } : {}) } as never));
      const notes: FiscalNotes = { ...fiscalNotesOf(current), assumptions: built.assumptions, changes, fixedAt: new Date().toISOString() };
      const numbered = isIssuedNumber(current.documentNumber);
      current = await this.documents.commit(
        lease,
        { problem: null, providerError: null, hold: null, nextAttemptAt: null, attempts: 0, lastRefreshedAt: null, clientName: built.clientName, outsideScope: built.outsideScope, fiscalNotes: JSON.stringify(notes) },
        { event: 'resend', to: numbered ? 'issued' : 'draft', by: 'merchant' },
      );
      await this.documents.renew(lease);
      current = await this.issue(storno, lease, current);
      await this.documents.renew(lease);
      current = await this.submit(storno, lease, current);
      return { link: current, busy: false };
    } catch (err) {
      return { link: await this.settleFailure(connection, lease, current, err), busy: false };
    } finally {
      await this.documents.release(lease);
    }
  }

  /** Worker tick: verdicts of documents at the provider, and documents whose re-drive is due (or left half-way). */
  async sweep(limit = 50, lanes = 4): Promise<void> {
    for (const link of await this.documents.inFlight(limit, new Date(Date.now() - this.verdictPollMs))) {
      const connection = await this.connections.byId(link.connectionId);
      if (!connection || connection.status !== 'active') continue;
      await this.refresh(connection, link).catch((err) => this.log.warn({ linkId: link.id, err: String(err) }, 'status refresh failed'));
    }
    const due = await this.documents.due(limit, this.stalledAfterMs);
    let next = 0;
    const lane = async () => {
      while (next < due.length) {
        const link = due[next++]!;
        const connection = await this.connections.byId(link.connectionId);
        if (!connection || connection.status !== 'active') continue;
        await this.driveLink(connection, link).catch((err) => this.log.warn({ linkId: link.id, err: String(err) }, 'resuming a document failed'));
      }
    };
    await Promise.all(Array.from({ length: Math.min(lanes, due.length) }, lane));
  }

  static isTransient(err: unknown): boolean {
    return err instanceof StornoTransientError || (typeof err === 'object' && err !== null && (err as { retryable?: boolean }).retryable === true);
  }
}
