// The cadence reminder planner: which reminders fall due when, to whom, under which key — and which never do.
import { describe, expect, it } from 'vitest';
import type { SchoolCalendar } from '../../src/domain/calendar.ts';
import { addDays, zonedInstant } from '../../src/domain/calendar.ts';
import {
  candidateReminders,
  dueAt,
  dueOverRange,
  effectiveSetting,
  planReminders,
  TICK_MS,
  type PlannerSnapshot,
  type ReminderSetting,
} from '../../src/domain/reminders.ts';

const TZ = 'Europe/London';
const at = (date: string, time: string) => zonedInstant(date, time, TZ);

/** 2026–27 in brief: autumn half-term 26–30 Oct, Christmas 21 Dec – 1 Jan, spring half-term, Easter 29 Mar – 9 Apr. */
const YEAR: SchoolCalendar = {
  terms: [
    { start: '2026-09-01', end: '2026-10-23' },
    { start: '2026-11-02', end: '2026-12-18' },
    { start: '2027-01-04', end: '2027-02-12' },
    { start: '2027-02-22', end: '2027-03-26' },
    { start: '2027-04-12', end: '2027-05-28' },
  ],
  closures: [{ start: '2026-11-17', end: '2026-11-17', kind: 'inset', name: 'INSET day' }],
};

function world(overrides: Partial<PlannerSnapshot> = {}): PlannerSnapshot {
  return {
    schools: [
      { id: 1, name: 'Ashcombe' },
      { id: 2, name: 'Brookfield' },
    ],
    teams: [
      { id: 10, name: 'Year 6', schoolId: 1, sessionWeekday: 2, sessionTime: '08:15', sessionMinutes: 20 },
      { id: 20, name: 'EYFS', schoolId: 2, sessionWeekday: 2, sessionTime: '08:15', sessionMinutes: 20 },
    ],
    people: [
      { id: 1, name: 'Lead', email: 'lead@a.test', disabled: false },
      { id: 2, name: 'Member', email: 'member@a.test', disabled: false },
      { id: 3, name: 'Gone', email: 'gone@a.test', disabled: true },
      { id: 4, name: 'Head', email: 'head@a.test', disabled: false },
      { id: 5, name: 'CEO', email: 'ceo@test', disabled: false },
      { id: 6, name: 'B member', email: 'member@b.test', disabled: false },
    ],
    assignments: [
      { personId: 1, role: 'team_leader', schoolId: null, teamId: 10 },
      { personId: 2, role: 'team_member', schoolId: null, teamId: 10 },
      { personId: 3, role: 'team_member', schoolId: null, teamId: 10 },
      { personId: 4, role: 'school_leader', schoolId: 1, teamId: null },
      { personId: 5, role: 'trust_leader', schoolId: null, teamId: null },
      { personId: 6, role: 'team_member', schoolId: null, teamId: 20 },
    ],
    optOuts: [],
    heldWigSessions: [],
    measures: [
      { id: 100, teamId: 10, name: 'Reading conferences', kind: 'number', perPerson: true },
      { id: 101, teamId: 10, name: 'Parent calls', kind: 'number', perPerson: false },
      { id: 200, teamId: 20, name: 'Phonics checks', kind: 'daily', perPerson: true },
    ],
    entries: [],
    ...overrides,
  };
}

const calendars = (extra: Record<number, SchoolCalendar> = {}) =>
  new Map<number | null, SchoolCalendar>([
    [null, YEAR],
    [1, extra[1] ?? YEAR],
    [2, extra[2] ?? YEAR],
  ]);
const weekOf = (monday: string, snapshot = world(), settings: ReminderSetting[] = [], cals = calendars()) =>
  candidateReminders(snapshot, settings, cals, { fromDate: monday, toDate: addDays(monday, 6) }, TZ).filter(
    (r) => r.week === monday,
  );
const keys = (rs: { key: string }[]) => rs.map((r) => r.key).sort();

describe('planReminders — a school week in term (w/c Mon 23 Nov 2026, GMT)', () => {
  const week = weekOf('2026-11-23');

  it('asks members with missing entries on the school day before the session, stale once it starts', () => {
    const entries = week.filter((r) => r.kind === 'entries_missing' && r.teamId === 10);
    expect(entries.map((r) => r.to).sort()).toEqual(['lead@a.test', 'member@a.test']);
    expect(entries[0]!.at).toBe(Date.parse('2026-11-23T15:30:00Z'));
    expect(entries[0]!.staleAt).toBe(Date.parse('2026-11-24T08:15:00Z'));
    // The team-wide measure is the leader's to enter; the member is asked only for their own.
    expect(entries.find((r) => r.to === 'member@a.test')!.missing).toEqual(['Reading conferences']);
    expect(entries.find((r) => r.to === 'lead@a.test')!.missing).toEqual(['Reading conferences', 'Parent calls']);
  });

  it('tells the team on session day at 07:00 and the leader the next school day when nothing is recorded', () => {
    const today = week.filter((r) => r.kind === 'session_today' && r.teamId === 10);
    expect(today.map((r) => r.at)).toEqual([Date.parse('2026-11-24T07:00:00Z'), Date.parse('2026-11-24T07:00:00Z')]);
    expect(today[0]!.staleAt).toBe(Date.parse('2026-11-24T08:15:00Z')); // of no use once the session has started
    const notRecorded = week.filter((r) => r.kind === 'session_not_recorded');
    expect(notRecorded.map((r) => [r.to, r.at])).toEqual([['lead@a.test', Date.parse('2026-11-25T08:00:00Z')]]);
  });

  it('sends the school digest on the school’s last school day at 16:00 and the trust digest at 17:00', () => {
    expect(week.filter((r) => r.kind === 'school_digest').map((r) => [r.to, r.at, r.key])).toEqual([
      ['head@a.test', Date.parse('2026-11-27T16:00:00Z'), 'school_digest:4:2026-11-23:s1'],
    ]);
    expect(week.filter((r) => r.kind === 'trust_digest').map((r) => [r.to, r.at])).toEqual([
      ['ceo@test', Date.parse('2026-11-27T17:00:00Z')],
    ]);
  });

  it('keys each reminder by kind, recipient, school week and team', () => {
    expect(week.find((r) => r.kind === 'session_today' && r.personId === 2)!.key).toBe(
      'session_today:2:2026-11-23:t10',
    );
    expect(new Set(week.map((r) => r.key)).size).toBe(week.length);
  });

  it('gives a disabled person nothing', () => {
    expect(week.filter((r) => r.personId === 3)).toEqual([]);
  });
});

describe('planReminders — the clocks change (last Sundays of October and March)', () => {
  it('keeps 07:00 local either side of the end of summer time (Sun 25 Oct 2026)', () => {
    const before = weekOf('2026-10-19').find((r) => r.kind === 'session_today')!;
    expect(before.at).toBe(Date.parse('2026-10-20T06:00:00Z')); // BST
    const after = weekOf('2026-11-02').find((r) => r.kind === 'session_today')!;
    expect(after.at).toBe(Date.parse('2026-11-03T07:00:00Z')); // GMT
  });

  it('keeps 07:00 local either side of the start of summer time (Sun 28 Mar 2027)', () => {
    const cal: SchoolCalendar = { terms: [{ start: '2027-03-22', end: '2027-04-02' }], closures: [] };
    const cals = new Map<number | null, SchoolCalendar>([
      [null, cal],
      [1, cal],
      [2, cal],
    ]);
    const before = weekOf('2027-03-22', world(), [], cals).find((r) => r.kind === 'session_today')!;
    const after = weekOf('2027-03-29', world(), [], cals).find((r) => r.kind === 'session_today')!;
    expect(before.at).toBe(Date.parse('2027-03-23T07:00:00Z'));
    expect(after.at).toBe(Date.parse('2027-03-30T06:00:00Z'));
    const digest = weekOf('2027-03-29', world(), [], cals).find((r) => r.kind === 'trust_digest')!;
    expect(digest.at).toBe(Date.parse('2027-04-02T16:00:00Z'));
  });

  it('a tick across the change finds each reminder once', () => {
    const cal: SchoolCalendar = { terms: [{ start: '2027-03-22', end: '2027-04-02' }], closures: [] };
    const cals = new Map<number | null, SchoolCalendar>([
      [null, cal],
      [1, cal],
      [2, cal],
    ]);
    const range = { from: Date.parse('2027-03-28T00:00:00Z'), to: Date.parse('2027-03-30T08:00:00Z') };
    const byTicks = new Map<string, number>();
    for (let t = range.from; t <= range.to; t += TICK_MS)
      for (const r of planReminders(world(), [], cals, { from: t - TICK_MS, to: t }, TZ))
        byTicks.set(r.key, (byTicks.get(r.key) ?? 0) + 1);
    expect([...byTicks.values()].every((n) => n === 1)).toBe(true);
    expect(keys(dueOverRange(world(), [], cals, range, TZ))).toEqual([...byTicks.keys()].sort());
  });
});

describe('planReminders — weeks and days that are not school ones', () => {
  it('plans nothing in the autumn half-term week', () => {
    expect(weekOf('2026-10-26')).toEqual([]);
  });

  it('plans nothing in the Christmas holiday', () => {
    expect(
      dueOverRange(
        world(),
        [],
        calendars(),
        { from: Date.parse('2026-12-21T00:00:00Z'), to: Date.parse('2026-12-27T23:59:00Z') },
        TZ,
      ),
    ).toEqual([]);
  });

  it('an INSET day on session day: no session is due, so no session reminders — the digests still go on Friday', () => {
    const week = weekOf('2026-11-16');
    expect(week.filter((r) => r.teamId !== null)).toEqual([]);
    expect(week.filter((r) => r.kind === 'school_digest')).toHaveLength(1);
  });

  it('a school’s own closure stops only its reminders', () => {
    const closed: SchoolCalendar = {
      ...YEAR,
      closures: [...YEAR.closures, { start: '2026-11-23', end: '2026-11-27', kind: 'closure', name: 'Boiler' }],
    };
    const week = weekOf('2026-11-23', world(), [], calendars({ 1: closed }));
    expect(week.filter((r) => r.schoolId === 1)).toEqual([]);
    expect(week.filter((r) => r.schoolId === 2).length).toBeGreaterThan(0);
  });

  it('a digest moves to the last school day when Friday is closed', () => {
    const friday: SchoolCalendar = {
      ...YEAR,
      closures: [...YEAR.closures, { start: '2026-11-27', end: '2026-11-27', kind: 'inset', name: 'INSET' }],
    };
    const digest = weekOf('2026-11-23', world(), [], calendars({ 1: friday })).find((r) => r.kind === 'school_digest')!;
    expect(digest.at).toBe(Date.parse('2026-11-26T16:00:00Z'));
  });
});

describe('planReminders — what people have done and chosen', () => {
  it('no "entries missing" for a person whose entries are made', () => {
    const snapshot = world({ entries: [{ leadMeasureId: 100, week: '2026-11-23', personId: 2 }] });
    const week = weekOf('2026-11-23', snapshot).filter((r) => r.kind === 'entries_missing' && r.teamId === 10);
    expect(week.map((r) => r.to)).toEqual(['lead@a.test']);
  });

  it('a daily standard counts as entered once a day of the week is marked', () => {
    const snapshot = world({ entries: [{ leadMeasureId: 200, week: '2026-11-23', personId: 6 }] });
    expect(weekOf('2026-11-23', snapshot).filter((r) => r.kind === 'entries_missing' && r.teamId === 20)).toEqual([]);
    expect(weekOf('2026-11-23').filter((r) => r.kind === 'entries_missing' && r.teamId === 20)).toHaveLength(1);
  });

  it('a held session gets neither "session today" nor "not recorded"', () => {
    const week = weekOf('2026-11-23', world({ heldWigSessions: [{ teamId: 10, week: '2026-11-23' }] }));
    expect(week.filter((r) => r.teamId === 10)).toEqual([]);
  });

  it('an opt-out stops an optional kind only', () => {
    const snapshot = world({
      optOuts: [
        { personId: 2, kind: 'entries_missing' },
        { personId: 2, kind: 'session_today' },
        { personId: 4, kind: 'school_digest' },
      ],
    });
    const week = weekOf('2026-11-23', snapshot);
    expect(week.filter((r) => r.personId === 2).map((r) => r.kind)).toEqual(['session_today']);
    expect(week.filter((r) => r.kind === 'school_digest')).toEqual([]);
  });
});

describe('planReminders — settings', () => {
  const off = (kind: ReminderSetting['kind'], schoolId: number | null = null): ReminderSetting => ({
    kind,
    schoolId,
    enabled: false,
    sendTime: '07:00',
    dayOffset: 0,
  });

  it('a kind switched off for the trust is never planned', () => {
    const week = weekOf('2026-11-23', world(), [off('session_today'), off('trust_digest')]);
    expect(week.filter((r) => r.kind === 'session_today' || r.kind === 'trust_digest')).toEqual([]);
  });

  it('a school override wins over the trust, for that school only', () => {
    const settings: ReminderSetting[] = [
      off('session_today'),
      { kind: 'session_today', schoolId: 2, enabled: true, sendTime: '06:45', dayOffset: 0 },
    ];
    const week = weekOf('2026-11-23', world(), settings).filter((r) => r.kind === 'session_today');
    expect(week.map((r) => [r.schoolId, r.at])).toEqual([[2, Date.parse('2026-11-24T06:45:00Z')]]);
    expect(effectiveSetting(settings, 'session_today', 1).enabled).toBe(false);
  });

  it('a time at or after the session start sends "entries missing" an hour before the session instead', () => {
    const settings: ReminderSetting[] = [
      { kind: 'entries_missing', schoolId: null, enabled: true, sendTime: '09:00', dayOffset: 0 },
    ];
    const r = weekOf('2026-11-23', world(), settings).find((x) => x.kind === 'entries_missing')!;
    expect(r.at).toBe(Date.parse('2026-11-24T07:15:00Z'));
  });
});

describe('planReminders — stale reminders are not sent late', () => {
  it('at an instant after the session started, "entries missing" and a finished "session today" are no longer due', () => {
    const due = dueAt(world(), [], calendars(), Date.parse('2026-11-24T09:00:00Z'), TZ);
    expect(due.filter((r) => r.kind === 'entries_missing' || r.kind === 'session_today')).toEqual([]);
  });

  it('a catch-up after two days down finds what is still worth sending only', () => {
    const now = Date.parse('2026-11-25T09:00:00Z');
    const due = planReminders(world(), [], calendars(), { from: now - 2 * 86_400_000, to: now }, TZ);
    expect([...new Set(due.map((r) => r.kind))]).toEqual(['session_not_recorded']);
  });

  it('a tick window finds only what fell due inside it', () => {
    const due = planReminders(
      world(),
      [],
      calendars(),
      { from: at('2026-11-24', '06:55'), to: at('2026-11-24', '07:00') },
      TZ,
    );
    expect(new Set(due.map((r) => r.kind))).toEqual(new Set(['session_today']));
    expect(
      planReminders(world(), [], calendars(), { from: at('2026-11-24', '07:00'), to: at('2026-11-24', '07:05') }, TZ),
    ).toEqual([]);
  });
});

describe('planReminders — a session before a holiday (review fixes)', () => {
  // Spring term from Tue 5 Jan 2027 here: the first school day after Fri 18 Dec is 18 days (and two weeks) later.
  const winter: SchoolCalendar = {
    terms: [
      { start: '2026-11-02', end: '2026-12-18' },
      { start: '2027-01-05', end: '2027-02-12' },
    ],
    closures: [],
  };
  const cals = new Map<number | null, SchoolCalendar>([
    [null, winter],
    [1, winter],
    [2, winter],
  ]);
  const friday = (overrides: Partial<PlannerSnapshot> = {}) =>
    world({
      teams: [{ id: 10, name: 'Year 6', schoolId: 1, sessionWeekday: 5, sessionTime: '08:15', sessionMinutes: 20 }],
      ...overrides,
    });
  const tick = { from: at('2027-01-05', '07:55'), to: at('2027-01-05', '08:00') };

  it('"not recorded" of Fri 18 Dec goes on Tue 5 Jan at 08:00, from a tick window covering only 5 Jan', () => {
    const due = planReminders(friday(), [], cals, tick, TZ).filter((r) => r.kind === 'session_not_recorded');
    expect(due.map((r) => [r.to, r.at, r.week, r.sessionDate])).toEqual([
      ['lead@a.test', Date.parse('2027-01-05T08:00:00Z'), '2026-12-14', '2026-12-18'],
    ]);
  });

  it('nothing when that session was recorded', () => {
    expect(
      planReminders(friday({ heldWigSessions: [{ teamId: 10, week: '2026-12-14' }] }), [], cals, tick, TZ),
    ).toEqual([]);
  });
});

describe('planReminders — digests after the sessions they summarise (review fixes)', () => {
  const lateFriday = (time: string) =>
    world({
      teams: [{ id: 10, name: 'Year 6', schoolId: 1, sessionWeekday: 5, sessionTime: time, sessionMinutes: 20 }],
    });
  const digests = (snapshot: PlannerSnapshot, settings: ReminderSetting[] = []) =>
    Object.fromEntries(
      weekOf('2026-11-23', snapshot, settings)
        .filter((r) => r.kind.endsWith('digest'))
        .map((r) => [r.kind, new Date(r.at).toISOString()]),
    );

  it('a school digest waits for the end of the school’s last session of the week; the trust digest keeps its later time', () => {
    expect(digests(lateFriday('16:30'))).toEqual({
      school_digest: '2026-11-27T16:50:00.000Z',
      trust_digest: '2026-11-27T17:00:00.000Z',
    });
  });

  it('the trust digest waits for the latest school digest (and so for the last session)', () => {
    expect(digests(lateFriday('16:50'))).toEqual({
      school_digest: '2026-11-27T17:10:00.000Z',
      trust_digest: '2026-11-27T17:10:00.000Z',
    });
    const later: ReminderSetting[] = [
      { kind: 'school_digest', schoolId: 1, enabled: true, sendTime: '17:30', dayOffset: 0 },
    ];
    expect(digests(world(), later)).toEqual({
      school_digest: '2026-11-27T17:30:00.000Z',
      trust_digest: '2026-11-27T17:30:00.000Z',
    });
  });
});

describe('planReminders — "session today" (review fixes)', () => {
  it('is stale once the session starts, and goes an hour before it when the time set is too late', () => {
    const settings: ReminderSetting[] = [
      { kind: 'session_today', schoolId: null, enabled: true, sendTime: '09:00', dayOffset: 0 },
    ];
    const r = weekOf('2026-11-23', world(), settings).find((x) => x.kind === 'session_today')!;
    expect([r.at, r.staleAt]).toEqual([Date.parse('2026-11-24T07:15:00Z'), Date.parse('2026-11-24T08:15:00Z')]);
  });
});
