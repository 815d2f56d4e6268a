// The school year as pure functions: calendar dates ("YYYY-MM-DD"), Monday-start weeks, terms and closures, in the trust's time zone.

/** A calendar date, "YYYY-MM-DD", with no time and no zone. */
export type IsoDate = string;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): value is IsoDate {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** Days since 1970-01-01 for a calendar date: arithmetic on whole days never meets a clock change. */
export function dayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

export const fromDayNumber = (n: number): IsoDate => new Date(n * DAY_MS).toISOString().slice(0, 10);
export const addDays = (date: IsoDate, days: number): IsoDate => fromDayNumber(dayNumber(date) + days);

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/** The Monday that starts the week holding `date`. */
export const weekStart = (date: IsoDate): IsoDate => addDays(date, 1 - isoWeekday(date));

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone (the trust's). */
export function localDate(instant: number | Date, timeZone: string): IsoDate {
  // Making a DateTimeFormat costs far more than using one: keep one per zone.
  let format = dateFormats.get(timeZone);
  if (!format)
    dateFormats.set(
      timeZone,
      (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })),
    );
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The UTC instant at which a local date and time ("HH:MM") happens in a time zone, DST included. */
export function zonedInstant(date: IsoDate, time: string, timeZone: string): number {
  const [h, min] = time.split(':').map(Number) as [number, number];
  const guess = dayNumber(date) * DAY_MS + (h * 60 + min) * 60_000;
  // Two passes settle the offset either side of a clock change.
  let instant = guess;
  for (let i = 0; i < 2; i++) instant = guess - offsetMs(instant, timeZone);
  return instant;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function offsetMs(instant: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) offsetFormats.set(timeZone, (format = offsetFormat(timeZone)));
  const parts = format.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

function offsetFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export interface DateRange {
  start: IsoDate;
  /** Inclusive. */
  end: IsoDate;
}

export const closureKinds = ['holiday', 'bank_holiday', 'inset', 'closure'] as const;
export type ClosureKind = (typeof closureKinds)[number];

export interface Closure extends DateRange {
  kind: ClosureKind;
  name: string;
}

/** A school's view of the year: the trust's terms, the trust's closures, and the school's own closures. */
export interface SchoolCalendar {
  terms: readonly DateRange[];
  closures: readonly Closure[];
}

const within = (date: IsoDate, range: DateRange) => range.start <= date && date <= range.end;

/** A school day: Monday to Friday, inside a term, and not a holiday, bank holiday, INSET day or closure. */
export function isSchoolDay(date: IsoDate, calendar: SchoolCalendar): boolean {
  if (isoWeekday(date) > 5) return false;
  if (!calendar.terms.some((t) => within(date, t))) return false;
  return !calendar.closures.some((c) => within(date, c));
}

/** Why a weekday is not a school day, in words for the interface (null when it is one). */
export function closureOf(date: IsoDate, calendar: SchoolCalendar): string | null {
  if (isoWeekday(date) > 5) return 'Weekend';
  const closure = calendar.closures.find((c) => within(date, c));
  if (closure) return closure.name;
  return calendar.terms.some((t) => within(date, t)) ? null : 'School holiday';
}

/** The school days (Monday to Friday) of the week starting `monday`. */
export function schoolDaysOfWeek(monday: IsoDate, calendar: SchoolCalendar): IsoDate[] {
  const days: IsoDate[] = [];
  for (let i = 0; i < 5; i++) {
    const day = addDays(monday, i);
    if (isSchoolDay(day, calendar)) days.push(day);
  }
  return days;
}

/** A school week is a Monday-start week with at least one school day; the others expect nothing. */
export const isSchoolWeek = (monday: IsoDate, calendar: SchoolCalendar) =>
  schoolDaysOfWeek(monday, calendar).length > 0;

/** The school weeks (their Mondays) that overlap a period, oldest first. */
export function schoolWeeks(period: DateRange, calendar: SchoolCalendar): IsoDate[] {
  const weeks: IsoDate[] = [];
  for (let monday = weekStart(period.start); monday <= period.end; monday = addDays(monday, 7)) {
    const days = schoolDaysOfWeek(monday, calendar).filter((d) => within(d, period));
    if (days.length > 0) weeks.push(monday);
  }
  return weeks;
}
