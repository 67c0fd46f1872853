// BNR stand-in: serves the reference-rate feeds in BNR's own XML format, offline — the daily
// /nbrfxrates.xml (latest banking day), /nbrfxrates10days.xml and the yearly /files/xml/years/nbrfxratesYYYY.xml.
// One Cube per Romanian banking day: none on weekends and public holidays (date-holidays, RO). Rates are
// deterministic per day (so a test can compute them) and can be pinned per day; `outage` makes every feed fail
// like an unreachable bnr.ro.
import Fastify, { type FastifyInstance } from 'fastify';
import Holidays from 'date-holidays';

export interface BnrStandInOptions {
  port?: number;
  host?: string;
  /** The "today" the stand-in publishes up to (YYYY-MM-DD); default the real day in Bucharest. */
  today?: () => string;
  /** First day of the archive; default 2024-01-01. */
  from?: string;
}

export interface BnrStandIn {
  url: string;
  app: FastifyInstance;
  /** Pins a published value (as BNR writes it, per `multiplier` units) for a banking day. */
  pin(date: string, currency: string, value: string): void;
  /** While true every feed answers 503, like an unreachable BNR. */
  outage: boolean;
  /** Requests received (paths), oldest first. */
  readonly requests: string[];
  /** Whether BNR publishes on `date` (a Romanian banking day). */
  isBankingDay(date: string): boolean;
  /** The value BNR publishes for `currency` on a banking day (per `multiplier` units), as in the XML. */
  published(date: string, currency: string): string;
  close(): Promise<void>;
}

/** Currency, multiplier, base value (RON per multiplier units) and a small daily swing. */
const CURRENCIES: [string, number, number, number][] = [
  ['AUD', 1, 2.9512, 0.02], ['CAD', 1, 3.2015, 0.02], ['CHF', 1, 5.3521, 0.03], ['CZK', 1, 0.2021, 0.001],
  ['DKK', 1, 0.6812, 0.003], ['EUR', 1, 5.0812, 0.015], ['GBP', 1, 5.8843, 0.03], ['HUF', 100, 1.3125, 0.01],
  ['JPY', 100, 2.9731, 0.02], ['MDL', 1, 0.2563, 0.002], ['NOK', 1, 0.4331, 0.003], ['PLN', 1, 1.1954, 0.005],
  ['SEK', 1, 0.4625, 0.003], ['TRY', 1, 0.1052, 0.001], ['USD', 1, 4.3521, 0.03], ['XAU', 1, 512.4517, 2],
];

const bucharestToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(new Date());

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A deterministic 0..1 value per (day, currency): the same archive on every run. */
function noise(date: string, currency: string): number {
  let h = 2166136261;
  for (const ch of `${date}:${currency}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return ((h >>> 0) % 10000) / 10000;
}

export async function startBnrStandIn(options: BnrStandInOptions = {}): Promise<BnrStandIn> {
  const holidays = new Holidays('RO');
  const today = options.today ?? bucharestToday;
  const from = options.from ?? '2024-01-01';
  const pins = new Map<string, string>();
  const requests: string[] = [];

  // Public holidays per year, computed once (date-holidays is slow day by day).
  const publicHolidays = new Map<string, Set<string>>();
  const isBankingDay = (date: string) => {
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) return false;
    const year = date.slice(0, 4);
    let days = publicHolidays.get(year);
    if (!days) {
      days = new Set(holidays.getHolidays(Number(year)).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
      publicHolidays.set(year, days);
    }
    return !days.has(date);
  };
  const published = (date: string, currency: string) => {
    const pinned = pins.get(`${date}|${currency}`);
    if (pinned) return pinned;
    const spec = CURRENCIES.find((c) => c[0] === currency);
    if (!spec) throw new Error(`The BNR stand-in has no ${currency}.`);
    return (spec[2] + (noise(date, currency) - 0.5) * 2 * spec[3]).toFixed(4);
  };
  const cube = (date: string) =>
    `    <Cube date="${date}">\n${CURRENCIES.map(([c, m]) => `      <Rate currency="${c}"${m !== 1 ? ` multiplier="${m}"` : ''}>${published(date, c)}</Rate>`).join('\n')}\n    </Cube>`;
  const bankingDays = (first: string, last: string) => {
    const out: string[] = [];
    for (let d = first; d <= last; d = addDays(d, 1)) if (isBankingDay(d)) out.push(d);
    return out;
  };
  const document = (days: string[]) =>
    `<?xml version="1.0" encoding="utf-8"?>
<DataSet xmlns="http://www.bnr.ro/xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.bnr.ro/xsd nbrfxrates.xsd">
  <Header>
    <Publisher>National Bank of Romania</Publisher>
    <PublishingDate>${days.at(-1) ?? today()}</PublishingDate>
    <MessageType>DR</MessageType>
  </Header>
  <Body>
    <Subject>Reference rates</Subject>
    <OrigCurrency>RON</OrigCurrency>
${days.map(cube).join('\n')}
  </Body>
</DataSet>
`;

  const app = Fastify({ logger: false });
  const state = { outage: false };
  app.addHook('onRequest', async (request, reply) => {
    requests.push(request.url);
    if (state.outage) return reply.code(503).type('text/html').send('<html><body>Service Unavailable</body></html>');
  });
  const xml = (body: string) => (_: unknown, reply: { type(t: string): { send(b: string): unknown } }) => reply.type('text/xml; charset=utf-8').send(body);
  app.get('/nbrfxrates.xml', (req, reply) => xml(document(bankingDays(addDays(today(), -10), today()).slice(-1)))(req, reply));
  app.get('/nbrfxrates10days.xml', (req, reply) => xml(document(bankingDays(addDays(today(), -20), today()).slice(-10)))(req, reply));
  app.get<{ Params: { file: string } }>('/files/xml/years/:file', async (request, reply) => {
    const year = /^nbrfxrates(\d{4})\.xml$/.exec(request.params.file)?.[1];
    if (!year || `${year}-12-31` < from || `${year}-01-01` > today()) return reply.code(404).type('text/html').send('<html><body>Not Found</body></html>');
    const last = `${year}-12-31` < today() ? `${year}-12-31` : today();
    return reply.type('text/xml; charset=utf-8').send(document(bankingDays(`${year}-01-01` < from ? from : `${year}-01-01`, last)));
  });
  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  return {
    url: address.replace('localhost', '127.0.0.1'),
    app,
    pin: (date, currency, value) => void pins.set(`${date}|${currency}`, value),
    get outage() {
      return state.outage;
    },
    set outage(v: boolean) {
      state.outage = v;
    },
    requests,
    isBankingDay,
    published,
    close: () => app.close(),
  };
}
