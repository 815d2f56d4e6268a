// A small trust to arrange tests against: two schools, a trust team, and one person in every role (plus a disabled one).
import { hashPassword } from '../../src/auth/password.ts';
import type { Db } from '../../src/db/connection.ts';
import { addAssignment, createPerson, setDisabled } from '../../src/db/queries/people.ts';
import { createSchool, createTeam } from '../../src/db/queries/schools.ts';
import { saveTrustSettings } from '../../src/db/queries/trust.ts';
import { people } from '../../src/db/schema.ts';
import { eq } from 'drizzle-orm';
import { TEST_PASSWORD } from './app.ts';

export const EMAIL = {
  admin: 'admin@test.school',
  ceo: 'ceo@test.school',
  head: 'head@a.test.school',
  otherHead: 'head@b.test.school',
  lead: 'lead@a.test.school',
  member: 'member@a.test.school',
  otherMember: 'member@b.test.school',
  trustTeamMember: 'sendco@a.test.school',
  noRole: 'norole@test.school',
  disabled: 'gone@test.school',
  invited: 'new@test.school',
} as const;
export type WorldRole = keyof typeof EMAIL;

export interface World {
  schoolA: number;
  schoolB: number;
  teamA: number;
  teamA2: number;
  teamB: number;
  trustTeam: number;
  person: Record<WorldRole, number>;
}

export async function seedWorld(db: Db): Promise<World> {
  const hash = await hashPassword(TEST_PASSWORD, { N: 1024, r: 8, p: 1 });
  saveTrustSettings(db, null, { name: 'Test Trust', timeZone: 'Europe/London' });
  const schoolA = createSchool(db, null, { name: 'Ashcombe Primary', urn: '100001' });
  const schoolB = createSchool(db, null, { name: 'Brookfield Primary', urn: null });
  const team = { sessionWeekday: 2, sessionTime: '08:15', sessionMinutes: 20 };
  const teamA = createTeam(db, null, schoolA, { name: 'Year 6', ...team });
  const teamA2 = createTeam(db, null, schoolA, { name: 'EYFS', ...team });
  const teamB = createTeam(db, null, schoolB, { name: 'Key Stage 1', ...team });
  const trustTeam = createTeam(db, null, null, { name: 'Trust SENDCO network', ...team });
  const person = {} as Record<WorldRole, number>;
  for (const [role, email] of Object.entries(EMAIL) as [WorldRole, string][]) {
    person[role] = createPerson(db, null, { name: `Test ${role}`, email }, role === 'invited' ? null : hash);
  }
  const assign = (
    who: WorldRole,
    role: Parameters<typeof addAssignment>[3]['role'],
    where: { schoolId?: number; teamId?: number } = {},
  ) =>
    addAssignment(db, null, person[who], {
      role,
      title: null,
      schoolId: where.schoolId ?? null,
      teamId: where.teamId ?? null,
    });
  assign('admin', 'trust_admin');
  assign('ceo', 'trust_leader');
  assign('head', 'school_leader', { schoolId: schoolA });
  assign('otherHead', 'school_leader', { schoolId: schoolB });
  assign('lead', 'team_leader', { teamId: teamA });
  assign('member', 'team_member', { teamId: teamA });
  assign('otherMember', 'team_member', { teamId: teamB });
  assign('trustTeamMember', 'team_member', { teamId: trustTeam });
  assign('disabled', 'team_member', { teamId: teamA });
  setDisabled(db, null, person.disabled, true);
  return { schoolA, schoolB, teamA, teamA2, teamB, trustTeam, person };
}

export const personRow = (db: Db, id: number) => db.select().from(people).where(eq(people.id, id)).get();
