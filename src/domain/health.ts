// Execution health as pure functions: how well a team keeps the cadence of accountability over a period of school weeks.
import { dueSessions, sessionInstants, sessionState, type SessionSlot } from './cadence.ts';
import { weekStart, zonedInstant, type DateRange, type IsoDate, type SchoolCalendar } from './calendar.ts';
import type { LeadMeasureKind } from './lead-measures.ts';
import type { CommitmentOutcome, PathRequestStatus } from './commitments.ts';

/** `done` out of `due`; a ratio with nothing due says nothing and is left out of the score. */
export interface Ratio {
  done: number;
  due: number;
}

export interface HealthFigures {
  sessions: Ratio;
  entries: Ratio;
  commitments: Ratio;
  pathRequests: Ratio;
  /** The mean of the ratios with something due, as a whole percentage; null when nothing was due at all. */
  score: number | null;
}

export const ratioKeys = ['sessions', 'entries', 'commitments', 'pathRequests'] as const;
export type RatioKey = (typeof ratioKeys)[number];

/** The rules in words, shown wherever the figures are. */
export const healthRules: Record<RatioKey | 'score', string> = {
  sessions:
    'Sessions held out of sessions due. A session is due each school week on the team’s session day; a week with no school that day (holidays, INSET days) is not due. A session counts once it is held or missed (the school day after it passes with no record); today’s or one not yet recorded does not count yet.',
  entries:
    'Lead measure entries made before the session started, out of those due. For each due session that has started: a team measure is one entry; a per-person measure is one entry for each member of the team; a daily standard counts as entered on time when any school day of that week was marked before the session. Only the team’s active lead measures of its active WIGs count, and only from when they were added, and each member from when they joined the team (or the first week they entered a number for, if earlier).',
  commitments:
    'Commitments kept out of commitments made, once accounted for at a session: done counts 1, partly counts ½, not done 0. Commitments not yet accounted for are left out.',
  pathRequests: 'Path requests resolved out of path requests raised in the period.',
  score:
    'Health score = the mean of the four percentages above, leaving out any with nothing due, rounded to a whole percentage. Weeks with nothing due count for nothing. A school’s and the trust’s figures add up their teams’ numbers before dividing.',
};

export const ratioLabels: Record<RatioKey, string> = {
  sessions: 'Sessions held',
  entries: 'Lead entries on time',
  commitments: 'Commitments kept',
  pathRequests: 'Path requests resolved',
};

const emptyRatio = (): Ratio => ({ done: 0, due: 0 });

/** A ratio as a whole percentage, or null when nothing was due. */
export const percent = (r: Ratio): number | null => (r.due === 0 ? null : Math.round((r.done / r.due) * 100));

/** The combined score: the mean of the ratios with something due (unrounded shares), as a whole percentage. */
export function healthScore(figures: Omit<HealthFigures, 'score'>): number | null {
  const shares = ratioKeys
    .map((k) => figures[k])
    .filter((r) => r.due > 0)
    .map((r) => r.done / r.due);
  if (shares.length === 0) return null;
  return Math.round((shares.reduce((a, b) => a + b, 0) / shares.length) * 100);
}

/** A school's or the trust's figures: the teams' numbers added up, then the score worked out again from the sums. */
export function combine(all: readonly HealthFigures[]): HealthFigures {
  const sums = { sessions: emptyRatio(), entries: emptyRatio(), commitments: emptyRatio(), pathRequests: emptyRatio() };
  for (const f of all) {
    for (const k of ratioKeys) {
      sums[k].done += f[k].done;
      sums[k].due += f[k].due;
    }
  }
  return { ...sums, score: healthScore(sums) };
}

/** How much a commitment's outcome counts as kept. */
export const commitmentCredit = { done: 1, partly: 0.5, not_done: 0 } as const;

export interface TeamHealthInput {
  slot: SessionSlot;
  calendar: SchoolCalendar;
  timeZone: string;
  /** The school weeks looked at; the caller clips it to today. */
  period: DateRange;
  today: IsoDate;
  /** Now (ms): an entry is due once its session has started. */
  now: number;
  /** The weeks (Mondays) with a held session. */
  heldWeeks: ReadonlySet<IsoDate>;
  /** Active lead measures of the team's active WIGs, with when each was added (ms). */
  measures: readonly { id: number; kind: LeadMeasureKind; perPerson: boolean; createdAt: number }[];
  /** Active (not disabled) people of the team, with when they joined it (ms). */
  members: readonly { personId: number; since: number }[];
  /** Weekly entries of those measures in the period. */
  entries: readonly { leadMeasureId: number; week: IsoDate; personId: number | null; enteredAt: number }[];
  /** Daily marks of those measures in the period. */
  dayEntries: readonly { leadMeasureId: number; date: IsoDate; personId: number | null; enteredAt: number }[];
  /** The team's commitments for weeks in the period. */
  commitments: readonly { week: IsoDate; outcome: CommitmentOutcome | null }[];
  /** The team's path requests raised in weeks of the period. */
  pathRequests: readonly { week: IsoDate; status: PathRequestStatus }[];
}

const within = (date: IsoDate, period: DateRange) => period.start <= date && date <= period.end;

/** One team's health over a period. */
export function teamHealthFigures(input: TeamHealthInput): HealthFigures {
  const { slot, calendar, period, today, now } = input;
  const sessions = emptyRatio();
  const entries = emptyRatio();

  // Entries are looked up by key so the work grows with the period's rows, not with the product of weeks and rows.
  const weekKey = (measureId: number, week: IsoDate, personId: number | null) =>
    `${measureId}|${week}|${personId ?? ''}`;
  const firstEntered = new Map<string, number>();
  for (const e of input.entries) firstEntered.set(weekKey(e.leadMeasureId, e.week, e.personId), e.enteredAt);
  const marksOfWeek = new Map<string, { date: IsoDate; enteredAt: number }[]>();
  for (const d of input.dayEntries) {
    const key = weekKey(d.leadMeasureId, weekStart(d.date), d.personId);
    marksOfWeek.set(key, [...(marksOfWeek.get(key) ?? []), d]);
  }

  for (const due of dueSessions(slot, period, calendar)) {
    const state = sessionState(slot, due.week, calendar, input.heldWeeks.has(due.week), today);
    if (state === 'held' || state === 'missed') {
      sessions.due += 1;
      if (state === 'held') sessions.done += 1;
    }
    const { start } = sessionInstants(slot, due.date, input.timeZone);
    if (start > now) continue;
    for (const m of input.measures) {
      if (m.createdAt >= start) continue;
      const who: (number | null)[] = m.perPerson
        ? input.members.filter((p) => p.since < start).map((p) => p.personId)
        : [null];
      for (const personId of who) {
        entries.due += 1;
        if (m.kind === 'daily') {
          const marked = (marksOfWeek.get(weekKey(m.id, due.week, personId)) ?? []).some(
            (d) => d.date <= due.date && d.enteredAt < start,
          );
          if (marked) entries.done += 1;
        } else {
          const at = firstEntered.get(weekKey(m.id, due.week, personId));
          if (at !== undefined && at < start) entries.done += 1;
        }
      }
    }
  }

  const commitments = emptyRatio();
  for (const c of input.commitments) {
    if (c.outcome === null || !within(c.week, { start: weekStart(period.start), end: period.end })) continue;
    commitments.due += 1;
    commitments.done += commitmentCredit[c.outcome];
  }

  const pathRequests = emptyRatio();
  for (const r of input.pathRequests) {
    if (!within(r.week, { start: weekStart(period.start), end: period.end })) continue;
    pathRequests.due += 1;
    if (r.status === 'resolved') pathRequests.done += 1;
  }

  const figures = { sessions, entries, commitments, pathRequests };
  return { ...figures, score: healthScore(figures) };
}

/**
 * When each member of a team is due to enter numbers from: when they joined the team, or from the first week they
 * entered a number for if that is earlier (people are often added to wigboard after they joined the team, and their
 * numbers carried over).
 */
export function membersDueFrom(
  members: readonly { personId: number; since: number }[],
  entries: readonly { personId: number | null; week: IsoDate }[],
  dayEntries: readonly { personId: number | null; date: IsoDate }[],
  timeZone: string,
): { personId: number; since: number }[] {
  const firstWeek = new Map<number, IsoDate>();
  for (const e of [...entries, ...dayEntries.map((d) => ({ personId: d.personId, week: weekStart(d.date) }))]) {
    if (e.personId !== null && (firstWeek.get(e.personId) ?? '9999') > e.week) firstWeek.set(e.personId, e.week);
  }
  return members.map(({ personId, since }) => {
    const week = firstWeek.get(personId);
    return { personId, since: week === undefined ? since : Math.min(since, zonedInstant(week, '00:00', timeZone)) };
  });
}

/** A named stretch of school weeks: a half-term of the calendar, clipped to a period. */
export interface NamedPeriod extends DateRange {
  name: string;
}

/** The half-terms that overlap a period, clipped to it, oldest first: the rows of the trend. */
export function termsWithin(terms: readonly NamedPeriod[], period: DateRange): NamedPeriod[] {
  return [...terms]
    .filter((t) => t.start <= period.end && t.end >= period.start)
    .sort((a, b) => a.start.localeCompare(b.start))
    .map((t) => ({
      name: t.name,
      start: t.start > period.start ? t.start : period.start,
      end: t.end < period.end ? t.end : period.end,
    }));
}

/** A count that may hold a half (a commitment partly kept), as people write it: 2½. */
export const formatCount = (n: number) => (Number.isInteger(n) ? String(n) : `${Math.floor(n) || ''}½`);

/** "2½ of 4 (63%)", or "nothing due". */
export function ratioWords(r: Ratio): string {
  const p = percent(r);
  return p === null ? 'nothing due' : `${formatCount(r.done)} of ${formatCount(r.due)} (${p}%)`;
}
