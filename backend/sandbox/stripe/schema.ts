// The pinned API version's shapes (schema.json, generated from the `stripe` package's types by
// schema.generate.ts): which top-level fields each object has, which fields can be expanded, and which
// parameters each endpoint accepts. The fake checks requests and its own objects against it.
import { readFileSync } from 'node:fs';
import { invalidRequest } from './errors.js';

interface Field {
  /** Present only sometimes (includable or conditional). */
  o?: 1;
  /** An id that `expand` turns into the object. */
  e?: 1;
  /** An ApiList (walk into it with `data`). */
  l?: 1;
  /** Types it holds. */
  r?: string[];
}

interface Schema {
  apiVersion: string;
  stripeNode: string;
  objects: Record<string, string>;
  endpoints: Record<string, string[]>;
  types: Record<string, Record<string, Field>>;
}

export const SCHEMA = JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8')) as Schema;

function typeOf(object: string): Record<string, Field> {
  const id = SCHEMA.objects[object];
  const shape = id ? SCHEMA.types[id] : undefined;
  if (!shape) throw new Error(`schema.json has no object '${object}'`);
  return shape;
}

/** Top-level fields of an object: always present, and present only sometimes. */
export function objectFields(object: string): { always: string[]; sometimes: string[] } {
  const entries = Object.entries(typeOf(object));
  return {
    always: entries.filter(([, f]) => !f.o).map(([name]) => name),
    sometimes: entries.filter(([, f]) => f.o).map(([name]) => name),
  };
}

export function hasObjectSchema(object: string): boolean {
  return object in SCHEMA.objects;
}

/** Parameters Stripe accepts on an endpoint (`GET /v1/invoices/:id`), or undefined when not in the schema. */
export function endpointParams(endpoint: string): string[] | undefined {
  return SCHEMA.endpoints[endpoint];
}

function cannotExpand(path: string, hint = ''): Error {
  return invalidRequest(`This property cannot be expanded (${path}).${hint}`, 'expand');
}

/**
 * Refuses `expand` paths Stripe refuses: every segment must be a field of the type reached so far, the last
 * one expandable (an id, or an includable field such as `customer.tax_ids`), lists walked through `data`.
 * `includable` names the object.field pairs the fake can include (render.ts).
 */
export function checkExpand(object: string, paths: string[], options: { list: boolean; includable: (object: string, field: string) => boolean }): void {
  for (const path of paths) {
    const segments = path.split('.');
    // "Expansions have a maximum depth of four levels" (data. of a list counts as one).
    if (segments.length > 4) throw invalidRequest(`You cannot expand more than 4 levels of a property (${path}).`, 'expand');
    let types = [SCHEMA.objects[object]!];
    let inList = options.list;
    if (inList && segments[0] !== 'data') throw cannotExpand(path, ` You may want to try expanding 'data.${path}' instead.`);
    for (const [i, segment] of segments.entries()) {
      const last = i === segments.length - 1;
      if (inList) {
        if (segment !== 'data' || last) throw cannotExpand(segments.slice(0, i + 1).join('.'));
        inList = false;
        continue;
      }
      const found = types.map((id) => [id, SCHEMA.types[id]?.[segment]] as const).find(([, field]) => field);
      if (!found) throw cannotExpand(segments.slice(0, i + 1).join('.'));
      const [typeId, field] = found as readonly [string, Field];
      const objectName = Object.entries(SCHEMA.objects).find(([, id]) => id === typeId)?.[0];
      const expandable = Boolean(field.e) || (objectName !== undefined && Boolean(field.o) && options.includable(objectName, segment));
      if (last && !expandable) throw cannotExpand(segments.slice(0, i + 1).join('.'));
      if (!last && !field.r?.length) throw cannotExpand(segments.slice(0, i + 1).join('.'));
      types = field.r ?? [];
      inList = Boolean(field.l);
    }
  }
}
