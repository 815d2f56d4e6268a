// The demo trust's academic year is a plausible English one: six half-terms, holidays and INSET days that are not school weeks.
import { describe, expect, it } from 'vitest';
import { isSchoolDay, isSchoolWeek, schoolWeeks, type SchoolCalendar } from '../../src/domain/calendar.ts';
import { DEMO_YEAR } from '../../scripts/seed-demo.ts';

const trust: SchoolCalendar = {
  terms: DEMO_YEAR.terms.map((t) => ({ start: t.startDate, end: t.endDate })),
  closures: DEMO_YEAR.closures.map((c) => ({ start: c.startDate, end: c.endDate, kind: c.kind, name: c.name })),
};

describe('the demo academic year', () => {
  it('runs September to July in six half-terms', () => {
    expect(DEMO_YEAR.terms).toHaveLength(6);
    expect(DEMO_YEAR.terms[0]!.startDate.slice(0, 7)).toBe('2026-09');
    expect(DEMO_YEAR.terms[5]!.endDate.slice(0, 7)).toBe('2027-07');
  });

  it('has about 39 school weeks, none in the holidays', () => {
    const weeks = schoolWeeks({ start: DEMO_YEAR.startDate, end: DEMO_YEAR.endDate }, trust);
    expect(weeks.length).toBeGreaterThanOrEqual(37);
    expect(weeks.length).toBeLessThanOrEqual(40);
    for (const holidayWeek of ['2026-10-26', '2026-12-21', '2026-12-28', '2027-02-15', '2027-03-29', '2027-04-05', '2027-05-31', '2027-07-26']) {
      expect(isSchoolWeek(holidayWeek, trust), holidayWeek).toBe(false);
    }
  });

  it('keeps INSET days and bank holidays out of school days', () => {
    expect(isSchoolDay('2026-09-01', trust)).toBe(false);
    expect(isSchoolDay('2026-09-03', trust)).toBe(true);
    expect(isSchoolDay('2027-01-04', trust)).toBe(false);
    expect(isSchoolDay('2027-05-03', trust)).toBe(false);
  });

  it('has about twelve school weeks before today (Tue 24 Nov 2026) for history', () => {
    expect(schoolWeeks({ start: '2026-09-01', end: '2026-11-22' }, trust)).toHaveLength(11);
  });
});
