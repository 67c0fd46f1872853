import { addWorkingDays, isDueWithin, isOverdue, isPublicHoliday, isWorkingDay, lastUploadDay, workingDaysBetween } from './index.js';

/** Romanian public holidays (Codul muncii art. 139) written out from the law and the Orthodox Easter dates. */
function legalHolidays(year: number, orthodoxEaster: string): string[] {
  const shift = (day: string, by: number) => new Date(Date.parse(`${day}T00:00:00Z`) + by * 86_400_000).toISOString().slice(0, 10);
  const fixed = ['01-01', '01-02', '01-06', '01-07', '01-24', '05-01', '06-01', '08-15', '11-30', '12-01', '12-25', '12-26'].map((md) => `${year}-${md}`);
  const movable = [-2, 0, 1, 49, 50].map((by) => shift(orthodoxEaster, by));
  return [...new Set([...fixed, ...movable])].sort();
}

function libraryHolidays(year: number): string[] {
  const out: string[] = [];
  for (let time = Date.UTC(year, 0, 1); new Date(time).getUTCFullYear() === year; time += 86_400_000) {
    const day = new Date(time).toISOString().slice(0, 10);
    if (isPublicHoliday(day)) out.push(day);
  }
  return out;
}

describe('Romanian public holidays', () => {
  it.each([
    [2025, '2025-04-20'],
    [2026, '2026-04-12'],
    [2027, '2027-05-02'],
  ])('%i: the calendar holds exactly the legal days off (Orthodox Easter %s)', (year, easter) => {
    expect(libraryHolidays(year)).toEqual(legalHolidays(year, easter));
  });

  it('weekends and holidays are not working days; observances (Constitution Day, Heroes Day) are', () => {
    expect(isWorkingDay('2026-01-02')).toBe(false); // Friday, second day of the New Year
    expect(isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-29')).toBe(false); // Sunday
    expect(isWorkingDay('2027-04-30')).toBe(false); // Orthodox Good Friday 2027
    expect(isWorkingDay('2027-05-03')).toBe(false); // Easter Monday 2027
    expect(isWorkingDay('2025-06-09')).toBe(false); // Pentecost Monday 2025
    expect(isWorkingDay('2026-12-08')).toBe(true); // Constitution Day: no day off
    expect(isWorkingDay('2026-05-21')).toBe(true); // Heroes Day: no day off
    expect(isWorkingDay('2026-11-27')).toBe(true);
  });

  it('refuses what is not a calendar day', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => lastUploadDay('26.11.2026')).toThrow(/YYYY-MM-DD/);
  });
});

describe('lastUploadDay: 5 working days after the issue date (the day after issue is day 1)', () => {
  it.each([
    ['2026-11-26', '2026-12-07', 'Thu; 30 Nov and 1 Dec are holidays'],
    ['2026-12-23', '2026-12-31', 'Wed; Christmas'],
    ['2026-12-31', '2027-01-12', 'New Year on Fri, Epiphany and St John on Wed–Thu'],
    ['2026-11-28', '2026-12-08', 'issued on a Saturday'],
    ['2026-11-30', '2026-12-08', 'issued on a holiday'],
    ['2026-04-08', '2026-04-17', 'Orthodox Good Friday 10 Apr, Easter Monday 13 Apr 2026'],
    ['2026-04-30', '2026-05-08', '1 May 2026 is a Friday'],
    ['2026-05-28', '2026-06-05', 'Pentecost Monday and Children Day both 1 Jun 2026'],
    ['2027-04-28', '2027-05-07', 'Good Friday 30 Apr, 1 May Saturday, Easter 2 May, Easter Monday 3 May 2027'],
    ['2027-06-18', '2027-06-28', 'Pentecost Monday 21 Jun 2027'],
    ['2026-03-02', '2026-03-09', 'an ordinary week'],
  ])('issued %s → last day %s (%s)', (issued, last) => {
    expect(lastUploadDay(issued)).toBe(last);
    expect(isWorkingDay(last)).toBe(true);
  });

  it.each([
    ['2025-04-15', '2025-04-22', '+5 calendar = Easter Sunday 20 Apr, Monday 21 Apr a holiday too'],
    ['2025-04-13', '2025-04-22', '+5 = Good Friday 18 Apr 2025'],
    ['2025-06-03', '2025-06-10', '+5 = Pentecost Sunday 8 Jun 2025'],
    ['2025-12-31', '2026-01-05', 'issued in 2025: calendar days; 5 Jan is a Monday'],
    ['2025-03-03', '2025-03-10', 'Saturday 8 Mar → Monday'],
    ['2025-03-04', '2025-03-10', 'Sunday 9 Mar → Monday'],
    ['2025-03-05', '2025-03-10', 'Monday'],
  ])('issued in 2025 (%s): 5 calendar days, rolled to a working day → %s (%s)', (issued, last) => {
    expect(lastUploadDay(issued)).toBe(last);
  });
});

describe('counting working days for "due soon" and "overdue"', () => {
  it('workingDaysBetween counts (from, to]', () => {
    expect(workingDaysBetween('2026-11-26', '2026-12-07')).toBe(5);
    expect(workingDaysBetween('2026-11-26', '2026-11-26')).toBe(0);
    expect(workingDaysBetween('2026-12-07', '2026-11-26')).toBe(0);
    expect(addWorkingDays('2026-11-26', 0)).toBe('2026-11-26');
    expect(addWorkingDays('2026-11-26', 1)).toBe('2026-11-27');
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-12-02');
  });

  it('isDueWithin(…, 2) and isOverdue', () => {
    expect(isDueWithin('2026-12-07', '2026-12-03', 2)).toBe(true);
    expect(isDueWithin('2026-12-07', '2026-12-02', 2)).toBe(false);
    expect(isDueWithin('2026-12-07', '2026-11-30', 2)).toBe(false); // 2, 3, 4, 7 Dec left
    expect(isDueWithin('2026-12-07', '2026-12-07', 2)).toBe(true);
    expect(isDueWithin('2026-12-07', '2026-12-08', 2)).toBe(false);
    expect(isOverdue('2026-12-07', '2026-12-08')).toBe(true);
    expect(isOverdue('2026-12-07', '2026-12-07')).toBe(false);
  });
});
