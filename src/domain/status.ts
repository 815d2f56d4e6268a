// Status in one place: the lag measure against its pace line, lead measures against target, and the one rule that makes
// a WIG or a team winning or losing, with the words, shapes and one-line reasons every page, board and digest shows.
import { weekStart, type IsoDate } from './calendar.ts';
import { meetsTarget } from './lead-measures.ts';
import type { Direction } from './wig.ts';

/**
 * The status of a part of a WIG: its lag measure against the pace line, or a lead measure's week against its target.
 * Two outcomes and no hidden band: met (on or ahead of the pace line; target hit) or missed (behind it; target missed).
 */
export type Status = 'met' | 'missed' | 'no_data' | 'not_started';

/** The trend of a lead measure looks at this many school weeks before the current one. */
export const TREND_WEEKS = 4;

/** The lag measure's status in words. */
export const lagWords: Record<Status, string> = {
  met: 'On pace',
  missed: 'Behind pace',
  no_data: 'No reading yet',
  not_started: 'Not started',
};
/** A lead measure's week in words. */
export const leadWords: Record<Status, string> = {
  met: 'Hit target',
  missed: 'Missed target',
  no_data: 'No number yet',
  not_started: 'Not started',
};
/** A shape for each status, so status never rests on colour alone. */
export const statusShapes: Record<Status, string> = {
  met: '▲',
  missed: '▼',
  no_data: '○',
  not_started: '○',
};

/** The one word a WIG or a team is given everywhere: the page, the wall, the digest, the tree. */
export type Verdict = 'winning' | 'losing' | 'no_data' | 'no_wig';
export const verdictWords: Record<Verdict, string> = {
  winning: 'Winning',
  losing: 'Losing',
  no_data: 'No numbers yet',
  no_wig: 'No active WIG',
};
export const verdictShapes: Record<Verdict, string> = {
  winning: '▲',
  losing: '▼',
  no_data: '○',
  no_wig: '○',
};

/** The rules in the words the pages show, so that a teacher can repeat them. */
export const RULES = {
  wig:
    'A WIG is winning when its lag measure is on or ahead of the pace line from X to Y, and more than half of its ' +
    'lead measures hit their target last week. Before the first lag reading the lead measures decide; a WIG with no ' +
    'lead measures is judged on its lag measure alone. Otherwise it is losing.',
  team: 'A team is winning when every one of its WIGs with numbers is winning.',
  lag: 'The lag measure is on pace when its latest reading is on or ahead of where the pace line was that day.',
  lead: 'A lead measure hit its target when last week’s number met the target; a week with no number missed it.',
} as const;

/** A verdict and the one line that explains it. */
export interface Judgement {
  verdict: Verdict;
  why: string;
}

/** What a WIG's verdict is worked out from: its lag status (with the figures, already formatted) and its lead weeks. */
export interface VerdictFacts {
  lag: { status: Status; reading?: string; pace?: string } | null;
  /** Each active lead measure's status last week. */
  leads: readonly Status[];
}

const measures = (n: number) => (n === 1 ? 'lead measure' : 'lead measures');

/** The one rule for a WIG (see RULES.wig), and why, in one line. */
export function judgeWig({ lag, leads }: VerdictFacts): Judgement {
  const hit = leads.filter((s) => s === 'met').length;
  const anyLeadNumber = leads.some((s) => s !== 'no_data' && s !== 'not_started');
  const hasReading = lag !== null && (lag.status === 'met' || lag.status === 'missed');
  const lagPart = !hasReading
    ? 'No lag reading yet'
    : lag.status === 'met'
      ? `The lag, ${lag.reading}, is on pace (the line was at ${lag.pace})`
      : `The lag, ${lag.reading}, is behind pace (the line was at ${lag.pace})`;
  const leadPart =
    leads.length === 0
      ? 'no lead measures'
      : `${hit} of ${leads.length} ${measures(leads.length)} hit target last week`;
  if (!hasReading && (leads.length === 0 || !anyLeadNumber)) {
    return {
      verdict: 'no_data',
      why: leads.length === 0 ? `${lagPart}.` : `${lagPart} and no lead measure numbers yet.`,
    };
  }
  const leadsWin = leads.length === 0 || hit * 2 > leads.length;
  const lagWins = !hasReading || lag.status === 'met';
  const verdict: Verdict = leadsWin && lagWins ? 'winning' : 'losing';
  const needMore = !leadsWin && lagWins ? ' — more than half must' : '';
  return { verdict, why: `${lagPart}; ${leadPart}${needMore}.` };
}

/** The one rule for a team (see RULES.team): every WIG with numbers winning. */
export function judgeTeam(wigs: readonly { name: string; verdict: Verdict }[]): Judgement {
  if (wigs.length === 0) return { verdict: 'no_wig', why: 'The team has no active WIG.' };
  const judged = wigs.filter((w) => w.verdict === 'winning' || w.verdict === 'losing');
  if (judged.length === 0) return { verdict: 'no_data', why: 'No numbers yet for the team’s WIGs.' };
  const losing = judged.filter((w) => w.verdict === 'losing');
  if (losing.length === 0) {
    return {
      verdict: 'winning',
      why: judged.length === 1 ? `${judged[0]!.name} is winning.` : `All ${judged.length} WIGs are winning.`,
    };
  }
  const names = `${losing.map((w) => w.name).join(' and ')} ${losing.length === 1 ? 'is' : 'are'} losing`;
  return {
    verdict: 'losing',
    why:
      judged.length === 1
        ? `${names}.`
        : `${names}; ${judged.length - losing.length} of ${judged.length} WIGs winning.`,
  };
}

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

/** On pace when the latest reading is on or ahead of the line (a rounding hair behind counts as on it). */
export function lagStatus(gap: number | null): Status {
  if (gap === null) return 'no_data';
  return gap >= -1e-9 ? 'met' : 'missed';
}

/** A lead measure's week against its target, direction-aware (for "decrease" measures less is better). */
export function leadWeekStatus(value: number | null, target: number | null, direction: Direction): Status {
  if (value === null || target === null) return 'no_data';
  return meetsTarget(value, target, direction) ? 'met' : 'missed';
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
