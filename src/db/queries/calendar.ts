// The school year in the database: academic years, terms, trust and school closures, and a school's calendar.
import { and, asc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { BankHoliday } from '../../domain/bank-holidays.ts';
import {
  addDays,
  weekStart,
  type Closure,
  type ClosureKind,
  type DateRange,
  type IsoDate,
  type SchoolCalendar,
} from '../../domain/calendar.ts';
import type { NamedPeriod } from '../../domain/health.ts';
import { writeTransaction, type Db } from '../connection.ts';
import { academicYears, closures, terms } from '../schema.ts';
import { recordAudit } from './audit.ts';

export interface DatedInput {
  name: string;
  startDate: string;
  endDate: string;
}

export function listAcademicYears(db: Db) {
  const years = db.select().from(academicYears).orderBy(asc(academicYears.startDate)).all();
  const allTerms = db.select().from(terms).orderBy(asc(terms.startDate)).all();
  return years.map((y) => ({ ...y, terms: allTerms.filter((t) => t.academicYearId === y.id) }));
}

export const findAcademicYear = (db: Db, id: number) =>
  db.select().from(academicYears).where(eq(academicYears.id, id)).get() ?? null;
export const findTerm = (db: Db, id: number) => db.select().from(terms).where(eq(terms.id, id)).get() ?? null;
export const findClosure = (db: Db, id: number) => db.select().from(closures).where(eq(closures.id, id)).get() ?? null;

/** The other academic year (or term of the same year) whose dates overlap these, if any. */
export function overlappingYear(db: Db, start: string, end: string) {
  return (
    db
      .select()
      .from(academicYears)
      .all()
      .find((y) => y.startDate <= end && start <= y.endDate) ?? null
  );
}
export function overlappingTerm(db: Db, start: string, end: string) {
  return (
    db
      .select()
      .from(terms)
      .all()
      .find((t) => t.startDate <= end && start <= t.endDate) ?? null
  );
}

export function createAcademicYear(db: Db, actorId: number | null, input: DatedInput): number {
  return writeTransaction(db, (tx) => {
    const id = tx.insert(academicYears).values(input).returning({ id: academicYears.id }).get().id;
    recordAudit(tx, { actorId, action: 'create', entity: 'academic_year', entityId: id, after: input });
    return id;
  });
}

export function createTerm(db: Db, actorId: number | null, academicYearId: number, input: DatedInput): number {
  return writeTransaction(db, (tx) => {
    const id = tx
      .insert(terms)
      .values({ academicYearId, ...input })
      .returning({ id: terms.id })
      .get().id;
    recordAudit(tx, { actorId, action: 'create', entity: 'term', entityId: id, after: { academicYearId, ...input } });
    return id;
  });
}

export function deleteTerm(db: Db, actorId: number | null, id: number): void {
  writeTransaction(db, (tx) => {
    const before = tx.select().from(terms).where(eq(terms.id, id)).get();
    tx.delete(terms).where(eq(terms.id, id)).run();
    recordAudit(tx, { actorId, action: 'delete', entity: 'term', entityId: id, before });
  });
}

/** Trust-wide closures (schoolId null) or one school's own. */
export function listClosures(db: Db, schoolId: number | null) {
  return db
    .select()
    .from(closures)
    .where(schoolId === null ? isNull(closures.schoolId) : eq(closures.schoolId, schoolId))
    .orderBy(asc(closures.startDate))
    .all();
}

export function createClosure(
  db: Db,
  actorId: number | null,
  schoolId: number | null,
  kind: ClosureKind,
  input: DatedInput,
): number {
  return writeTransaction(db, (tx) => {
    const id = tx
      .insert(closures)
      .values({ schoolId, kind, ...input })
      .returning({ id: closures.id })
      .get().id;
    recordAudit(tx, {
      actorId,
      action: 'create',
      entity: 'closure',
      entityId: id,
      after: { schoolId, kind, ...input },
    });
    return id;
  });
}

export function deleteClosure(db: Db, actorId: number | null, id: number): void {
  writeTransaction(db, (tx) => {
    const before = tx.select().from(closures).where(eq(closures.id, id)).get();
    tx.delete(closures).where(eq(closures.id, id)).run();
    recordAudit(tx, { actorId, action: 'delete', entity: 'closure', entityId: id, before });
  });
}

/** Adds trust-wide bank holidays, skipping dates that already have one; returns how many were added. */
export function importBankHolidays(db: Db, actorId: number | null, holidays: readonly BankHoliday[]): number {
  return writeTransaction(db, (tx) => {
    const existing = new Set(
      tx
        .select({ date: closures.startDate })
        .from(closures)
        .where(and(eq(closures.kind, 'bank_holiday'), isNull(closures.schoolId)))
        .all()
        .map((r) => r.date),
    );
    const fresh = holidays.filter((h) => !existing.has(h.date));
    for (const h of fresh)
      tx.insert(closures)
        .values({ schoolId: null, kind: 'bank_holiday', name: h.title, startDate: h.date, endDate: h.date })
        .run();
    recordAudit(tx, {
      actorId,
      action: 'import_bank_holidays',
      entity: 'closure',
      entityId: null,
      after: { added: fresh.length, skipped: holidays.length - fresh.length },
    });
    return fresh.length;
  });
}

/** The calendar a school keeps: the trust's terms, the trust's closures and its own. One read for many schools at once. */
export function schoolCalendars(db: Db, schoolIds: readonly (number | null)[]): Map<number | null, SchoolCalendar> {
  const termRanges = db.select({ start: terms.startDate, end: terms.endDate }).from(terms).all();
  const ids = schoolIds.filter((id): id is number => id !== null);
  const rows = db
    .select()
    .from(closures)
    .where(ids.length ? or(isNull(closures.schoolId), inArray(closures.schoolId, ids)) : isNull(closures.schoolId))
    .all();
  const toClosure = (c: (typeof rows)[number]): Closure => ({
    start: c.startDate,
    end: c.endDate,
    kind: c.kind,
    name: c.name,
  });
  const trustWide = rows.filter((c) => c.schoolId === null).map(toClosure);
  const result = new Map<number | null, SchoolCalendar>();
  for (const id of schoolIds) {
    result.set(id, {
      terms: termRanges,
      closures: [...trustWide, ...rows.filter((c) => id !== null && c.schoolId === id).map(toClosure)],
    });
  }
  return result;
}

export const schoolCalendar = (db: Db, schoolId: number | null): SchoolCalendar =>
  schoolCalendars(db, [schoolId]).get(schoolId)!;

/** The academic year a date falls in (or null between years). */
export function academicYearOf(db: Db, date: IsoDate) {
  return (
    db
      .select()
      .from(academicYears)
      .where(and(lte(academicYears.startDate, date), gte(academicYears.endDate, date)))
      .get() ?? null
  );
}

/** The half-terms of the calendar, oldest first. */
export const listTerms = (db: Db): NamedPeriod[] =>
  db
    .select({ name: terms.name, start: terms.startDate, end: terms.endDate })
    .from(terms)
    .orderBy(asc(terms.startDate))
    .all();

/** The current academic year and the next one, when they are set up: what a calendar subscription looks ahead over. */
export function currentAndNextYear(db: Db, today: IsoDate) {
  return db
    .select()
    .from(academicYears)
    .where(gte(academicYears.endDate, today))
    .orderBy(asc(academicYears.startDate))
    .limit(2)
    .all();
}

/**
 * This academic year so far, the period health, the commitments history and RADAR look at by default (the last
 * twelve weeks when no year is set up).
 */
export function academicYearSoFar(db: Db, today: IsoDate): DateRange {
  const year = academicYearOf(db, today);
  return { start: year?.startDate ?? addDays(weekStart(today), -7 * 11), end: today };
}
