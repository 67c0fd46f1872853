// One HTTP exchange with Storno, wrapped in cockatiel policies:
//   retry (outer, only where repeating is safe) → circuit breaker (shared per base URL) → timeout (per attempt) → fetch.
// Everything that leaves `request` is either the validated value or a StornoError.
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  DelegateBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  type CircuitBreakerPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';
import type { z } from 'zod';
import {
  StornoError,
  StornoResponseError,
  StornoTransientError,
  StornoNotFoundError,
  errorFromResponse,
} from './errors.js';
import type { CircuitBreakerOptions, HttpSettings, RetryOptions } from './types.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 };
export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerOptions = { consecutiveFailures: 5, halfOpenAfterMs: 30_000 };

// ---- circuit breakers, one per Storno base URL -------------------------------------------------------------------
// Module-level so that every client (one per connection/company) talking to the same Storno shares the view of
// its health. The first client to name a URL fixes that breaker's options.

const breakers = new Map<string, CircuitBreakerPolicy>();

/** Transient failures that say "Storno is unwell". A 429 means it is alive and pacing us, so it does not count. */
const countsAgainstCircuit = (e: Error) =>
  e instanceof StornoTransientError && e.code !== 'rate_limited' && e.code !== 'circuit_open';

export function circuitBreakerFor(baseUrl: string, options: Partial<CircuitBreakerOptions> = {}): CircuitBreakerPolicy {
  const key = normalizeBaseUrl(baseUrl);
  let breaker = breakers.get(key);
  if (!breaker) {
    const o = { ...DEFAULT_CIRCUIT_BREAKER, ...options };
    breaker = circuitBreaker(handleWhen(countsAgainstCircuit), {
      halfOpenAfter: o.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(o.consecutiveFailures),
    });
    breakers.set(key, breaker);
  }
  return breaker;
}

/** Forget every breaker (tests). */
export function resetCircuitBreakers(): void {
  breakers.clear();
}

export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

// ---- requests ------------------------------------------------------------------------------------------------------

/**
 * `safe`: repeating cannot create a second effect (GET, PUT/PATCH with absolute values, DELETE, create with an
 * idempotencyKey) → retried on any transient failure.
 * `unsafe`: retried only when the request certainly did nothing (429, refused connection).
 */
export type RetryMode = 'safe' | 'unsafe';

export type QueryValue = string | number | boolean | undefined | null;

export interface RequestSpec<S extends z.ZodType | undefined> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Absent: the body is ignored and the call resolves to undefined. */
  schema?: S;
  /** Prefix for field names in validation errors ("invoice" → "invoice.total: expected string"). */
  label?: string;
  retry: RetryMode;
  /** For DELETE: a 404 on a repeated attempt means an earlier, unanswered attempt did the job. */
  notFoundOnRepeatIsSuccess?: boolean;
  /** A file (PDF, XML): the call resolves to its bytes and headers instead of validated JSON. */
  file?: boolean;
}

/** A file Storno served (`file: true`). */
export interface StornoFile {
  bytes: Buffer;
  contentType: string;
  /** Storno's Content-Disposition, when it sent one (carries the file name). */
  disposition: string | null;
}

type Result<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Returned through the breaker instead of thrown, so answers like 404/422 count as "Storno is healthy". */
interface Settled<T> {
  value?: T;
  error?: StornoError;
}

const MAX_BODY_IN_ERROR = 2048;

export class StornoHttp {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retryOptions: RetryOptions;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly userAgent: string;

  constructor(settings: HttpSettings) {
    this.baseUrl = normalizeBaseUrl(settings.baseUrl);
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retryOptions = { ...DEFAULT_RETRY, ...settings.retry };
    this.breaker = circuitBreakerFor(this.baseUrl, settings.circuitBreaker);
    this.fetchImpl = settings.fetch ?? ((input, init) => fetch(input, init));
    this.userAgent = settings.userAgent ?? 'storno-stripe-app/0.1';
  }

  /** Whether `error` may be retried under `mode` (also used by the client's reconcile loops). */
  isRetryable(error: unknown, mode: RetryMode): boolean {
    if (!(error instanceof StornoTransientError) || error.code === 'circuit_open') return false;
    if (error.retryAfterMs !== undefined && error.retryAfterMs > this.retryOptions.maxRetryAfterMs) return false;
    return mode === 'safe' || !error.maybeProcessed;
  }

  /** Exponential backoff with jitter; a Retry-After wins. `attempt` is 1 for the first retry. */
  backoffMs(attempt: number, error?: unknown): number {
    if (error instanceof StornoTransientError && error.retryAfterMs !== undefined) return error.retryAfterMs;
    const { initialDelayMs, maxDelayMs } = this.retryOptions;
    const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  async request<S extends z.ZodType | undefined>(spec: RequestSpec<S>): Promise<Result<S>> {
    const policy = retry(
      handleWhen((e) => this.isRetryable(e, spec.retry)),
      {
        maxAttempts: Math.max(0, this.retryOptions.maxAttempts - 1),
        backoff: new DelegateBackoff((ctx: IRetryBackoffContext<unknown>) =>
          this.backoffMs(ctx.attempt, 'error' in ctx.result ? ctx.result.error : undefined),
        ),
      },
    );
    let attempts = 0;
    const settled = await policy.execute(async () => {
      attempts += 1;
      const outcome = await this.throughBreaker(spec);
      if (outcome.error instanceof StornoNotFoundError && spec.notFoundOnRepeatIsSuccess && attempts > 1) {
        return { value: undefined } as Settled<Result<S>>;
      }
      return outcome;
    });
    if (settled.error) throw settled.error;
    return settled.value as Result<S>;
  }

  private async throughBreaker<S extends z.ZodType | undefined>(spec: RequestSpec<S>): Promise<Settled<Result<S>>> {
    try {
      return await this.breaker.execute(async () => {
        try {
          return { value: await this.attempt(spec) };
        } catch (e) {
          const error = this.toStornoError(e, spec);
          if (error instanceof StornoTransientError) throw error; // the breaker counts these
          return { error };
        }
      });
    } catch (e) {
      if (e instanceof BrokenCircuitError) {
        throw new StornoTransientError({
          code: 'circuit_open',
          message: `${spec.method} ${spec.path}: Storno at ${this.baseUrl} is failing; calls are paused for a moment`,
          maybeProcessed: false,
          cause: e,
        });
      }
      throw this.toStornoError(e, spec);
    }
  }

  /** One attempt under the per-attempt timeout, reading and validating the whole body. */
  private async attempt<S extends z.ZodType | undefined>(spec: RequestSpec<S>): Promise<Result<S>> {
    const policy = timeout(this.timeoutMs, TimeoutStrategy.Aggressive);
    return policy.execute(async ({ signal }) => {
      const url = new URL(this.baseUrl + spec.path);
      for (const [k, v] of Object.entries(spec.query ?? {})) {
        if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
      }
      const headers: Record<string, string> = {
        Accept: 'application/json',
        'User-Agent': this.userAgent,
        ...spec.headers,
      };
      let body: string | undefined;
      if (spec.body !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(spec.body);
      }
      const res = await this.fetchImpl(url, { method: spec.method, headers, body, signal, redirect: 'manual' });
      if (spec.file && res.status >= 200 && res.status < 300) {
        const file: StornoFile = {
          bytes: Buffer.from(await res.arrayBuffer()),
          contentType: res.headers.get('content-type') ?? 'application/octet-stream',
          disposition: res.headers.get('content-disposition'),
        };
        return file as Result<S>;
      }
      const text = await res.text();
      const context = `${spec.method} ${spec.path}`;
      const parsed = parseBody(text, res.headers.get('content-type'));

      if (res.status < 200 || res.status >= 300) {
        throw errorFromResponse(res.status, parsed.ok ? parsed.json : truncate(text), res.headers, context);
      }
      if (!spec.schema) return undefined as Result<S>;
      if (!parsed.ok) {
        throw new StornoResponseError({
          status: res.status,
          code: 'invalid_response',
          message: `${context}: expected a JSON body, got ${text.trim() === '' ? 'an empty body' : `${res.headers.get('content-type') ?? 'unknown content'}`}`,
          body: truncate(text),
        });
      }
      const result = spec.schema.safeParse(parsed.json);
      if (!result.success) {
        throw new StornoResponseError({
          status: res.status,
          code: 'invalid_response',
          message: describeSchemaIssues(result.error, spec.label),
          body: parsed.json,
        });
      }
      return result.data as Result<S>;
    });
  }

  private toStornoError(e: unknown, spec: RequestSpec<z.ZodType | undefined>): StornoError {
    const context = `${spec.method} ${spec.path}`;
    if (e instanceof StornoError) return e;
    if (e instanceof TaskCancelledError) {
      return new StornoTransientError({
        code: 'timeout',
        message: `${context}: no complete answer within ${this.timeoutMs} ms`,
        maybeProcessed: true,
        cause: e,
      });
    }
    const code = networkCode(e);
    // Refused / unresolvable: the request never reached Storno, so even a non-idempotent call may be repeated.
    const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
    return new StornoTransientError({
      code: neverSent ? 'connection_refused' : 'network_error',
      message: `${context}: ${neverSent ? 'could not connect to Storno' : 'the connection to Storno failed'} (${code ?? (e instanceof Error ? e.message : String(e))})`,
      maybeProcessed: !neverSent,
      cause: e,
    });
  }
}

function networkCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function parseBody(text: string, contentType: string | null): { ok: true; json: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  // An HTML error page from a proxy is not JSON, whatever it claims.
  if (contentType && /html/i.test(contentType)) return { ok: false };
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const truncate = (text: string) => (text.length > MAX_BODY_IN_ERROR ? `${text.slice(0, MAX_BODY_IN_ERROR)}…` : text);

/** "invoice.total: expected string, received number; invoice.lines.0.vatRate: expected a decimal string…" */
export function describeSchemaIssues(error: z.ZodError, label?: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [...(label ? [label] : []), ...issue.path.map(String)].join('.');
      const text = issue.message.replace(/^Invalid input: /, '');
      return path ? `${path}: ${text}` : text;
    })
    .join('; ');
}
