// A school's RADAR page (the trust's improvement model) read from the data already kept: Results are the lag measures,
// Approaches the lead measures, Deploy the sessions and commitments, Assess and Refine the session notes and the changes
// to lead measures. Nothing here is entered twice.
import type { Db } from '../db/connection.ts';
import { academicYearSoFar } from '../db/queries/calendar.ts';
import { leadMeasureChanges, sessionNotes } from '../db/queries/commitment-history.ts';
import type { School } from '../db/queries/schools.ts';
import { weekStart, zonedInstant, type IsoDate } from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import { schoolHealth } from './health.ts';
import { schoolOverview } from './overview.ts';

/** Everything the RADAR page shows for one school, over this academic year so far. */
export function schoolRadar(
  db: Db,
  school: Pick<School, 'id' | 'name'>,
  today: IsoDate,
  now: number,
  timeZone: string,
) {
  // The same set-based read as the school's overview: a few queries whatever the number of teams. Its WIGs and each
  // team's boards are listed newest first, as a team's scoreboard lists them.
  const overview = schoolOverview(db, school, today);
  const newestFirst = <T extends { wig: { id: number } }>(rows: readonly T[]) =>
    [...rows].sort((a, b) => b.wig.id - a.wig.id);
  const teams = overview.teams;
  const period = academicYearSoFar(db, today);
  const teamIds = teams.map((t) => t.team.id);
  return {
    schoolWigs: newestFirst(overview.wigs).map((w) => ({ ...w.wig, sentence: w.sentence })),
    boards: teams.map((t) => ({ team: t.team, boards: newestFirst(t.boards) })),
    health: schoolHealth(db, school.id, period, now, timeZone),
    since: period.start,
    notes: sessionNotes(db, teamIds, weekStart(period.start)),
    changes: leadMeasureChanges(
      db,
      teamIds,
      zonedInstant(period.start, '00:00', timeZone),
      Object.keys(changeWords),
    ).map((c) => ({ ...c, words: changeWords[c.action]!, detail: changeDetail(c.action, c.before, c.after) })),
  };
}

/** The audit actions that change a lead measure (see db/queries/measures.ts), in words: added, changed, retired, brought back. */
const changeWords: Record<string, string> = {
  create: 'Added',
  update: 'Changed',
  retire: 'Retired',
  restore: 'Brought back',
};

/** What a measure change was, in a few words, from the audit row's before and after. */
function changeDetail(action: string, before: string | null, after: string | null): string {
  const parse = (json: string | null) => (json ? (JSON.parse(json) as Record<string, unknown>) : {});
  const b = parse(before);
  const a = parse(after);
  if (action === 'create' && typeof a.target === 'number') return `weekly target ${a.target}`;
  if (action === 'update') {
    const parts: string[] = [];
    if (b.name !== a.name) parts.push(`renamed from “${String(b.name)}”`);
    if (b.target !== a.target)
      parts.push(
        `target ${b.target === null || b.target === undefined ? 'set' : `from ${String(b.target)}`} to ${String(a.target)}${a.fromWeek ? ` from the week of ${formatDay(String(a.fromWeek))}` : ''}`,
      );
    return parts.join('; ');
  }
  return '';
}
