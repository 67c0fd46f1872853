// Text folding for matching: Stripe customers are typed by hand ("Demo Șoftware S.R.L."), Storno clients
// often come from ANAF ("DEMO SOFTWARE SRL"). We compare folded forms, never the raw strings.

/**
 * Lowercase, strip diacritics (both comma-below ș ț and the legacy cedilla ş ţ, ă â î, and any other
 * combining mark), turn punctuation into spaces and collapse whitespace.
 */
export function foldText(input: string | null | undefined): string {
  if (!input) return '';
  return input
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/**
 * Legal-form suffixes/prefixes as they look after folding and after joining single letters
 * ("S.R.L." → "s r l" → "srl"). Romanian forms first, then common foreign ones.
 */
const LEGAL_FORMS = new Set([
  'srl', 'srld', 'sa', 'pfa', 'ii', 'if', 'scs', 'snc', 'sca', 'sc', 'ra', 'ong', 'cmi', 'scm',
  'gmbh', 'ag', 'kg', 'ug', 'ohg', 'ltd', 'limited', 'llc', 'inc', 'corp', 'plc', 'llp', 'bv', 'nv',
  'sarl', 'sas', 'spa', 'sl', 'oy', 'ab', 'as', 'aps', 'kft', 'zrt', 'sro', 'spzoo', 'ooo', 'co', 'kk', 'gk',
]);

/** "SC" only says "commercial company" in front of the real form ("SC Demo SRL"): it names no entity of its own. */
const FORM_NOISE = new Set(['sc']);

/** Joins runs of single letters: "s r l d" → "srld", so dotted abbreviations fold like plain ones. */
function joinInitials(words: string[]): string[] {
  const out: string[] = [];
  let run = '';
  for (const w of words) {
    if (w.length === 1 && /\p{L}/u.test(w)) {
      run += w;
      continue;
    }
    if (run) {
      out.push(run);
      run = '';
    }
    out.push(w);
  }
  if (run) out.push(run);
  return out;
}

/**
 * Company/person name folded for equality: `foldText` + legal forms removed wherever they stand
 * (leading "SC … SRL" is a Romanian habit) + "sp z o o" style forms. Never returns an empty string for
 * a non-empty name that only consists of a legal form (keeps the folded text then).
 */
export function foldName(input: string | null | undefined): string {
  const joined = foldedWords(input);
  if (!joined) return '';
  const kept = joined.split(' ').filter((w) => !LEGAL_FORMS.has(w));
  return kept.length ? kept.join(' ') : joined;
}

function foldedWords(input: string | null | undefined): string {
  const folded = foldText(input);
  if (!folded) return '';
  const words = joinInitials(folded.split(' '));
  return words.join(' ').replace(/\bsp z ?o ?o\b/g, 'spzoo').replace(/\bsrl d\b/g, 'srld');
}

/** The legal forms a name carries ("S.R.L." → ["srl"]), "SC" left out; [] for a person's name. */
export function legalFormsOf(input: string | null | undefined): string[] {
  const words = foldedWords(input).split(' ').filter((w) => LEGAL_FORMS.has(w) && !FORM_NOISE.has(w));
  return [...new Set(words)].sort();
}

/**
 * The legal entity a name designates: the folded name *and* its legal form. "Demo Software S.R.L." and
 * "SC DEMO SOFTWARE SRL" are one entity; "Demo Software SA" and a person called "Demo Software" are others.
 */
export function legalEntityKey(input: string | null | undefined): string {
  const core = foldName(input);
  return core ? `${core}|${legalFormsOf(input).join(' ')}` : '';
}

