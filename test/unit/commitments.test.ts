// Commitments: the week they are for, and the warn-don't-block heuristics (a verb first, not last week's word for word).
import { describe, expect, it } from 'vitest';
import { commitmentWarnings, commitmentWeek, firstWord, startsWithVerb } from '../../src/domain/commitments.ts';
import type { SchoolCalendar } from '../../src/domain/calendar.ts';
import { mayResolvePathRequest, runsTeamSession, type Principal } from '../../src/domain/access.ts';

const calendar: SchoolCalendar = {
  terms: [
    { start: '2026-09-01', end: '2026-10-23' },
    { start: '2026-11-02', end: '2026-12-18' },
  ],
  closures: [],
};

describe('commitmentWeek', () => {
  it('is the Monday of the next school week after the session’s week', () => {
    expect(commitmentWeek('2026-11-23', calendar)).toBe('2026-11-30');
    expect(commitmentWeek('2026-11-25', calendar)).toBe('2026-11-30');
  });
  it('skips a holiday week: commitments made before half-term are for the week back', () => {
    expect(commitmentWeek('2026-10-19', calendar)).toBe('2026-11-02');
  });
  it('falls back to the week after when no school week is in sight', () => {
    expect(commitmentWeek('2026-12-14', calendar, 2)).toBe('2026-12-21');
  });
});

describe('startsWithVerb', () => {
  it.each([
    'Call three parents about reading at home',
    'Model a reading conference for the TA',
    'I will hold two conferences',
    "We'll share the phonics slides",
    'To observe Year 5 guided reading',
    'Prioritise the five furthest-behind readers',
    'Celebrate the best home reading record',
    'clarify the marking codes with the team',
  ])('accepts “%s”', (text) => expect(startsWithVerb(text)).toBe(true));

  it.each(['Reading', 'Year 6 phonics', 'Marked books', 'Parents', '', '   ', '5 conferences', 'Phonics intervention'])(
    'warns on “%s”',
    (text) => expect(startsWithVerb(text)).toBe(false),
  );

  it('judges the first word after the preamble, lower-cased', () => {
    expect(firstWord('  I will CALL home')).toBe('call');
    expect(firstWord('“Call” home')).toBe('');
  });
});

describe('commitmentWarnings', () => {
  it('is empty for a specific action that is new this week, and for an empty slot', () => {
    expect(commitmentWarnings('Call three parents', ['Hold two conferences'])).toEqual([]);
    expect(commitmentWarnings('  ', ['Hold two conferences'])).toEqual([]);
  });
  it('warns when it starts with no verb', () => {
    expect(commitmentWarnings('Reading', [])).toHaveLength(1);
    expect(commitmentWarnings('Reading', [])[0]).toContain('start with an action');
  });
  it('warns when it repeats one of last week’s word for word (case, spacing and a final full stop aside)', () => {
    const warnings = commitmentWarnings('call  three parents.', ['Call three parents']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('word for word');
    expect(commitmentWarnings('Call four parents', ['Call three parents'])).toEqual([]);
  });
  it('gives both warnings at once', () => {
    expect(commitmentWarnings('Phonics', ['phonics'])).toHaveLength(2);
  });
});

describe('who runs a session and who resolves a path request', () => {
  const p = (assignments: Principal['assignments']): Principal => ({ personId: 7, assignments });
  const team = { id: 3, schoolId: 1 };
  const a = (role: Principal['assignments'][number]['role'], where: { schoolId?: number; teamId?: number } = {}) => ({
    id: 1,
    role,
    title: null,
    schoolId: where.schoolId ?? null,
    teamId: where.teamId ?? null,
  });
  it('the team’s leader, its school’s leaders, trust leaders and trust admins run the session; members and others do not', () => {
    expect(runsTeamSession(p([a('team_leader', { teamId: 3 })]), team)).toBe(true);
    expect(runsTeamSession(p([a('school_leader', { schoolId: 1 })]), team)).toBe(true);
    expect(runsTeamSession(p([a('trust_leader')]), team)).toBe(true);
    expect(runsTeamSession(p([a('trust_admin')]), team)).toBe(true);
    expect(runsTeamSession(p([a('team_member', { teamId: 3 })]), team)).toBe(false);
    expect(runsTeamSession(p([a('team_leader', { teamId: 4 })]), team)).toBe(false);
    expect(runsTeamSession(p([a('school_leader', { schoolId: 2 })]), team)).toBe(false);
  });
  it('only the assignee or a trust admin resolves a path request', () => {
    expect(mayResolvePathRequest(p([]), { assigneeId: 7 })).toBe(true);
    expect(mayResolvePathRequest(p([a('trust_admin')]), { assigneeId: 8 })).toBe(true);
    expect(mayResolvePathRequest(p([a('trust_leader')]), { assigneeId: 8 })).toBe(false);
  });
});
