// The players' scoreboard as pure functions: a week's team value of a lead measure and the recent weeks (the verdict
// and its words are in status.ts).
import type { IsoDate } from './calendar.ts';
import type { LeadMeasureKind } from './lead-measures.ts';

export interface WeekFacts {
  kind: LeadMeasureKind;
  perPerson: boolean;
  /** Numbers entered that week (one per person, or the team's one). */
  values: readonly number[];
  /** Days kept that week (all people together for a per-person standard). */
  keptDays: number;
  schoolDays: number;
  /** People expected to keep a per-person daily standard. */
  people: number;
}

/**
 * The team's figure for one lead measure in one week: the team's number; the mean of the numbers people entered; or,
 * for a daily standard, the share (%) of school days kept (per person: of school days × people).
 */
export function teamWeekValue(f: WeekFacts): number | null {
  if (f.kind === 'daily') {
    const possible = f.schoolDays * (f.perPerson ? f.people : 1);
    return possible === 0 ? null : Math.round((1000 * f.keptDays) / possible) / 10;
  }
  if (f.values.length === 0) return null;
  if (!f.perPerson) return f.values[0]!;
  return Math.round((100 * f.values.reduce((a, b) => a + b, 0)) / f.values.length) / 100;
}

/** The last `n` items of a list of weeks, oldest first. */
export const lastWeeks = (weeks: readonly IsoDate[], n: number) => weeks.slice(Math.max(0, weeks.length - n));
