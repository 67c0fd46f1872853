// What the document engine refuses, in domain terms; routes map these to HTTP (http/domainErrors.ts), the worker
// to retries or visible states.

/** Storno refuses the stored credentials: the merchant must reconnect. */
export class ReauthorizationRequired extends Error {
  constructor() {
    super('Storno.ro no longer accepts the stored authorization; reconnect from the app settings.');
    this.name = 'ReauthorizationRequired';
  }
}

/** Nothing can be made from this Stripe object in its current state; `reason` is a stable code. */
export class NotInvoiceable extends Error {
  constructor(
    message: string,
    readonly reason: 'not_invoiceable' | 'covered_by_invoice' | 'no_parent_document' | 'parent_rejected' | 'parent_pending' = 'not_invoiceable',
    /** covered_by_invoice: the Stripe invoice whose e-invoice covers this payment. */
    readonly invoiceId?: string,
  ) {
    super(message);
    this.name = 'NotInvoiceable';
  }
}
