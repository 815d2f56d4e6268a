import { describe, expect, it } from 'vitest';
import { dueSessions, nextSchoolDay, sessionDate, sessionInstants, sessionState } from '../../src/domain/cadence.ts';
import type { SchoolCalendar } from '../../src/domain/calendar.ts';

// Autumn 2026: half-term 26–30 Oct; INSET on Mon 2 Nov; term ends Fri 18 Dec.
const calendar: SchoolCalendar = {
  terms: [
    { start: '2026-09-02', end: '2026-10-23' },
    { start: '2026-11-02', end: '2026-12-18' },
  ],
  closures: [{ start: '2026-11-02', end: '2026-11-02', kind: 'inset', name: 'INSET day' }],
};
const tuesday = { sessionWeekday: 2, sessionTime: '08:00', sessionMinutes: 20 };
const monday = { ...tuesday, sessionWeekday: 1 };
const friday = { ...tuesday, sessionWeekday: 5 };

describe('sessions due', () => {
  it('is due on the team weekday of a school week', () => {
    expect(sessionDate(tuesday, '2026-11-23', calendar)).toBe('2026-11-24');
  });
  it('is not due in half-term, nor on an INSET day, nor on a weekend slot', () => {
    expect(sessionDate(tuesday, '2026-10-26', calendar)).toBeNull();
    expect(sessionDate(monday, '2026-11-02', calendar)).toBeNull();
    expect(sessionDate(tuesday, '2026-11-02', calendar)).toBe('2026-11-03');
    expect(sessionDate({ ...tuesday, sessionWeekday: 6 }, '2026-11-23', calendar)).toBeNull();
  });
  it('lists the due sessions of a period across a half-term and an INSET day', () => {
    const due = dueSessions(monday, { start: '2026-10-12', end: '2026-11-15' }, calendar);
    expect(due.map((d) => d.date)).toEqual(['2026-10-12', '2026-10-19', '2026-11-09']);
  });
  it('finds the next school day over a weekend, a half-term and an INSET day', () => {
    expect(nextSchoolDay('2026-11-20', calendar)).toBe('2026-11-23');
    expect(nextSchoolDay('2026-10-23', calendar)).toBe('2026-11-03');
    expect(nextSchoolDay('2026-12-18', calendar)).toBeNull();
  });
});

describe('held or missed', () => {
  it('is upcoming before the day, today on the day, held once recorded', () => {
    expect(sessionState(tuesday, '2026-11-23', calendar, false, '2026-11-23')).toBe('upcoming');
    expect(sessionState(tuesday, '2026-11-23', calendar, false, '2026-11-24')).toBe('today');
    expect(sessionState(tuesday, '2026-11-23', calendar, true, '2026-11-24')).toBe('held');
  });
  it('counts as missed from the school day after, not before', () => {
    expect(sessionState(tuesday, '2026-11-23', calendar, false, '2026-11-25')).toBe('missed');
    // A Friday session is not missed over the weekend, only on Monday.
    expect(sessionState(friday, '2026-11-16', calendar, false, '2026-11-21')).toBe('awaiting_record');
    expect(sessionState(friday, '2026-11-16', calendar, false, '2026-11-23')).toBe('missed');
    // The last Friday before half-term is missed when school comes back (after the INSET day).
    expect(sessionState(friday, '2026-10-19', calendar, false, '2026-11-02')).toBe('awaiting_record');
    expect(sessionState(friday, '2026-10-19', calendar, false, '2026-11-03')).toBe('missed');
  });
  it('is never due in a holiday week, held or not', () => {
    expect(sessionState(tuesday, '2026-10-26', calendar, false, '2026-11-30')).toBe('not_due');
  });
  it('places the session in the trust time zone across the clock change', () => {
    expect(new Date(sessionInstants(tuesday, '2026-10-20', 'Europe/London').start).toISOString()).toBe(
      '2026-10-20T07:00:00.000Z',
    );
    expect(sessionInstants(tuesday, '2026-11-03', 'Europe/London')).toEqual({
      start: Date.parse('2026-11-03T08:00:00Z'),
      end: Date.parse('2026-11-03T08:20:00Z'),
    });
  });
});
