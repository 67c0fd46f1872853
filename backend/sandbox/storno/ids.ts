// Identifiers and secrets: UUIDs for records, prefixed random tokens, and the hashes tokens are stored under.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const newId = (): string => randomUUID();

/** UUID v7 (time-ordered), as the real server uses for webhook delivery bodies. */
export function uuidV7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Tokens and keys are stored as SHA-256 hex, like the real server does for API keys and OAuth2 tokens. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Sandbox passwords: a salted SHA-256 is enough for throwaway demo accounts (never reuse real passwords here). */
export const hashPassword = (password: string): string => hashSecret(`storno-sandbox:${password}`);

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
