// The school year: weekdays, Monday weeks, terms, holidays, INSET days and clock changes.
import { describe, expect, it } from 'vitest';
import {
  addDays,
  closureOf,
  isIsoDate,
  isoWeekday,
  isSchoolDay,
  isSchoolWeek,
  localDate,
  schoolDaysOfWeek,
  schoolWeeks,
  weekStart,
  zonedInstant,
  type SchoolCalendar,
} from '../../src/domain/calendar.ts';

// Autumn term 2026 with a half-term, an INSET day and the Christmas holiday after it.
const calendar: SchoolCalendar = {
  terms: [
    { start: '2026-09-02', end: '2026-12-18' },
    { start: '2027-01-05', end: '2027-03-26' },
  ],
  closures: [
    { start: '2026-10-26', end: '2026-10-30', kind: 'holiday', name: 'Autumn half-term' },
    { start: '2026-11-02', end: '2026-11-02', kind: 'inset', name: 'INSET day' },
  ],
};

describe('dates and weeks', () => {
  it('knows real calendar dates', () => {
    expect(isIsoDate('2026-11-24')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('24/11/2026')).toBe(false);
  });

  it('starts weeks on Monday', () => {
    expect(isoWeekday('2026-11-24')).toBe(2);
    expect(weekStart('2026-11-24')).toBe('2026-11-23');
    expect(weekStart('2026-11-29')).toBe('2026-11-23'); // Sunday belongs to the week before
    expect(weekStart('2026-11-30')).toBe('2026-11-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('reads the local date of an instant in the trust time zone across clock changes', () => {
    // 23:30 UTC on Sat 28 Mar 2026 is still Saturday in London (GMT); 23:30 UTC on 29 Mar is Monday 00:30 BST.
    expect(localDate(Date.UTC(2026, 2, 28, 23, 30), 'Europe/London')).toBe('2026-03-28');
    expect(localDate(Date.UTC(2026, 2, 29, 23, 30), 'Europe/London')).toBe('2026-03-30');
    expect(localDate(Date.UTC(2026, 9, 25, 23, 30), 'Europe/London')).toBe('2026-10-25');
  });

  it('finds the instant of a local time on both sides of a clock change', () => {
    expect(new Date(zonedInstant('2026-03-27', '08:15', 'Europe/London')).toISOString()).toBe(
      '2026-03-27T08:15:00.000Z',
    );
    expect(new Date(zonedInstant('2026-03-30', '08:15', 'Europe/London')).toISOString()).toBe(
      '2026-03-30T07:15:00.000Z',
    );
    expect(new Date(zonedInstant('2026-10-26', '08:15', 'Europe/London')).toISOString()).toBe(
      '2026-10-26T08:15:00.000Z',
    );
    expect(new Date(zonedInstant('2026-07-01', '16:00', 'Asia/Kolkata')).toISOString()).toBe(
      '2026-07-01T10:30:00.000Z',
    );
  });
});

describe('school days', () => {
  it('are weekdays in term, not in a holiday or on an INSET day', () => {
    expect(isSchoolDay('2026-11-24', calendar)).toBe(true);
    expect(isSchoolDay('2026-11-28', calendar)).toBe(false); // Saturday
    expect(isSchoolDay('2026-10-27', calendar)).toBe(false); // half-term
    expect(isSchoolDay('2026-11-02', calendar)).toBe(false); // INSET
    expect(isSchoolDay('2026-12-21', calendar)).toBe(false); // Christmas holiday
    expect(isSchoolDay('2026-09-01', calendar)).toBe(false); // before term
  });

  it('says why a day is not a school day', () => {
    expect(closureOf('2026-10-27', calendar)).toBe('Autumn half-term');
    expect(closureOf('2026-11-02', calendar)).toBe('INSET day');
    expect(closureOf('2026-12-23', calendar)).toBe('School holiday');
    expect(closureOf('2026-11-28', calendar)).toBe('Weekend');
    expect(closureOf('2026-11-24', calendar)).toBeNull();
  });

  it('counts the school days of a week', () => {
    expect(schoolDaysOfWeek('2026-11-23', calendar)).toHaveLength(5);
    expect(schoolDaysOfWeek('2026-11-02', calendar)).toHaveLength(4); // INSET Monday
    expect(schoolDaysOfWeek('2026-08-31', calendar)).toEqual(['2026-09-02', '2026-09-03', '2026-09-04']);
    expect(schoolDaysOfWeek('2026-10-26', calendar)).toHaveLength(0);
  });
});

describe('school weeks', () => {
  it('leave out holiday weeks', () => {
    expect(isSchoolWeek('2026-10-26', calendar)).toBe(false);
    expect(isSchoolWeek('2026-12-21', calendar)).toBe(false);
    expect(isSchoolWeek('2026-12-14', calendar)).toBe(true);
  });

  it('of a period skip half-term and Christmas, and include part weeks', () => {
    const weeks = schoolWeeks({ start: '2026-10-12', end: '2027-01-10' }, calendar);
    expect(weeks).toEqual([
      '2026-10-12',
      '2026-10-19',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
      '2026-12-07',
      '2026-12-14',
      '2027-01-04',
    ]);
  });

  it('of the whole autumn term number fifteen', () => {
    expect(schoolWeeks({ start: '2026-09-01', end: '2026-12-31' }, calendar)).toHaveLength(15);
  });
});
