// Execution health (team, school, trust), commitments history, a school's RADAR, and the WIG session calendar feed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { eq } from 'drizzle-orm';
import { schoolCalendar } from '../../src/db/queries/calendar.ts';
import { hashToken } from '../../src/db/queries/auth.ts';
import { createLeadMeasure, setLeadMeasureStatus } from '../../src/db/queries/measures.ts';
import { setDisabled } from '../../src/db/queries/people.ts';
import { findTeam } from '../../src/db/queries/schools.ts';
import { createWig, setWigStatus } from '../../src/db/queries/wigs.ts';
import {
  calendarFeeds,
  commitments,
  leadEntries,
  leadMeasures,
  pathRequests,
  roleAssignments,
  wigSessions,
} from '../../src/db/schema.ts';
import { dueSessions } from '../../src/domain/cadence.ts';
import { Client, createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { createYear } from '../helpers/boards.ts';
import { PINNED_NOW } from '../helpers/clock.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';

// The suite's pinned day, Tue 24 Nov 2026 10:00: after Team A's 08:15 session (not recorded yet).
const TODAY = PINNED_NOW;
const FRAGMENT = { 'hx-request': 'true', 'hx-request-type': 'partial' };
let t: TestApp;
let world: World;

beforeEach(async () => {
  t = await createTestApp();
  world = await seedWorld(t.app.db);
  const db = t.app.db;
  createYear(
    db,
    [
      ['Autumn 1', '2026-09-01', '2026-10-23'],
      ['Autumn 2', '2026-11-02', '2026-12-18'],
      ['Spring 1', '2027-01-04', '2027-02-12'],
    ],
    [['inset', 'INSET day', '2026-12-15', '2026-12-15']],
  );
  const { person, teamA } = world;
  const session = (week: string, worked = '', didNotWork = '') =>
    db
      .insert(wigSessions)
      .values({
        teamId: teamA,
        week,
        heldAt: Date.parse(`${week}T09:00:00Z`),
        worked,
        didNotWork,
        recordedBy: person.lead,
        updatedAt: 0,
      })
      .returning()
      .get().id;
  session('2026-11-02');
  const held = session('2026-11-09', 'Reading buddies <b>twice</b> a week', 'Late starts on Monday');
  // 17 Nov: missed. 24 Nov: today, not recorded yet.
  const commit = (personId: number, week: string, text: string, outcome: 'done' | 'partly' | 'not_done' | null) =>
    db
      .insert(commitments)
      .values({ teamId: teamA, personId, week, text, outcome, sessionId: held, createdBy: person.lead, updatedAt: 0 })
      .run();
  commit(person.member, '2026-11-09', 'Hear five readers', 'done');
  commit(person.member, '2026-11-16', 'Phone two parents', 'partly');
  commit(person.lead, '2026-11-16', 'Model the starter', 'not_done');
  commit(person.member, '2026-11-23', 'Run the <em>phonics</em> catch-up', null);
  db.insert(pathRequests)
    .values({
      teamId: teamA,
      week: '2026-11-09',
      text: 'Cover for Thursday',
      assigneeId: person.head,
      status: 'resolved',
      raisedAt: 0,
    })
    .run();
  db.insert(pathRequests)
    .values({ teamId: teamA, week: '2026-11-16', text: 'Budget for books', assigneeId: person.head, raisedAt: 0 })
    .run();
});
afterEach(() => t.close());

describe('GET /teams/:teamId/health — execution health of a team', () => {
  it('a member sees the figures worked out over this academic year so far, the formula, and the trend by half-term', async () => {
    const member = await signedIn(t.app, EMAIL.member);
    const page = await member.get(`/teams/${world.teamA}/health`);
    expect(page.statusCode).toBe(200);
    // Due: 8 Tuesdays in Autumn 1 and 3, 10, 17 Nov (today's is not counted yet): 2 held of 11.
    expect(page.body).toContain('2 of 11 (18%)');
    expect(page.body).toContain('1½ of 3 (50%)'); // done, partly, not done; the open one is left out
    expect(page.body).toContain('1 of 2 (50%)');
    // (2/11 + 1.5/3 + 1/2) / 3 = 39%; no lead measures: entries have nothing due.
    expect(page.body).toContain('Health score: <strong>39%</strong>');
    expect(page.body).toContain('the mean of the four percentages above');
    expect(page.body).toMatch(/<th scope="row">Autumn 1<\/th><td[^>]*>0%<\/td><td[^>]*>0 of 8 \(0%\)/);
    expect(page.body).toMatch(/<th scope="row">Autumn 2<\/th><td[^>]*>56%<\/td><td[^>]*>2 of 3 \(67%\)/);
  });

  it('answers htmx with the partial alone, and a chosen half-term narrows the period', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const fragment = await lead.get(`/teams/${world.teamA}/health?period=2026-11-02`, FRAGMENT);
    expect(fragment.statusCode).toBe(200);
    expect(fragment.body).not.toContain('<html');
    expect(fragment.body).toMatch(/^\s*<section id="health"/);
    expect(fragment.body).toContain('from Mon 2 Nov 2026 to Tue 24 Nov 2026');
    expect(fragment.body).toContain('2 of 3 (67%)');
  });

  it('falls back to the whole year for a period it does not know, and escapes it nowhere', async () => {
    const member = await signedIn(t.app, EMAIL.member);
    const page = await member.get(
      `/teams/${world.teamA}/health?period=${encodeURIComponent('"><script>alert(1)</script>')}`,
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain('from Tue 1 Sept 2026');
  });

  it('counts lead entries due from when a measure is added: one added today owes nothing yet', async () => {
    const wig = createWig(
      t.app.db,
      world.person.lead,
      { level: 'team', schoolId: world.schoolA, teamId: world.teamA },
      {
        lagName: 'Reading',
        unit: '%',
        direction: 'increase',
        baseline: 60,
        target: 80,
        startDate: '2026-09-01',
        deadline: '2027-07-16',
        parentId: null,
      },
    );
    setWigStatus(t.app.db, world.person.lead, wig, 'active');
    createLeadMeasure(
      t.app.db,
      world.person.lead,
      wig,
      { name: 'Readers heard', kind: 'number', perPerson: true, unit: 'readers', direction: 'increase' },
      5,
      '2026-11-23',
    );
    const page = await (await signedIn(t.app, EMAIL.member)).get(`/teams/${world.teamA}/health`);
    expect(page.body).toMatch(/Lead entries on time<\/dt><dd>(nothing due|0 of \d+ \(0%\))/);
  });

  it('counts a per-person entry due for each member from when they joined, or from the first week they entered a number for', async () => {
    const db = t.app.db;
    const wig = createWig(
      db,
      world.person.lead,
      { level: 'team', schoolId: world.schoolA, teamId: world.teamA },
      {
        lagName: 'Reading',
        unit: '%',
        direction: 'increase',
        baseline: 60,
        target: 80,
        startDate: '2026-09-01',
        deadline: '2027-07-16',
        parentId: null,
      },
    );
    setWigStatus(db, world.person.lead, wig, 'active');
    const measure = createLeadMeasure(
      db,
      world.person.lead,
      wig,
      { name: 'Readers heard', kind: 'number', perPerson: true, unit: 'readers', direction: 'increase' },
      5,
      '2026-08-31',
    );
    db.update(leadMeasures)
      .set({ createdAt: Date.parse('2026-09-01T12:00:00Z') })
      .where(eq(leadMeasures.id, measure))
      .run();
    // Both joined on Fri 20 Nov; the member's numbers go back to the week of 9 Nov.
    db.update(roleAssignments)
      .set({ createdAt: Date.parse('2026-11-20T12:00:00Z') })
      .where(eq(roleAssignments.teamId, world.teamA))
      .run();
    db.insert(leadEntries)
      .values({
        leadMeasureId: measure,
        week: '2026-11-09',
        personId: world.person.member,
        value: 4,
        enteredBy: world.person.member,
        enteredAt: Date.parse('2026-11-09T12:00:00Z'),
      })
      .run();
    const page = await (await signedIn(t.app, EMAIL.member)).get(`/teams/${world.teamA}/health?period=2026-11-02`);
    // Member: the sessions of 10, 17 and 24 Nov; lead: 24 Nov only. One made before its session.
    expect(page.body).toContain('Lead entries on time</dt><dd>1 of 4 (25%)');
  });

  it('refuses people outside the team and its school', async () => {
    for (const email of [EMAIL.otherMember, EMAIL.otherHead, EMAIL.noRole]) {
      expect((await (await signedIn(t.app, email)).get(`/teams/${world.teamA}/health`)).statusCode).toBe(403);
    }
    expect((await (await signedIn(t.app, EMAIL.head)).get(`/teams/${world.teamA}/health`)).statusCode).toBe(200);
  });

  it('the team page loads it as a section, with a link that works without JavaScript', async () => {
    const page = await (await signedIn(t.app, EMAIL.member)).get(`/teams/${world.teamA}`);
    expect(page.body).toContain(`hx-get="/teams/${world.teamA}/health"`);
    expect(page.body).toContain(`href="/teams/${world.teamA}/commitments"`);
  });
});

describe('GET /schools/:schoolId/health and /trust/health', () => {
  it('a headteacher sees the school added up, team by team', async () => {
    const page = await (await signedIn(t.app, EMAIL.head)).get(`/schools/${world.schoolA}/health`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('By team');
    expect(page.body).toContain(`<a href="/teams/${world.teamA}">Year 6</a>`);
    // Year 6 (2 of 11) and EYFS (0 of 11) on the same Tuesday slot.
    expect(page.body).toContain('Sessions held</dt><dd>2 of 22 (9%)');
  });

  it('refuses another school’s headteacher and team members', async () => {
    expect((await (await signedIn(t.app, EMAIL.otherHead)).get(`/schools/${world.schoolA}/health`)).statusCode).toBe(
      403,
    );
    expect((await (await signedIn(t.app, EMAIL.member)).get(`/schools/${world.schoolA}/health`)).statusCode).toBe(403);
  });

  it('trust leaders see every school and trust team; headteachers may not', async () => {
    const page = await (await signedIn(t.app, EMAIL.ceo)).get('/trust/health');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('By school');
    expect(page.body).toContain('Ashcombe Primary');
    expect(page.body).toContain('Trust SENDCO network (trust team)');
    expect((await (await signedIn(t.app, EMAIL.head)).get('/trust/health')).statusCode).toBe(403);
    const trustPage = await (await signedIn(t.app, EMAIL.ceo)).get('/trust');
    expect(trustPage.body).toContain('hx-get="/trust/health"');
  });
});

describe('commitments history', () => {
  it('GET /teams/:teamId/commitments — the team’s commitments by week, with kept / made per person', async () => {
    const page = await (await signedIn(t.app, EMAIL.member)).get(`/teams/${world.teamA}/commitments`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('kept <strong>1½ of 3</strong>');
    expect(page.body).toContain('Week of Mon 16 Nov 2026');
    expect(page.body).toContain('Run the &lt;em&gt;phonics&lt;/em&gt; catch-up');
    expect(page.body).toContain('Not accounted for yet');
    expect(page.body).toMatch(/Test member<\/a><\/th><td>1½ \(75%\)<\/td><td>2<\/td><td>1<\/td>/);
    expect((await (await signedIn(t.app, EMAIL.otherMember)).get(`/teams/${world.teamA}/commitments`)).statusCode).toBe(
      403,
    );
  });

  it('GET /people/:personId/commitments — a person sees their own; their team leader and leaders above see them too', async () => {
    const own = await (await signedIn(t.app, EMAIL.member)).get(`/people/${world.person.member}/commitments`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('My commitments');
    expect(own.body).toContain('Hear five readers');
    for (const email of [EMAIL.lead, EMAIL.head, EMAIL.ceo]) {
      const page = await (await signedIn(t.app, email)).get(`/people/${world.person.member}/commitments`);
      expect(page.statusCode, email).toBe(200);
      expect(page.body).toContain('Commitments — Test member');
    }
  });

  it("lets team mates in (as the team's history page does); refuses other schools and strangers; an unknown person is 404", async () => {
    expect(
      (await (await signedIn(t.app, EMAIL.member)).get(`/people/${world.person.lead}/commitments`)).statusCode,
    ).toBe(200);
    expect(
      (await (await signedIn(t.app, EMAIL.otherHead)).get(`/people/${world.person.member}/commitments`)).statusCode,
    ).toBe(403);
    expect(
      (await (await signedIn(t.app, EMAIL.otherMember)).get(`/people/${world.person.member}/commitments`)).statusCode,
    ).toBe(403);
    expect((await (await signedIn(t.app, EMAIL.member)).get('/people/99999/commitments')).statusCode).toBe(404);
  });

  it('the home page links to my commitments', async () => {
    const home = await (await signedIn(t.app, EMAIL.member)).get('/');
    expect(home.body).toContain(`href="/people/${world.person.member}/commitments"`);
  });
});

describe('GET /schools/:schoolId/radar', () => {
  it('maps the school’s own data onto Results, Approaches, Deploy, Assess and Refine', async () => {
    const db = t.app.db;
    const wig = createWig(
      db,
      world.person.lead,
      { level: 'team', schoolId: world.schoolA, teamId: world.teamA },
      {
        lagName: 'Reading at the expected standard',
        unit: '%',
        direction: 'increase',
        baseline: 60,
        target: 80,
        startDate: '2026-09-01',
        deadline: '2027-07-16',
        parentId: null,
      },
    );
    setWigStatus(db, world.person.lead, wig, 'active');
    const measure = createLeadMeasure(
      db,
      world.person.lead,
      wig,
      { name: 'Parent conferences', kind: 'number', perPerson: false, unit: '', direction: 'increase' },
      3,
      '2026-08-31',
    );
    setLeadMeasureStatus(db, world.person.lead, measure, 'retired');
    const page = await (await signedIn(t.app, EMAIL.head)).get(`/schools/${world.schoolA}/radar`);
    expect(page.statusCode).toBe(200);
    for (const heading of ['Results', 'Approaches', 'Deploy', 'Assess and Refine'])
      expect(page.body).toContain(heading);
    expect(page.body).toContain('Determine the Results we are aiming to achieve');
    expect(page.body).toContain('Reading at the expected standard');
    expect(page.body).toContain('Sessions held</dt><dd>2 of 22 (9%)');
    expect(page.body).toContain('Reading buddies &lt;b&gt;twice&lt;/b&gt; a week');
    expect(page.body).toContain('Late starts on Monday');
    expect(page.body).toContain('Added “Parent conferences” (weekly target 3)');
    expect(page.body).toContain('Retired “Parent conferences”');
  });

  it('is for the school’s leaders and trust readers only', async () => {
    expect((await (await signedIn(t.app, EMAIL.ceo)).get(`/schools/${world.schoolA}/radar`)).statusCode).toBe(200);
    expect((await (await signedIn(t.app, EMAIL.otherHead)).get(`/schools/${world.schoolA}/radar`)).statusCode).toBe(
      403,
    );
    expect((await (await signedIn(t.app, EMAIL.lead)).get(`/schools/${world.schoolA}/radar`)).statusCode).toBe(403);
    const school = await (await signedIn(t.app, EMAIL.head)).get(`/schools/${world.schoolA}`);
    expect(school.body).toContain(`href="/schools/${world.schoolA}/radar"`);
    expect(school.body).toContain(`hx-get="/schools/${world.schoolA}/health"`);
  });
});

describe('the WIG session calendar feed', () => {
  const tokenIn = (body: string) => /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(body)?.[1] ?? null;
  const feeds = () => t.app.db.select().from(calendarFeeds).all();
  const fetchFeed = (token: string) => new Client(t.app).get(`/calendar/${token}.ics`);

  it('POST /teams/:teamId/calendar — a member makes a link shown once; only its hash is kept; the public feed lists the due sessions', async () => {
    const member = await signedIn(t.app, EMAIL.member);
    await member.get(`/teams/${world.teamA}`);
    const made = await member.post(`/teams/${world.teamA}/calendar`);
    expect(made.statusCode).toBe(201);
    const token = tokenIn(made.body)!;
    expect(token).not.toBeNull();
    const rows = feeds();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      personId: world.person.member,
      teamId: world.teamA,
      tokenHash: hashToken(token),
      revokedAt: null,
    });
    expect(JSON.stringify(t.app.db.select().from(calendarFeeds).all())).not.toContain(token);

    const feed = await fetchFeed(token);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const events = new ICAL.Component(ICAL.parse(feed.body))
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v));
    const team = findTeam(t.app.db, world.teamA)!;
    const due = dueSessions(team, { start: '2026-09-01', end: '2027-08-31' }, schoolCalendar(t.app.db, world.schoolA));
    expect(events).toHaveLength(due.length);
    const days = events.map((e) => e.startDate.toJSDate().toISOString().slice(0, 10));
    expect(days).toContain('2026-11-24');
    expect(days).not.toContain('2026-10-27'); // half-term
    expect(days).not.toContain('2026-12-15'); // INSET day
    expect(events[0]!.summary).toBe('WIG session — Year 6');
    expect(feed.body).not.toMatch(/Test member|Hear five readers/);
    expect(feeds()[0]!.lastUsedAt).toBe(TODAY);

    // The team page no longer shows the link: it was shown once.
    const again = await member.get(`/teams/${world.teamA}/calendar`);
    expect(tokenIn(again.body)).toBeNull();
    expect(again.body).toContain('Stop this feed');
  });

  it('a new link revokes the old one; "stop this feed" revokes the new one', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    await lead.get(`/teams/${world.teamA}/calendar`);
    const first = tokenIn((await lead.post(`/teams/${world.teamA}/calendar`)).body)!;
    const second = tokenIn((await lead.post(`/teams/${world.teamA}/calendar`)).body)!;
    expect((await fetchFeed(first)).statusCode).toBe(404);
    expect((await fetchFeed(second)).statusCode).toBe(200);
    expect(feeds().filter((f) => f.revokedAt === null)).toHaveLength(1);

    const stopped = await lead.post(`/teams/${world.teamA}/calendar/stop`);
    expect(stopped.statusCode).toBe(303);
    expect(stopped.headers.location).toBe(`/teams/${world.teamA}/calendar`);
    expect(feeds().every((f) => f.revokedAt === TODAY)).toBe(true);
    expect((await fetchFeed(second)).statusCode).toBe(404);
  });

  it('an unknown token, a disabled person or someone who has left the team gets 404', async () => {
    expect((await fetchFeed('A'.repeat(43))).statusCode).toBe(404);
    expect((await fetchFeed('short')).statusCode).toBe(404);
    const member = await signedIn(t.app, EMAIL.member);
    await member.get(`/teams/${world.teamA}/calendar`);
    const token = tokenIn((await member.post(`/teams/${world.teamA}/calendar`)).body)!;
    setDisabled(t.app.db, null, world.person.member, true);
    expect((await fetchFeed(token)).statusCode).toBe(404);
  });

  it('refuses people outside the team and a form without its CSRF token, changing nothing', async () => {
    const other = await signedIn(t.app, EMAIL.otherMember);
    await other.get('/');
    expect((await other.post(`/teams/${world.teamA}/calendar`)).statusCode).toBe(403);
    const member = await signedIn(t.app, EMAIL.member);
    expect((await member.post(`/teams/${world.teamA}/calendar`, {}, { csrf: false })).statusCode).toBe(403);
    expect(feeds()).toHaveLength(0);
    expect(t.app.db.select().from(calendarFeeds).where(eq(calendarFeeds.teamId, world.teamA)).all()).toHaveLength(0);
  });
});
