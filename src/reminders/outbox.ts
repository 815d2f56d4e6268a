// The cadence tick: reads a snapshot, asks the planner what fell due since the last tick, and writes each due reminder
// into the outbox under its unique key, in one transaction. It sends nothing; the dispatcher does.
import type { Db } from '../db/connection.ts';
import { schoolCalendars } from '../db/queries/calendar.ts';
import {
  enqueue,
  existingKeys,
  listReminderSettings,
  listSchoolIds,
  plannerSnapshot,
} from '../db/queries/reminders.ts';
import {
  dueOverRange,
  planningStart,
  planReminders,
  windowDates,
  type DueReminder,
  type Window,
} from '../domain/reminders.ts';
import { outboxRow } from './messages.ts';

export interface CadenceContext {
  db: Db;
  publicUrl: string;
  timeZone: string;
  /** Told of a reminder that could not be rendered (it is left out of this tick, not the others). */
  onRenderError?: (reminder: DueReminder, err: unknown) => void;
}

/** Reads what the planner needs for a window and runs it (no writes): the tick's plan, the CLI's answer. */
export function planWindow(db: Db, window: Window, timeZone: string, mode: 'tick' | 'range' = 'tick'): DueReminder[] {
  const { fromDate, toDate } = windowDates(window, timeZone);
  const calendars = schoolCalendars(db, [null, ...listSchoolIds(db)]);
  const snapshot = plannerSnapshot(db, planningStart(fromDate, calendars.values()), toDate);
  const settings = listReminderSettings(db);
  return mode === 'tick'
    ? planReminders(snapshot, settings, calendars, window, timeZone)
    : dueOverRange(snapshot, settings, calendars, window, timeZone);
}

/**
 * One tick over (from, to]: each due reminder not already in the outbox is rendered and inserted. Returns how many were
 * new. A reminder that fails to render is reported to `onRenderError` and left out; the rest are still queued.
 */
export function runTick(context: CadenceContext, window: Window): { due: number; added: number } {
  const due = planWindow(context.db, window, context.timeZone);
  const known = existingKeys(
    context.db,
    due.map((r) => r.key),
  );
  const fresh = due.filter((r) => !known.has(r.key));
  // Rendering reads only; the inserts then go in one transaction, each `on conflict (key) do nothing`.
  const render = { publicUrl: context.publicUrl, timeZone: context.timeZone, now: window.to, digests: new Map() };
  const rows = fresh.flatMap((r) => {
    try {
      return [outboxRow(context.db, r, render)];
    } catch (err) {
      context.onRenderError?.(r, err);
      return [];
    }
  });
  return { due: due.length, added: enqueue(context.db, rows) };
}

/**
 * Each tick plans over the last `catchUpMs` (and at least the time since the previous tick): a reminder whose instant
 * has moved into the past since (a send time set earlier, a session moved, a member who joined late) is still queued
 * while it is not stale, and the unique key keeps each one to a single row. The first tick after a start looks back
 * `catchUpMs` only, so with 0 nothing that fell due while the server was down is queued.
 */
export function createTicker(context: CadenceContext, options: { catchUpMs: number; now: () => number }) {
  let last: number | null = null;
  return {
    tick(): { due: number; added: number; window: Window } {
      const to = options.now();
      const from = last === null ? to - options.catchUpMs : Math.min(last, to - options.catchUpMs);
      const result = runTick(context, { from, to });
      last = to;
      return { ...result, window: { from, to } };
    },
  };
}
