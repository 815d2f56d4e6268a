// Cadence reminders in the database: the planner's snapshot, the settings, people's opt-outs, and the outbox.
import { and, asc, desc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import { addDays, weekStart, type IsoDate } from '../../domain/calendar.ts';
import { reminderKindList, type PlannerSnapshot, type ReminderKindName, type ReminderSetting } from '../../domain/reminders.ts';
import { writeTransaction, type Db } from '../connection.ts';
import {
  leadDayEntries,
  leadEntries,
  leadMeasures,
  people,
  reminderOptOuts,
  reminderOutbox,
  reminderSettings,
  roleAssignments,
  schools,
  teams,
  wigs,
  wigSessions,
} from '../schema.ts';
import { recordAudit } from './audit.ts';

/**
 * What the planner reads for the school weeks touching [fromDate, toDate] (and the week before, for "not recorded").
 * With `teamId`, only that team's measures and roles (the dispatcher's last check of one message).
 */
export function plannerSnapshot(db: Db, fromDate: IsoDate, toDate: IsoDate, teamId?: number): PlannerSnapshot {
  const firstWeek = addDays(weekStart(fromDate), -7);
  const lastWeek = weekStart(toDate);
  const measures = db
    .select({ id: leadMeasures.id, teamId: wigs.teamId, name: leadMeasures.name, kind: leadMeasures.kind, perPerson: leadMeasures.perPerson })
    .from(leadMeasures)
    .innerJoin(wigs, eq(wigs.id, leadMeasures.wigId))
    .where(and(eq(leadMeasures.status, 'active'), eq(wigs.status, 'active'), eq(wigs.level, 'team'), teamId === undefined ? undefined : eq(wigs.teamId, teamId)))
    .orderBy(asc(leadMeasures.position), asc(leadMeasures.id))
    .all()
    .filter((m): m is typeof m & { teamId: number } => m.teamId !== null);
  const ids = measures.map((m) => m.id);
  const weekly = ids.length
    ? db
        .select({ leadMeasureId: leadEntries.leadMeasureId, week: leadEntries.week, personId: leadEntries.personId })
        .from(leadEntries)
        .where(and(inArray(leadEntries.leadMeasureId, ids), gte(leadEntries.week, firstWeek), lte(leadEntries.week, lastWeek)))
        .all()
    : [];
  const daily = ids.length
    ? db
        .select({ leadMeasureId: leadDayEntries.leadMeasureId, date: leadDayEntries.date, personId: leadDayEntries.personId })
        .from(leadDayEntries)
        .where(and(inArray(leadDayEntries.leadMeasureId, ids), gte(leadDayEntries.date, firstWeek), lte(leadDayEntries.date, addDays(lastWeek, 6))))
        .all()
    : [];
  return {
    schools: db.select({ id: schools.id, name: schools.name }).from(schools).orderBy(asc(schools.name)).all(),
    teams: db.select().from(teams).orderBy(asc(teams.id)).all(),
    people: db
      .select({ id: people.id, name: people.name, email: people.email, disabledAt: people.disabledAt })
      .from(people)
      .all()
      .map((p) => ({ id: p.id, name: p.name, email: p.email, disabled: p.disabledAt !== null })),
    assignments: db
      .select({ personId: roleAssignments.personId, role: roleAssignments.role, schoolId: roleAssignments.schoolId, teamId: roleAssignments.teamId })
      .from(roleAssignments)
      .where(teamId === undefined ? undefined : eq(roleAssignments.teamId, teamId))
      .all(),
    optOuts: db.select({ personId: reminderOptOuts.personId, kind: reminderOptOuts.kind }).from(reminderOptOuts).all(),
    heldSessions: db
      .select({ teamId: wigSessions.teamId, week: wigSessions.week })
      .from(wigSessions)
      .where(and(gte(wigSessions.week, firstWeek), lte(wigSessions.week, lastWeek)))
      .all(),
    measures,
    entries: [...weekly, ...daily.map((d) => ({ leadMeasureId: d.leadMeasureId, week: weekStart(d.date), personId: d.personId }))],
  };
}

export function listReminderSettings(db: Db): ReminderSetting[] {
  return db
    .select({ kind: reminderSettings.kind, schoolId: reminderSettings.schoolId, enabled: reminderSettings.enabled, sendTime: reminderSettings.sendTime, dayOffset: reminderSettings.dayOffset })
    .from(reminderSettings)
    .all();
}

export interface SettingInput {
  enabled: boolean;
  sendTime: string;
  dayOffset: number;
}

/** Saves the trust's settings (schoolId null) or one school's overrides; a school row set to null removes its override. */
export function saveReminderSettings(db: Db, actorId: number, schoolId: number | null, rows: Partial<Record<ReminderKindName, SettingInput | null>>, now: number): void {
  writeTransaction(db, (tx) => {
    const scope = schoolId === null ? isNull(reminderSettings.schoolId) : eq(reminderSettings.schoolId, schoolId);
    const before = tx.select().from(reminderSettings).where(scope).all();
    for (const kind of reminderKindList) {
      if (!(kind in rows)) continue;
      const row = rows[kind];
      tx.delete(reminderSettings).where(and(scope, eq(reminderSettings.kind, kind))).run();
      if (row) tx.insert(reminderSettings).values({ kind, schoolId, ...row, updatedAt: now }).run();
    }
    const after = tx.select().from(reminderSettings).where(scope).all();
    recordAudit(
      tx,
      { actorId, action: 'update', entity: 'reminder_settings', entityId: schoolId, before: before.map(({ kind, enabled, sendTime, dayOffset }) => ({ kind, enabled, sendTime, dayOffset })), after: after.map(({ kind, enabled, sendTime, dayOffset }) => ({ kind, enabled, sendTime, dayOffset })) },
      now,
    );
  });
}

export const listOptOuts = (db: Db, personId: number): ReminderKindName[] =>
  db.select({ kind: reminderOptOuts.kind }).from(reminderOptOuts).where(eq(reminderOptOuts.personId, personId)).all().map((r) => r.kind);

/** Replaces a person's opt-outs with `stopped` (only optional kinds reach here). */
export function saveOptOuts(db: Db, personId: number, stopped: readonly ReminderKindName[], now: number): void {
  writeTransaction(db, (tx) => {
    const before = listOptOuts(tx, personId);
    tx.delete(reminderOptOuts).where(eq(reminderOptOuts.personId, personId)).run();
    for (const kind of stopped) tx.insert(reminderOptOuts).values({ personId, kind }).run();
    recordAudit(tx, { actorId: personId, action: 'update', entity: 'reminder_opt_outs', entityId: personId, before, after: stopped }, now);
  });
}

// ——— The outbox ———

export type OutboxRow = typeof reminderOutbox.$inferSelect;
export type OutboxInsert = Omit<typeof reminderOutbox.$inferInsert, 'id' | 'status' | 'attempts' | 'lastError' | 'sentAt' | 'createdAt'>;

/** Inserts each message under its unique key in one transaction; a key already there is left alone. Returns how many were new. */
export function enqueue(db: Db, messages: readonly OutboxInsert[]): number {
  if (messages.length === 0) return 0;
  return writeTransaction(db, (tx) => {
    let added = 0;
    for (const m of messages) added += tx.insert(reminderOutbox).values(m).onConflictDoNothing({ target: reminderOutbox.key }).run().changes;
    return added;
  });
}

export const existingKeys = (db: Db, keys: readonly string[]): Set<string> =>
  new Set(keys.length ? db.select({ key: reminderOutbox.key }).from(reminderOutbox).where(inArray(reminderOutbox.key, [...keys])).all().map((r) => r.key) : []);

export const INTERRUPTED = 'interrupted — not retried to avoid a duplicate';

/** At start-up: a row left in "sending" was mid-send when the process died; it may have gone, so it is never re-sent. */
export function failInterrupted(db: Db): number {
  return writeTransaction(db, (tx) => tx.update(reminderOutbox).set({ status: 'failed', lastError: INTERRUPTED }).where(eq(reminderOutbox.status, 'sending')).run().changes);
}

/** Queued rows past their stale instant become "skipped": they are not sent late. */
export function skipStale(db: Db, now: number): number {
  return writeTransaction(db, (tx) =>
    tx
      .update(reminderOutbox)
      .set({ status: 'skipped', lastError: 'stale — no longer worth sending' })
      .where(and(eq(reminderOutbox.status, 'queued'), lte(reminderOutbox.staleAt, now)))
      .run().changes,
  );
}

/** Claims the next queued row that is ready (status → sending, attempts + 1) before it is sent; null when none is. */
export function claimNext(db: Db, now: number): OutboxRow | null {
  return writeTransaction(db, (tx) => {
    const row = tx
      .select()
      .from(reminderOutbox)
      .where(and(eq(reminderOutbox.status, 'queued'), lte(reminderOutbox.nextAttemptAt, now), sql`${reminderOutbox.staleAt} > ${now}`))
      .orderBy(asc(reminderOutbox.nextAttemptAt), asc(reminderOutbox.id))
      .limit(1)
      .get();
    if (!row) return null;
    tx.update(reminderOutbox).set({ status: 'sending', attempts: row.attempts + 1 }).where(and(eq(reminderOutbox.id, row.id), eq(reminderOutbox.status, 'queued'))).run();
    return { ...row, status: 'sending' as const, attempts: row.attempts + 1 };
  });
}

/** A claimed row no longer worth sending (the session it is about has been recorded since): skipped, not sent. */
export function markSkipped(db: Db, id: number, reason: string): void {
  writeTransaction(db, (tx) => tx.update(reminderOutbox).set({ status: 'skipped', lastError: reason }).where(eq(reminderOutbox.id, id)).run());
}

/**
 * Whether a queued reminder has been overtaken before it could be sent: "session today" and "not recorded" once the
 * team's session of that week is recorded, "entries missing" once the person's entries for the week are all made.
 */
export function overtaken(db: Db, row: OutboxRow): boolean {
  if (row.teamId === null) return false;
  if (row.kind === 'session_today' || row.kind === 'session_not_recorded') {
    return db.select({ id: wigSessions.id }).from(wigSessions).where(and(eq(wigSessions.teamId, row.teamId), eq(wigSessions.week, row.week))).get() !== undefined;
  }
  if (row.kind !== 'entries_missing' || row.personId === null) return false;
  const snapshot = plannerSnapshot(db, row.week, row.week, row.teamId);
  const person = row.personId;
  const leads = snapshot.assignments.some((a) => a.personId === person && a.role === 'team_leader');
  const entered = new Set(snapshot.entries.filter((e) => e.week === row.week).map((e) => `${e.leadMeasureId}:${e.personId ?? ''}`));
  return snapshot.measures.every((m) => (m.perPerson ? entered.has(`${m.id}:${person}`) : !leads || entered.has(`${m.id}:`)));
}

export function markSent(db: Db, id: number, now: number): void {
  writeTransaction(db, (tx) => tx.update(reminderOutbox).set({ status: 'sent', sentAt: now, lastError: null }).where(eq(reminderOutbox.id, id)).run());
}

/** A failed attempt: back to the queue at `retryAt`, or failed for good when retryAt is null. */
export function markAttemptFailed(db: Db, id: number, error: string, retryAt: number | null): void {
  writeTransaction(db, (tx) =>
    tx
      .update(reminderOutbox)
      .set(retryAt === null ? { status: 'failed', lastError: error } : { status: 'queued', nextAttemptAt: retryAt, lastError: error })
      .where(eq(reminderOutbox.id, id))
      .run(),
  );
}

export function listOutbox(db: Db, status: OutboxRow['status'] | null, limit = 200): OutboxRow[] {
  return db
    .select()
    .from(reminderOutbox)
    .where(status ? eq(reminderOutbox.status, status) : undefined)
    .orderBy(desc(reminderOutbox.dueAt), desc(reminderOutbox.id))
    .limit(limit)
    .all();
}

export function outboxCounts(db: Db): Record<OutboxRow['status'], number> {
  const counts = { queued: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const r of db.select({ status: reminderOutbox.status, n: sql<number>`count(*)` }).from(reminderOutbox).groupBy(reminderOutbox.status).all()) counts[r.status] = r.n;
  return counts;
}

export const findOutboxMessage = (db: Db, id: number) => db.select().from(reminderOutbox).where(eq(reminderOutbox.id, id)).get() ?? null;
