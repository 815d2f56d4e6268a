// Status in one place: the lag measure's pace line over school weeks, lead measures against target, and the words and
// shapes that show them. Thresholds are explicit constants, documented here and on the pages that use them.
import { weekStart, type IsoDate } from './calendar.ts';
import { meetsTarget } from './lead-measures.ts';
import type { Direction } from './wig.ts';

export type Status = 'on_track' | 'at_risk' | 'off_track' | 'no_data' | 'not_started';

/**
 * Lag measure: how far behind the pace line the latest reading may be, as a share of the whole distance from X to Y.
 * On track: at most 5 % of the distance behind (or ahead). At risk: up to 15 % behind. Off track: further behind.
 */
export const LAG_AT_RISK = 0.05;
export const LAG_OFF_TRACK = 0.15;
/** Lead measure: a week at or beyond target is on track; within 80 % of the target is at risk; below that, off track. */
export const LEAD_AT_RISK_SHARE = 0.8;
/** The trend of a lead measure looks at this many school weeks before the current one. */
export const TREND_WEEKS = 4;

export const statusWords: Record<Status, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
  no_data: 'No data yet',
  not_started: 'Not started',
};
/** A shape for each status, so status never rests on colour alone. */
export const statusShapes: Record<Status, string> = {
  on_track: '▲',
  at_risk: '◆',
  off_track: '▼',
  no_data: '○',
  not_started: '○',
};

export interface PacePlan {
  baseline: number;
  target: number;
  /** The school weeks (Mondays) from the WIG's start to its deadline, oldest first. */
  schoolWeeks: readonly IsoDate[];
  /** Number of school days in each of those weeks (same order). */
  schoolDaysPerWeek: readonly number[];
}

/**
 * The share of the way from start to deadline at `date`, counting school weeks only: a holiday week does not move
 * the line. Within a school week the share grows with its school days; `elapsedDaysInWeek` says how many of the
 * week's school days are done by `date` (the caller counts them from the calendar).
 */
export function paceShare(plan: PacePlan, date: IsoDate, elapsedDaysInWeek: number): number {
  const n = plan.schoolWeeks.length;
  if (n === 0) return date >= (plan.schoolWeeks[0] ?? date) ? 1 : 0;
  const monday = weekStart(date);
  let done = 0;
  for (const [i, w] of plan.schoolWeeks.entries()) {
    if (w < monday) done += 1;
    else if (w === monday) done += Math.min(1, elapsedDaysInWeek / Math.max(1, plan.schoolDaysPerWeek[i] ?? 5));
  }
  return Math.max(0, Math.min(1, done / n));
}

/** The value the pace line expects at a share of the way (X at 0, Y at 1). */
export const expectedValue = (plan: Pick<PacePlan, 'baseline' | 'target'>, share: number) =>
  plan.baseline + (plan.target - plan.baseline) * share;

/**
 * A lag reading against the pace line: how far ahead (+) or behind (−) it is, as a share of the distance X→Y,
 * whichever way the WIG points.
 */
export function lagGap(plan: Pick<PacePlan, 'baseline' | 'target'>, share: number, actual: number): number {
  const distance = plan.target - plan.baseline;
  if (distance === 0) return 0;
  return (actual - expectedValue(plan, share)) / distance;
}

export function lagStatus(gap: number | null): Status {
  if (gap === null) return 'no_data';
  if (gap >= -LAG_AT_RISK) return 'on_track';
  if (gap >= -LAG_OFF_TRACK) return 'at_risk';
  return 'off_track';
}

/** A lead measure's week against its target, direction-aware (for "decrease" measures less is better). */
export function leadWeekStatus(value: number | null, target: number | null, direction: Direction): Status {
  if (value === null || target === null) return 'no_data';
  if (direction === 'increase') {
    if (value >= target) return 'on_track';
    return value >= target * LEAD_AT_RISK_SHARE ? 'at_risk' : 'off_track';
  }
  if (value <= target) return 'on_track';
  return target > 0 && value <= target / LEAD_AT_RISK_SHARE ? 'at_risk' : 'off_track';
}

/** The share of the trailing school weeks that met their target (null when none had data). */
export function leadTrend(
  weeks: readonly { value: number | null; target: number | null }[],
  direction: Direction,
): number | null {
  const counted = weeks.filter((w) => w.value !== null && w.target !== null);
  if (counted.length === 0) return null;
  return counted.filter((w) => meetsTarget(w.value!, w.target!, direction)).length / counted.length;
}
