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
/** Groups rows by a key, keeping their order. */
function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** Everything health needs for many teams, read in seven queries whatever the number of teams, for the period's weeks only. */
function teamsRows(db: Db, teamIds: readonly number[], period: DateRange, timeZone: string) {
  const ids = [...teamIds];
  const from = weekStart(period.start);
  const measures = ids.length
    ? db
        .select({ teamId: wigs.teamId, id: leadMeasures.id, kind: leadMeasures.kind, perPerson: leadMeasures.perPerson, createdAt: leadMeasures.createdAt })
        .from(leadMeasures)
        .innerJoin(wigs, eq(wigs.id, leadMeasures.wigId))
        .where(and(inArray(wigs.teamId, ids), eq(wigs.level, 'team'), eq(wigs.status, 'active'), eq(leadMeasures.status, 'active')))
        .all()
    : [];
  const measureIds = measures.map((m) => m.id);
  const teamOfMeasure = new Map(measures.map((m) => [m.id, m.teamId!]));
  const members = ids.length
    ? db
        .select({ teamId: roleAssignments.teamId, personId: roleAssignments.personId, since: roleAssignments.createdAt })
        .from(roleAssignments)
        .innerJoin(people, eq(people.id, roleAssignments.personId))
        .where(and(inArray(roleAssignments.teamId, ids), isNull(people.disabledAt), or(eq(roleAssignments.role, 'team_leader'), eq(roleAssignments.role, 'team_member'))))
        .all()
    : [];
  const entries = measureIds.length
    ? db
        .select({ leadMeasureId: leadEntries.leadMeasureId, week: leadEntries.week, personId: leadEntries.personId, enteredAt: leadEntries.enteredAt })
        .from(leadEntries)
        .where(and(inArray(leadEntries.leadMeasureId, measureIds), gte(leadEntries.week, from), lte(leadEntries.week, period.end)))
        .all()
    : [];
  const dayEntries = measureIds.length
    ? db
        .select({ leadMeasureId: leadDayEntries.leadMeasureId, date: leadDayEntries.date, personId: leadDayEntries.personId, enteredAt: leadDayEntries.enteredAt })
        .from(leadDayEntries)
        .where(and(inArray(leadDayEntries.leadMeasureId, measureIds), gte(leadDayEntries.date, from), lte(leadDayEntries.date, period.end)))
        .all()
    : [];
  const held = ids.length
    ? db.select({ teamId: wigSessions.teamId, week: wigSessions.week }).from(wigSessions).where(and(inArray(wigSessions.teamId, ids), gte(wigSessions.week, from), lte(wigSessions.week, period.end))).all()
    : [];
  const made = ids.length
    ? db
        .select({ teamId: commitments.teamId, week: commitments.week, outcome: commitments.outcome })
        .from(commitments)
        .where(and(inArray(commitments.teamId, ids), gte(commitments.week, from), lte(commitments.week, period.end)))
        .all()
    : [];
  const raised = ids.length
    ? db
        .select({ teamId: pathRequests.teamId, week: pathRequests.week, status: pathRequests.status })
        .from(pathRequests)
        .where(and(inArray(pathRequests.teamId, ids), gte(pathRequests.week, from), lte(pathRequests.week, period.end)))
        .all()
    : [];

  const measuresBy = groupBy(measures, (m) => m.teamId!);
  const membersBy = groupBy(members, (m) => m.teamId!);
  const entriesBy = groupBy(entries, (e) => teamOfMeasure.get(e.leadMeasureId)!);
  const dayEntriesBy = groupBy(dayEntries, (d) => teamOfMeasure.get(d.leadMeasureId)!);
  const heldBy = groupBy(held, (h) => h.teamId);
  const madeBy = groupBy(made, (c) => c.teamId);
  const raisedBy = groupBy(raised, (r) => r.teamId);

  return new Map(
    ids.map((teamId) => {
      const teamEntries = entriesBy.get(teamId) ?? [];
      const teamDayEntries = dayEntriesBy.get(teamId) ?? [];
      // A member is due from when they joined the team, or from the first week they entered a number for if that is earlier
      // (people are often added to wigboard after they joined the team, and their numbers carried over).
      const firstWeek = new Map<number, IsoDate>();
      for (const e of [...teamEntries, ...teamDayEntries.map((d) => ({ ...d, week: weekStart(d.date) }))]) {
        if (e.personId !== null && (firstWeek.get(e.personId) ?? '9999') > e.week) firstWeek.set(e.personId, e.week);
      }
      const dueFrom = (membersBy.get(teamId) ?? []).map(({ personId, since }) => {
        const week = firstWeek.get(personId);
        return { personId, since: week === undefined ? since : Math.min(since, zonedInstant(week, '00:00', timeZone)) };
      });
      const rows = {
        measures: (measuresBy.get(teamId) ?? []).map(({ id, kind, perPerson, createdAt }) => ({ id, kind, perPerson, createdAt })),
        members: dueFrom,
        entries: teamEntries,
        dayEntries: teamDayEntries,
        heldWeeks: new Set((heldBy.get(teamId) ?? []).map((h) => h.week)),
        commitments: (madeBy.get(teamId) ?? []).map(({ week, outcome }) => ({ week, outcome })),
        pathRequests: (raisedBy.get(teamId) ?? []).map(({ week, status }) => ({ week, status })),
      };
      return [teamId, rows] as const;
    }),
  );
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
function teamFiguresByTerm(rows: ReturnType<typeof teamsRows> extends Map<number, infer R> ? R : never, team: Team, period: DateRange, clock: Clock, calendar: SchoolCalendar, halfTerms: readonly NamedPeriod[]) {
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
  const rows = teamsRows(db, teams.map((t) => t.id), clipped, clock.timeZone);
  const perTeam = teams.map((team) => ({ team, ...teamFiguresByTerm(rows.get(team.id)!, team, clipped, clock, calendars.get(team.schoolId)!, halfTerms) }));
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
