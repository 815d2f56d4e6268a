// The rows execution health is worked out from, for many teams at once, reading only the period's weeks.
import { and, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import {
  commitments,
  leadDayEntries,
  leadEntries,
  leadMeasures,
  pathRequests,
  people,
  roleAssignments,
  wigSessions,
  wigs,
} from '../schema.ts';
import { weekStart, type DateRange } from '../../domain/calendar.ts';
import { groupBy } from '../../domain/grouping.ts';

/** Everything execution health needs for many teams, read in seven queries whatever the number of teams, for the period's weeks only. */
export function healthRows(db: Db, teamIds: readonly number[], period: DateRange) {
  const ids = [...teamIds];
  const from = weekStart(period.start);
  const measures = ids.length
    ? db
        .select({
          teamId: wigs.teamId,
          id: leadMeasures.id,
          kind: leadMeasures.kind,
          perPerson: leadMeasures.perPerson,
          createdAt: leadMeasures.createdAt,
        })
        .from(leadMeasures)
        .innerJoin(wigs, eq(wigs.id, leadMeasures.wigId))
        .where(
          and(
            inArray(wigs.teamId, ids),
            eq(wigs.level, 'team'),
            eq(wigs.status, 'active'),
            eq(leadMeasures.status, 'active'),
          ),
        )
        .all()
    : [];
  const measureIds = measures.map((m) => m.id);
  const teamOfMeasure = new Map(measures.map((m) => [m.id, m.teamId!]));
  const members = ids.length
    ? db
        .select({
          teamId: roleAssignments.teamId,
          personId: roleAssignments.personId,
          since: roleAssignments.createdAt,
        })
        .from(roleAssignments)
        .innerJoin(people, eq(people.id, roleAssignments.personId))
        .where(
          and(
            inArray(roleAssignments.teamId, ids),
            isNull(people.disabledAt),
            or(eq(roleAssignments.role, 'team_leader'), eq(roleAssignments.role, 'team_member')),
          ),
        )
        .all()
    : [];
  const entries = measureIds.length
    ? db
        .select({
          leadMeasureId: leadEntries.leadMeasureId,
          week: leadEntries.week,
          personId: leadEntries.personId,
          enteredAt: leadEntries.enteredAt,
        })
        .from(leadEntries)
        .where(
          and(
            inArray(leadEntries.leadMeasureId, measureIds),
            gte(leadEntries.week, from),
            lte(leadEntries.week, period.end),
          ),
        )
        .all()
    : [];
  const dayEntries = measureIds.length
    ? db
        .select({
          leadMeasureId: leadDayEntries.leadMeasureId,
          date: leadDayEntries.date,
          personId: leadDayEntries.personId,
          enteredAt: leadDayEntries.enteredAt,
        })
        .from(leadDayEntries)
        .where(
          and(
            inArray(leadDayEntries.leadMeasureId, measureIds),
            gte(leadDayEntries.date, from),
            lte(leadDayEntries.date, period.end),
          ),
        )
        .all()
    : [];
  const held = ids.length
    ? db
        .select({ teamId: wigSessions.teamId, week: wigSessions.week })
        .from(wigSessions)
        .where(and(inArray(wigSessions.teamId, ids), gte(wigSessions.week, from), lte(wigSessions.week, period.end)))
        .all()
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
      const rows = {
        measures: (measuresBy.get(teamId) ?? []).map(({ id, kind, perPerson, createdAt }) => ({
          id,
          kind,
          perPerson,
          createdAt,
        })),
        members: (membersBy.get(teamId) ?? []).map(({ personId, since }) => ({ personId, since })),
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

export type HealthRows = ReturnType<typeof healthRows> extends Map<number, infer R> ? R : never;
