// Execution health read from the database: a team's, a school's (by team) and the trust's (by school), reading only the period's rows.
import { and, asc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { academicYears, commitments, leadDayEntries, leadEntries, leadMeasures, pathRequests, people, roleAssignments, terms, wigSessions, wigs } from '../schema.ts';
import { addDays, localDate, weekStart, zonedInstant, type DateRange, type IsoDate, type SchoolCalendar } from '../../domain/calendar.ts';
import { combine, teamHealth as figuresOf, termsWithin, type HealthFigures, type NamedPeriod } from '../../domain/health.ts';
import { schoolCalendars } from './calendar.ts';
import { listSchools, listTeams, type Team } from './schools.ts';

type SchoolRow = ReturnType<typeof listSchools>[number];
import { getTrustSettings } from './trust.ts';

const timeZoneOf = (db: Db) => getTrustSettings(db)?.timeZone ?? 'Europe/London';

/** The academic year a date falls in (or null between years). */
export function academicYearOf(db: Db, date: IsoDate) {
  return db.select().from(academicYears).where(and(lte(academicYears.startDate, date), gte(academicYears.endDate, date))).get() ?? null;
}

/** The half-terms of the calendar, oldest first. */
export const listTerms = (db: Db): NamedPeriod[] =>
  db.select({ name: terms.name, start: terms.startDate, end: terms.endDate }).from(terms).orderBy(asc(terms.startDate)).all();

/** The default period: this academic year's school weeks so far (or the last twelve weeks when no year is set up). */
export function defaultHealthPeriod(db: Db, today: IsoDate): DateRange {
  const year = academicYearOf(db, today);
  return { start: year?.startDate ?? addDays(weekStart(today), -7 * 11), end: today };
}

/** The periods a person may pick: this year so far, and each half-term of this year that has begun. */
export function healthPeriodChoices(db: Db, today: IsoDate): (NamedPeriod & { key: string })[] {
  const year = academicYearOf(db, today);
  const whole = { key: 'year', name: 'This academic year so far', ...defaultHealthPeriod(db, today) };
  if (!year) return [whole];
  const halfTerms = termsWithin(listTerms(db), { start: year.startDate, end: today }).map((t) => ({ ...t, key: t.start }));
  return [whole, ...halfTerms];
}

/** Everything one team's figures are worked out from, read once for the whole period. */
function teamRows(db: Db, team: Team, period: DateRange, timeZone: string) {
  const from = weekStart(period.start);
  const measures = db
    .select({ id: leadMeasures.id, kind: leadMeasures.kind, perPerson: leadMeasures.perPerson, createdAt: leadMeasures.createdAt })
    .from(leadMeasures)
    .innerJoin(wigs, eq(wigs.id, leadMeasures.wigId))
    .where(and(eq(wigs.teamId, team.id), eq(wigs.level, 'team'), eq(wigs.status, 'active'), eq(leadMeasures.status, 'active')))
    .all();
  const ids = measures.map((m) => m.id);
  const members = db
    .select({ personId: roleAssignments.personId, since: roleAssignments.createdAt })
    .from(roleAssignments)
    .innerJoin(people, eq(people.id, roleAssignments.personId))
    .where(and(eq(roleAssignments.teamId, team.id), isNull(people.disabledAt), or(eq(roleAssignments.role, 'team_leader'), eq(roleAssignments.role, 'team_member'))))
    .all();
  const entries = ids.length
    ? db
        .select({ leadMeasureId: leadEntries.leadMeasureId, week: leadEntries.week, personId: leadEntries.personId, enteredAt: leadEntries.enteredAt })
        .from(leadEntries)
        .where(and(inArray(leadEntries.leadMeasureId, ids), gte(leadEntries.week, from), lte(leadEntries.week, period.end)))
        .all()
    : [];
  const dayEntries = ids.length
    ? db
        .select({ leadMeasureId: leadDayEntries.leadMeasureId, date: leadDayEntries.date, personId: leadDayEntries.personId, enteredAt: leadDayEntries.enteredAt })
        .from(leadDayEntries)
        .where(and(inArray(leadDayEntries.leadMeasureId, ids), gte(leadDayEntries.date, from), lte(leadDayEntries.date, period.end)))
        .all()
    : [];
  const held = db
    .select({ week: wigSessions.week })
    .from(wigSessions)
    .where(and(eq(wigSessions.teamId, team.id), gte(wigSessions.week, from), lte(wigSessions.week, period.end)))
    .all();
  const made = db
    .select({ week: commitments.week, outcome: commitments.outcome })
    .from(commitments)
    .where(and(eq(commitments.teamId, team.id), gte(commitments.week, from), lte(commitments.week, period.end)))
    .all();
  const raised = db
    .select({ week: pathRequests.week, status: pathRequests.status })
    .from(pathRequests)
    .where(and(eq(pathRequests.teamId, team.id), gte(pathRequests.week, from), lte(pathRequests.week, period.end)))
    .all();
  // A member is due from when they joined the team, or from the first week they entered a number for if that is earlier
  // (people are often added to wigboard after they joined the team, and their numbers carried over).
  const firstWeek = new Map<number, IsoDate>();
  for (const e of [...entries, ...dayEntries.map((d) => ({ ...d, week: weekStart(d.date) }))]) {
    if (e.personId !== null && (firstWeek.get(e.personId) ?? '9999') > e.week) firstWeek.set(e.personId, e.week);
  }
  const dueFrom = members.map((m) => {
    const week = firstWeek.get(m.personId);
    return week === undefined ? m : { ...m, since: Math.min(m.since, zonedInstant(week, '00:00', timeZone)) };
  });
  return { measures, members: dueFrom, entries, dayEntries, heldWeeks: new Set(held.map((h) => h.week)), commitments: made, pathRequests: raised };
}

interface Clock {
  now: number;
  timeZone: string;
  today: IsoDate;
}

const clockOf = (db: Db, now: number): Clock => {
  const timeZone = timeZoneOf(db);
  return { now, timeZone, today: localDate(now, timeZone) };
};

/** A period never reaches past today: the future owes nothing yet. */
const clip = (period: DateRange, today: IsoDate): DateRange => ({ start: period.start, end: period.end < today ? period.end : today });

/** One team's figures for the whole period and for each half-term within it. */
function teamFiguresByTerm(db: Db, team: Team, period: DateRange, clock: Clock, calendar: SchoolCalendar, halfTerms: readonly NamedPeriod[]) {
  const rows = teamRows(db, team, period, clock.timeZone);
  const figures = (p: DateRange) => figuresOf({ ...rows, slot: team, calendar, timeZone: clock.timeZone, period: p, today: clock.today, now: clock.now });
  return { figures: figures(period), trend: halfTerms.map((t) => figures(t)) };
}

export interface HealthTrendRow extends NamedPeriod {
  figures: HealthFigures;
}

export interface TeamHealthResult {
  period: DateRange;
  figures: HealthFigures;
  trend: HealthTrendRow[];
}

/** Many teams at once, their calendars read in one go. */
function teamsHealth(db: Db, teams: readonly Team[], period: DateRange, now: number) {
  const clock = clockOf(db, now);
  const clipped = clip(period, clock.today);
  const calendars = schoolCalendars(db, [...new Set(teams.map((t) => t.schoolId))]);
  const halfTerms = termsWithin(listTerms(db), clipped);
  const perTeam = teams.map((team) => ({ team, ...teamFiguresByTerm(db, team, clipped, clock, calendars.get(team.schoolId)!, halfTerms) }));
  return { period: clipped, halfTerms, perTeam };
}

const trendOf = (halfTerms: readonly NamedPeriod[], perTeam: readonly { trend: HealthFigures[] }[]): HealthTrendRow[] =>
  halfTerms.map((t, i) => ({ ...t, figures: combine(perTeam.map((p) => p.trend[i]!)) }));

/** A team's execution health over a period (clipped to today), with its trend by half-term. */
export function teamHealth(db: Db, team: Team, period: DateRange, now: number): TeamHealthResult {
  const { period: clipped, halfTerms, perTeam } = teamsHealth(db, [team], period, now);
  return { period: clipped, figures: perTeam[0]!.figures, trend: trendOf(halfTerms, perTeam) };
}

/** A school's execution health: its teams' numbers added up, with each team's own figures. */
export function schoolHealth(db: Db, schoolId: number, period: DateRange, now: number): TeamHealthResult & { teams: { team: Team; figures: HealthFigures }[] } {
  const { period: clipped, halfTerms, perTeam } = teamsHealth(db, listTeams(db, schoolId), period, now);
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
): TeamHealthResult & { schools: { school: SchoolRow; figures: HealthFigures }[]; trustTeams: { team: Team; figures: HealthFigures }[] } {
  const schools = listSchools(db);
  const teams = [...schools.flatMap((s) => listTeams(db, s.id)), ...listTeams(db, null)];
  const { period: clipped, halfTerms, perTeam } = teamsHealth(db, teams, period, now);
  return {
    period: clipped,
    figures: combine(perTeam.map((p) => p.figures)),
    trend: trendOf(halfTerms, perTeam),
    schools: schools.map((school) => ({ school, figures: combine(perTeam.filter((p) => p.team.schoolId === school.id).map((p) => p.figures)) })),
    trustTeams: perTeam.filter((p) => p.team.schoolId === null).map((p) => ({ team: p.team, figures: p.figures })),
  };
}
