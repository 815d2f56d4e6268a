// WIGs through the pages: From X to Y by When, the two-WIG cap, alignment, veto, lag readings and lead measures.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createWig, findWig, setWigStatus } from '../../src/db/queries/wigs.ts';
import { lagReadings, leadMeasures, leadTargets, wigs } from '../../src/db/schema.ts';
import { createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { auditCount, lastAudit } from '../helpers/db.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';

const TODAY = Date.UTC(2026, 10, 24, 10); // Tue 24 Nov 2026
let t: TestApp;
let world: World;
let trustWig: number;
let schoolWig: number;

const teamWigForm = (over: Record<string, string | number> = {}) => ({
  lagName: 'Year 6 pupils at the expected standard in reading',
  baseline: '72',
  target: '85',
  unit: '%',
  direction: 'increase',
  startDate: '2026-09-07',
  deadline: '2027-07-16',
  parentId: schoolWig,
  intent: 'activate',
  ...over,
});

beforeEach(async () => {
  t = await createTestApp({ LOG_LEVEL: process.env.TEST_LOG ?? 'silent' }, { now: () => TODAY });
  world = await seedWorld(t.app.db);
  const base = { unit: '%', direction: 'increase' as const, startDate: '2026-09-01', deadline: '2027-07-20' };
  trustWig = createWig(
    t.app.db,
    world.person.ceo,
    { level: 'trust', schoolId: null, teamId: null },
    { ...base, lagName: 'KS2 combined', baseline: 61, target: 70, parentId: null },
  );
  setWigStatus(t.app.db, world.person.ceo, trustWig, 'active');
  schoolWig = createWig(
    t.app.db,
    world.person.head,
    { level: 'school', schoolId: world.schoolA, teamId: null },
    { ...base, lagName: 'Reading at Ashcombe', baseline: 70, target: 80, parentId: trustWig },
  );
  setWigStatus(t.app.db, world.person.head, schoolWig, 'active');
});
afterEach(() => t.close());

describe('setting a team WIG', () => {
  it('POST /teams/:teamId/wigs — the team leader sets an active WIG, shown as "From 72% to 85% by 16 Jul 2027"', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const response = await lead.post(`/teams/${world.teamA}/wigs`, teamWigForm());
    expect(response.statusCode).toBe(303);
    const id = Number(/\/wigs\/(\d+)/.exec(response.headers.location as string)![1]);
    expect(findWig(t.app.db, id)).toMatchObject({
      level: 'team',
      teamId: world.teamA,
      schoolId: world.schoolA,
      status: 'active',
      baseline: 72,
      target: 85,
      parentId: schoolWig,
    });
    expect(lastAudit(t.app.db)).toMatchObject({ action: 'status', entity: 'wig', after: { status: 'active' } });
    const page = await lead.get(`/wigs/${id}`);
    expect(page.body).toContain('From 72% to 85% by 16 Jul 2027');
    const member = await signedIn(t.app, EMAIL.member);
    expect((await member.get(`/teams/${world.teamA}`)).body).toContain('From 72% to 85% by 16 Jul 2027');
  });

  it('refuses to activate without X, Y, When, unit and a consistent direction, keeping what was typed and saving nothing', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const before = t.app.db.select().from(wigs).all().length;
    const cases: [Record<string, string | number>, RegExp][] = [
      [{ baseline: '' }, /Enter where you are now/],
      [{ deadline: '' }, /Enter the deadline/],
      [{ direction: 'decrease' }, /above the start/],
      [{ deadline: '2026-09-01' }, /after the start date/],
      [{ baseline: 'seventy' }, /must be a number/],
      [{ deadline: '2027-02-30' }, /real date/],
      [{ parentId: '' }, /Choose the WIG this one serves/],
      [{ parentId: trustWig + 1000 }, /Choose the WIG this one serves/],
    ];
    for (const [over, message] of cases) {
      const response = await lead.post(`/teams/${world.teamA}/wigs`, teamWigForm(over));
      expect(response.statusCode, JSON.stringify(over)).toBe(422);
      expect(response.body).toMatch(message);
      expect(response.body).toContain('value="Year 6 pupils at the expected standard in reading"');
    }
    expect(t.app.db.select().from(wigs).all()).toHaveLength(before);
  });

  it('a draft may be saved without the full formula', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const response = await lead.post(
      `/teams/${world.teamA}/wigs`,
      teamWigForm({ baseline: '', target: '', intent: 'draft' }),
    );
    expect(response.statusCode).toBe(303);
    expect(t.app.db.select().from(wigs).where(eq(wigs.status, 'draft')).all()).toHaveLength(1);
  });

  it('refuses a third active WIG for a team with a clear message; it may stay a draft', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    for (const name of ['First', 'Second'])
      expect((await lead.post(`/teams/${world.teamA}/wigs`, teamWigForm({ lagName: name }))).statusCode).toBe(303);
    const third = await lead.post(`/teams/${world.teamA}/wigs`, teamWigForm({ lagName: 'Third' }));
    expect(third.statusCode).toBe(422);
    expect(third.body).toContain('This team already has 2 active WIGs');
    expect(
      (await lead.post(`/teams/${world.teamA}/wigs`, teamWigForm({ lagName: 'Third', intent: 'draft' }))).statusCode,
    ).toBe(303);
    const draft = t.app.db.select().from(wigs).where(eq(wigs.lagName, 'Third')).get()!;
    const activate = await lead.post(`/wigs/${draft.id}/status`, { status: 'active' });
    expect(activate.statusCode).toBe(422);
    expect(activate.body).toContain('already has 2 active WIGs');
    expect(findWig(t.app.db, draft.id)!.status).toBe('draft');
  });

  it("a team WIG cannot serve another school's WIG", async () => {
    const otherSchoolWig = createWig(
      t.app.db,
      null as unknown as number,
      { level: 'school', schoolId: world.schoolB, teamId: null },
      {
        lagName: 'B',
        unit: '%',
        direction: 'increase',
        baseline: 1,
        target: 2,
        startDate: '2026-09-01',
        deadline: '2027-07-01',
        parentId: trustWig,
      },
    );
    setWigStatus(t.app.db, world.person.otherHead, otherSchoolWig, 'active');
    const lead = await signedIn(t.app, EMAIL.lead);
    const response = await lead.post(`/teams/${world.teamA}/wigs`, teamWigForm({ parentId: otherSchoolWig }));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('serves a WIG of its own school or of the trust');
  });
});

describe('veto', () => {
  it('the headteacher vetoes a team WIG with a reason the team sees; the WIG is not rewritten', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    await lead.post(`/teams/${world.teamA}/wigs`, teamWigForm());
    const wig = t.app.db.select().from(wigs).where(eq(wigs.level, 'team')).get()!;
    const head = await signedIn(t.app, EMAIL.head);
    expect((await head.post(`/wigs/${wig.id}/veto`, { reason: 'x' })).statusCode).toBe(422);
    expect(
      (await head.post(`/wigs/${wig.id}/veto`, { reason: 'Aim at the school reading WIG, not phonics' })).statusCode,
    ).toBe(303);
    expect(findWig(t.app.db, wig.id)).toMatchObject({
      status: 'draft',
      vetoReason: 'Aim at the school reading WIG, not phonics',
      vetoedBy: world.person.head,
      lagName: wig.lagName,
      target: 85,
    });
    expect((await lead.get(`/teams/${world.teamA}`)).body).toContain('Aim at the school reading WIG, not phonics');
    // The headteacher may veto but not edit the team's WIG.
    expect((await head.get(`/wigs/${wig.id}/edit`)).statusCode).toBe(403);
    // Making it active again clears the veto.
    expect((await lead.post(`/wigs/${wig.id}/status`, { status: 'active' })).statusCode).toBe(303);
    expect(findWig(t.app.db, wig.id)).toMatchObject({ status: 'active', vetoReason: null });
  });
});

describe('lag readings', () => {
  it('are saved by the team leader, and a correction keeps the old value in the audit log', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    await lead.post(`/teams/${world.teamA}/wigs`, teamWigForm());
    const wig = t.app.db.select().from(wigs).where(eq(wigs.level, 'team')).get()!;
    expect(
      (await lead.post(`/wigs/${wig.id}/readings`, { date: '2026-11-20', value: '74', note: 'Autumn mock' }))
        .statusCode,
    ).toBe(303);
    expect(
      (
        await lead.post(`/wigs/${wig.id}/readings`, {
          date: '2026-11-20',
          value: '75.5',
          note: 'Autumn mock, re-marked',
        })
      ).statusCode,
    ).toBe(303);
    expect(t.app.db.select().from(lagReadings).all()).toMatchObject([
      { date: '2026-11-20', value: 75.5, note: 'Autumn mock, re-marked', enteredBy: world.person.lead },
    ]);
    expect(lastAudit(t.app.db)).toMatchObject({
      action: 'correct',
      entity: 'lag_reading',
      actorId: world.person.lead,
      before: { value: 74 },
      after: { value: 75.5 },
    });
    const future = await lead.post(`/wigs/${wig.id}/readings`, { date: '2026-12-01', value: '80' });
    expect(future.statusCode).toBe(422);
    expect(future.body).toContain('cannot be dated in the future');
  });
});

describe('lead measures', () => {
  it('one to three per WIG; a changed target starts next week and past weeks keep theirs', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    await lead.post(`/teams/${world.teamA}/wigs`, teamWigForm());
    const wig = t.app.db.select().from(wigs).where(eq(wigs.level, 'team')).get()!;
    const add = (name: string, kind: string, target: string) =>
      lead.post(`/wigs/${wig.id}/measures`, { name, kind, unit: 'conferences', direction: 'increase', target });
    expect((await add('Reading conferences', 'individual', '5')).statusCode).toBe(303);
    expect((await add('Parent conferences', 'team', '3')).statusCode).toBe(303);
    expect((await add('Retrieval quiz every lesson', 'daily', '100')).statusCode).toBe(303);
    const fourth = await add('One too many', 'team', '1');
    expect(fourth.statusCode).toBe(422);
    expect(fourth.body).toContain('at most 3 active lead measures');
    const measures = t.app.db.select().from(leadMeasures).all();
    expect(measures.map((m) => [m.kind, m.perPerson])).toEqual([
      ['number', true],
      ['number', false],
      ['daily', true],
    ]);
    const reading = measures[0]!;
    expect(t.app.db.select().from(leadTargets).where(eq(leadTargets.leadMeasureId, reading.id)).all()).toMatchObject([
      { fromWeek: '2026-09-07', target: 5 },
    ]);

    expect(
      (await lead.post(`/measures/${reading.id}`, { name: 'Reading conferences', unit: 'conferences', target: '6' }))
        .statusCode,
    ).toBe(303);
    expect(t.app.db.select().from(leadTargets).where(eq(leadTargets.leadMeasureId, reading.id)).all()).toMatchObject([
      { fromWeek: '2026-09-07', target: 5 },
      { fromWeek: '2026-11-30', target: 6 },
    ]);
    expect(lastAudit(t.app.db)).toMatchObject({
      entity: 'lead_measure',
      before: { target: 5 },
      after: { target: 6, fromWeek: '2026-11-30' },
    });

    // Retiring frees a place; bringing it back is refused while three are active.
    expect((await lead.post(`/measures/${reading.id}/retire`)).statusCode).toBe(303);
    expect((await add('Guided reading groups', 'team', '4')).statusCode).toBe(303);
    const back = await lead.post(`/measures/${reading.id}/retire`);
    expect(back.statusCode).toBe(422);
    expect(
      t.app.db
        .select()
        .from(leadMeasures)
        .where(and(eq(leadMeasures.id, reading.id)))
        .get()!.status,
    ).toBe('retired');
  });

  it('a bad lead measure form keeps the values and writes nothing', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    await lead.post(`/teams/${world.teamA}/wigs`, teamWigForm());
    const wig = t.app.db.select().from(wigs).where(eq(wigs.level, 'team')).get()!;
    const audits = auditCount(t.app.db);
    const response = await lead.post(`/wigs/${wig.id}/measures`, {
      name: 'Reading conferences',
      kind: 'sometimes',
      direction: 'increase',
      target: '-2',
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('value="Reading conferences"');
    expect(response.body).toContain('Choose a valid kind of measure');
    expect(auditCount(t.app.db)).toBe(audits);
  });
});
