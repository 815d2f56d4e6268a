// Reading commitments back: a team's by week and a person's own, for the history pages (the session mode writes them).
import { and, asc, desc, eq, gte, inArray, ne, or } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { auditLog, commitments, leadMeasures, people, teams, wigSessions, wigs } from '../schema.ts';

/** Newest weeks first; a long history is cut at `limit` rows. */
// The history is read from the start of the academic year, so this only guards against a runaway year: a team of 30 making two a week
// for 40 weeks makes 2,400. The totals on the page come from these rows, so the bound must stay above a real year.
const HISTORY_LIMIT = 5000;

const commitmentColumns = {
  id: commitments.id,
  week: commitments.week,
  personId: commitments.personId,
  text: commitments.text,
  outcome: commitments.outcome,
  outcomeNote: commitments.outcomeNote,
  measureName: leadMeasures.name,
};

/** A team's commitments from `fromWeek` on, with who made them. */
export function teamCommitments(db: Db, teamId: number, fromWeek: string) {
  return db
    .select({ ...commitmentColumns, personName: people.name })
    .from(commitments)
    .innerJoin(people, eq(people.id, commitments.personId))
    .leftJoin(leadMeasures, eq(leadMeasures.id, commitments.leadMeasureId))
    .where(and(eq(commitments.teamId, teamId), gte(commitments.week, fromWeek)))
    .orderBy(desc(commitments.week), asc(people.name), asc(commitments.id))
    .limit(HISTORY_LIMIT)
    .all();
}

/** A person's commitments from `fromWeek` on, in every team, with the team. */
export function personCommitments(db: Db, personId: number, fromWeek: string) {
  return db
    .select({ ...commitmentColumns, teamId: teams.id, teamName: teams.name, teamSchoolId: teams.schoolId })
    .from(commitments)
    .innerJoin(teams, eq(teams.id, commitments.teamId))
    .leftJoin(leadMeasures, eq(leadMeasures.id, commitments.leadMeasureId))
    .where(and(eq(commitments.personId, personId), gte(commitments.week, fromWeek)))
    .orderBy(desc(commitments.week), asc(teams.name), asc(commitments.id))
    .limit(HISTORY_LIMIT)
    .all();
}

/** Assess and Refine: what teams said worked and did not in their sessions since `fromWeek` (sessions with a note only). */
export function sessionNotes(db: Db, teamIds: readonly number[], fromWeek: string, limit = 20) {
  if (teamIds.length === 0) return [];
  return db
    .select({
      teamId: wigSessions.teamId,
      teamName: teams.name,
      week: wigSessions.week,
      heldAt: wigSessions.heldAt,
      worked: wigSessions.worked,
      didNotWork: wigSessions.didNotWork,
    })
    .from(wigSessions)
    .innerJoin(teams, eq(teams.id, wigSessions.teamId))
    .where(
      and(
        inArray(wigSessions.teamId, [...teamIds]),
        gte(wigSessions.week, fromWeek),
        or(ne(wigSessions.worked, ''), ne(wigSessions.didNotWork, '')),
      ),
    )
    .orderBy(desc(wigSessions.week), asc(teams.name))
    .limit(limit)
    .all();
}

/**
 * Assess and Refine: the audit rows of changes to the lead measures of these teams' WIGs since `since` (ms), newest
 * first, of the given audit actions (the ones measures.ts writes: create, update, retire, restore).
 */
export function leadMeasureChanges(
  db: Db,
  teamIds: readonly number[],
  since: number,
  actions: readonly string[],
  limit = 20,
) {
  if (teamIds.length === 0) return [];
  const measures = db
    .select({ id: leadMeasures.id, name: leadMeasures.name, teamId: wigs.teamId, teamName: teams.name })
    .from(leadMeasures)
    .innerJoin(wigs, eq(wigs.id, leadMeasures.wigId))
    .innerJoin(teams, eq(teams.id, wigs.teamId))
    .where(inArray(wigs.teamId, [...teamIds]))
    .all();
  if (measures.length === 0) return [];
  const byId = new Map(measures.map((m) => [m.id, m]));
  return db
    .select({
      at: auditLog.at,
      action: auditLog.action,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entity, 'lead_measure'),
        inArray(auditLog.action, [...actions]),
        inArray(auditLog.entityId, [...byId.keys()]),
        gte(auditLog.at, since),
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit)
    .all()
    .map((row) => {
      const measure = byId.get(row.entityId!)!;
      return {
        at: row.at,
        action: row.action,
        before: row.before,
        after: row.after,
        measureName: measure.name,
        teamName: measure.teamName,
      };
    });
}

/** The teams a person made commitments in from `fromWeek` on: whose leaders may read those commitments. */
export function teamsCommittedIn(db: Db, personId: number, fromWeek: string) {
  return db
    .selectDistinct({ id: teams.id, schoolId: teams.schoolId })
    .from(commitments)
    .innerJoin(teams, eq(teams.id, commitments.teamId))
    .where(and(eq(commitments.personId, personId), gte(commitments.week, fromWeek)))
    .all();
}
