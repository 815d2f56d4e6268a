// WIG rules: the sentence form, what may be activated, the two-WIG cap, alignment and veto.
import { describe, expect, it } from 'vitest';
import {
  activationProblems,
  canMove,
  parentProblem,
  shortDate,
  vetoProblems,
  wigSentence,
  withUnit,
  type ParentFacts,
  type WigFacts,
} from '../../src/domain/wig.ts';

const teamWig: WigFacts = {
  level: 'team',
  schoolId: 1,
  teamId: 10,
  lagName: 'Year 6 pupils at the expected standard in reading',
  unit: '%',
  direction: 'increase',
  baseline: 72,
  target: 85,
  startDate: '2026-09-07',
  deadline: '2027-07-17',
  parentId: 5,
};
const schoolParent: ParentFacts = { id: 5, level: 'school', schoolId: 1, status: 'active' };
const trustParent: ParentFacts = { id: 1, level: 'trust', schoolId: null, status: 'active' };

describe('the WIG sentence', () => {
  it('reads "From X to Y by When"', () => {
    expect(wigSentence(teamWig)).toBe('From 72% to 85% by 17 Jul 2027');
    expect(wigSentence({ baseline: 12, target: 4.5, unit: 'exclusions', deadline: '2027-03-31' })).toBe(
      'From 12 to 4.5 exclusions by 31 Mar 2027',
    );
    expect(wigSentence({ baseline: null, target: 90, unit: '%', deadline: null })).toBe('From … to 90% by …');
  });

  it('writes numbers and dates the British way', () => {
    expect(withUnit(1250, 'minutes')).toBe('1,250 minutes');
    expect(shortDate('2026-09-01')).toBe('1 Sept 2026');
  });
});

describe('activating a WIG', () => {
  it('is allowed with X, Y, When, unit, direction, parent and room under the cap', () => {
    expect(activationProblems(teamWig, schoolParent, 1)).toEqual({});
  });

  it('needs every part of the formula', () => {
    const problems = activationProblems(
      { ...teamWig, baseline: null, target: null, deadline: null, unit: ' ', direction: null },
      schoolParent,
      0,
    );
    expect(Object.keys(problems).sort()).toEqual(['baseline', 'deadline', 'direction', 'target', 'unit']);
  });

  it('needs the direction to agree with X→Y, and a real change', () => {
    expect(activationProblems({ ...teamWig, direction: 'decrease' }, schoolParent, 0).direction).toMatch(
      /above the start/,
    );
    expect(activationProblems({ ...teamWig, target: 60 }, schoolParent, 0).direction).toMatch(/below the start/);
    expect(activationProblems({ ...teamWig, target: 72 }, schoolParent, 0).target).toMatch(/differ/);
    expect(activationProblems({ ...teamWig, direction: 'decrease', baseline: 12, target: 4 }, schoolParent, 0)).toEqual(
      {},
    );
  });

  it('needs the deadline after the start', () => {
    expect(activationProblems({ ...teamWig, deadline: '2026-09-07' }, schoolParent, 0).deadline).toMatch(
      /after the start/,
    );
    expect(activationProblems({ ...teamWig, deadline: '2027-02-30' }, schoolParent, 0).deadline).toMatch(
      /Enter the deadline/,
    );
  });

  it('refuses a third active WIG for a team, whatever else is right', () => {
    expect(activationProblems(teamWig, schoolParent, 2).status).toMatch(/already has 2 active WIGs/);
    expect(activationProblems({ ...teamWig, level: 'school', teamId: null, parentId: 1 }, trustParent, 5)).toEqual({});
  });
});

describe('alignment', () => {
  it('a team WIG serves a WIG of its own school or of the trust', () => {
    expect(parentProblem(teamWig, schoolParent)).toBeNull();
    expect(parentProblem(teamWig, trustParent)).toBeNull();
    expect(parentProblem(teamWig, { ...schoolParent, schoolId: 2 })).toMatch(/own school/);
    expect(parentProblem({ ...teamWig, parentId: null }, null)).toMatch(/Choose/);
    expect(parentProblem(teamWig, { ...schoolParent, status: 'draft' })).toMatch(/active/);
  });

  it('a school WIG serves a trust WIG; a trust WIG serves none', () => {
    expect(parentProblem({ level: 'school', schoolId: 1, parentId: 1 }, trustParent)).toBeNull();
    expect(parentProblem({ level: 'school', schoolId: 1, parentId: 5 }, schoolParent)).toMatch(/trust WIG/);
    expect(parentProblem({ level: 'trust', schoolId: null, parentId: null }, null)).toBeNull();
    expect(parentProblem({ level: 'trust', schoolId: null, parentId: 1 }, trustParent)).toMatch(/does not serve/);
  });
});

describe('lifecycle and veto', () => {
  it('moves draft → active → achieved / missed / archived, never back from the end', () => {
    expect(canMove('draft', 'active')).toBe(true);
    expect(canMove('active', 'achieved')).toBe(true);
    expect(canMove('active', 'draft')).toBe(true);
    expect(canMove('achieved', 'active')).toBe(false);
    expect(canMove('archived', 'draft')).toBe(false);
    expect(canMove('draft', 'achieved')).toBe(false);
  });

  it('a veto needs a reason and a live WIG', () => {
    expect(vetoProblems('active', 'Does not serve the school WIG on reading')).toEqual({});
    expect(vetoProblems('active', ' no ').reason).toBeTruthy();
    expect(vetoProblems('achieved', 'Too late for this one').status).toBeTruthy();
  });
});
