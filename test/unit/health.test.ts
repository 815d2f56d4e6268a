import { describe, expect, it } from 'vitest';
import type { SchoolCalendar } from '../../src/domain/calendar.ts';
import {
  combine,
  healthScore,
  percent,
  teamHealthFigures,
  termsWithin,
  type HealthFigures,
  type TeamHealthInput,
} from '../../src/domain/health.ts';

// Autumn 2026: half-term 26–30 Oct; INSET on Mon 2 Nov and on Tue 10 Nov; term ends Fri 18 Dec.
const calendar: SchoolCalendar = {
  terms: [
    { start: '2026-09-02', end: '2026-10-23' },
    { start: '2026-11-02', end: '2026-12-18' },
  ],
  closures: [
    { start: '2026-11-02', end: '2026-11-02', kind: 'inset', name: 'INSET day' },
    { start: '2026-11-10', end: '2026-11-10', kind: 'inset', name: 'INSET day' },
  ],
};
const at = (iso: string) => Date.parse(iso);
const longAgo = at('2026-09-01T00:00:00Z');

// The hand-worked team: Tuesday sessions at 08:00 London (07:00Z in BST until 25 Oct, 08:00Z after).
// Due: Tue 13 Oct (held), Tue 20 Oct (missed), Tue 3 Nov (held). Half-term week and the INSET Tuesday 10 Nov: nothing due.
const base: TeamHealthInput = {
  slot: { sessionWeekday: 2, sessionTime: '08:00', sessionMinutes: 20 },
  calendar,
  timeZone: 'Europe/London',
  period: { start: '2026-10-12', end: '2026-11-13' },
  today: '2026-11-13',
  now: at('2026-11-13T12:00:00Z'),
  // A record in the INSET week is not a due session and counts for nothing.
  heldWeeks: new Set(['2026-10-12', '2026-11-02', '2026-11-09']),
  measures: [
    { id: 1, kind: 'number', perPerson: false, createdAt: longAgo },
    { id: 2, kind: 'number', perPerson: true, createdAt: longAgo },
    { id: 3, kind: 'daily', perPerson: false, createdAt: longAgo },
    // Added after every session of the period: never due.
    { id: 4, kind: 'number', perPerson: false, createdAt: at('2026-11-12T09:00:00Z') },
  ],
  members: [
    { personId: 10, since: longAgo },
    // B joined after the first session: due from the second.
    { personId: 11, since: at('2026-10-19T00:00:00Z') },
  ],
  entries: [
    { leadMeasureId: 1, week: '2026-10-12', personId: null, enteredAt: at('2026-10-12T15:00:00Z') }, // on time
    { leadMeasureId: 1, week: '2026-10-19', personId: null, enteredAt: at('2026-10-20T07:30:00Z') }, // after the 07:00Z start
    { leadMeasureId: 2, week: '2026-10-12', personId: 10, enteredAt: at('2026-10-13T06:59:00Z') }, // on time
    { leadMeasureId: 2, week: '2026-10-19', personId: 10, enteredAt: at('2026-10-19T12:00:00Z') }, // on time
    { leadMeasureId: 2, week: '2026-11-02', personId: 10, enteredAt: at('2026-11-03T07:59:00Z') }, // on time (GMT: starts 08:00Z)
    { leadMeasureId: 2, week: '2026-11-02', personId: 11, enteredAt: at('2026-11-03T08:00:00Z') }, // at the start: late
    { leadMeasureId: 4, week: '2026-11-09', personId: null, enteredAt: at('2026-11-12T10:00:00Z') },
  ],
  dayEntries: [
    { leadMeasureId: 3, date: '2026-10-12', personId: null, enteredAt: at('2026-10-12T16:00:00Z') }, // on time
    { leadMeasureId: 3, date: '2026-10-20', personId: null, enteredAt: at('2026-10-20T06:00:00Z') }, // session day, before it
    { leadMeasureId: 3, date: '2026-11-03', personId: null, enteredAt: at('2026-11-03T12:00:00Z') }, // after the session
    { leadMeasureId: 3, date: '2026-11-04', personId: null, enteredAt: at('2026-11-04T07:00:00Z') }, // after the session day
  ],
  commitments: [
    { week: '2026-10-05', outcome: 'done' }, // before the period
    { week: '2026-10-12', outcome: 'done' },
    { week: '2026-10-12', outcome: 'partly' },
    { week: '2026-10-19', outcome: 'not_done' },
    { week: '2026-11-02', outcome: 'done' },
    { week: '2026-11-09', outcome: null }, // not accounted for yet
  ],
  pathRequests: [
    { week: '2026-10-05', status: 'resolved' }, // before the period
    { week: '2026-10-12', status: 'resolved' },
    { week: '2026-11-02', status: 'open' },
  ],
};

describe('execution health of a team (hand-worked)', () => {
  const figures = teamHealthFigures(base);

  it('counts sessions held out of due, leaving out the half-term and the INSET Tuesday', () => {
    expect(figures.sessions).toEqual({ done: 2, due: 3 });
  });
  it('counts lead entries made before each session started', () => {
    // Due: week of 12 Oct 3 (team, A, daily), 19 Oct 4 (team, A, B, daily), 2 Nov 4. On time: 3 + 2 + 1.
    expect(figures.entries).toEqual({ done: 6, due: 11 });
  });
  it('counts commitments accounted for, partly as a half', () => {
    expect(figures.commitments).toEqual({ done: 2.5, due: 4 });
  });
  it('counts path requests resolved out of raised in the period', () => {
    expect(figures.pathRequests).toEqual({ done: 1, due: 2 });
  });
  it('scores the mean of the four shares', () => {
    // (2/3 + 6/11 + 2.5/4 + 1/2) / 4 = 0.5843
    expect(figures.score).toBe(58);
  });
  it('does not count a session as missed before the school day after it, nor its entries before it starts', () => {
    const early = teamHealthFigures({
      ...base,
      period: { start: '2026-11-02', end: '2026-11-03' },
      today: '2026-11-03',
      now: at('2026-11-03T07:30:00Z'),
      heldWeeks: new Set(),
    });
    expect(early.sessions).toEqual({ done: 0, due: 0 });
    expect(early.entries).toEqual({ done: 0, due: 0 });
  });
  it('counts a missed session from the school day after it', () => {
    const next = teamHealthFigures({
      ...base,
      period: { start: '2026-11-02', end: '2026-11-04' },
      today: '2026-11-04',
      now: at('2026-11-04T09:00:00Z'),
      heldWeeks: new Set(),
    });
    expect(next.sessions).toEqual({ done: 0, due: 1 });
  });
});

describe('weeks with nothing due', () => {
  it('a half-term week has nothing due and no score', () => {
    const halfTerm = teamHealthFigures({ ...base, period: { start: '2026-10-26', end: '2026-10-30' } });
    expect(halfTerm).toEqual({
      sessions: { done: 0, due: 0 },
      entries: { done: 0, due: 0 },
      commitments: { done: 0, due: 0 },
      pathRequests: { done: 0, due: 0 },
      score: null,
    });
  });
  it('a week whose session day is an INSET day owes no session nor entries', () => {
    const inset = teamHealthFigures({ ...base, period: { start: '2026-11-09', end: '2026-11-13' } });
    expect(inset.sessions).toEqual({ done: 0, due: 0 });
    expect(inset.entries).toEqual({ done: 0, due: 0 });
    expect(inset.score).toBeNull();
  });
  it('leaves ratios with nothing due out of the score', () => {
    expect(
      healthScore({
        sessions: { done: 1, due: 2 },
        entries: { done: 0, due: 0 },
        commitments: { done: 0, due: 0 },
        pathRequests: { done: 0, due: 0 },
      }),
    ).toBe(50);
    expect(percent({ done: 0, due: 0 })).toBeNull();
    expect(percent({ done: 2, due: 3 })).toBe(67);
  });
});

describe('combining teams into a school or the trust', () => {
  it('adds the numbers up before dividing', () => {
    const x: HealthFigures = {
      sessions: { done: 2, due: 3 },
      entries: { done: 0, due: 0 },
      commitments: { done: 1, due: 2 },
      pathRequests: { done: 0, due: 0 },
      score: 58,
    };
    const y: HealthFigures = {
      sessions: { done: 1, due: 1 },
      entries: { done: 4, due: 4 },
      commitments: { done: 0, due: 0 },
      pathRequests: { done: 1, due: 2 },
      score: 83,
    };
    // (3/4 + 4/4 + 1/2 + 1/2) / 4 = 0.6875
    expect(combine([x, y])).toEqual({
      sessions: { done: 3, due: 4 },
      entries: { done: 4, due: 4 },
      commitments: { done: 1, due: 2 },
      pathRequests: { done: 1, due: 2 },
      score: 69,
    });
  });
  it('has no score when there are no teams', () => {
    expect(combine([]).score).toBeNull();
  });
});

describe('trend by half-term', () => {
  const terms = [
    { name: 'Autumn 1', start: '2026-09-02', end: '2026-10-23' },
    { name: 'Autumn 2', start: '2026-11-02', end: '2026-12-18' },
    { name: 'Spring 1', start: '2027-01-05', end: '2027-02-12' },
  ];
  it('lists the half-terms overlapping the period, clipped to it', () => {
    expect(termsWithin(terms, { start: '2026-10-12', end: '2026-11-13' })).toEqual([
      { name: 'Autumn 1', start: '2026-10-12', end: '2026-10-23' },
      { name: 'Autumn 2', start: '2026-11-02', end: '2026-11-13' },
    ]);
  });
  it('works out each half-term on its own', () => {
    const [autumn1, autumn2] = termsWithin(terms, base.period).map((t) => teamHealthFigures({ ...base, period: t }));
    expect(autumn1!.sessions).toEqual({ done: 1, due: 2 });
    expect(autumn2!.sessions).toEqual({ done: 1, due: 1 });
    expect(autumn1!.entries.due + autumn2!.entries.due).toBe(11);
  });
});

describe('figures in words', () => {
  it('writes halves and percentages', async () => {
    const { ratioWords, formatCount } = await import('../../src/domain/health.ts');
    expect(ratioWords({ done: 2.5, due: 4 })).toBe('2½ of 4 (63%)');
    expect(ratioWords({ done: 0, due: 0 })).toBe('nothing due');
    expect(formatCount(0.5)).toBe('½');
  });
});
