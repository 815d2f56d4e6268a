// The cadence tick: reads a snapshot, asks the planner what fell due since the last tick, and writes each due reminder
// into the outbox under its unique key, in one transaction. It sends nothing; the dispatcher does.
import type { Db } from '../db/connection.ts';
import { schoolCalendars } from '../db/queries/calendar.ts';
import { enqueue, existingKeys, listReminderSettings, plannerSnapshot } from '../db/queries/reminders.ts';
import { dueOverRange, planReminders, windowDates, type DueReminder, type Window } from '../domain/reminders.ts';
import { outboxRow } from './messages.ts';

export interface CadenceContext {
  db: Db;
  publicUrl: string;
  timeZone: string;
}

/** Reads what the planner needs for a window and runs it (no writes): the tick's plan, the CLI's answer. */
export function planWindow(db: Db, window: Window, timeZone: string, mode: 'tick' | 'range' = 'tick'): DueReminder[] {
  const { fromDate, toDate } = windowDates(window, timeZone);
  const snapshot = plannerSnapshot(db, fromDate, toDate);
  const calendars = schoolCalendars(db, [null, ...snapshot.schools.map((s) => s.id)]);
  const settings = listReminderSettings(db);
  return mode === 'tick' ? planReminders(snapshot, settings, calendars, window, timeZone) : dueOverRange(snapshot, settings, calendars, window, timeZone);
}

/** One tick over (from, to]: each due reminder not already in the outbox is rendered and inserted. Returns how many were new. */
export function runTick(context: CadenceContext, window: Window): { due: number; added: number } {
  const due = planWindow(context.db, window, context.timeZone);
  const known = existingKeys(context.db, due.map((r) => r.key));
  const fresh = due.filter((r) => !known.has(r.key));
  // Rendering reads only; the inserts then go in one transaction, each `on conflict (key) do nothing`.
  const render = { publicUrl: context.publicUrl, timeZone: context.timeZone, now: window.to, digests: new Map() };
  const rows = fresh.map((r) => outboxRow(context.db, r, render));
  return { due: due.length, added: enqueue(context.db, rows) };
}

/**
 * Remembers the last tick so each run plans only the window since it; the first run after a start looks back
 * `catchUpMs` (bounded), so what fell due while the server was down and is not yet stale is still queued.
 */
export function createTicker(context: CadenceContext, options: { catchUpMs: number; now: () => number }) {
  let last: number | null = null;
  return {
    tick(): { due: number; added: number; window: Window } {
      const to = options.now();
      const from = last === null ? to - options.catchUpMs : Math.max(last, to - options.catchUpMs);
      const result = runTick(context, { from, to });
      last = to;
      return { ...result, window: { from, to } };
    },
  };
}
