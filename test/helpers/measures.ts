// Factories for the weekly update: a school year, an active team WIG with its lead measures, and a term around any "today".
import type { Db } from '../../src/db/connection.ts';
import { createAcademicYear, createClosure, createTerm, listAcademicYears } from '../../src/db/queries/calendar.ts';
import { createLeadMeasure, type LeadMeasureInput } from '../../src/db/queries/measures.ts';
import { activeTeamMeasures } from '../../src/db/queries/weekly-update.ts';
import { createWig, setWigStatus } from '../../src/db/queries/wigs.ts';
import { addDays, isoWeekday, weekStart, type IsoDate } from '../../src/domain/calendar.ts';
import { PINNED_TODAY } from './clock.ts';

/**
 * 2026–27 as an English trust keeps it (the first half): Autumn 1 to 23 Oct, half-term 26–30 Oct, Autumn 2 from
 * 2 Nov to 18 Dec, Christmas, Spring 1 from 4 Jan. Friday 27 Nov 2026 is an INSET day at `insetSchoolId` (when given).
 */
export function createSchoolYear(db: Db, insetSchoolId?: number): void {
  const yearId = createAcademicYear(db, null, { name: '2026–27', startDate: '2026-09-01', endDate: '2027-08-31' });
  createTerm(db, null, yearId, { name: 'Autumn 1', startDate: '2026-09-01', endDate: '2026-10-23' });
  createTerm(db, null, yearId, { name: 'Autumn 2', startDate: '2026-11-02', endDate: '2026-12-18' });
  createTerm(db, null, yearId, { name: 'Spring 1', startDate: '2027-01-04', endDate: '2027-02-12' });
  if (insetSchoolId !== undefined)
    createClosure(db, null, insetSchoolId, 'inset', {
      name: 'INSET day',
      startDate: '2026-11-27',
      endDate: '2026-11-27',
    });
}

/** A term around `today` (for tests that run on the real clock): every weekday from 10 weeks before to 10 weeks after is a school day. */
export function ensureTermAround(db: Db, today: IsoDate): void {
  const start = addDays(weekStart(today), -70);
  const end = addDays(weekStart(today), 74);
  if (listAcademicYears(db).some((y) => y.terms.some((t) => t.startDate <= start && end <= t.endDate))) return;
  const yearId = createAcademicYear(db, null, { name: `Around ${today}`, startDate: start, endDate: end });
  createTerm(db, null, yearId, { name: `Term around ${today}`, startDate: start, endDate: end });
}

/** The suite's pinned today (what the test apps' clock reads), with its week and its latest school day so far (Friday at a weekend). */
export function pinnedToday() {
  const today = PINNED_TODAY;
  const week = weekStart(today);
  const schoolDay = isoWeekday(today) > 5 ? addDays(week, 4) : today;
  return { today, week, schoolDay };
}

/** An active team WIG ("From 60% to 80% by 16 Jul 2027"). */
export function createActiveTeamWig(
  db: Db,
  actorId: number | null,
  team: { id: number; schoolId: number | null },
  lagName = 'Pupils reading at the expected standard',
): number {
  // A null actor is stored as "the system" (the query functions type it as a person's id).
  const id = createWig(
    db,
    actorId as number,
    { level: 'team', schoolId: team.schoolId, teamId: team.id },
    {
      lagName,
      unit: '%',
      direction: 'increase',
      baseline: 60,
      target: 80,
      startDate: '2026-09-01',
      deadline: '2027-07-16',
      parentId: null,
    },
  );
  setWigStatus(db, actorId as number, id, 'active');
  return id;
}

const MEASURES = {
  individual: {
    input: { name: 'Reading conferences', kind: 'number', perPerson: true, unit: 'conferences', direction: 'increase' },
    target: 5,
  },
  team: {
    input: { name: 'Parent phone calls', kind: 'number', perPerson: false, unit: 'calls', direction: 'increase' },
    target: 10,
  },
  daily: {
    input: { name: 'Walk-in reading', kind: 'daily', perPerson: true, unit: '%', direction: 'increase' },
    target: 80,
  },
  teamDaily: {
    input: { name: 'Corridor calm', kind: 'daily', perPerson: false, unit: '%', direction: 'increase' },
    target: 100,
  },
} as const satisfies Record<string, { input: LeadMeasureInput; target: number }>;

export type MeasureName = keyof typeof MEASURES;

/** Lead measures on a WIG, targets from `fromWeek`: one of each kind unless told which. */
export function createMeasures(
  db: Db,
  actorId: number | null,
  wigId: number,
  fromWeek = '2026-09-07',
  which: readonly MeasureName[] = ['individual', 'team', 'daily', 'teamDaily'],
) {
  const ids = {} as Record<MeasureName, number>;
  for (const name of which)
    ids[name] = createLeadMeasure(db, actorId as number, wigId, MEASURES[name].input, MEASURES[name].target, fromWeek);
  return ids;
}

/** A team's measure by name, created (with an active WIG) the first time it is asked for: safe to call once per request. */
function teamMeasure(db: Db, team: { id: number; schoolId: number | null }, name: MeasureName): number {
  const found = activeTeamMeasures(db, [team.id]).find((m) => m.name === MEASURES[name].input.name);
  if (found) return found.id;
  const wigId = createActiveTeamWig(db, null, team);
  return createMeasures(db, null, wigId, '2020-01-06', [name])[name];
}

/**
 * The hidden fields of one cell of a team's grid this week on the suite's pinned clock (for the access matrix and the
 * hostile-input forms): a term around today, and the measure, made the first time it is asked for.
 */
export function cellThisWeek(db: Db, team: { id: number; schoolId: number | null }, name: MeasureName) {
  const { today, week, schoolDay } = pinnedToday();
  ensureTermAround(db, today);
  return { measureId: String(teamMeasure(db, team, name)), week, schoolDay };
}
