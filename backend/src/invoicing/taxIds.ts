// Romanian and EU tax identifiers (efactura-facts.md §2). ANAF rejects an invoice whose buyer CIF fails
// its check digit ("CIF cumparator invalid"), so we validate locally before anything is sent.
import type { StripeTaxId } from './types.js';

const CIF_KEY = [7, 5, 3, 2, 1, 7, 5, 3, 2];
const CNP_KEY = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];

/** The B2C placeholder for a consumer who did not give a CNP (OUG 69/2024). */
export const CNP_PLACEHOLDER = '0000000000000';

function compact(input: string): string {
  // Spaces, dots, dashes and NBSPs are common in copy-pasted identifiers.
  return input.replace(/[\s.\-\u00a0]/g, '');
}

/**
 * CIF/CUI digits: strips spaces, an optional "RO" and leading zeros. Returns null when the rest is not
 * 2–10 digits. Does not check the check digit (see `isValidCif`).
 */
export function normalizeCif(input: string | null | undefined): string | null {
  if (!input) return null;
  let s = compact(input).toUpperCase();
  if (s.startsWith('RO')) s = s.slice(2);
  if (!/^\d{2,10}$/.test(s)) return null;
  s = s.replace(/^0+/, '');
  return s.length >= 2 ? s : null;
}

/** Expected check digit of a CIF body (all digits but the last). */
export function cifCheckDigit(body: string): number {
  const padded = body.padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(padded[i]) * CIF_KEY[i];
  const c = (sum * 10) % 11;
  return c === 10 ? 0 : c;
}

/** CIF check-digit validation ("RO4221306", " 4221306 " and "04221306" are all valid). */
export function isValidCif(input: string | null | undefined): boolean {
  const digits = normalizeCif(input);
  if (!digits) return false;
  return cifCheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

/** CNP check digit (13 digits; the 13-zero placeholder is not a real CNP and is rejected here). */
export function isValidCnp(input: string | null | undefined): boolean {
  if (!input) return false;
  const s = compact(input);
  if (!/^\d{13}$/.test(s) || s === CNP_PLACEHOLDER) return false;
  if (s[0] === '0') return false; // S (sex/century) is 1–9
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(s[i]) * CNP_KEY[i];
  const c = sum % 11 === 10 ? 1 : sum % 11;
  return c === Number(s[12]);
}

/** EU VAT prefixes: EL is Greece, XI is Northern Ireland (goods). */
const EU_VAT_PREFIX_TO_COUNTRY: Record<string, string> = {
  AT: 'AT', BE: 'BE', BG: 'BG', CY: 'CY', CZ: 'CZ', DE: 'DE', DK: 'DK', EE: 'EE', EL: 'GR', ES: 'ES',
  FI: 'FI', FR: 'FR', HR: 'HR', HU: 'HU', IE: 'IE', IT: 'IT', LT: 'LT', LU: 'LU', LV: 'LV', MT: 'MT',
  NL: 'NL', PL: 'PL', PT: 'PT', RO: 'RO', SE: 'SE', SI: 'SI', SK: 'SK', XI: 'GB',
};

/** EU member states (ISO 3166-1 alpha-2; Greece is GR here, EL only as a VAT prefix). */
export const EU_COUNTRIES: ReadonlySet<string> = new Set(
  Object.values(EU_VAT_PREFIX_TO_COUNTRY).filter((c) => c !== 'GB'),
);

export interface EuVatNumber {
  /** VAT prefix as written (EL, XI…). */
  prefix: string;
  /** ISO country of the business (EL → GR, XI → GB). */
  country: string;
  /** Part after the prefix. */
  number: string;
  /** Full normalized code, e.g. "DE123456789". */
  code: string;
}

/** Parses an EU VAT number (any spacing/case, "GR" accepted as an alias of EL); null when unknown. */
export function parseEuVat(input: string | null | undefined): EuVatNumber | null {
  if (!input) return null;
  const s = compact(input).toUpperCase();
  let prefix = s.slice(0, 2);
  const number = s.slice(2);
  if (prefix === 'GR') prefix = 'EL'; // Greece's VAT prefix is EL; GR is a frequent typo
  const country = EU_VAT_PREFIX_TO_COUNTRY[prefix];
  if (!country || !/^[0-9A-Z+*]{2,12}$/.test(number) || !/\d/.test(number)) return null;
  return { prefix, country, number, code: prefix + number };
}

export type BuyerTaxIdentity =
  /** Romanian company registered for VAT (eu_vat RO…): cui digits + vatCode "RO…". */
  | { kind: 'ro_vat_payer'; cui: string; vatCode: string; valid: boolean; raw: string }
  /** Romanian company without VAT registration (ro_tin with 2–10 digits). */
  | { kind: 'ro_company'; cui: string; valid: boolean; raw: string }
  /** Romanian individual (ro_tin with 13 digits). */
  | { kind: 'ro_person'; cnp: string; valid: boolean; raw: string }
  /** Business with another EU VAT number. */
  | { kind: 'eu_vat'; vat: EuVatNumber; raw: string }
  /** No usable identifier: a consumer (CNP placeholder in the UBL). */
  | { kind: 'none' };

export interface TaxIdClassification {
  identity: BuyerTaxIdentity;
  /** Tax ids that could not be understood (e.g. a ro_tin with 7 letters), kept for pre-flight. */
  unusable: StripeTaxId[];
}

/**
 * Classifies a Stripe customer's tax ids. Priority: RO VAT (eu_vat RO…) > ro_tin CUI > other EU VAT >
 * ro_tin CNP; a CUI-shaped `ro_tin` is a company even if the same customer also has a personal id.
 */
export function classifyTaxIds(taxIds: readonly StripeTaxId[] | null | undefined): TaxIdClassification {
  const unusable: StripeTaxId[] = [];
  let roVat: BuyerTaxIdentity | null = null;
  let roCompany: BuyerTaxIdentity | null = null;
  let euVat: BuyerTaxIdentity | null = null;
  let person: BuyerTaxIdentity | null = null;
  for (const t of taxIds ?? []) {
    const raw = (t.value ?? '').trim();
    if (!raw) continue;
    if (t.type === 'eu_vat') {
      const parsed = parseEuVat(raw);
      if (parsed?.prefix === 'RO') {
        const cui = normalizeCif(raw);
        if (cui) {
          roVat ??= { kind: 'ro_vat_payer', cui, vatCode: `RO${cui}`, valid: isValidCif(cui), raw };
          continue;
        }
      } else if (parsed) {
        euVat ??= { kind: 'eu_vat', vat: parsed, raw };
        continue;
      }
      unusable.push(t);
    } else if (t.type === 'ro_tin') {
      const digits = compact(raw).toUpperCase().replace(/^RO/, '');
      if (/^\d{13}$/.test(digits)) {
        if (digits === CNP_PLACEHOLDER) continue; // the placeholder is what "no CNP" means anyway
        person ??= { kind: 'ro_person', cnp: digits, valid: isValidCnp(digits), raw };
      } else if (/^\d{2,10}$/.test(digits) && normalizeCif(digits)) {
        const cui = normalizeCif(digits)!;
        // A ro_tin that carried "RO" is a VAT code typed into the wrong field: honour the RO.
        if (/^RO/i.test(compact(raw))) roVat ??= { kind: 'ro_vat_payer', cui, vatCode: `RO${cui}`, valid: isValidCif(cui), raw };
        else roCompany ??= { kind: 'ro_company', cui, valid: isValidCif(cui), raw };
      } else {
        unusable.push(t);
      }
    }
    // Other Stripe tax id types (gb_vat, us_ein…) identify non-EU businesses; they do not change the VAT logic.
  }
  return { identity: roVat ?? roCompany ?? euVat ?? person ?? { kind: 'none' }, unusable };
}
