// Set-based reads for the boards of many teams at once (school page, trust page, aligned WIG tree): a few queries
// whatever the number of teams, and only the latest lag reading of each WIG, so the work does not grow with history.
import { and, asc, count, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { lagReadings, people, roleAssignments, wigs } from '../schema.ts';
import type { LagReading, Wig } from './wigs.ts';

/** Every active WIG of the trust, or, for one school, the trust's and that school's (its own and its teams'). */
export function activeWigs(db: Db, schoolId?: number): Wig[] {
  return db
    .select()
    .from(wigs)
    .where(
      and(
        eq(wigs.status, 'active'),
        schoolId === undefined ? undefined : or(eq(wigs.level, 'trust'), eq(wigs.schoolId, schoolId)),
      ),
    )
    .orderBy(asc(wigs.lagName), asc(wigs.id))
    .all();
}

/** Every team of the trust (schools' and the trust's own), or one school's, by name. */
/** How many people (not disabled) hold a role in each of these teams: the divisor of per-person lead measures. */
export function activeHeadcounts(db: Db, teamIds: readonly number[]): Map<number, number> {
  if (teamIds.length === 0) return new Map();
  const rows = db
    .select({ teamId: roleAssignments.teamId, n: count() })
    .from(roleAssignments)
    .innerJoin(people, eq(people.id, roleAssignments.personId))
    .where(and(inArray(roleAssignments.teamId, [...teamIds]), isNull(people.disabledAt)))
    .groupBy(roleAssignments.teamId)
    .all();
  return new Map(rows.map((r) => [r.teamId as number, r.n]));
}

/** Each WIG's readings, oldest first; with `latestOnly`, just the newest one (one index probe per WIG, whatever the history). */
export function readingsOfWigs(db: Db, wigIds: readonly number[], latestOnly: boolean): Map<number, LagReading[]> {
  const map = new Map<number, LagReading[]>();
  if (wigIds.length === 0) return map;
  const newest = sql`(select r2.id from lag_readings r2 where r2.wig_id = ${wigs.id} order by r2.date desc limit 1)`;
  const rows = latestOnly
    ? db
        .select({ reading: lagReadings })
        .from(wigs)
        .innerJoin(lagReadings, eq(lagReadings.id, newest))
        .where(inArray(wigs.id, [...wigIds]))
        .all()
        .map((r) => r.reading)
    : db
        .select()
        .from(lagReadings)
        .where(inArray(lagReadings.wigId, [...wigIds]))
        .orderBy(asc(lagReadings.wigId), asc(lagReadings.date))
        .all();
  for (const r of rows) {
    const list = map.get(r.wigId) ?? [];
    list.push(r);
    map.set(r.wigId, list);
  }
  return map;
}
