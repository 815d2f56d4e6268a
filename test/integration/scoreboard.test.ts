// GET /teams/:teamId/scoreboard: the players' scoreboard says in words whether the team is winning.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAcademicYear, createClosure, createTerm } from '../../src/db/queries/calendar.ts';
import { createLeadMeasure, saveEntry } from '../../src/db/queries/measures.ts';
import { createWig, saveReading, setWigStatus } from '../../src/db/queries/wigs.ts';
import { createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';

const TODAY = Date.UTC(2026, 10, 24, 10); // Tue 24 Nov 2026
let t: TestApp;
let world: World;
let teamWig: number;
let measure: number;

beforeEach(async () => {
  t = await createTestApp({}, { now: () => TODAY });
  world = await seedWorld(t.app.db);
  const db = t.app.db;
  const year = createAcademicYear(db, null, { name: '2026–27', startDate: '2026-09-01', endDate: '2027-08-31' });
  createTerm(db, null, year, { name: 'Autumn', startDate: '2026-09-01', endDate: '2026-12-18' });
  createClosure(db, null, null, 'holiday', { name: 'Half-term', startDate: '2026-10-26', endDate: '2026-10-30' });
  createTerm(db, null, year, { name: 'Spring', startDate: '2027-01-04', endDate: '2027-03-26' });
  createTerm(db, null, year, { name: 'Summer', startDate: '2027-04-12', endDate: '2027-07-16' });
  const base = { unit: '%', direction: 'increase' as const, startDate: '2026-09-01', deadline: '2027-07-16' };
  const trust = createWig(
    db,
    world.person.ceo,
    { level: 'trust', schoolId: null, teamId: null },
    { ...base, lagName: 'Trust', baseline: 60, target: 70, parentId: null },
  );
  setWigStatus(db, world.person.ceo, trust, 'active');
  teamWig = createWig(
    db,
    world.person.lead,
    { level: 'team', schoolId: world.schoolA, teamId: world.teamA },
    { ...base, lagName: 'Reading at the expected standard', baseline: 60, target: 80, parentId: trust },
  );
  setWigStatus(db, world.person.lead, teamWig, 'active');
  measure = createLeadMeasure(
    db,
    world.person.lead,
    teamWig,
    { name: 'Parent conferences', kind: 'number', perPerson: false, unit: 'conferences', direction: 'increase' },
    3,
    '2026-08-31',
  );
});
afterEach(() => t.close());

describe('GET /teams/:teamId/scoreboard', () => {
  it('a member sees "Winning" when last week met the target and the lag is ahead of its pace line', async () => {
    for (const week of ['2026-10-19', '2026-11-02', '2026-11-16'])
      saveEntry(t.app.db, world.person.lead, measure, week, null, 3);
    saveReading(t.app.db, world.person.lead, teamWig, '2026-11-13', 70, null);
    const member = await signedIn(t.app, EMAIL.member);
    const page = await member.get(`/teams/${world.teamA}/scoreboard`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Winning — 1 of 1 lead measure on target, lag ahead of pace');
    expect(page.body).toContain('From 60% to 80% by 16 Jul 2027');
    expect(page.body).toMatch(/<svg class="chart"[^>]*role="img"/);
    // The last four school weeks skip half-term (26 Oct): 19 Oct, 2, 9 and 16 Nov, with nothing entered on 9 Nov.
    expect(page.body).toContain('Target met in 3 of the last 4 school weeks');
  });

  it('says "Losing" when last week missed the target, and names the lag behind pace', async () => {
    saveEntry(t.app.db, world.person.lead, measure, '2026-11-16', null, 1);
    saveReading(t.app.db, world.person.lead, teamWig, '2026-11-13', 61, null);
    const lead = await signedIn(t.app, EMAIL.lead);
    const page = await lead.get(`/teams/${world.teamA}/scoreboard`);
    expect(page.body).toContain('Losing — 0 of 1 lead measure on target, lag behind pace');
    expect(page.body).toContain('Off track');
  });

  it('is refused to a member of another team', async () => {
    const other = await signedIn(t.app, EMAIL.otherMember);
    expect((await other.get(`/teams/${world.teamA}/scoreboard`)).statusCode).toBe(403);
  });
});

describe('GET /schools/:schoolId', () => {
  it("shows each team's banner, as its scoreboard works it out", async () => {
    saveEntry(t.app.db, world.person.lead, measure, '2026-11-16', null, 1);
    saveReading(t.app.db, world.person.lead, teamWig, '2026-11-13', 61, null);
    const head = await signedIn(t.app, EMAIL.head);
    const page = await head.get(`/schools/${world.schoolA}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Losing — 0 of 1 lead measure on target, lag behind pace');
    expect(page.body).toContain(`/teams/${world.teamA}/scoreboard`);
    expect(page.body).toContain('No active WIG.'); // EYFS has none
  });
});
