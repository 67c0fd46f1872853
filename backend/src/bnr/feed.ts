// BNR's reference-rate XML (https://www.bnr.ro/nbrfxrates.xml, the yearly files/xml/years/nbrfxratesYYYY.xml):
// <DataSet><Header>…</Header><Body><Subject/><OrigCurrency>RON</OrigCurrency><Cube date="YYYY-MM-DD">
// <Rate currency="EUR">5.0900</Rate><Rate currency="JPY" multiplier="100">3.0650</Rate>…</Cube>…</Body></DataSet>.
// One Cube per banking day. Namespaces vary between captures (http/https), so only local names are read.
import Big from 'big.js';
import { XMLParser } from 'fast-xml-parser';

export interface BnrCube {
  /** The banking day BNR published these rates, YYYY-MM-DD. */
  date: string;
  /** Currency → RON for ONE unit (the `multiplier` divided out), as a decimal string. */
  rates: Record<string, string>;
}

export class BnrFeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BnrFeedError';
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Values stay strings: a rate is never a float.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'Cube' || name === 'Rate',
});

type RateNode = string | { '#text'?: string; '@currency'?: string; '@multiplier'?: string };

/** Every Cube of a BNR feed, oldest first. Throws BnrFeedError when the document is not BNR's format. */
export function parseBnrFeed(xml: string): BnrCube[] {
  let doc: { DataSet?: { Body?: { Cube?: { '@date'?: string; Rate?: RateNode[] }[] } } };
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw new BnrFeedError(`BNR answered something that is not XML (${(err as Error).message}).`);
  }
  const body = doc.DataSet?.Body;
  if (!body) throw new BnrFeedError('BNR answered XML without DataSet/Body.');
  const cubes: BnrCube[] = [];
  for (const cube of body.Cube ?? []) {
    const date = cube['@date'];
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new BnrFeedError(`A BNR Cube has no valid date (${String(date)}).`);
    const rates: Record<string, string> = {};
    for (const node of cube.Rate ?? []) {
      if (typeof node === 'string' || !node['@currency'] || node['#text'] === undefined) continue;
      const text = node['#text'].trim();
      const multiplier = new Big(node['@multiplier'] ?? '1');
      // "3.0650" RON per 100 JPY → "0.03065" per yen; without a multiplier the published text is kept as is.
      rates[node['@currency'].toUpperCase()] = multiplier.eq(1) ? new Big(text).toFixed(Math.max(4, text.split('.')[1]?.length ?? 0)) : new Big(text).div(multiplier).toString();
    }
    cubes.push({ date, rates });
  }
  return cubes.sort((a, b) => a.date.localeCompare(b.date));
}
