// A reconciliation period: two calendar days in Europe/Bucharest, inclusive, any length. Stripe speaks unix
// seconds, so each day is turned into the instants where it starts and ends in Romania (DST included).
import { addDays } from '../deadlines/index.js';
import { bucharestDate } from '../invoicing/dates.js';

export interface Period {
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === day;
}

/** The problem with a period a person typed, or null when it is a period. */
export function periodProblem(period: { from?: unknown; to?: unknown }): string | null {
  for (const key of ['from', 'to'] as const) {
    const value = period[key];
    if (typeof value !== 'string' || !isCalendarDay(value)) {
      return `${key} must be a calendar day written YYYY-MM-DD (got ${JSON.stringify(value ?? null)}).`;
    }
  }
  if ((period.from as string) > (period.to as string)) return `from (${String(period.from)}) is after to (${String(period.to)}).`;
  return null;
}

/** Unix seconds of the first instant of `day` in Europe/Bucharest (UTC+2 in winter, UTC+3 in summer). */
export function bucharestDayStart(day: string): number {
  const utcMidnight = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 1000;
  for (const offsetHours of [3, 2]) {
    const candidate = utcMidnight - offsetHours * 3600;
    if (bucharestDate(candidate) === day && bucharestDate(candidate - 1) !== day) return candidate;
  }
  return utcMidnight - 2 * 3600;
}

/** [first, last] unix second of the period. */
export function periodBounds(period: Period): { start: number; end: number } {
  return { start: bucharestDayStart(period.from), end: bucharestDayStart(addDays(period.to, 1)) - 1 };
}
