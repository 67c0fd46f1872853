// What "Fix and resend" would change on a rejected Storno document: the buyer it carries (its frozen
// `buyerSnapshot`, storno-api.md §3.2) against the Storno client now, the lines against the rebuilt ones, and
// the exchange rate. Each difference is one sentence for the document panel; none means nothing to resend.
import Big from 'big.js';
import type { StornoInvoiceInput } from '../invoicing/types.js';

const BUYER_FIELDS: [key: string, label: string][] = [
  ['name', 'name'], ['cui', 'CUI'], ['cnp', 'CNP'], ['vatCode', 'VAT code'], ['address', 'address'], ['city', 'city'],
  ['county', 'county'], ['country', 'country'], ['postalCode', 'postal code'],
];

type Loose = Record<string, unknown>;

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());
const shown = (v: string, key: string) => (v === '' ? '(none)' : key === 'cnp' ? `…${v.slice(-4)}` : `"${v}"`);

function decimal(v: unknown): string {
  try {
    return new Big(text(v) || '0').toFixed(4);
  } catch {
    return text(v);
  }
}

function lineKey(l: Loose): string {
  return [text(l.description), decimal(l.quantity), decimal(l.unitPrice), decimal(l.vatRate), text(l.vatCategoryCode) || 'S', decimal(l.discount)].join('|');
}

export function describeChanges(input: { invoice: Loose; client: Loose; payload: StornoInvoiceInput }): string[] {
  const { invoice, client, payload } = input;
  const out: string[] = [];
  const currentClient = (invoice.client as Loose | null | undefined)?.id;
  if (currentClient && currentClient !== payload.clientId) out.push(`Buyer: another Storno client, "${text(client.name)}".`);
  const frozen = (invoice.buyerSnapshot as Loose | null | undefined) ?? (invoice.client as Loose | null | undefined) ?? {};
  for (const [key, label] of BUYER_FIELDS) {
    const before = text(frozen[key]);
    const after = text(client[key]);
    if (before !== after) out.push(`Buyer ${label}: ${shown(before, key)} → ${shown(after, key)}.`);
  }
  const before = ((invoice.lines as Loose[] | undefined) ?? []).map(lineKey);
  const after = payload.lines.map((l) => lineKey(l as unknown as Loose));
  if (before.join('\n') !== after.join('\n')) out.push(`Lines: rebuilt from Stripe (${before.length} → ${after.length}).`);
  if (payload.exchangeRate && decimal(invoice.exchangeRate) !== decimal(payload.exchangeRate)) {
    out.push(`BNR exchange rate: ${text(invoice.exchangeRate) || '(none)'} → ${payload.exchangeRate}.`);
  }
  return out;
}
