// GET /teams/:teamId/scoreboard: the players' scoreboard says in words whether the team is winning.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveEntry } from '../../src/db/queries/measures.ts';
import { saveReading } from '../../src/db/queries/wigs.ts';
import { createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { createTeamBoard, createYear } from '../helpers/boards.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';
import { verdictsIn } from '../helpers/verdicts.ts';

let t: TestApp;
let world: World;
let teamWig: number;
let measure: number;

beforeEach(async () => {
  t = await createTestApp();
  world = await seedWorld(t.app.db);
  createYear(
    t.app.db,
    [
      ['Autumn', '2026-09-01', '2026-12-18'],
      ['Spring', '2027-01-04', '2027-03-26'],
      ['Summer', '2027-04-12', '2027-07-16'],
    ],
    [['holiday', 'Half-term', '2026-10-26', '2026-10-30']],
  );
  ({ teamWig, measure } = createTeamBoard(t.app.db, world, { trustTarget: 70 }));
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
    expect(verdictsIn(page.body)).toEqual([
      'Winning: The lag, 70%, is on pace (the line was at 64.9%); 1 of 1 lead measure hit target last week.',
    ]);
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
    expect(verdictsIn(page.body)).toEqual([
      'Losing: The lag, 61%, is behind pace (the line was at 64.9%); 0 of 1 lead measure hit target last week.',
    ]);
    expect(page.body).toContain('Behind pace');
    expect(page.body).toContain('Missed target');
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
    expect(verdictsIn(page.body)).toContain(
      'Losing: The lag, 61%, is behind pace (the line was at 64.9%); 0 of 1 lead measure hit target last week.',
    );
    expect(page.body).toContain(`/teams/${world.teamA}/scoreboard`);
    expect(verdictsIn(page.body)).toContain('No active WIG: The team has no active WIG.'); // EYFS has none
  });
});
