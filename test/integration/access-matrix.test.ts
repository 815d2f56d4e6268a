// Every route × every role: who is let in, who is refused, and that a refusal changes nothing in the database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { issueToken } from '../../src/db/queries/auth.ts';
import { addAssignment, createPerson, setDisabled } from '../../src/db/queries/people.ts';
import {
  academicYears,
  authTokens,
  closures,
  lagReadings,
  leadMeasures,
  people,
  roleAssignments,
  schools,
  teams,
  terms,
  trustSettings,
  wigs,
} from '../../src/db/schema.ts';
import { createWig, setWigStatus } from '../../src/db/queries/wigs.ts';
import { createLeadMeasure } from '../../src/db/queries/measures.ts';
import { createAcademicYear, createClosure, createTerm } from '../../src/db/queries/calendar.ts';
import { hashPassword } from '../../src/auth/password.ts';
import fs from 'node:fs';
import { buildApp } from '../../src/app.ts';
import { Client, createTestApp, signedIn, tempDir, TEST_PASSWORD, testConfig, type TestApp } from '../helpers/app.ts';
import { EMAIL, seedWorld, type World, type WorldRole } from '../helpers/world.ts';
import { registeredRoutes } from '../helpers/routes.ts';
import { snapshot } from '../helpers/db.ts';
import { leadEntries } from '../../src/db/schema.ts';
import { claimPairing, createPairing } from '../../src/db/queries/displays.ts';
import { displayPairings, displays } from '../../src/db/schema.ts';
import { pathRequests, wigSessions } from '../../src/db/schema.ts';
import { cellThisWeek, ensureTermAround, pinnedToday } from '../helpers/measures.ts';
import { calendarFeeds } from '../../src/db/schema.ts';
import { createFeed } from '../../src/db/queries/calendar-feeds.ts';
import { enqueue as enqueueReminders } from '../../src/db/queries/reminders.ts';
import { defaultReminderSettings } from '../../src/domain/reminders.ts';
import { reminderOptOuts, reminderOutbox, reminderSettings } from '../../src/db/schema.ts';

const SIGNED_IN = [
  'admin',
  'ceo',
  'head',
  'otherHead',
  'lead',
  'member',
  'otherMember',
  'trustTeamMember',
  'noRole',
] as const;
type Role = (typeof SIGNED_IN)[number] | 'signedOut';
const ROLES: readonly Role[] = [...SIGNED_IN, 'signedOut'];

/** Who each access rule lets in, for the world's school A (head), team A (lead, member) and trust team (trustTeamMember). */
const MAY = {
  everyone: ROLES,
  signedIn: SIGNED_IN,
  readTrust: ['admin', 'ceo'],
  readSchoolA: ['admin', 'ceo', 'head'],
  readSchoolB: ['admin', 'ceo', 'otherHead'],
  readTeamA: ['admin', 'ceo', 'head', 'lead', 'member'],
  readTrustTeam: ['admin', 'ceo', 'trustTeamMember'],
  manageAnySchool: ['admin', 'head', 'otherHead'],
  manageSchoolA: ['admin', 'head'],
  manageTeamA: ['admin', 'head'],
  /** Trust teams belong to no school: only a trust admin manages them. */
  manageTrustTeam: ['admin'],
  trustAdmin: ['admin'],
  /** A team's WIGs are set by its team leader (and trust admins); leaders above may only veto. */
  editTeamWigsA: ['admin', 'lead'],
  editTrustWigs: ['admin', 'ceo'],
  vetoTeamWigA: ['ceo', 'head'],
  /** Wall displays: trust readers, headteachers and team leaders. */
  pairDisplays: ['admin', 'ceo', 'head', 'otherHead', 'lead'],
  /** WIG sessions: the team's leader and the leaders above record team A's session. */
  runTeamSessionA: ['admin', 'ceo', 'head', 'lead'],
  /** A path request given to school A's head: the head (its assignee) and trust admins resolve it. */
  resolvePathRequestOfHead: ['admin', 'head'],
  /** A member's commitments history: the member, their team leader, their school's head and trust readers. */
  seeCommitmentsOfMember: ['admin', 'ceo', 'head', 'lead', 'member'],
} as const satisfies Record<string, readonly Role[]>;

interface Ctx {
  t: TestApp;
  world: World;
  role: Role;
  /** The role's position in ROLES: makes names and emails unique per request. */
  n: number;
}

interface Entry {
  method: 'GET' | 'POST';
  /** The route exactly as registered. */
  route: string;
  /** What this row is about, for the test name (which team, which rule). */
  about: string;
  may: readonly Role[];
  /** The status an allowed role gets. */
  ok: number | ((role: Role) => number);
  /** Arranges what one role's request acts on (a person to disable, a link to use), so requests do not disturb each other. */
  prepare?: (ctx: Ctx) => Promise<Record<string, unknown>> | Record<string, unknown>;
  url: (ctx: Ctx, fixture: Record<string, unknown>) => string;
  form?: (ctx: Ctx, fixture: Record<string, unknown>) => Record<string, string | number>;
  /** For an allowed POST: the change it was meant to make is in the database. */
  effect?: (ctx: Ctx, fixture: Record<string, unknown>) => boolean;
}

const wigForm = (lagName: string) => ({
  lagName,
  baseline: '60',
  target: '70',
  unit: '%',
  direction: 'increase',
  startDate: '2026-09-07',
  deadline: '2027-07-16',
});
/** An active trust WIG, a school A WIG serving it, and a team A WIG with one lead measure, made for one role's request. */
function wigChain(ctx: Ctx) {
  const db = ctx.t.app.db;
  const base = {
    unit: '%',
    direction: 'increase' as const,
    baseline: 60,
    target: 70,
    startDate: '2026-09-07',
    deadline: '2027-07-16',
  };
  const trustWig = createWig(
    db,
    ctx.world.person.ceo,
    { level: 'trust', schoolId: null, teamId: null },
    { ...base, lagName: `Trust ${ctx.n}`, parentId: null },
  );
  setWigStatus(db, ctx.world.person.ceo, trustWig, 'active');
  const schoolWig = createWig(
    db,
    ctx.world.person.head,
    { level: 'school', schoolId: ctx.world.schoolA, teamId: null },
    { ...base, lagName: `School ${ctx.n}`, parentId: trustWig },
  );
  setWigStatus(db, ctx.world.person.head, schoolWig, 'active');
  // Earlier roles' team WIGs are archived, so team A never holds more than its two active WIGs.
  for (const earlier of db.select({ id: wigs.id }).from(wigs).where(eq(wigs.status, 'active')).all()) {
    if (db.select().from(wigs).where(eq(wigs.id, earlier.id)).get()!.teamId === ctx.world.teamA)
      setWigStatus(db, ctx.world.person.lead, earlier.id, 'archived');
  }
  const teamWig = createWig(
    db,
    ctx.world.person.lead,
    { level: 'team', schoolId: ctx.world.schoolA, teamId: ctx.world.teamA },
    { ...base, lagName: `Team ${ctx.n}`, parentId: schoolWig },
  );
  setWigStatus(db, ctx.world.person.lead, teamWig, 'active');
  const measure = createLeadMeasure(
    db,
    ctx.world.person.lead,
    teamWig,
    { name: `Lead ${ctx.n}`, kind: 'number', perPerson: true, unit: 'conferences', direction: 'increase' },
    5,
    '2026-09-07',
  );
  return { trustWig, schoolWig, teamWig, measure };
}
const teamForm = (name: string) => ({ name, sessionWeekday: 3, sessionTime: '15:30', sessionMinutes: 25 });
const newPerson = (ctx: Ctx, label: string, passwordHash: string | null = null) =>
  createPerson(
    ctx.t.app.db,
    null,
    { name: `${label} ${ctx.role}`, email: `${label.toLowerCase()}-${ctx.n}@test.school` },
    passwordHash,
  );
const personRow = (ctx: Ctx, id: unknown) =>
  ctx.t.app.db
    .select()
    .from(people)
    .where(eq(people.id, id as number))
    .get();
const assignmentExists = (ctx: Ctx, id: unknown) =>
  ctx.t.app.db
    .select()
    .from(roleAssignments)
    .where(eq(roleAssignments.id, id as number))
    .get() !== undefined;
const tokenUsed = (ctx: Ctx, personId: unknown) =>
  ctx.t.app.db
    .select()
    .from(authTokens)
    .where(and(eq(authTokens.personId, personId as number), isNull(authTokens.usedAt)))
    .all().length === 0;

const membersEntries = (team: 'teamA' | 'trustTeam', may: readonly Role[]): Entry[] => [
  {
    method: 'POST',
    route: '/admin/teams/:teamId/members',
    about: team === 'teamA' ? 'a school team' : 'a trust team',
    may,
    ok: 303,
    prepare: (ctx) => ({ personId: newPerson(ctx, 'Joiner') }),
    url: (ctx) => `/admin/teams/${ctx.world[team]}/members`,
    form: (_ctx, fx) => ({ personId: fx.personId as number, role: 'team_member', title: '' }),
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(roleAssignments)
        .where(and(eq(roleAssignments.personId, fx.personId as number), eq(roleAssignments.teamId, ctx.world[team])))
        .get() !== undefined,
  },
  {
    method: 'POST',
    route: '/admin/teams/:teamId/members/:assignmentId/delete',
    about: team === 'teamA' ? 'a school team' : 'a trust team',
    may,
    ok: 303,
    prepare: (ctx) => {
      const personId = newPerson(ctx, 'Leaver');
      return {
        assignmentId: addAssignment(ctx.t.app.db, null, personId, {
          role: 'team_member',
          title: null,
          schoolId: null,
          teamId: ctx.world[team],
        }),
      };
    },
    url: (ctx, fx) => `/admin/teams/${ctx.world[team]}/members/${fx.assignmentId as number}/delete`,
    effect: (ctx, fx) => !assignmentExists(ctx, fx.assignmentId),
  },
];

const ENTRIES: Entry[] = [
  // Public
  { method: 'GET', route: '/healthz', about: 'the health check', may: MAY.everyone, ok: 200, url: () => '/healthz' },
  {
    method: 'GET',
    route: '/assets/*',
    about: 'the style sheet',
    may: MAY.everyone,
    ok: 200,
    url: () => '/assets/app.css',
  },
  {
    method: 'GET',
    route: '/assets/htmx/*',
    about: 'htmx from node_modules',
    may: MAY.everyone,
    ok: 200,
    url: () => '/assets/htmx/htmx.min.js',
  },
  {
    method: 'GET',
    route: '/login',
    about: 'the sign-in page (a signed-in person is sent on)',
    may: MAY.everyone,
    ok: (role) => (role === 'signedOut' ? 200 : 303),
    url: () => '/login',
  },
  {
    method: 'POST',
    route: '/login',
    about: 'signing in',
    may: MAY.everyone,
    ok: 303,
    url: () => '/login',
    form: (ctx) => ({ email: EMAIL[ctx.role === 'signedOut' ? 'member' : ctx.role], password: TEST_PASSWORD }),
  },
  { method: 'POST', route: '/logout', about: 'signing out', may: MAY.everyone, ok: 303, url: () => '/logout' },
  {
    method: 'GET',
    route: '/setup',
    about: 'the first-run page, gone once people exist',
    may: MAY.everyone,
    ok: 404,
    url: () => '/setup',
  },
  {
    method: 'POST',
    route: '/setup',
    about: 'the first-run form, gone once people exist',
    may: MAY.everyone,
    ok: 404,
    url: () => '/setup',
    form: () => ({
      trustName: 'Takeover Trust',
      timeZone: 'Europe/London',
      name: 'Intruder',
      email: 'intruder@test.school',
      password: 'long enough password',
    }),
  },
  {
    method: 'GET',
    route: '/invitations/:token',
    about: 'an invitation link',
    may: MAY.everyone,
    ok: 200,
    prepare: (ctx) => ({ token: issueToken(ctx.t.app.db, null, newPerson(ctx, 'Invitee'), 'invitation', 60_000) }),
    url: (_ctx, fx) => `/invitations/${fx.token as string}`,
  },
  {
    method: 'POST',
    route: '/invitations/:token',
    about: 'accepting an invitation',
    may: MAY.everyone,
    ok: 303,
    prepare: (ctx) => {
      const personId = newPerson(ctx, 'Invitee');
      return { personId, token: issueToken(ctx.t.app.db, null, personId, 'invitation', 60_000) };
    },
    url: (_ctx, fx) => `/invitations/${fx.token as string}`,
    form: () => ({ password: 'a brand new password', confirm: 'a brand new password' }),
    effect: (ctx, fx) => personRow(ctx, fx.personId)?.passwordHash !== null && tokenUsed(ctx, fx.personId),
  },
  {
    method: 'GET',
    route: '/password-resets/:token',
    about: 'a password reset link',
    may: MAY.everyone,
    ok: 200,
    prepare: async (ctx) => ({
      token: issueToken(
        ctx.t.app.db,
        null,
        newPerson(ctx, 'Forgetful', await hashPassword(TEST_PASSWORD, ctx.t.config.scrypt)),
        'password_reset',
        60_000,
      ),
    }),
    url: (_ctx, fx) => `/password-resets/${fx.token as string}`,
  },
  {
    method: 'POST',
    route: '/password-resets/:token',
    about: 'choosing a new password',
    may: MAY.everyone,
    ok: 303,
    prepare: async (ctx) => {
      const passwordHash = await hashPassword(TEST_PASSWORD, ctx.t.config.scrypt);
      const personId = newPerson(ctx, 'Forgetful', passwordHash);
      return { personId, passwordHash, token: issueToken(ctx.t.app.db, null, personId, 'password_reset', 60_000) };
    },
    url: (_ctx, fx) => `/password-resets/${fx.token as string}`,
    form: () => ({ password: 'a brand new password', confirm: 'a brand new password' }),
    effect: (ctx, fx) => personRow(ctx, fx.personId)?.passwordHash !== fx.passwordHash && tokenUsed(ctx, fx.personId),
  },

  // Reading
  { method: 'GET', route: '/', about: 'the home page', may: MAY.signedIn, ok: 200, url: () => '/' },
  {
    method: 'GET',
    route: '/schools',
    about: 'every school (readTrust)',
    may: MAY.readTrust,
    ok: 200,
    url: () => '/schools',
  },
  {
    method: 'GET',
    route: '/schools/:schoolId',
    about: 'school A (readSchool)',
    may: MAY.readSchoolA,
    ok: 200,
    url: (ctx) => `/schools/${ctx.world.schoolA}`,
  },
  {
    method: 'GET',
    route: '/schools/:schoolId',
    about: 'school B (readSchool)',
    may: MAY.readSchoolB,
    ok: 200,
    url: (ctx) => `/schools/${ctx.world.schoolB}`,
  },
  {
    method: 'GET',
    route: '/teams/:teamId',
    about: 'team A of school A (readTeam)',
    may: MAY.readTeamA,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.teamA}`,
  },
  {
    method: 'GET',
    route: '/teams/:teamId',
    about: 'a trust team (readTeam)',
    may: MAY.readTrustTeam,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.trustTeam}`,
  },
  {
    method: 'GET',
    route: '/teams/:teamId/scoreboard',
    about: "team A's scoreboard (readTeam)",
    may: MAY.readTeamA,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.teamA}/scoreboard`,
  },
  {
    method: 'GET',
    route: '/teams/:teamId/scoreboard',
    about: "a trust team's scoreboard (readTeam)",
    may: MAY.readTrustTeam,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.trustTeam}/scoreboard`,
  },

  // Admin: structure
  {
    method: 'GET',
    route: '/admin',
    about: 'the admin home (manageAnySchool)',
    may: MAY.manageAnySchool,
    ok: 200,
    url: () => '/admin',
  },
  {
    method: 'GET',
    route: '/admin/settings',
    about: 'trust settings (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    url: () => '/admin/settings',
  },
  {
    method: 'POST',
    route: '/admin/settings',
    about: 'trust settings (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    url: () => '/admin/settings',
    form: (ctx) => ({ name: `Renamed Trust ${ctx.n}`, timeZone: 'Europe/London' }),
    effect: (ctx) => ctx.t.app.db.select().from(trustSettings).get()?.name === `Renamed Trust ${ctx.n}`,
  },
  {
    method: 'GET',
    route: '/admin/schools/new',
    about: 'adding a school (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    url: () => '/admin/schools/new',
  },
  {
    method: 'POST',
    route: '/admin/schools/new',
    about: 'adding a school (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    url: () => '/admin/schools/new',
    form: (ctx) => ({ name: `New School ${ctx.n}`, urn: '' }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(schools)
        .where(eq(schools.name, `New School ${ctx.n}`))
        .get() !== undefined,
  },
  {
    method: 'GET',
    route: '/admin/schools/:schoolId',
    about: 'school A (manageSchool)',
    may: MAY.manageSchoolA,
    ok: 200,
    url: (ctx) => `/admin/schools/${ctx.world.schoolA}`,
  },
  {
    method: 'POST',
    route: '/admin/schools/:schoolId',
    about: 'school A (manageSchool)',
    may: MAY.manageSchoolA,
    ok: 303,
    url: (ctx) => `/admin/schools/${ctx.world.schoolA}`,
    form: (ctx) => ({ name: `Ashcombe Primary ${ctx.n}`, urn: '100001' }),
    effect: (ctx) =>
      ctx.t.app.db.select().from(schools).where(eq(schools.id, ctx.world.schoolA)).get()?.name ===
      `Ashcombe Primary ${ctx.n}`,
  },
  {
    method: 'GET',
    route: '/admin/schools/:schoolId/teams/new',
    about: 'adding a team to school A (manageSchool)',
    may: MAY.manageSchoolA,
    ok: 200,
    url: (ctx) => `/admin/schools/${ctx.world.schoolA}/teams/new`,
  },
  {
    method: 'POST',
    route: '/admin/schools/:schoolId/teams/new',
    about: 'adding a team to school A (manageSchool)',
    may: MAY.manageSchoolA,
    ok: 303,
    url: (ctx) => `/admin/schools/${ctx.world.schoolA}/teams/new`,
    form: (ctx) => teamForm(`Year ${ctx.n}`),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(teams)
        .where(and(eq(teams.name, `Year ${ctx.n}`), eq(teams.schoolId, ctx.world.schoolA)))
        .get() !== undefined,
  },
  {
    method: 'GET',
    route: '/admin/trust-teams/new',
    about: 'adding a trust team (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    url: () => '/admin/trust-teams/new',
  },
  {
    method: 'POST',
    route: '/admin/trust-teams/new',
    about: 'adding a trust team (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    url: () => '/admin/trust-teams/new',
    form: (ctx) => teamForm(`Trust network ${ctx.n}`),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(teams)
        .where(and(eq(teams.name, `Trust network ${ctx.n}`), isNull(teams.schoolId)))
        .get() !== undefined,
  },
  {
    method: 'GET',
    route: '/admin/teams/:teamId',
    about: 'a school team (manageTeam)',
    may: MAY.manageTeamA,
    ok: 200,
    url: (ctx) => `/admin/teams/${ctx.world.teamA}`,
  },
  {
    method: 'GET',
    route: '/admin/teams/:teamId',
    about: 'a trust team (manageTeam)',
    may: MAY.manageTrustTeam,
    ok: 200,
    url: (ctx) => `/admin/teams/${ctx.world.trustTeam}`,
  },
  ...(['teamA', 'trustTeam'] as const).map(
    (team): Entry => ({
      method: 'POST',
      route: '/admin/teams/:teamId',
      about: `${team === 'teamA' ? 'a school team' : 'a trust team'} (manageTeam)`,
      may: team === 'teamA' ? MAY.manageTeamA : MAY.manageTrustTeam,
      ok: 303,
      url: (ctx) => `/admin/teams/${ctx.world[team]}`,
      form: (ctx) => teamForm(`Renamed ${ctx.n}`),
      effect: (ctx) =>
        ctx.t.app.db.select().from(teams).where(eq(teams.id, ctx.world[team])).get()?.name === `Renamed ${ctx.n}`,
    }),
  ),
  ...membersEntries('teamA', MAY.manageTeamA),
  ...membersEntries('trustTeam', MAY.manageTrustTeam),

  // Admin: people (trust admins only)
  {
    method: 'GET',
    route: '/admin/people',
    about: 'the people list (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    url: () => '/admin/people',
  },
  {
    method: 'GET',
    route: '/admin/people/new',
    about: 'adding a person (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    url: () => '/admin/people/new',
  },
  {
    method: 'POST',
    route: '/admin/people/new',
    about: 'adding a person (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    url: () => '/admin/people/new',
    form: (ctx) => ({ name: 'Newcomer', email: `newcomer-${ctx.n}@test.school` }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(people)
        .where(eq(people.email, `newcomer-${ctx.n}@test.school`))
        .get() !== undefined,
  },
  {
    method: 'GET',
    route: '/admin/people/:personId',
    about: 'a person (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    url: (ctx) => `/admin/people/${ctx.world.person.member}`,
  },
  {
    method: 'POST',
    route: '/admin/people/:personId',
    about: 'editing a person (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    prepare: (ctx) => ({ personId: newPerson(ctx, 'Edited') }),
    url: (_ctx, fx) => `/admin/people/${fx.personId as number}`,
    form: (ctx) => ({ name: 'Renamed Person', email: `renamed-${ctx.n}@test.school` }),
    effect: (ctx, fx) => personRow(ctx, fx.personId)?.name === 'Renamed Person',
  },
  {
    method: 'POST',
    route: '/admin/people/:personId/roles',
    about: 'giving a role (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    prepare: (ctx) => ({ personId: newPerson(ctx, 'Promoted') }),
    url: (_ctx, fx) => `/admin/people/${fx.personId as number}/roles`,
    form: () => ({ role: 'trust_leader', title: 'CEO', schoolId: '', teamId: '' }),
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(roleAssignments)
        .where(eq(roleAssignments.personId, fx.personId as number))
        .get()?.role === 'trust_leader',
  },
  {
    method: 'POST',
    route: '/admin/people/:personId/roles/:assignmentId/delete',
    about: 'taking a role away (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    prepare: (ctx) => {
      const personId = newPerson(ctx, 'Demoted');
      return {
        personId,
        assignmentId: addAssignment(ctx.t.app.db, null, personId, {
          role: 'trust_leader',
          title: null,
          schoolId: null,
          teamId: null,
        }),
      };
    },
    url: (_ctx, fx) => `/admin/people/${fx.personId as number}/roles/${fx.assignmentId as number}/delete`,
    effect: (ctx, fx) => !assignmentExists(ctx, fx.assignmentId),
  },
  {
    method: 'POST',
    route: '/admin/people/:personId/disable',
    about: 'disabling a person (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    prepare: (ctx) => ({ personId: newPerson(ctx, 'Leaving') }),
    url: (_ctx, fx) => `/admin/people/${fx.personId as number}/disable`,
    effect: (ctx, fx) => personRow(ctx, fx.personId)?.disabledAt !== null,
  },
  {
    method: 'POST',
    route: '/admin/people/:personId/enable',
    about: 'enabling a person (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    prepare: (ctx) => {
      const personId = newPerson(ctx, 'Returning');
      setDisabled(ctx.t.app.db, null, personId, true);
      return { personId };
    },
    url: (_ctx, fx) => `/admin/people/${fx.personId as number}/enable`,
    effect: (ctx, fx) => personRow(ctx, fx.personId)?.disabledAt === null,
  },
  {
    method: 'POST',
    route: '/admin/people/:personId/link',
    about: 'making a sign-in link (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    prepare: (ctx) => ({ personId: newPerson(ctx, 'Invited') }),
    url: (_ctx, fx) => `/admin/people/${fx.personId as number}/link`,
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(authTokens)
        .where(eq(authTokens.personId, fx.personId as number))
        .get() !== undefined,
  },
  {
    method: 'GET',
    route: '/admin/invitations',
    about: 'waiting links (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    url: () => '/admin/invitations',
  },

  // Admin: the school year
  {
    method: 'GET',
    route: '/admin/calendar',
    about: 'the school year (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    url: () => '/admin/calendar',
  },
  {
    method: 'POST',
    route: '/admin/calendar/years',
    about: 'adding an academic year (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    url: () => '/admin/calendar/years',
    form: (ctx) => ({ name: `Year ${ctx.n}`, startDate: `${2030 + ctx.n}-09-01`, endDate: `${2031 + ctx.n}-07-31` }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(academicYears)
        .where(eq(academicYears.name, `Year ${ctx.n}`))
        .get() !== undefined,
  },
  {
    method: 'POST',
    route: '/admin/calendar/terms',
    about: 'adding a term (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    prepare: (ctx) => ({
      yearId: createAcademicYear(ctx.t.app.db, null, {
        name: `Y${ctx.n}`,
        startDate: `${2050 + ctx.n}-09-01`,
        endDate: `${2051 + ctx.n}-07-31`,
      }),
    }),
    url: () => '/admin/calendar/terms',
    form: (ctx, fx) => ({
      academicYearId: fx.yearId as number,
      name: `Autumn ${ctx.n}`,
      startDate: `${2050 + ctx.n}-09-03`,
      endDate: `${2050 + ctx.n}-10-23`,
    }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(terms)
        .where(eq(terms.name, `Autumn ${ctx.n}`))
        .get() !== undefined,
  },
  {
    method: 'POST',
    route: '/admin/calendar/terms/:termId/delete',
    about: 'removing a term (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    prepare: (ctx) => {
      const yearId = createAcademicYear(ctx.t.app.db, null, {
        name: `Z${ctx.n}`,
        startDate: `${2070 + ctx.n}-09-01`,
        endDate: `${2071 + ctx.n}-07-31`,
      });
      return {
        termId: createTerm(ctx.t.app.db, null, yearId, {
          name: `T${ctx.n}`,
          startDate: `${2070 + ctx.n}-09-03`,
          endDate: `${2070 + ctx.n}-10-23`,
        }),
      };
    },
    url: (_ctx, fx) => `/admin/calendar/terms/${fx.termId as number}/delete`,
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(terms)
        .where(eq(terms.id, fx.termId as number))
        .get() === undefined,
  },
  {
    method: 'POST',
    route: '/admin/calendar/closures',
    about: 'adding a trust-wide closure (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    url: () => '/admin/calendar/closures',
    form: (ctx) => ({ kind: 'inset', name: `INSET ${ctx.n}`, startDate: '2026-11-27', endDate: '2026-11-27' }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(closures)
        .where(eq(closures.name, `INSET ${ctx.n}`))
        .get() !== undefined,
  },
  {
    method: 'POST',
    route: '/admin/calendar/closures/:closureId/delete',
    about: 'removing a trust-wide closure (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    prepare: (ctx) => ({
      closureId: createClosure(ctx.t.app.db, null, null, 'inset', {
        name: `C${ctx.n}`,
        startDate: '2026-12-01',
        endDate: '2026-12-01',
      }),
    }),
    url: (_ctx, fx) => `/admin/calendar/closures/${fx.closureId as number}/delete`,
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(closures)
        .where(eq(closures.id, fx.closureId as number))
        .get() === undefined,
  },
  {
    method: 'POST',
    route: '/admin/calendar/bank-holidays',
    about: 'importing bank holidays (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    url: () => '/admin/calendar/bank-holidays',
    form: (ctx) => ({
      division: 'england-and-wales',
      file: JSON.stringify({
        'england-and-wales': { events: [{ title: `Holiday ${ctx.n}`, date: `2040-01-${10 + ctx.n}` }] },
      }),
    }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(closures)
        .where(eq(closures.name, `Holiday ${ctx.n}`))
        .get() !== undefined,
  },
  {
    method: 'GET',
    route: '/admin/schools/:schoolId/closures',
    about: "school A's closures (manageSchool)",
    may: MAY.manageSchoolA,
    ok: 200,
    url: (ctx) => `/admin/schools/${ctx.world.schoolA}/closures`,
  },
  {
    method: 'POST',
    route: '/admin/schools/:schoolId/closures',
    about: "adding school A's closure (manageSchool)",
    may: MAY.manageSchoolA,
    ok: 303,
    url: (ctx) => `/admin/schools/${ctx.world.schoolA}/closures`,
    form: (ctx) => ({ kind: 'closure', name: `Snow day ${ctx.n}`, startDate: '2027-01-12', endDate: '2027-01-12' }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(closures)
        .where(eq(closures.name, `Snow day ${ctx.n}`))
        .get()?.schoolId === ctx.world.schoolA,
  },
  {
    method: 'POST',
    route: '/admin/schools/:schoolId/closures/:closureId/delete',
    about: "removing school A's closure (manageSchool)",
    may: MAY.manageSchoolA,
    ok: 303,
    prepare: (ctx) => ({
      closureId: createClosure(ctx.t.app.db, null, ctx.world.schoolA, 'inset', {
        name: `S${ctx.n}`,
        startDate: '2026-12-02',
        endDate: '2026-12-02',
      }),
    }),
    url: (ctx, fx) => `/admin/schools/${ctx.world.schoolA}/closures/${fx.closureId as number}/delete`,
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(closures)
        .where(eq(closures.id, fx.closureId as number))
        .get() === undefined,
  },

  // WIGs and lead measures
  {
    method: 'GET',
    route: '/teams/:teamId/wigs/new',
    about: 'setting a WIG for team A (editTeamWigs)',
    may: MAY.editTeamWigsA,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.teamA}/wigs/new`,
  },
  {
    method: 'POST',
    route: '/teams/:teamId/wigs',
    about: 'setting a WIG for team A (editTeamWigs)',
    may: MAY.editTeamWigsA,
    ok: 303,
    prepare: (ctx) => wigChain(ctx),
    url: (ctx) => `/teams/${ctx.world.teamA}/wigs`,
    form: (ctx, fx) => ({ ...wigForm(`Team WIG ${ctx.n}`), parentId: fx.schoolWig as number, intent: 'draft' }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(wigs)
        .where(eq(wigs.lagName, `Team WIG ${ctx.n}`))
        .get()?.teamId === ctx.world.teamA,
  },
  {
    method: 'GET',
    route: '/schools/:schoolId/wigs/new',
    about: 'setting a WIG for school A (editSchoolWigs)',
    may: MAY.manageSchoolA,
    ok: 200,
    url: (ctx) => `/schools/${ctx.world.schoolA}/wigs/new`,
  },
  {
    method: 'POST',
    route: '/schools/:schoolId/wigs',
    about: 'setting a WIG for school A (editSchoolWigs)',
    may: MAY.manageSchoolA,
    ok: 303,
    url: (ctx) => `/schools/${ctx.world.schoolA}/wigs`,
    form: (ctx) => ({ ...wigForm(`School WIG ${ctx.n}`), intent: 'draft' }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(wigs)
        .where(eq(wigs.lagName, `School WIG ${ctx.n}`))
        .get()?.schoolId === ctx.world.schoolA,
  },
  {
    method: 'GET',
    route: '/trust/wigs/new',
    about: 'setting a trust WIG (editTrustWigs)',
    may: MAY.editTrustWigs,
    ok: 200,
    url: () => '/trust/wigs/new',
  },
  {
    method: 'POST',
    route: '/trust/wigs',
    about: 'setting a trust WIG (editTrustWigs)',
    may: MAY.editTrustWigs,
    ok: 303,
    url: () => '/trust/wigs',
    form: (ctx) => ({ ...wigForm(`Trust WIG ${ctx.n}`), intent: 'activate' }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(wigs)
        .where(eq(wigs.lagName, `Trust WIG ${ctx.n}`))
        .get()?.status === 'active',
  },
  {
    method: 'GET',
    route: '/wigs/:wigId',
    about: "team A's WIG (readWig)",
    may: MAY.readTeamA,
    ok: 200,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/wigs/${fx.teamWig as number}`,
  },
  {
    method: 'GET',
    route: '/wigs/:wigId',
    about: "school A's WIG (readWig)",
    may: MAY.readSchoolA,
    ok: 200,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/wigs/${fx.schoolWig as number}`,
  },
  {
    method: 'GET',
    route: '/wigs/:wigId',
    about: 'a trust WIG (readWig)',
    may: MAY.readTrust,
    ok: 200,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/wigs/${fx.trustWig as number}`,
  },
  {
    method: 'GET',
    route: '/wigs/:wigId/edit',
    about: "team A's WIG (editWig)",
    may: MAY.editTeamWigsA,
    ok: 200,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/wigs/${fx.teamWig as number}/edit`,
  },
  {
    method: 'GET',
    route: '/wigs/:wigId/edit',
    about: "school A's WIG (editWig)",
    may: MAY.manageSchoolA,
    ok: 200,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/wigs/${fx.schoolWig as number}/edit`,
  },
  {
    method: 'POST',
    route: '/wigs/:wigId',
    about: "team A's WIG (editWig)",
    may: MAY.editTeamWigsA,
    ok: 303,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/wigs/${fx.teamWig as number}`,
    form: (ctx, fx) => ({ ...wigForm(`Edited ${ctx.n}`), parentId: fx.schoolWig as number, intent: 'draft' }),
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(wigs)
        .where(eq(wigs.id, fx.teamWig as number))
        .get()?.lagName === `Edited ${ctx.n}`,
  },
  {
    method: 'POST',
    route: '/wigs/:wigId/status',
    about: "team A's WIG (editWig)",
    may: MAY.editTeamWigsA,
    ok: 303,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/wigs/${fx.teamWig as number}/status`,
    form: () => ({ status: 'archived' }),
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(wigs)
        .where(eq(wigs.id, fx.teamWig as number))
        .get()?.status === 'archived',
  },
  {
    method: 'POST',
    route: '/wigs/:wigId/veto',
    about: "team A's WIG: leaders above (vetoWig)",
    may: MAY.vetoTeamWigA,
    ok: 303,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/wigs/${fx.teamWig as number}/veto`,
    form: () => ({ reason: 'Aim at the school reading WIG instead' }),
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(wigs)
        .where(eq(wigs.id, fx.teamWig as number))
        .get()?.vetoReason === 'Aim at the school reading WIG instead',
  },
  {
    method: 'POST',
    route: '/wigs/:wigId/readings',
    about: "team A's WIG (editWig)",
    may: MAY.editTeamWigsA,
    ok: 303,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/wigs/${fx.teamWig as number}/readings`,
    form: () => ({ date: '2026-11-02', value: '74.5', note: '' }),
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(lagReadings)
        .where(eq(lagReadings.wigId, fx.teamWig as number))
        .get()?.value === 74.5,
  },
  {
    method: 'GET',
    route: '/wigs/:wigId/measures/new',
    about: "team A's WIG (editWig)",
    may: MAY.editTeamWigsA,
    ok: 200,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/wigs/${fx.teamWig as number}/measures/new`,
  },
  {
    method: 'POST',
    route: '/wigs/:wigId/measures',
    about: "team A's WIG (editWig)",
    may: MAY.editTeamWigsA,
    ok: 303,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/wigs/${fx.teamWig as number}/measures`,
    form: (ctx) => ({ name: `Measure ${ctx.n}`, kind: 'team', unit: 'calls', direction: 'increase', target: '3' }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(leadMeasures)
        .where(eq(leadMeasures.name, `Measure ${ctx.n}`))
        .get() !== undefined,
  },
  {
    method: 'GET',
    route: '/measures/:measureId/edit',
    about: "a lead measure of team A's WIG (editWig)",
    may: MAY.editTeamWigsA,
    ok: 200,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/measures/${fx.measure as number}/edit`,
  },
  {
    method: 'POST',
    route: '/measures/:measureId',
    about: "a lead measure of team A's WIG (editWig)",
    may: MAY.editTeamWigsA,
    ok: 303,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/measures/${fx.measure as number}`,
    form: (ctx) => ({ name: `Renamed ${ctx.n}`, unit: 'calls', target: '4' }),
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(leadMeasures)
        .where(eq(leadMeasures.id, fx.measure as number))
        .get()?.name === `Renamed ${ctx.n}`,
  },
  {
    method: 'POST',
    route: '/measures/:measureId/retire',
    about: "a lead measure of team A's WIG (editWig)",
    may: MAY.editTeamWigsA,
    ok: 303,
    prepare: (ctx) => wigChain(ctx),
    url: (_ctx, fx) => `/measures/${fx.measure as number}/retire`,
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(leadMeasures)
        .where(eq(leadMeasures.id, fx.measure as number))
        .get()?.status === 'retired',
  },

  // Weekly update
  {
    method: 'GET',
    route: '/teams/:teamId/week',
    about: "team A's week (readTeam)",
    may: MAY.readTeamA,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.teamA}/week`,
  },
  {
    method: 'GET',
    route: '/teams/:teamId/week',
    about: "a trust team's week (readTeam)",
    may: MAY.readTrustTeam,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.trustTeam}/week`,
  },
  {
    method: 'POST',
    route: '/teams/:teamId/entries',
    about: "team A's own cell this week: the team's people (enterTeamNumbers)",
    may: ['lead', 'member'],
    ok: 303,
    prepare: (ctx) => cellThisWeek(ctx.t.app.db, { id: ctx.world.teamA, schoolId: ctx.world.schoolA }, 'team'),
    url: (ctx) => `/teams/${ctx.world.teamA}/entries`,
    form: (ctx, fx) => ({ measureId: fx.measureId as string, week: fx.week as string, personId: '', value: ctx.n + 1 }),
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(leadEntries)
        .where(
          and(
            eq(leadEntries.leadMeasureId, Number(fx.measureId)),
            eq(leadEntries.week, fx.week as string),
            isNull(leadEntries.personId),
          ),
        )
        .get()?.value ===
      ctx.n + 1,
  },

  // WIG sessions and path requests (issue 6)
  {
    method: 'GET',
    route: '/teams/:teamId/session',
    about: "team A's session this week (readTeam)",
    may: MAY.readTeamA,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.teamA}/session`,
  },
  {
    method: 'GET',
    route: '/teams/:teamId/session',
    about: "a trust team's session (readTeam)",
    may: MAY.readTrustTeam,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.trustTeam}/session`,
  },
  {
    method: 'POST',
    route: '/teams/:teamId/session',
    about: "recording team A's session this week (runTeamSession)",
    may: MAY.runTeamSessionA,
    ok: 303,
    prepare: (ctx) => {
      const { today, week } = pinnedToday();
      ensureTermAround(ctx.t.app.db, today);
      return { week };
    },
    url: (ctx) => `/teams/${ctx.world.teamA}/session`,
    form: (ctx, fx) => ({ week: fx.week as string, worked: `Notes ${ctx.n}` }),
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(wigSessions)
        .where(and(eq(wigSessions.teamId, ctx.world.teamA), eq(wigSessions.week, fx.week as string)))
        .get()?.worked === `Notes ${ctx.n}`,
  },
  {
    method: 'POST',
    route: '/path-requests/:pathRequestId/resolve',
    about: "resolving a request for help given to school A's head (its assignee, or a trust admin)",
    may: MAY.resolvePathRequestOfHead,
    ok: 303,
    prepare: (ctx) => ({
      requestId: ctx.t.app.db
        .insert(pathRequests)
        .values({
          teamId: ctx.world.teamA,
          week: '2026-11-23',
          text: `Help ${ctx.n}`,
          raisedBy: ctx.world.person.lead,
          assigneeId: ctx.world.person.head,
          raisedAt: 0,
        })
        .returning({ id: pathRequests.id })
        .get().id,
    }),
    url: (_ctx, fx) => `/path-requests/${fx.requestId as number}/resolve`,
    form: (ctx) => ({ resolution: `Done ${ctx.n}` }),
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(pathRequests)
        .where(eq(pathRequests.id, fx.requestId as number))
        .get()?.status === 'resolved',
  },

  // Execution health, commitments history, RADAR and the calendar feed (issue 6)
  {
    method: 'GET',
    route: '/teams/:teamId/health',
    about: "team A's execution health (readTeam)",
    may: MAY.readTeamA,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.teamA}/health`,
  },
  {
    method: 'GET',
    route: '/schools/:schoolId/health',
    about: "school A's execution health (readSchool)",
    may: MAY.readSchoolA,
    ok: 200,
    url: (ctx) => `/schools/${ctx.world.schoolA}/health`,
  },
  {
    method: 'GET',
    route: '/trust/health',
    about: "the trust's execution health (readTrust)",
    may: MAY.readTrust,
    ok: 200,
    url: () => '/trust/health',
  },
  {
    method: 'GET',
    route: '/teams/:teamId/commitments',
    about: "team A's commitments (readTeam)",
    may: MAY.readTeamA,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.teamA}/commitments`,
  },
  {
    method: 'GET',
    route: '/people/:personId/commitments',
    about: "a member's own commitments (self and leaders above)",
    may: MAY.seeCommitmentsOfMember,
    ok: 200,
    url: (ctx) => `/people/${ctx.world.person.member}/commitments`,
  },
  {
    method: 'GET',
    route: '/schools/:schoolId/radar',
    about: "school A's RADAR (readSchool)",
    may: MAY.readSchoolA,
    ok: 200,
    url: (ctx) => `/schools/${ctx.world.schoolA}/radar`,
  },
  {
    method: 'GET',
    route: '/teams/:teamId/calendar',
    about: "the role's calendar feed for team A (readTeam)",
    may: MAY.readTeamA,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.teamA}/calendar`,
  },
  {
    method: 'POST',
    route: '/teams/:teamId/calendar',
    about: 'making a calendar feed link for team A (readTeam)',
    may: MAY.readTeamA,
    ok: 201,
    url: (ctx) => `/teams/${ctx.world.teamA}/calendar`,
    effect: (ctx) =>
      ctx.role !== 'signedOut' &&
      ctx.t.app.db
        .select()
        .from(calendarFeeds)
        .where(
          and(
            eq(calendarFeeds.personId, ctx.world.person[ctx.role]),
            eq(calendarFeeds.teamId, ctx.world.teamA),
            isNull(calendarFeeds.revokedAt),
          ),
        )
        .get() !== undefined,
  },
  {
    method: 'POST',
    route: '/teams/:teamId/calendar/stop',
    about: "stopping the role's calendar feed for team A (readTeam)",
    may: MAY.readTeamA,
    ok: 303,
    prepare: (ctx) =>
      ctx.role === 'signedOut'
        ? {}
        : { token: createFeed(ctx.t.app.db, ctx.world.person[ctx.role], ctx.world.teamA, ctx.t.app.now()) },
    url: (ctx) => `/teams/${ctx.world.teamA}/calendar/stop`,
    effect: (ctx) =>
      ctx.role !== 'signedOut' &&
      ctx.t.app.db
        .select()
        .from(calendarFeeds)
        .where(
          and(
            eq(calendarFeeds.personId, ctx.world.person[ctx.role]),
            eq(calendarFeeds.teamId, ctx.world.teamA),
            isNull(calendarFeeds.revokedAt),
          ),
        )
        .get() === undefined,
  },
  {
    method: 'GET',
    route: '/calendar/:token.ics',
    about: "a member's calendar feed of team A: public, the token is the key",
    may: MAY.everyone,
    ok: 200,
    prepare: (ctx) => ({ token: createFeed(ctx.t.app.db, ctx.world.person.member, ctx.world.teamA, ctx.t.app.now()) }),
    url: (_ctx, fx) => `/calendar/${fx.token as string}.ics`,
  },

  // CSV import and export
  {
    method: 'GET',
    route: '/teams/:teamId/export.csv',
    about: "team A's numbers as CSV (readTeam)",
    may: MAY.readTeamA,
    ok: 200,
    url: (ctx) => `/teams/${ctx.world.teamA}/export.csv`,
  },
  {
    method: 'GET',
    route: '/wigs/:wigId/readings.csv',
    about: "a team A WIG's lag readings as CSV (readWig)",
    may: MAY.readTeamA,
    ok: 200,
    prepare: async (ctx) => (await import('../helpers/csv-world.ts')).csvFixture(ctx.t.app.db, ctx.world),
    url: (_ctx, fx) => `/wigs/${fx.wigId as number}/readings.csv`,
  },
  {
    method: 'GET',
    route: '/teams/:teamId/import',
    about: "importing team A's numbers (importTeamNumbers)",
    may: ['admin', 'lead'],
    ok: 200,
    prepare: async (ctx) => (await import('../helpers/csv-world.ts')).csvFixture(ctx.t.app.db, ctx.world),
    url: (ctx) => `/teams/${ctx.world.teamA}/import`,
  },
  {
    method: 'POST',
    route: '/teams/:teamId/import',
    about: "previewing an import of team A's numbers, which writes nothing (importTeamNumbers)",
    may: ['admin', 'lead'],
    ok: 200,
    prepare: async (ctx) => (await import('../helpers/csv-world.ts')).csvFixture(ctx.t.app.db, ctx.world),
    url: (ctx) => `/teams/${ctx.world.teamA}/import`,
    form: (ctx, fx) => ({ csv: `week,measure,value\n${fx.thisWeek as string},Parent conferences held,${ctx.n + 1}\n` }),
    effect: (_ctx, fx) => (fx.teamEntry as (week: string) => number | null)(fx.thisWeek as string) === null,
  },
  {
    method: 'POST',
    route: '/teams/:teamId/import/confirm',
    about: "saving an import of team A's numbers (importTeamNumbers)",
    may: ['admin', 'lead'],
    ok: 303,
    prepare: async (ctx) => (await import('../helpers/csv-world.ts')).csvFixture(ctx.t.app.db, ctx.world),
    url: (ctx) => `/teams/${ctx.world.teamA}/import/confirm`,
    form: (ctx, fx) => ({ csv: `week,measure,value\n${fx.thisWeek as string},Parent conferences held,${ctx.n + 1}\n` }),
    effect: (ctx, fx) => (fx.teamEntry as (week: string) => number | null)(fx.thisWeek as string) === ctx.n + 1,
  },
  {
    method: 'GET',
    route: '/wigs/:wigId/readings/import',
    about: "importing a team A WIG's lag readings (editWig)",
    may: ['admin', 'lead'],
    ok: 200,
    prepare: async (ctx) => (await import('../helpers/csv-world.ts')).csvFixture(ctx.t.app.db, ctx.world),
    url: (_ctx, fx) => `/wigs/${fx.wigId as number}/readings/import`,
  },
  {
    method: 'POST',
    route: '/wigs/:wigId/readings/import',
    about: "previewing an import of a team A WIG's lag readings, which writes nothing (editWig)",
    may: ['admin', 'lead'],
    ok: 200,
    prepare: async (ctx) => (await import('../helpers/csv-world.ts')).csvFixture(ctx.t.app.db, ctx.world),
    url: (_ctx, fx) => `/wigs/${fx.wigId as number}/readings/import`,
    form: (ctx, fx) => ({ csv: `date,value\n${fx.today as string},${ctx.n + 50}\n` }),
    effect: (_ctx, fx) => (fx.reading as (date: string) => number | null)(fx.today as string) === null,
  },
  {
    method: 'POST',
    route: '/wigs/:wigId/readings/import/confirm',
    about: "saving an import of a team A WIG's lag readings (editWig)",
    may: ['admin', 'lead'],
    ok: 303,
    prepare: async (ctx) => (await import('../helpers/csv-world.ts')).csvFixture(ctx.t.app.db, ctx.world),
    url: (_ctx, fx) => `/wigs/${fx.wigId as number}/readings/import/confirm`,
    form: (ctx, fx) => ({ csv: `date,value\n${fx.today as string},${ctx.n + 50}\n` }),
    effect: (ctx, fx) => (fx.reading as (date: string) => number | null)(fx.today as string) === ctx.n + 50,
  },
  // School and trust overviews and the aligned WIG tree (issue 5): trust readers see the trust; a head their own school's tree
  {
    method: 'GET',
    route: '/trust',
    about: 'the trust overview (readTrust)',
    may: MAY.readTrust,
    ok: 200,
    url: () => '/trust',
  },
  {
    method: 'GET',
    route: '/trust/tree',
    about: 'the aligned WIG tree of the trust (readTrust)',
    may: MAY.readTrust,
    ok: 200,
    url: () => '/trust/tree',
  },
  {
    method: 'GET',
    route: '/schools/:schoolId/tree',
    about: "school A's WIG tree (readSchool)",
    may: MAY.readSchoolA,
    ok: 200,
    url: (ctx) => `/schools/${ctx.world.schoolA}/tree`,
  },
  {
    method: 'GET',
    route: '/schools/:schoolId/tree',
    about: "school B's WIG tree (readSchool)",
    may: MAY.readSchoolB,
    ok: 200,
    url: (ctx) => `/schools/${ctx.world.schoolB}/tree`,
  },

  // Wall displays: the TV's own routes are public (it holds no sign-in); leaders pair and revoke.
  {
    method: 'GET',
    route: '/display',
    about: 'the pairing screen of a TV with no credential',
    may: MAY.everyone,
    ok: 200,
    url: () => '/display',
  },
  {
    method: 'GET',
    route: '/display/pairing',
    about: "the pairing screen's poll",
    may: MAY.everyone,
    ok: 204,
    url: () => '/display/pairing',
  },
  {
    method: 'GET',
    route: '/display/stream',
    about: 'the live board, which without a credential only says "revoked"',
    may: MAY.everyone,
    ok: 200,
    url: () => '/display/stream',
  },
  {
    method: 'GET',
    route: '/displays',
    about: 'the list of displays (pairDisplays)',
    may: MAY.pairDisplays,
    ok: 200,
    url: () => '/displays',
  },
  {
    method: 'GET',
    route: '/displays/pair',
    about: 'the pairing form (pairDisplays)',
    may: MAY.pairDisplays,
    ok: 200,
    url: () => '/displays/pair',
  },
  {
    method: 'POST',
    route: '/displays/pair',
    about: 'pairing a display with a board the role leads (pairDisplays)',
    may: MAY.pairDisplays,
    ok: 303,
    prepare: (ctx) => ({ code: createPairing(ctx.t.app.db, ctx.t.app.now())!.code }),
    url: () => '/displays/pair',
    form: (ctx, fx) => {
      const board: Record<string, string | number> =
        ctx.role === 'lead'
          ? { kind: 'team', teamId: ctx.world.teamA }
          : ctx.role === 'head'
            ? { kind: 'rotation', schoolId: ctx.world.schoolA }
            : ctx.role === 'otherHead'
              ? { kind: 'school', schoolId: ctx.world.schoolB }
              : { kind: 'trust' };
      return { code: fx.code as string, name: `Display ${ctx.n}`, rotateSeconds: 20, ...board };
    },
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(displays)
        .where(eq(displays.name, `Display ${ctx.n}`))
        .get() !== undefined,
  },
  {
    method: 'POST',
    route: '/displays/:displayId/revoke',
    about: 'revoking a display the role paired (pairDisplays)',
    may: MAY.pairDisplays,
    ok: 303,
    prepare: (ctx) => {
      const pairing = createPairing(ctx.t.app.db, ctx.t.app.now())!;
      const row = ctx.t.app.db.select().from(displayPairings).where(eq(displayPairings.code, pairing.code)).get()!;
      const by = ctx.role === 'signedOut' ? ctx.world.person.admin : ctx.world.person[ctx.role];
      return {
        displayId: claimPairing(
          ctx.t.app.db,
          by,
          row.id,
          { name: `TV ${ctx.n}`, kind: 'trust', schoolId: null, teamId: null, rotateSeconds: 20 },
          ctx.t.app.now(),
        )!,
      };
    },
    url: (_ctx, fx) => `/displays/${fx.displayId as number}/revoke`,
    effect: (ctx, fx) =>
      ctx.t.app.db
        .select()
        .from(displays)
        .where(eq(displays.id, fx.displayId as number))
        .get()?.revokedAt !== null,
  },
  // Cadence reminders (issue 7): the trust admin's settings and outbox, and each person's own choices.
  {
    method: 'GET',
    route: '/admin/reminders',
    about: 'reminder settings (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    url: () => '/admin/reminders',
  },
  {
    method: 'POST',
    route: '/admin/reminders',
    about: 'saving the trust reminder settings (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 303,
    url: () => '/admin/reminders',
    form: (ctx) => ({
      session_today_enabled: 'on',
      session_today_sendTime: `06:${String(10 + ctx.n).padStart(2, '0')}`,
      session_today_dayOffset: '0',
      ...reminderDefaultsForm(['session_today']),
    }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(reminderSettings)
        .all()
        .some(
          (r) =>
            r.kind === 'session_today' &&
            r.schoolId === null &&
            r.sendTime === `06:${String(10 + ctx.n).padStart(2, '0')}`,
        ),
  },
  {
    method: 'GET',
    route: '/admin/reminders/schools/:schoolId',
    about: "school A's reminder overrides (trustAdmin)",
    may: MAY.trustAdmin,
    ok: 200,
    url: (ctx) => `/admin/reminders/schools/${ctx.world.schoolA}`,
  },
  {
    method: 'POST',
    route: '/admin/reminders/schools/:schoolId',
    about: "saving school A's reminder overrides (trustAdmin)",
    may: MAY.trustAdmin,
    ok: 303,
    url: (ctx) => `/admin/reminders/schools/${ctx.world.schoolA}`,
    form: () => ({ ...reminderDefaultsForm([]), ...reminderModes('trust_digest'), trust_digest_sendTime: '18:00' }),
    effect: (ctx) =>
      ctx.t.app.db
        .select()
        .from(reminderSettings)
        .all()
        .some((r) => r.kind === 'trust_digest' && r.schoolId === ctx.world.schoolA && r.sendTime === '18:00'),
  },
  {
    method: 'GET',
    route: '/admin/outbox',
    about: 'the reminder outbox (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    url: () => '/admin/outbox',
  },
  {
    method: 'GET',
    route: '/admin/outbox/:messageId',
    about: 'one reminder in the outbox (trustAdmin)',
    may: MAY.trustAdmin,
    ok: 200,
    prepare: (ctx) => {
      enqueueReminders(ctx.t.app.db, [
        {
          key: `matrix:${ctx.n}`,
          kind: 'session_today',
          personId: ctx.world.person.member,
          toAddress: 'member@a.test.school',
          schoolId: ctx.world.schoolA,
          teamId: ctx.world.teamA,
          week: '2026-11-23',
          subject: 'Subject',
          textBody: 'Body',
          htmlBody: '<p>Body</p>',
          dueAt: 1,
          staleAt: 2,
          nextAttemptAt: 1,
        },
      ]);
      return {
        messageId: ctx.t.app.db
          .select()
          .from(reminderOutbox)
          .where(eq(reminderOutbox.key, `matrix:${ctx.n}`))
          .get()!.id,
      };
    },
    url: (_ctx, fx) => `/admin/outbox/${fx.messageId as number}`,
  },
  {
    method: 'GET',
    route: '/reminders/preferences',
    about: "the person's own reminder choices (signedIn)",
    may: MAY.signedIn,
    ok: 200,
    url: () => '/reminders/preferences',
  },
  {
    method: 'POST',
    route: '/reminders/preferences',
    about: 'stopping the school digest for oneself (signedIn)',
    may: MAY.signedIn,
    ok: 303,
    url: () => '/reminders/preferences',
    form: () => ({ choices: '1', entries_missing: 'on', trust_digest: 'on' }),
    effect: (ctx) =>
      ctx.role !== 'signedOut' &&
      ctx.t.app.db
        .select()
        .from(reminderOptOuts)
        .all()
        .some(
          (o) => o.personId === ctx.world.person[ctx.role as Exclude<Role, 'signedOut'>] && o.kind === 'school_digest',
        ),
  },
];

/** A full reminder settings form with each kind at its default, for the kinds not given otherwise (cadence reminders, issue 7). */
function reminderDefaultsForm(except: readonly string[]): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [kind, d] of Object.entries(defaultReminderSettings)) {
    if (except.includes(kind)) continue;
    Object.assign(form, {
      [`${kind}_enabled`]: d.enabled ? 'on' : '',
      [`${kind}_sendTime`]: d.sendTime,
      [`${kind}_dayOffset`]: String(d.dayOffset),
      [`${kind}_mode`]: 'trust',
    });
  }
  return form;
}
const reminderModes = (own: string): Record<string, string> => ({ [`${own}_mode`]: 'own' });

const ROLE_REFUSED = 'Your role does not give you access to this page.';

async function clientsFor(t: TestApp): Promise<Record<Role, Client>> {
  const clients = { signedOut: new Client(t.app) } as Record<Role, Client>;
  for (const role of SIGNED_IN) clients[role] = await signedIn(t.app, EMAIL[role as WorldRole]);
  return clients;
}

/** What one role got, and what it should have got; null when they agree. */
async function mismatch(entry: Entry, ctx: Ctx, client: Client): Promise<string | null> {
  const fixture = (await entry.prepare?.(ctx)) ?? {};
  const url = entry.url(ctx, fixture);
  const allowed = entry.may.includes(ctx.role);
  const before = snapshot(ctx.t.app.db);
  let response: LightMyRequestResponse;
  if (entry.method === 'GET') response = await client.get(url);
  else {
    // A real token first, so that any refusal comes from the access rule and not from CSRF.
    await client.token();
    response = await client.post(url, entry.form?.(ctx, fixture) ?? {});
  }
  const got = `${response.statusCode}${response.headers.location ? ` → ${String(response.headers.location)}` : ''}`;
  const say = (expected: string) => `${ctx.role}: expected ${expected}, got ${got}`;

  if (allowed) {
    const ok = typeof entry.ok === 'function' ? entry.ok(ctx.role) : entry.ok;
    if (response.statusCode !== ok) return say(String(ok));
    if (entry.effect && !entry.effect(ctx, fixture))
      return `${ctx.role}: allowed (${got}) but the change is not in the database`;
    return null;
  }
  if (ctx.role === 'signedOut') {
    if (entry.method === 'GET') {
      const location = `/login?next=${encodeURIComponent(url)}`;
      if (response.statusCode !== 303 || response.headers.location !== location) return say(`303 → ${location}`);
    } else if (response.statusCode !== 401) return say('401');
  } else {
    if (response.statusCode !== 403) return say('403');
    if (!response.body.includes(ROLE_REFUSED)) return `${ctx.role}: 403 but not from the access rule`;
  }
  if (JSON.stringify(snapshot(ctx.t.app.db)) !== JSON.stringify(before))
    return `${ctx.role}: refused (${got}) but the database changed`;
  return null;
}

describe('the access matrix', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('has a row for every registered route, and every row names a registered route', async () => {
    t = await createTestApp();
    const registered = registeredRoutes(t.app).map((r) => `${r.method} ${r.url}`);
    const covered = [...new Set(ENTRIES.map((e) => `${e.method} ${e.route}`))].sort();
    expect(registered.length).toBeGreaterThan(30);
    expect(
      registered.filter((r) => !covered.includes(r)),
      'routes with no row in the access matrix',
    ).toEqual([]);
    expect(
      covered.filter((r) => !registered.includes(r)),
      'rows for routes that do not exist',
    ).toEqual([]);
  });

  it('a route registered without an access rule stops the app from starting (fail closed)', async () => {
    const dir = tempDir();
    const app = await buildApp(testConfig(dir));
    try {
      await expect(async () => {
        app.get('/test/forgotten', async () => 'open to all');
        await app.ready();
      }).rejects.toThrow('Route GET /test/forgotten declares no access rule');
    } finally {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a post with a missing or wrong CSRF token is refused with its own message, so the refusals below are the access rule speaking', async () => {
    t = await createTestApp();
    await seedWorld(t.app.db);
    const admin = await signedIn(t.app, EMAIL.admin);
    const before = snapshot(t.app.db);
    for (const options of [{ csrf: false }, { csrf: false, headers: { 'x-csrf-token': 'forged' } }]) {
      const response = await admin.post('/admin/schools/new', { name: 'Forged School', urn: '' }, options);
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('This form has expired');
      expect(response.body).not.toContain(ROLE_REFUSED);
    }
    expect(snapshot(t.app.db)).toEqual(before);
  });

  describe.each(
    ENTRIES.map(
      (e) =>
        [
          `${e.method} ${e.route} — ${e.about}: ${e.may.length === ROLES.length ? 'everyone' : e.may.join(', ')}`,
          e,
        ] as const,
    ),
  )('%s', (_name, entry) => {
    let world: World;
    beforeEach(async () => {
      t = await createTestApp();
      world = await seedWorld(t.app.db);
    });

    it('lets in exactly the roles its rule allows, and a refusal writes nothing', async () => {
      const clients = await clientsFor(t);
      const problems: string[] = [];
      for (const [n, role] of ROLES.entries()) {
        const problem = await mismatch(entry, { t, world, role, n }, clients[role]);
        if (problem) problems.push(problem);
      }
      expect(problems).toEqual([]);
    });
  });
});

describe('unknown and malformed ids', () => {
  let t: TestApp;
  let world: World;
  beforeEach(async () => {
    t = await createTestApp();
    world = await seedWorld(t.app.db);
  });
  afterEach(() => t.close());

  // Each id in a route's path in turn, the others left valid, as a trust admin (who may reach every route).
  const withParams = ENTRIES.filter(
    (e, i) => e.route.includes(':') && ENTRIES.findIndex((f) => f.method === e.method && f.route === e.route) === i,
  );

  it.each(withParams.map((e) => [`${e.method} ${e.route}`, e] as const))(
    '%s — an unknown id or a non-numeric one is a 404 page, and changes nothing',
    async (_name, entry) => {
      const admin = await signedIn(t.app, EMAIL.admin);
      const ctx: Ctx = { t, world, role: 'admin', n: 0 };
      const fixture = (await entry.prepare?.(ctx)) ?? {};
      const good = entry.url(ctx, fixture).split('/');
      const pattern = entry.route.split('/');
      expect(good).toHaveLength(pattern.length);
      const problems: string[] = [];
      for (const [i, segment] of pattern.entries()) {
        if (!segment.startsWith(':')) continue;
        const bad =
          segment === ':token'
            ? ['A'.repeat(43), 'abc', '%3Cscript%3E']
            : ['999999', 'abc', '0', '-1', '1.5', '1e3', '12345678901', '%20'];
        for (const value of bad) {
          const url = [...good.slice(0, i), value, ...good.slice(i + 1)].join('/');
          const before = snapshot(t.app.db);
          const response =
            entry.method === 'GET' ? await admin.get(url) : await admin.post(url, entry.form?.(ctx, fixture) ?? {});
          const page = response.statusCode === 404 && /text\/html/.test(String(response.headers['content-type']));
          if (!page) problems.push(`${url}: ${response.statusCode} ${String(response.headers['content-type'])}`);
          else if (!/Page not found|This link cannot be used/.test(response.body))
            problems.push(`${url}: 404 without the friendly page`);
          if (JSON.stringify(snapshot(t.app.db)) !== JSON.stringify(before))
            problems.push(`${url}: the database changed`);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it('GET /teams/:teamId — a signed-out visitor is sent to sign in before anything is looked up, so ids reveal nothing', async () => {
    const visitor = new Client(t.app);
    for (const url of [`/teams/${world.teamA}`, '/teams/999999', '/teams/abc']) {
      const response = await visitor.get(url);
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
  });

  it('POST /admin/teams/:teamId/members/:assignmentId/delete — an assignment of another team is a 404 and is kept', async () => {
    const head = await signedIn(t.app, EMAIL.head);
    const otherTeams = t.app.db.select().from(roleAssignments).where(eq(roleAssignments.teamId, world.teamB)).get()!;
    const response = await head.post(`/admin/teams/${world.teamA}/members/${otherTeams.id}/delete`);
    expect(response.statusCode).toBe(404);
    expect(t.app.db.select().from(roleAssignments).where(eq(roleAssignments.id, otherTeams.id)).get()).toBeDefined();
  });

  it("POST /admin/people/:personId/roles/:assignmentId/delete — another person's role is a 404 and is kept", async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    const ceoRole = t.app.db
      .select()
      .from(roleAssignments)
      .where(eq(roleAssignments.personId, world.person.ceo))
      .get()!;
    const response = await admin.post(`/admin/people/${world.person.member}/roles/${ceoRole.id}/delete`);
    expect(response.statusCode).toBe(404);
    expect(t.app.db.select().from(roleAssignments).where(eq(roleAssignments.id, ceoRole.id)).get()).toBeDefined();
  });
});

describe('signed-out requests', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await seedWorld(t.app.db);
  });
  afterEach(() => t.close());

  it('GET /admin — an htmx request from a signed-out browser is told to go to the sign-in page', async () => {
    const response = await new Client(t.app).get('/admin', { 'hx-request': 'true' });
    expect(response.statusCode).toBe(204);
    expect(response.headers['hx-redirect']).toBe('/login?next=%2Fadmin');
  });

  it('POST /admin/schools/new — a signed-out post is refused with 401 and writes nothing', async () => {
    const visitor = new Client(t.app);
    const before = snapshot(t.app.db);
    const response = await visitor.post('/admin/schools/new', { name: 'Ghost School' });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('Please sign in');
    expect(snapshot(t.app.db)).toEqual(before);
  });

  it('a disabled person is treated as signed out on every route', async () => {
    const member = await signedIn(t.app, EMAIL.member);
    setDisabled(t.app.db, null, t.app.db.select().from(people).where(eq(people.email, EMAIL.member)).get()!.id, true);
    const response = await member.get('/');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2F');
  });
});
