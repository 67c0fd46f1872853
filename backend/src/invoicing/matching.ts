// Stripe customer → Storno client. Storno has no exact filter (GET /clients `search` is a substring match
// over name, cui, cnp, email, vatCode in pages of 20), so we ask with a few search terms and decide the
// match here, strictly, in a fixed order: Romanian CIF, other EU VAT, email, name.
import { normalizeAddress } from './address.js';
import { foldName, foldText } from './names.js';
import { classifyTaxIds, normalizeCif, parseEuVat, type BuyerTaxIdentity } from './taxIds.js';
import type { CustomerInput, StornoClientInput, StornoClientRow } from './types.js';

export type MatchedBy = 'ro_cif' | 'eu_vat' | 'email' | 'name';

export interface ClientMatch {
  clientId: string;
  matchedBy: MatchedBy;
}

function normEmail(e: string | null | undefined): string {
  return (e ?? '').trim().toLowerCase();
}

/** CIF digits of a Storno row: `cui` (digits or "RO…"), else a Romanian `vatCode`. */
function rowCif(row: StornoClientRow): string | null {
  const fromCui = normalizeCif(row.cui); // null for "DE123…" (only an optional RO prefix is stripped)
  if (fromCui) return fromCui;
  return row.vatCode && /^\s*RO/i.test(row.vatCode) ? normalizeCif(row.vatCode) : null;
}

/** EU VAT code of a Storno row (foreign EU clients keep it in `vatCode` and often in `cui` too). */
function rowEuVat(row: StornoClientRow): string[] {
  const out: string[] = [];
  for (const v of [row.vatCode, row.cui]) {
    const p = parseEuVat(v);
    if (p && p.prefix !== 'RO') out.push(p.code);
  }
  return out;
}

/**
 * A row that carries a *different* fiscal identity than the customer must never be matched by email or
 * name (two companies of one group share an accounting mailbox; "Demo SRL" exists twice).
 */
function conflicts(identity: BuyerTaxIdentity, row: StornoClientRow): boolean {
  switch (identity.kind) {
    case 'ro_vat_payer':
    case 'ro_company': {
      const c = rowCif(row);
      return c !== null && c !== identity.cui;
    }
    case 'eu_vat': {
      const codes = rowEuVat(row);
      return codes.length > 0 && !codes.includes(identity.vat.code);
    }
    case 'ro_person':
      return !!row.cnp && row.cnp.trim() !== identity.cnp;
    case 'none':
      return false;
  }
}

/** Picks the only candidate; with several, the first also equal on a weaker key, else none (ambiguous). */
function pickUnique(rows: StornoClientRow[], tieBreak: (r: StornoClientRow) => boolean): StornoClientRow | null {
  if (rows.length === 1) return rows[0];
  const narrowed = rows.filter(tieBreak);
  return narrowed.length === 1 ? narrowed[0] : null;
}

/**
 * Decides which Storno client a Stripe customer is. Order: Romanian CIF (digits equal after stripping RO,
 * spaces and leading zeros) → other EU VAT (full code equal) → email (case-insensitive) → folded name.
 * Duplicate rows with the same CIF/VAT are the same company: the first (Storno's order) wins. Email and
 * name only match unambiguously and never across a conflicting fiscal identity; a name never matches a client
 * whose e-mail differs from the customer's.
 */
export function matchClient(customer: CustomerInput, candidates: readonly StornoClientRow[]): ClientMatch | null {
  const { identity } = classifyTaxIds(customer.taxIds);
  if (identity.kind === 'ro_vat_payer' || identity.kind === 'ro_company') {
    const hit = candidates.find((r) => rowCif(r) === identity.cui);
    if (hit) return { clientId: hit.id, matchedBy: 'ro_cif' };
  }
  if (identity.kind === 'eu_vat') {
    const hit = candidates.find((r) => rowEuVat(r).includes(identity.vat.code));
    if (hit) return { clientId: hit.id, matchedBy: 'eu_vat' };
  }
  const eligible = candidates.filter((r) => !conflicts(identity, r));
  const email = normEmail(customer.email);
  const name = foldName(customer.name);
  if (email) {
    const rows = eligible.filter((r) => normEmail(r.email) === email);
    const hit = pickUnique(rows, (r) => name !== '' && foldName(r.name) === name);
    if (hit) return { clientId: hit.id, matchedBy: 'email' };
  }
  if (name) {
    // Two different e-mail addresses mean two people who share a name (common for consumers): no match.
    const rows = eligible.filter((r) => foldName(r.name) === name && !(email && normEmail(r.email) && normEmail(r.email) !== email));
    const hit = pickUnique(rows, (r) => email !== '' && normEmail(r.email) === email);
    if (hit) return { clientId: hit.id, matchedBy: 'name' };
  }
  return null;
}

/**
 * Terms to pass as `search` to GET /api/v1/clients, strongest first. Storno's search is a substring
 * match, so we send the CIF digits (matches "RO4221306" and "4221306"), the full EU VAT code, the email,
 * and the name core without legal form and punctuation; results are then filtered by `matchClient`.
 */
export function clientSearchTerms(customer: CustomerInput): string[] {
  const { identity } = classifyTaxIds(customer.taxIds);
  const terms: string[] = [];
  if (identity.kind === 'ro_vat_payer' || identity.kind === 'ro_company') terms.push(identity.cui);
  if (identity.kind === 'eu_vat') terms.push(identity.vat.code);
  if (identity.kind === 'ro_person') terms.push(identity.cnp);
  const email = customer.email?.trim();
  if (email) terms.push(email);
  const core = nameSearchCore(customer.name);
  if (core) terms.push(core);
  return [...new Set(terms)];
}

/** Longest folded word of the name core — robust against diacritics and suffix differences on the server. */
function nameSearchCore(name: string | null | undefined): string | null {
  const core = foldName(name);
  if (!core) return null;
  const words = core.split(' ').filter((w) => w.length >= 3);
  if (!words.length) return core.length >= 2 ? core : null;
  return words.reduce((a, b) => (b.length > a.length ? b : a));
}

const COMPANY_HINT = /\b(srl|srld|sa|pfa|ii|if|scs|snc|gmbh|ltd|llc|inc|sarl|sas|spa|bv|ag)\b/;

/**
 * The POST /api/v1/clients body for a Stripe customer (storno-api.md §2.3).
 *
 * - `cui` carries CIF digits only (Storno dedupes on the raw string, so "RO123" and "123" would be two
 *   clients); VAT payers also get `vatCode: "RO…"` and `isVatPayer: true`.
 * - Foreign EU companies: `cui` and `vatCode` = the full VAT code, country from the prefix (EL → GR);
 *   `isVatPayer` only when Stripe's VIES check said verified (Storno re-checks VIES itself).
 * - Romanian counties are sent as ISO 3166-2:RO codes ("RO-CJ"). Bucharest is `county: "RO-B"` with
 *   `city: "SECTOR3"` — exactly the CountrySubentity/CityName pair CIUS-RO requires (BR-RO-100), so
 *   Storno's own sector normalization has nothing to guess (it silently defaults to SECTOR1).
 * - An unknown country is proposed as RO — the strictest case; pre-flight then asks for the address.
 */
export function clientProposal(customer: CustomerInput): StornoClientInput {
  const { identity } = classifyTaxIds(customer.taxIds);
  const addr = normalizeAddress(customer.address, customer.taxIds);
  const name = (customer.name ?? '').trim() || (customer.email ?? '').trim() || 'Client Stripe';
  const hasForeignTaxId = (customer.taxIds ?? []).some((t) => t.type !== 'ro_tin' && t.type !== 'eu_vat' && !!t.value);
  const base = {
    name: name.slice(0, 200),
    address: addr.street?.slice(0, 150) ?? undefined,
    city: addr.city?.slice(0, 50) ?? undefined,
    county: addr.county ?? undefined,
    postalCode: addr.postalCode ?? undefined,
    email: customer.email?.trim() || undefined,
    phone: customer.phone?.trim() || undefined,
  };
  switch (identity.kind) {
    case 'ro_vat_payer':
      return { ...base, type: 'company', cui: identity.cui, vatCode: identity.vatCode, isVatPayer: true, country: addr.country ?? 'RO' };
    case 'ro_company':
      return { ...base, type: 'company', cui: identity.cui, isVatPayer: false, country: addr.country ?? 'RO' };
    case 'eu_vat': {
      const verified = (customer.taxIds ?? []).some((t) => t.type === 'eu_vat' && t.verification?.status === 'verified');
      return { ...base, type: 'company', cui: identity.vat.code, vatCode: identity.vat.code, isVatPayer: verified, country: addr.country ?? identity.vat.country };
    }
    case 'ro_person':
      return { ...base, type: 'individual', cnp: identity.cnp, isVatPayer: false, country: addr.country ?? 'RO' };
    case 'none': {
      const company = hasForeignTaxId || COMPANY_HINT.test(foldText(customer.name));
      return { ...base, type: company ? 'company' : 'individual', isVatPayer: false, country: addr.country ?? 'RO' };
    }
  }
}
