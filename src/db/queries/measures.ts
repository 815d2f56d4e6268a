// Lead measures, their weekly targets, and the numbers people enter each week (every change kept in the audit log).
import { and, asc, eq, gte, inArray, isNull, lte } from 'drizzle-orm';
import type { LeadMeasureKind } from '../../domain/lead-measures.ts';
import type { Direction } from '../../domain/wig.ts';
import { writeTransaction, type Db } from '../connection.ts';
import { leadDayEntries, leadEntries, leadMeasures, leadTargets } from '../schema.ts';
import { recordAudit } from './audit.ts';

export type LeadMeasure = typeof leadMeasures.$inferSelect;

export interface LeadMeasureInput {
  name: string;
  kind: LeadMeasureKind;
  perPerson: boolean;
  unit: string;
  direction: Direction;
}

export const findLeadMeasure = (db: Db, id: number) =>
  db.select().from(leadMeasures).where(eq(leadMeasures.id, id)).get() ?? null;

export function listLeadMeasures(db: Db, wigIds: readonly number[], activeOnly = true) {
  if (wigIds.length === 0) return [];
  return db
    .select()
    .from(leadMeasures)
    .where(and(inArray(leadMeasures.wigId, [...wigIds]), activeOnly ? eq(leadMeasures.status, 'active') : undefined))
    .orderBy(asc(leadMeasures.wigId), asc(leadMeasures.position), asc(leadMeasures.id))
    .all();
}

/** Every target period of these measures, oldest first. */
export function targetsOf(db: Db, measureIds: readonly number[]) {
  if (measureIds.length === 0) return new Map<number, { fromWeek: string; target: number }[]>();
  const rows = db
    .select()
    .from(leadTargets)
    .where(inArray(leadTargets.leadMeasureId, [...measureIds]))
    .orderBy(asc(leadTargets.fromWeek))
    .all();
  const map = new Map<number, { fromWeek: string; target: number }[]>();
  for (const r of rows) {
    const list = map.get(r.leadMeasureId) ?? [];
    list.push({ fromWeek: r.fromWeek, target: r.target });
    map.set(r.leadMeasureId, list);
  }
  return map;
}

export function createLeadMeasure(
  db: Db,
  actorId: number,
  wigId: number,
  input: LeadMeasureInput,
  target: number,
  fromWeek: string,
): number {
  return writeTransaction(db, (tx) => {
    const position = tx
      .select({ id: leadMeasures.id })
      .from(leadMeasures)
      .where(eq(leadMeasures.wigId, wigId))
      .all().length;
    const id = tx
      .insert(leadMeasures)
      .values({ wigId, ...input, position })
      .returning({ id: leadMeasures.id })
      .get().id;
    tx.insert(leadTargets).values({ leadMeasureId: id, fromWeek, target, setBy: actorId, setAt: Date.now() }).run();
    recordAudit(tx, {
      actorId,
      action: 'create',
      entity: 'lead_measure',
      entityId: id,
      after: { wigId, ...input, target, fromWeek },
    });
    return id;
  });
}

/** Renames a measure and sets its target from `fromWeek` on (next week): weeks before keep the target they had. */
export function updateLeadMeasure(
  db: Db,
  actorId: number,
  id: number,
  name: string,
  unit: string,
  target: number,
  fromWeek: string,
): void {
  writeTransaction(db, (tx) => {
    const before = tx.select().from(leadMeasures).where(eq(leadMeasures.id, id)).get()!;
    const periods = tx
      .select()
      .from(leadTargets)
      .where(eq(leadTargets.leadMeasureId, id))
      .orderBy(asc(leadTargets.fromWeek))
      .all();
    const current = [...periods].reverse().find((p) => p.fromWeek <= fromWeek);
    tx.update(leadMeasures).set({ name, unit }).where(eq(leadMeasures.id, id)).run();
    if (!current || current.target !== target || current.fromWeek !== fromWeek) {
      tx.delete(leadTargets)
        .where(and(eq(leadTargets.leadMeasureId, id), gte(leadTargets.fromWeek, fromWeek)))
        .run();
      tx.insert(leadTargets).values({ leadMeasureId: id, fromWeek, target, setBy: actorId, setAt: Date.now() }).run();
    }
    recordAudit(tx, {
      actorId,
      action: 'update',
      entity: 'lead_measure',
      entityId: id,
      before: { name: before.name, unit: before.unit, target: current?.target ?? null },
      after: { name, unit, target, fromWeek },
    });
  });
}

export function setLeadMeasureStatus(db: Db, actorId: number, id: number, status: 'active' | 'retired'): void {
  writeTransaction(db, (tx) => {
    const before = tx.select({ status: leadMeasures.status }).from(leadMeasures).where(eq(leadMeasures.id, id)).get()!;
    tx.update(leadMeasures).set({ status }).where(eq(leadMeasures.id, id)).run();
    recordAudit(tx, {
      actorId,
      action: status === 'retired' ? 'retire' : 'restore',
      entity: 'lead_measure',
      entityId: id,
      before,
      after: { status },
    });
  });
}

// ——— Entries ———

export function weekEntries(db: Db, measureIds: readonly number[], fromWeek: string, toWeek: string) {
  if (measureIds.length === 0) return [];
  return db
    .select()
    .from(leadEntries)
    .where(
      and(
        inArray(leadEntries.leadMeasureId, [...measureIds]),
        gte(leadEntries.week, fromWeek),
        lte(leadEntries.week, toWeek),
      ),
    )
    .all();
}

export function dayEntries(db: Db, measureIds: readonly number[], fromDate: string, toDate: string) {
  if (measureIds.length === 0) return [];
  return db
    .select()
    .from(leadDayEntries)
    .where(
      and(
        inArray(leadDayEntries.leadMeasureId, [...measureIds]),
        gte(leadDayEntries.date, fromDate),
        lte(leadDayEntries.date, toDate),
      ),
    )
    .all();
}

export type SaveResult = 'created' | 'corrected' | 'unchanged' | 'cleared';

/** Saves one cell of the weekly grid (null clears it). Corrections keep the old value (and who, when) in the audit log, and the entry its first time. */
export function saveEntry(
  db: Db,
  actorId: number,
  measureId: number,
  week: string,
  personId: number | null,
  value: number | null,
  now = Date.now(),
): SaveResult {
  return writeTransaction(db, (tx) => {
    const match = and(
      eq(leadEntries.leadMeasureId, measureId),
      eq(leadEntries.week, week),
      personId === null ? isNull(leadEntries.personId) : eq(leadEntries.personId, personId),
    );
    const before = tx.select().from(leadEntries).where(match).get();
    if (value === null) {
      if (!before) return 'unchanged';
      tx.delete(leadEntries).where(eq(leadEntries.id, before.id)).run();
    } else if (before) {
      if (before.value === value) return 'unchanged';
      // entered_at stays the time the week's number was first entered (execution health asks whether it was in before the
      // session); who corrected it and when is in the audit log.
      tx.update(leadEntries).set({ value, enteredBy: actorId }).where(eq(leadEntries.id, before.id)).run();
    } else {
      tx.insert(leadEntries)
        .values({ leadMeasureId: measureId, week, personId, value, enteredBy: actorId, enteredAt: now })
        .run();
    }
    const result: SaveResult = value === null ? 'cleared' : before ? 'corrected' : 'created';
    recordAudit(
      tx,
      {
        actorId,
        action: result === 'created' ? 'enter' : result === 'cleared' ? 'clear' : 'correct',
        entity: 'lead_entry',
        entityId: measureId,
        before: before ? { week, personId, value: before.value } : undefined,
        after: value === null ? undefined : { week, personId, value },
      },
      now,
    );
    return result;
  });
}

/** Saves one day of a daily standard (null clears it). */
export function saveDayEntry(
  db: Db,
  actorId: number,
  measureId: number,
  date: string,
  personId: number | null,
  kept: boolean | null,
  now = Date.now(),
): SaveResult {
  return writeTransaction(db, (tx) => {
    const match = and(
      eq(leadDayEntries.leadMeasureId, measureId),
      eq(leadDayEntries.date, date),
      personId === null ? isNull(leadDayEntries.personId) : eq(leadDayEntries.personId, personId),
    );
    const before = tx.select().from(leadDayEntries).where(match).get();
    if (kept === null) {
      if (!before) return 'unchanged';
      tx.delete(leadDayEntries).where(eq(leadDayEntries.id, before.id)).run();
    } else if (before) {
      if (before.kept === kept) return 'unchanged';
      tx.update(leadDayEntries).set({ kept, enteredBy: actorId }).where(eq(leadDayEntries.id, before.id)).run();
    } else {
      tx.insert(leadDayEntries)
        .values({ leadMeasureId: measureId, date, personId, kept, enteredBy: actorId, enteredAt: now })
        .run();
    }
    const result: SaveResult = kept === null ? 'cleared' : before ? 'corrected' : 'created';
    recordAudit(
      tx,
      {
        actorId,
        action: result === 'created' ? 'enter' : result === 'cleared' ? 'clear' : 'correct',
        entity: 'lead_day_entry',
        entityId: measureId,
        before: before ? { date, personId, kept: before.kept } : undefined,
        after: kept === null ? undefined : { date, personId, kept },
      },
      now,
    );
    return result;
  });
}

/** One row of an import: a week's number, or whether a daily standard was kept on a day. */
export type ImportedEntry =
  | { kind: 'week'; measureId: number; week: string; personId: number | null; value: number }
  | { kind: 'day'; measureId: number; date: string; personId: number | null; value: boolean };

/**
 * Saves a whole checked import in ONE transaction: each row as the grid saves a cell (saveEntry / saveDayEntry, so every new
 * value and every correction gets its audit row, before → after), then one audit row for the import itself. All or nothing.
 */
export function saveImportedEntries(
  db: Db,
  actorId: number,
  teamId: number,
  rows: readonly ImportedEntry[],
  now = Date.now(),
): Record<SaveResult, number> {
  return writeTransaction(db, (tx) => {
    const counts: Record<SaveResult, number> = { created: 0, corrected: 0, unchanged: 0, cleared: 0 };
    for (const r of rows) {
      const result =
        r.kind === 'week'
          ? saveEntry(tx, actorId, r.measureId, r.week, r.personId, r.value, now)
          : saveDayEntry(tx, actorId, r.measureId, r.date, r.personId, r.value, now);
      counts[result]++;
    }
    recordAudit(
      tx,
      { actorId, action: 'import_csv', entity: 'team', entityId: teamId, after: { rows: rows.length, ...counts } },
      now,
    );
    return counts;
  });
}
