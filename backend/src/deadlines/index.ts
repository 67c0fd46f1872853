// The legal upload deadline of an e-Factura document, in Romanian working days.
//
// Days are calendar days in Europe/Bucharest written "YYYY-MM-DD" (turn an instant into one with
// `bucharestDate` from invoicing/dates.ts). A working day is Monday–Friday and not a Romanian public
// holiday (Codul muncii art. 139). Holidays come from the maintained `date-holidays` calendar (country RO,
// type "public"); its RO data was checked against art. 139 for 2025–2027 (see index.test.ts) and matches:
// 1–2 Jan, 6–7 Jan, 24 Jan, Orthodox Good Friday, Easter Sunday and Monday, 1 May, 1 Jun, Orthodox
// Pentecost Sunday and Monday, 15 Aug, 30 Nov, 1 Dec, 25–26 Dec. Its "observance" days (Mother's Day,
// Heroes' Day, Constitution Day …) are not days off and are ignored. Should the law and the library
// diverge, correct it in EXTRA_HOLIDAYS / NOT_HOLIDAYS below, with the act that says so.
import Holidays from 'date-holidays';

/** Days off the library misses (none known). Keyed "YYYY-MM-DD" → why. */
const EXTRA_HOLIDAYS: Readonly<Record<string, string>> = {};
/** Library "public" days that are not days off under Romanian law (none known). */
const NOT_HOLIDAYS: Readonly<Record<string, string>> = {};

/** Working days allowed for the upload, counted from the day after the issue date (OUG 120/2021, as in force since 2026). */
export const UPLOAD_WORKING_DAYS = 5;
/** Invoices issued before this day had 5 calendar days instead (the 2024–2025 wording of the rule). */
export const WORKING_DAY_RULE_SINCE = '2026-01-01';

const DAY_MS = 86_400_000;
const calendar = new Holidays('RO');
const holidaysByYear = new Map<number, ReadonlySet<string>>();

function holidaysOf(year: number): ReadonlySet<string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    const set = new Set<string>();
    for (const holiday of calendar.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      // `date` is the local start day; a rule like "01-01 P2DT" (1–2 Jan) lasts more than one day.
      const first = holiday.date.slice(0, 10);
      const length = Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS);
      for (let i = 0; i < Math.max(1, length); i++) set.add(addDays(first, i));
    }
    for (const day of Object.keys(EXTRA_HOLIDAYS)) if (day.startsWith(`${year}-`)) set.add(day);
    for (const day of Object.keys(NOT_HOLIDAYS)) set.delete(day);
    days = set;
    holidaysByYear.set(year, days);
  }
  return days;
}

function parse(day: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== day) throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${day}`);
  return time;
}

/** `day` moved by `count` calendar days. */
export function addDays(day: string, count: number): string {
  return new Date(parse(day) + count * DAY_MS).toISOString().slice(0, 10);
}

export function isPublicHoliday(day: string): boolean {
  parse(day);
  return holidaysOf(Number(day.slice(0, 4))).has(day);
}

export function isWorkingDay(day: string): boolean {
  const weekday = new Date(parse(day)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isPublicHoliday(day);
}

/** The `count`-th working day after `day` (`day` itself never counts; count 0 = `day`). */
export function addWorkingDays(day: string, count: number): string {
  let current = day;
  for (let left = count; left > 0; ) {
    current = addDays(current, 1);
    if (isWorkingDay(current)) left--;
  }
  return current;
}

/** Working days in the interval (from, to]: 0 when `to` ≤ `from`. */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count++;
  return count;
}

/** Deadlines already worked out, by issue day. */
const deadlines = new Map<string, string>();

/**
 * Last day a document issued on `issueDate` may reach e-Factura.
 * "5 working days after the issue date" is counted as in Reg. (EEC) 1182/71 art. 3: the issue day is not
 * counted, the next working day is day 1, and the deadline is the end of day 5 — e.g. issued Thu 26 Nov
 * 2026 → day 1 Fri 27 Nov, (weekend, 30 Nov and 1 Dec are holidays) 2 Wed, 3 Thu, 4 Fri, 5 Mon 7 Dec.
 * Issued before 2026: 5 calendar days, a period ending on a weekend or holiday running to the next
 * working day (art. 3(4); Codul de procedură fiscală art. 181).
 */
export function lastUploadDay(issueDate: string): string {
  let deadline = deadlines.get(issueDate);
  if (deadline === undefined) {
    deadline = issueDate < WORKING_DAY_RULE_SINCE ? calendarDeadline(issueDate) : addWorkingDays(issueDate, UPLOAD_WORKING_DAYS);
    // Lists and reports ask for few distinct days, many times: the holiday calendar is not free to walk.
    if (deadlines.size >= 10_000) deadlines.clear();
    deadlines.set(issueDate, deadline);
  }
  return deadline;
}

function calendarDeadline(issueDate: string): string {
  let day = addDays(issueDate, UPLOAD_WORKING_DAYS);
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

export function isOverdue(deadline: string, today: string): boolean {
  parse(deadline);
  parse(today);
  return today > deadline;
}

/** Deadline is today or within the next `workingDays` working days, and not yet past. */
export function isDueWithin(deadline: string, today: string, workingDays: number): boolean {
  return !isOverdue(deadline, today) && workingDaysBetween(today, deadline) <= workingDays;
}
