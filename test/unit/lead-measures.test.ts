// Lead measures: targets by week, changes from next week, daily standards.
import { describe, expect, it } from 'vitest';
import {
  dailyScore,
  meetsTarget,
  targetChangeStarts,
  targetForWeek,
  withTargetFrom,
} from '../../src/domain/lead-measures.ts';

const periods = [
  { fromWeek: '2026-09-07', target: 3 },
  { fromWeek: '2026-11-02', target: 5 },
];

describe('targets', () => {
  it('a week is measured against the target in force that week', () => {
    expect(targetForWeek(periods, '2026-08-31')).toBeNull();
    expect(targetForWeek(periods, '2026-09-07')).toBe(3);
    expect(targetForWeek(periods, '2026-10-19')).toBe(3);
    expect(targetForWeek(periods, '2026-11-02')).toBe(5);
    expect(targetForWeek(periods, '2027-06-07')).toBe(5);
  });

  it('a change made on any day starts next Monday, and past weeks keep theirs', () => {
    expect(targetChangeStarts('2026-11-24')).toBe('2026-11-30');
    expect(targetChangeStarts('2026-11-29')).toBe('2026-11-30'); // a Sunday still belongs to this week
    const next = withTargetFrom(periods, targetChangeStarts('2026-11-24'), 6);
    expect(targetForWeek(next, '2026-11-23')).toBe(5);
    expect(targetForWeek(next, '2026-11-30')).toBe(6);
    expect(targetForWeek(next, '2026-09-14')).toBe(3);
  });

  it('a second change in the same week replaces the first', () => {
    const twice = withTargetFrom(withTargetFrom(periods, '2026-11-30', 6), '2026-11-30', 7);
    expect(twice).toEqual([...periods, { fromWeek: '2026-11-30', target: 7 }]);
  });
});

describe('daily standards', () => {
  const week = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
  it('score days kept ÷ school days', () => {
    expect(dailyScore(['2026-11-23', '2026-11-24', '2026-11-26'], week)).toBeCloseTo(0.6);
    expect(dailyScore(week, week)).toBe(1);
  });

  it('count only school days (an INSET day does not count against the team)', () => {
    expect(dailyScore(['2026-11-24', '2026-11-28'], week.slice(1))).toBe(0.25);
  });

  it('have no score in a week with no school days', () => {
    expect(dailyScore([], [])).toBeNull();
  });
});

describe('meeting a target', () => {
  it('is direction-aware', () => {
    expect(meetsTarget(5, 5, 'increase')).toBe(true);
    expect(meetsTarget(4, 5, 'increase')).toBe(false);
    expect(meetsTarget(2, 3, 'decrease')).toBe(true);
    expect(meetsTarget(4, 3, 'decrease')).toBe(false);
  });
});
