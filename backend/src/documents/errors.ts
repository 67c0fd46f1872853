// What the document engine refuses, in domain terms; routes map these to HTTP (http/domainErrors.ts), the worker
// to retries or visible states.

/** Storno refuses the stored credentials (or no longer shows the company): the merchant must reconnect. */
export class ReauthorizationRequired extends Error {
  /** The worker waits for the reconnection instead of giving the event up. */
  readonly code = 'reauthorization_required';
  constructor(message = 'Storno.ro no longer accepts the stored authorization; reconnect from the app settings.') {
    super(message);
    this.name = 'ReauthorizationRequired';
  }
}

/** Nothing can be made from this Stripe object in its current state; `reason` is a stable code. */
export class NotInvoiceable extends Error {
  constructor(
    message: string,
    readonly reason: 'not_invoiceable' | 'covered_by_invoice' | 'no_parent_document' | 'parent_rejected' = 'not_invoiceable',
    /** covered_by_invoice: the Stripe invoice whose e-invoice covers this payment. */
    readonly invoiceId?: string,
  ) {
    super(message);
    this.name = 'NotInvoiceable';
  }
}

/** Storno refused an action with 403: the connected user lacks `permission` (issue 12). The connection stays usable. */
export class StornoPermissionDenied extends Error {
  constructor(
    readonly permission: string,
    readonly action: string,
    readonly stornoMessage: string,
  ) {
    super(`Storno.ro refused to ${action}: the user who connected lacks permission ${permission}. Ask the Storno admin to grant it.`);
    this.name = 'StornoPermissionDenied';
  }
}

/** Creating this document now would already be late (an old subscription cycle…): the merchant must confirm (issue 12). */
export class DeadlinePassed extends Error {
  constructor(
    readonly issueDate: string,
    readonly deadline: string,
  ) {
    super(
      `This document is dated ${issueDate}; its e-Factura upload deadline was ${deadline}, so it will reach ANAF late. ` +
        'Create it anyway to send it late, or check the date in Stripe first.',
    );
    this.name = 'DeadlinePassed';
  }
}

/** Another driver took the document's lease over: this drive stops writing. */
export class LeaseLost extends Error {
  constructor(linkId: string) {
    super(`Another request or worker took over document ${linkId}; reload in a moment.`);
    this.name = 'LeaseLost';
  }
}

/** The customer's data would be refused by Storno as a client (pre-flight buyer checks): nothing is created. */
export class ClientDataInvalid extends Error {
  constructor(readonly checks: readonly { code: string; message: string }[]) {
    super(`Storno would refuse this client: ${checks.map((c) => c.message).join(' ')}`);
    this.name = 'ClientDataInvalid';
  }
}

/** The client the merchant confirmed is not the one proposed for the customer (any more). */
export class NotAProposal extends Error {
  constructor() {
    super('That client is not the one proposed for this customer (the customer may already be matched, or have a tax ID of its own); reload the customer view.');
    this.name = 'NotAProposal';
  }
}
