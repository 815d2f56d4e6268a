// Wildly Important Goals as pure rules: "From X to Y by When", what may be activated, the two-WIG cap, alignment and veto.
import { isIsoDate, type IsoDate } from './calendar.ts';

export const wigLevels = ['trust', 'school', 'team'] as const;
export type WigLevel = (typeof wigLevels)[number];
/** Whether a measure's goal is to go up or down. */
export const directions = ['increase', 'decrease'] as const;
export type Direction = (typeof directions)[number];
export const wigStatuses = ['draft', 'active', 'achieved', 'missed', 'archived'] as const;
export type WigStatus = (typeof wigStatuses)[number];
/** A WIG's status in words. */
export const wigStatusWords: Record<WigStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  achieved: 'Achieved',
  missed: 'Missed',
  archived: 'Archived',
};

/** A team may have at most this many active WIGs at once (4DX: focus on the wildly important). */
export const MAX_ACTIVE_TEAM_WIGS = 2;

/** What a lag measure's X, Y or reading may be (a percentage, a count, a score: any sign, two decimal places). */
export const LAG_LIMITS = { min: -1e9, max: 1e9, places: 2 } as const;

/** The longest note a lag reading may carry. */
export const READING_NOTE_MAX = 500;

export interface WigFacts {
  id?: number;
  level: WigLevel;
  schoolId: number | null;
  teamId: number | null;
  lagName: string;
  unit: string;
  direction: Direction | null;
  baseline: number | null;
  target: number | null;
  startDate: IsoDate | null;
  deadline: IsoDate | null;
  parentId: number | null;
}

/** The WIG a lower WIG says it serves. */
export interface ParentFacts {
  id: number;
  level: WigLevel;
  schoolId: number | null;
  status: WigStatus;
}

export type Problems = Record<string, string>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];

/** "17 Jul 2027" */
export function shortDate(date: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** A number as people write it: no trailing zeros, thousands separated ("1,250", "72.5"). */
const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** A value with its unit: "85%" for per cent, "12 conferences" for a word unit. */
export function withUnit(value: number, unit: string): string {
  const n = formatNumber(value);
  if (unit === '%' || unit === '') return `${n}${unit}`;
  return `${n} ${unit}`;
}

/** The WIG in its sentence form: "From 72% to 85% by 17 Jul 2027" (with "…" for what is not set yet). */
export function wigSentence(w: Pick<WigFacts, 'baseline' | 'target' | 'deadline' | 'unit'>): string {
  // A symbol unit goes on both numbers ("72% to 85%"); a word unit only once ("12 to 4 exclusions").
  const symbol = w.unit === '%' || w.unit === '';
  const x = w.baseline === null ? '…' : symbol ? withUnit(w.baseline, w.unit) : formatNumber(w.baseline);
  const y = w.target === null ? '…' : withUnit(w.target, w.unit);
  const when = w.deadline === null ? '…' : shortDate(w.deadline);
  return `From ${x} to ${y} by ${when}`;
}

/** Which WIG a WIG at this level may serve: a team's serves its school's or the trust's; a school's serves the trust's. */
export function parentProblem(
  wig: Pick<WigFacts, 'level' | 'schoolId' | 'parentId'>,
  parent: ParentFacts | null,
): string | null {
  if (wig.level === 'trust') return wig.parentId === null ? null : 'A trust WIG does not serve another WIG';
  if (wig.parentId === null || parent === null) return 'Choose the WIG this one serves';
  if (parent.status !== 'active') return 'The WIG it serves must be active';
  if (wig.level === 'school') return parent.level === 'trust' ? null : 'A school WIG serves a trust WIG';
  if (parent.level === 'trust') return null;
  if (parent.level === 'school' && parent.schoolId !== null && parent.schoolId === wig.schoolId) return null;
  return 'A team WIG serves a WIG of its own school or of the trust';
}

/**
 * Everything that stops a WIG becoming active, one message per field: X, Y, When, unit and a direction that agrees
 * with X→Y, a deadline after the start, the WIG it serves, and the team's cap of two active WIGs.
 */
export function activationProblems(wig: WigFacts, parent: ParentFacts | null, otherActiveTeamWigs: number): Problems {
  const problems: Problems = {};
  if (!wig.lagName.trim()) problems.lagName = 'Enter the lag measure';
  if (!wig.unit.trim()) problems.unit = 'Enter the unit, such as % or pupils';
  if (wig.baseline === null) problems.baseline = 'Enter where you are now (From X)';
  if (wig.target === null) problems.target = 'Enter where you want to be (to Y)';
  if (!wig.direction) problems.direction = 'Choose whether the measure should go up or down';
  if (!wig.startDate || !isIsoDate(wig.startDate)) problems.startDate = 'Enter the start date';
  if (!wig.deadline || !isIsoDate(wig.deadline)) problems.deadline = 'Enter the deadline (by When)';
  if (wig.baseline !== null && wig.target !== null && wig.direction && !problems.target) {
    if (wig.baseline === wig.target) problems.target = 'The target must differ from where you are now';
    else if (wig.direction === 'increase' && wig.target < wig.baseline)
      problems.direction = 'The target is below the start: choose “go down”, or change the numbers';
    else if (wig.direction === 'decrease' && wig.target > wig.baseline)
      problems.direction = 'The target is above the start: choose “go up”, or change the numbers';
  }
  if (!problems.startDate && !problems.deadline && wig.deadline! <= wig.startDate!)
    problems.deadline = 'The deadline must be after the start date';
  const parentIssue = parentProblem(wig, parent);
  if (parentIssue) problems.parentId = parentIssue;
  if (wig.level === 'team' && otherActiveTeamWigs >= MAX_ACTIVE_TEAM_WIGS) {
    problems.status = `This team already has ${MAX_ACTIVE_TEAM_WIGS} active WIGs. Finish or archive one first; this one can stay a draft.`;
  }
  return problems;
}

/** The moves a WIG's status may make; a veto sends an active WIG back to draft (with a reason). */
const TRANSITIONS: Record<WigStatus, readonly WigStatus[]> = {
  draft: ['active', 'archived'],
  active: ['achieved', 'missed', 'archived', 'draft'],
  achieved: ['archived'],
  missed: ['archived'],
  archived: [],
};

export const canMove = (from: WigStatus, to: WigStatus) => TRANSITIONS[from].includes(to);

/** A WIG still being worked on (a draft, or active): it can be changed, vetoed and given lead measures; the others are history. */
export const isOpenWig = (status: WigStatus) => status === 'draft' || status === 'active';

/** A leader above the WIG's owner may veto it, and must say why; the team sees the reason. */
export function vetoProblems(status: WigStatus, reason: string): Problems {
  const problems: Problems = {};
  if (!isOpenWig(status)) problems.status = 'Only a draft or active WIG can be vetoed';
  if (reason.trim().length < 5) problems.reason = 'Say why, so the team can put it right';
  return problems;
}
