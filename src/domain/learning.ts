// Is the bet working? (Principle 9: think and act scientifically.) A WIG's lead measures against the movement of its lag
// measure, as pure functions: lag readings are sparse, so each stretch between two readings is one comparison — how
// often the lead measures hit their target in that stretch, beside how far the lag moved towards Y per school week.
import { weekStart, type IsoDate } from './calendar.ts';

/**
 * Fewer comparisons than this and the page says "too early to tell": with three points almost any two series line up.
 * Four stretches between readings (five readings) is the least that can show a pattern, and even then only a strong one.
 */
export const MIN_COMPARISONS = 4;
/** A correlation at least this strong (either way) is called a link; weaker is "no clear link". */
const CLEAR_LINK = 0.5;
/** Flags look at the most recent run of school weeks of at least this length. */
const FLAG_WEEKS = 4;
/**
 * "Has not moved": over the flagged weeks the lag covered less than this share of what the pace line asks for the same
 * number of school weeks (a quarter of the pace, or it went backwards).
 */
const STALL_SHARE = 0.25;

export interface Reading {
  date: IsoDate;
  value: number;
}

/** One school week of one lead measure: whether it hit its target (null when it had no target that week). */
export interface LeadWeek {
  week: IsoDate;
  hit: boolean | null;
}

export interface LagPlan {
  baseline: number;
  target: number;
  /** The WIG's school weeks from start to deadline (its pace line moves over these only). */
  totalSchoolWeeks: number;
}

/** One stretch between two lag readings. */
export interface Comparison {
  from: IsoDate;
  to: IsoDate;
  /** The school weeks whose work the second reading can show: after the first reading's week, up to the second's. */
  weeks: number;
  /** The share of those weeks in which the lead measure hit its target (a week with no number missed it). */
  attainment: number;
  /** How far the lag moved towards Y per school week, as a share of the whole way from X to Y (negative: away). */
  progressPerWeek: number;
}

/** The share of the distance from X to Y a change in the lag covers, whichever way the WIG points. */
export const progressShare = (plan: Pick<LagPlan, 'baseline' | 'target'>, change: number) =>
  plan.target === plan.baseline ? 0 : change / (plan.target - plan.baseline);

/**
 * The stretches between consecutive readings, each with the lead measure's attainment in it and the lag's progress.
 * `schoolWeeks` are the WIG's school weeks so far, oldest first; a stretch with no school week in it is left out.
 */
export function comparisons(
  plan: Pick<LagPlan, 'baseline' | 'target'>,
  readings: readonly Reading[],
  leadWeeks: readonly LeadWeek[],
  schoolWeeks: readonly IsoDate[],
): Comparison[] {
  const sorted = [...readings].sort((a, b) => a.date.localeCompare(b.date));
  const hitByWeek = new Map(leadWeeks.map((w) => [w.week, w.hit]));
  const out: Comparison[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    const weeks = schoolWeeks.filter((w) => w > weekStart(a.date) && w <= weekStart(b.date));
    const judged = weeks.filter((w) => hitByWeek.get(w) !== null);
    if (weeks.length === 0 || judged.length === 0) continue;
    out.push({
      from: a.date,
      to: b.date,
      weeks: weeks.length,
      attainment: judged.filter((w) => hitByWeek.get(w) === true).length / judged.length,
      progressPerWeek: progressShare(plan, b.value - a.value) / weeks.length,
    });
  }
  return out;
}

/** Pearson's correlation of two equal-length series; null when either does not vary. */
export function correlation(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 2 || ys.length !== n) return null;
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / n;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx < 1e-12 || syy < 1e-12) return null;
  return sxy / Math.sqrt(sxx * syy);
}

type Relation = 'too_early' | 'no_variation' | 'moves_with' | 'no_clear_link' | 'moves_against';

export interface BetCheck {
  relation: Relation;
  /** The number of comparisons (stretches between readings) it rests on. */
  points: number;
  /** Pearson's r, rounded to two places, when there is one. */
  r: number | null;
  words: string;
}

const stretches = (n: number) => `${n} ${n === 1 ? 'stretch' : 'stretches'} between lag readings`;

/** Whether a lead measure's attainment and the lag's movement go together, in words, honest about how little data there is. */
export function checkBet(measureName: string, points: readonly Comparison[]): BetCheck {
  const n = points.length;
  if (n < MIN_COMPARISONS) {
    return {
      relation: 'too_early',
      points: n,
      r: null,
      words: `Too early to tell: ${stretches(n)} so far, and at least ${MIN_COMPARISONS} are needed.`,
    };
  }
  const raw = correlation(
    points.map((p) => p.attainment),
    points.map((p) => p.progressPerWeek),
  );
  if (raw === null) {
    return {
      relation: 'no_variation',
      points: n,
      r: null,
      words: `Cannot tell yet: over ${stretches(n)}, either “${measureName}” was hit as often in every stretch or the lag moved the same each time.`,
    };
  }
  const r = Math.round(raw * 100) / 100;
  if (r >= CLEAR_LINK) {
    return {
      relation: 'moves_with',
      points: n,
      r,
      words: `The bet is holding so far: over ${stretches(n)}, the lag moved further when “${measureName}” was hit more often (r = ${r}).`,
    };
  }
  if (r <= -CLEAR_LINK) {
    return {
      relation: 'moves_against',
      points: n,
      r,
      words: `The bet is not holding: over ${stretches(n)}, the lag moved less when “${measureName}” was hit more often (r = ${r}). Re-check what this lead measure predicts.`,
    };
  }
  return {
    relation: 'no_clear_link',
    points: n,
    r,
    words: `No clear link yet: over ${stretches(n)}, how often “${measureName}” was hit and how far the lag moved do not go together (r = ${r}).`,
  };
}

type FlagKind = 'leads_hit_lag_flat' | 'lag_moving_leads_missed';

export interface Flag {
  kind: FlagKind;
  weeks: number;
  words: string;
}

/**
 * The flags a WIG session's review and the WIG page show. `wigWeeks` is, for each school week so far (oldest first),
 * whether more than half of the WIG's lead measures hit their target that week (the verdict's own test; null when none
 * had a target). The lag's movement over the trailing run of weeks is read from the readings at or before the run's
 * start and the latest one.
 *  - leads_hit_lag_flat: the leads were hit in each of the last N ≥ FLAG_WEEKS school weeks, but over them the lag moved
 *    less than STALL_SHARE of what the pace line asks for N weeks — re-check the bet.
 *  - lag_moving_leads_missed: the leads were missed in each of the last N ≥ FLAG_WEEKS school weeks, yet the lag kept
 *    pace or better over them — something else is driving it.
 */
export function betFlags(
  plan: LagPlan,
  readings: readonly Reading[],
  wigWeeks: readonly { week: IsoDate; hit: boolean | null }[],
): Flag[] {
  const judged = wigWeeks.filter((w) => w.hit !== null);
  if (judged.length < FLAG_WEEKS || readings.length < 2) return [];
  const last = judged.at(-1)!.hit;
  let run = 0;
  for (let i = judged.length - 1; i >= 0 && judged[i]!.hit === last; i--) run += 1;
  if (run < FLAG_WEEKS) return [];
  const runStart = judged[judged.length - run]!.week;
  const sorted = [...readings].sort((a, b) => a.date.localeCompare(b.date));
  const before = sorted.filter((r) => weekStart(r.date) < runStart).at(-1);
  const latest = sorted.at(-1)!;
  if (!before || weekStart(latest.date) < runStart) return [];
  const weeksCovered = judged.filter((w) => w.week > weekStart(before.date) && w.week <= weekStart(latest.date)).length;
  if (weeksCovered === 0) return [];
  const moved = progressShare(plan, latest.value - before.value);
  const paceAsks = weeksCovered / Math.max(1, plan.totalSchoolWeeks);
  if (last === true && moved < STALL_SHARE * paceAsks) {
    return [
      {
        kind: 'leads_hit_lag_flat',
        weeks: run,
        words: `Lead measures on target for ${run} weeks, but the lag has not moved: re-check the bet.`,
      },
    ];
  }
  if (last === false && moved >= paceAsks) {
    return [
      {
        kind: 'lag_moving_leads_missed',
        weeks: run,
        words: `The lag is keeping pace while the lead measures have been off target for ${run} weeks: something else is driving it.`,
      },
    ];
  }
  return [];
}
