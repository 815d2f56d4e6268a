// A school's RADAR page (the trust's improvement model) read from the data already kept: Results are the lag measures,
// Approaches the lead measures, Deploy the sessions and commitments, Assess and Refine the session notes and the changes
// to lead measures. Nothing here is entered twice.
import type { Db } from '../db/connection.ts';
import { leadMeasureChanges, sessionNotes } from '../db/queries/commitment-history.ts';
import type { School } from '../db/queries/schools.ts';
import { listWigs } from '../db/queries/wigs.ts';
import { weekStart, zonedInstant, type IsoDate } from '../domain/calendar.ts';
import { wigSentence } from '../domain/wig.ts';
import { defaultHealthPeriod, schoolHealth } from './health.ts';
import { schoolOverview } from './overview.ts';

/** Everything the RADAR page shows for one school, over this academic year so far. */
export function schoolRadar(
  db: Db,
  school: Pick<School, 'id' | 'name'>,
  today: IsoDate,
  now: number,
  timeZone: string,
) {
  // The same set-based read as the school's overview: a few queries whatever the number of teams.
  const teams = schoolOverview(db, school, today).teams;
  const period = defaultHealthPeriod(db, today);
  const teamIds = teams.map((t) => t.team.id);
  return {
    schoolWigs: listWigs(db, { level: 'school', schoolId: school.id, teamId: null }, ['active']).map((w) => ({
      ...w,
      sentence: wigSentence(w),
    })),
    boards: teams.map((t) => ({ team: t.team, boards: t.boards })),
    health: schoolHealth(db, school.id, period, now, timeZone),
    since: period.start,
    notes: sessionNotes(db, teamIds, weekStart(period.start)),
    changes: leadMeasureChanges(db, teamIds, zonedInstant(period.start, '00:00', timeZone)),
  };
}
