// Stripe's parameter encoding (query strings and form bodies): `a[b][c]=v`, `expand[0]=x`, `expand[]=y`.
// stripe-node sends nested objects and arrays this way; Fastify's default parser would keep the brackets
// in the key names, so the fake parses both the query and the form body with this one function.

export type ParamValue = string | ParamValue[] | { [key: string]: ParamValue };
export type Params = Record<string, ParamValue>;

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
}

/** `payment[type]` → ['payment', 'type']; `expand[]` → ['expand', '']. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const path = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) path.push(match[1] ?? '');
  return path;
}

function assign(target: Record<string, ParamValue> | ParamValue[], path: string[], value: string): void {
  const [head, ...rest] = path;
  const isArray = Array.isArray(target);
  const key = head === '' && isArray ? String(target.length) : (head ?? '');
  if (rest.length === 0) {
    if (isArray) (target as ParamValue[])[Number(key)] = value;
    else (target as Record<string, ParamValue>)[key] = value;
    return;
  }
  // A numeric or empty next segment means the child is an array (expand[0], expand[]).
  const wantsArray = rest[0] === '' || /^\d+$/.test(rest[0] ?? '');
  const container = target as Record<string, ParamValue>;
  let child = container[key];
  if (child === undefined || typeof child === 'string') {
    child = wantsArray ? [] : {};
    container[key] = child;
  }
  assign(child as Record<string, ParamValue> | ParamValue[], rest, value);
}

export function parseStripeParams(input: string): Params {
  const out: Params = {};
  if (!input) return out;
  for (const pair of input.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    assign(out, keyPath(rawKey), value);
  }
  // Sparse arrays (expand[3] without 0..2) are compacted so callers can iterate them.
  for (const [k, v] of Object.entries(out)) if (Array.isArray(v)) out[k] = v.filter((x) => x !== undefined);
  return out;
}

export function stringParam(params: Params, key: string): string | undefined {
  const v = params[key];
  return typeof v === 'string' ? v : undefined;
}

/** `expand` may arrive as an array (expand[0]=a) or, from hand-written URLs, as a single string. */
export function expandParam(params: Params): string[] {
  const v = params.expand;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}
