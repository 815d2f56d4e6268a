// The demo trust's academic year for any date: a plausible English year (Sept–July, six half-terms, INSET days and
// the bank holidays of England and Wales), worked out from the calendar so the demo makes sense whenever it is seeded.
import { addDays, dayNumber, fromDayNumber, isoWeekday, weekStart, type IsoDate } from '../src/domain/calendar.ts';

export interface DemoYear {
  name: string;
  startDate: IsoDate;
  endDate: IsoDate;
  terms: { name: string; startDate: IsoDate; endDate: IsoDate }[];
  closures: { kind: 'inset' | 'bank_holiday'; name: string; startDate: IsoDate; endDate: IsoDate }[];
  schoolClosures: { school: string; kind: 'inset' | 'closure'; name: string; startDate: IsoDate; endDate: IsoDate }[];
  /** The day the demo WIGs start (1 September) and their deadline (the Friday before the last week of the summer term). */
  wigStart: IsoDate;
  wigDeadline: IsoDate;
}

const iso = (year: number, month: number, day: number): IsoDate =>
  fromDayNumber(Date.UTC(year, month - 1, day) / 86_400_000);

/** The first date on or after `date` that falls on `weekday` (1 = Monday). */
const onOrAfter = (date: IsoDate, weekday: number): IsoDate => addDays(date, (weekday - isoWeekday(date) + 7) % 7);
/** The last date on or before `date` that falls on `weekday`. */
const onOrBefore = (date: IsoDate, weekday: number): IsoDate => addDays(date, -((isoWeekday(date) - weekday + 7) % 7));
const isWeekend = (date: IsoDate) => isoWeekday(date) > 5;

/** Easter Sunday (the Gregorian computus, after Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

/** Christmas Day, Boxing Day and New Year's Day, moved to the next weekdays when they fall at a weekend (as GOV.UK lists them). */
function winterBankHolidays(startYear: number): DemoYear['closures'] {
  const christmas = iso(startYear, 12, 25);
  const boxing = iso(startYear, 12, 26);
  const taken = new Set<IsoDate>();
  const substitute = (date: IsoDate) => {
    let day = date;
    while (isWeekend(day) || taken.has(day)) day = addDays(day, 1);
    taken.add(day);
    return day;
  };
  // A weekday holiday keeps its day; the weekend ones then take the first free weekdays after.
  if (!isWeekend(christmas)) taken.add(christmas);
  if (!isWeekend(boxing)) taken.add(boxing);
  const christmasDay = isWeekend(christmas) ? substitute(christmas) : christmas;
  const boxingDay = isWeekend(boxing) ? substitute(boxing) : boxing;
  const newYear = iso(startYear + 1, 1, 1);
  const newYearDay = isWeekend(newYear) ? onOrAfter(newYear, 1) : newYear;
  const named = (name: string, date: IsoDate, actual: IsoDate) => ({
    kind: 'bank_holiday' as const,
    name: date === actual ? name : `${name} (substitute day)`,
    startDate: date,
    endDate: date,
  });
  return [
    named('Christmas Day', christmasDay, christmas),
    named('Boxing Day', boxingDay, boxing),
    named('New Year’s Day', newYearDay, newYear),
  ];
}

/**
 * The academic year that starts in September of `startYear`: Autumn 1 from 1 September (the first two days INSET) to
 * the half-term in the last week of October; Autumn 2 to the last Friday on or before 20 December; Spring 1 from
 * the first Monday after New Year's Day (its first school day INSET) for six weeks; Spring 2 to Good Friday and
 * two weeks of Easter holiday after it (or, for a late Easter, the week before Easter and the week after); Summer 1 to the Spring bank holiday's half-term; Summer 2 to the Wednesday on or
 * after 18 July.
 */
export function demoYear(startYear: number): DemoYear {
  const next = startYear + 1;
  const september = iso(startYear, 9, 1);
  const autumnStart = isWeekend(september) ? onOrAfter(september, 1) : september;
  const octoberHalfTerm = onOrBefore(iso(startYear, 10, 31), 1);
  const autumn2Start = addDays(octoberHalfTerm, 7);
  const autumn2End = onOrBefore(iso(startYear, 12, 20), 5);
  const spring1Start = onOrAfter(iso(next, 1, 2), 1);
  const februaryHalfTerm = addDays(spring1Start, 42);
  const easter = easterSunday(next);
  const goodFriday = addDays(easter, -2);
  const easterMonday = addDays(easter, 1);
  // An early Easter starts the two-week holiday; a late one (after 10 April) ends it, as most local authorities set it.
  const lateEaster = easter > iso(next, 4, 10);
  const spring2End = lateEaster ? addDays(easter, -9) : goodFriday;
  const summer1Start = addDays(easterMonday, lateEaster ? 7 : 14);
  const springBankHoliday = onOrBefore(iso(next, 5, 31), 1);
  const earlyMay = onOrAfter(iso(next, 5, 1), 1);
  const summer2End = onOrAfter(iso(next, 7, 18), 3);

  const winter = winterBankHolidays(startYear);
  const bankHolidays = new Set(winter.map((c) => c.startDate));
  let springInset = spring1Start;
  while (isWeekend(springInset) || bankHolidays.has(springInset)) springInset = addDays(springInset, 1);
  const secondInset = addDays(autumnStart, isoWeekday(autumnStart) === 5 ? 3 : 1);

  return {
    name: `${startYear}–${String(next % 100).padStart(2, '0')}`,
    startDate: september,
    endDate: iso(next, 8, 31),
    terms: [
      { name: 'Autumn 1', startDate: autumnStart, endDate: addDays(octoberHalfTerm, -3) },
      { name: 'Autumn 2', startDate: autumn2Start, endDate: autumn2End },
      { name: 'Spring 1', startDate: spring1Start, endDate: addDays(februaryHalfTerm, -3) },
      { name: 'Spring 2', startDate: addDays(februaryHalfTerm, 7), endDate: spring2End },
      { name: 'Summer 1', startDate: summer1Start, endDate: addDays(springBankHoliday, -3) },
      { name: 'Summer 2', startDate: addDays(springBankHoliday, 7), endDate: summer2End },
    ],
    closures: [
      { kind: 'inset', name: 'INSET days', startDate: autumnStart, endDate: secondInset },
      { kind: 'inset', name: 'INSET day', startDate: springInset, endDate: springInset },
      ...winter,
      { kind: 'bank_holiday', name: 'Good Friday', startDate: goodFriday, endDate: goodFriday },
      { kind: 'bank_holiday', name: 'Easter Monday', startDate: easterMonday, endDate: easterMonday },
      { kind: 'bank_holiday', name: 'Early May bank holiday', startDate: earlyMay, endDate: earlyMay },
      { kind: 'bank_holiday', name: 'Spring bank holiday', startDate: springBankHoliday, endDate: springBankHoliday },
    ],
    schoolClosures: [
      // The Friday of Autumn 2's fourth week, and the local elections on the first Thursday in May.
      {
        school: 'Brookfield Primary',
        kind: 'inset',
        name: 'INSET day (Brookfield)',
        startDate: addDays(autumn2Start, 25),
        endDate: addDays(autumn2Start, 25),
      },
      {
        school: 'Castle Hill Primary',
        kind: 'closure',
        name: 'Polling station',
        startDate: onOrAfter(iso(next, 5, 1), 4),
        endDate: onOrAfter(iso(next, 5, 1), 4),
      },
    ],
    wigStart: september,
    wigDeadline: addDays(weekStart(summer2End), -3),
  };
}

/**
 * The academic year the demo is in on `today`: the one holding it, or the next one once the summer term has ended
 * (in the summer holiday a school is already planning September).
 */
export function demoYearFor(today: IsoDate): DemoYear {
  const calendarYear = Number(today.slice(0, 4));
  const startYear = today.slice(5) >= '09-01' ? calendarYear : calendarYear - 1;
  const year = demoYear(startYear);
  return dayNumber(today) > dayNumber(year.terms[5]!.endDate) ? demoYear(startYear + 1) : year;
}
