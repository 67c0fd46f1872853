// pino options shared by the backend and the stand-ins: secrets redacted wherever they appear, one line per
// request (written when it completes, with method, URL, status and time). JSON lines in production and tests;
// in development (`npm start`) pino-pretty turns them into short readable lines.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'req.headers["x-stripe-app-token"]',
  'req.headers["x-webhook-signature"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.access_token',
  '*.refresh_token',
  '*.device_code',
  '*.client_secret',
  '*.code_verifier',
  '*.password',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.credentials',
];

/** Query parameters that carry credentials (the Storno OAuth callback's authorization code, user codes, a file link's signature). */
const SECRET_QUERY_PARAMS = ['code', 'state', 'token', 'access_token', 'refresh_token', 'device_code', 'signature'];

/** The URL as logged: credential-bearing query values replaced, so they never reach the logs. */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of SECRET_QUERY_PARAMS) if (params.has(name)) params.set(name, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

/** What pino-pretty prints for a request line: `GET /api/v1/stripe-app/settings → 200 (12 ms)`. */
const PRETTY = {
  target: 'pino-pretty',
  options: {
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,reqId,req,res,responseTime',
    singleLine: true,
  },
};

export function loggerOptions(level: string, { pretty = false }: { pretty?: boolean } = {}): FastifyServerOptions['logger'] {
  return {
    level,
    ...(pretty ? { transport: PRETTY } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      // The default request serializer omits headers; ours keeps them (useful in support) and relies on
      // the redaction above for the secret ones; credential-bearing query values are masked.
      req(request) {
        return {
          method: request.method,
          url: loggableUrl(request.url),
          remoteAddress: request.ip,
          headers: request.headers,
        };
      },
    },
  };
}

/**
 * Fastify's own request logging writes two lines per request ("incoming request", "request completed"); this
 * writes one, when the answer is sent, with the (redacted) request, the status and the time taken.
 * Use with `logController: new LogController({ disableRequestLogging: true })`.
 */
export function logOneLinePerRequest(app: FastifyInstance): void {
  // At debug level only: when a request was taken (following a slow or interrupted one; a drain on SIGTERM).
  app.addHook('onRequest', async (request) => {
    request.log.debug(`${request.method} ${loggableUrl(request.url)} ← taken`);
  });
  app.addHook('onResponse', async (request, reply) => {
    const responseTime = Math.round(reply.elapsedTime);
    request.log.info({ req: request, res: reply, responseTime }, `${request.method} ${loggableUrl(request.url)} → ${reply.statusCode} (${responseTime} ms)`);
  });
}
