// Reads for CSV export and import: a team's entries with their measures and people, and what an import would compare against.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { lagReadings, leadDayEntries, leadEntries, leadMeasures, people, wigs } from '../schema.ts';
import { entryKey, type MeasureFacts } from '../../domain/csv.ts';
import { weekStart } from '../../domain/calendar.ts';

/** Every weekly number of every lead measure of a team's WIGs (whatever their status), oldest week first. */
export function teamWeekEntriesForExport(db: Db, teamId: number) {
  return db
    .select({
      week: leadEntries.week,
      measure: leadMeasures.name,
      name: people.name,
      email: people.email,
      value: leadEntries.value,
    })
    .from(leadEntries)
    .innerJoin(leadMeasures, eq(leadMeasures.id, leadEntries.leadMeasureId))
    .innerJoin(wigs, eq(wigs.id, leadMeasures.wigId))
    .leftJoin(people, eq(people.id, leadEntries.personId))
    .where(eq(wigs.teamId, teamId))
    .orderBy(asc(leadEntries.week), asc(wigs.id), asc(leadMeasures.position), asc(leadMeasures.id), asc(people.name))
    .all();
}

/** Every day of every daily standard of a team's WIGs, oldest first. */
export function teamDayEntriesForExport(db: Db, teamId: number) {
  return db
    .select({
      date: leadDayEntries.date,
      measure: leadMeasures.name,
      name: people.name,
      email: people.email,
      kept: leadDayEntries.kept,
    })
    .from(leadDayEntries)
    .innerJoin(leadMeasures, eq(leadMeasures.id, leadDayEntries.leadMeasureId))
    .innerJoin(wigs, eq(wigs.id, leadMeasures.wigId))
    .leftJoin(people, eq(people.id, leadDayEntries.personId))
    .where(eq(wigs.teamId, teamId))
    .orderBy(asc(leadDayEntries.date), asc(wigs.id), asc(leadMeasures.position), asc(leadMeasures.id), asc(people.name))
    .all();
}

/** The measures a team fills in (active measures of its active WIGs), and what is saved for them now, keyed as the import checks rows. */
export function teamImportFacts(
  db: Db,
  teamId: number,
): { measures: MeasureFacts[]; saved: Map<string, number | boolean> } {
  const rows = db
    .select({
      id: leadMeasures.id,
      name: leadMeasures.name,
      kind: leadMeasures.kind,
      perPerson: leadMeasures.perPerson,
      startDate: wigs.startDate,
    })
    .from(leadMeasures)
    .innerJoin(wigs, eq(wigs.id, leadMeasures.wigId))
    .where(
      and(
        eq(wigs.teamId, teamId),
        eq(wigs.level, 'team'),
        eq(wigs.status, 'active'),
        eq(leadMeasures.status, 'active'),
      ),
    )
    .orderBy(asc(wigs.id), asc(leadMeasures.position), asc(leadMeasures.id))
    .all();
  const measures = rows.map((m) => ({
    id: m.id,
    name: m.name,
    kind: m.kind,
    perPerson: m.perPerson,
    startWeek: m.startDate ? weekStart(m.startDate) : null,
  }));
  const saved = new Map<string, number | boolean>();
  const ids = measures.map((m) => m.id);
  if (ids.length > 0) {
    for (const e of db.select().from(leadEntries).where(inArray(leadEntries.leadMeasureId, ids)).all())
      saved.set(entryKey(e.leadMeasureId, e.week, e.personId), e.value);
    for (const d of db.select().from(leadDayEntries).where(inArray(leadDayEntries.leadMeasureId, ids)).all())
      saved.set(entryKey(d.leadMeasureId, d.date, d.personId), d.kept);
  }
  return { measures, saved };
}

/** A WIG's readings by date, for an import to compare against. */
export function savedReadings(db: Db, wigId: number): Map<string, { value: number; note: string | null }> {
  const rows = db
    .select({ date: lagReadings.date, value: lagReadings.value, note: lagReadings.note })
    .from(lagReadings)
    .where(eq(lagReadings.wigId, wigId))
    .all();
  return new Map(rows.map((r) => [r.date, { value: r.value, note: r.note }]));
}
