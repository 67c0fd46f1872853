// The buyer's fiscal facts, derived once per document build and handed to matching, pre-flight and mapping:
// classified tax ids, the normalized address (county, Bucharest sector), folded names, consumer or business,
// and whether the sale is inside mandatory e-Factura scope. Each of those modules reads these facts and
// never re-derives them from the raw Stripe data.
import { normalizeAddress, type NormalizedAddress } from './address.js';
import { foldName, legalEntityKey, legalFormsOf } from './names.js';
import { classifyTaxIds, EU_COUNTRIES, type BuyerTaxIdentity } from './taxIds.js';
import type { CustomerInput, StripeTaxId } from './types.js';

export interface BuyerFacts {
  readonly kind: 'buyer_facts';
  /** The data the facts were derived from (what a created client is made of). */
  input: CustomerInput;
  identity: BuyerTaxIdentity;
  /** Tax ids that could not be understood, for pre-flight. */
  unusable: StripeTaxId[];
  address: NormalizedAddress;
  /** ISO-2 country: the address's, else the tax id's (a Romanian id means RO), else null. */
  country: string | null;
  /** Folded name without legal form, and the legal entity key (name + legal form). */
  foldedName: string;
  entityKey: string;
  email: string;
  /** A business (any business tax id, or a legal form in its name) rather than a consumer. */
  business: boolean;
  /** Stripe `tax_exempt` (the invoice's own value wins over the customer's). */
  taxExempt: string | null;
  /** Outside Romania: no mandatory e-Factura (efactura-facts.md §3); an upload is optional. */
  outsideRomania: boolean;
  /** In the EU but not Romania. */
  euForeign: boolean;
}

export type BuyerLike = BuyerFacts | CustomerInput;

export function isBuyerFacts(value: BuyerLike): value is BuyerFacts {
  return (value as BuyerFacts).kind === 'buyer_facts';
}

const ROMANIAN_IDENTITIES = new Set(['ro_vat_payer', 'ro_company', 'ro_person']);

export function buyerFacts(input: CustomerInput, invoiceTaxExempt?: string | null): BuyerFacts {
  const { identity, unusable } = classifyTaxIds(input.taxIds);
  const address = normalizeAddress(input.address, input.taxIds);
  const country = address.country ?? (ROMANIAN_IDENTITIES.has(identity.kind) ? 'RO' : null);
  const foreignTaxId = (input.taxIds ?? []).some((t) => t.type !== 'ro_tin' && t.type !== 'eu_vat' && !!t.value);
  const business = identity.kind === 'ro_vat_payer' || identity.kind === 'ro_company' || identity.kind === 'eu_vat' || (identity.kind === 'none' && (foreignTaxId || legalFormsOf(input.name).length > 0));
  return {
    kind: 'buyer_facts',
    input,
    identity,
    unusable,
    address,
    country,
    foldedName: foldName(input.name),
    entityKey: legalEntityKey(input.name),
    email: (input.email ?? '').trim().toLowerCase(),
    business,
    taxExempt: invoiceTaxExempt ?? input.taxExempt ?? null,
    outsideRomania: country !== null && country !== 'RO',
    euForeign: country !== null && country !== 'RO' && EU_COUNTRIES.has(country),
  };
}

/** Facts as given, or derived (tests and one-off callers pass raw input; a document build derives once). */
export function asBuyer(value: BuyerLike): BuyerFacts {
  return isBuyerFacts(value) ? value : buyerFacts(value);
}
