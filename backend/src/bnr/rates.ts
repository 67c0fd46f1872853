// The BNR reference rate a document must carry (efactura-facts.md §3, art. 290 Fiscal Code): "the last
// exchange rate communicated by BNR" valid at the VAT chargeability date. BNR publishes once per banking day
// around 13:00; a rate published on day P is the one communicated for operations from P+1 until the next
// publication. So a document dated D uses the Cube with the latest date strictly before D (a Monday invoice
// uses Friday's rate; after a public holiday the last banking day's). Rates are cached per document date in
// the database: an old document never takes "today's" rate, and a credit note reuses its parent's rate.
import type { PrismaClient } from '../db/database.js';
import { BnrFeedError, parseBnrFeed, type BnrCube } from './feed.js';

export interface RateForDate {
  /** RON per one unit of the currency. */
  rate: string;
  /** The BNR publication day the rate comes from. */
  publishedOn: string;
}

/** BNR cannot be reached (or answers garbage): the document waits and is retried; it is never sent without its rate. */
export class BnrUnavailable extends Error {
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = 'BnrUnavailable';
  }
}

export class BnrCurrencyUnknown extends Error {
  constructor(currency: string, publishedOn: string) {
    super(`BNR published no ${currency} rate on ${publishedOn}; charge in RON, EUR or another BNR-quoted currency.`);
    this.name = 'BnrCurrencyUnknown';
  }
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export class BnrRates {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly timeoutMs = 10_000,
  ) {}

  /** The rate of `currency` that applies to a document dated `date` (YYYY-MM-DD, Europe/Bucharest). */
  async rateFor(currency: string, date: string): Promise<RateForDate> {
    const day = await this.ratesFor(date);
    const code = currency.toUpperCase();
    if (code === 'RON') return { rate: '1.0000', publishedOn: day.publishedOn };
    const rate = day.rates[code];
    if (!rate) throw new BnrCurrencyUnknown(code, day.publishedOn);
    return { rate, publishedOn: day.publishedOn };
  }

  async ratesFor(date: string): Promise<{ publishedOn: string; rates: Record<string, string> }> {
    const cached = await this.prisma.bnrRateDay.findUnique({ where: { date } });
    if (cached) return { publishedOn: cached.publishedOn, rates: JSON.parse(cached.rates) as Record<string, string> };
    const cube = await this.lastCubeBefore(date);
    const row = { date, publishedOn: cube.date, rates: JSON.stringify(cube.rates) };
    await this.prisma.bnrRateDay.upsert({ where: { date }, create: row, update: {} });
    return { publishedOn: cube.date, rates: cube.rates };
  }

  private async lastCubeBefore(date: string): Promise<BnrCube> {
    // The daily file holds only the latest Cube: when that is before D, nothing newer exists, so it is D's rate.
    const daily = await this.feed('/nbrfxrates.xml');
    const latest = daily.at(-1);
    if (latest && latest.date < date) return latest;
    // Otherwise the yearly archive of the day before D (and the previous year's for the first days of January).
    const before = dayBefore(date);
    for (const year of [Number(before.slice(0, 4)), Number(before.slice(0, 4)) - 1]) {
      const cubes = (await this.feed(`/files/xml/years/nbrfxrates${year}.xml`)).filter((c) => c.date < date);
      if (cubes.length) return cubes.at(-1)!;
    }
    throw new BnrUnavailable(`BNR has no reference rate published before ${date}.`);
  }

  private async feed(path: string): Promise<BnrCube[]> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/xml, text/xml' } });
    } catch (err) {
      throw new BnrUnavailable(`BNR's exchange rates could not be reached (${(err as Error).message}); the document waits and is retried.`);
    }
    if (!res.ok) throw new BnrUnavailable(`BNR answered ${res.status} for ${path}; the document waits and is retried.`);
    try {
      return parseBnrFeed(await res.text());
    } catch (err) {
      if (err instanceof BnrFeedError) throw new BnrUnavailable(`${err.message} The document waits and is retried.`);
      throw err;
    }
  }
}
