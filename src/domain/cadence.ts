// The weekly WIG session as pure functions: when a team's session is due, and whether a due session was held or missed.
import {
  addDays,
  isSchoolDay,
  weekStart,
  zonedInstant,
  type DateRange,
  type IsoDate,
  type SchoolCalendar,
} from './calendar.ts';

/** A team's fixed weekly slot (ISO weekday 1–7, local "HH:MM", length in minutes). */
export interface SessionSlot {
  sessionWeekday: number;
  sessionTime: string;
  sessionMinutes: number;
}

/** The date of the team's session in the week starting `monday`, or null when that weekday is not a school day (not due). */
export function sessionDate(slot: SessionSlot, monday: IsoDate, calendar: SchoolCalendar): IsoDate | null {
  const date = addDays(weekStart(monday), slot.sessionWeekday - 1);
  return isSchoolDay(date, calendar) ? date : null;
}

/** The first school day after `date`, looking at most `limit` days ahead (a summer holiday is about 45). */
export function nextSchoolDay(date: IsoDate, calendar: SchoolCalendar, limit = 70): IsoDate | null {
  for (let i = 1; i <= limit; i++) {
    const day = addDays(date, i);
    if (isSchoolDay(day, calendar)) return day;
  }
  return null;
}

/** Every due session in a period: its week (Monday) and its date, oldest first. */
export function dueSessions(
  slot: SessionSlot,
  period: DateRange,
  calendar: SchoolCalendar,
): { week: IsoDate; date: IsoDate }[] {
  const due: { week: IsoDate; date: IsoDate }[] = [];
  for (let monday = weekStart(period.start); monday <= period.end; monday = addDays(monday, 7)) {
    const date = sessionDate(slot, monday, calendar);
    if (date && date >= period.start && date <= period.end) due.push({ week: monday, date });
  }
  return due;
}

/**
 * Where a week's session stands on `today`: not due (no school that weekday), held, upcoming, today, awaiting a record
 * (the session day has passed but the next school day has not come), or missed (the school day after it has come, no record).
 */
export type SessionState = 'not_due' | 'held' | 'upcoming' | 'today' | 'awaiting_record' | 'missed';

export function sessionState(
  slot: SessionSlot,
  monday: IsoDate,
  calendar: SchoolCalendar,
  held: boolean,
  today: IsoDate,
): SessionState {
  const date = sessionDate(slot, monday, calendar);
  if (date === null) return 'not_due';
  if (held) return 'held';
  if (date > today) return 'upcoming';
  if (date === today) return 'today';
  const after = nextSchoolDay(date, calendar);
  return after !== null && after <= today ? 'missed' : 'awaiting_record';
}

export const sessionStateWords: Record<SessionState, string> = {
  not_due: 'Not due (no school that day)',
  held: 'Held',
  upcoming: 'Coming up',
  today: 'Today',
  awaiting_record: 'Not recorded yet',
  missed: 'Missed',
};

/** The instants (ms) a due session starts and ends, in the trust's time zone. */
export function sessionInstants(slot: SessionSlot, date: IsoDate, timeZone: string): { start: number; end: number } {
  const start = zonedInstant(date, slot.sessionTime, timeZone);
  return { start, end: start + slot.sessionMinutes * 60_000 };
}
