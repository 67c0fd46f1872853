// Romanian identifiers and addresses as ANAF checks them (efactura-facts §2 and §5): CIF check digit, county codes.

/** CIF/CUI check digit: optional "RO", 2–10 digits, key 753217532, (sum×10) mod 11, 10 → 0. */
export function isValidCif(value: string): boolean {
  const digits = value.trim().replace(/^ro/i, '').replace(/\s+/g, '');
  if (!/^\d{2,10}$/.test(digits)) return false;
  const check = Number(digits.at(-1));
  const body = digits.slice(0, -1).padStart(9, '0');
  const key = '753217532';
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * Number(key[i]);
  let c = (sum * 10) % 11;
  if (c === 10) c = 0;
  return c === check;
}

/** The 42 ISO 3166-2:RO subdivision codes (without "RO-") and their county names. */
const COUNTIES: Record<string, string> = {
  AB: 'Alba', AG: 'Argeș', AR: 'Arad', B: 'București', BC: 'Bacău', BH: 'Bihor', BN: 'Bistrița-Năsăud', BR: 'Brăila',
  BT: 'Botoșani', BV: 'Brașov', BZ: 'Buzău', CJ: 'Cluj', CL: 'Călărași', CS: 'Caraș-Severin', CT: 'Constanța',
  CV: 'Covasna', DB: 'Dâmbovița', DJ: 'Dolj', GJ: 'Gorj', GL: 'Galați', GR: 'Giurgiu', HD: 'Hunedoara', HR: 'Harghita',
  IF: 'Ilfov', IL: 'Ialomița', IS: 'Iași', MH: 'Mehedinți', MM: 'Maramureș', MS: 'Mureș', NT: 'Neamț', OT: 'Olt',
  PH: 'Prahova', SB: 'Sibiu', SJ: 'Sălaj', SM: 'Satu Mare', SV: 'Suceava', TL: 'Tulcea', TM: 'Timiș', TR: 'Teleorman',
  VL: 'Vâlcea', VN: 'Vrancea', VS: 'Vaslui',
};

const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/^jud(etul|\.)?\s+/, '')
    .replace(/[^a-z]/g, '');

const BY_NAME = new Map(Object.entries(COUNTIES).map(([code, name]) => [fold(name), code]));

/** "Cluj", "CJ", "RO-CJ", "Județul Cluj", "Sector 3", "Bucuresti" → "CJ" / "B"; unknown → null. */
export function countyCode(value: string | null | undefined): string | null {
  if (!value || !value.trim()) return null;
  const raw = value.trim();
  const code = raw.toUpperCase().replace(/^RO-/, '');
  if (COUNTIES[code]) return code;
  if (/^sector(ul)?\s*[1-6]$/i.test(raw)) return 'B';
  return BY_NAME.get(fold(raw)) ?? null;
}

/** Bucharest sectors and spellings collapse to "București", other known counties to their proper name. */
export function normalizeCounty(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const code = countyCode(value);
  return code ? COUNTIES[code]! : value.trim() || null;
}

const EU_PREFIXES = new Set([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'EL', 'ES', 'FI', 'FR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT',
  'NL', 'PL', 'PT', 'SE', 'SI', 'SK', 'XI',
]);

/** "DE123456789" → { prefix: "DE", country: "DE" }; Greece's EL maps to GR, Northern Ireland's XI to GB. */
export function euVatPrefix(value: string): { prefix: string; country: string } | null {
  const m = /^([A-Z]{2})[0-9A-Z+*]{2,12}$/.exec(value.trim().toUpperCase());
  if (!m || !EU_PREFIXES.has(m[1]!)) return null;
  const prefix = m[1]!;
  return { prefix, country: prefix === 'EL' ? 'GR' : prefix === 'XI' ? 'GB' : prefix };
}
