// People, their role assignments, and everything that ends their sessions.
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Assignment } from '../../domain/access.ts';
import { writeTransaction, type Db } from '../connection.ts';
import { people, roleAssignments, schools, teams, signInSessions } from '../schema.ts';
import type { RoleKind } from '../../domain/access.ts';
import { recordAudit } from './audit.ts';
import { prepared } from '../prepared.ts';

export type Person = typeof people.$inferSelect;

export const findPerson = (db: Db, id: number) =>
  prepared(db, 'findPerson', () =>
    db
      .select()
      .from(people)
      .where(eq(people.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id }) ?? null;
export const findPersonByEmail = (db: Db, email: string) =>
  db.select().from(people).where(eq(people.email, email.toLowerCase())).get() ?? null;

export const countPeople = (db: Db) => db.select({ n: sql<number>`count(*)` }).from(people).get()?.n ?? 0;

export function listPeople(db: Db, search = '') {
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select({
      id: people.id,
      name: people.name,
      email: people.email,
      disabledAt: people.disabledAt,
      hasPassword: sql<number>`${people.passwordHash} is not null`,
    })
    .from(people)
    .where(
      search
        ? or(sql`${people.name} like ${pattern} escape '\\'`, sql`${people.email} like ${pattern} escape '\\'`)
        : undefined,
    )
    .orderBy(asc(people.name))
    .all();
}

/** Active people, for choosing someone to add to a team. */
export const listActivePeople = (db: Db) =>
  db
    .select({ id: people.id, name: people.name, email: people.email })
    .from(people)
    .where(isNull(people.disabledAt))
    .orderBy(asc(people.name))
    .all();

export function assignmentsOf(db: Db, personId: number): Assignment[] {
  return prepared(db, 'assignmentsOf', () =>
    db
      .select({
        id: roleAssignments.id,
        role: roleAssignments.role,
        title: roleAssignments.title,
        schoolId: roleAssignments.schoolId,
        teamId: roleAssignments.teamId,
      })
      .from(roleAssignments)
      .where(eq(roleAssignments.personId, sql.placeholder('personId')))
      .prepare(),
  ).all({ personId });
}

/** A person's assignments with the names of their school or team, for display. */
export function describedAssignments(db: Db, personId: number) {
  return db
    .select({
      id: roleAssignments.id,
      role: roleAssignments.role,
      title: roleAssignments.title,
      schoolId: roleAssignments.schoolId,
      teamId: roleAssignments.teamId,
      schoolName: schools.name,
      teamName: teams.name,
      teamSchoolId: teams.schoolId,
    })
    .from(roleAssignments)
    .leftJoin(schools, eq(schools.id, roleAssignments.schoolId))
    .leftJoin(teams, eq(teams.id, roleAssignments.teamId))
    .where(eq(roleAssignments.personId, personId))
    .orderBy(asc(roleAssignments.role), asc(schools.name), asc(teams.name))
    .all();
}

export function teamRoster(db: Db, teamId: number) {
  return db
    .select({
      assignmentId: roleAssignments.id,
      personId: people.id,
      name: people.name,
      email: people.email,
      role: roleAssignments.role,
      title: roleAssignments.title,
      disabledAt: people.disabledAt,
    })
    .from(roleAssignments)
    .innerJoin(people, eq(people.id, roleAssignments.personId))
    .where(eq(roleAssignments.teamId, teamId))
    .orderBy(sql`${roleAssignments.role} = 'team_member'`, asc(people.name))
    .all();
}

export function schoolLeaders(db: Db, schoolId: number) {
  return db
    .select({ assignmentId: roleAssignments.id, personId: people.id, name: people.name, title: roleAssignments.title })
    .from(roleAssignments)
    .innerJoin(people, eq(people.id, roleAssignments.personId))
    .where(and(eq(roleAssignments.role, 'school_leader'), eq(roleAssignments.schoolId, schoolId)))
    .orderBy(asc(people.name))
    .all();
}

export interface PersonInput {
  name: string;
  email: string;
}

export function createPerson(
  db: Db,
  actorId: number | null,
  input: PersonInput,
  passwordHash: string | null = null,
): number {
  return writeTransaction(db, (tx) => {
    const row = tx
      .insert(people)
      .values({ name: input.name, email: input.email.toLowerCase(), passwordHash })
      .returning({ id: people.id })
      .get();
    recordAudit(tx, {
      actorId,
      action: 'create',
      entity: 'person',
      entityId: row.id,
      after: { name: input.name, email: input.email.toLowerCase() },
    });
    return row.id;
  });
}

export function updatePerson(db: Db, actorId: number | null, id: number, input: PersonInput): void {
  writeTransaction(db, (tx) => {
    const before = tx.select({ name: people.name, email: people.email }).from(people).where(eq(people.id, id)).get();
    const after = { name: input.name, email: input.email.toLowerCase() };
    tx.update(people).set(after).where(eq(people.id, id)).run();
    recordAudit(tx, { actorId, action: 'update', entity: 'person', entityId: id, before, after });
  });
}

export function emailTaken(db: Db, email: string, exceptId?: number): boolean {
  const found = findPersonByEmail(db, email);
  return found !== null && found.id !== exceptId;
}

/** Disabling ends every session of that person in the same transaction: they are signed out at once. */
export function setDisabled(db: Db, actorId: number | null, id: number, disabled: boolean): void {
  writeTransaction(db, (tx) => {
    const before = tx.select({ disabledAt: people.disabledAt }).from(people).where(eq(people.id, id)).get();
    const disabledAt = disabled ? (before?.disabledAt ?? Date.now()) : null;
    tx.update(people).set({ disabledAt }).where(eq(people.id, id)).run();
    if (disabled) tx.delete(signInSessions).where(eq(signInSessions.personId, id)).run();
    recordAudit(tx, {
      actorId,
      action: disabled ? 'disable' : 'enable',
      entity: 'person',
      entityId: id,
      before,
      after: { disabledAt },
    });
  });
}

export function addAssignment(
  db: Db,
  actorId: number | null,
  personId: number,
  a: { role: RoleKind; title: string | null; schoolId: number | null; teamId: number | null },
): number | null {
  return writeTransaction(db, (tx) => {
    const existing = tx
      .select({ id: roleAssignments.id })
      .from(roleAssignments)
      .where(
        and(
          eq(roleAssignments.personId, personId),
          a.teamId !== null
            ? eq(roleAssignments.teamId, a.teamId)
            : a.schoolId !== null
              ? eq(roleAssignments.schoolId, a.schoolId)
              : and(eq(roleAssignments.role, a.role), isNull(roleAssignments.schoolId), isNull(roleAssignments.teamId)),
        ),
      )
      .get();
    if (existing) return null;
    const row = tx
      .insert(roleAssignments)
      .values({ personId, ...a })
      .returning({ id: roleAssignments.id })
      .get();
    recordAudit(tx, { actorId, action: 'assign', entity: 'person', entityId: personId, after: a });
    return row.id;
  });
}

export function findAssignment(db: Db, id: number) {
  return db.select().from(roleAssignments).where(eq(roleAssignments.id, id)).get() ?? null;
}

export function removeAssignment(db: Db, actorId: number | null, id: number): void {
  writeTransaction(db, (tx) => {
    const before = tx.select().from(roleAssignments).where(eq(roleAssignments.id, id)).get();
    if (!before) return;
    tx.delete(roleAssignments).where(eq(roleAssignments.id, id)).run();
    recordAudit(tx, {
      actorId,
      action: 'unassign',
      entity: 'person',
      entityId: before.personId,
      before: { role: before.role, title: before.title, schoolId: before.schoolId, teamId: before.teamId },
    });
  });
}

export const countTrustAdmins = (db: Db) =>
  db
    .select({ n: sql<number>`count(*)` })
    .from(roleAssignments)
    .innerJoin(people, eq(people.id, roleAssignments.personId))
    .where(and(eq(roleAssignments.role, 'trust_admin'), isNull(people.disabledAt)))
    .get()?.n ?? 0;

/** Makes a person (new, or found by email) a trust admin, from the command line: one transaction, audited. */
export function makeTrustAdmin(db: Db, input: { name: string; email: string }): number {
  return writeTransaction(db, (tx) => {
    const existing = tx.select({ id: people.id }).from(people).where(eq(people.email, input.email)).get();
    const id = existing?.id ?? tx.insert(people).values(input).returning({ id: people.id }).get().id;
    tx.insert(roleAssignments).values({ personId: id, role: 'trust_admin' }).onConflictDoNothing().run();
    recordAudit(tx, {
      actorId: null,
      action: 'create_admin',
      entity: 'person',
      entityId: id,
      after: { email: input.email },
    });
    return id;
  });
}
