// Execution health as a page shows it: a team's, a school's (by team) and the trust's (by school), over a period of
// school weeks with the trend by half-term, worked out by src/domain/health.ts from rows read for the period only.
import type { Db } from '../db/connection.ts';
import { academicYearOf, academicYearSoFar, listTerms, schoolCalendars } from '../db/queries/calendar.ts';
import { healthRows, type HealthRows } from '../db/queries/health.ts';
import { listSchools, listTeams, type Team } from '../db/queries/schools.ts';
import { localDate, type DateRange, type IsoDate, type SchoolCalendar } from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import {
  combine,
  healthRules,
  membersDueFrom,
  percent,
  ratioKeys,
  ratioLabels,
  ratioWords,
  teamHealthFigures,
  termsWithin,
  type HealthFigures,
  type NamedPeriod,
} from '../domain/health.ts';

type SchoolRow = ReturnType<typeof listSchools>[number];

/** The periods a person may pick: this year so far, and each half-term of this year that has begun. */
export function healthPeriodChoices(db: Db, today: IsoDate): (NamedPeriod & { key: string })[] {
  const year = academicYearOf(db, today);
  const whole = { key: 'year', name: 'This academic year so far', ...academicYearSoFar(db, today) };
  if (!year) return [whole];
  const halfTerms = termsWithin(listTerms(db), { start: year.startDate, end: today }).map((t) => ({
    ...t,
    key: t.start,
  }));
  return [whole, ...halfTerms];
}

interface Clock {
  now: number;
  timeZone: string;
  today: IsoDate;
}

/** Now, in the trust's time zone (from its settings, as every caller has them). */
const clockOf = (now: number, timeZone: string): Clock => ({ now, timeZone, today: localDate(now, timeZone) });

/** A period never reaches past today: the future owes nothing yet. */
const clip = (period: DateRange, today: IsoDate): DateRange => ({
  start: period.start,
  end: period.end < today ? period.end : today,
});

/** One team's figures for the whole period and for each half-term within it. */
function teamFiguresByTerm(
  rows: HealthRows,
  team: Team,
  period: DateRange,
  clock: Clock,
  calendar: SchoolCalendar,
  halfTerms: readonly NamedPeriod[],
) {
  const members = membersDueFrom(rows.members, rows.entries, rows.dayEntries, clock.timeZone);
  const figures = (p: DateRange) =>
    teamHealthFigures({
      ...rows,
      members,
      slot: team,
      calendar,
      timeZone: clock.timeZone,
      period: p,
      today: clock.today,
      now: clock.now,
    });
  return { figures: figures(period), trend: halfTerms.map((t) => figures(t)) };
}

interface HealthTrendRow extends NamedPeriod {
  figures: HealthFigures;
}

export interface TeamHealthResult {
  period: DateRange;
  figures: HealthFigures;
  trend: HealthTrendRow[];
}

/** Many teams at once, their calendars read in one go. */
function teamsHealth(db: Db, teams: readonly Team[], period: DateRange, now: number, timeZone: string) {
  const clock = clockOf(now, timeZone);
  const clipped = clip(period, clock.today);
  const calendars = schoolCalendars(db, [...new Set(teams.map((t) => t.schoolId))]);
  const halfTerms = termsWithin(listTerms(db), clipped);
  const rows = healthRows(
    db,
    teams.map((t) => t.id),
    clipped,
  );
  const perTeam = teams.map((team) => ({
    team,
    ...teamFiguresByTerm(rows.get(team.id)!, team, clipped, clock, calendars.get(team.schoolId)!, halfTerms),
  }));
  return { period: clipped, halfTerms, perTeam };
}

const trendOf = (halfTerms: readonly NamedPeriod[], perTeam: readonly { trend: HealthFigures[] }[]): HealthTrendRow[] =>
  halfTerms.map((t, i) => ({ ...t, figures: combine(perTeam.map((p) => p.trend[i]!)) }));

/** A team's execution health over a period (clipped to today), with its trend by half-term. */
export function teamHealth(db: Db, team: Team, period: DateRange, now: number, timeZone: string): TeamHealthResult {
  const { period: clipped, halfTerms, perTeam } = teamsHealth(db, [team], period, now, timeZone);
  return { period: clipped, figures: perTeam[0]!.figures, trend: trendOf(halfTerms, perTeam) };
}

/** A school's execution health: its teams' numbers added up, with each team's own figures. */
export function schoolHealth(
  db: Db,
  schoolId: number,
  period: DateRange,
  now: number,
  timeZone: string,
): TeamHealthResult & { teams: { team: Team; figures: HealthFigures }[] } {
  const { period: clipped, halfTerms, perTeam } = teamsHealth(db, listTeams(db, schoolId), period, now, timeZone);
  return {
    period: clipped,
    figures: combine(perTeam.map((p) => p.figures)),
    trend: trendOf(halfTerms, perTeam),
    teams: perTeam.map((p) => ({ team: p.team, figures: p.figures })),
  };
}

/** The trust's execution health: every team's numbers added up, with each school's figures and each trust team's. */
export function trustHealth(
  db: Db,
  period: DateRange,
  now: number,
  timeZone: string,
): TeamHealthResult & {
  schools: { school: SchoolRow; figures: HealthFigures }[];
  trustTeams: { team: Team; figures: HealthFigures }[];
} {
  const schools = listSchools(db);
  const teams = [...schools.flatMap((s) => listTeams(db, s.id)), ...listTeams(db, null)];
  const { period: clipped, halfTerms, perTeam } = teamsHealth(db, teams, period, now, timeZone);
  return {
    period: clipped,
    figures: combine(perTeam.map((p) => p.figures)),
    trend: trendOf(halfTerms, perTeam),
    schools: schools.map((school) => ({
      school,
      figures: combine(perTeam.filter((p) => p.team.schoolId === school.id).map((p) => p.figures)),
    })),
    trustTeams: perTeam.filter((p) => p.team.schoolId === null).map((p) => ({ team: p.team, figures: p.figures })),
  };
}

interface HealthBreakdownRow {
  name: string;
  href: string | null;
  figures: HealthFigures;
}

/** What the health partial shows, whoever it is about. */
export interface HealthView {
  url: string;
  about: string;
  period: DateRange;
  choices: { key: string; name: string }[];
  selected: string;
  figures: HealthFigures;
  trend: HealthTrendRow[];
  breakdown: { heading: string; rows: HealthBreakdownRow[] } | null;
}

/** The helpers the partial formats with, passed alongside the view. */
export const healthHelpers = { ratioKeys, ratioLabels, ratioWords, percent, healthRules, formatDay };
