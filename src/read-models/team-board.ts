// What a team's scoreboard shows: for each active WIG, a banner in words, the lag measure against its pace line, and
// each lead measure against its target this week and over recent school weeks. Read for many teams at once (the
// school and trust overviews and the tree build on it), as plain data the partials render.
import type { Db } from '../db/connection.ts';
import type { Team } from '../db/queries/schools.ts';
import { schoolCalendar } from '../db/queries/calendar.ts';
import { dayEntries, listLeadMeasures, targetsOf, weekEntries, type LeadMeasure } from '../db/queries/measures.ts';
import { activeHeadcounts, readingsOfWigs } from '../db/queries/overview.ts';
import { listWigs, type Wig } from '../db/queries/wigs.ts';
import { addDays, schoolDaysOfWeek, weekStart, type IsoDate, type SchoolCalendar } from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import { targetForWeek } from '../domain/lead-measures.ts';
import { lastWeeks, teamWeekValue } from '../domain/scoreboard.ts';
import {
  judgeWig,
  lagGap,
  lagStatus,
  lagWords,
  leadTrend,
  leadWeekStatus,
  leadWords,
  paceShare,
  RULES,
  statusShapes,
  TREND_WEEKS,
  verdictShapes,
  verdictWords,
  type Status,
} from '../domain/status.ts';
import { formatNumber, shortDate, wigSentence, withUnit } from '../domain/wig.ts';
import { lagChart } from './lag-chart.ts';
import { BARS_BOX, leadBars } from './lead-bars.ts';
import { groupBy } from '../domain/grouping.ts';
import { weekLabel } from '../domain/weekly-update.ts';

/** How many school weeks of lead measure bars the board shows (this week included). */
const BAR_WEEKS = 6;

// A board asks the same calendar about the same weeks again and again (each measure, each WIG, each team of a school):
// each week's school days are worked out once per calendar read.
const weekDays = new WeakMap<SchoolCalendar, Map<IsoDate, IsoDate[]>>();
function daysOfWeek(monday: IsoDate, calendar: SchoolCalendar): IsoDate[] {
  let cache = weekDays.get(calendar);
  if (!cache) weekDays.set(calendar, (cache = new Map()));
  let days = cache.get(monday);
  if (!days) cache.set(monday, (days = schoolDaysOfWeek(monday, calendar)));
  return days;
}

/** The school weeks (Mondays) with a school day within start…end, as `schoolWeeks` counts them, through the cache. */
function weeksBetween(start: IsoDate, end: IsoDate, calendar: SchoolCalendar): IsoDate[] {
  const weeks: IsoDate[] = [];
  for (let monday = weekStart(start); monday <= end; monday = addDays(monday, 7)) {
    if (daysOfWeek(monday, calendar).some((d) => d >= start && d <= end)) weeks.push(monday);
  }
  return weeks;
}

function shareAt(
  calendar: SchoolCalendar,
  plan: { schoolWeeks: IsoDate[]; schoolDaysPerWeek: number[] },
  date: IsoDate,
  baseline: number,
  target: number,
) {
  const elapsed = daysOfWeek(weekStart(date), calendar).filter((d) => d <= date).length;
  return paceShare({ ...plan, baseline, target }, date, elapsed);
}

// Many WIGs share a calendar and their dates (a trust's WIGs run over the same year): their school weeks are counted once.
const plans = new WeakMap<SchoolCalendar, Map<string, { schoolWeeks: IsoDate[]; schoolDaysPerWeek: number[] }>>();
function pacePlan(calendar: SchoolCalendar, start: IsoDate, end: IsoDate) {
  const cache = plans.get(calendar) ?? new Map();
  plans.set(calendar, cache);
  const key = `${start}/${end}`;
  let plan = cache.get(key);
  if (!plan) {
    const weeks = weeksBetween(start, end, calendar);
    plan = { schoolWeeks: weeks, schoolDaysPerWeek: weeks.map((w) => daysOfWeek(w, calendar).length) };
    cache.set(key, plan);
  }
  return plan;
}

/** The lag side of one WIG: pace, latest reading, status and the chart's geometry. */
function lagBoard(
  wig: Wig,
  readings: { date: string; value: number; note: string | null }[],
  calendar: SchoolCalendar,
  today: IsoDate,
) {
  const { baseline, target, startDate, deadline } = wig;
  if (baseline === null || target === null || !startDate || !deadline) return null;
  const plan = pacePlan(calendar, startDate, deadline);
  const share = (date: IsoDate) => shareAt(calendar, plan, date, baseline, target);
  const points = readings.map((r) => ({
    ...r,
    share: share(r.date),
    expected: baseline + (target - baseline) * share(r.date),
  }));
  const latest = points.at(-1) ?? null;
  const gap = latest ? lagGap({ baseline, target }, latest.share, latest.value) : null;
  const status: Status = today < startDate ? 'not_started' : lagStatus(gap);
  return {
    status,
    ahead: gap !== null && gap > 0,
    latest,
    expectedToday: baseline + (target - baseline) * share(today),
    chart: lagChart({ baseline, target, startDate, deadline, points, todayShare: share(today) }),
    points,
  };
}

/** What the boards of some teams are drawn from, read once for all of them (see `loadBoardFacts`). */
export interface BoardFacts {
  wigsByTeam: Map<number, Wig[]>;
  measuresByWig: Map<number, LeadMeasure[]>;
  targets: Map<number, { fromWeek: string; target: number }[]>;
  /** Each measure's entered values, by week. */
  entriesByMeasure: Map<number, Map<IsoDate, number[]>>;
  /** Each measure's marked days, by the week (Monday) they fall in. */
  daysByMeasure: Map<number, Map<IsoDate, { date: string; kept: boolean }[]>>;
  people: Map<number, number>;
  readings: Map<number, { date: string; value: number; note: string | null }[]>;
}

function byMeasureAndWeek<T extends { leadMeasureId: number }, V>(
  rows: readonly T[],
  week: (row: T) => IsoDate,
  value: (row: T) => V,
) {
  const map = new Map<number, Map<IsoDate, V[]>>();
  for (const row of rows) {
    let weeks = map.get(row.leadMeasureId);
    if (!weeks) map.set(row.leadMeasureId, (weeks = new Map()));
    const list = weeks.get(week(row));
    if (list) list.push(value(row));
    else weeks.set(week(row), [value(row)]);
  }
  return map;
}

/** The school weeks a board looks at: its bars (this week included) and the trend (the weeks before this one). */
const recentByCalendar = new WeakMap<SchoolCalendar, Map<IsoDate, ReturnType<typeof readRecentWeeks>>>();
function recentWeeks(today: IsoDate, calendar: SchoolCalendar) {
  let cache = recentByCalendar.get(calendar);
  if (!cache) recentByCalendar.set(calendar, (cache = new Map()));
  let weeks = cache.get(today);
  if (!weeks) cache.set(today, (weeks = readRecentWeeks(today, calendar)));
  return weeks;
}
function readRecentWeeks(today: IsoDate, calendar: SchoolCalendar) {
  const thisWeek = weekStart(today);
  // Only the recent school weeks are read: the work does not grow with the length of history.
  const recent = weeksBetween(addDays(thisWeek, -7 * 15), addDays(thisWeek, 4), calendar);
  const barWeeks = lastWeeks(recent, BAR_WEEKS);
  const trendWeeks = lastWeeks(
    recent.filter((w) => w < thisWeek),
    TREND_WEEKS,
  );
  return { thisWeek, barWeeks, trendWeeks, from: [...barWeeks, ...trendWeeks].sort()[0] ?? thisWeek };
}

/**
 * Reads, in a fixed number of queries whatever the number of teams, what the boards of these active WIGs need (team
 * WIGs, and the trust's and schools' own, which have lead measures too): their lead measures and targets, the entries
 * of the recent school weeks, the teams' headcounts, and the lag readings (all of them for a chart, or only the latest
 * for a summary).
 */
export function loadBoardFacts(
  db: Db,
  wigs: readonly Wig[],
  today: IsoDate,
  calendars: Iterable<SchoolCalendar>,
  readings: 'all' | 'latest',
): BoardFacts {
  const teamWigs = wigs.filter((w) => w.teamId !== null);
  const measures = listLeadMeasures(
    db,
    wigs.map((w) => w.id),
  );
  const ids = measures.map((m) => m.id);
  const thisWeek = weekStart(today);
  // Few distinct dates, many rows: each date's Monday is worked out once.
  const mondays = new Map<string, IsoDate>();
  const mondayOf = (date: string) => mondays.get(date) ?? mondays.set(date, weekStart(date)).get(date)!;
  const from = [...calendars].map((c) => recentWeeks(today, c).from).sort()[0] ?? thisWeek;
  return {
    wigsByTeam: groupBy(teamWigs, (w) => w.teamId!),
    measuresByWig: groupBy(measures, (m) => m.wigId),
    targets: targetsOf(db, ids),
    entriesByMeasure: byMeasureAndWeek(
      weekEntries(db, ids, from, thisWeek),
      (e) => e.week,
      (e) => e.value,
    ),
    daysByMeasure: byMeasureAndWeek(
      dayEntries(db, ids, from, addDays(thisWeek, 4)),
      (d) => mondayOf(d.date),
      (d) => d,
    ),
    people: activeHeadcounts(db, [...new Set(teamWigs.map((w) => w.teamId!))]),
    readings: readingsOfWigs(
      db,
      wigs.map((w) => w.id),
      readings === 'latest',
    ),
  };
}

/**
 * One WIG's board from facts already read (no I/O): the lag against its pace line, each lead measure this week, last
 * week and over the trend's weeks, and the WIG's verdict with its reason. `people` is the team's headcount (0 for the
 * trust's and schools' own WIGs).
 */
export function wigBoard(facts: BoardFacts, wig: Wig, people: number, today: IsoDate, calendar: SchoolCalendar) {
  const { thisWeek, barWeeks, trendWeeks } = recentWeeks(today, calendar);
  const lag = lagBoard(wig, facts.readings.get(wig.id) ?? [], calendar, today);
  const leads = (facts.measuresByWig.get(wig.id) ?? []).map((m) => {
    const periods = facts.targets.get(m.id) ?? [];
    const entries = facts.entriesByMeasure.get(m.id) ?? new Map<IsoDate, number[]>();
    const days = facts.daysByMeasure.get(m.id) ?? new Map<IsoDate, { date: string; kept: boolean }[]>();
    const figures = new Map<IsoDate, { week: IsoDate; value: number | null; target: number | null; status: Status }>();
    const weekFigure = (week: IsoDate) => {
      const known = figures.get(week);
      if (known) return known;
      const schoolDays = daysOfWeek(week, calendar).filter((d) => d <= today);
      const friday = addDays(week, 4);
      const marked = (days.get(week) ?? []).filter((d) => d.date <= friday);
      // A daily standard with nothing marked that week has no figure yet (not 0 %).
      const value =
        m.kind === 'daily' && marked.length === 0
          ? null
          : teamWeekValue({
              kind: m.kind,
              perPerson: m.perPerson,
              values: entries.get(week) ?? [],
              keptDays: marked.filter((d) => d.kept).length,
              schoolDays: schoolDays.length,
              people,
            });
      const target = targetForWeek(periods, week);
      const figure = { week, value, target, status: leadWeekStatus(value, target, m.direction) };
      figures.set(week, figure);
      return figure;
    };
    const bars = barWeeks.map(weekFigure);
    const recentFigures = trendWeeks.map(weekFigure);
    // Weeks with nothing entered count as not met: an empty week is not a winning one.
    const trend = {
      met: recentFigures.filter((f) => f.status === 'met').length,
      of: recentFigures.length,
      share: leadTrend(recentFigures, m.direction),
    };
    const lastWeek = recentFigures.at(-1) ?? null;
    const current = bars.find((b) => b.week === thisWeek) ?? null;
    const unit = m.kind === 'daily' ? '%' : m.unit;
    return {
      measure: m,
      unit,
      perPersonWord: m.kind === 'number' && m.perPerson ? ' each (average)' : '',
      current,
      lastWeek,
      status: lastWeek?.status ?? 'no_data',
      trend,
      bars: leadBars(bars),
    };
  });
  const judgement = judgeWig({
    lag: lag && {
      status: lag.status,
      reading: lag.latest ? withUnit(lag.latest.value, wig.unit) : undefined,
      pace: lag.latest ? withUnit(Math.round(lag.latest.expected * 10) / 10, wig.unit) : undefined,
    },
    // A lead measure with no number last week did not hit its target.
    leads: leads.map((l) => l.status),
  });
  return { wig, sentence: wigSentence(wig), lag, leads, judgement };
}

/** Everything a team's scoreboard shows, for each of its active WIGs, from facts already read: no I/O. */
export function boardsFromFacts(facts: BoardFacts, team: Pick<Team, 'id'>, today: IsoDate, calendar: SchoolCalendar) {
  const { thisWeek } = recentWeeks(today, calendar);
  const people = facts.people.get(team.id) ?? 0;
  const boards = (facts.wigsByTeam.get(team.id) ?? []).map((wig) => wigBoard(facts, wig, people, today, calendar));
  return { thisWeek, boards };
}

export type TeamBoard = ReturnType<typeof boardsFromFacts>['boards'][number];

/** Everything a team's scoreboard shows, for each of its active WIGs: reused wherever a team's status is summed up. */
export function teamBoards(
  db: Db,
  team: Team,
  today: IsoDate,
  calendar: SchoolCalendar = schoolCalendar(db, team.schoolId),
) {
  const wigs = listWigs(db, { level: 'team', schoolId: team.schoolId, teamId: team.id }, ['active']);
  return boardsFromFacts(loadBoardFacts(db, wigs, today, [calendar], 'all'), team, today, calendar);
}

/** What the scoreboard partials need besides the boards: words and shapes for statuses, the rules in words, formatting, the bars' box. */
export const scoreboardHelpers = {
  lagWords,
  leadWords,
  statusShapes,
  verdictWords,
  verdictShapes,
  rules: RULES,
  withUnit,
  formatNumber,
  formatDay,
  shortDate,
  weekLabel,
  barsBox: BARS_BOX,
  trendWeeks: TREND_WEEKS,
};
