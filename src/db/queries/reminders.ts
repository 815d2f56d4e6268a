// Cadence reminders in the database: the planner's snapshot, the settings, people's opt-outs, and the outbox.
import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { addDays, weekStart, type IsoDate } from '../../domain/calendar.ts';
import {
  effectiveSetting,
  reminderKindInfo,
  reminderKinds,
  type PlannerSnapshot,
  type ReminderKind,
  type ReminderSetting,
} from '../../domain/reminders.ts';
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

/** The active lead measures of active team WIGs (of one team with `teamId`). */
function activeMeasures(db: Db, teamId?: number) {
  return db
    .select({
      id: leadMeasures.id,
      teamId: wigs.teamId,
      name: leadMeasures.name,
      kind: leadMeasures.kind,
      perPerson: leadMeasures.perPerson,
    })
    .from(leadMeasures)
    .innerJoin(wigs, eq(wigs.id, leadMeasures.wigId))
    .where(
      and(
        eq(leadMeasures.status, 'active'),
        eq(wigs.status, 'active'),
        eq(wigs.level, 'team'),
        teamId === undefined ? undefined : eq(wigs.teamId, teamId),
      ),
    )
    .orderBy(asc(leadMeasures.position), asc(leadMeasures.id))
    .all()
    .filter((m): m is typeof m & { teamId: number } => m.teamId !== null);
}

/** Entries made for these measures in the school weeks firstWeek..lastWeek (a day's mark counts for its week). */
function entriesMade(
  db: Db,
  ids: readonly number[],
  firstWeek: IsoDate,
  lastWeek: IsoDate,
): PlannerSnapshot['entries'] {
  if (ids.length === 0) return [];
  const weekly = db
    .select({ leadMeasureId: leadEntries.leadMeasureId, week: leadEntries.week, personId: leadEntries.personId })
    .from(leadEntries)
    .where(
      and(
        inArray(leadEntries.leadMeasureId, [...ids]),
        gte(leadEntries.week, firstWeek),
        lte(leadEntries.week, lastWeek),
      ),
    )
    .all();
  const daily = db
    .select({
      leadMeasureId: leadDayEntries.leadMeasureId,
      date: leadDayEntries.date,
      personId: leadDayEntries.personId,
    })
    .from(leadDayEntries)
    .where(
      and(
        inArray(leadDayEntries.leadMeasureId, [...ids]),
        gte(leadDayEntries.date, firstWeek),
        lte(leadDayEntries.date, addDays(lastWeek, 6)),
      ),
    )
    .all();
  return [
    ...weekly,
    ...daily.map((d) => ({ leadMeasureId: d.leadMeasureId, week: weekStart(d.date), personId: d.personId })),
  ];
}

/**
 * What the planner reads for the school weeks from the one holding `firstDate` to the one holding `toDate` (the
 * caller reaches back with `planningStart`, so "not recorded" of a session before a holiday is still seen).
 */
export function plannerSnapshot(db: Db, firstDate: IsoDate, toDate: IsoDate): PlannerSnapshot {
  const firstWeek = weekStart(firstDate);
  const lastWeek = weekStart(toDate);
  const measures = activeMeasures(db);
  return {
    schools: db.select({ id: schools.id, name: schools.name }).from(schools).orderBy(asc(schools.name)).all(),
    teams: db.select().from(teams).orderBy(asc(teams.id)).all(),
    people: db
      .select({ id: people.id, name: people.name, email: people.email, disabledAt: people.disabledAt })
      .from(people)
      .all()
      .map((p) => ({ id: p.id, name: p.name, email: p.email, disabled: p.disabledAt !== null })),
    assignments: db
      .select({
        personId: roleAssignments.personId,
        role: roleAssignments.role,
        schoolId: roleAssignments.schoolId,
        teamId: roleAssignments.teamId,
      })
      .from(roleAssignments)
      .all(),
    optOuts: db.select({ personId: reminderOptOuts.personId, kind: reminderOptOuts.kind }).from(reminderOptOuts).all(),
    heldWigSessions: db
      .select({ teamId: wigSessions.teamId, week: wigSessions.week })
      .from(wigSessions)
      .where(and(gte(wigSessions.week, firstWeek), lte(wigSessions.week, lastWeek)))
      .all(),
    measures,
    entries: entriesMade(
      db,
      measures.map((m) => m.id),
      firstWeek,
      lastWeek,
    ),
  };
}

export const listSchoolIds = (db: Db): number[] =>
  db
    .select({ id: schools.id })
    .from(schools)
    .all()
    .map((s) => s.id);

export function listReminderSettings(db: Db): ReminderSetting[] {
  return db
    .select({
      kind: reminderSettings.kind,
      schoolId: reminderSettings.schoolId,
      enabled: reminderSettings.enabled,
      sendTime: reminderSettings.sendTime,
      dayOffset: reminderSettings.dayOffset,
    })
    .from(reminderSettings)
    .all();
}

export interface SettingInput {
  enabled: boolean;
  sendTime: string;
  dayOffset: number;
}

/** Saves the trust's settings (schoolId null) or one school's overrides; a school row set to null removes its override. */
export function saveReminderSettings(
  db: Db,
  actorId: number,
  schoolId: number | null,
  rows: Partial<Record<ReminderKind, SettingInput | null>>,
  now: number,
): void {
  writeTransaction(db, (tx) => {
    const scope = schoolId === null ? isNull(reminderSettings.schoolId) : eq(reminderSettings.schoolId, schoolId);
    const before = tx.select().from(reminderSettings).where(scope).all();
    for (const kind of reminderKinds) {
      if (!(kind in rows)) continue;
      const row = rows[kind];
      tx.delete(reminderSettings)
        .where(and(scope, eq(reminderSettings.kind, kind)))
        .run();
      if (row)
        tx.insert(reminderSettings)
          .values({ kind, schoolId, ...row, updatedAt: now })
          .run();
    }
    const after = tx.select().from(reminderSettings).where(scope).all();
    recordAudit(
      tx,
      {
        actorId,
        action: 'update',
        entity: 'reminder_settings',
        entityId: schoolId,
        before: before.map(({ kind, enabled, sendTime, dayOffset }) => ({ kind, enabled, sendTime, dayOffset })),
        after: after.map(({ kind, enabled, sendTime, dayOffset }) => ({ kind, enabled, sendTime, dayOffset })),
      },
      now,
    );
  });
}

export const listOptOuts = (db: Db, personId: number): ReminderKind[] =>
  db
    .select({ kind: reminderOptOuts.kind })
    .from(reminderOptOuts)
    .where(eq(reminderOptOuts.personId, personId))
    .all()
    .map((r) => r.kind);

/** Replaces a person's opt-outs with `stopped` (only optional kinds reach here). */
export function saveOptOuts(db: Db, personId: number, stopped: readonly ReminderKind[], now: number): void {
  writeTransaction(db, (tx) => {
    const before = listOptOuts(tx, personId);
    tx.delete(reminderOptOuts).where(eq(reminderOptOuts.personId, personId)).run();
    for (const kind of stopped) tx.insert(reminderOptOuts).values({ personId, kind }).run();
    recordAudit(
      tx,
      { actorId: personId, action: 'update', entity: 'reminder_opt_outs', entityId: personId, before, after: stopped },
      now,
    );
  });
}

// ——— The outbox ———

export type OutboxRow = typeof reminderOutbox.$inferSelect;
export type OutboxInsert = Omit<
  typeof reminderOutbox.$inferInsert,
  'id' | 'status' | 'attempts' | 'lastError' | 'sentAt' | 'createdAt'
>;

/** Inserts each message under its unique key in one transaction; a key already there is left alone. Returns how many were new. */
export function enqueue(db: Db, messages: readonly OutboxInsert[]): number {
  if (messages.length === 0) return 0;
  return writeTransaction(db, (tx) => {
    let added = 0;
    for (const m of messages)
      added += tx.insert(reminderOutbox).values(m).onConflictDoNothing({ target: reminderOutbox.key }).run().changes;
    return added;
  });
}

/** The keys already in the outbox, read in chunks of 500 (well under SQLite's limit on bound parameters). */
export function existingKeys(db: Db, keys: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    for (const r of db
      .select({ key: reminderOutbox.key })
      .from(reminderOutbox)
      .where(inArray(reminderOutbox.key, keys.slice(i, i + 500)))
      .all())
      found.add(r.key);
  }
  return found;
}

export const INTERRUPTED = 'interrupted — not retried to avoid a duplicate';

/** At start-up: a row left in "sending" was mid-send when the process died; it may have gone, so it is never re-sent. */
export function failInterrupted(db: Db): number {
  return writeTransaction(
    db,
    (tx) =>
      tx
        .update(reminderOutbox)
        .set({ status: 'failed', lastError: INTERRUPTED })
        .where(eq(reminderOutbox.status, 'sending'))
        .run().changes,
  );
}

/** Queued rows past their stale instant become "skipped": they are not sent late. */
export function skipStale(db: Db, now: number): number {
  return writeTransaction(
    db,
    (tx) =>
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
      .where(
        and(
          eq(reminderOutbox.status, 'queued'),
          lte(reminderOutbox.nextAttemptAt, now),
          sql`${reminderOutbox.staleAt} > ${now}`,
        ),
      )
      .orderBy(asc(reminderOutbox.nextAttemptAt), asc(reminderOutbox.id))
      .limit(1)
      .get();
    if (!row) return null;
    tx.update(reminderOutbox)
      .set({ status: 'sending', attempts: row.attempts + 1 })
      .where(and(eq(reminderOutbox.id, row.id), eq(reminderOutbox.status, 'queued')))
      .run();
    return { ...row, status: 'sending' as const, attempts: row.attempts + 1 };
  });
}

/** A claimed row no longer worth sending (the session it is about has been recorded since): skipped, not sent. */
export function markSkipped(db: Db, id: number, reason: string): void {
  writeTransaction(db, (tx) =>
    tx.update(reminderOutbox).set({ status: 'skipped', lastError: reason }).where(eq(reminderOutbox.id, id)).run(),
  );
}

/**
 * The last check of a claimed row right before it is sent, reading only that person, their opt-outs and the kind's
 * settings: skipped (with the reason) when the person is disabled or gone, has stopped an optional kind, the kind has
 * been switched off for the school (or trust), or the reminder has been overtaken — "session today" and "not recorded"
 * once the team's session of that week is recorded, "entries missing" once the person's entries for the week are all
 * made. Otherwise the person's current address, which may have changed since the row was queued.
 */
export function recheck(db: Db, row: OutboxRow): { skip: string } | { to: string } {
  const person =
    row.personId === null
      ? undefined
      : db
          .select({ email: people.email, disabledAt: people.disabledAt })
          .from(people)
          .where(eq(people.id, row.personId))
          .get();
  if (!person || person.disabledAt !== null || !person.email)
    return { skip: 'not sent — the person’s account is disabled or has no email address' };
  if (reminderKindInfo[row.kind].optional) {
    const stopped = db
      .select({ kind: reminderOptOuts.kind })
      .from(reminderOptOuts)
      .where(and(eq(reminderOptOuts.personId, row.personId!), eq(reminderOptOuts.kind, row.kind)))
      .get();
    if (stopped) return { skip: 'not sent — the person has stopped this kind of reminder' };
  }
  const settings = db
    .select({
      kind: reminderSettings.kind,
      schoolId: reminderSettings.schoolId,
      enabled: reminderSettings.enabled,
      sendTime: reminderSettings.sendTime,
      dayOffset: reminderSettings.dayOffset,
    })
    .from(reminderSettings)
    .where(
      and(
        eq(reminderSettings.kind, row.kind),
        row.schoolId === null
          ? isNull(reminderSettings.schoolId)
          : or(isNull(reminderSettings.schoolId), eq(reminderSettings.schoolId, row.schoolId)),
      ),
    )
    .all();
  if (!effectiveSetting(settings, row.kind, row.schoolId).enabled)
    return { skip: 'not sent — this kind of reminder has been switched off' };
  if (row.teamId !== null && (row.kind === 'session_today' || row.kind === 'session_not_recorded')) {
    const held = db
      .select({ id: wigSessions.id })
      .from(wigSessions)
      .where(and(eq(wigSessions.teamId, row.teamId), eq(wigSessions.week, row.week)))
      .get();
    if (held) return { skip: 'no longer needed — the session has been recorded' };
  }
  if (row.teamId !== null && row.kind === 'entries_missing' && row.personId !== null) {
    const personId = row.personId;
    const measures = activeMeasures(db, row.teamId);
    const leads = db
      .select({ id: roleAssignments.id })
      .from(roleAssignments)
      .where(
        and(
          eq(roleAssignments.personId, personId),
          eq(roleAssignments.teamId, row.teamId),
          eq(roleAssignments.role, 'team_leader'),
        ),
      )
      .get();
    const entered = new Set(
      entriesMade(
        db,
        measures.map((m) => m.id),
        row.week,
        row.week,
      ).map((e) => `${e.leadMeasureId}:${e.personId ?? ''}`),
    );
    if (measures.every((m) => (m.perPerson ? entered.has(`${m.id}:${personId}`) : !leads || entered.has(`${m.id}:`))))
      return { skip: 'no longer needed — the week’s numbers are all entered' };
  }
  return { to: person.email };
}

/** Sent: with the address it actually went to (the person's current one, which may differ from the queued one). */
export function markSent(db: Db, id: number, now: number, to?: string): void {
  writeTransaction(db, (tx) =>
    tx
      .update(reminderOutbox)
      .set({ status: 'sent', sentAt: now, lastError: null, ...(to ? { toAddress: to } : {}) })
      .where(eq(reminderOutbox.id, id))
      .run(),
  );
}

/** A failed attempt: back to the queue at `retryAt`, or failed for good when retryAt is null. */
export function markAttemptFailed(db: Db, id: number, error: string, retryAt: number | null): void {
  writeTransaction(db, (tx) =>
    tx
      .update(reminderOutbox)
      .set(
        retryAt === null
          ? { status: 'failed', lastError: error }
          : { status: 'queued', nextAttemptAt: retryAt, lastError: error },
      )
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
  for (const r of db
    .select({ status: reminderOutbox.status, n: sql<number>`count(*)` })
    .from(reminderOutbox)
    .groupBy(reminderOutbox.status)
    .all())
    counts[r.status] = r.n;
  return counts;
}

export const findOutboxMessage = (db: Db, id: number) =>
  db.select().from(reminderOutbox).where(eq(reminderOutbox.id, id)).get() ?? null;
