// WIGs and their lag readings: reads for pages, writes with their audit rows.
import { and, asc, count, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Direction, WigLevel, WigStatus } from '../../domain/wig.ts';
import { writeTransaction, type Db } from '../connection.ts';
import { lagReadings, leadMeasures, schools, teams, wigs } from '../schema.ts';
import { recordAudit } from './audit.ts';

export type Wig = typeof wigs.$inferSelect;
export type LagReading = typeof lagReadings.$inferSelect;

/** What a person types into the WIG form. */
export interface WigInput {
  lagName: string;
  unit: string;
  direction: Direction | null;
  baseline: number | null;
  target: number | null;
  startDate: string | null;
  deadline: string | null;
  parentId: number | null;
}

export interface WigOwner {
  level: WigLevel;
  schoolId: number | null;
  teamId: number | null;
}

const EDITABLE: (keyof WigInput)[] = [
  'lagName',
  'unit',
  'direction',
  'baseline',
  'target',
  'startDate',
  'deadline',
  'parentId',
];
const pick = (w: Wig | WigInput) => Object.fromEntries(EDITABLE.map((k) => [k, w[k]])) as unknown as WigInput;

export const findWig = (db: Db, id: number) => db.select().from(wigs).where(eq(wigs.id, id)).get() ?? null;

/** WIGs of a team, a school (its own, not its teams') or the trust, newest first within each status. */
export function listWigs(db: Db, owner: WigOwner, statuses?: readonly WigStatus[]) {
  const where = and(
    eq(wigs.level, owner.level),
    owner.level === 'team'
      ? eq(wigs.teamId, owner.teamId!)
      : owner.level === 'school'
        ? eq(wigs.schoolId, owner.schoolId!)
        : undefined,
    statuses ? inArray(wigs.status, [...statuses]) : undefined,
  );
  return db
    .select()
    .from(wigs)
    .where(where)
    .orderBy(sql`case ${wigs.status} when 'active' then 0 when 'draft' then 1 else 2 end`, desc(wigs.id))
    .all();
}

export function countActiveTeamWigs(db: Db, teamId: number, exceptId?: number): number {
  return (
    db
      .select({ n: count() })
      .from(wigs)
      .where(and(eq(wigs.teamId, teamId), eq(wigs.status, 'active'), exceptId ? ne(wigs.id, exceptId) : undefined))
      .get()?.n ?? 0
  );
}

/** The active WIGs a new WIG at this level may serve: the trust's, and for a team its own school's. */
export function possibleParents(db: Db, owner: WigOwner) {
  if (owner.level === 'trust') return [];
  const rows = db
    .select({
      id: wigs.id,
      level: wigs.level,
      schoolId: wigs.schoolId,
      lagName: wigs.lagName,
      unit: wigs.unit,
      baseline: wigs.baseline,
      target: wigs.target,
      deadline: wigs.deadline,
      schoolName: schools.name,
    })
    .from(wigs)
    .leftJoin(schools, eq(schools.id, wigs.schoolId))
    .where(
      and(
        eq(wigs.status, 'active'),
        owner.level === 'school' || owner.schoolId === null
          ? eq(wigs.level, 'trust')
          : sql`(${wigs.level} = 'trust' or (${wigs.level} = 'school' and ${wigs.schoolId} = ${owner.schoolId}))`,
      ),
    )
    .orderBy(asc(wigs.level), asc(wigs.lagName))
    .all();
  return rows;
}

export function createWig(db: Db, actorId: number, owner: WigOwner, input: WigInput): number {
  return writeTransaction(db, (tx) => {
    const id = tx
      .insert(wigs)
      .values({ ...owner, ...input, status: 'draft', createdBy: actorId, updatedAt: Date.now() })
      .returning({ id: wigs.id })
      .get().id;
    recordAudit(tx, { actorId, action: 'create', entity: 'wig', entityId: id, after: { ...owner, ...input } });
    return id;
  });
}

export function updateWig(db: Db, actorId: number, id: number, input: WigInput): void {
  writeTransaction(db, (tx) => {
    const before = tx.select().from(wigs).where(eq(wigs.id, id)).get()!;
    tx.update(wigs)
      .set({ ...input, updatedAt: Date.now() })
      .where(eq(wigs.id, id))
      .run();
    recordAudit(tx, { actorId, action: 'update', entity: 'wig', entityId: id, before: pick(before), after: input });
  });
}

/** Moves a WIG to a new status; activating clears an earlier veto. */
export function setWigStatus(db: Db, actorId: number, id: number, status: WigStatus): void {
  writeTransaction(db, (tx) => {
    const before = tx.select({ status: wigs.status }).from(wigs).where(eq(wigs.id, id)).get()!;
    const clearVeto = status === 'active' ? { vetoReason: null, vetoedBy: null, vetoedAt: null } : {};
    tx.update(wigs)
      .set({ status, ...clearVeto, updatedAt: Date.now() })
      .where(eq(wigs.id, id))
      .run();
    recordAudit(tx, { actorId, action: 'status', entity: 'wig', entityId: id, before, after: { status } });
  });
}

/** A leader above sends the WIG back to draft with a reason the team sees; the WIG itself is not rewritten. */
export function vetoWig(db: Db, actorId: number, id: number, reason: string): void {
  writeTransaction(db, (tx) => {
    const before = tx.select({ status: wigs.status }).from(wigs).where(eq(wigs.id, id)).get()!;
    tx.update(wigs)
      .set({ status: 'draft', vetoReason: reason, vetoedBy: actorId, vetoedAt: Date.now(), updatedAt: Date.now() })
      .where(eq(wigs.id, id))
      .run();
    recordAudit(tx, {
      actorId,
      action: 'veto',
      entity: 'wig',
      entityId: id,
      before,
      after: { status: 'draft', reason },
    });
  });
}

/** The WIGs that serve this one (its children), with their owners' names. */
export function childWigs(db: Db, id: number) {
  return db
    .select({
      id: wigs.id,
      level: wigs.level,
      status: wigs.status,
      lagName: wigs.lagName,
      unit: wigs.unit,
      baseline: wigs.baseline,
      target: wigs.target,
      deadline: wigs.deadline,
      teamName: teams.name,
      schoolName: schools.name,
    })
    .from(wigs)
    .leftJoin(teams, eq(teams.id, wigs.teamId))
    .leftJoin(schools, eq(schools.id, wigs.schoolId))
    .where(eq(wigs.parentId, id))
    .orderBy(asc(schools.name), asc(teams.name))
    .all();
}

export function activeLeadCount(db: Db, wigId: number): number {
  return (
    db
      .select({ n: count() })
      .from(leadMeasures)
      .where(and(eq(leadMeasures.wigId, wigId), eq(leadMeasures.status, 'active')))
      .get()?.n ?? 0
  );
}

// ——— Lag readings ———

export function listReadings(db: Db, wigId: number) {
  return db.select().from(lagReadings).where(eq(lagReadings.wigId, wigId)).orderBy(asc(lagReadings.date)).all();
}

/** Saves a reading for a date; a second value for the same date is a correction, and the audit log keeps the old one. */
export function saveReading(
  db: Db,
  actorId: number,
  wigId: number,
  date: string,
  value: number,
  note: string | null,
  now = Date.now(),
): 'created' | 'corrected' | 'unchanged' {
  return writeTransaction(db, (tx) => {
    const before = tx
      .select()
      .from(lagReadings)
      .where(and(eq(lagReadings.wigId, wigId), eq(lagReadings.date, date)))
      .get();
    if (before && before.value === value && before.note === note) return 'unchanged';
    if (before)
      tx.update(lagReadings)
        .set({ value, note, enteredBy: actorId, enteredAt: now })
        .where(eq(lagReadings.id, before.id))
        .run();
    else tx.insert(lagReadings).values({ wigId, date, value, note, enteredBy: actorId, enteredAt: now }).run();
    recordAudit(
      tx,
      {
        actorId,
        action: before ? 'correct' : 'create',
        entity: 'lag_reading',
        entityId: wigId,
        before: before ? { date, value: before.value, note: before.note } : undefined,
        after: { date, value, note },
      },
      now,
    );
    return before ? 'corrected' : 'created';
  });
}

/** Saves a whole checked import of readings in ONE transaction (each as saveReading does, corrections audited), plus one audit row for the import. */
export function saveImportedReadings(
  db: Db,
  actorId: number,
  wigId: number,
  rows: readonly { date: string; value: number; note: string | null }[],
  now = Date.now(),
): Record<'created' | 'corrected' | 'unchanged', number> {
  return writeTransaction(db, (tx) => {
    const counts = { created: 0, corrected: 0, unchanged: 0 };
    for (const r of rows) counts[saveReading(tx, actorId, wigId, r.date, r.value, r.note, now)]++;
    recordAudit(
      tx,
      { actorId, action: 'import_csv', entity: 'wig', entityId: wigId, after: { rows: rows.length, ...counts } },
      now,
    );
    return counts;
  });
}
