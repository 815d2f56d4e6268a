// The views above a team: a school's page (every team winning or losing, latest week, trend), the trust page, and the
// aligned WIG tree (trust → school → team), with their access rules.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAcademicYear, createClosure, createTerm } from '../../src/db/queries/calendar.ts';
import { createLeadMeasure, saveEntry } from '../../src/db/queries/measures.ts';
import { createTeam, findSchool } from '../../src/db/queries/schools.ts';
import { createWig, saveReading, setWigStatus } from '../../src/db/queries/wigs.ts';
import { schoolOverview, trustOverview, wigTree } from '../../src/read-models/overview.ts';
import { Client, createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { verdictsIn } from '../helpers/verdicts.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';

const TODAY = Date.UTC(2026, 10, 24, 10); // Tue 24 Nov 2026
const DAY = '2026-11-24';
let t: TestApp;
let world: World;
const ids = { trust: 0, school: 0, teamA: 0, teamB: 0, draft: 0 };

beforeEach(async () => {
  t = await createTestApp({}, { now: () => TODAY });
  world = await seedWorld(t.app.db);
  const db = t.app.db;
  const { person } = world;
  const year = createAcademicYear(db, null, { name: '2026–27', startDate: '2026-09-01', endDate: '2027-08-31' });
  createTerm(db, null, year, { name: 'Autumn', startDate: '2026-09-01', endDate: '2026-12-18' });
  createClosure(db, null, null, 'holiday', { name: 'Half-term', startDate: '2026-10-26', endDate: '2026-10-30' });
  createTerm(db, null, year, { name: 'Summer', startDate: '2027-04-12', endDate: '2027-07-16' });
  const base = {
    unit: '%',
    direction: 'increase' as const,
    startDate: '2026-09-01',
    deadline: '2027-07-16',
    baseline: 60,
    target: 80,
  };
  const active = (by: number, id: number) => {
    setWigStatus(db, by, id, 'active');
    return id;
  };
  ids.trust = active(
    person.ceo,
    createWig(
      db,
      person.ceo,
      { level: 'trust', schoolId: null, teamId: null },
      { ...base, lagName: 'Pupils reading at the expected standard', parentId: null },
    ),
  );
  ids.school = active(
    person.head,
    createWig(
      db,
      person.head,
      { level: 'school', schoolId: world.schoolA, teamId: null },
      { ...base, lagName: 'Ashcombe readers', parentId: ids.trust },
    ),
  );
  ids.teamA = active(
    person.lead,
    createWig(
      db,
      person.lead,
      { level: 'team', schoolId: world.schoolA, teamId: world.teamA },
      { ...base, lagName: 'Year 6 reading', parentId: ids.school },
    ),
  );
  // Key Stage 1 (school B) serves the trust WIG directly.
  ids.teamB = active(
    person.admin,
    createWig(
      db,
      person.admin,
      { level: 'team', schoolId: world.schoolB, teamId: world.teamB },
      { ...base, lagName: 'KS1 phonics', parentId: ids.trust },
    ),
  );
  ids.draft = createWig(
    db,
    person.head,
    { level: 'school', schoolId: world.schoolA, teamId: null },
    { ...base, lagName: 'A draft school WIG', parentId: ids.trust },
  );
  const measureA = createLeadMeasure(
    db,
    person.lead,
    ids.teamA,
    { name: 'Reading conferences', kind: 'number', perPerson: false, unit: 'conferences', direction: 'increase' },
    3,
    '2026-08-31',
  );
  const measureB = createLeadMeasure(
    db,
    person.admin,
    ids.teamB,
    { name: 'Phonics checks', kind: 'number', perPerson: false, unit: 'checks', direction: 'increase' },
    10,
    '2026-08-31',
  );
  // Year 6 is winning: every recent week met, lag ahead of pace. Key Stage 1 is losing: last week missed, lag behind.
  for (const week of ['2026-10-19', '2026-11-02', '2026-11-09', '2026-11-16'])
    saveEntry(db, person.lead, measureA, week, null, 3);
  saveEntry(db, person.lead, measureA, '2026-11-23', null, 2);
  saveReading(db, person.lead, ids.teamA, '2026-11-13', 72, null);
  saveEntry(db, person.admin, measureB, '2026-11-16', null, 4);
  saveReading(db, person.admin, ids.teamB, '2026-11-13', 61, null);
  saveReading(db, person.ceo, ids.trust, '2026-11-13', 62, null);
});
afterEach(() => t.close());

describe('GET /schools/:schoolId — every team winning or losing', () => {
  it("a head sees each team's verdict, latest week and trend, the school's WIGs with theirs, and drills down to a scoreboard", async () => {
    const head = await signedIn(t.app, EMAIL.head);
    const page = await head.get(`/schools/${world.schoolA}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/overview-team--winning[\s\S]*?Year 6[\s\S]*?Winning/);
    expect(page.body).toContain(`/teams/${world.teamA}/scoreboard`);
    expect(verdictsIn(page.body)).toEqual([
      // The school's own WIG, with no reading and no lead measures yet.
      'No numbers yet: No lag reading yet.',
      // EYFS has no WIG: said in words, not counted as winning.
      'No active WIG: The team has no active WIG.',
      'Winning: Year 6 reading is winning.',
      'Winning: The lag, 72%, is on pace (the line was at 66.9%); 1 of 1 lead measure hit target last week.',
    ]);
    expect(page.body).toContain('This week 2 of 3 · last week 3 of 3');
    expect(page.body).toContain('met 4 of 4 weeks');
    expect(page.body).toContain(
      'Lead measures that hit target last week: 1 of 1. Over the last 4 school weeks: 4 of 4 weeks on target.',
    );
    expect(page.body).toMatch(/overview-team--no_wig[\s\S]*?EYFS[\s\S]*?No active WIG/);
    expect(page.body).toMatch(/▲ <\/span>1 team winning/);
    expect(page.body).toMatch(/▼ <\/span>0 losing/);
    // The school's own WIG with its verdict (no reading yet), and a link to the school's tree.
    expect(page.body).toMatch(
      /Ashcombe readers<\/a>[^<]*<span class="muted">[^<]*<\/span>\s*<details class="verdict verdict--no_data">/,
    );
    expect(page.body).toContain(`/schools/${world.schoolA}/tree`);
  });

  it('says "Losing" for a team that missed last week, with the lag behind pace', async () => {
    const otherHead = await signedIn(t.app, EMAIL.otherHead);
    const page = await otherHead.get(`/schools/${world.schoolB}`);
    expect(page.body).toMatch(/overview-team--losing[\s\S]*?Key Stage 1[\s\S]*?Losing/);
    expect(verdictsIn(page.body)).toEqual([
      'Losing: KS1 phonics is losing.',
      'Losing: The lag, 61%, is behind pace (the line was at 66.9%); 0 of 1 lead measure hit target last week.',
    ]);
    expect(page.body).toContain('This week — · last week 4 of 10');
    expect(page.body).toMatch(/▼ <\/span>1 losing/);
  });

  it('is rendered once per change: a saved reading shows on the next view', async () => {
    const head = await signedIn(t.app, EMAIL.head);
    expect((await head.get(`/schools/${world.schoolA}`)).body).toMatch(/▲ <\/span>1 team winning/);
    const lead = await signedIn(t.app, EMAIL.lead);
    expect(
      (await lead.post(`/wigs/${ids.teamA}/readings`, { date: '2026-11-23', value: '60', note: '' })).statusCode,
    ).toBe(303);
    const after = (await head.get(`/schools/${world.schoolA}`)).body;
    expect(verdictsIn(after)).toContain(
      'Losing: The lag, 60%, is behind pace (the line was at 67.7%); 1 of 1 lead measure hit target last week.',
    );
    expect(after).toMatch(/▼ <\/span>1 losing/);
    const ceo = await signedIn(t.app, EMAIL.ceo);
    expect(verdictsIn((await ceo.get('/trust/tree')).body)).toContain(
      'Losing: The lag, 60%, is behind pace (the line was at 67.7%); 1 of 1 lead measure hit target last week.',
    );
  });

  it('schoolOverview reads the same states as the page, without the request', () => {
    const o = schoolOverview(t.app.db, findSchool(t.app.db, world.schoolA)!, DAY);
    expect(o.teams.map((x) => [x.team.name, x.judgement.verdict])).toEqual([
      ['EYFS', 'no_wig'],
      ['Year 6', 'winning'],
    ]);
    expect(o.counts).toEqual({ winning: 1, losing: 0, no_data: 0, no_wig: 1 });
    expect(o.wigs.map((w) => w.wig.id)).toEqual([ids.school]); // the draft is not shown
  });
});

describe('GET /trust — every school summed up', () => {
  it("a trust leader sees each school's teams winning and losing, its WIGs and the trust's, and drills down to a school", async () => {
    const ceo = await signedIn(t.app, EMAIL.ceo);
    const page = await ceo.get('/trust');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/trust" aria-current="page"');
    expect(page.body).toMatch(
      /Pupils reading at the expected standard<\/a>[^<]*<span class="muted">[^<]*<\/span>\s*<details class="verdict verdict--losing">/,
    );
    expect(verdictsIn(page.body)[0]).toBe(
      'Losing: The lag, 62%, is behind pace (the line was at 66.9%); no lead measures.',
    );
    const ashcombe = page.body.slice(
      page.body.indexOf(`href="/schools/${world.schoolA}"`),
      page.body.indexOf(`href="/schools/${world.schoolB}"`),
    );
    expect(ashcombe).toMatch(/1 team winning/);
    expect(ashcombe).toMatch(/0 losing/);
    expect(ashcombe).toContain('Ashcombe readers');
    const brookfield = page.body.slice(page.body.indexOf(`href="/schools/${world.schoolB}"`));
    expect(brookfield).toMatch(/0 teams winning/);
    expect(brookfield).toMatch(/1 losing/);
    expect(brookfield).toContain('Lead measures that hit target last week: 0 of 1.');
    expect(page.body).toContain('href="/trust/tree"');
  });

  it('trustOverview counts the teams of every school', () => {
    const o = trustOverview(t.app.db, DAY);
    expect(o.schools.map((s) => [s.school.name, s.counts])).toEqual([
      ['Ashcombe Primary', { winning: 1, losing: 0, no_data: 0, no_wig: 1 }],
      ['Brookfield Primary', { winning: 0, losing: 1, no_data: 0, no_wig: 0 }],
    ]);
    expect(o.trustTeams.map((x) => x.judgement.verdict)).toEqual(['no_wig']);
  });
});

describe('the builders read in set-based queries', () => {
  /** How many SQL statements `run` prepares: drizzle prepares one per query it runs. */
  const statements = (run: () => void) => {
    const client = t.app.db.$client;
    const prepare = client.prepare.bind(client);
    let n = 0;
    client.prepare = ((source: string) => {
      n++;
      return prepare(source);
    }) as typeof client.prepare;
    try {
      run();
    } finally {
      client.prepare = prepare;
    }
    return n;
  };

  it('reads the same few statements whatever the number of teams and of past entries', () => {
    const db = t.app.db;
    const before = { trust: statements(() => trustOverview(db, DAY)), tree: statements(() => wigTree(db, DAY)) };
    expect(before.trust).toBeGreaterThan(3);
    expect(before.trust).toBeLessThanOrEqual(12);
    for (let i = 0; i < 9; i++) {
      const team = createTeam(db, null, world.schoolB, {
        name: `Extra ${i}`,
        sessionWeekday: 1,
        sessionTime: '08:00',
        sessionMinutes: 20,
      });
      const wig = createWig(
        db,
        world.person.admin,
        { level: 'team', schoolId: world.schoolB, teamId: team },
        {
          unit: '%',
          direction: 'increase',
          startDate: '2026-09-01',
          deadline: '2027-07-16',
          baseline: 1,
          target: 2,
          lagName: `Extra ${i}`,
          parentId: ids.trust,
        },
      );
      setWigStatus(db, world.person.admin, wig, 'active');
      const m = createLeadMeasure(
        db,
        world.person.admin,
        wig,
        { name: 'Visits', kind: 'number', perPerson: false, unit: 'visits', direction: 'increase' },
        1,
        '2026-08-31',
      );
      for (const week of ['2026-09-07', '2026-09-14', '2026-11-16'])
        saveEntry(db, world.person.admin, m, week, null, 1);
      saveReading(db, world.person.admin, wig, '2026-09-10', 1, null);
    }
    expect(statements(() => trustOverview(db, DAY))).toBe(before.trust);
    expect(statements(() => wigTree(db, DAY))).toBe(before.tree);
    expect(trustOverview(db, DAY).schools[1]!.teams).toHaveLength(10);
  });
});

describe('GET /trust/tree — the aligned WIG tree', () => {
  it('nests trust WIGs → school WIGs → team WIGs, each with its verdict and why, as their scoreboards say it', async () => {
    const tree = wigTree(t.app.db, DAY);
    expect(tree.roots.map((r) => r.wig.id)).toEqual([ids.trust]);
    const [trust] = tree.roots;
    expect(trust!.children.map((c) => c.wig.id)).toEqual([ids.school, ids.teamB]);
    expect(trust!.children[0]!.children.map((c) => c.wig.id)).toEqual([ids.teamA]);
    expect(trust!.teamWigs).toEqual({ met: 1, of: 2 });

    const ceo = await signedIn(t.app, EMAIL.ceo);
    const page = await ceo.get('/trust/tree');
    expect(page.statusCode).toBe(200);
    const html = page.body;
    // Nesting in the markup: the team WIG's list item sits inside the school WIG's, inside the trust WIG's.
    const at = (text: string) => html.indexOf(text);
    expect(at('Pupils reading at the expected standard')).toBeLessThan(at('Ashcombe readers'));
    expect(at('Ashcombe readers')).toBeLessThan(at('Year 6 reading'));
    const between = html.slice(at('Pupils reading at the expected standard'), at('Year 6 reading'));
    expect(between.match(/<ul class="wig-tree__list">/g)).toHaveLength(2);
    expect(between).not.toContain('</ul>');
    expect(html).toMatch(/<h2 class="tree-node__title">[\s\S]*?Trust WIG · The trust/);
    expect(html).toMatch(/<h3 class="tree-node__title">[\s\S]*?School WIG · Ashcombe Primary/);
    expect(html).toMatch(/<h4 class="tree-node__title">[\s\S]*?Team WIG · Year 6 — Ashcombe Primary/);
    expect(html).toContain('From 60% to 80% by 16 Jul 2027');
    // Every WIG of the tree with its verdict, trust → school → team, in the scoreboard's words.
    expect(verdictsIn(html)).toEqual([
      'Losing: The lag, 62%, is behind pace (the line was at 66.9%); no lead measures.',
      'No numbers yet: No lag reading yet.',
      'Winning: The lag, 72%, is on pace (the line was at 66.9%); 1 of 1 lead measure hit target last week.',
      'Losing: The lag, 61%, is behind pace (the line was at 66.9%); 0 of 1 lead measure hit target last week.',
    ]);
    expect(html).toContain('1 of 2 team WIGs below winning');
    expect(html).toContain(`href="/teams/${world.teamA}/scoreboard"`);
    expect(html).not.toContain('A draft school WIG');
  });

  it("a head reads their own school's tree: its WIGs under the trust WIG they serve, and no other school's", async () => {
    const head = await signedIn(t.app, EMAIL.head);
    const page = await head.get(`/schools/${world.schoolA}/tree`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Pupils reading at the expected standard');
    expect(page.body).toContain('Year 6 reading');
    expect(page.body).not.toContain('KS1 phonics');
    expect(page.body).not.toContain('Brookfield');
  });
});

describe('access to the overviews', () => {
  const cases: [string, keyof typeof EMAIL | null, number][] = [
    ['/trust', 'ceo', 200],
    ['/trust', 'admin', 200],
    ['/trust', 'head', 403],
    ['/trust', 'member', 403],
    ['/trust/tree', 'admin', 200],
    ['/trust/tree', 'head', 403],
    ['/trust/tree', 'lead', 403],
    ['/trust/tree', 'member', 403],
    ['SCHOOL_A_TREE', 'head', 200],
    ['SCHOOL_A_TREE', 'ceo', 200],
    ['SCHOOL_B_TREE', 'head', 403],
    ['SCHOOL_A_TREE', 'member', 403],
  ];
  it.each(cases)('GET %s as %s answers %i', async (path, role, status) => {
    const url = path
      .replace('SCHOOL_A_TREE', `/schools/${world.schoolA}/tree`)
      .replace('SCHOOL_B_TREE', `/schools/${world.schoolB}/tree`);
    const client = await signedIn(t.app, EMAIL[role!]);
    expect((await client.get(url)).statusCode).toBe(status);
  });

  it('signed out, each page sends to sign in', async () => {
    for (const url of ['/trust', '/trust/tree', `/schools/${world.schoolA}/tree`]) {
      const response = await new Client(t.app).get(url);
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
  });

  it('a school tree of an unknown school is a 404', async () => {
    const ceo = await signedIn(t.app, EMAIL.ceo);
    expect((await ceo.get('/schools/99999/tree')).statusCode).toBe(404);
  });

  it('the navigation offers the trust page to trust readers only', async () => {
    expect((await (await signedIn(t.app, EMAIL.ceo)).get('/')).body).toContain('href="/trust"');
    expect((await (await signedIn(t.app, EMAIL.head)).get('/')).body).not.toContain('href="/trust"');
  });
});
