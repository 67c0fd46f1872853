// Romanian addresses for e-Factura (efactura-facts.md §5, BR-RO-100/110): a RO address needs one of the
// 42 ISO 3166-2:RO county codes, and a Bucharest address needs CityName SECTOR1…SECTOR6.
import { foldText } from './names.js';
import { parseEuVat } from './taxIds.js';
import type { StripeAddress, StripeTaxId } from './types.js';

/** ISO 3166-2:RO code → official name (with diacritics). */
export const RO_COUNTIES: Readonly<Record<string, string>> = {
  'RO-AB': 'Alba', 'RO-AG': 'Argeș', 'RO-AR': 'Arad', 'RO-B': 'București', 'RO-BC': 'Bacău', 'RO-BH': 'Bihor',
  'RO-BN': 'Bistrița-Năsăud', 'RO-BR': 'Brăila', 'RO-BT': 'Botoșani', 'RO-BV': 'Brașov', 'RO-BZ': 'Buzău',
  'RO-CJ': 'Cluj', 'RO-CL': 'Călărași', 'RO-CS': 'Caraș-Severin', 'RO-CT': 'Constanța', 'RO-CV': 'Covasna',
  'RO-DB': 'Dâmbovița', 'RO-DJ': 'Dolj', 'RO-GJ': 'Gorj', 'RO-GL': 'Galați', 'RO-GR': 'Giurgiu',
  'RO-HD': 'Hunedoara', 'RO-HR': 'Harghita', 'RO-IF': 'Ilfov', 'RO-IL': 'Ialomița', 'RO-IS': 'Iași',
  'RO-MH': 'Mehedinți', 'RO-MM': 'Maramureș', 'RO-MS': 'Mureș', 'RO-NT': 'Neamț', 'RO-OT': 'Olt',
  'RO-PH': 'Prahova', 'RO-SB': 'Sibiu', 'RO-SJ': 'Sălaj', 'RO-SM': 'Satu Mare', 'RO-SV': 'Suceava',
  'RO-TL': 'Tulcea', 'RO-TM': 'Timiș', 'RO-TR': 'Teleorman', 'RO-VL': 'Vâlcea', 'RO-VN': 'Vrancea',
  'RO-VS': 'Vaslui',
};

const BUCHAREST_NAMES = new Set(['bucuresti', 'bucharest', 'municipiul bucuresti', 'mun bucuresti', 'bucarest', 'bukarest']);

// Folded county name without spaces → code ("bistritanasaud" → RO-BN).
const NAME_TO_CODE = new Map<string, string>();
for (const [code, name] of Object.entries(RO_COUNTIES)) NAME_TO_CODE.set(foldText(name).replace(/ /g, ''), code);
for (const n of BUCHAREST_NAMES) NAME_TO_CODE.set(n.replace(/ /g, ''), 'RO-B');

/**
 * Free-text county → ISO 3166-2:RO code. Accepts "RO-CJ", "CJ", "cj", "Cluj", "Județul Cluj", "jud. Cluj",
 * "Iasi"/"Iași", "Bistrita Nasaud", "Municipiul București", "B". Unknown text ("Transilvania") → null.
 */
export function normalizeCounty(input: string | null | undefined): string | null {
  let f = foldText(input);
  if (!f) return null;
  f = f.replace(/^(judetul|judet|jud|county of|county)\s+/, '').replace(/\s+(county|judet)$/, '');
  const code = f.replace(/^ro\s+/, '').toUpperCase();
  if (/^[A-Z]{1,2}$/.test(code) && RO_COUNTIES[`RO-${code}`]) return `RO-${code}`;
  const joined = f.replace(/ /g, '');
  const byName = NAME_TO_CODE.get(joined);
  if (byName) return byName;
  // "Bucuresti Sector 3" in the state field
  if (/^(municipiul )?(bucuresti|bucharest)\b/.test(f)) return 'RO-B';
  return null;
}

/** Sector 1–6 from "Sector 3", "sectorul 3", "sect. 3", "SECTOR3", "Sectorul 3, București"; else null. */
export function extractSector(text: string | null | undefined): number | null {
  const f = foldText(text);
  const m = /\bsect(?:orul|or)?\s*([1-6])\b/.exec(f) ?? /\bsect(?:orul|or)?([1-6])\b/.exec(f);
  return m ? Number(m[1]) : null;
}

/** Whether a city/state text designates Bucharest (incl. "Sector 3" alone as a city). */
export function isBucharestText(text: string | null | undefined): boolean {
  const f = foldText(text);
  if (!f) return false;
  if (f === 'b' || f === 'ro b') return true;
  if (/^(municipiul |mun )?(bucuresti|bucharest|bucarest|bukarest)\b/.test(f)) return true;
  return /^sect(orul|or)?\s*[1-6]$/.test(f);
}

export type AddressProblem = 'street_missing' | 'city_missing' | 'county_missing' | 'county_unknown' | 'sector_missing';

export interface NormalizedAddress {
  /** ISO-2 country (from the address, else the VAT prefix), or null. */
  country: string | null;
  /** Street lines joined. */
  street: string | null;
  /** City as the UBL wants it: SECTOR1…6 for Bucharest. */
  city: string | null;
  /** ISO 3166-2:RO code for Romanian addresses, the raw state otherwise. */
  county: string | null;
  postalCode: string | null;
  bucharest: boolean;
  sector: number | null;
  /** Only for Romanian addresses. */
  problems: AddressProblem[];
}

function clean(s: string | null | undefined): string | null {
  const t = (s ?? '').trim().replace(/\s+/g, ' ');
  return t ? t : null;
}

/** Country from the address, else from an EU VAT prefix (EL → GR). */
export function countryOf(address: StripeAddress | null | undefined, taxIds?: readonly StripeTaxId[] | null): string | null {
  const c = clean(address?.country)?.toUpperCase();
  if (c && /^[A-Z]{2}$/.test(c)) return c;
  for (const t of taxIds ?? []) {
    if (t.type === 'eu_vat') {
      const v = parseEuVat(t.value);
      if (v) return v.country;
    }
    if (t.type === 'ro_tin' && t.value) return 'RO';
  }
  return null;
}

/**
 * Normalizes a Stripe address. For Romania: county → ISO code, Bucharest → county RO-B + city SECTORn
 * (the sector is looked for in city, state, line2 and line1), and lists what blocks an e-invoice.
 */
export function normalizeAddress(address: StripeAddress | null | undefined, taxIds?: readonly StripeTaxId[] | null): NormalizedAddress {
  const country = countryOf(address, taxIds);
  const street = clean([clean(address?.line1), clean(address?.line2)].filter(Boolean).join(', '));
  const rawCity = clean(address?.city);
  const rawState = clean(address?.state);
  const postalCode = clean(address?.postal_code);
  if (country !== 'RO') {
    return { country, street, city: rawCity, county: rawState, postalCode, bucharest: false, sector: null, problems: [] };
  }
  const problems: AddressProblem[] = [];
  let county = normalizeCounty(rawState);
  const bucharest = county === 'RO-B' || isBucharestText(rawCity) || (!county && isBucharestText(rawState));
  let city = rawCity;
  let sector: number | null = null;
  if (bucharest) {
    county = 'RO-B';
    sector = extractSector(rawCity) ?? extractSector(rawState) ?? extractSector(address?.line2) ?? extractSector(address?.line1);
    if (sector) city = `SECTOR${sector}`;
    else problems.push('sector_missing');
  } else if (!county) {
    problems.push(rawState ? 'county_unknown' : 'county_missing');
  }
  if (!street) problems.push('street_missing');
  if (!rawCity && !(bucharest && sector)) problems.push('city_missing');
  return { country, street, city, county, postalCode, bucharest, sector, problems };
}
