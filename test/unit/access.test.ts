// The access rules: who may read and manage the trust, a school, a team.
import { describe, expect, it } from 'vitest';
import { mayAssign, rules, type Assignment, type Principal } from '../../src/domain/access.ts';

let nextId = 1;
const as = (...assignments: Omit<Assignment, 'id' | 'title'>[]): Principal => ({
  personId: 1,
  assignments: assignments.map((a) => ({ id: nextId++, title: null, ...a })),
});
const admin = as({ role: 'trust_admin', schoolId: null, teamId: null });
const ceo = as({ role: 'trust_leader', schoolId: null, teamId: null });
const headOf1 = as({ role: 'school_leader', schoolId: 1, teamId: null });
const leadOf10 = as({ role: 'team_leader', schoolId: null, teamId: 10 });
const memberOf10 = as({ role: 'team_member', schoolId: null, teamId: 10 });
const nobody = as();

const team10 = { team: { id: 10, schoolId: 1 } };
const team20 = { team: { id: 20, schoolId: 2 } };
const trustTeam = { team: { id: 30, schoolId: null } };

describe('access rules', () => {
  it('public allows everyone, signed in or not', () => {
    expect(rules.public.allows(null, {})).toBe(true);
    expect(rules.public.signedIn).toBe(false);
  });

  it('every other rule refuses a signed-out request', () => {
    for (const rule of Object.values(rules).filter((r) => r.signedIn)) {
      expect(rule.allows(null, { schoolId: 1, ...team10 }), rule.name).toBe(false);
    }
  });

  it('trust admins and trust leaders read every school; nobody else reads the trust', () => {
    expect(rules.readTrust.allows(admin, {})).toBe(true);
    expect(rules.readTrust.allows(ceo, {})).toBe(true);
    for (const p of [headOf1, leadOf10, memberOf10, nobody]) expect(rules.readTrust.allows(p, {})).toBe(false);
    expect(rules.readSchool.allows(ceo, { schoolId: 2 })).toBe(true);
  });

  it('a headteacher reads and manages only their own school', () => {
    expect(rules.readSchool.allows(headOf1, { schoolId: 1 })).toBe(true);
    expect(rules.readSchool.allows(headOf1, { schoolId: 2 })).toBe(false);
    expect(rules.manageSchool.allows(headOf1, { schoolId: 1 })).toBe(true);
    expect(rules.manageSchool.allows(headOf1, { schoolId: 2 })).toBe(false);
    expect(rules.manageTeam.allows(headOf1, team10)).toBe(true);
    expect(rules.manageTeam.allows(headOf1, team20)).toBe(false);
    expect(rules.manageTeam.allows(headOf1, trustTeam)).toBe(false);
  });

  it('trust leaders read but do not manage', () => {
    expect(rules.manageSchool.allows(ceo, { schoolId: 1 })).toBe(false);
    expect(rules.manageTeam.allows(ceo, team10)).toBe(false);
    expect(rules.trustAdmin.allows(ceo, {})).toBe(false);
    expect(rules.readTeam.allows(ceo, trustTeam)).toBe(true);
  });

  it('a team member reads only their own team, not their school page', () => {
    expect(rules.readTeam.allows(memberOf10, team10)).toBe(true);
    expect(rules.readTeam.allows(memberOf10, team20)).toBe(false);
    expect(rules.readSchool.allows(memberOf10, { schoolId: 1 })).toBe(false);
    expect(rules.manageTeam.allows(leadOf10, team10)).toBe(false);
  });

  it('a team rule refuses when there is no team', () => {
    expect(rules.readTeam.allows(admin, {})).toBe(false);
    expect(rules.manageTeam.allows(admin, {})).toBe(false);
  });

  it('only trust admins and school leaders reach admin', () => {
    expect(rules.manageAnySchool.allows(admin, {})).toBe(true);
    expect(rules.manageAnySchool.allows(headOf1, {})).toBe(true);
    for (const p of [ceo, leadOf10, memberOf10, nobody]) expect(rules.manageAnySchool.allows(p, {})).toBe(false);
  });

  it('a headteacher may staff their own teams and give no other role', () => {
    expect(mayAssign(headOf1, 'team_member', team10)).toBe(true);
    expect(mayAssign(headOf1, 'team_leader', team10)).toBe(true);
    expect(mayAssign(headOf1, 'team_member', team20)).toBe(false);
    expect(mayAssign(headOf1, 'school_leader', { schoolId: 1 })).toBe(false);
    expect(mayAssign(headOf1, 'trust_admin', {})).toBe(false);
    expect(mayAssign(admin, 'trust_leader', {})).toBe(true);
  });
});
