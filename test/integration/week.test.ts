// The weekly update: the team week grid, saving one cell at a time (htmx or a plain form), every rule on who enters which week, and "My week".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { addAssignment, createPerson } from '../../src/db/queries/people.ts';
import { setLeadMeasureStatus } from '../../src/db/queries/measures.ts';
import { setWigStatus } from '../../src/db/queries/wigs.ts';
import { auditLog, leadDayEntries, leadEntries } from '../../src/db/schema.ts';
import { Client, createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { lastAudit, snapshot } from '../helpers/db.ts';
import { createActiveTeamWig, createMeasures, createSchoolYear, type MeasureName } from '../helpers/measures.ts';
import { PINNED_NOW } from '../helpers/clock.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';

const HTMX = { 'hx-request': 'true', 'hx-request-type': 'partial' };
const THIS_WEEK = '2026-11-23';
const TODAY = '2026-11-24';

interface Fixture {
  t: TestApp;
  world: World;
  m: Record<MeasureName, number>;
  wigId: number;
}

async function arrange(now = PINNED_NOW): Promise<Fixture> {
  const t = await createTestApp({}, { now: () => now });
  const world = await seedWorld(t.app.db);
  createSchoolYear(t.app.db, world.schoolA);
  const wigId = createActiveTeamWig(t.app.db, world.person.lead, { id: world.teamA, schoolId: world.schoolA });
  const m = createMeasures(t.app.db, world.person.lead, wigId);
  return { t, world, m, wigId };
}

const entryRow = (f: Fixture, measureId: number, week: string, personId: number | null) =>
  f.t.app.db
    .select()
    .from(leadEntries)
    .where(
      and(
        eq(leadEntries.leadMeasureId, measureId),
        eq(leadEntries.week, week),
        personId === null ? isNull(leadEntries.personId) : eq(leadEntries.personId, personId),
      ),
    )
    .get();

const dayRow = (f: Fixture, measureId: number, date: string, personId: number | null) =>
  f.t.app.db
    .select()
    .from(leadDayEntries)
    .where(
      and(
        eq(leadDayEntries.leadMeasureId, measureId),
        eq(leadDayEntries.date, date),
        personId === null ? isNull(leadDayEntries.personId) : eq(leadDayEntries.personId, personId),
      ),
    )
    .get();

const auditRows = (f: Fixture, entity: string) =>
  f.t.app.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.entity, entity))
    .all()
    .map((r) => ({
      ...r,
      before: r.before === null ? null : JSON.parse(r.before),
      after: r.after === null ? null : JSON.parse(r.after),
    }));

const weekUrl = (f: Fixture, week?: string) => `/teams/${f.world.teamA}/week${week ? `?week=${week}` : ''}`;
const entriesUrl = (f: Fixture, teamId = f.world.teamA) => `/teams/${teamId}/entries`;

/** One number cell's form fields. */
const numberCell = (measureId: number, week: string, personId: number | null, value: string) => ({
  measureId,
  week,
  personId: personId ?? '',
  value,
});
/** One day of a daily standard; `kept` left out is an unticked checkbox. */
const dayCell = (measureId: number, date: string, personId: number | null, kept?: string, week = THIS_WEEK) => ({
  measureId,
  week,
  date,
  personId: personId ?? '',
  ...(kept === undefined ? {} : { kept }),
});

/** A refused post: 422, the message next to the cell, and nothing written. */
async function expectRefused(
  f: Fixture,
  client: Client,
  form: Record<string, string | number>,
  message: string,
  options: {
    headers?: Record<
      string,
      string
    > /** False when the week page has no place for the cell (a holiday week, a weekend day). */;
    drawn?: boolean;
  } = {},
) {
  const before = snapshot(f.t.app.db);
  const response = await client.post(entriesUrl(f), form, options);
  expect(response.statusCode, `${JSON.stringify(form)} → ${response.statusCode}`).toBe(422);
  expect(response.body).toContain(escapeHtml(message));
  if (options.drawn !== false)
    expect(response.body, 'the message is next to the cell').toMatch(/id="[cd]\d+_\w+-(value|kept)-error"/);
  // A whole page (no JavaScript) also sums the problem up at the top.
  if (!options.headers)
    expect(response.body).toMatch(
      new RegExp(`<div class="error-summary" role="alert"[\\s\\S]*${escapeRegExp(escapeHtml(message))}`),
    );
  expect(snapshot(f.t.app.db), 'a refused cell writes nothing').toEqual(before);
  return response;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('GET /teams/:teamId/week — the weekly grid', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await arrange();
  });
  afterEach(() => f.t.close());

  it('shows this week by default in the trust time zone: measures grouped under their WIG with unit and target, the people and the team down', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const response = await member.get(weekUrl(f));
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).toContain('Week of Mon 23 Nov 2026');
    expect(body).toContain('(this week)');
    expect(body).toContain('WIG: Pupils reading at the expected standard');
    expect(body).toContain('From 60% to 80% by');
    expect(body).toMatch(/Reading conferences<\/span>\s*<span class="grid__target">Target: 5 conferences each/);
    expect(body).toContain('Target: 10 calls as a team');
    expect(body).toContain('Target: kept on 80% of school days');
    // People down (leaders first), the team's own row, and no one who is disabled.
    expect(body).toMatch(
      /<th scope="row">Year 6 \(team\)[\s\S]*<th scope="row">Test lead[\s\S]*<th scope="row">Test member/,
    );
    expect(body).not.toContain('Test disabled');
    expect(body).toContain('<th scope="colgroup" colspan="4"');
    // Every input has a label that says whose, what and which week.
    expect(body).toContain(
      `<label class="visually-hidden" for="c${f.m.individual}_${f.world.person.member}-value">Test member, Reading conferences, week of Mon 23 Nov 2026</label>`,
    );
    expect(body).toContain(
      `<label class="visually-hidden" for="c${f.m.team}_team-value">Year 6 (team), Parent phone calls, week of Mon 23 Nov 2026</label>`,
    );
    // The member's own cell and the team's are forms; a colleague's is read only.
    expect(body).toContain(`<form id="cell-${f.m.individual}-${f.world.person.member}"`);
    expect(body).toContain(`<form id="cell-${f.m.team}-team"`);
    expect(body).toContain(`<div id="cell-${f.m.individual}-${f.world.person.lead}" class="cell cell--read">`);
    // One form per cell, each with its own CSRF token, posting without JavaScript and saving on change with htmx.
    expect(body).toMatch(
      new RegExp(
        `<form id="cell-${f.m.individual}-${f.world.person.member}" class="cell" method="post" action="/teams/${f.world.teamA}/entries" hx-post="/teams/${f.world.teamA}/entries" hx-trigger="change, submit" hx-swap="outerMorph" novalidate>\\s*<input type="hidden" name="_csrf"`,
      ),
    );
    expect(body).toContain('<script src="/assets/week-grid.js" defer></script>');
    expect(body).toContain(`href="/teams/${f.world.teamA}/week?week=2026-11-16" rel="prev"`);
    expect(body).toContain(`href="/teams/${f.world.teamA}/week?week=2026-11-30" rel="next"`);
  });

  it('a daily standard has one checkbox per school day so far; a closure is shown closed and later days are not yet open', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const body = (await member.get(weekUrl(f))).body;
    const day = (date: string) => `day-${f.m.daily}-${f.world.person.member}-${date}`;
    expect(body).toContain(`<form id="${day('2026-11-23')}"`);
    expect(body).toContain(`<form id="${day(TODAY)}"`);
    expect(body).toMatch(
      new RegExp(
        `<label class="day__name" for="d${f.m.daily}_${f.world.person.member}_20261124-kept">Tue<span class="visually-hidden">: Test member, Walk-in reading, kept on Tue 24 Nov 2026</span></label>`,
      ),
    );
    expect(body).toMatch(new RegExp(`<div id="${day('2026-11-25')}" class="day day--read">.*Not yet`));
    expect(body).toMatch(
      new RegExp(`<div id="${day('2026-11-27')}" class="day day--closed">.*Closed.*\\(INSET day\\)`),
    );
    expect(body).toContain('Closed this week: Fri 27 Nov 2026 (INSET day).');
    // The team's daily standard is a single row.
    expect(body).toContain(`<form id="day-${f.m.teamDaily}-team-2026-11-23"`);
  });

  it('a holiday week is shown as such, with no grid and nothing expected', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const halfTerm = await member.get(weekUrl(f, '2026-10-26'));
    expect(halfTerm.statusCode).toBe(200);
    expect(halfTerm.body).toContain('Half-term — no numbers expected');
    expect(halfTerm.body).not.toContain('id="cell-');
    expect(halfTerm.body).not.toContain('week-grid.js');
    const christmas = await member.get(weekUrl(f, '2026-12-21'));
    expect(christmas.body).toContain('Christmas holidays — no numbers expected');
  });

  it('any day finds its week (303 to the Monday); a malformed week is a 400 and an impossible date a 404', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const wednesday = await member.get(weekUrl(f, '2026-11-25'));
    expect(wednesday.statusCode).toBe(303);
    expect(wednesday.headers.location).toBe(`/teams/${f.world.teamA}/week?week=2026-11-23`);
    expect((await member.get(weekUrl(f, 'next-week'))).statusCode).toBe(400);
    expect((await member.get(weekUrl(f, '<script>'))).statusCode).toBe(400);
    expect((await member.get(weekUrl(f, '2026-02-30'))).statusCode).toBe(404);
  });

  it('a week older than the last school week is read only for a member (with why), and open to the team leader', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const old = await member.get(weekUrl(f, '2026-11-09'));
    expect(old.statusCode).toBe(200);
    expect(old.body).not.toContain('<form id="cell-');
    expect(old.body).toContain(
      'You can enter numbers for this week and last school week. Ask your team leader to correct an earlier week.',
    );
    const lastWeek = await member.get(weekUrl(f, '2026-11-16'));
    expect(lastWeek.body).toContain(`<form id="cell-${f.m.individual}-${f.world.person.member}"`);
    const lead = await signedIn(f.t.app, EMAIL.lead);
    const leaderView = await lead.get(weekUrl(f, '2026-11-09'));
    expect(leaderView.body).toContain(`<form id="cell-${f.m.individual}-${f.world.person.member}"`);
    expect(leaderView.body).toContain(`<form id="cell-${f.m.individual}-${f.world.person.lead}"`);
  });

  it('a future week is read only for everyone; a headteacher reads the grid without inputs', async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    const next = await lead.get(weekUrl(f, '2026-11-30'));
    expect(next.body).toContain('This week has not started yet.');
    expect(next.body).not.toContain('<form id="cell-');
    const head = await signedIn(f.t.app, EMAIL.head);
    const read = await head.get(weekUrl(f));
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain('You are reading Year 6&#39;s numbers.');
    expect(read.body).not.toContain('<form id="cell-');
    expect(read.body).not.toContain('<form id="day-');
  });

  it('shows saved numbers and days; a team with no active WIG says so; draft WIGs and retired measures are left out', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    expect(
      (await member.post(entriesUrl(f), numberCell(f.m.individual, THIS_WEEK, f.world.person.member, '4.5')))
        .statusCode,
    ).toBe(303);
    expect(
      (await member.post(entriesUrl(f), dayCell(f.m.daily, '2026-11-23', f.world.person.member, '1'))).statusCode,
    ).toBe(303);
    const body = (await member.get(weekUrl(f))).body;
    expect(body).toMatch(new RegExp(`id="c${f.m.individual}_${f.world.person.member}-value"[^>]*value="4.5"`));
    expect(body).toMatch(new RegExp(`id="d${f.m.daily}_${f.world.person.member}_20261123-kept"[^>]* checked`));

    setLeadMeasureStatus(f.t.app.db, f.world.person.lead, f.m.teamDaily, 'retired');
    expect((await member.get(weekUrl(f))).body).not.toContain('Corridor calm');
    setWigStatus(f.t.app.db, f.world.person.lead, f.wigId, 'draft');
    const none = await member.get(weekUrl(f));
    expect(none.body).toContain('No lead measures yet');
    expect(none.body).not.toContain('id="cell-');
  });
});

describe('POST /teams/:teamId/entries — saving one cell', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await arrange();
  });
  afterEach(() => f.t.close());

  it('a member saves their own number for this week: 303 back to the cell, the row, and the audit log (who, when, after)', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    const response = await member.post(entriesUrl(f), numberCell(f.m.individual, THIS_WEEK, me, ' 4 '));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(
      `/teams/${f.world.teamA}/week?week=${THIS_WEEK}#cell-${f.m.individual}-${me}`,
    );
    expect(entryRow(f, f.m.individual, THIS_WEEK, me)).toMatchObject({
      value: 4,
      enteredBy: me,
      enteredAt: PINNED_NOW,
    });
    expect(lastAudit(f.t.app.db)).toMatchObject({
      actorId: me,
      at: PINNED_NOW,
      action: 'enter',
      entity: 'lead_entry',
      entityId: f.m.individual,
      before: null,
      after: { week: THIS_WEEK, personId: me, value: 4 },
    });
    const page = await member.get(response.headers.location as string);
    expect(page.body).toContain('Saved: Test member, Reading conferences, week of Mon 23 Nov 2026.');
  });

  it('a correction keeps the old value in the history (before → after); an empty cell clears it, also kept in the history', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    for (const value of ['4', '6.5', '6.50', ''])
      expect((await member.post(entriesUrl(f), numberCell(f.m.individual, THIS_WEEK, me, value))).statusCode).toBe(303);
    expect(entryRow(f, f.m.individual, THIS_WEEK, me)).toBeUndefined();
    // "6.50" is the same number as 6.5: no change, so no history row for it.
    expect(auditRows(f, 'lead_entry').map((r) => [r.actorId, r.action, r.before, r.after])).toEqual([
      [me, 'enter', null, { week: THIS_WEEK, personId: me, value: 4 }],
      [me, 'correct', { week: THIS_WEEK, personId: me, value: 4 }, { week: THIS_WEEK, personId: me, value: 6.5 }],
      [me, 'clear', { week: THIS_WEEK, personId: me, value: 6.5 }, null],
    ]);
  });

  it('htmx: the answer is the cell alone, its typed number saved, with "Saved" in words in its live region', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    const response = await member.post(entriesUrl(f), numberCell(f.m.individual, THIS_WEEK, me, '3'), {
      headers: HTMX,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers.vary).toContain('HX-Request');
    const body = response.body.trimStart();
    expect(body).toMatch(new RegExp(`^<form id="cell-${f.m.individual}-${me}" class="cell"`));
    expect(body).not.toContain('<html');
    expect(body).toMatch(/<span class="cell__status" role="status"><span aria-hidden="true">✓ <\/span>Saved<\/span>/);
    expect(body).toMatch(/name="value"[^>]*value="3"/);
    expect(entryRow(f, f.m.individual, THIS_WEEK, me)?.value).toBe(3);

    const cleared = await member.post(entriesUrl(f), numberCell(f.m.individual, THIS_WEEK, me, ''), { headers: HTMX });
    expect(cleared.body).toContain('Cleared</span>');
    expect(entryRow(f, f.m.individual, THIS_WEEK, me)).toBeUndefined();
  });

  it("the team's cell: any member of the team saves it, and the leader corrects it", async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    expect((await member.post(entriesUrl(f), numberCell(f.m.team, THIS_WEEK, null, '7'))).statusCode).toBe(303);
    expect(entryRow(f, f.m.team, THIS_WEEK, null)).toMatchObject({
      value: 7,
      personId: null,
      enteredBy: f.world.person.member,
    });
    const lead = await signedIn(f.t.app, EMAIL.lead);
    expect((await lead.post(entriesUrl(f), numberCell(f.m.team, THIS_WEEK, null, '8'))).statusCode).toBe(303);
    expect(entryRow(f, f.m.team, THIS_WEEK, null)).toMatchObject({ value: 8, enteredBy: f.world.person.lead });
    expect(lastAudit(f.t.app.db)).toMatchObject({
      actorId: f.world.person.lead,
      action: 'correct',
      before: { personId: null, value: 7 },
      after: { personId: null, value: 8 },
    });
  });

  it("a member cannot change someone else's cell: 422 with the message by the cell and the typed value kept", async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const response = await expectRefused(
      f,
      member,
      numberCell(f.m.individual, THIS_WEEK, f.world.person.lead, '9'),
      'You can only enter your own numbers',
    );
    expect(response.body).toMatch(
      new RegExp(`id="c${f.m.individual}_${f.world.person.lead}-value"[^>]*value="9"[^>]*aria-invalid="true"`),
    );
    // Also from htmx: the cell alone.
    const partial = await expectRefused(
      f,
      member,
      dayCell(f.m.daily, TODAY, f.world.person.lead, '1'),
      'You can only enter your own numbers',
      { headers: HTMX },
    );
    expect(partial.body.trimStart()).toMatch(
      new RegExp(`^<form id="day-${f.m.daily}-${f.world.person.lead}-${TODAY}"`),
    );
  });

  it('a team leader enters and corrects every cell of the team in any past school week', async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    const member = f.world.person.member;
    for (const week of ['2026-09-07', '2026-11-09', THIS_WEEK]) {
      expect((await lead.post(entriesUrl(f), numberCell(f.m.individual, week, member, '2'))).statusCode, week).toBe(
        303,
      );
      expect(entryRow(f, f.m.individual, week, member)).toMatchObject({ value: 2, enteredBy: f.world.person.lead });
    }
    expect(
      (await lead.post(entriesUrl(f), dayCell(f.m.daily, '2026-09-08', member, '1', '2026-09-07'))).statusCode,
    ).toBe(303);
    expect(dayRow(f, f.m.daily, '2026-09-08', member)).toMatchObject({ kept: true, enteredBy: f.world.person.lead });
    expect(lastAudit(f.t.app.db)).toMatchObject({
      actorId: f.world.person.lead,
      action: 'enter',
      entity: 'lead_day_entry',
      after: { date: '2026-09-08', personId: member, kept: true },
    });
  });

  it('a member enters this week and last school week, not the week before', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    expect((await member.post(entriesUrl(f), numberCell(f.m.individual, '2026-11-16', me, '5'))).statusCode).toBe(303);
    expect(entryRow(f, f.m.individual, '2026-11-16', me)?.value).toBe(5);
    await expectRefused(
      f,
      member,
      numberCell(f.m.individual, '2026-11-09', me, '5'),
      'Ask your team leader to correct an earlier week',
    );
    await expectRefused(
      f,
      member,
      dayCell(f.m.daily, '2026-11-10', me, '1', '2026-11-09'),
      'Ask your team leader to correct an earlier week',
    );
  });

  it('nobody enters a future week, and nobody enters a holiday week', async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    const member = f.world.person.member;
    await expectRefused(
      f,
      lead,
      numberCell(f.m.individual, '2026-11-30', member, '5'),
      'This week has not started yet',
    );
    await expectRefused(
      f,
      lead,
      numberCell(f.m.team, '2026-10-26', null, '5'),
      'Half-term: no numbers are expected this week.',
      { drawn: false },
    );
    await expectRefused(f, lead, numberCell(f.m.team, '2026-12-28', null, '5'), 'This week has not started yet', {
      drawn: false,
    });
  });

  it('a week that does not start on a Monday, or is not a date, is refused', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    for (const week of [TODAY, 'last week', '', '2026-02-30']) {
      await expectRefused(
        f,
        member,
        numberCell(f.m.individual, week, me, '5'),
        'Choose a week that starts on a Monday.',
      );
    }
  });

  it('bad numbers are refused with a message by the cell and the typed value kept; plain numbers up to 100,000 with two decimals are saved', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    const bad: [string, string][] = [
      ['abc', 'Enter a number, like 5 or 2.5'],
      ['-1', 'Enter 0 or more'],
      ['1e5', 'Enter a number, like 5 or 2.5'],
      ['1,5', 'Enter a number, like 5 or 2.5'],
      ['Infinity', 'Enter a number, like 5 or 2.5'],
      ['0x10', 'Enter a number, like 5 or 2.5'],
      ['2.345', 'Enter a number with at most 2 decimal places'],
      ['100000.01', 'Enter 100,000 or less'],
      ['9'.repeat(400), 'Enter 100,000 or less'],
    ];
    for (const [value, message] of bad) {
      const response = await expectRefused(f, member, numberCell(f.m.individual, THIS_WEEK, me, value), message);
      expect(response.body, value).toContain(`value="${value}"`);
      expect(response.body, 'the full page has an error summary linking to the cell').toContain(
        `<a href="#c${f.m.individual}_${me}-value">Test member, Reading conferences: ${escapeHtml(message)}</a>`,
      );
    }
    for (const [value, saved] of [
      ['0', 0],
      ['100000', 100000],
      ['2.25', 2.25],
      ['07', 7],
    ] as const) {
      expect(
        (await member.post(entriesUrl(f), numberCell(f.m.individual, THIS_WEEK, me, value))).statusCode,
        value,
      ).toBe(303);
      expect(entryRow(f, f.m.individual, THIS_WEEK, me)?.value, value).toBe(saved);
    }
  });

  it('htmx 422: just the cell, the typed value kept, marked invalid, the message in its live region', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    const response = await expectRefused(
      f,
      member,
      numberCell(f.m.individual, THIS_WEEK, me, '<b>12</b>'),
      'Enter a number, like 5 or 2.5',
      { headers: HTMX },
    );
    const body = response.body.trimStart();
    expect(body).toMatch(new RegExp(`^<form id="cell-${f.m.individual}-${me}" class="cell"`));
    expect(body).not.toContain('<b>12</b>');
    expect(body).toContain('value="&lt;b&gt;12&lt;/b&gt;"');
    expect(body).toContain(`aria-invalid="true" aria-describedby="c${f.m.individual}_${me}-value-error"`);
    expect(body).toMatch(
      new RegExp(
        `<span class="cell__status" role="status"><span class="field__error" id="c${f.m.individual}_${me}-value-error"><span class="visually-hidden">Error: </span>Enter a number, like 5 or 2.5</span></span>`,
      ),
    );
  });

  it('a daily standard: tick a day (kept), untick it (not kept), clear it — each kept in the history', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    const ticked = await member.post(entriesUrl(f), dayCell(f.m.daily, TODAY, me, '1'), { headers: HTMX });
    expect(ticked.statusCode).toBe(200);
    expect(ticked.body.trimStart()).toMatch(new RegExp(`^<form id="day-${f.m.daily}-${me}-${TODAY}" class="day"`));
    expect(ticked.body).toMatch(/type="checkbox" value="1"[^>]* checked/);
    expect(ticked.body).toContain('Saved</span>');
    expect(dayRow(f, f.m.daily, TODAY, me)).toMatchObject({ kept: true, enteredBy: me, enteredAt: PINNED_NOW });
    // An unticked checkbox sends no "kept" at all: that is "not kept".
    const unticked = await member.post(entriesUrl(f), dayCell(f.m.daily, TODAY, me));
    expect(unticked.statusCode).toBe(303);
    expect(unticked.headers.location).toBe(`/teams/${f.world.teamA}/week?week=${THIS_WEEK}#cell-${f.m.daily}-${me}`);
    expect(dayRow(f, f.m.daily, TODAY, me)?.kept).toBe(false);
    expect((await member.post(entriesUrl(f), dayCell(f.m.daily, TODAY, me, ''))).statusCode).toBe(303);
    expect(dayRow(f, f.m.daily, TODAY, me)).toBeUndefined();
    expect(
      auditRows(f, 'lead_day_entry').map((r) => [r.actorId, r.action, r.before?.kept ?? null, r.after?.kept ?? null]),
    ).toEqual([
      [me, 'enter', null, true],
      [me, 'correct', true, false],
      [me, 'clear', false, null],
    ]);
    // The team's daily standard: any member ticks it.
    expect((await member.post(entriesUrl(f), dayCell(f.m.teamDaily, '2026-11-23', null, '1'))).statusCode).toBe(303);
    expect(dayRow(f, f.m.teamDaily, '2026-11-23', null)).toMatchObject({ kept: true, personId: null });
  });

  it('a daily standard refuses a closed day, a weekend, a day not yet come, a day outside the posted week and an odd answer', async () => {
    const lead = await signedIn(f.t.app, EMAIL.lead);
    const me = f.world.person.lead;
    await expectRefused(
      f,
      lead,
      dayCell(f.m.daily, '2026-11-27', me, '1'),
      'Fri 27 Nov 2026 is not a school day (INSET day).',
    );
    await expectRefused(
      f,
      lead,
      dayCell(f.m.daily, '2026-11-22', me, '1', '2026-11-16'),
      'Sun 22 Nov 2026 is not a school day (Weekend).',
      { drawn: false },
    );
    await expectRefused(f, lead, dayCell(f.m.daily, '2026-11-25', me, '1'), 'Wed 25 Nov 2026 has not happened yet.');
    await expectRefused(
      f,
      lead,
      dayCell(f.m.daily, '2026-11-17', me, '1', THIS_WEEK),
      'Tue 17 Nov 2026 is not in this week.',
    );
    await expectRefused(
      f,
      lead,
      dayCell(f.m.daily, '2026-10-27', me, '1', '2026-10-26'),
      'Half-term: no numbers are expected this week.',
      { drawn: false },
    );
    await expectRefused(f, lead, dayCell(f.m.daily, TODAY, me, 'yes'), 'Choose kept or not kept');
  });

  it('the hidden fields are checked too: never a 5xx, and hostile text comes back escaped', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    const before = snapshot(f.t.app.db);
    const sends: [Record<string, string | number>, number][] = [
      [{ ...numberCell(f.m.individual, THIS_WEEK, me, '1'), measureId: '<script>alert(1)</script>' }, 404],
      [{ ...numberCell(f.m.individual, THIS_WEEK, me, '1'), personId: '"><script>alert(1)</script>' }, 404],
      [{ ...numberCell(f.m.individual, THIS_WEEK, me, '1'), week: '<script>alert(1)</script>' }, 422],
      [{ ...dayCell(f.m.daily, TODAY, me, '1'), date: '<script>alert(1)</script>' }, 422],
      [{ ...dayCell(f.m.daily, TODAY, me, '1'), week: '<script>alert(1)</script>' }, 422],
      [{ measureId: f.m.individual }, 404],
    ];
    for (const [form, status] of sends) {
      for (const headers of [undefined, HTMX]) {
        const response = await member.post(entriesUrl(f), form, { headers });
        expect(response.statusCode, JSON.stringify(form)).toBe(status);
        expect(response.body).not.toContain('<script>alert(1)</script>');
      }
    }
    expect(snapshot(f.t.app.db)).toEqual(before);
  });
});

describe('POST /teams/:teamId/entries — who may', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await arrange();
  });
  afterEach(() => f.t.close());

  const expectStatus = async (
    client: Client,
    form: Record<string, string | number>,
    status: number,
    teamId?: number,
  ): Promise<LightMyRequestResponse> => {
    const before = snapshot(f.t.app.db);
    await client.token();
    const response = await client.post(entriesUrl(f, teamId), form);
    expect(response.statusCode, JSON.stringify(form)).toBe(status);
    expect(snapshot(f.t.app.db), 'a refusal writes nothing').toEqual(before);
    return response;
  };

  it('a member of another team is refused (403), and so is a headteacher or trust admin; signed out is 401 (and the page sends to sign-in)', async () => {
    const form = numberCell(f.m.team, THIS_WEEK, null, '3');
    for (const email of [EMAIL.otherMember, EMAIL.head, EMAIL.admin, EMAIL.trustTeamMember]) {
      const response = await expectStatus(await signedIn(f.t.app, email), form, 403);
      expect(response.body).toContain('Your role does not give you access to this page.');
    }
    const visitor = new Client(f.t.app);
    await expectStatus(visitor, form, 401);
    const page = await visitor.get(weekUrl(f));
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(`/login?next=${encodeURIComponent(weekUrl(f))}`);
    expect((await (await signedIn(f.t.app, EMAIL.otherMember)).get(weekUrl(f))).statusCode).toBe(403);
  });

  it("an unknown measure, another team's measure, a draft WIG's or a retired measure, a person not in the team, or a cell that does not exist: 404", async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    // Team B's own measure, posted to team A (where the member belongs) and to team B (where they do not: 403).
    const otherWig = createActiveTeamWig(f.t.app.db, null, { id: f.world.teamB, schoolId: f.world.schoolB });
    const other = createMeasures(f.t.app.db, null, otherWig, '2026-09-07', ['team']);
    await expectStatus(member, numberCell(999_999, THIS_WEEK, me, '3'), 404);
    await expectStatus(member, numberCell(other.team, THIS_WEEK, null, '3'), 404);
    await expectStatus(member, numberCell(other.team, THIS_WEEK, null, '3'), 403, f.world.teamB);
    // A person who is not in team A, and a disabled one who is.
    await expectStatus(member, numberCell(f.m.individual, THIS_WEEK, f.world.person.otherMember, '3'), 404);
    await expectStatus(member, numberCell(f.m.individual, THIS_WEEK, f.world.person.disabled, '3'), 404);
    // A person's cell of a team measure, and a team cell of a per-person measure.
    await expectStatus(member, numberCell(f.m.team, THIS_WEEK, me, '3'), 404);
    await expectStatus(member, numberCell(f.m.individual, THIS_WEEK, null, '3'), 404);
    setLeadMeasureStatus(f.t.app.db, null as unknown as number, f.m.individual, 'retired');
    await expectStatus(member, numberCell(f.m.individual, THIS_WEEK, me, '3'), 404);
    setWigStatus(f.t.app.db, null as unknown as number, f.wigId, 'draft');
    await expectStatus(member, numberCell(f.m.team, THIS_WEEK, null, '3'), 404);
  });

  it('a new member of the team may fill in their own row straight away', async () => {
    const id = createPerson(f.t.app.db, null, { name: 'New Colleague', email: 'new.colleague@a.test.school' }, null);
    addAssignment(f.t.app.db, null, id, { role: 'team_member', title: null, schoolId: null, teamId: f.world.teamA });
    const lead = await signedIn(f.t.app, EMAIL.lead);
    expect((await lead.get(weekUrl(f))).body).toContain(`<form id="cell-${f.m.individual}-${id}"`);
  });
});

describe('after half-term: "last school week" skips the holiday', () => {
  let f: Fixture;
  // Tue 3 Nov 2026: the first week back; the week before (26 Oct) was half-term.
  beforeEach(async () => {
    f = await arrange(Date.UTC(2026, 10, 3, 10));
  });
  afterEach(() => f.t.close());

  it('a member enters the week before half-term, not half-term itself, and not the week before that', async () => {
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    expect((await member.post(entriesUrl(f), numberCell(f.m.individual, '2026-10-19', me, '5'))).statusCode).toBe(303);
    expect(entryRow(f, f.m.individual, '2026-10-19', me)?.value).toBe(5);
    await expectRefused(
      f,
      member,
      numberCell(f.m.individual, '2026-10-26', me, '5'),
      'Half-term: no numbers are expected this week.',
      { drawn: false },
    );
    await expectRefused(f, member, numberCell(f.m.individual, '2026-10-12', me, '5'), 'Ask your team leader');
    const page = await member.get(weekUrl(f));
    expect(page.body).toContain('Week of Mon 2 Nov 2026');
    expect(page.body).toContain(`href="/teams/${f.world.teamA}/week?week=2026-10-26" rel="prev"`);
  });
});

describe('GET / — My week', () => {
  let f: Fixture;
  afterEach(() => f.t.close());

  it('lists the cells a member still has to fill this week, by team, each linked to its cell; when all are done, says so', async () => {
    f = await arrange();
    const member = await signedIn(f.t.app, EMAIL.member);
    const me = f.world.person.member;
    const home = (await member.get('/')).body;
    expect(home).toContain('My week');
    expect(home).toContain('Week of Mon 23 Nov 2026');
    expect(home).toContain(`<a href="/teams/${f.world.teamA}/week">Year 6</a>`);
    expect(home).toContain(
      `<a href="/teams/${f.world.teamA}/week#cell-${f.m.individual}-${me}">Reading conferences</a>: no number yet`,
    );
    expect(home).toContain(
      `<a href="/teams/${f.world.teamA}/week#cell-${f.m.team}-team">Parent phone calls (team)</a>: no number yet`,
    );
    expect(home).toContain(
      `<a href="/teams/${f.world.teamA}/week#cell-${f.m.daily}-${me}">Walk-in reading</a>: not yet kept on Mon, Tue`,
    );
    expect(home).toContain(
      `<a href="/teams/${f.world.teamA}/week#cell-${f.m.teamDaily}-team">Corridor calm (team)</a>: not yet kept on Mon, Tue`,
    );
    expect(home).not.toContain("You're up to date this week.");

    // A day marked "not kept" still counts as to do; the anchors on the week page exist.
    await member.post(entriesUrl(f), dayCell(f.m.daily, '2026-11-23', me, '0'));
    expect((await member.get('/')).body).toContain('Walk-in reading</a>: not yet kept on Mon, Tue');
    const week = (await member.get(weekUrl(f))).body;
    for (const id of [
      `cell-${f.m.individual}-${me}`,
      `cell-${f.m.team}-team`,
      `cell-${f.m.daily}-${me}`,
      `cell-${f.m.teamDaily}-team`,
    ])
      expect(week).toContain(`id="${id}"`);

    const fills = [
      numberCell(f.m.individual, THIS_WEEK, me, '5'),
      numberCell(f.m.team, THIS_WEEK, null, '0'),
      dayCell(f.m.daily, '2026-11-23', me, '1'),
      dayCell(f.m.daily, TODAY, me, '1'),
      dayCell(f.m.teamDaily, '2026-11-23', null, '1'),
    ];
    for (const form of fills) expect((await member.post(entriesUrl(f), form)).statusCode).toBe(303);
    const almost = (await member.get('/')).body;
    expect(almost).toContain('Corridor calm (team)</a>: not yet kept on Tue');
    expect(almost).not.toContain('Reading conferences</a>');
    expect((await member.post(entriesUrl(f), dayCell(f.m.teamDaily, TODAY, null, '1'))).statusCode).toBe(303);
    expect((await member.get('/')).body).toContain("You're up to date this week.");
    // Another member's cells are theirs: the leader still has their own to fill.
    const lead = (await (await signedIn(f.t.app, EMAIL.lead)).get('/')).body;
    expect(lead).toContain(`#cell-${f.m.individual}-${f.world.person.lead}">Reading conferences</a>`);
    expect(lead).not.toContain('Parent phone calls (team)</a>');
  });

  it('in a holiday week, My week says so; someone in no team has no My week', async () => {
    f = await arrange(Date.UTC(2026, 9, 27, 10));
    const home = (await (await signedIn(f.t.app, EMAIL.member)).get('/')).body;
    expect(home).toContain('Half-term: no numbers are expected this week.');
    expect(home).not.toContain('#cell-');
    const admin = (await (await signedIn(f.t.app, EMAIL.admin)).get('/')).body;
    expect(admin).not.toContain('My week');
  });
});
