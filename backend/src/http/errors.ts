// One error shape for every route: { error: "<code>", message: "<text a person understands>" }.
import type { FastifyError, FastifyInstance, FastifySchemaValidationError } from 'fastify';
import { toHttpError } from './domainErrors.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, code = 'invalid_request') => new HttpError(400, code, message);
export const unauthorized = (message = 'Authentication is required.', code = 'unauthorized') =>
  new HttpError(401, code, message);
export const notFound = (message: string, code = 'not_found') => new HttpError(404, code, message);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** OAuth endpoints answer RFC 6749 bodies: `{ error, error_description }`. */
    oauthErrors?: boolean;
  }
}

/**
 * A schema validation failure as a person reads it. Path parameters carry their own full sentence
 * ("The invoice id "x" must be a Stripe id starting with in_."); body and query fields are named first.
 */
export function describeValidation(context: string | undefined, issues: FastifySchemaValidationError[]): string {
  return issues
    .map((issue) => {
      const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return context === 'params' || !path ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}

function oauthBodyProblem(code: string | undefined): string {
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'Send the parameters as application/x-www-form-urlencoded (or JSON).';
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'The request body is empty.';
  return 'The request body could not be read.';
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}.` });
  });

  app.setErrorHandler((thrown: FastifyError | HttpError, request, reply) => {
    const err = toHttpError(thrown) ?? thrown;
    if (err instanceof HttpError) {
      if (err.statusCode >= 500) request.log.warn({ err: thrown }, 'outside service failed');
      reply.code(err.statusCode).send({ error: err.code, message: err.message, ...err.details });
      return;
    }
    const status = err.statusCode ?? 500;
    // RFC 6749 §5.2: whatever an OAuth endpoint refuses before its handler runs (unparsable JSON, an empty body, a
    // content type it cannot read, fields of the wrong type) is `invalid_request`.
    if (request.routeOptions.config.oauthErrors && status >= 400 && status < 500 && status !== 429) {
      const description = err.validation ? describeValidation(err.validationContext, err.validation) : oauthBodyProblem(err.code);
      reply.code(400).header('cache-control', 'no-store').send({ error: 'invalid_request', error_description: description });
      return;
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err instanceof SyntaxError && status === 400)) {
      reply.code(400).send({ error: 'invalid_json', message: 'The request body is not valid JSON.' });
      return;
    }
    if (err.validation) {
      reply.code(400).send({ error: 'invalid_request', message: describeValidation(err.validationContext, err.validation) });
      return;
    }
    if (status === 429) {
      reply.code(429).send({ error: 'rate_limited', message: 'Too many requests; wait a moment and try again.' });
      return;
    }
    if (status >= 400 && status < 500) {
      const code = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type' : 'invalid_request';
      reply.code(status).send({ error: code, message: err.message });
      return;
    }
    request.log.error({ err }, 'unhandled error');
    reply.code(500).send({ error: 'internal_error', message: 'Something went wrong on our side; it has been logged.' });
  });
}
