// Every failure of a Storno call surfaces as a StornoError subclass, so callers branch on the class (or `code`)
// instead of parsing text. `body` keeps what the server sent (parsed JSON, or at most 2 KB of text).

export interface StornoErrorInit {
  status?: number;
  code: string;
  message: string;
  body?: unknown;
  cause?: unknown;
}

export class StornoError extends Error {
  /** HTTP status; undefined when no response arrived (network error, timeout, open circuit). */
  readonly status: number | undefined;
  /** Machine-readable reason: the server's own code when it sent one (`PLAN_LIMIT`, `DUPLICATE_CIF`, `invalid_grant`…). */
  readonly code: string;
  /** The raw response body. */
  readonly body: unknown;

  constructor(init: StornoErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.body = init.body;
  }
}

/** 401, or 403 (bad API key, inactive account, missing permission, read-only company). Reconnect or fix rights. */
export class StornoAuthError extends StornoError {}

const DEAD_CREDENTIAL_CODES: ReadonlySet<string> = new Set(['invalid_api_key', 'account_inactive']);

/**
 * A 403 that names a right the connected user lacks (or a read-only company): that action is refused, but the
 * credential is alive and the connection stays usable. Everything else of StornoAuthError means reconnect.
 */
export function isMissingPermission(err: unknown): err is StornoAuthError {
  return err instanceof StornoAuthError && err.status === 403 && !DEAD_CREDENTIAL_CODES.has(err.code);
}

/** 404 `{"error":"Company not found."}`: the X-Company is unknown/not visible — the connection's company is gone. */
export class StornoCompanyNotFoundError extends StornoError {}

/** 404 for an item (invoice, client…). */
export class StornoNotFoundError extends StornoError {}

/** 402 PLAN_LIMIT. */
export class StornoPlanLimitError extends StornoError {
  readonly limit: number | undefined;
  constructor(init: StornoErrorInit & { limit?: number }) {
    super(init);
    this.limit = init.limit;
  }
}

/** 409: duplicate series prefix, duplicate company CIF. */
export class StornoConflictError extends StornoError {}

export interface StornoValidationIssue {
  message: string;
  /** Client create's `{errors:[{key,message}]}`. */
  key?: string;
  /** Issue's UBL validation: `source` (business/xsd/schematron), `ruleId` (BR-RO-…), `location`. */
  source?: string;
  ruleId?: string;
  location?: string;
}

/** 400 / 422: bad input, business rule, illegal state transition, failed UBL validation. */
export class StornoValidationError extends StornoError {
  readonly issues: StornoValidationIssue[];
  constructor(init: StornoErrorInit & { issues?: StornoValidationIssue[] }) {
    super(init);
    this.issues = init.issues ?? [];
  }
  /** The UBL rule ids the server named (e.g. `BR-RO-010`), for showing or matching. */
  get ruleIds(): string[] {
    return this.issues.flatMap((i) => (i.ruleId ? [i.ruleId] : []));
  }
}

/**
 * Worth trying again later: 5xx, 429, network errors, timeouts, an open circuit.
 * `maybeProcessed` is false only when the request certainly did nothing on the server (429, refused connection,
 * open circuit) — then even a non-idempotent call may be repeated.
 */
export class StornoTransientError extends StornoError {
  readonly retryAfterMs: number | undefined;
  readonly maybeProcessed: boolean;
  constructor(init: StornoErrorInit & { retryAfterMs?: number; maybeProcessed: boolean }) {
    super(init);
    this.retryAfterMs = init.retryAfterMs;
    this.maybeProcessed = init.maybeProcessed;
  }
}

/** A 2xx whose body is not what the contract promises (non-JSON, missing or mistyped field — the field is named). */
export class StornoResponseError extends StornoError {}

// ---- mapping a response to an error ------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

function validationIssues(body: Json): StornoValidationIssue[] {
  const raw = Array.isArray(body.errors) ? body.errors : [];
  return raw.flatMap((e): StornoValidationIssue[] => {
    if (typeof e === 'string') return [{ message: e }];
    if (!isObject(e)) return [];
    const issue: StornoValidationIssue = { message: str(e.message) ?? JSON.stringify(e) };
    for (const k of ['key', 'source', 'ruleId', 'location'] as const) {
      const v = e[k];
      if (typeof v === 'string' || typeof v === 'number') issue[k] = String(v);
    }
    return [issue];
  });
}

/** Parses Retry-After (delta seconds or HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const OAUTH_AUTH_CODES = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'invalid_token']);

/** Turns a non-2xx response into the typed error a caller can act on. `body` is parsed JSON or raw text. */
export function errorFromResponse(
  status: number,
  body: unknown,
  headers: { get(name: string): string | null },
  context: string,
): StornoError {
  const b = isObject(body) ? body : {};
  // Server texts live under different keys per layer (§6.1): controllers `error`, auth `message`, problem JSON `detail`.
  const serverText =
    str(b.error_description) ??
    (status === 422 || status === 400 ? str(b.error) : undefined) ??
    str(b.message) ??
    str(b.error) ??
    str(b.detail) ??
    str(b.title);
  const oauthCode = str(b.error) && (str(b.error_description) || OAUTH_AUTH_CODES.has(b.error as string)) ? str(b.error) : undefined;
  const serverCode = str(b.code) ?? str(b.error_code) ?? oauthCode;
  const describe = (fallback: string) => `${context}: ${serverText ?? fallback}`;

  if (serverCode && OAUTH_AUTH_CODES.has(serverCode)) {
    return new StornoAuthError({ status, code: serverCode, message: describe('OAuth2 authorization failed'), body });
  }
  if (status === 401) {
    const code = str(b.error_code) === 'OAUTH2_AUTH_FAILED' ? 'invalid_token' : (serverCode ?? 'unauthorized');
    return new StornoAuthError({ status, code, message: describe('authentication failed'), body });
  }
  if (status === 403) {
    const code = str(b.error_code) === 'AUTH_HEADER_TOKEN' ? 'invalid_api_key' : (serverCode ?? 'forbidden');
    return new StornoAuthError({ status, code, message: describe('access denied'), body });
  }
  if (status === 404) {
    if (/company not found/i.test(str(b.error) ?? '')) {
      return new StornoCompanyNotFoundError({ status, code: 'company_not_found', message: describe('company not found'), body });
    }
    return new StornoNotFoundError({ status, code: serverCode ?? 'not_found', message: describe('not found'), body });
  }
  if (status === 402) {
    const limit = typeof b.limit === 'number' ? b.limit : undefined;
    return new StornoPlanLimitError({ status, code: serverCode ?? 'PLAN_LIMIT', message: describe('plan limit reached'), body, limit });
  }
  if (status === 409) {
    return new StornoConflictError({ status, code: serverCode ?? 'conflict', message: describe('conflict'), body });
  }
  if (status === 400 || status === 422) {
    const issues = validationIssues(b);
    const head = str(b.error) ?? str(b.error_description) ?? str(b.detail) ?? str(b.message);
    const text = [head, issues.map((i) => (i.key ? `${i.key}: ${i.message}` : i.ruleId ? `[${i.ruleId}] ${i.message}` : i.message)).join('; ')]
      .filter((s) => s)
      .join(' — ');
    return new StornoValidationError({
      status,
      code: serverCode ?? (status === 400 ? 'invalid_request' : 'unprocessable'),
      message: `${context}: ${text || (status === 400 ? 'bad request' : 'rejected by a business rule')}`,
      body,
      issues: issues.length ? issues : head ? [{ message: head }] : [],
    });
  }
  if (status === 429) {
    return new StornoTransientError({
      status,
      code: 'rate_limited',
      message: describe('rate limited'),
      body,
      retryAfterMs: parseRetryAfter(headers.get('retry-after')),
      maybeProcessed: false,
    });
  }
  if (status >= 500) {
    return new StornoTransientError({
      status,
      code: serverCode ?? 'server_error',
      message: `${context}: Storno answered ${status}${serverText ? ` (${serverText})` : ''}`,
      body,
      retryAfterMs: parseRetryAfter(headers.get('retry-after')),
      maybeProcessed: true,
    });
  }
  return new StornoError({ status, code: serverCode ?? `http_${status}`, message: describe(`unexpected status ${status}`), body });
}
