// Romanian documents live on Europe/Bucharest calendar days; the server answers dates as RFC 3339 with that offset.
const TZ = 'Europe/Bucharest';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
});

/** Today's calendar day in Bucharest, YYYY-MM-DD. */
export const todayInBucharest = (now: Date = new Date()): string => dayFormat.format(now);

function parts(at: Date): Record<string, string> {
  return Object.fromEntries(partsFormat.formatToParts(at).map((p) => [p.type, p.value]));
}

function offsetOf(at: Date): string {
  const name = parts(at).timeZoneName ?? 'GMT';
  return name === 'GMT' ? '+00:00' : name.slice(3);
}

/** An instant as the server prints it: "2026-02-14T10:15:00+02:00". */
export function toRfc3339(at: Date = new Date()): string {
  const p = parts(at);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offsetOf(at)}`;
}

/** A calendar day as the server prints invoice dates: midnight Bucharest, "2026-02-14T00:00:00+02:00". */
export function dayToRfc3339(day: string | null): string | null {
  if (!day) return null;
  // 22:00 UTC the evening before is always within the same offset as local midnight.
  const probe = new Date(Date.parse(`${day}T00:00:00Z`) - 2 * 3600_000);
  return `${day}T00:00:00${offsetOf(probe)}`;
}

export function isValidDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
