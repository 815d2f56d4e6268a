// Schools and their teams: reads for pages, writes with their audit rows.
import { and, asc, count, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { writeTransaction, type Db } from '../connection.ts';
import { roleAssignments, schools, teams } from '../schema.ts';
import { recordAudit } from './audit.ts';
import { prepared } from '../prepared.ts';

export type School = typeof schools.$inferSelect;
export type Team = typeof teams.$inferSelect;
export interface SchoolInput {
  name: string;
  urn: string | null;
}
export interface TeamInput {
  name: string;
  sessionWeekday: number;
  sessionTime: string;
  sessionMinutes: number;
}

// Looked up on most requests (the auth plugin resolves :schoolId and :teamId): compiled once per connection.
export const findSchool = (db: Db, id: number) =>
  prepared(db, 'findSchool', () =>
    db
      .select()
      .from(schools)
      .where(eq(schools.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id }) ?? null;
export const findTeam = (db: Db, id: number) =>
  prepared(db, 'findTeam', () =>
    db
      .select()
      .from(teams)
      .where(eq(teams.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id }) ?? null;

export function listSchools(db: Db, ids?: readonly number[]) {
  if (ids && ids.length === 0) return [];
  const teamCount = db
    .select({ schoolId: teams.schoolId, n: count().as('n') })
    .from(teams)
    .groupBy(teams.schoolId)
    .as('team_count');
  return db
    .select({
      id: schools.id,
      name: schools.name,
      urn: schools.urn,
      teamCount: sql<number>`coalesce(${teamCount.n}, 0)`,
    })
    .from(schools)
    .leftJoin(teamCount, eq(teamCount.schoolId, schools.id))
    .where(ids ? inArray(schools.id, [...ids]) : undefined)
    .orderBy(asc(schools.name))
    .all();
}

/** Teams of one school, the trust's own teams when schoolId is null, or every team of the trust when it is left out; by name. */
export function listTeams(db: Db, schoolId?: number | null) {
  return db
    .select()
    .from(teams)
    .where(
      schoolId === undefined ? undefined : schoolId === null ? isNull(teams.schoolId) : eq(teams.schoolId, schoolId),
    )
    .orderBy(asc(teams.name))
    .all();
}

export function listTeamsByIds(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: teams.id,
      name: teams.name,
      schoolId: teams.schoolId,
      schoolName: schools.name,
      sessionWeekday: teams.sessionWeekday,
      sessionTime: teams.sessionTime,
      sessionMinutes: teams.sessionMinutes,
    })
    .from(teams)
    .leftJoin(schools, eq(schools.id, teams.schoolId))
    .where(inArray(teams.id, [...ids]))
    .orderBy(asc(schools.name), asc(teams.name))
    .all();
}

export function schoolNameTaken(db: Db, name: string, exceptId?: number): boolean {
  return (
    db
      .select({ id: schools.id })
      .from(schools)
      .where(and(sql`lower(${schools.name}) = lower(${name})`, exceptId ? ne(schools.id, exceptId) : undefined))
      .get() !== undefined
  );
}

export function urnTaken(db: Db, urn: string, exceptId?: number): boolean {
  return (
    db
      .select({ id: schools.id })
      .from(schools)
      .where(and(eq(schools.urn, urn), exceptId ? ne(schools.id, exceptId) : undefined))
      .get() !== undefined
  );
}

export function createSchool(db: Db, actorId: number | null, input: SchoolInput): number {
  return writeTransaction(db, (tx) => {
    const row = tx.insert(schools).values(input).returning({ id: schools.id }).get();
    recordAudit(tx, { actorId, action: 'create', entity: 'school', entityId: row.id, after: input });
    return row.id;
  });
}

export function updateSchool(db: Db, actorId: number | null, id: number, input: SchoolInput): void {
  writeTransaction(db, (tx) => {
    const before = tx.select({ name: schools.name, urn: schools.urn }).from(schools).where(eq(schools.id, id)).get();
    tx.update(schools).set(input).where(eq(schools.id, id)).run();
    recordAudit(tx, { actorId, action: 'update', entity: 'school', entityId: id, before, after: input });
  });
}

export function teamNameTaken(db: Db, schoolId: number | null, name: string, exceptId?: number): boolean {
  return (
    db
      .select({ id: teams.id })
      .from(teams)
      .where(
        and(
          schoolId === null ? isNull(teams.schoolId) : eq(teams.schoolId, schoolId),
          sql`lower(${teams.name}) = lower(${name})`,
          exceptId ? ne(teams.id, exceptId) : undefined,
        ),
      )
      .get() !== undefined
  );
}

export function createTeam(db: Db, actorId: number | null, schoolId: number | null, input: TeamInput): number {
  return writeTransaction(db, (tx) => {
    const row = tx
      .insert(teams)
      .values({ ...input, schoolId })
      .returning({ id: teams.id })
      .get();
    recordAudit(tx, { actorId, action: 'create', entity: 'team', entityId: row.id, after: { ...input, schoolId } });
    return row.id;
  });
}

export function updateTeam(db: Db, actorId: number | null, id: number, input: TeamInput): void {
  writeTransaction(db, (tx) => {
    const before = tx
      .select({
        name: teams.name,
        sessionWeekday: teams.sessionWeekday,
        sessionTime: teams.sessionTime,
        sessionMinutes: teams.sessionMinutes,
      })
      .from(teams)
      .where(eq(teams.id, id))
      .get();
    tx.update(teams).set(input).where(eq(teams.id, id)).run();
    recordAudit(tx, { actorId, action: 'update', entity: 'team', entityId: id, before, after: input });
  });
}

/** How many people hold a role in each team, for lists. */
export function teamHeadcounts(db: Db, teamIds: readonly number[]): Map<number, number> {
  if (teamIds.length === 0) return new Map();
  const rows = db
    .select({ teamId: roleAssignments.teamId, n: count() })
    .from(roleAssignments)
    .where(inArray(roleAssignments.teamId, [...teamIds]))
    .groupBy(roleAssignments.teamId)
    .all();
  return new Map(rows.map((r) => [r.teamId as number, r.n]));
}
