// The weekly update's pure rules: typed values, kept days, the member's two weeks, holiday names, and what is still to fill.
import { describe, expect, it } from 'vitest';
import type { SchoolCalendar } from '../../src/domain/calendar.ts';
import {
  cellsToFill,
  dayRefusal,
  holidayName,
  memberWeeks,
  parseEntryValue,
  parseKept,
  previousSchoolWeek,
  weekLabel,
  weekRefusal,
} from '../../src/domain/weekly-update.ts';

const CALENDAR: SchoolCalendar = {
  terms: [
    { start: '2026-09-01', end: '2026-10-23' },
    { start: '2026-11-02', end: '2026-12-18' },
    { start: '2027-01-04', end: '2027-02-12' },
    { start: '2027-02-22', end: '2027-03-26' },
    { start: '2027-04-12', end: '2027-07-21' },
  ],
  closures: [{ kind: 'inset', name: 'INSET day', start: '2026-11-27', end: '2026-11-27' }],
};

describe('parseEntryValue', () => {
  it('reads plain numbers from 0 to 100,000 with at most two decimal places; empty clears', () => {
    expect(parseEntryValue('')).toEqual({ ok: true, value: null });
    expect(parseEntryValue('  ')).toEqual({ ok: true, value: null });
    expect(parseEntryValue(' 5 ')).toEqual({ ok: true, value: 5 });
    expect(parseEntryValue('0')).toEqual({ ok: true, value: 0 });
    expect(parseEntryValue('2.25')).toEqual({ ok: true, value: 2.25 });
    expect(parseEntryValue('100000')).toEqual({ ok: true, value: 100000 });
  });

  it.each([
    ['abc', 'Enter a number, like 5 or 2.5'],
    ['1e5', 'Enter a number, like 5 or 2.5'],
    ['5.', 'Enter a number, like 5 or 2.5'],
    ['.5', 'Enter a number, like 5 or 2.5'],
    ['1 000', 'Enter a number, like 5 or 2.5'],
    ['-1', 'Enter 0 or more'],
    ['- 3', 'Enter 0 or more'],
    ['1.234', 'Enter a number with at most 2 decimal places'],
    ['100000.01', 'Enter 100,000 or less'],
  ])('refuses %j: %s', (raw, error) => {
    expect(parseEntryValue(raw)).toEqual({ ok: false, error });
  });
});

describe('parseKept', () => {
  it('1 is kept, 0 or an unticked box (nothing sent) is not kept, empty clears, anything else is refused', () => {
    expect(parseKept('1')).toEqual({ ok: true, value: true });
    expect(parseKept('0')).toEqual({ ok: true, value: false });
    expect(parseKept(undefined)).toEqual({ ok: true, value: false });
    expect(parseKept('')).toEqual({ ok: true, value: null });
    expect(parseKept('yes').ok).toBe(false);
  });
});

describe('weeks a person may fill in', () => {
  it('writes a week as schools do', () => {
    expect(weekLabel('2026-11-23')).toBe('Week of Mon 23 Nov 2026');
  });

  it('the previous school week skips holiday weeks', () => {
    expect(previousSchoolWeek('2026-11-23', CALENDAR)).toBe('2026-11-16');
    expect(previousSchoolWeek('2026-11-02', CALENDAR)).toBe('2026-10-19');
    expect(previousSchoolWeek('2027-01-04', CALENDAR)).toBe('2026-12-14');
    expect(previousSchoolWeek('2026-09-07', { terms: [], closures: [] })).toBeNull();
  });

  it('a member fills this week and last school week; during half-term, the week before it', () => {
    expect(memberWeeks('2026-11-24', CALENDAR)).toEqual(['2026-11-23', '2026-11-16']);
    expect(memberWeeks('2026-11-03', CALENDAR)).toEqual(['2026-11-02', '2026-10-19']);
    expect(memberWeeks('2026-10-28', CALENDAR)).toEqual(['2026-10-26', '2026-10-19']);
  });

  it('refuses future weeks and holiday weeks to everyone, and older weeks to members only', () => {
    const member = { today: '2026-11-24', calendar: CALENDAR, leader: false };
    const leader = { ...member, leader: true };
    expect(weekRefusal('2026-11-23', member)).toBeNull();
    expect(weekRefusal('2026-11-16', member)).toBeNull();
    expect(weekRefusal('2026-11-09', member)).toMatch(/Ask your team leader/);
    expect(weekRefusal('2026-11-09', leader)).toBeNull();
    expect(weekRefusal('2025-09-08', leader)).toMatch(/no numbers are expected/);
    expect(weekRefusal('2026-11-30', leader)).toMatch(/has not started yet/);
    expect(weekRefusal('2026-10-26', leader)).toBe('Half-term: no numbers are expected this week.');
  });

  it('refuses days that are closed or have not happened yet', () => {
    const leader = { today: '2026-11-26', calendar: CALENDAR, leader: true };
    expect(dayRefusal('2026-11-26', leader)).toBeNull();
    expect(dayRefusal('2026-11-27', leader)).toBe('Fri 27 Nov 2026 is not a school day (INSET day).');
    expect(dayRefusal('2026-11-28', leader)).toBe('Sat 28 Nov 2026 is not a school day (Weekend).');
    expect(dayRefusal('2026-11-27', { ...leader, calendar: { ...CALENDAR, closures: [] } })).toBe(
      'Fri 27 Nov 2026 has not happened yet.',
    );
  });
});

describe('holidayName', () => {
  it('names a break as schools do: half-term, Christmas, Easter, summer, or the closure that fills the week', () => {
    expect(holidayName('2026-10-26', CALENDAR)).toBe('Half-term');
    expect(holidayName('2027-02-15', CALENDAR)).toBe('Half-term');
    expect(holidayName('2026-12-21', CALENDAR)).toBe('Christmas holidays');
    expect(holidayName('2026-12-28', CALENDAR)).toBe('Christmas holidays');
    expect(holidayName('2027-03-29', CALENDAR)).toBe('Easter holidays');
    expect(holidayName('2027-08-02', CALENDAR)).toBe('Summer holidays');
    const strike = {
      ...CALENDAR,
      closures: [{ kind: 'closure' as const, name: 'Building works', start: '2026-11-09', end: '2026-11-13' }],
    };
    expect(holidayName('2026-11-09', strike)).toBe('Building works');
    expect(holidayName('2026-11-09', { terms: [], closures: [] })).toBe('No term dates set');
  });
});

describe('cellsToFill', () => {
  const measures = [
    { id: 1, kind: 'number' as const, perPerson: true },
    { id: 2, kind: 'number' as const, perPerson: false },
    { id: 3, kind: 'daily' as const, perPerson: true },
  ];
  const daysSoFar = ['2026-11-23', '2026-11-24'];

  it("lists a person's own empty cells, the team's, and the daily days so far not kept", () => {
    expect(
      cellsToFill({
        personId: 7,
        measures,
        entries: [{ leadMeasureId: 1, personId: 8 }],
        days: [{ leadMeasureId: 3, personId: 7, date: '2026-11-23', kept: false }],
        daysSoFar,
      }),
    ).toEqual([
      { measureId: 1, personId: 7, days: [] },
      { measureId: 2, personId: null, days: [] },
      { measureId: 3, personId: 7, days: ['2026-11-23', '2026-11-24'] },
    ]);
  });

  it('is empty once everything is in', () => {
    const days = daysSoFar.map((date) => ({ leadMeasureId: 3, personId: 7, date, kept: true }));
    expect(
      cellsToFill({
        personId: 7,
        measures,
        entries: [
          { leadMeasureId: 1, personId: 7 },
          { leadMeasureId: 2, personId: null },
        ],
        days,
        daysSoFar,
      }),
    ).toEqual([]);
  });
});
