// The BNR client against the BNR stand-in's real-format XML: daily and yearly feeds, weekends and public
// holidays without a Cube, the multiplier, the per-date cache, and an outage that never yields a rate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBnrStandIn, type BnrStandIn } from '../../sandbox/bnr/index.js';
import { makeTestDatabase, testDatabaseKinds, type TestDatabase } from '../../test/support/databases.js';
import { openDatabase, type Database } from '../db/database.js';
import { applyMigrations } from '../db/migrations.js';
import { parseBnrFeed } from './feed.js';
import { BnrCurrencyUnknown, BnrRates, BnrUnavailable } from './rates.js';

describe.each(testDatabaseKinds())('BNR reference rates on %s', (kind) => {
  let bnr: BnrStandIn;
  let testDb: TestDatabase;
  let db: Database;
  let rates: BnrRates;

  beforeAll(async () => {
    bnr = await startBnrStandIn({ today: () => '2026-12-03' });
    testDb = makeTestDatabase(kind);
    await applyMigrations(testDb.url);
    db = openDatabase(testDb.url);
    rates = new BnrRates(db.prisma, bnr.url);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.cleanup();
    await bnr?.close();
  });

  it('reads the daily and yearly feeds in BNR format (namespace, Header, Cube per banking day, multiplier)', async () => {
    const daily = await (await fetch(`${bnr.url}/nbrfxrates.xml`)).text();
    expect(daily).toContain('<DataSet xmlns="http://www.bnr.ro/xsd"');
    expect(daily).toContain('<Rate currency="JPY" multiplier="100">');
    const cubes = parseBnrFeed(daily);
    expect(cubes.map((c) => c.date)).toEqual(['2026-12-03']);
    const yearly = parseBnrFeed(await (await fetch(`${bnr.url}/files/xml/years/nbrfxrates2025.xml`)).text());
    const dates = yearly.map((c) => c.date);
    expect(dates).toContain('2025-07-18'); // a Friday
    expect(dates).not.toContain('2025-07-19'); // Saturday
    expect(dates).not.toContain('2025-12-01'); // National Day
    expect(dates).not.toContain('2025-12-25');
    expect(dates.at(-1)).toBe('2025-12-31');
    expect(Number(yearly[0].rates.JPY)).toBeCloseTo(Number(bnr.published(yearly[0].date, 'JPY')) / 100, 8);
  });

  it('parses a verbatim BNR capture with an https namespace and per-100 units', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<DataSet xmlns="https://www.bnr.ro/xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Header><Publisher>National Bank of Romania</Publisher><PublishingDate>2025-07-18</PublishingDate><MessageType>DR</MessageType></Header><Body><Subject>Reference rates</Subject><OrigCurrency>RON</OrigCurrency><Cube date="2025-07-18"><Rate currency="EUR">5.0734</Rate><Rate currency="HUF" multiplier="100">1.2645</Rate></Cube></Body></DataSet>`;
    expect(parseBnrFeed(xml)).toEqual([{ date: '2025-07-18', rates: { EUR: '5.0734', HUF: '0.012645' } }]);
  });

  it('a document date takes the last rate published before it: Monday → Friday, after holidays → the last banking day', async () => {
    expect(await rates.rateFor('EUR', '2025-07-21')).toEqual({ rate: bnr.published('2025-07-18', 'EUR'), publishedOn: '2025-07-18' });
    expect((await rates.rateFor('EUR', '2025-07-19')).publishedOn).toBe('2025-07-18');
    // 30 Nov (Sunday, St Andrew) and 1 Dec (National Day) 2026: a 2 Dec document takes Friday 27 Nov's rate.
    expect((await rates.rateFor('USD', '2026-12-02')).publishedOn).toBe('2026-11-27');
    // First days of January: the previous year's last banking day.
    expect((await rates.rateFor('EUR', '2026-01-02')).publishedOn).toBe('2025-12-31');
    // Today's Cube (published around 13:00) is for tomorrow: a document of today uses yesterday's.
    expect((await rates.rateFor('EUR', '2026-12-03')).publishedOn).toBe('2026-12-02');
    expect((await rates.rateFor('EUR', '2026-12-04')).publishedOn).toBe('2026-12-03');
  });

  it('caches per date: a second read asks BNR nothing, even during an outage', async () => {
    await rates.rateFor('EUR', '2025-03-12');
    const before = bnr.requests.length;
    bnr.outage = true;
    try {
      expect((await rates.rateFor('GBP', '2025-03-12')).publishedOn).toBe('2025-03-11');
      expect(bnr.requests.length).toBe(before);
      await expect(rates.rateFor('EUR', '2025-03-20')).rejects.toBeInstanceOf(BnrUnavailable);
    } finally {
      bnr.outage = false;
    }
    expect(await db.prisma.bnrRateDay.findUnique({ where: { date: '2025-03-20' } })).toBeNull();
  });

  it('refuses a currency BNR does not publish', async () => {
    await expect(rates.rateFor('XAF', '2025-03-12')).rejects.toBeInstanceOf(BnrCurrencyUnknown);
  });
});
