// Errors the document engine raises for routes and the worker to translate.
import { HttpError } from '../http/errors.js';

/** Storno refuses the stored credentials: the merchant must reconnect. */
export class ReauthorizationRequired extends HttpError {
  constructor(message = 'Storno.ro no longer accepts the stored authorization; reconnect from the app settings.') {
    super(401, 'reauthorization_required', message);
  }
}

/** Storno refused an action with 403: the connected user lacks `permission` (issue 12). The connection stays usable. */
export class StornoPermissionDenied extends HttpError {
  constructor(
    readonly permission: string,
    readonly action: string,
    readonly stornoMessage: string,
  ) {
    super(403, 'storno_permission', `Storno.ro refused to ${action}: the user who connected lacks permission ${permission}. Ask the Storno admin to grant it.`);
  }
}

/** Creating this document now would already be late (an old subscription cycle…): the merchant must confirm (issue 12). */
export class DeadlinePassed extends HttpError {
  constructor(
    readonly issueDate: string,
    readonly deadline: string,
  ) {
    super(
      409,
      'deadline_passed',
      `This document is dated ${issueDate}; its e-Factura upload deadline was ${deadline}, so it will reach ANAF late. ` +
        'Confirm to create it anyway (confirmLate), or check the date in Stripe first.',
      { issueDate, deadline },
    );
  }
}
