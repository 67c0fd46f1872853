// Stripe customer → Storno client. Storno has no exact filter (GET /clients `search` is a substring match
// over name, cui, cnp, email, vatCode in pages of 20), so we ask with a few search terms and decide the
// match here. A match counts only when the fiscal identity agrees:
// - a customer with a CIF, EU VAT number or CNP matches only the client with that same identifier;
// - a customer without a tax id matches a company client (one with a CUI/VAT code) only when the names
//   designate the same legal entity (folded name and legal form: "Demo S.R.L." = "SC DEMO SRL" ≠ "Demo SA");
//   an e-mail-only hit on a company client is a *proposal* the merchant confirms, never a match by itself
//   (a consumer paying with a work address is the common case);
// - individual clients without identifier match by e-mail, or by an unambiguous name.
// Clients passed over with the same e-mail or name are reported with the reason, for the customer view.
import { asBuyer, type BuyerFacts, type BuyerLike } from './buyer.js';
import { foldName, legalEntityKey } from './names.js';
import { CNP_PLACEHOLDER, normalizeCif, parseEuVat } from './taxIds.js';
import type { StornoClientInput, StornoClientRow } from './types.js';

export type MatchedBy = 'ro_cif' | 'eu_vat' | 'ro_cnp' | 'email' | 'name' | 'confirmed';

export interface ClientMatch {
  clientId: string;
  matchedBy: MatchedBy;
}

export interface PassedOver {
  clientId: string;
  name: string | null;
  reason: string;
}

export interface ClientDecision {
  match: ClientMatch | null;
  /** An e-mail-only hit on a company client: shown for the merchant to confirm, never used by itself. */
  proposal: PassedOver | null;
  /** Clients with the same e-mail or name that were not taken, and why. */
  passedOver: PassedOver[];
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

function rowCnp(row: StornoClientRow): string | null {
  const c = (row.cnp ?? '').replace(/\s/g, '');
  return /^\d{13}$/.test(c) && c !== CNP_PLACEHOLDER ? c : null;
}

/** A company client: it carries a CUI or VAT code, or Storno calls it a company. */
function isCompanyRow(row: StornoClientRow): boolean {
  return rowCif(row) !== null || rowEuVat(row).length > 0 || row.type === 'company';
}

function rowIdentityText(row: StornoClientRow): string {
  const cif = rowCif(row);
  if (cif) return `CIF ${cif}`;
  const vat = rowEuVat(row)[0];
  if (vat) return `VAT number ${vat}`;
  if (rowCnp(row)) return 'a CNP';
  return 'no tax ID';
}

function customerIdentityText(buyer: BuyerFacts): string {
  switch (buyer.identity.kind) {
    case 'ro_vat_payer':
    case 'ro_company':
      return `CIF ${buyer.identity.cui}`;
    case 'eu_vat':
      return `VAT number ${buyer.identity.vat.code}`;
    case 'ro_person':
      return 'a CNP';
    case 'none':
      return 'no tax ID';
  }
}

/** Whether the row carries exactly the customer's identifier. */
function sameIdentifier(buyer: BuyerFacts, row: StornoClientRow): MatchedBy | null {
  const id = buyer.identity;
  if ((id.kind === 'ro_vat_payer' || id.kind === 'ro_company') && rowCif(row) === id.cui) return 'ro_cif';
  if (id.kind === 'eu_vat' && rowEuVat(row).includes(id.vat.code)) return 'eu_vat';
  if (id.kind === 'ro_person' && rowCnp(row) === id.cnp) return 'ro_cnp';
  return null;
}

/** Picks the only candidate; with several, the first also equal on a weaker key, else none (ambiguous). */
function pickUnique(rows: StornoClientRow[], tieBreak: (r: StornoClientRow) => boolean): StornoClientRow | null {
  if (rows.length === 1) return rows[0];
  const narrowed = rows.filter(tieBreak);
  return narrowed.length === 1 ? narrowed[0] : null;
}

/**
 * Decides which Storno client a Stripe customer is (see the file header). Duplicate rows with the same
 * identifier are the same company: the first (Storno's order) wins.
 */
export function decideClient(customer: BuyerLike, candidates: readonly StornoClientRow[]): ClientDecision {
  const buyer = asBuyer(customer);
  const email = buyer.email;
  const entity = buyer.entityKey;
  const sameEmail = (r: StornoClientRow) => email !== '' && normEmail(r.email) === email;
  const sameFoldedName = (r: StornoClientRow) => buyer.foldedName !== '' && foldName(r.name) === buyer.foldedName;
  const passedOver = new Map<string, PassedOver>();
  const pass = (r: StornoClientRow, reason: string) => passedOver.set(r.id, { clientId: r.id, name: r.name ?? null, reason });
  const decided = (match: ClientMatch | null, proposal: PassedOver | null = null): ClientDecision => ({
    match,
    proposal,
    passedOver: [...passedOver.values()].filter((p) => p.clientId !== match?.clientId && p.clientId !== proposal?.clientId),
  });

  if (buyer.identity.kind !== 'none') {
    for (const r of candidates) {
      const by = sameIdentifier(buyer, r);
      if (by) return decided({ clientId: r.id, matchedBy: by });
    }
    for (const r of candidates.filter((x) => sameEmail(x) || sameFoldedName(x))) {
      pass(r, `same ${sameEmail(r) ? 'e-mail' : 'name'}, but the client has ${rowIdentityText(r)} and the customer has ${customerIdentityText(buyer)}`);
    }
    return decided(null);
  }

  // No tax id: companies only as the same legal entity; individuals by e-mail, then by an unambiguous name.
  const companies = candidates.filter(isCompanyRow);
  const people = candidates.filter((r) => !isCompanyRow(r));
  for (const r of companies) {
    if (entity !== '' && legalEntityKey(r.name) === entity) continue;
    if (sameFoldedName(r)) pass(r, `same name, but "${r.name ?? ''}" is a different legal entity (legal form) from "${buyer.input.name ?? ''}"`);
    else if (sameEmail(r)) pass(r, `same e-mail, but it is a company (${rowIdentityText(r)}) and the customer has no tax ID`);
  }
  // One mailbox, two different names: two people sharing an address (a family, an office), not this customer.
  const otherName = (r: StornoClientRow) => buyer.foldedName !== '' && foldName(r.name) !== '' && !sameFoldedName(r);
  for (const r of people.filter((x) => sameEmail(x) && otherName(x))) pass(r, `same e-mail, but another name ("${r.name ?? ''}"): another person`);
  const byEmail = pickUnique(people.filter((r) => sameEmail(r) && !otherName(r)), (r) => sameFoldedName(r));
  if (byEmail) return decided({ clientId: byEmail.id, matchedBy: 'email' });
  const entityRows = companies.filter((r) => entity !== '' && legalEntityKey(r.name) === entity);
  const entityHit = entityRows.find((r) => sameEmail(r)) ?? (entityRows.length === 1 ? entityRows[0] : null);
  if (entityHit) return decided({ clientId: entityHit.id, matchedBy: sameEmail(entityHit) ? 'email' : 'name' });
  // Two different e-mail addresses mean two people who share a name (common for consumers): no match.
  const namedPeople = people.filter((r) => sameFoldedName(r) && !(email && normEmail(r.email) && normEmail(r.email) !== email));
  const byName = pickUnique(namedPeople, (r) => sameEmail(r));
  if (byName) return decided({ clientId: byName.id, matchedBy: 'name' });
  for (const r of people.filter((x) => sameFoldedName(x) && !namedPeople.includes(x))) pass(r, 'same name, but a different e-mail address: another person');
  const emailCompanies = companies.filter((r) => sameEmail(r) && !entityRows.includes(r));
  const proposal = emailCompanies.length === 1 ? passedOver.get(emailCompanies[0].id) ?? null : null;
  return decided(null, proposal);
}

export function matchClient(customer: BuyerLike, candidates: readonly StornoClientRow[]): ClientMatch | null {
  return decideClient(customer, candidates).match;
}

/**
 * Whether a remembered match still holds for the client as Storno has it now (the client may have been
 * edited: a CUI added, the name changed). A merchant-confirmed company keeps holding while the customer has
 * no tax id of its own.
 */
export function stillAgrees(customer: BuyerLike, row: StornoClientRow, matchedBy: string): boolean {
  const buyer = asBuyer(customer);
  if (matchedBy === 'confirmed') return buyer.identity.kind === 'none';
  if (matchedBy === 'created') {
    if (buyer.identity.kind !== 'none') return sameIdentifier(buyer, row) !== null;
    return !isCompanyRow(row) || legalEntityKey(row.name) === buyer.entityKey;
  }
  return decideClient(buyer, [row]).match?.clientId === row.id;
}

/**
 * Terms to pass as `search` to GET /api/v1/clients, strongest first. Storno's search is a substring
 * match, so we send the CIF digits (matches "RO4221306" and "4221306"), the full EU VAT code, the email,
 * and the name core without legal form and punctuation; results are then filtered by `matchClient`.
 */
export function clientSearchTerms(customer: BuyerLike): string[] {
  const buyer = asBuyer(customer);
  const { identity, input } = buyer;
  const terms: string[] = [];
  if (identity.kind === 'ro_vat_payer' || identity.kind === 'ro_company') terms.push(identity.cui);
  if (identity.kind === 'eu_vat') terms.push(identity.vat.code);
  if (identity.kind === 'ro_person') terms.push(identity.cnp);
  const email = input.email?.trim();
  if (email) terms.push(email);
  const core = nameSearchCore(input.name);
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
export function clientProposal(buyerLike: BuyerLike): StornoClientInput {
  const buyer = asBuyer(buyerLike);
  const { identity, address: addr, input: customer } = buyer;
  const name = (customer.name ?? '').trim() || (customer.email ?? '').trim() || 'Client Stripe';
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
    case 'none':
      return { ...base, type: buyer.business ? 'company' : 'individual', isVatPayer: false, country: addr.country ?? 'RO' };
  }
}
