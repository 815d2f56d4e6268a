// Lead measures as pure rules: the target in force in a week, target changes from next week, and daily yes/no standards.
import { addDays, weekStart, type IsoDate } from './calendar.ts';
import type { NumberLimits } from './numbers.ts';
import type { Direction } from './wig.ts';

export type LeadKind = 'team' | 'individual' | 'daily';

/** A weekly number, or a yes/no standard kept on each school day; and whether it is in use or retired (kept for history). */
export const leadMeasureKinds = ['number', 'daily'] as const;
export type LeadMeasureKind = (typeof leadMeasureKinds)[number];
export const leadMeasureStatuses = ['active', 'retired'] as const;

/** The three kinds a person chooses between (a team number, a number per person, a daily standard), from how it is stored. */
export function leadKindOf(m: { kind: LeadMeasureKind; perPerson: boolean }): LeadKind {
  return m.kind === 'daily' ? 'daily' : m.perPerson ? 'individual' : 'team';
}

/** A WIG has one to three active lead measures (4DX: a few predictive, influenceable actions). */
export const MAX_ACTIVE_LEAD_MEASURES = 3;

/** What a week's number (in the grid, a spreadsheet, or as a weekly target) may be: 0 to 100,000, two decimal places. */
export const ENTRY_LIMITS = { min: 0, max: 100_000, places: 2 } as const satisfies NumberLimits;

/** A daily standard's target: the share of school days kept, a whole per cent from 1 to 100. */
export const DAILY_TARGET_LIMITS = { min: 1, max: 100, places: 0 } as const satisfies NumberLimits;

export interface TargetPeriod {
  /** The Monday from which this target applies. */
  fromWeek: IsoDate;
  target: number;
}

/** The target a week is measured against: the latest one that had started by that week (null before any). */
export function targetForWeek(periods: readonly TargetPeriod[], week: IsoDate): number | null {
  let found: TargetPeriod | null = null;
  for (const p of periods) if (p.fromWeek <= week && (!found || p.fromWeek > found.fromWeek)) found = p;
  return found ? found.target : null;
}

/** A changed target starts from next week, so weeks already under way keep the target they had. */
export function targetChangeStarts(today: IsoDate): IsoDate {
  return addDays(weekStart(today), 7);
}

/** Replaces any target from `fromWeek` on with the new one; earlier periods stay as they were. */
export function withTargetFrom(periods: readonly TargetPeriod[], fromWeek: IsoDate, target: number): TargetPeriod[] {
  return [...periods.filter((p) => p.fromWeek < fromWeek), { fromWeek, target }].sort((a, b) =>
    a.fromWeek.localeCompare(b.fromWeek),
  );
}

/** A daily standard's week score: the school days it was kept ÷ the school days of the week (null in a week with none). */
export function dailyScore(keptDays: readonly IsoDate[], schoolDays: readonly IsoDate[]): number | null {
  if (schoolDays.length === 0) return null;
  const school = new Set(schoolDays);
  const kept = new Set(keptDays.filter((d) => school.has(d)));
  return kept.size / schoolDays.length;
}

/** Whether a week's value meets its target, direction-aware (a "decrease" measure wins at or under the target). */
export function meetsTarget(value: number, target: number, direction: Direction): boolean {
  return direction === 'increase' ? value >= target : value <= target;
}
