// Is the bet working? Lead measures against the lag's movement, on constructed series.
import { describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../../src/domain/calendar.ts';
import {
  betFlags,
  checkBet,
  comparisons,
  correlation,
  MIN_COMPARISONS,
  progressShare,
  type LeadWeek,
} from '../../src/domain/learning.ts';

/** Twenty school weeks from Mon 7 Sep 2026, no holidays, for simplicity. */
const WEEKS: IsoDate[] = Array.from({ length: 20 }, (_, i) => addDays('2026-09-07', 7 * i));
/** A Friday reading in school week i. */
const friday = (i: number) => addDays(WEEKS[i]!, 4);
const plan = { baseline: 60, target: 80, totalSchoolWeeks: 40 };

/** Lead weeks hit (true) or missed (false), one per school week. */
const leadWeeks = (hits: readonly boolean[]): LeadWeek[] => hits.map((hit, i) => ({ week: WEEKS[i]!, hit }));

describe('comparisons between lag readings', () => {
  it('counts the weeks after one reading up to the next, their attainment, and the progress per week towards Y', () => {
    // Readings in weeks 0, 2 and 5: the first stretch is weeks 1–2, the second weeks 3–5.
    const points = comparisons(
      plan,
      [
        { date: friday(0), value: 60 },
        { date: friday(2), value: 61 },
        { date: friday(5), value: 61 },
      ],
      leadWeeks([true, true, false, true, true, false]),
      WEEKS,
    );
    expect(points).toEqual([
      { from: friday(0), to: friday(2), weeks: 2, attainment: 0.5, progressPerWeek: 0.025 },
      { from: friday(2), to: friday(5), weeks: 3, attainment: 2 / 3, progressPerWeek: 0 },
    ]);
  });

  it('reads progress towards Y for a decreasing goal: down is forward', () => {
    const absence = { baseline: 18, target: 12 };
    expect(progressShare(absence, -3)).toBe(0.5);
    expect(progressShare(absence, 1)).toBeCloseTo(-1 / 6);
    const [p] = comparisons(
      absence,
      [
        { date: friday(0), value: 18 },
        { date: friday(3), value: 15 },
      ],
      leadWeeks([true, true, true, true]),
      WEEKS,
    );
    expect(p!.progressPerWeek).toBeCloseTo(0.5 / 3);
  });

  it('leaves out weeks with no target, and a stretch with no judged week', () => {
    const weeks: LeadWeek[] = [
      { week: WEEKS[0]!, hit: null },
      { week: WEEKS[1]!, hit: null },
      { week: WEEKS[2]!, hit: true },
    ];
    const points = comparisons(
      plan,
      [
        { date: friday(0), value: 60 },
        { date: friday(1), value: 61 },
        { date: friday(2), value: 62 },
      ],
      weeks,
      WEEKS,
    );
    expect(points.map((p) => [p.from, p.attainment])).toEqual([[friday(1), 1]]);
  });
});

describe('checking the bet', () => {
  /** Readings every two weeks, the lag moving by `moves[i]` points in stretch i; leads hit in `hits[i]` of its two weeks. */
  function series(hitsPerStretch: readonly number[], moves: readonly number[], direction: 1 | -1 = 1) {
    const hits: boolean[] = [false];
    for (const h of hitsPerStretch) hits.push(h >= 1, h >= 2);
    const readings = [{ date: friday(0), value: 60 }];
    for (const [i, m] of moves.entries())
      readings.push({ date: friday(2 * (i + 1)), value: readings.at(-1)!.value + direction * m });
    return { readings, weeks: leadWeeks(hits) };
  }

  it('too few points: "too early to tell", with the count and the documented minimum', () => {
    const s = series([2, 0, 1], [2, 0, 1]);
    const check = checkBet('Reading conferences', comparisons(plan, s.readings, s.weeks, WEEKS));
    expect(check).toEqual({
      relation: 'too_early',
      points: 3,
      r: null,
      words: `Too early to tell: 3 stretches between lag readings so far, and at least ${MIN_COMPARISONS} are needed.`,
    });
  });

  it('a clear relation: the lag moves further in the stretches where the lead measure was hit more', () => {
    const s = series([2, 0, 1, 2, 0], [2, 0, 1, 2.2, 0.1]);
    const check = checkBet('Reading conferences', comparisons(plan, s.readings, s.weeks, WEEKS));
    expect(check.relation).toBe('moves_with');
    expect(check.points).toBe(5);
    expect(check.r).toBeGreaterThan(0.95);
    expect(check.words).toMatch(
      /^The bet is holding so far: over 5 stretches between lag readings, the lag moved further/,
    );
  });

  it('the same for a decreasing goal (absence down from 18 % to 12 %)', () => {
    const absence = { baseline: 18, target: 12, totalSchoolWeeks: 40 };
    const s = series([2, 0, 1, 2, 0], [0.6, 0, 0.3, 0.7, 0.05], -1);
    const points = comparisons(
      absence,
      s.readings.map((r) => ({ ...r, value: r.value - 42 })),
      s.weeks,
      WEEKS,
    );
    expect(checkBet('Attendance calls', points).relation).toBe('moves_with');
  });

  it('no relation: how often it was hit and how far the lag moved do not go together', () => {
    const s = series([2, 0, 1, 2, 0, 1], [1, 1, 2, 0, 0, 2]);
    const check = checkBet('Reading conferences', comparisons(plan, s.readings, s.weeks, WEEKS));
    expect(check.relation).toBe('no_clear_link');
    expect(Math.abs(check.r!)).toBeLessThan(0.5);
    expect(check.words).toContain('No clear link yet');
  });

  it('the lag moving less when the lead is hit more is said plainly', () => {
    const s = series([2, 0, 1, 2, 0], [0, 2, 1, 0.1, 2.2]);
    expect(checkBet('Quizzes', comparisons(plan, s.readings, s.weeks, WEEKS)).relation).toBe('moves_against');
  });

  it('a lead measure hit as often in every stretch cannot tell us anything', () => {
    const s = series([2, 2, 2, 2], [0, 1, 2, 0.5]);
    expect(checkBet('Quizzes', comparisons(plan, s.readings, s.weeks, WEEKS)).relation).toBe('no_variation');
  });

  it('correlation is the textbook one, and null without variation', () => {
    expect(correlation([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(correlation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1);
    expect(correlation([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(correlation([1], [1])).toBeNull();
  });
});

describe('the flags of the WIG session and the WIG page', () => {
  const wigWeeks = (hits: readonly (boolean | null)[]) => hits.map((hit, i) => ({ week: WEEKS[i]!, hit }));

  it('"leads on target for N weeks but the lag has not moved": re-check the bet', () => {
    const flags = betFlags(
      plan,
      [
        { date: friday(1), value: 64 },
        { date: friday(7), value: 64.1 },
      ],
      wigWeeks([false, false, true, true, true, true, true, true]),
    );
    expect(flags).toEqual([
      {
        kind: 'leads_hit_lag_flat',
        weeks: 6,
        words: 'Lead measures on target for 6 weeks, but the lag has not moved: re-check the bet.',
      },
    ]);
  });

  it('no flag when the lag moved with the leads, and it clears as the data changes', () => {
    const weeks = wigWeeks([false, false, true, true, true, true, true, true]);
    const flat = [
      { date: friday(1), value: 64 },
      { date: friday(7), value: 64.1 },
    ];
    expect(betFlags(plan, flat, weeks)).toHaveLength(1);
    // A new reading that shows the lag moving at pace (6 weeks of a 40-week line from 60 to 80: 3 points) clears it.
    expect(betFlags(plan, [...flat, { date: friday(7), value: 67.5 }].slice(1), weeks)).toEqual([]);
    expect(betFlags(plan, [flat[0]!, { date: friday(7), value: 67.5 }], weeks)).toEqual([]);
  });

  it('"lag moving while the leads are off target": something else is driving it', () => {
    const flags = betFlags(
      plan,
      [
        { date: friday(1), value: 64 },
        { date: friday(6), value: 67 },
      ],
      wigWeeks([true, true, false, false, false, false, false]),
    );
    expect(flags.map((f) => f.kind)).toEqual(['lag_moving_leads_missed']);
    expect(flags[0]!.words).toBe(
      'The lag is keeping pace while the lead measures have been off target for 5 weeks: something else is driving it.',
    );
  });

  it('no flag with a run shorter than the documented length, without a reading before the run, or for a decreasing goal that keeps pace', () => {
    expect(
      betFlags(
        plan,
        [
          { date: friday(0), value: 60 },
          { date: friday(3), value: 60 },
        ],
        wigWeeks([true, true, true]),
      ),
    ).toEqual([]);
    expect(
      betFlags(
        plan,
        [
          { date: friday(5), value: 60 },
          { date: friday(7), value: 60 },
        ],
        wigWeeks(Array(8).fill(true)),
      ),
    ).toEqual([]);
    const absence = { baseline: 18, target: 12, totalSchoolWeeks: 40 };
    const hitSince2 = wigWeeks([false, false, true, true, true, true, true]);
    // Absence fell 1 point over 5 weeks: pace asks 6 × 5/40 = 0.75, so the lag kept pace with the leads hit.
    expect(
      betFlags(
        absence,
        [
          { date: friday(1), value: 17 },
          { date: friday(6), value: 16 },
        ],
        hitSince2,
      ),
    ).toEqual([]);
    expect(
      betFlags(
        absence,
        [
          { date: friday(1), value: 17 },
          { date: friday(6), value: 17.1 },
        ],
        hitSince2,
      ).map((f) => f.kind),
    ).toEqual(['leads_hit_lag_flat']);
  });
});
