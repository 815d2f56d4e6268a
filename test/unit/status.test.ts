// Status rules at the edges: the pace line over school weeks, lag gaps both ways, lead weeks and trends.
import { describe, expect, it } from 'vitest';
import {
  expectedValue,
  lagGap,
  lagStatus,
  leadTrend,
  leadWeekStatus,
  paceShare,
  type PacePlan,
} from '../../src/domain/status.ts';

// Ten school weeks with a half-term week (26 Oct) left out of the plan: it does not move the line.
const plan: PacePlan = {
  baseline: 60,
  target: 70,
  schoolWeeks: [
    '2026-09-28',
    '2026-10-05',
    '2026-10-12',
    '2026-10-19',
    '2026-11-02',
    '2026-11-09',
    '2026-11-16',
    '2026-11-23',
    '2026-11-30',
    '2026-12-07',
  ],
  schoolDaysPerWeek: [5, 5, 5, 5, 4, 5, 5, 5, 5, 5],
};

describe('the pace line', () => {
  it('starts at X and ends at Y, advancing over school weeks only', () => {
    expect(paceShare(plan, '2026-09-28', 0)).toBe(0);
    expect(paceShare(plan, '2026-10-26', 0)).toBe(0.4); // half-term: four school weeks done
    expect(paceShare(plan, '2026-10-30', 0)).toBe(0.4); // still 0.4 at the end of half-term
    expect(paceShare(plan, '2026-11-04', 2)).toBeCloseTo(0.45); // two of the INSET week's four school days
    expect(paceShare(plan, '2026-12-14', 0)).toBe(1);
    expect(paceShare(plan, '2027-03-01', 0)).toBe(1); // after the deadline
    expect(paceShare(plan, '2026-09-01', 0)).toBe(0); // before the start
    expect(expectedValue(plan, 0.4)).toBe(64);
  });

  it('an empty plan (no school weeks) is all or nothing', () => {
    expect(paceShare({ ...plan, schoolWeeks: [], schoolDaysPerWeek: [] }, '2026-10-01', 0)).toBe(1);
  });
});

describe('lag status', () => {
  it('measures the gap as a share of the distance, for increase and decrease', () => {
    expect(lagGap(plan, 0.5, 65)).toBe(0);
    expect(lagGap(plan, 0.5, 66)).toBeCloseTo(0.1);
    expect(lagGap(plan, 0.5, 64)).toBeCloseTo(-0.1);
    const absence = { baseline: 18, target: 12 };
    expect(lagGap(absence, 0.5, 14)).toBeCloseTo(1 / 6); // 14 % against an expected 15 %: ahead
    expect(lagGap(absence, 0.5, 16)).toBeCloseTo(-1 / 6);
    expect(lagGap({ baseline: 5, target: 5 }, 0.5, 4)).toBe(0);
  });

  it('turns the gap into on track / at risk / off track at the documented thresholds', () => {
    expect(lagStatus(0.2)).toBe('on_track');
    expect(lagStatus(-0.05)).toBe('on_track');
    expect(lagStatus(-0.06)).toBe('at_risk');
    expect(lagStatus(-0.15)).toBe('at_risk');
    expect(lagStatus(-0.16)).toBe('off_track');
    expect(lagStatus(null)).toBe('no_data');
  });
});

describe('lead status', () => {
  it('a week against its target, either way round', () => {
    expect(leadWeekStatus(5, 5, 'increase')).toBe('on_track');
    expect(leadWeekStatus(4, 5, 'increase')).toBe('at_risk');
    expect(leadWeekStatus(3, 5, 'increase')).toBe('off_track');
    expect(leadWeekStatus(2, 2, 'decrease')).toBe('on_track');
    expect(leadWeekStatus(2.5, 2, 'decrease')).toBe('at_risk');
    expect(leadWeekStatus(3, 2, 'decrease')).toBe('off_track');
    expect(leadWeekStatus(1, 0, 'decrease')).toBe('off_track');
    expect(leadWeekStatus(null, 5, 'increase')).toBe('no_data');
    expect(leadWeekStatus(5, null, 'increase')).toBe('no_data');
  });

  it('the trend is the share of weeks that met their target, ignoring weeks with no data', () => {
    const weeks = [
      { value: 5, target: 5 },
      { value: 3, target: 5 },
      { value: null, target: 5 },
      { value: 6, target: 5 },
    ];
    expect(leadTrend(weeks, 'increase')).toBeCloseTo(2 / 3);
    expect(leadTrend([], 'increase')).toBeNull();
  });
});
