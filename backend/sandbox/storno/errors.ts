// The real server's error bodies differ per layer (controllers, auth, framework); routes throw ApiError with
// the exact body, and the error handler sends it untouched.
import type { FastifyInstance } from 'fastify';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'error' in body ? String((body as { error: unknown }).error) : `HTTP ${statusCode}`);
    this.name = 'ApiError';
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Symfony's problem JSON (framework errors, voter denials, uncaught exceptions such as a malformed UUID). */
export const problem = (status: number, detail?: string): ApiError =>
  new ApiError(status, {
    type: 'https://tools.ietf.org/html/rfc2616#section-10',
    title: 'An error occurred',
    status,
    detail: detail ?? STATUS_TEXT[status] ?? 'Error',
  });

/** Controller-style `{error}` bodies. */
export const fail = (status: number, error: string, extra: Record<string, unknown> = {}): ApiError =>
  new ApiError(status, { error, ...extra });

export function registerSandboxErrors(app: FastifyInstance): void {
  app.setNotFoundHandler((_request, reply) => {
    const p = problem(404);
    reply.code(404).send(p.body);
  });
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (err instanceof ApiError) {
      reply.code(err.statusCode).headers(err.headers).send(err.body);
      return;
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Body parse failures and the like: the framework's problem JSON with the status text.
      reply.code(status).send(problem(status, STATUS_TEXT[status] ?? err.message).body);
      return;
    }
    request.log.error({ err }, 'sandbox route failed');
    reply.code(500).send(problem(500).body);
  });
}
