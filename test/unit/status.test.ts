// Status rules at the edges: the pace line over school weeks, lag gaps both ways, lead weeks and trends, and the one
// rule that makes a WIG and a team winning or losing, with its one-line reason.
import { describe, expect, it } from 'vitest';
import {
  expectedValue,
  judgeTeam,
  judgeWig,
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

  it('is on pace on or ahead of the line and behind it below, with no hidden band', () => {
    expect(lagStatus(0.2)).toBe('met');
    expect(lagStatus(0)).toBe('met');
    expect(lagStatus(-1e-12)).toBe('met'); // a rounding hair
    // 64.9 % against a pace line at 66.3 % (X 60 → Y 80): behind, however small the gap.
    expect(lagStatus(lagGap({ baseline: 60, target: 80 }, 0.315, 64.9))).toBe('missed');
    expect(lagStatus(-0.01)).toBe('missed');
    expect(lagStatus(null)).toBe('no_data');
  });
});

describe('lead status', () => {
  it('a week hit or missed its target, either way round', () => {
    expect(leadWeekStatus(5, 5, 'increase')).toBe('met');
    expect(leadWeekStatus(4.9, 5, 'increase')).toBe('missed');
    expect(leadWeekStatus(3, 5, 'increase')).toBe('missed');
    expect(leadWeekStatus(2, 2, 'decrease')).toBe('met');
    expect(leadWeekStatus(2.5, 2, 'decrease')).toBe('missed');
    expect(leadWeekStatus(1, 0, 'decrease')).toBe('missed');
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

describe('the one rule: a WIG is winning or losing', () => {
  const onPace = { status: 'met' as const, reading: '70.1%', pace: '68.1%' };
  const behind = { status: 'missed' as const, reading: '64.9%', pace: '66.3%' };

  it('wins with the lag on pace and more than half of its lead measures hit', () => {
    expect(judgeWig({ lag: onPace, leads: ['met', 'met', 'missed'] })).toEqual({
      verdict: 'winning',
      why: 'The lag, 70.1%, is on pace (the line was at 68.1%); 2 of 3 lead measures hit target last week.',
    });
    expect(judgeWig({ lag: onPace, leads: ['met'] }).verdict).toBe('winning');
  });

  it('loses with half the lead measures or fewer hit, even with the lag on pace: 1 of 2 is not winning', () => {
    expect(judgeWig({ lag: onPace, leads: ['met', 'missed'] })).toEqual({
      verdict: 'losing',
      why: 'The lag, 70.1%, is on pace (the line was at 68.1%); 1 of 2 lead measures hit target last week — more than half must.',
    });
    // A lead measure with no number last week did not hit its target.
    expect(judgeWig({ lag: onPace, leads: ['met', 'no_data', 'met'] }).verdict).toBe('winning');
    expect(judgeWig({ lag: onPace, leads: ['met', 'no_data'] }).verdict).toBe('losing');
  });

  it('loses with the lag behind pace, whatever the lead measures: no hidden tolerance', () => {
    expect(judgeWig({ lag: behind, leads: ['met', 'met'] })).toEqual({
      verdict: 'losing',
      why: 'The lag, 64.9%, is behind pace (the line was at 66.3%); 2 of 2 lead measures hit target last week.',
    });
  });

  it('before the first lag reading, the lead measures decide', () => {
    expect(judgeWig({ lag: { status: 'no_data' }, leads: ['met', 'met', 'missed'] })).toEqual({
      verdict: 'winning',
      why: 'No lag reading yet; 2 of 3 lead measures hit target last week.',
    });
    expect(judgeWig({ lag: { status: 'not_started' }, leads: ['missed'] }).verdict).toBe('losing');
    expect(judgeWig({ lag: null, leads: ['met'] }).verdict).toBe('winning');
  });

  it('with no lag reading and no lead measure numbers, there is nothing to judge yet', () => {
    expect(judgeWig({ lag: { status: 'no_data' }, leads: ['no_data', 'no_data'] })).toEqual({
      verdict: 'no_data',
      why: 'No lag reading yet and no lead measure numbers yet.',
    });
    expect(judgeWig({ lag: null, leads: [] })).toEqual({ verdict: 'no_data', why: 'No lag reading yet.' });
  });

  it('a WIG with no lead measures (a trust or school WIG) is judged on its lag alone', () => {
    expect(judgeWig({ lag: onPace, leads: [] })).toEqual({
      verdict: 'winning',
      why: 'The lag, 70.1%, is on pace (the line was at 68.1%); no lead measures.',
    });
    expect(judgeWig({ lag: behind, leads: [] }).verdict).toBe('losing');
  });
});

describe('the one rule: a team is winning or losing', () => {
  it('wins when every WIG with numbers is winning, and says which one loses', () => {
    expect(judgeTeam([{ name: 'Reading', verdict: 'winning' }])).toEqual({
      verdict: 'winning',
      why: 'Reading is winning.',
    });
    expect(
      judgeTeam([
        { name: 'Reading', verdict: 'winning' },
        { name: 'Maths', verdict: 'winning' },
      ]),
    ).toEqual({ verdict: 'winning', why: 'All 2 WIGs are winning.' });
    expect(
      judgeTeam([
        { name: 'Reading', verdict: 'winning' },
        { name: 'Maths', verdict: 'losing' },
      ]),
    ).toEqual({ verdict: 'losing', why: 'Maths is losing; 1 of 2 WIGs winning.' });
    expect(judgeTeam([{ name: 'Reading', verdict: 'losing' }])).toEqual({
      verdict: 'losing',
      why: 'Reading is losing.',
    });
    // A WIG with no numbers yet neither wins nor loses the team.
    expect(
      judgeTeam([
        { name: 'Reading', verdict: 'winning' },
        { name: 'Maths', verdict: 'no_data' },
      ]).verdict,
    ).toBe('winning');
  });

  it('a team with no active WIG, or none with numbers, is neither', () => {
    expect(judgeTeam([])).toEqual({ verdict: 'no_wig', why: 'The team has no active WIG.' });
    expect(judgeTeam([{ name: 'Reading', verdict: 'no_data' }]).verdict).toBe('no_data');
  });
});
