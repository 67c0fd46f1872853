// Errors the document engine raises for routes and the worker to translate.
import { HttpError } from '../http/errors.js';

/** Storno refuses the stored credentials: the merchant must reconnect. */
export class ReauthorizationRequired extends HttpError {
  constructor() {
    super(401, 'reauthorization_required', 'Storno.ro no longer accepts the stored authorization; reconnect from the app settings.');
  }
}
