// The document pipeline: make the Storno document for a Stripe object, then issue it, submit it to the
// e-invoice provider and record the payment — each step safe to repeat. A document link row (unique per
// connection and Stripe object) plus Storno's idempotency key make "one Stripe object, one document" hold
// across double clicks, auto mode, retries after timeouts and crashes between Storno's answer and our commit.
import Big from 'big.js';
import type { FastifyBaseLogger } from 'fastify';
import type { DocumentKind, DocumentProblem } from '../../../src/api/contract.js';
import { BnrUnavailable, type BnrRates } from '../bnr/rates.js';
import type { Connection, ConnectionService } from '../oauth/connections.js';
import type { StornoClient } from '../storno/client.js';
import { StornoTransientError, StornoValidationError } from '../storno/errors.js';
import type { StripeReader } from '../stripe/reader.js';
import { buildInvoiceDocument, buildPaymentDocument, buildRefundDocument, type BuildDeps, type BuiltDocument } from './builders.js';
import { describeChanges } from './changes.js';
import { NotInvoiceable } from './errors.js';
import type { CustomerMatcher } from './customers.js';
import { pipelineStatus } from './status.js';
import type { StornoAccess } from './stornoAccess.js';
import type { DocumentLink, DocumentStore } from './store.js';

export interface DriveOptions {
  origin?: 'manual' | 'auto';
  /** The merchant accepts a total mismatch. */
  issueAnyway?: boolean;
  /** Refunds without a parent document: make the standalone negative invoice. */
  standalone?: boolean;
}

/** What the document panel shows beside the status: assumptions made, and what the last fix changed. */
export interface FiscalNotes {
  assumptions: string[];
  /** What "Fix and resend" changed at Storno, newest fix only. */
  changes?: string[];
  fixedAt?: string;
}

export function fiscalNotesOf(link: { fiscalNotes: string | null }): FiscalNotes {
  return link.fiscalNotes ? (JSON.parse(link.fiscalNotes) as FiscalNotes) : { assumptions: [] };
}

export interface DriveResult {
  link: DocumentLink;
  /** Another request or worker is driving this document right now; `link` is its current state. */
  busy: boolean;
}

function validationMessage(err: StornoValidationError): string {
  const rules = err.ruleIds?.length ? ` (${err.ruleIds.join(', ')})` : '';
  return `Storno refused the document: ${err.message}${rules}`;
}

export class DocumentEngine {
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

  async driveLink(connection: Connection, link: DocumentLink, options: DriveOptions = {}): Promise<DriveResult> {
    if (!(await this.documents.lease(link.id))) {
      return { link: (await this.documents.byId(connection.id, link.id)) ?? link, busy: true };
    }
    try {
      const storno = await this.storno(connection);
      const start = (await this.documents.byId(connection.id, link.id))!;
      const created = await this.create(connection, storno, start, options);
      // Each step can wait on Storno's retries; renewing the lease between steps keeps a slow drive ours.
      await this.documents.renew(link.id);
      let current = await this.issue(storno, created.link);
      await this.documents.renew(link.id);
      current = await this.submit(storno, current);
      await this.documents.renew(link.id);
      current = await this.recordPayment(connection, storno, current, created.built);
      return { link: current, busy: false };
    } catch (err) {
      throw await this.access.failed(connection, err);
    } finally {
      await this.documents.release(link.id);
    }
  }

  private deps(storno: StornoClient): BuildDeps {
    return { reader: this.reader, storno, customers: this.customers, documents: this.documents, bnr: this.bnr };
  }

  private async build(connection: Connection, storno: StornoClient, link: DocumentLink, options: DriveOptions): Promise<BuiltDocument> {
    const deps = this.deps(storno);
    if (link.kind === 'invoice') return buildInvoiceDocument(deps, connection, link);
    if (link.kind === 'payment') return buildPaymentDocument(deps, connection, link);
    return buildRefundDocument(deps, connection, link, link.kind === 'standalone_refund' || Boolean(options.standalone));
  }

  /** pending/blocked → draft at Storno (or blocked with the reason). */
  private async create(
    connection: Connection,
    storno: StornoClient,
    link: DocumentLink,
    options: DriveOptions,
  ): Promise<{ link: DocumentLink; built?: BuiltDocument }> {
    if (link.stornoDocumentId) return { link };
    if (link.status !== 'pending' && link.status !== 'blocked' && link.status !== 'rejected') return { link };
    let built: BuiltDocument;
    try {
      built = await this.build(connection, storno, link, options);
    } catch (err) {
      // BNR unreachable: the document waits, visibly, and the sweep makes it once the rate can be read.
      // A credit note whose parent ANAF has not accepted yet waits the same way (the sweep retries it).
      const waiting: DocumentProblem | null =
        err instanceof BnrUnavailable
          ? { kind: 'waiting', code: 'exchange_rate_unavailable', message: `Waiting for BNR's exchange rate: ${err.message}` }
          : err instanceof NotInvoiceable && err.reason === 'parent_pending'
            ? { kind: 'waiting', code: 'parent_pending', message: err.message }
            : null;
      if (waiting) return { link: await this.documents.update(link.id, { status: 'pending', problem: JSON.stringify(waiting) }) };
      // Nothing can be made for this object (unknown id, a draft invoice, a refund with no parent): keep no
      // empty row. A transient failure keeps it, so the sweep finishes the job when Stripe or Storno is back.
      if (link.status === 'pending' && !DocumentEngine.isTransient(err)) await this.documents.remove(link.id);
      throw err;
    }
    const issueAnyway = link.issueAnyway || Boolean(options.issueAnyway);
    const facts = {
      clientName: built.clientName,
      total: built.total,
      currency: built.currency,
      stripeCustomerId: built.stripeCustomerId,
      parentId: built.parentId ?? link.parentId,
      issueAnyway,
      paymentRecorded: built.payment ? link.paymentRecorded : true,
      outsideScope: built.outsideScope,
      exchangeRate: built.exchangeRate?.rate ?? null,
      exchangeRateDate: built.exchangeRate?.publishedOn || null,
      fiscalNotes: JSON.stringify({ ...fiscalNotesOf(link), assumptions: built.assumptions } satisfies FiscalNotes),
    };
    const blocking = built.problem && !(built.problem.kind === 'total_mismatch' && issueAnyway);
    if (blocking || !built.payload) {
      return { built, link: await this.documents.update(link.id, { ...facts, status: 'blocked', problem: JSON.stringify(built.problem), providerError: null }) };
    }
    try {
      const created = await storno.createInvoice(built.payload);
      const invoice = created.invoice;
      return { built, link: await this.documents.update(link.id, {
        ...facts,
        stornoDocumentId: invoice.id,
        documentNumber: invoice.number,
        status: 'draft',
        problem: built.problem ? JSON.stringify(built.problem) : null,
        providerError: null,
        total: invoice.total,
      }) };
    } catch (err) {
      if (err instanceof StornoValidationError) {
        return { built, link: await this.documents.update(link.id, { ...facts, status: 'rejected', providerError: validationMessage(err) }) };
      }
      throw err;
    }
  }

  /** draft → issued (numbered). Storno validates the UBL first; a refusal is shown, not retried. */
  private async issue(storno: StornoClient, link: DocumentLink): Promise<DocumentLink> {
    if (link.status !== 'draft' || !link.stornoDocumentId) return link;
    try {
      const issued = await storno.issueInvoice(link.stornoDocumentId);
      return this.documents.update(link.id, { status: 'issued', documentNumber: issued.number, providerError: null });
    } catch (err) {
      if (err instanceof StornoValidationError) {
        // "Only draft invoices can be issued": an earlier attempt did it and its answer was lost (a crash
        // between Storno's answer and our commit). Continue from what Storno holds instead of rejecting.
        const current = await storno.getInvoice(link.stornoDocumentId);
        if (current.status !== 'draft' && current.status !== 'cancelled' && !current.number.startsWith('DRAFT')) {
          return this.documents.update(link.id, { status: 'issued', documentNumber: current.number, providerError: null });
        }
        return this.documents.update(link.id, { status: 'rejected', providerError: validationMessage(err) });
      }
      throw err;
    }
  }

  /**
   * issued → sent to the provider. Buyers outside Romania are out of mandatory e-Factura scope: the document
   * stays issued (the panel says so) unless the merchant asks to send it anyway (`extern`, an optional upload).
   */
  private async submit(storno: StornoClient, link: DocumentLink, extern = false): Promise<DocumentLink> {
    if (link.status !== 'issued' || !link.stornoDocumentId) return link;
    const invoice = await storno.getInvoice(link.stornoDocumentId);
    // Already submitted by an earlier attempt whose answer was lost (a crash before our commit): do not submit again.
    const already = pipelineStatus(invoice);
    if (already === 'sent_to_provider' || already === 'validated') return this.documents.update(link.id, { status: already, providerError: null });
    const country = (invoice.client as { country?: string | null } | null | undefined)?.country;
    const outside = Boolean(country && country !== 'RO');
    // Out of scope: stays issued; lastRefreshedAt says it was decided, so the sweep leaves it alone.
    if (outside && !extern) return this.documents.update(link.id, { lastRefreshedAt: new Date(), outsideScope: true });
    try {
      await storno.submitInvoice(link.stornoDocumentId, { extern: outside });
      return this.documents.update(link.id, { status: 'sent_to_provider', providerError: null });
    } catch (err) {
      if (err instanceof StornoValidationError) {
        return this.documents.update(link.id, { status: 'rejected', providerError: validationMessage(err) });
      }
      throw err;
    }
  }

  /** The Stripe payment, recorded once (the client recognises an earlier attempt by its reference). */
  private async recordPayment(connection: Connection, storno: StornoClient, link: DocumentLink, known?: BuiltDocument): Promise<DocumentLink> {
    if (link.paymentRecorded || !link.stornoDocumentId || ['pending', 'blocked', 'draft', 'rejected'].includes(link.status)) return link;
    // Usually known from this drive; after a crash between steps, read again from Stripe.
    const built = known ?? (await this.build(connection, storno, link, {}));
    if (!built.payment) return this.documents.update(link.id, { paymentRecorded: true });
    const invoice = await storno.getInvoice(link.stornoDocumentId);
    const balance = new Big(invoice.balance ?? invoice.total);
    if (balance.lte(0)) return this.documents.update(link.id, { paymentRecorded: true });
    // Something is paid already: maybe our own payment, posted before a crash kept us from noting it.
    if (balance.lt(invoice.total)) {
      const reference = built.payment.reference;
      if (reference && (await storno.listPayments(link.stornoDocumentId)).some((p) => p.reference === reference)) {
        return this.documents.update(link.id, { paymentRecorded: true });
      }
    }
    try {
      await storno.createPayment(link.stornoDocumentId, {
        amount: built.payment.amount,
        paymentMethod: 'card',
        paymentDate: built.payment.paymentDate,
        currency: built.currency,
        reference: built.payment.reference,
        notes: 'Stripe',
      });
    } catch (err) {
      // A payment Storno refuses (e.g. over the balance) must not hold the document back; it is shown.
      if (!(err instanceof StornoValidationError)) throw err;
      this.log.warn({ linkId: link.id, err: err.message }, 'Storno refused to record the Stripe payment');
    }
    return this.documents.update(link.id, { paymentRecorded: true });
  }

  /** Reads the provider's verdict from Storno. */
  async refresh(connection: Connection, link: DocumentLink): Promise<DocumentLink> {
    if (!link.stornoDocumentId) return link;
    const storno = await this.storno(connection);
    try {
      const invoice = await storno.getInvoice(link.stornoDocumentId);
      const status = pipelineStatus(invoice);
      return this.documents.update(link.id, {
        status,
        documentNumber: invoice.number,
        providerError: status === 'rejected' ? (invoice.anafErrorMessage ?? link.providerError ?? 'Rejected by the e-invoice provider.') : null,
        lastRefreshedAt: new Date(),
      });
    } catch (err) {
      throw await this.access.failed(connection, err);
    }
  }

  /**
   * Retry: a rejected document at Storno is fixed and resent (`fixAndResend`); a blocked one, or one Storno
   * refused to create, is rebuilt.
   */
  async retry(connection: Connection, link: DocumentLink, options: DriveOptions = {}): Promise<DriveResult> {
    if (link.status === 'rejected' && link.stornoDocumentId) return this.fixAndResend(connection, link);
    if (link.status === 'rejected' || link.status === 'blocked') {
      link = await this.documents.update(link.id, { status: 'pending', problem: null, providerError: null });
    }
    return this.driveLink(connection, link, options);
  }

  /**
   * Fix and resend a document the provider (or Storno's own pre-upload checks) rejected: re-read Stripe and the
   * Storno client, rebuild the document, and when the buyer or the lines differ from what the Storno document
   * holds, update it (PUT, allowed for rejected invoices — storno-api.md §3.4; it refreshes the frozen buyer
   * snapshot) and submit it again. When nothing changed it is not resent: the panel says what to fix instead.
   */
  async fixAndResend(connection: Connection, link: DocumentLink): Promise<DriveResult> {
    if (!(await this.documents.lease(link.id))) return { link: (await this.documents.byId(connection.id, link.id)) ?? link, busy: true };
    try {
      const storno = await this.storno(connection);
      const built = await this.build(connection, storno, link, {});
      if (built.problem?.kind === 'preflight' || !built.payload) {
        return { link: await this.documents.update(link.id, { problem: JSON.stringify(built.problem) }), busy: false };
      }
      const invoice = await storno.getInvoice(link.stornoDocumentId!);
      const client = (await storno.getClient(built.payload.clientId)).client;
      const changes = describeChanges({ invoice, client, payload: built.payload });
      if (!changes.length) {
        const nothing: DocumentProblem = {
          kind: 'preflight',
          checks: [{
            code: 'nothing_changed',
            message: `Nothing changed since it was rejected, so it was not resent. ANAF said: ${link.providerError ?? 'rejected'}. Fix that in the Storno.ro client (address, county, sector, CUI/CNP) or in Stripe, then use "Fix and resend" again.`,
          }],
        };
        return { link: await this.documents.update(link.id, { problem: JSON.stringify(nothing) }), busy: false };
      }
      const { clientId, lines, exchangeRate } = built.payload;
      await storno.updateInvoice(link.stornoDocumentId!, { clientId, lines, ...(exchangeRate ? { exchangeRate } : {}) } as never);
      const notes: FiscalNotes = { ...fiscalNotesOf(link), assumptions: built.assumptions, changes, fixedAt: new Date().toISOString() };
      let current = await this.documents.update(link.id, {
        status: link.documentNumber && !link.documentNumber.startsWith('DRAFT') ? 'issued' : 'draft',
        problem: null,
        providerError: null,
        clientName: built.clientName,
        outsideScope: built.outsideScope,
        fiscalNotes: JSON.stringify(notes),
      });
      await this.documents.renew(link.id);
      current = await this.issue(storno, current);
      current = await this.submit(storno, current);
      return { link: current, busy: false };
    } catch (err) {
      throw await this.access.failed(connection, err);
    } finally {
      await this.documents.release(link.id);
    }
  }

  /** "Send to ANAF anyway": the optional upload of an issued document outside mandatory scope. */
  async sendAnyway(connection: Connection, link: DocumentLink): Promise<DriveResult> {
    if (!(await this.documents.lease(link.id))) return { link: (await this.documents.byId(connection.id, link.id)) ?? link, busy: true };
    try {
      const storno = await this.storno(connection);
      return { link: await this.submit(storno, link, true), busy: false };
    } catch (err) {
      throw await this.access.failed(connection, err);
    } finally {
      await this.documents.release(link.id);
    }
  }

  /** Worker tick: verdicts of documents at the provider, and documents left half-way (crash, outage). */
  async sweep(limit = 50): Promise<void> {
    for (const link of await this.documents.inFlight(limit)) {
      const connection = await this.connections.byId(link.connectionId);
      if (!connection || connection.status !== 'active') continue;
      await this.refresh(connection, link).catch((err) => this.log.warn({ linkId: link.id, err: String(err) }, 'status refresh failed'));
    }
    for (const link of await this.documents.stalled(limit, this.stalledAfterMs)) {
      const connection = await this.connections.byId(link.connectionId);
      if (!connection || connection.status !== 'active') continue;
      await this.driveLink(connection, link).catch((err) => this.log.warn({ linkId: link.id, err: String(err) }, 'resuming a document failed'));
    }
  }

  static isTransient(err: unknown): boolean {
    return err instanceof StornoTransientError || (typeof err === 'object' && err !== null && (err as { retryable?: boolean }).retryable === true);
  }
}
