// The demo trust's academic year is a plausible English one for whatever day the demo is seeded on: six half-terms,
// holidays and INSET days that are not school weeks, and the bank holidays of England and Wales.
import { describe, expect, it } from 'vitest';
import { isSchoolDay, isSchoolWeek, isoWeekday, schoolWeeks, type SchoolCalendar } from '../../src/domain/calendar.ts';
import { demoYear, demoYearFor, easterSunday, type DemoYear } from '../../scripts/demo-year.ts';

const calendarOf = (year: DemoYear): SchoolCalendar => ({
  terms: year.terms.map((t) => ({ start: t.startDate, end: t.endDate })),
  closures: year.closures.map((c) => ({ start: c.startDate, end: c.endDate, kind: c.kind, name: c.name })),
});

const DEMO_YEAR = demoYear(2026);
const trust = calendarOf(DEMO_YEAR);

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
    for (const holidayWeek of [
      '2026-10-26',
      '2026-12-21',
      '2026-12-28',
      '2027-02-15',
      '2027-03-29',
      '2027-04-05',
      '2027-05-31',
      '2027-07-26',
    ]) {
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

  it('2026–27 is the year an English trust keeps: these terms, INSET days, bank holidays and school closures', () => {
    expect(DEMO_YEAR).toEqual({
      name: '2026–27',
      startDate: '2026-09-01',
      endDate: '2027-08-31',
      terms: [
        { name: 'Autumn 1', startDate: '2026-09-01', endDate: '2026-10-23' },
        { name: 'Autumn 2', startDate: '2026-11-02', endDate: '2026-12-18' },
        { name: 'Spring 1', startDate: '2027-01-04', endDate: '2027-02-12' },
        { name: 'Spring 2', startDate: '2027-02-22', endDate: '2027-03-26' },
        { name: 'Summer 1', startDate: '2027-04-12', endDate: '2027-05-28' },
        { name: 'Summer 2', startDate: '2027-06-07', endDate: '2027-07-21' },
      ],
      closures: [
        { kind: 'inset', name: 'INSET days', startDate: '2026-09-01', endDate: '2026-09-02' },
        { kind: 'inset', name: 'INSET day', startDate: '2027-01-04', endDate: '2027-01-04' },
        { kind: 'bank_holiday', name: 'Christmas Day', startDate: '2026-12-25', endDate: '2026-12-25' },
        { kind: 'bank_holiday', name: 'Boxing Day (substitute day)', startDate: '2026-12-28', endDate: '2026-12-28' },
        { kind: 'bank_holiday', name: 'New Year’s Day', startDate: '2027-01-01', endDate: '2027-01-01' },
        { kind: 'bank_holiday', name: 'Good Friday', startDate: '2027-03-26', endDate: '2027-03-26' },
        { kind: 'bank_holiday', name: 'Easter Monday', startDate: '2027-03-29', endDate: '2027-03-29' },
        { kind: 'bank_holiday', name: 'Early May bank holiday', startDate: '2027-05-03', endDate: '2027-05-03' },
        { kind: 'bank_holiday', name: 'Spring bank holiday', startDate: '2027-05-31', endDate: '2027-05-31' },
      ],
      schoolClosures: [
        {
          school: 'Brookfield Primary',
          kind: 'inset',
          name: 'INSET day (Brookfield)',
          startDate: '2026-11-27',
          endDate: '2026-11-27',
        },
        {
          school: 'Castle Hill Primary',
          kind: 'closure',
          name: 'Polling station',
          startDate: '2027-05-06',
          endDate: '2027-05-06',
        },
      ],
      wigStart: '2026-09-01',
      wigDeadline: '2027-07-16',
    });
  });

  it('Easter Sunday, as the Church of England dates it', () => {
    const known = {
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2028: '2028-04-16',
      2029: '2029-04-01',
      2030: '2030-04-21',
      2038: '2038-04-25',
    };
    for (const [year, date] of Object.entries(known)) expect(easterSunday(Number(year)), year).toBe(date);
  });

  it('moves Christmas, Boxing Day and New Year’s Day off the weekend as GOV.UK does (2027–28, 2022–23)', () => {
    const bankHolidays = (y: DemoYear) =>
      y.closures.filter((c) => c.kind === 'bank_holiday').map((c) => [c.name, c.startDate]);
    expect(bankHolidays(demoYear(2027))).toEqual([
      ['Christmas Day (substitute day)', '2027-12-27'],
      ['Boxing Day (substitute day)', '2027-12-28'],
      ['New Year’s Day (substitute day)', '2028-01-03'],
      ['Good Friday', '2028-04-14'],
      ['Easter Monday', '2028-04-17'],
      ['Early May bank holiday', '2028-05-01'],
      ['Spring bank holiday', '2028-05-29'],
    ]);
    expect(bankHolidays(demoYear(2022)).slice(0, 3)).toEqual([
      ['Christmas Day (substitute day)', '2022-12-27'],
      ['Boxing Day', '2022-12-26'],
      ['New Year’s Day (substitute day)', '2023-01-02'],
    ]);
  });

  it('every year from 2020–21 to 2045–46 is plausible: six ordered terms from a September weekday to July, 37–40 school weeks, holidays between', () => {
    for (let start = 2020; start <= 2045; start++) {
      const year = demoYear(start);
      const calendar = calendarOf(year);
      expect(year.name).toBe(`${start}–${String((start + 1) % 100).padStart(2, '0')}`);
      expect(year.terms[0]!.startDate.slice(0, 7)).toBe(`${start}-09`);
      expect(year.terms[5]!.endDate.slice(0, 7)).toBe(`${start + 1}-07`);
      for (const [i, term] of year.terms.entries()) {
        expect(term.startDate < term.endDate, `${year.name} ${term.name}`).toBe(true);
        expect(isoWeekday(term.endDate) <= 5, `${year.name} ${term.name} ends on a weekday`).toBe(true);
        if (i > 0)
          expect(year.terms[i - 1]!.endDate < term.startDate, `${year.name} ${term.name} after the one before`).toBe(
            true,
          );
      }
      const weeks = schoolWeeks({ start: year.startDate, end: year.endDate }, calendar);
      expect(weeks.length, year.name).toBeGreaterThanOrEqual(37);
      expect(weeks.length, year.name).toBeLessThanOrEqual(40);
      for (const c of year.closures) expect(isSchoolDay(c.startDate, calendar), `${year.name} ${c.name}`).toBe(false);
      expect(year.wigStart <= year.terms[0]!.startDate && year.wigDeadline < year.terms[5]!.endDate).toBe(true);
    }
  });

  it('the demo is in the academic year holding today, or the next one once the summer term has ended', () => {
    expect(demoYearFor('2026-11-24').name).toBe('2026–27');
    expect(demoYearFor('2026-09-01').name).toBe('2026–27');
    expect(demoYearFor('2027-02-16').name).toBe('2026–27');
    expect(demoYearFor('2027-07-21').name).toBe('2026–27');
    expect(demoYearFor('2027-07-22').name).toBe('2027–28');
    expect(demoYearFor('2027-08-10').name).toBe('2027–28');
    expect(demoYearFor('2026-08-31').name).toBe('2026–27');
    expect(demoYearFor('2028-03-01').name).toBe('2027–28');
  });
});
