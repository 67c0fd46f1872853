// The one mapping from domain and outside-world failures to HTTP answers, as the merchant should read them.
import { ClientDataInvalid, DeadlinePassed, LeaseLost, NotAProposal, NotInvoiceable, ReauthorizationRequired, StornoPermissionDenied } from '../documents/errors.js';
import { isMissingPermission, StornoAuthError, StornoError, StornoTransientError } from '../storno/errors.js';
import { StripeObjectNotFound, StripeReadError, StripeTransientError } from '../stripe/errors.js';
import { HttpError } from './errors.js';

export function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof NotInvoiceable) return new HttpError(409, err.reason, err.message, err.invoiceId ? { invoiceId: err.invoiceId } : undefined);
  if (err instanceof ReauthorizationRequired) return new HttpError(401, 'reauthorization_required', err.message);
  // issue 12: a late document asks for confirmation; a Storno permission names what is missing (the connection stays).
  if (err instanceof DeadlinePassed) return new HttpError(409, 'deadline_passed', err.message, { issueDate: err.issueDate, deadline: err.deadline });
  if (err instanceof StornoPermissionDenied) return new HttpError(403, 'storno_permission', err.message);
  if (isMissingPermission(err)) {
    return new HttpError(403, 'storno_permission', `The Storno user who connected lacks a permission for this: ${err.message}. Ask the Storno admin.`);
  }
  if (err instanceof LeaseLost) return new HttpError(409, 'busy', err.message);
  if (err instanceof ClientDataInvalid) return new HttpError(422, 'client_data_invalid', err.message, { checks: err.checks });
  if (err instanceof NotAProposal) return new HttpError(409, 'not_a_proposal', err.message);
  if (err instanceof StripeObjectNotFound) return new HttpError(404, 'stripe_object_not_found', err.message);
  if (err instanceof StripeTransientError) {
    return new HttpError(503, 'stripe_unavailable', 'Stripe is not answering right now; nothing was lost, try again in a minute.');
  }
  if (err instanceof StripeReadError) return new HttpError(502, 'stripe_error', err.message);
  if (err instanceof StornoTransientError) {
    return new HttpError(
      503,
      'storno_unavailable',
      'Storno.ro is not reachable right now. Nothing was lost: the document is kept and completed automatically when Storno answers again.',
    );
  }
  // Storno refused our authorization in the middle of a call (revoked at Storno): the extension asks to reconnect.
  if (err instanceof StornoAuthError) {
    return new HttpError(401, 'reauthorization_required', 'Storno.ro no longer accepts the stored authorization; reconnect from the app settings.');
  }
  if (err instanceof StornoError) return new HttpError(502, 'storno_error', `Storno.ro answered: ${err.message}`);
  return undefined;
}
