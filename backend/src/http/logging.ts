// pino options shared by the backend and the stand-ins: JSON lines, secrets redacted wherever they appear.
import type { FastifyServerOptions } from 'fastify';

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

/** Query parameters that carry credentials (the Storno OAuth callback's authorization code, user codes). */
const SECRET_QUERY_PARAMS = ['code', 'state', 'token', 'access_token', 'refresh_token', 'device_code'];

/** The URL as logged: credential-bearing query values replaced, so they never reach the logs. */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of SECRET_QUERY_PARAMS) if (params.has(name)) params.set(name, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
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
