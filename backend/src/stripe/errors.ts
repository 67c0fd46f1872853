// Stripe failures as the rest of the backend needs them: "that object does not exist" (a 404 for the
// route), "try again later" (the worker retries), or "this will not work" (surface it, do not retry).
import Stripe from 'stripe';

export class StripeReadError extends Error {
  constructor(
    message: string,
    /** True when the same call may succeed later (network, 5xx, rate limit, lock timeout). */
    readonly retryable: boolean,
    readonly statusCode?: number,
    /** Stripe's error `code` (resource_missing, account_invalid, rate_limit, ...). */
    readonly stripeCode?: string,
    readonly requestId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StripeReadError';
  }
}

/** The object does not exist for this account (unknown id, another account's object, or deleted). */
export class StripeObjectNotFound extends StripeReadError {
  constructor(
    readonly objectType: string,
    readonly objectId: string,
    readonly accountId: string,
    options?: { cause?: unknown; requestId?: string; detail?: string },
  ) {
    super(
      `Stripe ${objectType} ${objectId} was not found in account ${accountId}${options?.detail ? ` (${options.detail})` : ''}.`,
      false,
      404,
      'resource_missing',
      options?.requestId,
      { cause: options?.cause },
    );
    this.name = 'StripeObjectNotFound';
  }
}

export class StripeTransientError extends StripeReadError {
  constructor(message: string, statusCode?: number, stripeCode?: string, requestId?: string, cause?: unknown) {
    super(message, true, statusCode, stripeCode, requestId, { cause });
    this.name = 'StripeTransientError';
  }
}

/** Authentication, permissions (app not installed / permission missing), invalid request. */
export class StripePermanentError extends StripeReadError {
  constructor(message: string, statusCode?: number, stripeCode?: string, requestId?: string, cause?: unknown) {
    super(message, false, statusCode, stripeCode, requestId, { cause });
    this.name = 'StripePermanentError';
  }
}

export interface ReadTarget {
  objectType: string;
  objectId: string;
  accountId: string;
}

export function mapStripeError(err: unknown, target: ReadTarget): Error {
  if (err instanceof StripeReadError) return err;
  if (!(err instanceof Stripe.errors.StripeError)) {
    // Not from the SDK (a bug of ours, or a response the SDK could not parse): do not retry blindly.
    return err instanceof Error ? err : new Error(String(err));
  }
  const status = err.statusCode;
  const code = err.code;
  const what = `Stripe ${target.objectType} ${target.objectId} (account ${target.accountId})`;
  if (status === 404 || code === 'resource_missing') {
    return new StripeObjectNotFound(target.objectType, target.objectId, target.accountId, {
      cause: err,
      requestId: err.requestId,
    });
  }
  const transient =
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    code === 'lock_timeout';
  if (transient) {
    return new StripeTransientError(`${what}: Stripe is unavailable right now (${err.message})`, status, code, err.requestId, err);
  }
  return new StripePermanentError(`${what}: ${err.message}`, status, code, err.requestId, err);
}
