// Dates as schools write them ("Mon 24 Nov 2026"), in the trust's time zone.
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = timeZone + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options });
    cache.set(key, f);
  }
  return f;
}

function parts(instant: number | Date, timeZone: string, options: Intl.DateTimeFormatOptions) {
  return Object.fromEntries(
    formatter(timeZone, options)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
}

/** "Mon 24 Nov 2026" */
export function formatDate(instant: number | Date, timeZone: string): string {
  const p = parts(instant, timeZone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "Mon 24 Nov 2026, 08:30" */
export function formatDateTime(instant: number | Date, timeZone: string): string {
  const p = parts(instant, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${formatDate(instant, timeZone)}, ${p.hour}:${p.minute}`;
}

/** A 24-hour local time as a form takes it and the database keeps it: "07:30", "15:45". */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

export const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** ISO weekday (1 = Monday) to its name. */
export const weekdayName = (isoWeekday: number) => weekdayNames[isoWeekday - 1] ?? '';

/** A calendar date ("2026-11-24") as schools write it: "Tue 24 Nov 2026". */
export function formatDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return formatDate(Date.UTC(y, m - 1, d, 12), 'UTC');
}
