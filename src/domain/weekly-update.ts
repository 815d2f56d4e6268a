// The weekly update as pure rules: what a typed cell means, which weeks and days a person may fill in, how a week is named, and what is still to fill.
import {
  addDays,
  closureOf,
  dayNumber,
  isSchoolDay,
  isSchoolWeek,
  weekStart,
  type IsoDate,
  type SchoolCalendar,
} from './calendar.ts';
import { formatDay } from './dates.ts';
import { ENTRY_LIMITS, type LeadMeasureKind } from './lead-measures.ts';
import { formatLimit, readNumber, type NumberProblem, type Parsed } from './numbers.ts';

/** What a cell of the grid says about a number it could not take: short, as it sits beside the cell. */
const CELL_MESSAGES: Record<NumberProblem, string> = {
  not_a_number: 'Enter a number, like 5 or 2.5',
  decimal_comma: 'Enter a number, like 5 or 2.5',
  too_many_places: `Enter a number with at most ${ENTRY_LIMITS.places} decimal places`,
  below_min: 'Enter 0 or more',
  above_max: `Enter ${formatLimit(ENTRY_LIMITS.max)} or less`,
};

/** A typed number cell: empty clears it; otherwise a number within the entry limits, read as every form reads one. */
export function parseEntryValue(raw: string): Parsed<number | null> {
  const read = readNumber(raw, ENTRY_LIMITS);
  return read.ok ? read : { ok: false, error: CELL_MESSAGES[read.problem] };
}

/**
 * A day of a daily standard: "1" kept, "0" not kept, "" clears it. A checkbox left unticked sends nothing at all,
 * which means "not kept" (the form always carries the day, so an absent field is never an accident).
 */
export function parseKept(raw: string | undefined): Parsed<boolean | null> {
  if (raw === undefined || raw === '0') return { ok: true, value: false };
  if (raw === '1') return { ok: true, value: true };
  if (raw === '') return { ok: true, value: null };
  return { ok: false, error: 'Choose kept or not kept' };
}

/** "Week of Mon 23 Nov 2026", as schools write it. */
export const weekLabel = (monday: IsoDate) => `Week of ${formatDay(monday)}`;

/** The nearest school week before `monday`, skipping holiday weeks (null when there is none within a year). */
export function previousSchoolWeek(monday: IsoDate, calendar: SchoolCalendar): IsoDate | null {
  for (let week = addDays(monday, -7), i = 0; i < 53; week = addDays(week, -7), i++) {
    if (isSchoolWeek(week, calendar)) return week;
  }
  return null;
}

/** What a week with no school day is called: a closure that fills it, or the break between two terms, named as schools name it. */
export function holidayName(monday: IsoDate, calendar: SchoolCalendar): string {
  if (calendar.terms.length === 0) return 'No term dates set';
  const reasons = new Set([0, 1, 2, 3, 4].map((i) => closureOf(addDays(monday, i), calendar)));
  const only = reasons.size === 1 ? [...reasons][0] : null;
  if (only && only !== 'School holiday') return only;
  const friday = addDays(monday, 4);
  const before = calendar.terms.filter((t) => t.end < monday).sort((a, b) => b.end.localeCompare(a.end))[0];
  const after = calendar.terms.filter((t) => t.start > friday).sort((a, b) => a.start.localeCompare(b.start))[0];
  const month = Number(monday.slice(5, 7));
  if (before && after && dayNumber(after.start) - dayNumber(before.end) - 1 <= 11) return 'Half-term';
  if (before && after && (month === 12 || month === 1)) return 'Christmas holidays';
  if (before && after && (month === 3 || month === 4)) return 'Easter holidays';
  if (month >= 7 && month <= 9) return 'Summer holidays';
  return 'School holiday';
}

export interface EntryRules {
  /** Today in the trust's time zone. */
  today: IsoDate;
  calendar: SchoolCalendar;
  /** Team leaders correct any past week; members only this week and the last school week. */
  leader: boolean;
}

/** The weeks a member may fill in: this week and the previous school week (holiday weeks skipped). */
export function memberWeeks(today: IsoDate, calendar: SchoolCalendar): IsoDate[] {
  const current = weekStart(today);
  const previous = previousSchoolWeek(current, calendar);
  return previous ? [current, previous] : [current];
}

/** Why this person cannot enter numbers for this week, in words for the page (null when they can). */
export function weekRefusal(week: IsoDate, rules: EntryRules): string | null {
  const current = weekStart(rules.today);
  if (week > current) return 'This week has not started yet. Numbers can be entered from its Monday.';
  if (!isSchoolWeek(week, rules.calendar))
    return `${holidayName(week, rules.calendar)}: no numbers are expected this week.`;
  if (!rules.leader && !memberWeeks(rules.today, rules.calendar).includes(week)) {
    return 'You can enter numbers for this week and last school week. Ask your team leader to correct an earlier week.';
  }
  return null;
}

/** Why this person cannot record this day of a daily standard (null when they can). */
export function dayRefusal(date: IsoDate, rules: EntryRules): string | null {
  const weekProblem = weekRefusal(weekStart(date), rules);
  if (weekProblem) return weekProblem;
  if (!isSchoolDay(date, rules.calendar))
    return `${formatDay(date)} is not a school day (${closureOf(date, rules.calendar) ?? 'closed'}).`;
  if (date > rules.today) return `${formatDay(date)} has not happened yet.`;
  return null;
}

export interface FillFacts {
  personId: number;
  measures: readonly { id: number; kind: LeadMeasureKind; perPerson: boolean }[];
  /** This week's numbers of these measures. */
  entries: readonly { leadMeasureId: number; personId: number | null }[];
  /** This week's days of the daily standards. */
  days: readonly { leadMeasureId: number; personId: number | null; date: IsoDate; kept: boolean }[];
  /** The school days of this week up to and including today. */
  daysSoFar: readonly IsoDate[];
}

export interface CellToFill {
  measureId: number;
  /** Null for the team's own cell. */
  personId: number | null;
  /** For a daily standard: the school days so far not yet marked kept. */
  days: IsoDate[];
}

/** The cells a person still has to fill this week: their own and their team's numbers, and the days of daily standards not yet kept. */
export function cellsToFill(facts: FillFacts): CellToFill[] {
  const result: CellToFill[] = [];
  for (const m of facts.measures) {
    const personId = m.perPerson ? facts.personId : null;
    if (m.kind === 'number') {
      if (!facts.entries.some((e) => e.leadMeasureId === m.id && e.personId === personId))
        result.push({ measureId: m.id, personId, days: [] });
      continue;
    }
    const kept = new Set(
      facts.days.filter((d) => d.leadMeasureId === m.id && d.personId === personId && d.kept).map((d) => d.date),
    );
    const days = facts.daysSoFar.filter((d) => !kept.has(d));
    if (days.length > 0) result.push({ measureId: m.id, personId, days });
  }
  return result;
}
