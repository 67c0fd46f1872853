// The e-Factura upload deadline: 5 working days after the issue date (weekends and Romanian public holidays not
// counted). Placeholder with h17's names (issue 12 part B owns this module); replaced by theirs when merged.
import Holidays from 'date-holidays';

export const UPLOAD_WORKING_DAYS = 5;
const holidays = new Holidays('RO');

export function addDays(day: string, count: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + count);
  return d.toISOString().slice(0, 10);
}

export function isPublicHoliday(day: string): boolean {
  const found = holidays.isHoliday(new Date(`${day}T12:00:00Z`));
  return Array.isArray(found) && found.some((h) => h.type === 'public');
}

export function isWorkingDay(day: string): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isPublicHoliday(day);
}

export function addWorkingDays(day: string, count: number): string {
  let current = day;
  for (let left = count; left > 0; ) {
    current = addDays(current, 1);
    if (isWorkingDay(current)) left--;
  }
  return current;
}

export function lastUploadDay(issueDate: string): string {
  return addWorkingDays(issueDate, UPLOAD_WORKING_DAYS);
}

export function isOverdue(deadline: string, today: string): boolean {
  return deadline < today;
}

/** Not overdue and the deadline falls within the next `workingDays` working days (today counts). */
export function isDueWithin(deadline: string, today: string, workingDays: number): boolean {
  return !isOverdue(deadline, today) && deadline <= addWorkingDays(today, workingDays);
}
