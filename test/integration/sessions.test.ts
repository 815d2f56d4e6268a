// The weekly WIG session: who runs and who reads it, what one save records, re-opening it, bad input, and clearing the path.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { addAssignment, createPerson, setDisabled } from '../../src/db/queries/people.ts';
import { auditLog, commitments, pathRequests, sessionAttendance, wigSessions } from '../../src/db/schema.ts';
import { Client, createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { snapshot } from '../helpers/db.ts';
import { createActiveTeamWig, createMeasures, createSchoolYear, type MeasureName } from '../helpers/measures.ts';
import { PINNED_NOW } from '../helpers/clock.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';

const THIS_WEEK = '2026-11-23';
const LAST_WEEK = '2026-11-16';
const NEXT_WEEK = '2026-11-30';

interface Fixture {
  t: TestApp;
  world: World;
  m: Record<MeasureName, number>;
}

async function arrange(): Promise<Fixture> {
  const t = await createTestApp({}, { now: () => PINNED_NOW });
  const world = await seedWorld(t.app.db);
  createSchoolYear(t.app.db, world.schoolA);
  const wigId = createActiveTeamWig(t.app.db, world.person.lead, { id: world.teamA, schoolId: world.schoolA });
  const m = createMeasures(t.app.db, world.person.lead, wigId);
  return { t, world, m };
}

const sessionUrl = (f: Fixture, week?: string, teamId = f.world.teamA) =>
  `/teams/${teamId}/session${week ? `?week=${week}` : ''}`;
const sessionsOf = (f: Fixture) => f.t.app.db.select().from(wigSessions).all();
const commitmentsOf = (f: Fixture) => f.t.app.db.select().from(commitments).orderBy(commitments.id).all();
const auditOf = (f: Fixture, entity: string) =>
  f.t.app.db.select().from(auditLog).where(eq(auditLog.entity, entity)).orderBy(auditLog.id).all();

/** Last week's session, held, with one commitment each for the lead and the member (for this week). */
async function holdLastWeek(f: Fixture, lead: Client) {
  const { person } = f.world;
  const response = await lead.post(sessionUrl(f, LAST_WEEK), {
    week: LAST_WEEK,
    [`present_${person.lead}`]: '1',
    [`present_${person.member}`]: '1',
    [`commit_${person.lead}_1_text`]: 'Hold five reading conferences',
    [`commit_${person.lead}_1_measure`]: f.m.individual,
    [`commit_${person.member}_1_text`]: 'Call three parents about reading at home',
    [`commit_${person.member}_1_measure`]: f.m.team,
  });
  expect(response.statusCode).toBe(303);
  return commitmentsOf(f);
}

describe('the WIG session', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await arrange();
  });
  afterEach(() => f.t.close());

  it("GET /teams/:teamId/session — the team leader sees the agenda's three sections, the timer and a form for everyone", async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    const response = await lead.get(sessionUrl(f));
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).toContain('1.</span> Account');
    expect(body).toContain('2.</span> Review the scoreboard');
    expect(body).toContain('3.</span> Plan');
    expect(body).toContain('data-minutes="20"');
    expect(body).toContain('/assets/session-timer.js');
    expect(body).toContain(`name="present_${f.world.person.member}"`);
    expect(body).toContain(`name="commit_${f.world.person.member}_1_text"`);
    expect(body).toContain('Commitments for the week of Mon 30 Nov 2026');
    // The people a request for help may go to: the team's leader, the school's leaders and the trust leaders (not another school's head).
    expect(body).toContain('Test lead');
    expect(body).toContain('Test head');
    expect(body).toContain('Test ceo');
    expect(body).not.toContain('Test otherHead');
    // A disabled member is not in the session.
    expect(body).not.toContain(`present_${f.world.person.disabled}"`);
  });

  it('GET /teams/:teamId/session — a member reads the session without a form; another team and signed-out visitors are refused', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const read = await member.get(sessionUrl(f));
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain('has not been recorded');
    expect(read.body).not.toContain('<form method="post" action="/teams/');
    const other = await signedIn(f.t.app, EMAIL.otherMember);
    expect((await other.get(sessionUrl(f))).statusCode).toBe(403);
    const visitor = await new Client(f.t.app).get(sessionUrl(f));
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe(`/login?next=${encodeURIComponent(sessionUrl(f))}`);
  });

  it('POST /teams/:teamId/session — only the team leader and the leaders above record; a member and another team are refused and nothing is written', async () => {
    for (const who of ['member', 'otherMember', 'otherHead', 'trustTeamMember', 'noRole'] as const) {
      const client = await signedIn(f.t.app, EMAIL[who]);
      await client.get('/');
      const before = snapshot(f.t.app.db);
      const response = await client.post(sessionUrl(f), { week: THIS_WEEK, worked: `by ${who}` });
      expect(response.statusCode, who).toBe(403);
      expect(snapshot(f.t.app.db), who).toEqual(before);
    }
    for (const who of ['head', 'ceo', 'admin', 'lead'] as const) {
      const client = await signedIn(f.t.app, EMAIL[who]);
      const response = await client.post(sessionUrl(f), { week: THIS_WEEK, worked: `by ${who}` });
      expect(response.statusCode, who).toBe(303);
      expect(sessionsOf(f)).toHaveLength(1);
      expect(sessionsOf(f)[0]!.worked).toBe(`by ${who}`);
    }
  });

  it('POST /teams/:teamId/session — one save records the session, attendance, outcomes, path requests and commitments, each with an audit row', async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    const { person } = f.world;
    const [leadsOld, membersOld] = await holdLastWeek(f, lead);
    expect(leadsOld!.week).toBe(THIS_WEEK);
    expect(membersOld!.week).toBe(THIS_WEEK);

    const page = await lead.get(sessionUrl(f));
    expect(page.body).toContain('“Call three parents about reading at home”');
    expect(page.body).toContain(`name="outcome_${membersOld!.id}"`);

    const response = await lead.post(sessionUrl(f), {
      week: THIS_WEEK,
      [`present_${person.lead}`]: '1',
      [`outcome_${leadsOld!.id}`]: 'done',
      [`outcome_${membersOld!.id}`]: 'partly',
      [`why_${membersOld!.id}`]: 'Two parents did not answer',
      worked: 'Conferences at lunchtime',
      didNotWork: 'Phone calls after 4pm',
      path_1_text: 'Cover for Thursday afternoon conferences',
      path_1_assignee: person.head,
      [`commit_${person.lead}_1_text`]: 'Model a reading conference for the TA',
      [`commit_${person.lead}_1_measure`]: f.m.individual,
      [`commit_${person.member}_1_text`]: 'Reading',
      [`commit_${person.member}_1_measure`]: f.m.daily,
      [`commit_${person.member}_2_text`]: 'Call three parents about reading at home.',
      [`commit_${person.member}_2_measure`]: f.m.team,
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(sessionUrl(f, THIS_WEEK));

    const session = f.t.app.db.select().from(wigSessions).where(eq(wigSessions.week, THIS_WEEK)).get()!;
    expect(session).toMatchObject({
      teamId: f.world.teamA,
      worked: 'Conferences at lunchtime',
      didNotWork: 'Phone calls after 4pm',
      recordedBy: person.lead,
    });
    expect(session.heldAt).toBe(PINNED_NOW);
    const attendance = f.t.app.db
      .select()
      .from(sessionAttendance)
      .where(eq(sessionAttendance.sessionId, session.id))
      .all();
    expect(Object.fromEntries(attendance.map((a) => [a.personId, a.present]))).toEqual({
      [person.lead]: true,
      [person.member]: false,
    });

    const all = commitmentsOf(f);
    expect(all.find((c) => c.id === leadsOld!.id)).toMatchObject({
      outcome: 'done',
      outcomeNote: null,
      accountedSessionId: session.id,
    });
    expect(all.find((c) => c.id === membersOld!.id)).toMatchObject({
      outcome: 'partly',
      outcomeNote: 'Two parents did not answer',
      accountedSessionId: session.id,
    });
    const made = all.filter((c) => c.sessionId === session.id);
    expect(made.map((c) => [c.personId, c.text, c.leadMeasureId, c.week, c.outcome])).toEqual([
      [person.lead, 'Model a reading conference for the TA', f.m.individual, NEXT_WEEK, null],
      [person.member, 'Reading', f.m.daily, NEXT_WEEK, null],
      [person.member, 'Call three parents about reading at home.', f.m.team, NEXT_WEEK, null],
    ]);
    const requests = f.t.app.db.select().from(pathRequests).all();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      teamId: f.world.teamA,
      sessionId: session.id,
      week: THIS_WEEK,
      assigneeId: person.head,
      raisedBy: person.lead,
      status: 'open',
    });

    expect(auditOf(f, 'wig_session').map((a) => a.action)).toEqual(['hold', 'hold']);
    expect(auditOf(f, 'commitment').map((a) => a.action)).toEqual([
      'commit',
      'commit',
      'account',
      'account',
      'commit',
      'commit',
      'commit',
    ]);
    expect(auditOf(f, 'path_request').map((a) => a.action)).toEqual(['raise']);

    // Warned, not blocked: the page that follows shows the warnings next to the fields.
    const after = await lead.get(response.headers.location as string);
    expect(after.body).toContain('have warnings below');
    expect(after.body).toContain(`id="f-commit_${person.member}_1_text-warning"`);
    expect(after.body).toContain('start with an action');
    expect(after.body).toContain(`id="f-commit_${person.member}_2_text-warning"`);
    expect(after.body).toContain('word for word last week');
    expect(after.body).not.toContain(`id="f-commit_${person.lead}_1_text-warning"`);
  });

  it('POST /teams/:teamId/session — re-saving after someone has left keeps what was recorded for them (outcome, note, attendance)', async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    const { person } = f.world;
    const [, membersOld] = await holdLastWeek(f, lead);
    const first = await lead.post(sessionUrl(f), {
      week: THIS_WEEK,
      [`present_${person.lead}`]: '1',
      [`present_${person.member}`]: '1',
      [`outcome_${membersOld!.id}`]: 'done',
      [`why_${membersOld!.id}`]: 'Rang them all',
    });
    expect(first.statusCode).toBe(303);
    setDisabled(f.t.app.db, null, person.member, true);
    const again = await lead.post(sessionUrl(f), {
      week: THIS_WEEK,
      [`present_${person.lead}`]: '1',
      worked: 'A note added later',
    });
    expect(again.statusCode).toBe(303);
    const session = f.t.app.db.select().from(wigSessions).where(eq(wigSessions.week, THIS_WEEK)).get()!;
    expect(session.worked).toBe('A note added later');
    expect(commitmentsOf(f).find((c) => c.id === membersOld!.id)).toMatchObject({
      outcome: 'done',
      outcomeNote: 'Rang them all',
      accountedSessionId: session.id,
    });
    const present = f.t.app.db
      .select()
      .from(sessionAttendance)
      .where(eq(sessionAttendance.sessionId, session.id))
      .all();
    expect(Object.fromEntries(present.map((a) => [a.personId, a.present]))).toEqual({
      [person.lead]: true,
      [person.member]: true,
    });
  });

  it('POST /teams/:teamId/session — re-opening a held session updates it: no second session, commitments edited in place or taken out', async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    const { person } = f.world;
    const first = {
      week: THIS_WEEK,
      [`present_${person.lead}`]: '1',
      [`present_${person.member}`]: '1',
      worked: 'First notes',
      [`commit_${person.member}_1_text`]: 'Call three parents',
      [`commit_${person.member}_1_measure`]: f.m.team,
      [`commit_${person.member}_2_text`]: 'Hold two conferences',
      [`commit_${person.member}_2_measure`]: f.m.individual,
    };
    expect((await lead.post(sessionUrl(f), first)).statusCode).toBe(303);
    const [one, two] = commitmentsOf(f);
    const page = await lead.get(sessionUrl(f));
    expect(page.body).toContain('value="Call three parents"');
    expect(page.body).toContain('Save changes to the session');

    const second = {
      ...first,
      worked: 'Second notes',
      [`commit_${person.member}_1_text`]: 'Call four parents',
      [`commit_${person.member}_2_text`]: '',
    };
    expect((await lead.post(sessionUrl(f), second)).statusCode).toBe(303);
    expect(sessionsOf(f)).toHaveLength(1);
    expect(sessionsOf(f)[0]!.worked).toBe('Second notes');
    const now = commitmentsOf(f);
    expect(now.map((c) => [c.id, c.text])).toEqual([[one!.id, 'Call four parents']]);
    expect(two).toBeDefined();
    expect(auditOf(f, 'wig_session').map((a) => a.action)).toEqual(['hold', 'update']);
    expect(auditOf(f, 'commitment').map((a) => a.action)).toEqual(['commit', 'commit', 'delete', 'update']);
    expect(f.t.app.db.select().from(sessionAttendance).all()).toHaveLength(2);
  });

  it('POST /teams/:teamId/session — bad input is a 422 with the form again, values kept, a message per field, and nothing saved', async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    const { person } = f.world;
    // A lead measure of another team.
    const otherWig = createActiveTeamWig(f.t.app.db, null, { id: f.world.teamB, schoolId: f.world.schoolB });
    const otherMeasure = createMeasures(f.t.app.db, null, otherWig, '2026-09-07', ['individual']).individual;
    await lead.get(sessionUrl(f));
    const before = snapshot(f.t.app.db);
    const response = await lead.post(sessionUrl(f), {
      week: THIS_WEEK,
      [`present_${person.lead}`]: '1',
      worked: 'Kept notes',
      path_1_text: 'Someone to cover',
      path_1_assignee: person.otherHead,
      path_2_text: 'No one named',
      [`commit_${person.lead}_1_text`]: 'Model a conference',
      [`commit_${person.lead}_1_measure`]: otherMeasure,
      [`commit_${person.member}_1_text`]: 'x'.repeat(301),
      [`commit_${person.member}_1_measure`]: f.m.team,
      [`commit_${person.member}_2_text`]: 'Call parents',
    });
    expect(response.statusCode).toBe(422);
    const body = response.body;
    expect(body).toContain('There is a problem');
    expect(body).toContain('id="f-path_1_assignee-error"');
    expect(body).toContain('id="f-path_2_assignee-error"');
    expect(body).toContain(`id="f-commit_${person.lead}_1_measure-error"`);
    expect(body).toContain(`id="f-commit_${person.member}_1_text-error"`);
    expect(body).toContain('must be 300 characters or fewer');
    expect(body).toContain(`id="f-commit_${person.member}_2_measure-error"`);
    expect(body).toContain('value="Model a conference"');
    expect(body).toContain('value="Someone to cover"');
    expect(body).toContain('Kept notes</textarea>');
    expect(snapshot(f.t.app.db)).toEqual(before);
  });

  it('POST /teams/:teamId/session — a week not yet begun, a holiday week and a day that is not a Monday are not sessions', async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    await lead.get(sessionUrl(f));
    const before = snapshot(f.t.app.db);
    expect((await lead.post(sessionUrl(f), { week: NEXT_WEEK })).statusCode).toBe(404);
    expect((await lead.post(sessionUrl(f), { week: '2026-10-26' })).statusCode).toBe(404);
    expect((await lead.post(sessionUrl(f), { week: '2026-11-24' })).statusCode).toBe(404);
    expect(snapshot(f.t.app.db)).toEqual(before);
    expect((await lead.get(sessionUrl(f, '2026-11-18'))).headers.location).toBe(sessionUrl(f, LAST_WEEK));
  });

  it('a member sees their commitments on the home page, and the team page shows the session held and the current commitments', async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    await holdLastWeek(f, lead);
    const member = await signedIn(f.t.app, EMAIL.member);
    const home = await member.get('/');
    expect(home.body).toContain('My commitments');
    expect(home.body).toContain('Call three parents about reading at home');
    const team = await member.get(`/teams/${f.world.teamA}`);
    expect(team.body).toContain('Last session held on');
    expect(team.body).toContain('Call three parents about reading at home');
    expect(team.body).not.toContain("Run this week's WIG session");
    expect((await lead.get(`/teams/${f.world.teamA}`)).body).toContain("Run this week's WIG session");
  });

  it('GET /teams/:teamId/session?week= — a member reads a held session: who was there, the review, what was asked and committed; a holiday week has no form', async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    await lead.post(sessionUrl(f, LAST_WEEK), {
      week: LAST_WEEK,
      [`present_${f.world.person.lead}`]: '1',
      worked: 'Lunchtime conferences',
      path_1_text: 'A second laptop trolley',
      path_1_assignee: f.world.person.ceo,
      [`commit_${f.world.person.member}_1_text`]: 'Read with five pupils',
      [`commit_${f.world.person.member}_1_measure`]: f.m.individual,
    });
    const member = await signedIn(f.t.app, EMAIL.member);
    const body = (await member.get(sessionUrl(f, LAST_WEEK))).body;
    expect(body).toContain('Held on Tue 17 Nov 2026');
    expect(body).toContain('Test member — absent');
    expect(body).toContain('Lunchtime conferences');
    expect(body).toContain('“A second laptop trolley” — asked of Test ceo, open');
    expect(body).toContain('Read with five pupils');
    const holiday = await lead.get(sessionUrl(f, '2026-10-26'));
    expect(holiday.statusCode).toBe(200);
    expect(holiday.body).toContain('no session is due');
    expect(holiday.body).not.toContain('Save the session as held');
  });
});

describe('clearing the path', () => {
  let f: Fixture;
  let requestId: number;
  beforeEach(async () => {
    f = await arrange();
    const lead = await signedIn(f.t.app, EMAIL.lead);
    await lead.post(sessionUrl(f), {
      week: THIS_WEEK,
      path_1_text: 'Release time for moderation',
      path_1_assignee: f.world.person.head,
    });
    requestId = f.t.app.db.select().from(pathRequests).get()!.id;
  });
  afterEach(() => f.t.close());

  it('the assignee sees the open request on the home page and on the team page, and resolves it with a note', async () => {
    const head = await signedIn(f.t.app, EMAIL.head);
    const home = await head.get('/');
    expect(home.body).toContain('Requests for help');
    expect(home.body).toContain('Release time for moderation');
    expect((await head.get(`/teams/${f.world.teamA}`)).body).toContain('Release time for moderation');
    const response = await head.post(`/path-requests/${requestId}/resolve`, { resolution: 'Cover booked for Friday' });
    expect(response.statusCode).toBe(303);
    expect(f.t.app.db.select().from(pathRequests).get()).toMatchObject({
      status: 'resolved',
      resolution: 'Cover booked for Friday',
      resolvedBy: f.world.person.head,
      resolvedAt: PINNED_NOW,
    });
    expect(auditOf(f, 'path_request').map((a) => a.action)).toEqual(['raise', 'resolve']);
    expect((await head.get('/')).body).not.toContain('Release time for moderation');
  });

  it('nobody else resolves it (403, nothing written); a trust admin may; an unknown request is a 404', async () => {
    for (const who of ['lead', 'member', 'ceo', 'otherHead'] as const) {
      const client = await signedIn(f.t.app, EMAIL[who]);
      await client.get('/');
      const before = snapshot(f.t.app.db);
      expect((await client.post(`/path-requests/${requestId}/resolve`, { resolution: '' })).statusCode, who).toBe(403);
      expect(snapshot(f.t.app.db)).toEqual(before);
    }
    const admin = await signedIn(f.t.app, EMAIL.admin);
    expect((await admin.post('/path-requests/999999/resolve', { resolution: '' })).statusCode).toBe(404);
    expect((await admin.post(`/path-requests/${requestId}/resolve`, { resolution: '' })).statusCode).toBe(303);
    expect(
      f.t.app.db
        .select()
        .from(pathRequests)
        .where(and(eq(pathRequests.id, requestId), eq(pathRequests.status, 'resolved')))
        .get(),
    ).toBeDefined();
  });

  it('an overlong note is a 422 with the note kept and nothing written', async () => {
    const head = await signedIn(f.t.app, EMAIL.head);
    await head.get('/');
    const before = snapshot(f.t.app.db);
    const response = await head.post(`/path-requests/${requestId}/resolve`, { resolution: 'y'.repeat(301) });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('id="f-resolution-error"');
    expect(response.body).toContain(`value="${'y'.repeat(301)}"`);
    expect(snapshot(f.t.app.db)).toEqual(before);
  });
});

describe('absent people', () => {
  it('someone marked absent still sees the commitments made for them on their home page', async () => {
    const f = await arrange();
    try {
      const db = f.t.app.db;
      const late = createPerson(db, null, { name: 'Late Joiner', email: 'late@a.test.school' });
      addAssignment(db, null, late, { role: 'team_member', title: null, schoolId: null, teamId: f.world.teamA });
      const lead = await signedIn(f.t.app, EMAIL.lead);
      const { person } = f.world;
      await lead.post(sessionUrl(f, LAST_WEEK), {
        week: LAST_WEEK,
        [`present_${person.lead}`]: '1',
        [`commit_${person.member}_1_text`]: 'Read with five pupils',
        [`commit_${person.member}_1_measure`]: f.m.individual,
      });
      const member = await signedIn(f.t.app, EMAIL.member);
      const home = await member.get('/');
      expect(home.body).toContain('Read with five pupils');
      expect(home.body).toContain('made while you were away');
    } finally {
      await f.t.close();
    }
  });
});
