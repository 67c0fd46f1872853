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

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      // The default request serializer omits headers; ours keeps them (useful in support) and relies on
      // the redaction above for the secret ones. Query strings never carry secrets in this app.
      req(request) {
        return {
          method: request.method,
          url: request.url,
          remoteAddress: request.ip,
          headers: request.headers,
        };
      },
    },
  };
}
