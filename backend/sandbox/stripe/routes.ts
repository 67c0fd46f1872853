// The Stripe REST surface the backend reads (v1, GET mostly), served from the store: authentication,
// the Stripe-Account header, retrieve/list per resource with Stripe's filters, sub-lists, and errors in
// Stripe's shape. Unknown query parameters are refused like Stripe does, which catches reader typos.
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
import { expandTree, paginate, renderObject } from './render.js';
import type { FakeStore, StripeObject } from './store.js';
import { PLATFORM_ACCOUNT } from './store.js';

type Filter = (obj: StripeObject, value: ParamValue) => boolean;

interface Resource {
  /** URL segment(s) after /v1/. */
  path: string;
  type: string;
  /** Word used in "No such …" messages. */
  noun: string;
  /** List filters (query parameter → predicate); absent = no list endpoint. */
  filters?: Record<string, Filter>;
}

const eq =
  (field: string): Filter =>
  (obj, value) =>
    obj[field] === value;

const RESOURCES: Resource[] = [
  { path: 'customers', type: 'customer', noun: 'customer', filters: { email: eq('email') } },
  {
    path: 'invoices',
    type: 'invoice',
    noun: 'invoice',
    filters: {
      customer: eq('customer'),
      status: eq('status'),
      collection_method: eq('collection_method'),
      subscription: (inv, value) =>
        (inv.parent as { subscription_details?: { subscription?: string } } | null)?.subscription_details?.subscription === value,
    },
  },
  {
    path: 'invoice_payments',
    type: 'invoice_payment',
    noun: 'invoice_payment',
    filters: {
      invoice: eq('invoice'),
      status: eq('status'),
      payment: (ip, value) => {
        const wanted = value as Record<string, string>;
        const payment = ip.payment as Record<string, string>;
        if (typeof wanted !== 'object' || !wanted.type) throw invalidRequest('Missing required param: payment[type].', 'payment[type]');
        return Object.entries(wanted).every(([k, v]) => payment[k] === v);
      },
    },
  },
  { path: 'payment_intents', type: 'payment_intent', noun: 'payment_intent', filters: { customer: eq('customer') } },
  { path: 'charges', type: 'charge', noun: 'charge', filters: { customer: eq('customer'), payment_intent: eq('payment_intent') } },
  { path: 'refunds', type: 'refund', noun: 'refund', filters: { charge: eq('charge'), payment_intent: eq('payment_intent') } },
  { path: 'subscriptions', type: 'subscription', noun: 'subscription', filters: { customer: eq('customer'), status: eq('status') } },
  {
    path: 'checkout/sessions',
    type: 'checkout.session',
    noun: 'checkout.session',
    filters: { payment_intent: eq('payment_intent'), customer: eq('customer'), status: eq('status') },
  },
  { path: 'tax_rates', type: 'tax_rate', noun: 'tax_rate', filters: { active: (t, v) => String(t.active) === v } },
  { path: 'prices', type: 'price', noun: 'price', filters: { product: eq('product') } },
  { path: 'products', type: 'product', noun: 'product', filters: {} },
  { path: 'coupons', type: 'coupon', noun: 'coupon', filters: {} },
  { path: 'events', type: 'event', noun: 'event', filters: { type: eq('type') } },
];

const PAGING = new Set(['limit', 'starting_after', 'ending_before', 'expand', 'created']);

function checkParams(params: Params, allowed: Iterable<string>): void {
  const ok = new Set([...PAGING, ...allowed]);
  for (const key of Object.keys(params)) if (!ok.has(key)) throw unknownParameter(key);
}

function onlyExpand(params: Params): string[] {
  checkParams(params, []);
  return expandParam(params);
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
    reply.header('stripe-version', request.headers['stripe-version'] ?? '');
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
      const obj = fetchOwn(ctx, resource, request.params.id);
      return renderObject(obj, expandTree(onlyExpand(query(request))), ctx);
    });
    if (!resource.filters) continue;
    const filters = resource.filters;
    app.get(`/v1/${resource.path}`, async (request) => {
      const ctx = ctxOf(request);
      const params = query(request);
      checkParams(params, Object.keys(filters));
      const active = Object.entries(filters).filter(([key]) => params[key] !== undefined);
      const items = store.list(ctx.account, resource.type, (obj) =>
        active.every(([key, predicate]) => predicate(obj, params[key]!)),
      );
      const url = `/v1/${resource.path}`;
      return paginate(items, params, url, expandParam(params), ctx);
    });
  }

  // Sub-lists.
  app.get<{ Params: { id: string } }>('/v1/invoices/:id/lines', async (request) => {
    const ctx = ctxOf(request);
    const invoice = fetchOwn(ctx, { type: 'invoice', noun: 'invoice' }, request.params.id);
    const params = query(request);
    checkParams(params, []);
    const lines = (invoice.lines as { data: StripeObject[] }).data;
    return paginate(lines, params, `/v1/invoices/${invoice.id}/lines`, expandParam(params), ctx);
  });

  app.get<{ Params: { id: string } }>('/v1/checkout/sessions/:id/line_items', async (request) => {
    const ctx = ctxOf(request);
    const session = fetchOwn(ctx, { type: 'checkout.session', noun: 'checkout.session' }, request.params.id);
    const params = query(request);
    checkParams(params, []);
    const items = (session.line_items as { data: StripeObject[] } | undefined)?.data ?? [];
    return paginate(items, params, `/v1/checkout/sessions/${session.id}/line_items`, expandParam(params), ctx);
  });

  app.get<{ Params: { id: string } }>('/v1/customers/:id/tax_ids', async (request) => {
    const ctx = ctxOf(request);
    const customer = fetchOwn(ctx, { type: 'customer', noun: 'customer' }, request.params.id);
    const params = query(request);
    checkParams(params, []);
    const taxIds = store.list(ctx.account, 'tax_id', (t) => t.customer === customer.id);
    return paginate(taxIds, params, `/v1/customers/${customer.id}/tax_ids`, expandParam(params), ctx);
  });

  app.get<{ Params: { id: string; taxId: string } }>('/v1/customers/:id/tax_ids/:taxId', async (request) => {
    const ctx = ctxOf(request);
    fetchOwn(ctx, { type: 'customer', noun: 'customer' }, request.params.id);
    const taxId = store.get(ctx.account, request.params.taxId);
    if (!taxId || taxId.object !== 'tax_id' || taxId.customer !== request.params.id) throw noSuch('tax_id', request.params.taxId);
    return renderObject(taxId, expandTree(onlyExpand(query(request))), ctx);
  });

  // The account itself: GET /v1/account (the one in Stripe-Account) and /v1/accounts/:id.
  const accountObject = (ctx: RenderContext, id: string): StripeObject => {
    const stored = store.get(ctx.account, id);
    if (stored?.object === 'account') return stored;
    return { id, object: 'account', country: 'RO', default_currency: 'ron', business_profile: { name: null } };
  };
  app.get('/v1/account', async (request) => {
    const ctx = ctxOf(request);
    return renderObject(accountObject(ctx, ctx.account), expandTree(onlyExpand(query(request))), ctx);
  });
  app.get<{ Params: { id: string } }>('/v1/accounts/:id', async (request) => {
    const ctx = ctxOf(request);
    const id = request.params.id;
    if (id !== ctx.account && !store.hasAccount(id)) throw noSuch('account', id);
    return renderObject(accountObject({ store, account: id }, id), expandTree(onlyExpand(query(request))), ctx);
  });

  app.post('/v1/refunds', async (request) => {
    const ctx = ctxOf(request);
    return renderObject(await options.createRefund(ctx.account, (request.body ?? {}) as Params), {}, ctx);
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
