// What the commitments history pages show: a team's commitments by week and by person, and a person's own, each with
// kept out of made (done 1, partly ½, not done 0, once accounted for).
import type { Db } from '../db/connection.ts';
import { academicYearSoFar } from '../db/queries/calendar.ts';
import { personCommitments, teamCommitments } from '../db/queries/commitment-history.ts';
import type { Person } from '../db/queries/people.ts';
import type { Team } from '../db/queries/schools.ts';
import { seesCommitmentsOf, type Principal } from '../domain/access.ts';
import { weekStart, type IsoDate } from '../domain/calendar.ts';
import { outcomeShortWords } from '../domain/commitments.ts';
import { formatDay } from '../domain/dates.ts';
import { commitmentCredit, formatCount, percent } from '../domain/health.ts';
import { weekLabel } from '../domain/weekly-update.ts';

/** Kept out of made for a list of commitments (only those accounted for count, partly as a half). */
function keptOfMade(rows: readonly { outcome: keyof typeof commitmentCredit | null }[]) {
  const accounted = rows.filter((r) => r.outcome !== null);
  const kept = accounted.reduce((sum, r) => sum + commitmentCredit[r.outcome!], 0);
  return {
    kept: formatCount(kept),
    made: accounted.length,
    open: rows.length - accounted.length,
    percent: percent({ done: kept, due: accounted.length }),
  };
}

/** Rows grouped by week, newest first (the rows arrive sorted). */
function byWeek<T extends { week: string }>(rows: readonly T[]) {
  const weeks = new Map<string, T[]>();
  for (const row of rows) weeks.set(row.week, [...(weeks.get(row.week) ?? []), row]);
  return [...weeks].map(([week, items]) => ({ week, label: weekLabel(week), items }));
}

/** A team's commitments this academic year: week by week, and kept out of made for each person. */
export function teamCommitmentsHistory(db: Db, team: Pick<Team, 'id'>, today: IsoDate) {
  const period = academicYearSoFar(db, today);
  const rows = teamCommitments(db, team.id, weekStart(period.start));
  const people = new Map<number, { name: string; rows: typeof rows }>();
  for (const r of rows)
    people.set(r.personId, { name: r.personName, rows: [...(people.get(r.personId)?.rows ?? []), r] });
  return {
    since: formatDay(period.start),
    weeks: byWeek(rows).map((w) => ({ ...w, summary: keptOfMade(w.items) })),
    people: [...people]
      .map(([personId, p]) => ({ personId, name: p.name, ...keptOfMade(p.rows) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    total: keptOfMade(rows),
    outcomeWords: outcomeShortWords,
  };
}

/** A person's commitments this academic year in every team, as far as the reader may see them (the teams they lead or are in). */
export function personCommitmentsHistory(db: Db, reader: Principal, person: Pick<Person, 'id'>, today: IsoDate) {
  const period = academicYearSoFar(db, today);
  const rows = personCommitments(db, person.id, weekStart(period.start));
  const visible = rows.filter((r) => seesCommitmentsOf(reader, person.id, { id: r.teamId, schoolId: r.teamSchoolId }));
  return {
    since: formatDay(period.start),
    weeks: byWeek(visible),
    total: keptOfMade(visible),
    outcomeWords: outcomeShortWords,
  };
}
