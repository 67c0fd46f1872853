// Development secrets: generated once on the first `npm start` and kept in ./data/dev-secrets.json, so a
// second start reuses them (tokens, encrypted credentials and webhook signatures stay valid). Each value
// carries the "devonly" marker that production refuses.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_SECRET_MARKER } from '../config.js';

export interface DevSecrets {
  STRIPE_SECRET_KEY: string;
  STRIPE_APP_SECRET: string;
  STRIPE_WEBHOOK_SECRET: string;
  STORNO_OAUTH_CLIENT_ID: string;
  STORNO_OAUTH_CLIENT_SECRET: string;
  ENCRYPTION_KEY: string;
  JWT_SECRET: string;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function generate(): DevSecrets {
  return {
    STRIPE_SECRET_KEY: `sk_test_${DEV_SECRET_MARKER}_${hex(16)}`,
    STRIPE_APP_SECRET: `absec_${DEV_SECRET_MARKER}_${hex(16)}`,
    STRIPE_WEBHOOK_SECRET: `whsec_${DEV_SECRET_MARKER}_${hex(16)}`,
    STORNO_OAUTH_CLIENT_ID: `storno_cid_${DEV_SECRET_MARKER}_stripe_app`,
    STORNO_OAUTH_CLIENT_SECRET: `storno_cs_${DEV_SECRET_MARKER}_${hex(16)}`,
    // A key must decode to exactly 32 bytes, so it cannot carry the marker: production recognises it by
    // comparing with the values of this file (loadConfig's devSecretValues).
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    JWT_SECRET: `${DEV_SECRET_MARKER}_${hex(32)}`,
  };
}

/** The values of an existing dev-secrets file, so production can refuse any of them. */
export function readDevSecretValues(dataDir: string): string[] {
  const file = join(dataDir, 'dev-secrets.json');
  if (!existsSync(file)) return [];
  return Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
}

/** Reads ./data/dev-secrets.json, creating it on first use. Never called in production. */
export function ensureDevSecrets(dataDir: string): { secrets: DevSecrets; file: string; created: boolean } {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>;
    const secrets = { ...generate(), ...stored };
    if (Object.keys(stored).length !== Object.keys(secrets).length) writeSecrets(file, secrets);
    return { secrets, file, created: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = generate();
  writeSecrets(file, secrets);
  return { secrets, file, created: true };
}

function writeSecrets(file: string, secrets: DevSecrets): void {
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
}
