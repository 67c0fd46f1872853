// Fault injection for tests: latency, 5xx, 429 with Retry-After, dropped connections — per route, seeded so
// that a test run is repeatable. `/__sandbox/*` (the control routes) is never faulted.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface FaultRule {
  method?: string;
  /** Path prefix, or a regular expression when it starts with "^". Matched against the path without query. */
  path: string;
  latencyMs?: number;
  /** 0..1 → answers errorStatus (default: 500 or 503, drawn). */
  errorRate?: number;
  errorStatus?: number;
  /** 0..1 → 429 with Retry-After. */
  rateLimitRate?: number;
  /** 0..1 → the socket is destroyed without an answer. */
  dropRate?: number;
  /** Apply only to the next N matching requests. */
  count?: number;
}

/** mulberry32: tiny, fast, good enough to make fault draws reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveRule extends FaultRule {
  regex?: RegExp;
  remaining?: number;
}

export interface Faults {
  set(rules: FaultRule[]): void;
  clear(): void;
  list(): FaultRule[];
}

export function validateRules(input: unknown): FaultRule[] | string {
  if (!Array.isArray(input)) return 'rules must be an array';
  for (const [i, r] of input.entries()) {
    if (!r || typeof r !== 'object' || typeof (r as FaultRule).path !== 'string') return `rules[${i}].path is required`;
    const rule = r as FaultRule;
    for (const k of ['errorRate', 'rateLimitRate', 'dropRate'] as const) {
      const v = rule[k];
      if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 1)) return `rules[${i}].${k} must be between 0 and 1`;
    }
    for (const k of ['latencyMs', 'count', 'errorStatus'] as const) {
      const v = rule[k];
      if (v !== undefined && (typeof v !== 'number' || v < 0)) return `rules[${i}].${k} must be a non-negative number`;
    }
    if (rule.path.startsWith('^')) {
      try {
        new RegExp(rule.path);
      } catch {
        return `rules[${i}].path is not a valid regular expression`;
      }
    }
  }
  return input as FaultRule[];
}

export function installFaults(app: FastifyInstance, seed: number): Faults {
  let rules: ActiveRule[] = [];
  let random = prng(seed);

  const matches = (rule: ActiveRule, method: string, path: string) =>
    (!rule.method || rule.method.toUpperCase() === method) && (rule.regex ? rule.regex.test(path) : path.startsWith(rule.path));

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/__sandbox')) return;
    const rule = rules.find((r) => matches(r, request.method, path));
    if (!rule) return;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) rules = rules.filter((r) => r !== rule);
    }
    if (rule.latencyMs) await new Promise((resolve) => setTimeout(resolve, rule.latencyMs));
    if (rule.dropRate && random() < rule.dropRate) {
      reply.hijack();
      // A real socket is cut; under inject (no socket) the response is destroyed, which fails the inject call.
      if (request.raw.socket && typeof request.raw.socket.destroy === 'function') request.raw.socket.destroy();
      reply.raw.destroy(new Error('sandbox fault: connection dropped'));
      return;
    }
    if (rule.rateLimitRate && random() < rule.rateLimitRate) {
      return reply.code(429).header('retry-after', '1').send({ error: 'Too many requests.' });
    }
    if (rule.errorRate && random() < rule.errorRate) {
      const status = rule.errorStatus ?? (random() < 0.5 ? 500 : 503);
      return reply.code(status).send({
        type: 'https://tools.ietf.org/html/rfc2616#section-10',
        title: 'An error occurred',
        status,
        detail: status === 503 ? 'Service Unavailable' : 'Internal Server Error',
      });
    }
  });

  return {
    set(next) {
      // Re-seeding on every set makes each test's draws independent of what ran before it.
      random = prng(seed);
      rules = next.map((r) => ({
        ...r,
        regex: r.path.startsWith('^') ? new RegExp(r.path) : undefined,
        remaining: r.count,
      }));
    },
    clear() {
      rules = [];
    },
    list() {
      return rules.map(({ regex: _regex, remaining, ...r }) => ({ ...r, ...(remaining !== undefined ? { count: remaining } : {}) }));
    },
  };
}
