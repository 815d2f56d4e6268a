// A team WIG to import into and export from: school A's Year 6 (team A of the world) with one measure of each kind, and a term around `today`.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../src/db/connection.ts';
import { createAcademicYear, createClosure, createTerm } from '../../src/db/queries/calendar.ts';
import { createLeadMeasure } from '../../src/db/queries/measures.ts';
import { createWig, setWigStatus } from '../../src/db/queries/wigs.ts';
import { lagReadings, leadEntries, leadMeasures, wigs } from '../../src/db/schema.ts';
import { addDays, weekStart, type IsoDate } from '../../src/domain/calendar.ts';
import { PINNED_TODAY } from './clock.ts';
import type { World } from './world.ts';

export const CSV_WIG = 'Year 6 pupils at the expected standard in reading';
export const MEASURES = {
  individual: 'Reading conferences with target readers',
  team: 'Parent conferences held',
  daily: 'Retrieval quiz at the start of every maths lesson',
} as const;

export interface CsvWorld {
  wigId: number;
  individual: number;
  team: number;
  daily: number;
  today: IsoDate;
  thisWeek: IsoDate;
  lastWeek: IsoDate;
}

/**
 * Makes (once) a term running from twenty weeks before `today` to well after it, with a half-term week four weeks back, and an active WIG of team A with its
 * three lead measures; later calls return the same ids. `today` defaults to the suite's pinned day (the test apps' clock).
 */
export function ensureCsvWorld(db: Db, world: World, today: IsoDate = PINNED_TODAY): CsvWorld {
  const thisWeek = weekStart(today);
  let wig = db
    .select()
    .from(wigs)
    .where(and(eq(wigs.teamId, world.teamA), eq(wigs.lagName, CSV_WIG)))
    .get();
  if (!wig) {
    const start = addDays(thisWeek, -140);
    const yearId = createAcademicYear(db, null, {
      name: `CSV year ${today}`,
      startDate: addDays(start, -7),
      endDate: addDays(thisWeek, 200),
    });
    createTerm(db, null, yearId, { name: 'CSV term', startDate: start, endDate: addDays(thisWeek, 120) });
    // A half-term week four weeks back: a week that expects no numbers.
    createClosure(db, null, null, 'holiday', {
      name: 'Half-term',
      startDate: addDays(thisWeek, -28),
      endDate: addDays(thisWeek, -24),
    });
    const lead = world.person.lead;
    const wigId = createWig(
      db,
      lead,
      { level: 'team', schoolId: world.schoolA, teamId: world.teamA },
      {
        lagName: CSV_WIG,
        unit: '%',
        direction: 'increase',
        baseline: 64,
        target: 80,
        startDate: start,
        deadline: addDays(thisWeek, 180),
        parentId: null,
      },
    );
    setWigStatus(db, lead, wigId, 'active');
    createLeadMeasure(
      db,
      lead,
      wigId,
      { name: MEASURES.individual, kind: 'number', perPerson: true, unit: 'conferences', direction: 'increase' },
      5,
      start,
    );
    createLeadMeasure(
      db,
      lead,
      wigId,
      { name: MEASURES.team, kind: 'number', perPerson: false, unit: 'conferences', direction: 'increase' },
      3,
      start,
    );
    createLeadMeasure(
      db,
      lead,
      wigId,
      { name: MEASURES.daily, kind: 'daily', perPerson: true, unit: '%', direction: 'increase' },
      100,
      start,
    );
    wig = db.select().from(wigs).where(eq(wigs.id, wigId)).get()!;
  }
  const measureId = (name: string) =>
    db
      .select()
      .from(leadMeasures)
      .where(and(eq(leadMeasures.wigId, wig.id), eq(leadMeasures.name, name)))
      .get()!.id;
  return {
    wigId: wig.id,
    individual: measureId(MEASURES.individual),
    team: measureId(MEASURES.team),
    daily: measureId(MEASURES.daily),
    today,
    thisWeek,
    lastWeek: addDays(thisWeek, -7),
  };
}

/** ensureCsvWorld, plus readers for what an allowed import should have saved (for tables of routes that check a request's effect). */
export function csvFixture(db: Db, world: World) {
  const ids = ensureCsvWorld(db, world);
  return {
    ...ids,
    teamEntry: (week: IsoDate) =>
      db
        .select()
        .from(leadEntries)
        .where(and(eq(leadEntries.leadMeasureId, ids.team), eq(leadEntries.week, week), isNull(leadEntries.personId)))
        .get()?.value ?? null,
    reading: (date: IsoDate) =>
      db
        .select()
        .from(lagReadings)
        .where(and(eq(lagReadings.wigId, ids.wigId), eq(lagReadings.date, date)))
        .get()?.value ?? null,
  };
}
