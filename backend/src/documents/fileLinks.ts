// Short-lived signed links to a document's PDF and XML. The Dashboard can only open a page from a link the
// extension already holds, and the page is opened by the browser without our bearer token; so the link itself is
// the permission: HMAC-SHA256 (key derived from the app's signing secret) over connection + document + format +
// expiry. Storno's credentials never leave the backend: it fetches the file and streams it back.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIssuedNumber } from '../storno/client.js';

export type FileFormat = 'pdf' | 'xml';

/** How long a link works. The extension asks for fresh ones before this runs out. */
export const FILE_LINK_TTL_SECONDS = 300;

export interface FileLinkClaims {
  connectionId: string;
  documentId: string;
  format: FileFormat;
  /** Unix seconds. */
  expires: number;
}

/** A key of its own for links, so a link signature can never pass as any other signature made with the secret. */
const linkKey = (appSecret: string) => createHmac('sha256', appSecret).update('storno-document-file-link/v1').digest();

const mac = (appSecret: string, c: FileLinkClaims) =>
  createHmac('sha256', linkKey(appSecret)).update(`${c.connectionId}\n${c.documentId}\n${c.format}\n${c.expires}`).digest('hex');

/** Signs with the first secret (the current one during a rotation). */
export function signFileLink(appSecrets: readonly string[], claims: FileLinkClaims): string {
  return mac(appSecrets[0], claims);
}

export type FileLinkCheck = 'ok' | 'expired' | 'invalid';

export function verifyFileLink(appSecrets: readonly string[], claims: FileLinkClaims, signature: string, nowSeconds: number): FileLinkCheck {
  if (!/^[0-9a-f]{64}$/.test(signature)) return 'invalid';
  const given = Buffer.from(signature, 'hex');
  const matches = appSecrets.some((secret) => timingSafeEqual(Buffer.from(mac(secret, claims), 'hex'), given));
  if (!matches) return 'invalid';
  return claims.expires > nowSeconds ? 'ok' : 'expired';
}

/** `<number>.pdf` with only file-name-safe characters; "document" while there is no number. */
export function fileNameFor(number: string | null, format: FileFormat): string {
  const base = isIssuedNumber(number) ? number.replace(/[^A-Za-z0-9._-]/g, '_') : 'document';
  return `${base}.${format}`;
}
