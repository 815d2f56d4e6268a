// Reads for the weekly update: the lead measures a team fills in each week (active measures of its active WIGs).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { leadMeasures, wigs } from '../schema.ts';

/** The active lead measures of the active WIGs of these teams, grouped by team and WIG in the order the team set them. */
export function activeTeamMeasures(db: Db, teamIds: readonly number[]) {
  if (teamIds.length === 0) return [];
  return db
    .select({
      id: leadMeasures.id,
      wigId: leadMeasures.wigId,
      teamId: wigs.teamId,
      name: leadMeasures.name,
      kind: leadMeasures.kind,
      perPerson: leadMeasures.perPerson,
      unit: leadMeasures.unit,
      direction: leadMeasures.direction,
    })
    .from(leadMeasures)
    .innerJoin(wigs, eq(wigs.id, leadMeasures.wigId))
    .where(
      and(
        inArray(wigs.teamId, [...teamIds]),
        eq(wigs.level, 'team'),
        eq(wigs.status, 'active'),
        eq(leadMeasures.status, 'active'),
      ),
    )
    .orderBy(asc(wigs.teamId), asc(wigs.id), asc(leadMeasures.position), asc(leadMeasures.id))
    .all()
    .map((m) => ({ ...m, teamId: m.teamId as number }));
}
