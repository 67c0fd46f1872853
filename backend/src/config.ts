// The backend's whole configuration, read from the environment through one zod schema.
// In development, missing secrets are filled from ./data/dev-secrets.json (see dev/devSecrets.ts);
// in production every setting must be given and development secrets are refused.
import { isIP } from 'node:net';
import { z } from 'zod';

export const DEV_SECRET_MARKER = 'devonly';

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional());
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .refine((p) => p !== 4242, 'port 4242 belongs to `stripe apps start`; pick another')
    .default(8787),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalString,
  STORNO_API_URL: optionalUrl,
  STORNO_OAUTH_CLIENT_ID: optionalString,
  STORNO_OAUTH_CLIENT_SECRET: optionalString,
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_API_URL: optionalUrl,
  STRIPE_APP_SECRET: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  /** BNR's exchange-rate feeds; `npm start` points it at the offline stand-in when unset. */
  BNR_URL: optionalUrl,
  ENCRYPTION_KEY: optionalString,
  JWT_SECRET: optionalString,
  WORKER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** How often the worker refreshes provider verdicts and resumes stalled documents. */
  WORKER_TICK_MS: z.coerce.number().int().min(10).default(5_000),
  /** A document untouched this long, half-way through the pipeline and not leased, is resumed by the worker. */
  STALLED_AFTER_MS: z.coerce.number().int().min(0).default(60_000),
  /** A document at the provider is asked about again after this long; Storno's webhooks bring most verdicts sooner. */
  VERDICT_POLL_MS: z.coerce.number().int().min(0).default(60_000),
  /**
   * Which proxies may tell the client's address with X-Forwarded-For: empty/`false` (default: none, the socket
   * address counts), a hop count (`1` = one proxy in front), or a comma-separated list of proxy addresses/CIDRs.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('')
    .transform((v, ctx): TrustProxy => {
      if (v === '' || v === 'false') return false;
      if (/^\d+$/.test(v)) return Number(v);
      const list = v.split(',').map((a) => a.trim()).filter(Boolean);
      if (v === 'true' || list.some((a) => !isIP(a.split('/')[0]))) {
        ctx.addIssue({ code: 'custom', message: 'must be empty, a hop count, or a comma-separated list of proxy addresses (CIDR allowed)' });
        return z.NEVER;
      }
      return list;
    }),
  /** Processed webhook events are deleted after this many days (after Stripe's 3 days of retries, so de-duplication holds). */
  RETENTION_DAYS: z.coerce.number().int().min(4).default(30),
  /** Documents a period backfill makes at once: its pace toward Storno. */
  BACKFILL_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
});

/** Fastify's `trustProxy`: nobody, the N nearest hops, or these proxy addresses. */
export type TrustProxy = false | number | string[];

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string;
  storno: { apiUrl: string; oauthClientId: string; oauthClientSecret: string };
  /** Base of BNR's reference-rate XML feeds (https://www.bnr.ro, or the stand-in). */
  bnrUrl: string;
  stripe: {
    secretKey: string;
    apiUrl?: string;
    /** The app's `absec_` signing secrets; several during a rotation. */
    appSecrets: string[];
    webhookSecret: string;
  };
  encryptionKey: Buffer;
  jwtSecret: string;
  workerEnabled: boolean;
  workerTickMs: number;
  stalledAfterMs: number;
  verdictPollMs: number;
  trustProxy: TrustProxy;
  /** Age after which processed inbox events are deleted. */
  retentionMs: number;
  backfillConcurrency: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is incomplete or invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const REQUIRED_IN_PRODUCTION = [
  'PUBLIC_URL',
  'DATABASE_URL',
  'STORNO_API_URL',
  'STORNO_OAUTH_CLIENT_ID',
  'STORNO_OAUTH_CLIENT_SECRET',
  'STRIPE_SECRET_KEY',
  'STRIPE_APP_SECRET',
  'STRIPE_WEBHOOK_SECRET',
  'ENCRYPTION_KEY',
  'JWT_SECRET',
] as const;

const SECRET_NAMES = [
  'STORNO_OAUTH_CLIENT_SECRET',
  'STRIPE_SECRET_KEY',
  'STRIPE_APP_SECRET',
  'STRIPE_WEBHOOK_SECRET',
  'ENCRYPTION_KEY',
  'JWT_SECRET',
] as const;

/** ENCRYPTION_KEY is 32 bytes, given as 64 hex characters or base64. */
export function decodeEncryptionKey(value: string): Buffer | undefined {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  return key.length === 32 ? key : undefined;
}

/**
 * Parses the environment. `fallbacks` (development secrets and stand-in URLs) fill what the environment
 * leaves unset, except in production, where they are never consulted and where any of `devSecretValues`
 * (the values of ./data/dev-secrets.json) is refused.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  { fallbacks = {}, devSecretValues = [] }: { fallbacks?: Record<string, string>; devSecretValues?: string[] } = {},
): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const problems: string[] = [];
  const value = (name: keyof typeof e): string | undefined => {
    const own = e[name];
    if (typeof own === 'string' && own !== '') return own;
    return production ? undefined : fallbacks[name];
  };

  if (production) {
    for (const name of REQUIRED_IN_PRODUCTION) {
      if (!value(name)) problems.push(`${name} is required in production`);
    }
    for (const name of SECRET_NAMES) {
      const given = value(name);
      if (given && (given.includes(DEV_SECRET_MARKER) || devSecretValues.includes(given))) {
        problems.push(`${name} is a development secret; generate a real one for production`);
      }
    }
    if (e.JWT_SECRET && e.JWT_SECRET.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
    if (e.PUBLIC_URL && !e.PUBLIC_URL.startsWith('https://')) problems.push('PUBLIC_URL must be https in production');
  } else {
    for (const name of REQUIRED_IN_PRODUCTION) {
      if (name !== 'DATABASE_URL' && name !== 'PUBLIC_URL' && !value(name)) {
        problems.push(`${name} is not set and no development value is available`);
      }
    }
  }
  const rawKey = value('ENCRYPTION_KEY');
  const encryptionKey = rawKey ? decodeEncryptionKey(rawKey) : undefined;
  if (rawKey && !encryptionKey) problems.push('ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64)');
  if (problems.length > 0) throw new ConfigError(problems);

  const publicUrl = (value('PUBLIC_URL') ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`).replace(
    /\/+$/,
    '',
  );
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir: e.DATA_DIR,
    databaseUrl: value('DATABASE_URL') ?? `file:${e.DATA_DIR.replace(/\/+$/, '')}/storno-stripe.db`,
    bnrUrl: (value('BNR_URL') ?? 'https://www.bnr.ro').replace(/\/+$/, ''),
    storno: {
      apiUrl: value('STORNO_API_URL')!.replace(/\/+$/, ''),
      oauthClientId: value('STORNO_OAUTH_CLIENT_ID')!,
      oauthClientSecret: value('STORNO_OAUTH_CLIENT_SECRET')!,
    },
    stripe: {
      secretKey: value('STRIPE_SECRET_KEY')!,
      apiUrl: value('STRIPE_API_URL'),
      appSecrets: value('STRIPE_APP_SECRET')!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      webhookSecret: value('STRIPE_WEBHOOK_SECRET')!,
    },
    encryptionKey: encryptionKey!,
    jwtSecret: value('JWT_SECRET')!,
    workerEnabled: e.WORKER_ENABLED,
    workerTickMs: e.WORKER_TICK_MS,
    stalledAfterMs: e.STALLED_AFTER_MS,
    verdictPollMs: e.VERDICT_POLL_MS,
    trustProxy: e.TRUST_PROXY,
    retentionMs: e.RETENTION_DAYS * 24 * 3600 * 1000,
    backfillConcurrency: e.BACKFILL_CONCURRENCY,
  };
}
