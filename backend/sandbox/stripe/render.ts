// How stored objects are shown to a client: `expand[]` (dotted paths, `data.` in lists), fields Stripe only
// includes when expanded (customer.tax_ids, invoice.payments, ...), the 10-line cap on invoice.lines, and
// cursor pagination in Stripe's list envelope.
import { invalidRequest } from './errors.js';
import type { Params } from './params.js';
import { stringParam } from './params.js';
import type { FakeStore, StripeObject } from './store.js';

export interface RenderContext {
  store: FakeStore;
  account: string;
}

export interface ListEnvelope<T = unknown> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

type ExpandTree = { [key: string]: ExpandTree };

/** Lists embedded in an object hold at most this many items, like Stripe's inline lists. */
const INLINE_LIST_LIMIT = 10;

export function inlineList(items: unknown[], url: string): ListEnvelope {
  return { object: 'list', data: items.slice(0, INLINE_LIST_LIMIT), has_more: items.length > INLINE_LIST_LIMIT, url };
}

/**
 * Fields absent unless expanded. Computed ones are derived from other objects of the account (so they
 * never go stale); stored ones are kept on the object and hidden otherwise.
 */
const INCLUDABLE: Record<string, Record<string, (obj: StripeObject, ctx: RenderContext) => unknown>> = {
  customer: {
    tax_ids: (c, ctx) =>
      inlineList(
        ctx.store.list(ctx.account, 'tax_id', (t) => t.customer === c.id),
        `/v1/customers/${c.id}/tax_ids`,
      ),
  },
  invoice: {
    payments: (inv, ctx) =>
      inlineList(
        ctx.store.list(ctx.account, 'invoice_payment', (p) => p.invoice === inv.id),
        `/v1/invoice_payments?invoice=${inv.id}`,
      ),
  },
  charge: {
    refunds: (ch, ctx) =>
      inlineList(
        ctx.store.list(ctx.account, 'refund', (r) => r.charge === ch.id),
        `/v1/charges/${ch.id}/refunds`,
      ),
  },
  'checkout.session': { line_items: (s) => s.line_items ?? null },
  item: { taxes: (i) => i.taxes ?? [] },
};

/** Whether the fake can include `object.field` on request (Stripe's includable fields it implements). */
export function isIncludable(object: string, field: string): boolean {
  return Boolean(INCLUDABLE[object]?.[field]);
}

/** Stored fields that INCLUDABLE reveals; hidden from the plain object. */
const HIDDEN_STORED: Record<string, string[]> = { 'checkout.session': ['line_items'], item: ['taxes'] };

export function expandTree(paths: string[]): ExpandTree {
  const root: ExpandTree = {};
  for (const path of paths) {
    let node = root;
    for (const part of path.split('.')) node = node[part] ??= {};
  }
  return root;
}

function isStripeObject(value: unknown): value is StripeObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as StripeObject).id === 'string' &&
    typeof (value as StripeObject).object === 'string' &&
    (value as StripeObject).object !== 'list'
  );
}

/** Value at a key named in `expand`: an id becomes its object, containers are walked. */
function expandValue(value: unknown, tree: ExpandTree, ctx: RenderContext, path: string): unknown {
  if (typeof value === 'string') {
    const found = ctx.store.get(ctx.account, value);
    return found ? renderObject(found, tree, ctx, path) : value;
  }
  if (Array.isArray(value)) return value.map((v) => expandValue(v, tree, ctx, path));
  if (isStripeObject(value)) return renderObject(value, tree, ctx, path);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, sub] of Object.entries(tree)) {
      if (!(key in out)) throw cannotExpand(`${path}.${key}`);
      out[key] = expandValue(out[key], sub, ctx, `${path}.${key}`);
    }
    return out;
  }
  return value;
}

function cannotExpand(path: string) {
  return invalidRequest(`This property cannot be expanded (${path.replace(/^\./, '')}).`, 'expand');
}

/** One object as the API shows it. Never mutates the stored object (clones each level it changes). */
export function renderObject(obj: StripeObject, tree: ExpandTree, ctx: RenderContext, path = ''): StripeObject {
  const out: StripeObject = { ...obj };
  for (const hidden of HIDDEN_STORED[obj.object] ?? []) if (!(hidden in tree)) delete out[hidden];
  if (obj.object === 'invoice' && isList(obj.lines)) {
    out.lines = inlineList(obj.lines.data, `/v1/invoices/${obj.id}/lines`);
  }
  const includable = INCLUDABLE[obj.object] ?? {};
  for (const [key, sub] of Object.entries(tree)) {
    const here = path ? `${path}.${key}` : key;
    const compute = includable[key];
    if (compute) out[key] = compute(obj, ctx);
    else if (!(key in out)) throw cannotExpand(here);
    out[key] = expandValue(out[key], sub, ctx, here);
  }
  return out;
}

function isList(value: unknown): value is ListEnvelope {
  return typeof value === 'object' && value !== null && (value as ListEnvelope).object === 'list';
}

export function pageLimit(params: Params): number {
  const raw = stringParam(params, 'limit');
  if (raw === undefined) return 10;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw invalidRequest('Invalid limit: must be an integer between 1 and 100', 'limit');
  }
  return limit;
}

/** Cursor pagination over items already in list order; `data.x` expansions apply to each item. */
export function paginate(
  items: Array<{ id: string }>,
  params: Params,
  url: string,
  expand: string[],
  ctx: RenderContext,
): ListEnvelope {
  const limit = pageLimit(params);
  const after = stringParam(params, 'starting_after');
  const before = stringParam(params, 'ending_before');
  let page: Array<{ id: string }>;
  let hasMore: boolean;
  if (after) {
    const index = items.findIndex((i) => i.id === after);
    if (index === -1) throw invalidRequest(`No such object: '${after}'`, 'starting_after', 'resource_missing');
    page = items.slice(index + 1, index + 1 + limit);
    hasMore = index + 1 + limit < items.length;
  } else if (before) {
    const index = items.findIndex((i) => i.id === before);
    if (index === -1) throw invalidRequest(`No such object: '${before}'`, 'ending_before', 'resource_missing');
    const start = Math.max(0, index - limit);
    page = items.slice(start, index);
    hasMore = start > 0;
  } else {
    page = items.slice(0, limit);
    hasMore = items.length > limit;
  }
  const tree = expandTree(expand);
  const forItems = tree.data ?? {};
  for (const key of Object.keys(tree)) if (key !== 'data') throw cannotExpand(key);
  const data = page.map((item) =>
    isStripeObject(item) ? renderObject(item, forItems, ctx, 'data') : expandValue(item, forItems, ctx, 'data'),
  );
  return { object: 'list', data, has_more: hasMore, url };
}
