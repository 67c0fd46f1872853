// Checks run before anything is sent to Storno. Each is something ANAF would reject (or Storno would
// silently paper over, like SECTOR1 for Bucharest) and that the merchant can fix in Stripe.
import type { PreflightCheck } from '../../../src/api/contract.js';
import { asBuyer, buyerFacts, type BuyerFacts, type BuyerLike } from './buyer.js';
import { hasAtMostDecimals, parseDecimal } from './money.js';
import { EU_COUNTRIES } from './taxIds.js';
import type { CustomerInput, StornoClientRow, StornoLineInput } from './types.js';

export type { PreflightCheck };

/**
 * Currencies we let through: the ones BNR publishes a RON rate for (Storno needs a rate for the RON VAT
 * total, BR-RO-030/BR-53), RON included. Others (XAF, KWD…) are refused up front.
 */
export const STORNO_CURRENCIES: ReadonlySet<string> = new Set([
  'RON', 'EUR', 'USD', 'GBP', 'CHF', 'HUF', 'PLN', 'CZK', 'BGN', 'SEK', 'DKK', 'NOK', 'JPY', 'CAD', 'AUD',
  'TRY', 'MDL', 'CNY', 'NZD', 'ZAR', 'BRL', 'INR', 'KRW', 'MXN', 'AED', 'RSD', 'UAH', 'EGP', 'THB',
]);

export interface PreflightInput {
  /** The buyer the document will carry: the Stripe customer's facts, or the matched Storno client's (`buyerFromClient`). */
  customer: BuyerLike;
  /** Where the merchant fixes the buyer: the Stripe customer (default) or the Storno client it matched. */
  buyerSource?: BuyerSource;
  currency: string;
  lines?: readonly StornoLineInput[];
}

function mask(id: string): string {
  return id.length > 4 ? `ending in ${id.slice(-4)}` : id;
}

export type BuyerSource = { kind: 'stripe' } | { kind: 'storno'; clientName: string };

/**
 * The buyer checks alone: what Storno or ANAF would refuse about the buyer's identifiers and address.
 * Used before a document is sent and before "Create client" (Storno refuses the same data).
 */
export function buyerChecks(customer: BuyerLike, source: BuyerSource = { kind: 'stripe' }): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  // `params` lets the extension say the same thing in the merchant's language; `message` stays for logs and the API.
  const add = (code: string, message: string, params: Record<string, string> = {}) => checks.push({ code, message, params });
  const buyer = asBuyer(customer);
  const { identity, unusable, address: addr, country } = buyer;
  const stripe = source.kind === 'stripe';
  const who = stripe ? "The customer's" : `The Storno client "${source.clientName}"'s`;
  const fixId = stripe ? 'correct the tax ID in Stripe' : 'correct the CUI in the client in Storno.ro';
  const fixAddress = stripe ? "in the customer's address in Stripe" : 'in the client in Storno.ro (Clients)';

  // Identifiers
  if ((identity.kind === 'ro_vat_payer' || identity.kind === 'ro_company') && !identity.valid) {
    add('buyer_cif_invalid', `${who} CIF ${identity.raw} fails the check digit; ${fixId}.`, { cif: identity.raw });
  }
  if (identity.kind === 'ro_person' && !identity.valid) {
    // A CNP is personal data: show only its end.
    add('buyer_cnp_invalid', `${who} CNP (${mask(identity.cnp)}) fails the check digit; ${stripe ? 'correct or remove the ro_tin tax ID in Stripe' : 'correct the CNP in Storno.ro'}.`, { cnpEnd: identity.cnp.slice(-4) });
  }
  for (const t of unusable) {
    add('buyer_tax_id_invalid', `${who} ${t.type} tax ID "${t.value ?? ''}" is not a valid ${t.type === 'ro_tin' ? 'CUI (2–10 digits) or CNP (13 digits)' : 'EU VAT number'}; ${stripe ? 'correct it in Stripe' : 'correct it in Storno.ro'}.`, { type: t.type, value: t.value ?? '' });
  }

  // Address (BR-RO-081/091/110/100)
  const consumer = identity.kind === 'ro_person' || identity.kind === 'none';
  if (!country) {
    add('buyer_country_missing', `${who} address has no country; add the billing country ${fixAddress}.`);
  } else if (country === 'RO') {
    if (addr.problems.includes('street_missing') || addr.problems.includes('city_missing')) {
      if (consumer && stripe) {
        add('b2c_address_missing', "The customer has no street or city (Checkout collected only country and postal code); enable full billing address collection and add the customer's address in Stripe.");
      } else {
        add('buyer_address_missing', `${who} Romanian address has no street or city; add them ${fixAddress}.`);
      }
    }
    if (addr.problems.includes('county_unknown')) {
      add('buyer_county_unknown', `${who} county "${buyer.input.address?.state ?? ''}" is not a Romanian county; set the county (e.g. "Cluj") ${fixAddress}.`, { county: buyer.input.address?.state ?? '' });
    }
    if (addr.problems.includes('county_missing')) {
      add('buyer_county_missing', `${who} Romanian address has no county; set the county (e.g. "Cluj") ${fixAddress}.`);
    }
    if (addr.problems.includes('sector_missing')) {
      add('bucharest_sector_missing', `${who} Bucharest address has no sector; add "Sector 1"–"Sector 6" to the city or address line ${fixAddress}.`);
    }
  }
  return checks;
}

/** The buyer a Storno client record makes (what a document made with `clientId` carries). */
export function buyerFromClient(client: StornoClientRow & { address?: string | null; city?: string | null; county?: string | null; postalCode?: string | null }): BuyerFacts {
  const taxIds: CustomerInput['taxIds'] = [];
  const vat = (client.vatCode ?? '').trim();
  const cui = (client.cui ?? '').trim();
  if (/^RO/i.test(vat) || (client.isVatPayer && /^\d+$/.test(cui))) taxIds.push({ type: 'eu_vat', value: /^RO/i.test(vat) ? vat : `RO${cui}` });
  else if (vat && !/^\d+$/.test(vat)) taxIds.push({ type: 'eu_vat', value: vat });
  else if (cui && /^\d+$/.test(cui.replace(/^RO/i, ''))) taxIds.push({ type: 'ro_tin', value: cui });
  else if (cui && cui !== '-') taxIds.push({ type: 'eu_vat', value: cui });
  if (client.cnp && !taxIds.length) taxIds.push({ type: 'ro_tin', value: client.cnp });
  return buyerFacts({
    name: client.name ?? null,
    email: client.email ?? null,
    // Storno keeps Bucharest as county RO-B + city SECTORn; the normalizer reads both as Stripe fields.
    address: { line1: client.address ?? null, city: client.city ?? null, state: client.county ?? null, postal_code: client.postalCode ?? null, country: client.country ?? null },
    taxIds,
  });
}

/** Runs every check; an empty list means the document may be sent. */
export function preflight(input: PreflightInput): PreflightCheck[] {
  const checks = buyerChecks(input.customer, input.buyerSource);
  const add = (code: string, message: string, params: Record<string, string> = {}) => checks.push({ code, message, params });
  const buyer = asBuyer(input.customer);
  const { identity, country } = buyer;

  // Currency
  const currency = input.currency.toUpperCase();
  if (!STORNO_CURRENCIES.has(currency)) {
    add('currency_unsupported', `The currency ${currency} has no BNR exchange rate, so Storno cannot issue the e-invoice; charge in RON, EUR or another BNR-quoted currency.`, { currency });
  }

  // Lines
  const lines = input.lines ?? [];
  const categories = new Set(lines.map((l) => l.vatCategoryCode));
  lines.forEach((l, i) => {
    const name = `Line ${i + 1} ("${l.description}")`;
    const lineParams = { line: String(i + 1), description: l.description };
    if (l.vatCategoryCode === 'S' && parseDecimal(l.vatRate).eq(0)) {
      add('zero_rate_standard', `${name} has 0% VAT with category S; set up Romanian VAT on the price in Stripe, or mark it zero-rated, exempt or not subject to VAT.`, lineParams);
    }
    if (['Z', 'E', 'AE', 'K', 'G', 'O'].includes(l.vatCategoryCode) && !parseDecimal(l.vatRate).eq(0)) {
      add('zero_category_with_rate', `${name} has category ${l.vatCategoryCode} but a ${l.vatRate}% rate; these categories must be 0%.`, { ...lineParams, category: l.vatCategoryCode, rate: l.vatRate });
    }
    if (parseDecimal(l.quantity).eq(0)) add('line_quantity_zero', `${name} has quantity 0, which Storno refuses; remove it or set a quantity.`, lineParams);
    if (parseDecimal(l.unitPrice).lt(0)) add('line_negative_price', `${name} has a negative unit price (ANAF rule BR-27); use a negative quantity instead.`, lineParams);
    for (const [field, value] of [['unit price', l.unitPrice], ['discount', l.discount ?? '0']] as const) {
      if (!hasAtMostDecimals(value, 2)) add('amount_precision', `${name}: the ${field} ${value} has more than 2 decimals, which ANAF rejects.`, { ...lineParams, field: field === 'unit price' ? 'unit_price' : 'discount', value });
    }
  });
  if (categories.has('O') && categories.size > 1) {
    add('vat_category_o_mixed', 'Lines "not subject to VAT" (O) are mixed with other VAT categories, which ANAF rejects (BR-O-11); use one VAT treatment per invoice.');
  }
  if (categories.has('AE') && identity.kind !== 'eu_vat' && identity.kind !== 'ro_vat_payer') {
    add('reverse_charge_without_vat_id', "Reverse charge needs the buyer's VAT number; add the customer's EU VAT ID in Stripe.");
  }
  if (categories.has('G') && country && (country === 'RO' || EU_COUNTRIES.has(country))) {
    add('export_inside_eu', `A line is marked as export (G) but the buyer is in ${country}; check the customer's country in Stripe.`, { country });
  }
  return checks;
}
