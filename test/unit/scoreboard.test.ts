// The scoreboard's sums and the chart's scale (the verdict and its words are tested in status.test.ts).
import { describe, expect, it } from 'vitest';
import { teamWeekValue } from '../../src/domain/scoreboard.ts';
import { chartScale } from '../../src/read-models/lag-chart.ts';

describe('a lead measure for the team in one week', () => {
  it('is the team number, the mean of people’s numbers, or the share of school days kept', () => {
    expect(
      teamWeekValue({ kind: 'number', perPerson: false, values: [3], keptDays: 0, schoolDays: 5, people: 4 }),
    ).toBe(3);
    expect(
      teamWeekValue({ kind: 'number', perPerson: true, values: [5, 4, 6], keptDays: 0, schoolDays: 5, people: 4 }),
    ).toBe(5);
    expect(
      teamWeekValue({ kind: 'number', perPerson: true, values: [], keptDays: 0, schoolDays: 5, people: 4 }),
    ).toBeNull();
    expect(teamWeekValue({ kind: 'daily', perPerson: true, values: [], keptDays: 15, schoolDays: 5, people: 4 })).toBe(
      75,
    );
    expect(teamWeekValue({ kind: 'daily', perPerson: false, values: [], keptDays: 4, schoolDays: 4, people: 4 })).toBe(
      100,
    );
    expect(
      teamWeekValue({ kind: 'daily', perPerson: true, values: [], keptDays: 0, schoolDays: 0, people: 4 }),
    ).toBeNull();
  });
});

describe('chart scale', () => {
  it('puts the lowest value at the bottom and the highest at the top, with room to spare', () => {
    const s = chartScale([60, 70]);
    expect(s.x(0)).toBe(56);
    expect(s.x(1)).toBe(624);
    expect(s.y(60)).toBeGreaterThan(s.y(70));
    expect(s.y(60)).toBeLessThan(s.bottom);
    expect(Number.isFinite(chartScale([5, 5]).y(5))).toBe(true);
  });
});
