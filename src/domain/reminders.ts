// The cadence reminder planner as pure functions: from a snapshot of the data, the settings, the school calendars and a
// window of time, which reminders fall due — each under a unique key, with the instant after which it is stale.
import { nextSchoolDay, sessionDate, sessionInstants, type SessionSlot } from './cadence.ts';
import {
  addDays,
  isSchoolDay,
  localDate,
  schoolDaysOfWeek,
  weekStart,
  zonedInstant,
  type IsoDate,
  type SchoolCalendar,
} from './calendar.ts';
import type { LeadMeasureKind } from './lead-measures.ts';

export const reminderKinds = [
  'entries_missing',
  'session_today',
  'session_not_recorded',
  'school_digest',
  'trust_digest',
] as const;
export type ReminderKind = (typeof reminderKinds)[number];
/** Where a reminder in the outbox is: waiting, being sent, sent, given up on, or no longer worth sending. */
export const outboxStatuses = ['queued', 'sending', 'sent', 'failed', 'skipped'] as const;

/** What each kind is, in words, and whether a person may stop it (the others are part of their role). */
export const reminderKindInfo: Record<ReminderKind, { label: string; when: string; optional: boolean }> = {
  entries_missing: {
    label: 'Lead measures not entered yet',
    when: 'To team members whose numbers for the week are missing, before the team’s session. Anchor: the session day.',
    optional: true,
  },
  session_today: {
    label: 'WIG session today',
    when: 'To the team on session day, with the commitments to account for. Anchor: the session day.',
    optional: false,
  },
  session_not_recorded: {
    label: 'Session not recorded',
    when: 'To the team leaders, the school day after a due session with no record. Anchor: the school day after the session.',
    optional: false,
  },
  school_digest: {
    label: 'Weekly school digest',
    when: 'To the headteacher and school leaders: each team’s status, execution health, open path requests. Anchor: the school’s last school day of the week.',
    optional: true,
  },
  trust_digest: {
    label: 'Weekly trust digest',
    when: 'To trust leaders: the aligned WIG tree, schools off track, execution health by school. Anchor: the trust’s last school day of the week.',
    optional: true,
  },
};

export const optionalKinds = reminderKinds.filter((k) => reminderKindInfo[k].optional);

export interface ReminderSetting {
  kind: ReminderKind;
  /** Null: the trust's setting; a number: that school's override. */
  schoolId: number | null;
  enabled: boolean;
  /** Local "HH:MM" in the trust's time zone. */
  sendTime: string;
  /** School days from the kind's anchor day: -1 = the school day before it (kept within the same school week). */
  dayOffset: number;
}

/** The defaults when the trust has saved nothing: every kind on. */
export const defaultReminderSettings: Record<ReminderKind, Omit<ReminderSetting, 'kind' | 'schoolId'>> = {
  entries_missing: { enabled: true, sendTime: '15:30', dayOffset: -1 },
  session_today: { enabled: true, sendTime: '07:00', dayOffset: 0 },
  session_not_recorded: { enabled: true, sendTime: '08:00', dayOffset: 0 },
  school_digest: { enabled: true, sendTime: '16:00', dayOffset: 0 },
  trust_digest: { enabled: true, sendTime: '17:00', dayOffset: 0 },
};

export const DAY_OFFSET_RANGE = { min: -4, max: 4 } as const;

/** The setting that applies to a kind at a school: the school's override, else the trust's row, else the default. */
export function effectiveSetting(
  settings: readonly ReminderSetting[],
  kind: ReminderKind,
  schoolId: number | null,
): ReminderSetting {
  const own = schoolId === null ? undefined : settings.find((s) => s.kind === kind && s.schoolId === schoolId);
  const trust = settings.find((s) => s.kind === kind && s.schoolId === null);
  return own ?? trust ?? { kind, schoolId, ...defaultReminderSettings[kind] };
}

interface PlannerPerson {
  id: number;
  name: string;
  email: string;
  disabled: boolean;
}

interface PlannerAssignment {
  personId: number;
  role: 'trust_admin' | 'trust_leader' | 'school_leader' | 'team_leader' | 'team_member';
  schoolId: number | null;
  teamId: number | null;
}

interface PlannerTeam extends SessionSlot {
  id: number;
  name: string;
  schoolId: number | null;
}

interface PlannerMeasure {
  id: number;
  teamId: number;
  name: string;
  kind: LeadMeasureKind;
  perPerson: boolean;
}

/** The data the planner reads, for the weeks it plans over. */
export interface PlannerSnapshot {
  schools: readonly { id: number; name: string }[];
  teams: readonly PlannerTeam[];
  people: readonly PlannerPerson[];
  assignments: readonly PlannerAssignment[];
  optOuts: readonly { personId: number; kind: ReminderKind }[];
  /** Held sessions (team + week Monday). */
  heldWigSessions: readonly { teamId: number; week: IsoDate }[];
  /** The active lead measures of each team's active WIGs. */
  measures: readonly PlannerMeasure[];
  /** Entries made: a week's number (week) or a day's mark (the week holding it); personId null = the team's. */
  entries: readonly { leadMeasureId: number; week: IsoDate; personId: number | null }[];
}

export interface DueReminder {
  kind: ReminderKind;
  key: string;
  personId: number;
  to: string;
  name: string;
  /** When it falls due and after when it is stale (ms). */
  at: number;
  staleAt: number;
  schoolId: number | null;
  teamId: number | null;
  week: IsoDate;
  /** The session's date and start (team kinds), for the message. */
  sessionDate?: IsoDate;
  sessionStart?: number;
  /** entries_missing: the measures still to enter. */
  missing?: string[];
}

export interface Window {
  /** Exclusive. */
  from: number;
  /** Inclusive. */
  to: number;
}

const HOUR = 3_600_000;

/** Moves `offset` school days from `date` without leaving its school week; null when the week has no such day. */
function shiftWithinWeek(date: IsoDate, offset: number, calendar: SchoolCalendar): IsoDate | null {
  const days = schoolDaysOfWeek(weekStart(date), calendar);
  const i = days.indexOf(date);
  if (i < 0) return null;
  return days[Math.max(0, Math.min(days.length - 1, i + offset))] ?? null;
}

/** Moves `offset` school days from `date` (forwards or back), across weeks. */
function shiftSchoolDays(date: IsoDate, offset: number, calendar: SchoolCalendar): IsoDate | null {
  let day: IsoDate | null = date;
  for (let i = 0; i < Math.abs(offset) && day; i++) {
    if (offset > 0) day = nextSchoolDay(day, calendar);
    else {
      let back: IsoDate | null = null;
      for (let j = 1; j <= SCHOOL_DAY_LIMIT; j++) {
        const d = addDays(day, -j);
        if (isSchoolDay(d, calendar)) {
          back = d;
          break;
        }
      }
      day = back;
    }
  }
  return day;
}

const endOfDay = (date: IsoDate, timeZone: string) => zonedInstant(addDays(date, 1), '00:00', timeZone);

/** How far `nextSchoolDay` looks ahead (and this looks back) for a school day. */
const SCHOOL_DAY_LIMIT = 70;

/**
 * The first date the planner must consider for a range starting at `fromDate`: the Monday of the week holding the
 * school day that lies (1 + the largest day offset) school days before `fromDate` in any calendar, so a "not recorded"
 * of a session before a holiday (up to the 70-day limit) still falls due on the first school day after it.
 */
export function planningStart(fromDate: IsoDate, calendars: Iterable<SchoolCalendar>): IsoDate {
  let earliest = addDays(weekStart(fromDate), -7);
  for (const calendar of calendars) {
    let found = 0;
    for (let j = 1; j <= SCHOOL_DAY_LIMIT && found <= DAY_OFFSET_RANGE.max; j++) {
      const d = addDays(fromDate, -j);
      if (!isSchoolDay(d, calendar)) continue;
      found++;
      if (weekStart(d) < earliest) earliest = weekStart(d);
    }
  }
  return earliest;
}

/**
 * Every reminder the planner would make for the school weeks touching [fromDate, toDate], whether or not it is due yet;
 * the conditions (entries missing, no record) are read from the snapshot as it is now.
 */
export function candidateReminders(
  snapshot: PlannerSnapshot,
  settings: readonly ReminderSetting[],
  calendars: ReadonlyMap<number | null, SchoolCalendar>,
  range: { fromDate: IsoDate; toDate: IsoDate },
  timeZone: string,
): DueReminder[] {
  const people = new Map(snapshot.people.map((p) => [p.id, p]));
  const optedOut = new Set(snapshot.optOuts.map((o) => `${o.personId}:${o.kind}`));
  const held = new Set(snapshot.heldWigSessions.map((s) => `${s.teamId}:${s.week}`));
  const entered = new Set(snapshot.entries.map((e) => `${e.leadMeasureId}:${e.week}:${e.personId ?? ''}`));
  const out: DueReminder[] = [];
  const recipient = (personId: number, kind: ReminderKind) => {
    const p = people.get(personId);
    if (!p || p.disabled || !p.email) return null;
    if (reminderKindInfo[kind].optional && optedOut.has(`${personId}:${kind}`)) return null;
    return p;
  };
  const push = (
    kind: ReminderKind,
    personId: number,
    keyScope: string,
    r: Omit<DueReminder, 'kind' | 'key' | 'personId' | 'to' | 'name'>,
  ) => {
    const p = recipient(personId, kind);
    if (!p || r.at >= r.staleAt) return;
    out.push({ kind, key: `${kind}:${personId}:${r.week}:${keyScope}`, personId, to: p.email, name: p.name, ...r });
  };
  const calendarOf = (schoolId: number | null) =>
    calendars.get(schoolId) ?? calendars.get(null) ?? { terms: [], closures: [] };

  const mondays: IsoDate[] = [];
  // Weeks before the range too: a "not recorded" of a session before a weekend or a holiday falls due in the range.
  for (let m = planningStart(range.fromDate, new Set(calendars.values())); m <= range.toDate; m = addDays(m, 7))
    mondays.push(m);
  // The latest end of the sessions due each week, by school ("<schoolId>:<week>") and across the trust ("all:<week>"),
  // so a digest never goes before the sessions it summarises.
  const lastSessionEnd = new Map<string, number>();
  const noteSessionEnd = (scope: string, end: number) =>
    lastSessionEnd.set(scope, Math.max(lastSessionEnd.get(scope) ?? 0, end));

  for (const team of snapshot.teams) {
    const calendar = calendarOf(team.schoolId);
    const members = snapshot.assignments.filter(
      (a) => a.teamId === team.id && (a.role === 'team_member' || a.role === 'team_leader'),
    );
    const leaders = members.filter((a) => a.role === 'team_leader');
    const measures = snapshot.measures.filter((m) => m.teamId === team.id);
    for (const week of mondays) {
      const date = sessionDate(team, week, calendar);
      if (!date) continue;
      const session = sessionInstants(team, date, timeZone);
      noteSessionEnd(`${team.schoolId}:${week}`, session.end);
      noteSessionEnd(`all:${week}`, session.end);
      const base = { schoolId: team.schoolId, teamId: team.id, week, sessionDate: date, sessionStart: session.start };
      const isHeld = held.has(`${team.id}:${week}`);

      const entriesSetting = effectiveSetting(settings, 'entries_missing', team.schoolId);
      if (entriesSetting.enabled && !isHeld && measures.length) {
        const day = shiftWithinWeek(date, entriesSetting.dayOffset, calendar);
        if (day) {
          let at = zonedInstant(day, entriesSetting.sendTime, timeZone);
          // Too late to be of use (a session first thing on the first school day): an hour before the session instead.
          if (at >= session.start) at = session.start - HOUR;
          for (const m of members) {
            const missing = measures
              .filter((lm) =>
                lm.perPerson
                  ? !entered.has(`${lm.id}:${week}:${m.personId}`)
                  : m.role === 'team_leader' && !entered.has(`${lm.id}:${week}:`),
              )
              .map((lm) => lm.name);
            if (missing.length)
              push('entries_missing', m.personId, `t${team.id}`, { ...base, at, staleAt: session.start, missing });
          }
        }
      }

      const todaySetting = effectiveSetting(settings, 'session_today', team.schoolId);
      if (todaySetting.enabled && !isHeld) {
        const day = shiftWithinWeek(date, todaySetting.dayOffset, calendar);
        if (day) {
          let at = zonedInstant(day, todaySetting.sendTime, timeZone);
          // Of no use once the session has started: stale then, and an hour before it when the time set is too late.
          if (at >= session.start) at = session.start - HOUR;
          for (const m of members)
            push('session_today', m.personId, `t${team.id}`, { ...base, at, staleAt: session.start });
        }
      }

      const recordSetting = effectiveSetting(settings, 'session_not_recorded', team.schoolId);
      if (recordSetting.enabled && !isHeld) {
        const after = nextSchoolDay(date, calendar);
        const day = after && shiftSchoolDays(after, recordSetting.dayOffset, calendar);
        if (day) {
          const at = Math.max(zonedInstant(day, recordSetting.sendTime, timeZone), session.end);
          for (const l of leaders)
            push('session_not_recorded', l.personId, `t${team.id}`, { ...base, at, staleAt: endOfDay(day, timeZone) });
        }
      }
    }
  }

  // Digests: after the last school day's sessions; stale once the next week's Monday has ended.
  const digestDay = (week: IsoDate, calendar: SchoolCalendar, offset: number) => {
    const days = schoolDaysOfWeek(week, calendar);
    const last = days.at(-1);
    return last ? shiftWithinWeek(last, offset, calendar) : null;
  };
  // The latest school digest instant of each week: the trust digest goes after it.
  const lastSchoolDigest = new Map<IsoDate, number>();
  for (const school of snapshot.schools) {
    const setting = effectiveSetting(settings, 'school_digest', school.id);
    if (!setting.enabled) continue;
    const leaders = snapshot.assignments.filter((a) => a.role === 'school_leader' && a.schoolId === school.id);
    for (const week of mondays) {
      const day = digestDay(week, calendarOf(school.id), setting.dayOffset);
      if (!day) continue;
      const at = Math.max(
        zonedInstant(day, setting.sendTime, timeZone),
        lastSessionEnd.get(`${school.id}:${week}`) ?? 0,
      );
      lastSchoolDigest.set(week, Math.max(lastSchoolDigest.get(week) ?? 0, at));
      for (const l of leaders)
        push('school_digest', l.personId, `s${school.id}`, {
          schoolId: school.id,
          teamId: null,
          week,
          at,
          staleAt: endOfDay(addDays(week, 7), timeZone),
        });
    }
  }
  const trustSetting = effectiveSetting(settings, 'trust_digest', null);
  if (trustSetting.enabled) {
    const leaders = snapshot.assignments.filter((a) => a.role === 'trust_leader');
    for (const week of mondays) {
      const day = digestDay(week, calendarOf(null), trustSetting.dayOffset);
      if (!day) continue;
      const at = Math.max(
        zonedInstant(day, trustSetting.sendTime, timeZone),
        lastSchoolDigest.get(week) ?? 0,
        lastSessionEnd.get(`all:${week}`) ?? 0,
      );
      for (const l of leaders)
        push('trust_digest', l.personId, 'trust', {
          schoolId: null,
          teamId: null,
          week,
          at,
          staleAt: endOfDay(addDays(week, 7), timeZone),
        });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
}

/** The calendar dates a window of time covers in the trust's time zone, with a day either side for offsets. */
export function windowDates(window: Window, timeZone: string): { fromDate: IsoDate; toDate: IsoDate } {
  return {
    fromDate: addDays(localDate(window.from, timeZone), -1),
    toDate: addDays(localDate(window.to, timeZone), 1),
  };
}

/**
 * What falls due in a window of time (from, to]: reminders whose instant lies in it and that are not stale at `to`.
 * A tick calls it with the window since the last tick; a catch-up after downtime with a longer (bounded) one.
 */
export function planReminders(
  snapshot: PlannerSnapshot,
  settings: readonly ReminderSetting[],
  calendars: ReadonlyMap<number | null, SchoolCalendar>,
  window: Window,
  timeZone: string,
): DueReminder[] {
  return candidateReminders(snapshot, settings, calendars, windowDates(window, timeZone), timeZone).filter(
    (r) => r.at > window.from && r.at <= window.to && r.staleAt > window.to,
  );
}

/** What is due at one instant: fallen due (at most `lookbackMs` ago) and not yet stale. */
export const dueAt = (
  snapshot: PlannerSnapshot,
  settings: readonly ReminderSetting[],
  calendars: ReadonlyMap<number | null, SchoolCalendar>,
  instant: number,
  timeZone: string,
  lookbackMs = 3 * 86_400_000,
) => planReminders(snapshot, settings, calendars, { from: instant - lookbackMs, to: instant }, timeZone);

export const TICK_MS = 5 * 60_000;

/** Everything ticks every five minutes over [from, to] would make due (each reminder once, at the first tick on or after it). */
export function dueOverRange(
  snapshot: PlannerSnapshot,
  settings: readonly ReminderSetting[],
  calendars: ReadonlyMap<number | null, SchoolCalendar>,
  range: Window,
  timeZone: string,
): DueReminder[] {
  const firstTick = Math.ceil(range.from / TICK_MS) * TICK_MS;
  return candidateReminders(snapshot, settings, calendars, windowDates(range, timeZone), timeZone).filter((r) => {
    const tick = Math.max(firstTick, Math.ceil(r.at / TICK_MS) * TICK_MS);
    return r.at > range.from - TICK_MS && tick <= range.to && r.staleAt > tick;
  });
}
