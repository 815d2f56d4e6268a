// "My week" on the home page: the cells a person still has to fill this week in each of their teams, their commitments,
// and the requests for help given to them, each linked to where it is done.
import type { Db } from '../db/connection.ts';
import { schoolCalendars } from '../db/queries/calendar.ts';
import { dayEntries, weekEntries } from '../db/queries/measures.ts';
import type { Team } from '../db/queries/schools.ts';
import { activeTeamMeasures } from '../db/queries/weekly-update.ts';
import { absentFrom, openPathRequestsAssignedTo, personCurrentCommitments } from '../db/queries/wig-sessions.ts';
import type { Principal } from '../domain/access.ts';
import { addDays, isoWeekday, schoolDaysOfWeek, weekStart, type IsoDate } from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import { cellsToFill, holidayName, weekLabel } from '../domain/weekly-update.ts';
import { cellKey, DAY_NAMES } from './week-grid.ts';

/** "My week" on the home page: for each of a person's teams, the cells still to fill this week, each linked to its place in the grid. */
export function myWeek(
  db: Db,
  principal: Principal,
  today: IsoDate,
  teams: readonly Pick<Team, 'id' | 'name' | 'schoolId'>[],
) {
  const week = weekStart(today);
  if (teams.length === 0) return null;
  const calendars = schoolCalendars(db, [...new Set(teams.map((t) => t.schoolId))]);
  const measures = activeTeamMeasures(
    db,
    teams.map((t) => t.id),
  );
  const ids = measures.map((m) => m.id);
  const entries = weekEntries(db, ids, week, week);
  const days = dayEntries(db, ids, week, addDays(week, 4));
  const result = teams.map((team) => {
    const calendar = calendars.get(team.schoolId)!;
    const schoolDays = schoolDaysOfWeek(week, calendar);
    const href = `/teams/${team.id}/week`;
    if (schoolDays.length === 0) return { team, href, holiday: holidayName(week, calendar), todo: [] };
    const own = measures.filter((m) => m.teamId === team.id);
    const todo = cellsToFill({
      personId: principal.personId,
      measures: own,
      entries,
      days,
      daysSoFar: schoolDays.filter((d) => d <= today),
    }).map((cell) => {
      const m = own.find((x) => x.id === cell.measureId)!;
      const what = cell.personId === null ? `${m.name} (team)` : m.name;
      const detail =
        m.kind === 'daily'
          ? `not yet kept on ${cell.days.map((d) => DAY_NAMES[isoWeekday(d) - 1]).join(', ')}`
          : 'no number yet';
      return { what, detail, href: `${href}#cell-${cellKey(cell.measureId, cell.personId)}` };
    });
    return { team, href, holiday: null, todo };
  });
  return { weekLabel: weekLabel(week), teams: result };
}

/** The home page's session lines for one person: their commitments this week and after, and the requests for help given to them. */
export function mySessionWork(db: Db, personId: number, today: IsoDate) {
  const week = weekStart(today);
  const rows = personCurrentCommitments(db, personId, week);
  const away = absentFrom(db, personId, [
    ...new Set(rows.map((c) => c.sessionId).filter((id): id is number => id !== null)),
  ]);
  const commitments = rows.map((c) => ({ ...c, madeWhileAway: c.sessionId !== null && away.has(c.sessionId) }));
  return {
    week,
    thisWeek: commitments.filter((c) => c.week === week),
    later: commitments.filter((c) => c.week > week),
    pathRequests: openPathRequestsAssignedTo(db, personId),
    formatDay,
  };
}
