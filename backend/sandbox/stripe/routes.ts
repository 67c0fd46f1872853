// The Stripe REST surface the backend reads (v1, GET mostly), served from the store: authentication,
// the Stripe-Account header, retrieve/list per resource with Stripe's filters, sub-lists, and errors in
// Stripe's shape. Parameters and expansions the pinned API version does not know are refused like Stripe
// does (schema.json), and every parameter the fake accepts is applied — none is silently ignored.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  StripeApiError,
  accountInaccessible,
  authenticationFailed,
  invalidRequest,
  noSuch,
  unknownParameter,
} from './errors.js';
import type { Params, ParamValue } from './params.js';
import { expandParam } from './params.js';
import type { RenderContext } from './render.js';
import { expandTree, isIncludable, paginate, renderObject } from './render.js';
import { SCHEMA, checkExpand, endpointParams } from './schema.js';
import type { FakeStore, StripeObject } from './store.js';
import { PLATFORM_ACCOUNT } from './store.js';

/** A list filter: validates the parameter's value once, then tests each object. */
type Filter = (value: ParamValue, param: string) => (obj: StripeObject) => boolean;

interface Resource {
  /** URL segment(s) after /v1/. */
  path: string;
  type: string;
  /** Word used in "No such …" messages. */
  noun: string;
  /** List filters (query parameter → filter); absent = no list endpoint. */
  filters?: Record<string, Filter>;
  /** What the list shows when a filter is not given (subscriptions hide canceled ones by default). */
  whenAbsent?: Record<string, (obj: StripeObject) => boolean>;
}

function text(value: ParamValue, param: string): string {
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${param} must be a string`, param);
  return value;
}

function integer(value: ParamValue, param: string): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw invalidRequest(`Invalid integer: ${typeof value === 'string' ? value : JSON.stringify(value)}`, param, 'parameter_invalid_integer');
  return n;
}

function boolean(value: ParamValue, param: string): boolean {
  if (value !== 'true' && value !== 'false') throw invalidRequest(`Invalid boolean: ${typeof value === 'string' ? value : JSON.stringify(value)}`, param);
  return value === 'true';
}

function strings(value: ParamValue, param: string): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (!list || list.some((v) => typeof v !== 'string')) throw invalidRequest(`Invalid array: ${param} must be a list of strings`, param);
  return list as string[];
}

const eq =
  (field: string): Filter =>
  (value, param) => {
    const wanted = text(value, param);
    return (obj) => obj[field] === wanted;
  };

const boolEq =
  (field: string): Filter =>
  (value, param) => {
    const wanted = boolean(value, param);
    return (obj) => obj[field] === wanted;
  };

const oneOf =
  (field: string): Filter =>
  (value, param) => {
    const wanted = new Set(strings(value, param));
    return (obj) => wanted.has(obj[field] as string);
  };

const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;

/** `created=…` or `created[gte]=…&created[lt]=…` on a unix-seconds field. */
const range =
  (field: string): Filter =>
  (value, param) => {
    if (typeof value === 'string') {
      const exact = integer(value, param);
      return (obj) => obj[field] === exact;
    }
    if (Array.isArray(value)) throw invalidRequest(`Invalid ${param}: must be an integer or a hash with gt, gte, lt or lte`, param);
    for (const key of Object.keys(value)) if (!(RANGE_KEYS as readonly string[]).includes(key)) throw unknownParameter(`${param}[${key}]`);
    const bounds = RANGE_KEYS.flatMap((key) => (value[key] === undefined ? [] : [[key, integer(value[key], `${param}[${key}]`)] as const]));
    return (obj) => {
      const at = obj[field];
      if (typeof at !== 'number') return false;
      return bounds.every(([key, bound]) => (key === 'gt' ? at > bound : key === 'gte' ? at >= bound : key === 'lt' ? at < bound : at <= bound));
    };
  };

/** Filters on a nested object (`payment[type]=…`, `customer_details[email]=…`): every given key must match. */
const nested =
  (field: string, keys: string[], required: string[] = []): Filter =>
  (value, param) => {
    if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`Invalid hash: ${param}`, param);
    for (const key of Object.keys(value)) if (!keys.includes(key)) throw unknownParameter(`${param}[${key}]`);
    for (const key of required) if (value[key] === undefined) throw invalidRequest(`Missing required param: ${param}[${key}].`, `${param}[${key}]`, 'parameter_missing');
    const wanted = Object.entries(value).map(([key, v]) => [key, text(v, `${param}[${key}]`)] as const);
    return (obj) => {
      const inner = (obj[field] ?? {}) as Record<string, unknown>;
      return wanted.every(([key, v]) => inner[key] === v);
    };
  };

const created = range('created');

const RESOURCES: Resource[] = [
  { path: 'customers', type: 'customer', noun: 'customer', filters: { created, email: eq('email'), test_clock: eq('test_clock') } },
  {
    path: 'invoices',
    type: 'invoice',
    noun: 'invoice',
    filters: {
      created,
      customer: eq('customer'),
      customer_account: eq('customer_account'),
      status: eq('status'),
      collection_method: eq('collection_method'),
      due_date: range('due_date'),
      subscription: (value, param) => {
        const wanted = text(value, param);
        return (inv) => (inv.parent as { subscription_details?: { subscription?: string } } | null)?.subscription_details?.subscription === wanted;
      },
    },
  },
  {
    path: 'invoice_payments',
    type: 'invoice_payment',
    noun: 'invoice_payment',
    filters: { created, invoice: eq('invoice'), status: eq('status'), payment: nested('payment', ['type', 'payment_intent', 'payment_record'], ['type']) },
  },
  { path: 'payment_intents', type: 'payment_intent', noun: 'payment_intent', filters: { created, customer: eq('customer'), customer_account: eq('customer_account') } },
  {
    path: 'charges',
    type: 'charge',
    noun: 'charge',
    filters: { created, customer: eq('customer'), payment_intent: eq('payment_intent'), transfer_group: eq('transfer_group') },
  },
  { path: 'refunds', type: 'refund', noun: 'refund', filters: { created, charge: eq('charge'), payment_intent: eq('payment_intent') } },
  {
    path: 'subscriptions',
    type: 'subscription',
    noun: 'subscription',
    filters: {
      created,
      customer: eq('customer'),
      customer_account: eq('customer_account'),
      collection_method: eq('collection_method'),
      test_clock: eq('test_clock'),
      status: (value, param) => {
        const wanted = text(value, param);
        if (wanted === 'all') return () => true;
        if (wanted === 'ended') return (sub) => sub.status === 'canceled' || sub.status === 'incomplete_expired';
        return (sub) => sub.status === wanted;
      },
      price: (value, param) => {
        const wanted = text(value, param);
        return (sub) => ((sub.items as { data: Array<{ price: { id: string } }> }).data ?? []).some((item) => item.price.id === wanted);
      },
    },
    // "By default, returns a list of subscriptions that have not been canceled."
    whenAbsent: { status: (sub) => sub.status !== 'canceled' },
  },
  {
    path: 'checkout/sessions',
    type: 'checkout.session',
    noun: 'checkout.session',
    filters: {
      created,
      payment_intent: eq('payment_intent'),
      customer: eq('customer'),
      customer_account: eq('customer_account'),
      customer_details: nested('customer_details', ['email'], ['email']),
      payment_link: eq('payment_link'),
      subscription: eq('subscription'),
      status: eq('status'),
    },
  },
  { path: 'tax_rates', type: 'tax_rate', noun: 'tax_rate', filters: { created, active: boolEq('active'), inclusive: boolEq('inclusive') } },
  {
    path: 'prices',
    type: 'price',
    noun: 'price',
    filters: { created, active: boolEq('active'), currency: eq('currency'), product: eq('product'), type: eq('type'), lookup_keys: oneOf('lookup_key') },
  },
  {
    path: 'products',
    type: 'product',
    noun: 'product',
    filters: { created, active: boolEq('active'), ids: oneOf('id'), shippable: boolEq('shippable'), type: eq('type'), url: eq('url') },
  },
  { path: 'coupons', type: 'coupon', noun: 'coupon', filters: { created } },
  { path: 'events', type: 'event', noun: 'event', filters: { created, type: eq('type'), types: oneOf('type') } },
];

/** Parameters every endpoint of the fake handles itself (pagination and expansion). */
const HANDLED_EVERYWHERE = new Set(['limit', 'starting_after', 'ending_before', 'expand']);

/**
 * Refuses parameters like Stripe (unknown to the pinned API version → parameter_unknown) and, unlike a lax
 * stand-in, also the ones Stripe knows but the fake does not implement: ignoring a filter would hand back
 * the wrong objects without a word.
 */
function checkParams(endpoint: string, params: Params, implemented: Iterable<string>): void {
  const known = endpointParams(endpoint);
  if (!known) throw new Error(`schema.json has no endpoint ${endpoint}: add it to schema.generate.ts`);
  const handled = new Set([...HANDLED_EVERYWHERE, ...implemented]);
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) throw unknownParameter(key);
    if (!handled.has(key)) {
      throw invalidRequest(`The Stripe fake does not implement the parameter ${key} of ${endpoint}; it refuses it rather than ignore it.`, key, 'parameter_unsupported_by_fake');
    }
  }
}

/** The `expand` list of a request, checked against what the pinned API version can expand. */
function expansions(endpoint: string, params: Params, object: string, list: boolean, implemented: Iterable<string> = []): string[] {
  checkParams(endpoint, params, implemented);
  const paths = expandParam(params);
  checkExpand(object, paths, { list, includable: isIncludable });
  return paths;
}

export interface RouteOptions {
  store: FakeStore;
  secretKey: string;
  /** POST /v1/refunds goes through the same path as fake.createRefund (events included). */
  createRefund: (account: string, params: Params) => Promise<StripeObject>;
  /** Every authenticated /v1 request, for tests that check how the backend calls Stripe. */
  log: FakeRequest[];
}

export interface FakeRequest {
  method: string;
  url: string;
  account: string;
  stripeVersion: string | undefined;
}

const LOG_LIMIT = 5000;

export function registerStripeRoutes(app: FastifyInstance, options: RouteOptions): void {
  const { store } = options;

  app.decorateRequest('stripeAccount', '');
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', `req_${Math.random().toString(36).slice(2, 16)}`);
    if (!request.url.startsWith('/v1/')) return;
    // The fake speaks one API version; shapes of another would be served wrong without a word, so refuse.
    const version = request.headers['stripe-version'] as string | undefined;
    reply.header('stripe-version', version ?? SCHEMA.apiVersion);
    if (version !== undefined && version !== SCHEMA.apiVersion) {
      throw invalidRequest(`The Stripe fake serves only API version ${SCHEMA.apiVersion}; this request asked for ${version}.`, undefined, 'api_version_unsupported_by_fake');
    }
    const auth = request.headers.authorization ?? '';
    let key: string | undefined;
    if (auth.startsWith('Bearer ')) key = auth.slice(7).trim();
    else if (auth.startsWith('Basic ')) key = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0];
    if (key !== options.secretKey) throw authenticationFailed(key);
    const account = (request.headers['stripe-account'] as string | undefined) ?? PLATFORM_ACCOUNT;
    if (!store.hasAccount(account)) throw accountInaccessible(account);
    (request as FastifyRequest & { stripeAccount: string }).stripeAccount = account;
    if (options.log.length >= LOG_LIMIT) options.log.splice(0, options.log.length - LOG_LIMIT + 1);
    options.log.push({ method: request.method, url: request.url, account, stripeVersion: request.headers['stripe-version'] as string | undefined });
  });

  const ctxOf = (request: FastifyRequest): RenderContext => ({
    store,
    account: (request as FastifyRequest & { stripeAccount: string }).stripeAccount,
  });
  const query = (request: FastifyRequest) => (request.query ?? {}) as Params;

  function fetchOwn(ctx: RenderContext, resource: Pick<Resource, 'type' | 'noun'>, id: string): StripeObject {
    const obj = store.get(ctx.account, id);
    if (!obj || obj.object !== resource.type) throw noSuch(resource.noun, id);
    return obj;
  }

  for (const resource of RESOURCES) {
    app.get<{ Params: { id: string } }>(`/v1/${resource.path}/:id`, async (request) => {
      const ctx = ctxOf(request);
      const expand = expansions(`GET /v1/${resource.path}/:id`, query(request), resource.type, false);
      const obj = fetchOwn(ctx, resource, request.params.id);
      return renderObject(obj, expandTree(expand), ctx);
    });
    if (!resource.filters) continue;
    const filters = resource.filters;
    app.get(`/v1/${resource.path}`, async (request) => {
      const ctx = ctxOf(request);
      const params = query(request);
      const expand = expansions(`GET /v1/${resource.path}`, params, resource.type, true, Object.keys(filters));
      const tests = Object.entries(filters)
        .filter(([key]) => params[key] !== undefined)
        .map(([key, filter]) => filter(params[key]!, key));
      for (const [key, test] of Object.entries(resource.whenAbsent ?? {})) if (params[key] === undefined) tests.push(test);
      const items = store.list(ctx.account, resource.type, (obj) => tests.every((test) => test(obj)));
      return paginate(items, params, `/v1/${resource.path}`, expand, ctx);
    });
  }

  // Sub-lists.
  app.get<{ Params: { id: string } }>('/v1/invoices/:id/lines', async (request) => {
    const ctx = ctxOf(request);
    const params = query(request);
    const expand = expansions('GET /v1/invoices/:id/lines', params, 'line_item', true);
    const invoice = fetchOwn(ctx, { type: 'invoice', noun: 'invoice' }, request.params.id);
    const lines = (invoice.lines as { data: StripeObject[] }).data;
    return paginate(lines, params, `/v1/invoices/${invoice.id}/lines`, expand, ctx);
  });

  app.get<{ Params: { id: string } }>('/v1/checkout/sessions/:id/line_items', async (request) => {
    const ctx = ctxOf(request);
    const params = query(request);
    const expand = expansions('GET /v1/checkout/sessions/:id/line_items', params, 'item', true);
    const session = fetchOwn(ctx, { type: 'checkout.session', noun: 'checkout.session' }, request.params.id);
    const items = (session.line_items as { data: StripeObject[] } | undefined)?.data ?? [];
    return paginate(items, params, `/v1/checkout/sessions/${session.id}/line_items`, expand, ctx);
  });

  app.get<{ Params: { id: string } }>('/v1/customers/:id/tax_ids', async (request) => {
    const ctx = ctxOf(request);
    const params = query(request);
    const expand = expansions('GET /v1/customers/:id/tax_ids', params, 'tax_id', true);
    const customer = fetchOwn(ctx, { type: 'customer', noun: 'customer' }, request.params.id);
    const taxIds = store.list(ctx.account, 'tax_id', (t) => t.customer === customer.id);
    return paginate(taxIds, params, `/v1/customers/${customer.id}/tax_ids`, expand, ctx);
  });

  app.get<{ Params: { id: string; taxId: string } }>('/v1/customers/:id/tax_ids/:taxId', async (request) => {
    const ctx = ctxOf(request);
    const expand = expansions('GET /v1/customers/:id/tax_ids/:id', query(request), 'tax_id', false);
    fetchOwn(ctx, { type: 'customer', noun: 'customer' }, request.params.id);
    const taxId = store.get(ctx.account, request.params.taxId);
    if (!taxId || taxId.object !== 'tax_id' || taxId.customer !== request.params.id) throw noSuch('tax_id', request.params.taxId);
    return renderObject(taxId, expandTree(expand), ctx);
  });

  // The account itself: GET /v1/account (the one in Stripe-Account) and /v1/accounts/:id.
  const accountObject = (ctx: RenderContext, id: string): StripeObject => {
    const stored = store.get(ctx.account, id);
    if (stored?.object === 'account') return stored;
    return { id, object: 'account', country: 'RO', default_currency: 'ron', business_profile: { name: null } };
  };
  app.get('/v1/account', async (request) => {
    const ctx = ctxOf(request);
    return renderObject(accountObject(ctx, ctx.account), expandTree(expansions('GET /v1/account', query(request), 'account', false)), ctx);
  });
  app.get<{ Params: { id: string } }>('/v1/accounts/:id', async (request) => {
    const ctx = ctxOf(request);
    const expand = expansions('GET /v1/accounts/:id', query(request), 'account', false);
    const id = request.params.id;
    if (id !== ctx.account && !store.hasAccount(id)) throw noSuch('account', id);
    return renderObject(accountObject({ store, account: id }, id), expandTree(expand), ctx);
  });

  app.post('/v1/refunds', async (request) => {
    const ctx = ctxOf(request);
    const body = (request.body ?? {}) as Params;
    const expand = expansions('POST /v1/refunds', body, 'refund', false, ['amount', 'charge', 'payment_intent', 'reason']);
    return renderObject(await options.createRefund(ctx.account, body), expandTree(expand), ctx);
  });
}

/** Stripe's error envelope for everything under /v1 (and a readable one for /__fake). */
export function registerStripeErrors(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${request.method}: ${request.url.split('?')[0]}). The Stripe fake serves only the part of the API the backend reads.`,
      },
    });
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    if (err instanceof StripeApiError) {
      reply.code(err.statusCode).send({ error: err.body });
      return;
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) request.log.error({ err }, 'stripe fake: unhandled error');
    reply.code(status).send({ error: { type: status === 500 ? 'api_error' : 'invalid_request_error', message: err.message } });
  });
}
