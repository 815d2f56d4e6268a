// The players' scoreboard as pure functions: a week's team value of a lead measure, the banner's words, the recent weeks.
import type { IsoDate } from './calendar.ts';
import type { Status } from './status.ts';
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

export interface Banner {
  winning: boolean;
  words: string;
}

/** The banner a person reads in five seconds: winning or losing, and why, in words. */
export function banner(lag: Status, lagAhead: boolean, leads: readonly Status[]): Banner {
  const onTarget = leads.filter((s) => s === 'on_track').length;
  const leadWords =
    leads.length === 0
      ? 'no lead measures yet'
      : `${onTarget} of ${leads.length} lead ${leads.length === 1 ? 'measure' : 'measures'} on target`;
  const lagWords =
    lag === 'on_track'
      ? lagAhead
        ? 'lag ahead of pace'
        : 'lag on pace'
      : lag === 'at_risk'
        ? 'lag a little behind pace'
        : lag === 'off_track'
          ? 'lag behind pace'
          : 'no lag reading yet';
  const winning =
    (lag === 'on_track' || lag === 'no_data' || lag === 'not_started') &&
    leads.length > 0 &&
    onTarget * 2 >= leads.length;
  return { winning, words: `${winning ? 'Winning' : 'Losing'} — ${leadWords}, ${lagWords}` };
}

/** The last `n` items of a list of weeks, oldest first. */
export const lastWeeks = (weeks: readonly IsoDate[], n: number) => weeks.slice(Math.max(0, weeks.length - n));
