// The weekly WIG session's records: a held session per team and week, attendance, commitments and their outcomes, path requests.
import { and, asc, desc, eq, gt, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import { writeTransaction, type Db } from '../connection.ts';
import {
  commitments,
  leadMeasures,
  pathRequests,
  people,
  roleAssignments,
  sessionAttendance,
  teams,
  wigSessions,
} from '../schema.ts';
import type { CommitmentOutcome } from '../../domain/commitments.ts';
import { recordAudit } from './audit.ts';

export type PathRequest = typeof pathRequests.$inferSelect;

/** How far back a session looks for commitments still to account for (a missed session or two, not a whole term). */
export const ACCOUNT_LOOKBACK_DAYS = 28;

export const findWigSession = (db: Db, teamId: number, week: string) =>
  db
    .select()
    .from(wigSessions)
    .where(and(eq(wigSessions.teamId, teamId), eq(wigSessions.week, week)))
    .get() ?? null;

export const attendanceOf = (db: Db, sessionId: number) =>
  db
    .select({ personId: sessionAttendance.personId, present: sessionAttendance.present })
    .from(sessionAttendance)
    .where(eq(sessionAttendance.sessionId, sessionId))
    .all();

/** The held sessions of these teams from a week on (newest first), for "last session" lines. */
export function heldWigSessions(db: Db, teamIds: readonly number[], fromWeek = '0000-00-00') {
  if (teamIds.length === 0) return [];
  return db
    .select()
    .from(wigSessions)
    .where(and(inArray(wigSessions.teamId, [...teamIds]), gte(wigSessions.week, fromWeek)))
    .orderBy(desc(wigSessions.week))
    .all();
}

/** Which of these sessions a person was marked absent from. */
export function absentFrom(db: Db, personId: number, sessionIds: readonly number[]): Set<number> {
  if (sessionIds.length === 0) return new Set();
  const rows = db
    .select({ sessionId: sessionAttendance.sessionId })
    .from(sessionAttendance)
    .where(
      and(
        eq(sessionAttendance.personId, personId),
        eq(sessionAttendance.present, false),
        inArray(sessionAttendance.sessionId, [...sessionIds]),
      ),
    )
    .all();
  return new Set(rows.map((r) => r.sessionId));
}

const commitmentColumns = {
  id: commitments.id,
  teamId: commitments.teamId,
  personId: commitments.personId,
  personName: people.name,
  week: commitments.week,
  text: commitments.text,
  leadMeasureId: commitments.leadMeasureId,
  measureName: leadMeasures.name,
  sessionId: commitments.sessionId,
  outcome: commitments.outcome,
  outcomeNote: commitments.outcomeNote,
  accountedSessionId: commitments.accountedSessionId,
};

function selectCommitments(db: Db, where: ReturnType<typeof and>) {
  return db
    .select(commitmentColumns)
    .from(commitments)
    .innerJoin(people, eq(people.id, commitments.personId))
    .leftJoin(leadMeasures, eq(leadMeasures.id, commitments.leadMeasureId))
    .where(where)
    .orderBy(asc(people.name), asc(commitments.week), asc(commitments.id))
    .all();
}

/**
 * What a team's session in `week` accounts for: the team's commitments for this week or the few before it (a missed
 * session's ones too) that are not yet accounted, or were accounted in this very session (when it is re-opened).
 */
export function commitmentsToAccount(
  db: Db,
  teamId: number,
  week: string,
  sessionId: number | null,
  earliestWeek: string,
) {
  return selectCommitments(
    db,
    and(
      eq(commitments.teamId, teamId),
      lte(commitments.week, week),
      gt(commitments.week, earliestWeek),
      sessionId === null
        ? isNull(commitments.outcome)
        : or(isNull(commitments.outcome), eq(commitments.accountedSessionId, sessionId)),
    ),
  );
}

/** The commitments made in one session (the ones its Plan section shows for editing). */
export const commitmentsMadeIn = (db: Db, sessionId: number) =>
  selectCommitments(db, and(eq(commitments.sessionId, sessionId)));

/** A team's commitments for this week and after (what the team is working on now). */
export const teamCurrentCommitments = (db: Db, teamId: number, fromWeek: string) =>
  selectCommitments(db, and(eq(commitments.teamId, teamId), gte(commitments.week, fromWeek)));

/** A person's commitments for this week and after, in every team, with the team's name. */
export function personCurrentCommitments(db: Db, personId: number, fromWeek: string) {
  return db
    .select({ ...commitmentColumns, teamName: teams.name })
    .from(commitments)
    .innerJoin(people, eq(people.id, commitments.personId))
    .innerJoin(teams, eq(teams.id, commitments.teamId))
    .leftJoin(leadMeasures, eq(leadMeasures.id, commitments.leadMeasureId))
    .where(and(eq(commitments.personId, personId), gte(commitments.week, fromWeek)))
    .orderBy(asc(commitments.week), asc(teams.name), asc(commitments.id))
    .all();
}

const pathRequestColumns = {
  id: pathRequests.id,
  teamId: pathRequests.teamId,
  teamName: teams.name,
  sessionId: pathRequests.sessionId,
  week: pathRequests.week,
  text: pathRequests.text,
  assigneeId: pathRequests.assigneeId,
  assigneeName: people.name,
  status: pathRequests.status,
  resolution: pathRequests.resolution,
  resolvedAt: pathRequests.resolvedAt,
  raisedAt: pathRequests.raisedAt,
};

function selectPathRequests(db: Db, where: ReturnType<typeof and>) {
  return db
    .select(pathRequestColumns)
    .from(pathRequests)
    .innerJoin(people, eq(people.id, pathRequests.assigneeId))
    .innerJoin(teams, eq(teams.id, pathRequests.teamId))
    .where(where)
    .orderBy(asc(pathRequests.raisedAt), asc(pathRequests.id))
    .all();
}

export const findPathRequest = (db: Db, id: number) =>
  db.select().from(pathRequests).where(eq(pathRequests.id, id)).get() ?? null;
export const pathRequestWithNames = (db: Db, id: number) =>
  selectPathRequests(db, and(eq(pathRequests.id, id)))[0] ?? null;
export const pathRequestsRaisedIn = (db: Db, sessionId: number) =>
  selectPathRequests(db, and(eq(pathRequests.sessionId, sessionId)));
export const openPathRequestsAssignedTo = (db: Db, personId: number) =>
  selectPathRequests(db, and(eq(pathRequests.assigneeId, personId), eq(pathRequests.status, 'open')));
export const openTeamPathRequests = (db: Db, teamId: number) =>
  selectPathRequests(db, and(eq(pathRequests.teamId, teamId), eq(pathRequests.status, 'open')));

/** The named leaders a team's request for help may go to: its team leaders, its school's leaders and the trust leaders. */
export function pathAssignees(db: Db, team: { id: number; schoolId: number | null }) {
  const rows = db
    .select({ personId: people.id, name: people.name, role: roleAssignments.role, title: roleAssignments.title })
    .from(roleAssignments)
    .innerJoin(people, eq(people.id, roleAssignments.personId))
    .where(
      and(
        isNull(people.disabledAt),
        or(
          and(eq(roleAssignments.role, 'team_leader'), eq(roleAssignments.teamId, team.id)),
          team.schoolId === null
            ? undefined
            : and(eq(roleAssignments.role, 'school_leader'), eq(roleAssignments.schoolId, team.schoolId)),
          eq(roleAssignments.role, 'trust_leader'),
        ),
      ),
    )
    .orderBy(asc(people.name))
    .all();
  // One line per person, under the first (closest) role they hold here.
  const order = { team_leader: 0, school_leader: 1, trust_leader: 2 } as Record<string, number>;
  const byPerson = new Map<number, (typeof rows)[number]>();
  for (const r of [...rows].sort((a, b) => (order[a.role] ?? 9) - (order[b.role] ?? 9)))
    if (!byPerson.has(r.personId)) byPerson.set(r.personId, r);
  return [...byPerson.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export interface WigSessionInput {
  teamId: number;
  week: string;
  /** The week this session's new commitments are for (the next school week). */
  commitmentWeek: string;
  heldAt: number;
  worked: string;
  didNotWork: string;
  attendance: { personId: number; present: boolean }[];
  /** Last week's commitments accounted for; outcome null leaves (or sets back) one not yet accounted. */
  outcomes: { commitmentId: number; outcome: CommitmentOutcome | null; note: string | null }[];
  newPathRequests: { text: string; assigneeId: number }[];
  /** The commitments this session makes, person by person: id of the one it replaces (re-opened session), or null for a new one. */
  commitments: { id: number | null; personId: number; text: string; leadMeasureId: number }[];
  /** Commitments made earlier in this session whose slot was emptied. */
  removedCommitmentIds: number[];
}

/** Saves a held session in one transaction (the session row, attendance, outcomes, path requests, commitments), each with an audit row. */
export function saveWigSession(
  db: Db,
  actorId: number,
  input: WigSessionInput,
  now: number,
): { sessionId: number; created: boolean } {
  return writeTransaction(db, (tx) => {
    const existing = findWigSession(tx, input.teamId, input.week);
    const review = { worked: input.worked, didNotWork: input.didNotWork };
    let sessionId: number;
    if (existing) {
      sessionId = existing.id;
      tx.update(wigSessions)
        .set({ ...review, recordedBy: actorId, updatedAt: now })
        .where(eq(wigSessions.id, sessionId))
        .run();
    } else {
      sessionId = tx
        .insert(wigSessions)
        .values({
          teamId: input.teamId,
          week: input.week,
          heldAt: input.heldAt,
          ...review,
          recordedBy: actorId,
          updatedAt: now,
        })
        .returning({ id: wigSessions.id })
        .get().id;
    }
    // Only the people on the form are re-marked: the attendance of someone who has since left is kept.
    const marked = input.attendance.map((a) => a.personId);
    if (marked.length)
      tx.delete(sessionAttendance)
        .where(and(eq(sessionAttendance.sessionId, sessionId), inArray(sessionAttendance.personId, marked)))
        .run();
    if (input.attendance.length)
      tx.insert(sessionAttendance)
        .values(input.attendance.map((a) => ({ sessionId, ...a })))
        .run();
    recordAudit(
      tx,
      {
        actorId,
        action: existing ? 'update' : 'hold',
        entity: 'wig_session',
        entityId: sessionId,
        before: existing ? { worked: existing.worked, didNotWork: existing.didNotWork } : undefined,
        after: {
          teamId: input.teamId,
          week: input.week,
          ...review,
          present: input.attendance.filter((a) => a.present).map((a) => a.personId),
        },
      },
      now,
    );

    for (const o of input.outcomes) {
      const before = tx.select().from(commitments).where(eq(commitments.id, o.commitmentId)).get();
      if (!before) continue;
      const accounted = o.outcome === null ? null : sessionId;
      if (
        before.outcome === o.outcome &&
        (before.outcomeNote ?? null) === o.note &&
        before.accountedSessionId === accounted
      )
        continue;
      tx.update(commitments)
        .set({ outcome: o.outcome, outcomeNote: o.note, accountedSessionId: accounted, updatedAt: now })
        .where(eq(commitments.id, o.commitmentId))
        .run();
      recordAudit(
        tx,
        {
          actorId,
          action: 'account',
          entity: 'commitment',
          entityId: o.commitmentId,
          before: { outcome: before.outcome, outcomeNote: before.outcomeNote },
          after: { outcome: o.outcome, outcomeNote: o.note },
        },
        now,
      );
    }

    for (const p of input.newPathRequests) {
      const row = tx
        .insert(pathRequests)
        .values({
          teamId: input.teamId,
          sessionId,
          week: input.week,
          text: p.text,
          raisedBy: actorId,
          assigneeId: p.assigneeId,
          raisedAt: now,
        })
        .returning({ id: pathRequests.id })
        .get();
      recordAudit(
        tx,
        {
          actorId,
          action: 'raise',
          entity: 'path_request',
          entityId: row.id,
          after: { teamId: input.teamId, text: p.text, assigneeId: p.assigneeId },
        },
        now,
      );
    }

    for (const id of input.removedCommitmentIds) {
      const before = tx
        .select()
        .from(commitments)
        .where(and(eq(commitments.id, id), eq(commitments.sessionId, sessionId)))
        .get();
      if (!before) continue;
      tx.delete(commitments).where(eq(commitments.id, id)).run();
      recordAudit(
        tx,
        {
          actorId,
          action: 'delete',
          entity: 'commitment',
          entityId: id,
          before: { personId: before.personId, text: before.text },
        },
        now,
      );
    }
    for (const c of input.commitments) {
      const values = { text: c.text, leadMeasureId: c.leadMeasureId };
      if (c.id !== null) {
        const before = tx
          .select()
          .from(commitments)
          .where(and(eq(commitments.id, c.id), eq(commitments.sessionId, sessionId)))
          .get();
        if (!before || (before.text === c.text && before.leadMeasureId === c.leadMeasureId)) continue;
        tx.update(commitments)
          .set({ ...values, updatedAt: now })
          .where(eq(commitments.id, c.id))
          .run();
        recordAudit(
          tx,
          {
            actorId,
            action: 'update',
            entity: 'commitment',
            entityId: c.id,
            before: { text: before.text, leadMeasureId: before.leadMeasureId },
            after: values,
          },
          now,
        );
        continue;
      }
      const row = tx
        .insert(commitments)
        .values({
          teamId: input.teamId,
          personId: c.personId,
          week: input.commitmentWeek,
          ...values,
          sessionId,
          createdBy: actorId,
          updatedAt: now,
        })
        .returning({ id: commitments.id })
        .get();
      recordAudit(
        tx,
        {
          actorId,
          action: 'commit',
          entity: 'commitment',
          entityId: row.id,
          after: { personId: c.personId, week: input.commitmentWeek, ...values },
        },
        now,
      );
    }
    return { sessionId, created: !existing };
  });
}

/** Marks a path request resolved, with an optional note, and its audit row. */
export function resolvePathRequest(db: Db, actorId: number, id: number, resolution: string | null, now: number): void {
  writeTransaction(db, (tx) => {
    tx.update(pathRequests)
      .set({ status: 'resolved', resolution, resolvedBy: actorId, resolvedAt: now })
      .where(eq(pathRequests.id, id))
      .run();
    recordAudit(
      tx,
      {
        actorId,
        action: 'resolve',
        entity: 'path_request',
        entityId: id,
        before: { status: 'open' },
        after: { status: 'resolved', resolution },
      },
      now,
    );
  });
}

/** The texts of a person's commitments in a team for a week (the "WIG session today" reminder lists them). */
export const commitmentTexts = (db: Db, teamId: number, personId: number, week: string): string[] =>
  db
    .select({ text: commitments.text })
    .from(commitments)
    .where(and(eq(commitments.teamId, teamId), eq(commitments.personId, personId), eq(commitments.week, week)))
    .all()
    .map((c) => c.text);

/** Which of these teams have recorded their session of `week`. */
export function teamsHeldIn(db: Db, teamIds: readonly number[], week: string): Set<number> {
  if (teamIds.length === 0) return new Set();
  return new Set(
    db
      .select({ teamId: wigSessions.teamId })
      .from(wigSessions)
      .where(and(inArray(wigSessions.teamId, [...teamIds]), eq(wigSessions.week, week)))
      .all()
      .map((r) => r.teamId),
  );
}
