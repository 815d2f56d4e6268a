// The admin flows end to end: settings, schools, teams and their people, people and their links, disabling, roles — each change checked in the database and in the audit log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { hashToken } from '../../src/db/queries/auth.ts';
import {
  authTokens,
  people,
  roleAssignments,
  schools,
  teams,
  trustSettings,
  signInSessions,
} from '../../src/db/schema.ts';
import { Client, createTestApp, signedIn, TEST_PASSWORD, type TestApp } from '../helpers/app.ts';
import { EMAIL, personRow, seedWorld, type World } from '../helpers/world.ts';
import { auditCount, lastAudit, snapshot } from '../helpers/db.ts';

let t: TestApp;
let world: World;
let admin: Client;

beforeEach(async () => {
  t = await createTestApp();
  world = await seedWorld(t.app.db);
  admin = await signedIn(t.app, EMAIL.admin);
});
afterEach(() => t.close());

const db = () => t.app.db;
const HTMX = { 'hx-request': 'true', 'hx-request-type': 'partial' };
const school = (id: number) => db().select().from(schools).where(eq(schools.id, id)).get();
const team = (id: number) => db().select().from(teams).where(eq(teams.id, id)).get();
const sessionsOf = (personId: number) =>
  db().select().from(signInSessions).where(eq(signInSessions.personId, personId)).all();
const assignment = (personId: number, where: { teamId?: number; schoolId?: number; role?: string }) =>
  db()
    .select()
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.personId, personId),
        where.teamId ? eq(roleAssignments.teamId, where.teamId) : undefined,
        where.schoolId ? eq(roleAssignments.schoolId, where.schoolId) : undefined,
        where.role ? eq(roleAssignments.role, where.role as 'trust_admin') : undefined,
      ),
    )
    .get();
const idFrom = (location: unknown) => Number(/\/(\d+)$/.exec(String(location))?.[1]);
const linkIn = (body: string, kind: 'invitations' | 'password-resets') => {
  const token = new RegExp(`${t.config.publicUrl}/${kind}/([A-Za-z0-9_-]+)`).exec(body)?.[1];
  if (!token) throw new Error(`no ${kind} link on the page`);
  return token;
};

/** The form answered 422 with this message next to the named field, and nothing in the database changed. */
async function expectRefused(
  post: Promise<{ statusCode: number; body: string }>,
  field: string,
  message: string,
  before = snapshot(db()),
) {
  const response = await post;
  expect(response.statusCode).toBe(422);
  const at = response.body.search(new RegExp(`id="\\w+-${field}-error"`));
  expect(at, `a message by the ${field} field`).toBeGreaterThan(-1);
  expect(response.body.slice(at, at + 300)).toContain(message);
  expect(snapshot(db())).toEqual(before);
  return response;
}

describe('trust settings', () => {
  it('POST /admin/settings — a trust admin renames the trust and changes its time zone, and the change is audited', async () => {
    const response = await admin.post('/admin/settings', {
      name: 'Riverside Learning Trust',
      timeZone: 'Europe/Dublin',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin');
    expect(db().select().from(trustSettings).get()).toMatchObject({
      name: 'Riverside Learning Trust',
      timeZone: 'Europe/Dublin',
    });
    expect(lastAudit(db())).toMatchObject({
      actorId: world.person.admin,
      action: 'update',
      entity: 'trust_settings',
      before: { name: 'Test Trust', timeZone: 'Europe/London' },
      after: { name: 'Riverside Learning Trust', timeZone: 'Europe/Dublin' },
    });
    const page = await admin.get('/admin');
    expect(page.body).toContain('Trust settings saved.');
    expect(page.body).toContain('Riverside Learning Trust');
    expect(page.body).toContain('Times are shown in Europe/Dublin');
  });

  it('POST /admin/settings — a time zone that does not exist is refused by the field, the values kept, nothing saved', async () => {
    const response = await expectRefused(
      admin.post('/admin/settings', { name: 'Renamed Trust', timeZone: 'Europe/Atlantis' }),
      'timeZone',
      'Enter a time zone like Europe/London',
    );
    expect(response.body).toContain('value="Renamed Trust"');
    expect(response.body).toContain('value="Europe/Atlantis"');
    expect(db().select().from(trustSettings).get()?.name).toBe('Test Trust');
  });
});

describe('schools', () => {
  it('POST /admin/schools/new — a trust admin adds a school, and it is audited', async () => {
    const response = await admin.post('/admin/schools/new', { name: 'Castle Hill Primary', urn: '123456' });
    expect(response.statusCode).toBe(303);
    const id = idFrom(response.headers.location);
    expect(school(id)).toMatchObject({ name: 'Castle Hill Primary', urn: '123456' });
    expect(lastAudit(db())).toMatchObject({
      actorId: world.person.admin,
      action: 'create',
      entity: 'school',
      entityId: id,
      after: { name: 'Castle Hill Primary', urn: '123456' },
    });
    expect((await admin.get(`/admin/schools/${id}`)).body).toContain('Castle Hill Primary added. Now add its teams.');
  });

  it('POST /admin/schools/:schoolId — a trust admin renames a school and removes its URN; before and after are audited', async () => {
    const response = await admin.post(`/admin/schools/${world.schoolA}`, {
      name: 'Ashcombe Church of England Primary',
      urn: '',
    });
    expect(response.statusCode).toBe(303);
    expect(school(world.schoolA)).toMatchObject({ name: 'Ashcombe Church of England Primary', urn: null });
    expect(lastAudit(db())).toMatchObject({
      action: 'update',
      entity: 'school',
      entityId: world.schoolA,
      before: { name: 'Ashcombe Primary', urn: '100001' },
      after: { name: 'Ashcombe Church of England Primary', urn: null },
    });
  });

  it('POST /admin/schools/:schoolId — saving a school with its own name and URN unchanged is not a duplicate', async () => {
    expect(
      (await admin.post(`/admin/schools/${world.schoolA}`, { name: 'Ashcombe Primary', urn: '100001' })).statusCode,
    ).toBe(303);
  });

  it('POST /admin/schools/new — a name another school has (in any case) is refused', async () => {
    await expectRefused(
      admin.post('/admin/schools/new', { name: 'ASHCOMBE primary', urn: '' }),
      'name',
      'Another school already has this name',
    );
  });

  it('POST /admin/schools/:schoolId — a URN another school has is refused', async () => {
    await expectRefused(
      admin.post(`/admin/schools/${world.schoolB}`, { name: 'Brookfield Primary', urn: '100001' }),
      'urn',
      'Another school already has this URN',
    );
    expect(school(world.schoolB)?.urn).toBeNull();
  });

  it('POST /admin/schools/new — a URN that is not six digits is refused', async () => {
    for (const urn of ['12345', '1234567', 'ABC123', '12 456']) {
      await expectRefused(
        admin.post('/admin/schools/new', { name: 'Newtown Primary', urn }),
        'urn',
        urn.length > 6 ? 'URN must be 6 characters or fewer' : 'A URN is six digits, like 123456',
      );
    }
  });
});

describe('teams', () => {
  const slot = { sessionWeekday: 4, sessionTime: '15:30', sessionMinutes: 30 };

  it('POST /admin/schools/:schoolId/teams/new — a headteacher adds a team with its weekly session to their school', async () => {
    const head = await signedIn(t.app, EMAIL.head);
    const response = await head.post(`/admin/schools/${world.schoolA}/teams/new`, { name: 'Year 2', ...slot });
    expect(response.statusCode).toBe(303);
    const id = idFrom(response.headers.location);
    expect(team(id)).toMatchObject({
      name: 'Year 2',
      schoolId: world.schoolA,
      sessionWeekday: 4,
      sessionTime: '15:30',
      sessionMinutes: 30,
    });
    expect(lastAudit(db())).toMatchObject({
      actorId: world.person.head,
      action: 'create',
      entity: 'team',
      entityId: id,
      after: { name: 'Year 2', schoolId: world.schoolA },
    });
  });

  it('POST /admin/trust-teams/new — a trust admin adds a trust team, which belongs to no school', async () => {
    const response = await admin.post('/admin/trust-teams/new', { name: 'Trust maths network', ...slot });
    expect(response.statusCode).toBe(303);
    const id = idFrom(response.headers.location);
    expect(team(id)).toMatchObject({ name: 'Trust maths network', schoolId: null });
    expect(lastAudit(db())).toMatchObject({
      action: 'create',
      entity: 'team',
      entityId: id,
      after: { schoolId: null },
    });
    expect((await admin.get('/admin')).body).toContain('Trust maths network');
  });

  it('POST /admin/schools/:schoolId/teams/new — a session time that is not a 24-hour time is refused', async () => {
    for (const sessionTime of ['8:15', '24:00', '08:60', 'noon', '']) {
      await expectRefused(
        admin.post(`/admin/schools/${world.schoolA}/teams/new`, { name: 'Year 3', ...slot, sessionTime }),
        'sessionTime',
        sessionTime ? 'Enter the session time as hours and minutes, like 08:15' : 'Enter session time',
      );
    }
  });

  it('POST /admin/trust-teams/new — a session shorter than 10 or longer than 30 minutes is refused', async () => {
    for (const sessionMinutes of ['9', '31', '0', '-5']) {
      await expectRefused(
        admin.post('/admin/trust-teams/new', { name: 'Short network', ...slot, sessionMinutes }),
        'sessionMinutes',
        'Session length in minutes must be between 10 and 30',
      );
    }
    await expectRefused(
      admin.post('/admin/trust-teams/new', { name: 'Short network', ...slot, sessionMinutes: '20.5' }),
      'sessionMinutes',
      'Session length in minutes must be a whole number',
    );
    await expectRefused(
      admin.post('/admin/trust-teams/new', { name: 'Short network', ...slot, sessionWeekday: '8' }),
      'sessionWeekday',
      'Choose a valid session day',
    );
  });

  it('POST /admin/schools/:schoolId/teams/new — a team name the school already has is refused, but another school may use it', async () => {
    await expectRefused(
      admin.post(`/admin/schools/${world.schoolA}/teams/new`, { name: 'year 6', ...slot }),
      'name',
      'This school already has a team with this name',
    );
    expect(
      (await admin.post(`/admin/schools/${world.schoolB}/teams/new`, { name: 'Year 6', ...slot })).statusCode,
    ).toBe(303);
  });
});

describe('a headteacher runs their own school', () => {
  let head: Client;
  beforeEach(async () => {
    head = await signedIn(t.app, EMAIL.head);
  });

  it("POST /admin/teams/:teamId — a headteacher changes their team's session slot, and it is audited", async () => {
    const response = await head.post(`/admin/teams/${world.teamA}`, {
      name: 'Year 6',
      sessionWeekday: 5,
      sessionTime: '12:40',
      sessionMinutes: 15,
    });
    expect(response.statusCode).toBe(303);
    expect(team(world.teamA)).toMatchObject({ sessionWeekday: 5, sessionTime: '12:40', sessionMinutes: 15 });
    expect(lastAudit(db())).toMatchObject({
      actorId: world.person.head,
      action: 'update',
      entity: 'team',
      entityId: world.teamA,
      before: { sessionWeekday: 2, sessionTime: '08:15', sessionMinutes: 20 },
      after: { sessionWeekday: 5, sessionTime: '12:40', sessionMinutes: 15 },
    });
  });

  it('POST /admin/teams/:teamId/members — a headteacher adds someone to a team and removes them again (whole pages)', async () => {
    const added = await head.post(`/admin/teams/${world.teamA}/members`, {
      personId: world.person.noRole,
      role: 'team_leader',
      title: 'Maths lead',
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`/admin/teams/${world.teamA}`);
    const row = assignment(world.person.noRole, { teamId: world.teamA });
    expect(row).toMatchObject({ role: 'team_leader', title: 'Maths lead', schoolId: null });
    expect(lastAudit(db())).toMatchObject({
      actorId: world.person.head,
      action: 'assign',
      entity: 'person',
      entityId: world.person.noRole,
      after: { role: 'team_leader', teamId: world.teamA },
    });
    const page = await head.get(`/admin/teams/${world.teamA}`);
    expect(page.body).toContain('Test noRole added to Year 6.');

    const removed = await head.post(`/admin/teams/${world.teamA}/members/${row!.id}/delete`);
    expect(removed.statusCode).toBe(303);
    expect(assignment(world.person.noRole, { teamId: world.teamA })).toBeUndefined();
    expect(lastAudit(db())).toMatchObject({
      actorId: world.person.head,
      action: 'unassign',
      entityId: world.person.noRole,
      before: { role: 'team_leader', teamId: world.teamA },
    });
  });

  it('POST /admin/teams/:teamId/members — from htmx, the answer is the members partial alone, with Vary: HX-Request', async () => {
    const token = await head.token();
    const added = await head.post(
      `/admin/teams/${world.teamA}/members`,
      { personId: world.person.noRole, role: 'team_member', title: '' },
      { csrf: false, headers: { ...HTMX, 'x-csrf-token': token } },
    );
    expect(added.statusCode).toBe(200);
    expect(added.body.trimStart()).toMatch(/^<section id="team-members"/);
    expect(added.body).not.toContain('<html');
    expect(added.body).toContain('Test noRole added to Year 6.');
    expect(String(added.headers.vary)).toMatch(/HX-Request/i);
    const row = assignment(world.person.noRole, { teamId: world.teamA });
    expect(row?.role).toBe('team_member');

    const removed = await head.post(
      `/admin/teams/${world.teamA}/members/${row!.id}/delete`,
      {},
      { csrf: false, headers: { ...HTMX, 'x-csrf-token': token } },
    );
    expect(removed.statusCode).toBe(200);
    expect(removed.body.trimStart()).toMatch(/^<section id="team-members"/);
    expect(removed.body).toContain('Test noRole removed from Year 6.');
    expect(String(removed.headers.vary)).toMatch(/HX-Request/i);
    expect(assignment(world.person.noRole, { teamId: world.teamA })).toBeUndefined();

    // The same URL as a whole page also varies on HX-Request, so no cache serves one for the other.
    const page = await head.get(`/admin/teams/${world.teamA}`);
    expect(page.body).toContain('<html');
    expect(String(page.headers.vary)).toMatch(/HX-Request/i);
  });

  it('POST /admin/teams/:teamId/members — from htmx, a refused addition answers 422 with the partial and its message', async () => {
    const before = snapshot(db());
    const response = await head.post(
      `/admin/teams/${world.teamA}/members`,
      { personId: world.person.member, role: 'team_member', title: '' },
      { headers: HTMX },
    );
    expect(response.statusCode).toBe(422);
    expect(response.body.trimStart()).toMatch(/^<section id="team-members"/);
    expect(response.body).toContain('Test member is already in this team');
    expect(snapshot(db())).toEqual(before);
    const disabled = await head.post(
      `/admin/teams/${world.teamA}/members`,
      { personId: world.person.disabled, role: 'team_member', title: '' },
      { headers: HTMX },
    );
    expect(disabled.statusCode).toBe(422);
    expect(disabled.body).toContain('Choose a person from the list');
    expect(snapshot(db())).toEqual(before);
  });

  it("the headteacher of school A is refused everything of school B and of the trust's teams, and nothing changes", async () => {
    const before = snapshot(db());
    const memberB = assignment(world.person.otherMember, { teamId: world.teamB })!;
    const attempts = [
      () => head.get(`/admin/schools/${world.schoolB}`),
      () => head.post(`/admin/schools/${world.schoolB}`, { name: 'Taken Over', urn: '' }),
      () => head.get(`/admin/schools/${world.schoolB}/teams/new`),
      () =>
        head.post(`/admin/schools/${world.schoolB}/teams/new`, {
          name: 'Intruders',
          sessionWeekday: 2,
          sessionTime: '08:00',
          sessionMinutes: 20,
        }),
      () => head.get(`/admin/teams/${world.teamB}`),
      () =>
        head.post(`/admin/teams/${world.teamB}`, {
          name: 'Renamed',
          sessionWeekday: 2,
          sessionTime: '08:00',
          sessionMinutes: 20,
        }),
      () =>
        head.post(`/admin/teams/${world.teamB}/members`, {
          personId: world.person.head,
          role: 'team_leader',
          title: '',
        }),
      () => head.post(`/admin/teams/${world.teamB}/members/${memberB.id}/delete`),
      () => head.get(`/admin/teams/${world.trustTeam}`),
      () =>
        head.post(`/admin/teams/${world.trustTeam}/members`, {
          personId: world.person.head,
          role: 'team_member',
          title: '',
        }),
      () => head.get(`/schools/${world.schoolB}`),
      () => head.get(`/teams/${world.teamB}`),
      () => head.post('/admin/schools/new', { name: 'Head School', urn: '' }),
      () =>
        head.post(`/admin/people/${world.person.head}/roles`, {
          role: 'trust_admin',
          title: '',
          schoolId: '',
          teamId: '',
        }),
    ];
    for (const attempt of attempts) expect((await attempt()).statusCode).toBe(403);
    expect(snapshot(db())).toEqual(before);
    // The admin page lists only their own school.
    const adminPage = await head.get('/admin');
    expect(adminPage.body).toContain('Ashcombe Primary');
    expect(adminPage.body).not.toContain('Brookfield Primary');
  });
});

describe('people, invitations and password resets', () => {
  it('POST /admin/people/new — the invitation link is shown once, sets a password, signs the person in, and cannot be used twice', async () => {
    const created = await admin.post('/admin/people/new', { name: 'Rhiannon Evans', email: 'R.Evans@Test.School' });
    expect(created.statusCode).toBe(200);
    const token = linkIn(created.body, 'invitations');
    const person = db().select().from(people).where(eq(people.email, 'r.evans@test.school')).get()!;
    expect(person).toMatchObject({ name: 'Rhiannon Evans', passwordHash: null, disabledAt: null });
    // Only a hash of the token is kept; the raw token is nowhere in the database.
    const stored = db().select().from(authTokens).where(eq(authTokens.personId, person.id)).all();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      purpose: 'invitation',
      tokenHash: hashToken(token),
      usedAt: null,
      createdBy: world.person.admin,
    });
    expect(JSON.stringify(snapshot(db(), { except: [] }))).not.toContain(token);
    expect(lastAudit(db())).toMatchObject({
      actorId: world.person.admin,
      action: 'issue_invitation',
      entityId: person.id,
    });
    // Shown once: not on the list of waiting links, not on the person's page.
    const waiting = await admin.get('/admin/invitations');
    expect(waiting.body).toContain('Rhiannon Evans');
    expect(waiting.body).not.toContain(token);
    expect((await admin.get(`/admin/people/${person.id}`)).body).not.toContain(token);

    const invitee = new Client(t.app);
    const form = await invitee.get(`/invitations/${token}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('r.evans@test.school');
    const accepted = await invitee.post(`/invitations/${token}`, {
      password: 'my own long password',
      confirm: 'my own long password',
    });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/');
    expect(personRow(db(), person.id)?.passwordHash).toMatch(/^scrypt\$/);
    expect(db().select().from(authTokens).where(eq(authTokens.personId, person.id)).get()?.usedAt).not.toBeNull();
    expect(sessionsOf(person.id)).toHaveLength(1);
    expect(lastAudit(db())).toMatchObject({
      actorId: person.id,
      action: 'set_password',
      entity: 'person',
      entityId: person.id,
    });
    const home = await invitee.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Welcome, Rhiannon Evans. Your account is ready.');

    // Used once: the link is dead for anyone, and does not change the password again.
    const hash = personRow(db(), person.id)?.passwordHash;
    const stranger = new Client(t.app);
    const again = await stranger.get(`/invitations/${token}`);
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('This link cannot be used');
    await stranger.get('/login');
    const reuse = await stranger.post(`/invitations/${token}`, {
      password: 'a hijacked password',
      confirm: 'a hijacked password',
    });
    expect(reuse.statusCode).toBe(404);
    expect(personRow(db(), person.id)?.passwordHash).toBe(hash);
    expect((await new Client(t.app).login('r.evans@test.school', 'my own long password')).statusCode).toBe(303);
  });

  it('POST /invitations/:token — passwords that do not match, or are too short, are refused and the link still works', async () => {
    const created = await admin.post('/admin/people/new', { name: 'Tom Price', email: 'tom@test.school' });
    const token = linkIn(created.body, 'invitations');
    const invitee = new Client(t.app);
    await invitee.get(`/invitations/${token}`);
    await expectRefused(
      invitee.post(`/invitations/${token}`, { password: 'one long password', confirm: 'another long password' }),
      'confirm',
      'The two passwords do not match',
    );
    await expectRefused(
      invitee.post(`/invitations/${token}`, { password: 'short', confirm: 'short' }),
      'password',
      'Password must be at least 10 characters',
    );
    expect(
      (await invitee.post(`/invitations/${token}`, { password: 'one long password', confirm: 'one long password' }))
        .statusCode,
    ).toBe(303);
  });

  it('POST /admin/people/:personId — a trust admin corrects a name and email; a taken email is refused', async () => {
    const response = await admin.post(`/admin/people/${world.person.noRole}`, {
      name: 'Nia Roberts',
      email: 'Nia.Roberts@test.school',
    });
    expect(response.statusCode).toBe(303);
    expect(personRow(db(), world.person.noRole)).toMatchObject({
      name: 'Nia Roberts',
      email: 'nia.roberts@test.school',
    });
    expect(lastAudit(db())).toMatchObject({
      action: 'update',
      entity: 'person',
      entityId: world.person.noRole,
      before: { name: 'Test noRole', email: EMAIL.noRole },
      after: { name: 'Nia Roberts', email: 'nia.roberts@test.school' },
    });
    await expectRefused(
      admin.post(`/admin/people/${world.person.noRole}`, { name: 'Nia Roberts', email: EMAIL.member.toUpperCase() }),
      'email',
      'Someone already has this email address',
    );
    await expectRefused(
      admin.post('/admin/people/new', { name: 'Copy', email: EMAIL.member }),
      'email',
      'Someone already has this email address',
    );
  });

  it('POST /admin/people/:personId/link — a reset link for an existing person sets a new password and ends their other sessions', async () => {
    const laptop = await signedIn(t.app, EMAIL.member);
    const phone = await signedIn(t.app, EMAIL.member);
    expect(sessionsOf(world.person.member)).toHaveLength(2);

    const made = await admin.post(`/admin/people/${world.person.member}/link`);
    expect(made.statusCode).toBe(200);
    expect(made.body).toContain('Password reset link');
    const token = linkIn(made.body, 'password-resets');
    expect(lastAudit(db())).toMatchObject({
      actorId: world.person.admin,
      action: 'issue_password_reset',
      entityId: world.person.member,
    });
    // Making a link changes nothing yet: both devices are still signed in.
    expect((await laptop.get('/')).statusCode).toBe(200);

    const browser = new Client(t.app);
    expect((await browser.get(`/password-resets/${token}`)).statusCode).toBe(200);
    const reset = await browser.post(`/password-resets/${token}`, {
      password: 'a fresh new password',
      confirm: 'a fresh new password',
    });
    expect(reset.statusCode).toBe(303);
    const remaining = sessionsOf(world.person.member);
    expect(remaining).toHaveLength(1);
    expect(remaining[0]!.id).toBe(
      decodeURIComponent(browser.cookies.get('wigboard_session')!).replace(/^s:/, '').split('.')[0],
    );
    for (const device of [laptop, phone]) {
      const response = await device.get('/');
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/login?next=%2F');
    }
    expect((await browser.get('/')).body).toContain('Your new password is saved.');
    expect((await new Client(t.app).login(EMAIL.member, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await new Client(t.app).login(EMAIL.member, 'a fresh new password')).statusCode).toBe(303);
  });

  it('POST /admin/people/:personId/link — a new link replaces the earlier one, which stops working', async () => {
    const first = linkIn((await admin.post(`/admin/people/${world.person.invited}/link`)).body, 'invitations');
    const second = linkIn((await admin.post(`/admin/people/${world.person.invited}/link`)).body, 'invitations');
    expect(second).not.toBe(first);
    const visitor = new Client(t.app);
    expect((await visitor.get(`/invitations/${first}`)).statusCode).toBe(404);
    expect((await visitor.get(`/invitations/${second}`)).statusCode).toBe(200);
  });

  it('GET and POST /password-resets/:token — an expired link is refused and the password is unchanged', async () => {
    const token = linkIn((await admin.post(`/admin/people/${world.person.lead}/link`)).body, 'password-resets');
    db()
      .update(authTokens)
      .set({ expiresAt: Date.now() - 1000 })
      .where(eq(authTokens.tokenHash, hashToken(token)))
      .run();
    const hash = personRow(db(), world.person.lead)?.passwordHash;
    const visitor = new Client(t.app);
    const page = await visitor.get(`/password-resets/${token}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('This link cannot be used');
    await visitor.get('/login');
    const post = await visitor.post(`/password-resets/${token}`, {
      password: 'too late password',
      confirm: 'too late password',
    });
    expect(post.statusCode).toBe(404);
    expect(personRow(db(), world.person.lead)?.passwordHash).toBe(hash);
    expect(
      db()
        .select()
        .from(authTokens)
        .where(eq(authTokens.tokenHash, hashToken(token)))
        .get()?.usedAt,
    ).toBeNull();
    expect((await admin.get('/admin/invitations')).body).not.toContain('Test lead');
  });

  it('an invitation link is the wrong kind of link for the password-reset address, and the other way round', async () => {
    const invitation = linkIn((await admin.post(`/admin/people/${world.person.invited}/link`)).body, 'invitations');
    const reset = linkIn((await admin.post(`/admin/people/${world.person.lead}/link`)).body, 'password-resets');
    const visitor = new Client(t.app);
    expect((await visitor.get(`/password-resets/${invitation}`)).statusCode).toBe(404);
    expect((await visitor.get(`/invitations/${reset}`)).statusCode).toBe(404);
  });
});

describe('disabling and enabling', () => {
  it('POST /admin/people/:personId/disable and /enable — a disabled person is signed out everywhere and cannot sign in until enabled', async () => {
    const member = await signedIn(t.app, EMAIL.member);
    const disabled = await admin.post(`/admin/people/${world.person.member}/disable`);
    expect(disabled.statusCode).toBe(303);
    const row = personRow(db(), world.person.member)!;
    expect(row.disabledAt).toEqual(expect.any(Number));
    expect(sessionsOf(world.person.member)).toHaveLength(0);
    expect(lastAudit(db())).toMatchObject({
      actorId: world.person.admin,
      action: 'disable',
      entityId: world.person.member,
      before: { disabledAt: null },
      after: { disabledAt: row.disabledAt },
    });
    expect((await member.get('/')).statusCode).toBe(303);
    expect((await new Client(t.app).login(EMAIL.member)).statusCode).toBe(401);
    // A disabled person cannot be handed a link either.
    const link = await admin.post(`/admin/people/${world.person.member}/link`);
    expect(link.statusCode).toBe(422);
    expect(link.body).toContain('Enable this person before making a sign-in link.');

    const enabled = await admin.post(`/admin/people/${world.person.member}/enable`);
    expect(enabled.statusCode).toBe(303);
    expect(personRow(db(), world.person.member)?.disabledAt).toBeNull();
    expect(lastAudit(db())).toMatchObject({
      action: 'enable',
      entityId: world.person.member,
      before: { disabledAt: row.disabledAt },
      after: { disabledAt: null },
    });
    expect((await new Client(t.app).login(EMAIL.member)).statusCode).toBe(303);
  });

  it('POST /admin/people/:personId/disable — a trust admin cannot disable their own account', async () => {
    const before = snapshot(db());
    const response = await admin.post(`/admin/people/${world.person.admin}/disable`);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('You cannot disable your own account. Ask another trust admin.');
    expect(snapshot(db())).toEqual(before);
    expect(sessionsOf(world.person.admin)).toHaveLength(1);
    expect((await admin.get('/admin')).statusCode).toBe(200);
  });

  it('disabling a person with an unused invitation makes the link unusable', async () => {
    const token = linkIn((await admin.post(`/admin/people/${world.person.invited}/link`)).body, 'invitations');
    await admin.post(`/admin/people/${world.person.invited}/disable`);
    expect((await new Client(t.app).get(`/invitations/${token}`)).statusCode).toBe(404);
  });
});

describe('roles', () => {
  it('POST /admin/people/:personId/roles — a trust admin makes someone a headteacher, who can then manage that school', async () => {
    const response = await admin.post(`/admin/people/${world.person.noRole}/roles`, {
      role: 'school_leader',
      title: 'Headteacher',
      schoolId: world.schoolB,
      teamId: '',
    });
    expect(response.statusCode).toBe(303);
    expect(assignment(world.person.noRole, { schoolId: world.schoolB })).toMatchObject({
      role: 'school_leader',
      title: 'Headteacher',
      teamId: null,
    });
    expect(lastAudit(db())).toMatchObject({
      actorId: world.person.admin,
      action: 'assign',
      entityId: world.person.noRole,
      after: { role: 'school_leader', schoolId: world.schoolB },
    });
    const newHead = await signedIn(t.app, EMAIL.noRole);
    expect((await newHead.get(`/admin/schools/${world.schoolB}`)).statusCode).toBe(200);
    expect((await newHead.get(`/admin/schools/${world.schoolA}`)).statusCode).toBe(403);
  });

  it('POST /admin/people/:personId/roles — a school role without a school, a team role without a team, and a second role in the same place are refused', async () => {
    await expectRefused(
      admin.post(`/admin/people/${world.person.noRole}/roles`, {
        role: 'school_leader',
        title: '',
        schoolId: '',
        teamId: '',
      }),
      'schoolId',
      'Enter school',
    );
    await expectRefused(
      admin.post(`/admin/people/${world.person.noRole}/roles`, {
        role: 'team_member',
        title: '',
        schoolId: '',
        teamId: '999999',
      }),
      'teamId',
      'Choose a team from the list',
    );
    await expectRefused(
      admin.post(`/admin/people/${world.person.noRole}/roles`, {
        role: 'governor',
        title: '',
        schoolId: '',
        teamId: '',
      }),
      'role',
      'Choose a valid role',
    );
    await expectRefused(
      admin.post(`/admin/people/${world.person.member}/roles`, {
        role: 'team_leader',
        title: '',
        schoolId: '',
        teamId: world.teamA,
      }),
      'role',
      'Test member already has a role there',
    );
  });

  it('POST /admin/people/:personId/roles/:assignmentId/delete — a trust admin takes a role away, and it is audited', async () => {
    const ceoRole = assignment(world.person.ceo, { role: 'trust_leader' })!;
    const response = await admin.post(`/admin/people/${world.person.ceo}/roles/${ceoRole.id}/delete`);
    expect(response.statusCode).toBe(303);
    expect(assignment(world.person.ceo, { role: 'trust_leader' })).toBeUndefined();
    expect(lastAudit(db())).toMatchObject({
      actorId: world.person.admin,
      action: 'unassign',
      entityId: world.person.ceo,
      before: { role: 'trust_leader', schoolId: null, teamId: null },
    });
    expect((await (await signedIn(t.app, EMAIL.ceo)).get('/schools')).statusCode).toBe(403);
  });

  it('POST /admin/people/:personId/roles/:assignmentId/delete — the last active trust admin role cannot be removed', async () => {
    const own = assignment(world.person.admin, { role: 'trust_admin' })!;
    const before = snapshot(db());
    const refused = await admin.post(`/admin/people/${world.person.admin}/roles/${own.id}/delete`);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('The trust must keep at least one active trust admin');
    expect(snapshot(db())).toEqual(before);

    // A disabled second admin does not count; an active one does.
    const second = await admin.post(`/admin/people/${world.person.disabled}/roles`, {
      role: 'trust_admin',
      title: '',
      schoolId: '',
      teamId: '',
    });
    expect(second.statusCode).toBe(303);
    expect((await admin.post(`/admin/people/${world.person.admin}/roles/${own.id}/delete`)).statusCode).toBe(422);
    await admin.post(`/admin/people/${world.person.disabled}/enable`);
    const removed = await admin.post(`/admin/people/${world.person.admin}/roles/${own.id}/delete`);
    expect(removed.statusCode).toBe(303);
    expect(assignment(world.person.admin, { role: 'trust_admin' })).toBeUndefined();
    // The removal takes effect at once: the former admin is refused on their next request.
    expect((await admin.get('/admin/people')).statusCode).toBe(403);
  });
});

describe('the audit log', () => {
  it('every admin change writes exactly one audit row naming who did it', async () => {
    const head = await signedIn(t.app, EMAIL.head);
    const changes: [Client, number, () => Promise<unknown>][] = [
      [
        admin,
        world.person.admin,
        () => admin.post('/admin/settings', { name: 'Audited Trust', timeZone: 'Europe/London' }),
      ],
      [admin, world.person.admin, () => admin.post('/admin/schools/new', { name: 'Audited School', urn: '' })],
      [
        head,
        world.person.head,
        () => head.post(`/admin/schools/${world.schoolA}`, { name: 'Audited Ashcombe', urn: '100001' }),
      ],
      [
        head,
        world.person.head,
        () =>
          head.post(`/admin/schools/${world.schoolA}/teams/new`, {
            name: 'Audited team',
            sessionWeekday: 1,
            sessionTime: '08:00',
            sessionMinutes: 20,
          }),
      ],
      [
        admin,
        world.person.admin,
        () =>
          admin.post('/admin/trust-teams/new', {
            name: 'Audited network',
            sessionWeekday: 1,
            sessionTime: '08:00',
            sessionMinutes: 20,
          }),
      ],
      [
        head,
        world.person.head,
        () =>
          head.post(`/admin/teams/${world.teamA}`, {
            name: 'Year Six',
            sessionWeekday: 1,
            sessionTime: '08:00',
            sessionMinutes: 20,
          }),
      ],
      [
        head,
        world.person.head,
        () =>
          head.post(`/admin/teams/${world.teamA}/members`, {
            personId: world.person.noRole,
            role: 'team_member',
            title: '',
          }),
      ],
      [
        head,
        world.person.head,
        () =>
          head.post(
            `/admin/teams/${world.teamA}/members/${assignment(world.person.noRole, { teamId: world.teamA })!.id}/delete`,
          ),
      ],
      [
        admin,
        world.person.admin,
        () => admin.post(`/admin/people/${world.person.noRole}`, { name: 'Audited Person', email: EMAIL.noRole }),
      ],
      [
        admin,
        world.person.admin,
        () =>
          admin.post(`/admin/people/${world.person.noRole}/roles`, {
            role: 'trust_leader',
            title: 'TIL',
            schoolId: '',
            teamId: '',
          }),
      ],
      [
        admin,
        world.person.admin,
        () =>
          admin.post(
            `/admin/people/${world.person.noRole}/roles/${assignment(world.person.noRole, { role: 'trust_leader' })!.id}/delete`,
          ),
      ],
      [admin, world.person.admin, () => admin.post(`/admin/people/${world.person.noRole}/disable`)],
      [admin, world.person.admin, () => admin.post(`/admin/people/${world.person.noRole}/enable`)],
      [admin, world.person.admin, () => admin.post(`/admin/people/${world.person.invited}/link`)],
    ];
    for (const [, actorId, change] of changes) {
      const count = auditCount(db());
      const response = (await change()) as { statusCode: number };
      expect(response.statusCode).toBeLessThan(400);
      expect(auditCount(db())).toBe(count + 1);
      const row = lastAudit(db())!;
      expect(row.actorId).toBe(actorId);
      expect(row.at).toBeGreaterThan(Date.now() - 60_000);
      expect(row.before !== null || row.after !== null || row.action.startsWith('issue_')).toBe(true);
    }
    // The one change that adds a person writes two rows: the person, then their invitation.
    const count = auditCount(db());
    await admin.post('/admin/people/new', { name: 'Audited Newcomer', email: 'audited@test.school' });
    expect(auditCount(db())).toBe(count + 2);
  });

  it('a refused change writes no audit row', async () => {
    const count = auditCount(db());
    await admin.post('/admin/settings', { name: '', timeZone: 'Nowhere/Else' });
    await admin.post('/admin/schools/new', { name: 'Ashcombe Primary', urn: '' });
    await admin.post(`/admin/people/${world.person.admin}/disable`);
    await (await signedIn(t.app, EMAIL.member)).post('/admin/schools/new', { name: 'Member School', urn: '' });
    expect(auditCount(db())).toBe(count);
  });
});
