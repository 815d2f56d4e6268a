// The weekly update in real Chromium: a member fills the week with the keyboard alone, Enter moves down, bad values say so by the cell, and no JavaScript still works.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { addAssignment, createPerson, findPersonByEmail } from '../../src/db/queries/people.ts';
import { createTeam } from '../../src/db/queries/schools.ts';
import { leadDayEntries, leadEntries } from '../../src/db/schema.ts';
import {
  checkA11y,
  demoEmail,
  demoSchoolId,
  describeBrowser,
  focused,
  horizontalOverflow,
  launchBrowser,
  openContext,
  signIn,
  startBrowserServer,
  tabTo,
  type BrowserServer,
  type PageProblems,
  unexpectedProblems,
} from '../helpers/browser.ts';
import { createActiveTeamWig, createMeasures, type MeasureName } from '../helpers/measures.ts';

const emailOf = demoEmail;
const THIS_WEEK = '2026-11-23';

describeBrowser('the weekly update, in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let teamId: number;
  let m: Record<MeasureName, number>;
  let people: { teacher: number; lead: number; colleague: number };
  let weekUrl: string;

  beforeAll(async () => {
    // Tuesday 24 Nov 2026 on the server's clock: a school week in the demo trust's year.
    [server, browser] = await Promise.all([startBrowserServer(), launchBrowser()]);
    // A team of our own, so the test does not depend on the demo's WIGs: the demo teacher and team leader, and a colleague.
    const db = server.app.db;
    const ashcombe = demoSchoolId(db);
    teamId = createTeam(db, null, ashcombe, {
      name: 'Weekly update team',
      sessionWeekday: 4,
      sessionTime: '15:30',
      sessionMinutes: 20,
    });
    people = {
      teacher: findPersonByEmail(db, emailOf('teacher'))!.id,
      lead: findPersonByEmail(db, emailOf('lead'))!.id,
      colleague: createPerson(db, null, { name: 'Bea Colleague', email: 'bea.colleague@ashcombe.wigboard.demo' }, null),
    };
    addAssignment(db, null, people.lead, { role: 'team_leader', title: null, schoolId: null, teamId });
    addAssignment(db, null, people.teacher, { role: 'team_member', title: null, schoolId: null, teamId });
    addAssignment(db, null, people.colleague, { role: 'team_member', title: null, schoolId: null, teamId });
    const wigId = createActiveTeamWig(db, people.lead, { id: teamId, schoolId: ashcombe });
    m = createMeasures(db, people.lead, wigId, '2026-09-07', ['individual', 'team', 'daily']);
    weekUrl = `/teams/${teamId}/week`;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    ({ context, page, problems } = await openContext(browser, server));
  });
  afterEach(() => context?.close());

  const entry = (measureId: number, personId: number | null) =>
    server.app.db
      .select()
      .from(leadEntries)
      .where(
        and(
          eq(leadEntries.leadMeasureId, measureId),
          eq(leadEntries.week, THIS_WEEK),
          personId === null ? isNull(leadEntries.personId) : eq(leadEntries.personId, personId),
        ),
      )
      .get();
  const day = (measureId: number, date: string, personId: number) =>
    server.app.db
      .select()
      .from(leadDayEntries)
      .where(
        and(
          eq(leadDayEntries.leadMeasureId, measureId),
          eq(leadDayEntries.date, date),
          eq(leadDayEntries.personId, personId),
        ),
      )
      .get();
  const numberInput = (measureId: number, personId: number | null) =>
    page.locator(`#c${measureId}_${personId ?? 'team'}-value`);
  const dayBox = (measureId: number, personId: number, date: string) =>
    page.locator(`#d${measureId}_${personId}_${date.replace(/-/g, '')}-kept`);
  const status = (cellId: string) => page.locator(`#${cellId} .cell__status`);
  /** Waits for the POST that saves a cell, while `act` (a key press) sets it off. */
  const saving = async (act: () => Promise<void>): Promise<Response> => {
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/teams/${teamId}/entries`,
      ),
      act(),
    ]);
    return response;
  };
  const openWeek = async (email: string) => {
    await signIn(page, email);
    await page.goto(weekUrl);
    await page.waitForFunction(() => 'htmx' in window && document.querySelector('.week-grid--live') !== null);
  };
  const isFocused = (locator: ReturnType<Page['locator']>) => locator.evaluate((el) => el === document.activeElement);

  it('a member fills this week with the keyboard alone (type, Tab across, Space to tick), each cell saved as they go, and it is all there after a reload', async () => {
    await openWeek(emailOf('teacher'));
    await expect(page.locator('h1').innerText()).resolves.toBe('Weekly numbers: Weekly update team');
    await expect(page.locator('.lede').innerText()).resolves.toContain('Week of Mon 23 Nov 2026');
    await checkA11y(page, 'the week page');
    // With htmx running, the per-cell Save buttons are out of the way (and out of the Tab order).
    await expect(page.locator('.cell__save').first().isVisible()).resolves.toBe(false);

    // The team's cell first (its row is at the top), then across the member's own row.
    await tabTo(page, numberInput(m.team, null));
    await page.keyboard.type('6');
    const teamSaved = await saving(() => page.keyboard.press('Tab'));
    expect(teamSaved.status()).toBe(200);
    expect(
      await isFocused(numberInput(m.individual, people.teacher)),
      `Tab moves on to the member's own cell, not ${await focused(page)}`,
    ).toBe(true);
    await status(`cell-${m.team}-team`).filter({ hasText: 'Saved' }).waitFor();

    await page.keyboard.type('4');
    await saving(() => page.keyboard.press('Tab'));
    expect(
      await isFocused(dayBox(m.daily, people.teacher, '2026-11-23')),
      `Tab moves across to Monday, not ${await focused(page)}`,
    ).toBe(true);
    await status(`cell-${m.individual}-${people.teacher}`).filter({ hasText: 'Saved' }).waitFor();

    // Space ticks the day and saves it; the swap of that day's form keeps focus on the checkbox.
    await saving(() => page.keyboard.press('Space'));
    await status(`day-${m.daily}-${people.teacher}-2026-11-23`).filter({ hasText: 'Saved' }).waitFor();
    expect(
      await isFocused(dayBox(m.daily, people.teacher, '2026-11-23')),
      `focus stays on the ticked day, not ${await focused(page)}`,
    ).toBe(true);
    await page.keyboard.press('Tab');
    expect(await isFocused(dayBox(m.daily, people.teacher, '2026-11-24'))).toBe(true);
    await saving(() => page.keyboard.press('Space'));
    await status(`day-${m.daily}-${people.teacher}-2026-11-24`).filter({ hasText: 'Saved' }).waitFor();
    expect(await isFocused(dayBox(m.daily, people.teacher, '2026-11-24'))).toBe(true);

    expect(entry(m.team, null)).toMatchObject({ value: 6, enteredBy: people.teacher });
    expect(entry(m.individual, people.teacher)).toMatchObject({ value: 4, enteredBy: people.teacher });
    expect(day(m.daily, '2026-11-23', people.teacher)?.kept).toBe(true);
    expect(day(m.daily, '2026-11-24', people.teacher)?.kept).toBe(true);
    await checkA11y(page, 'the week page after cells were saved');

    await page.reload();
    await expect(numberInput(m.team, null).inputValue()).resolves.toBe('6');
    await expect(numberInput(m.individual, people.teacher).inputValue()).resolves.toBe('4');
    await expect(dayBox(m.daily, people.teacher, '2026-11-23').isChecked()).resolves.toBe(true);
    await expect(dayBox(m.daily, people.teacher, '2026-11-24').isChecked()).resolves.toBe(true);
    // A colleague's cell is theirs: the member reads it but has no input for it.
    await expect(numberInput(m.individual, people.colleague).count()).resolves.toBe(0);
    expect(unexpectedProblems(problems, page)).toEqual([]);

    // My week on the home page no longer lists this team: nothing is left to fill in it.
    await page.goto('/');
    await expect(page.locator('section.my-week').innerText()).resolves.not.toContain('Weekly update team');
    await checkA11y(page, 'home with My week');
  });

  it('Enter saves a cell and moves down to the same measure for the next person; on the last row it saves and stays', async () => {
    await openWeek(emailOf('lead'));
    // Leaders first, then members by name: Zoë Marchetti, Aaron Beckett, Bea Colleague.
    await tabTo(page, numberInput(m.individual, people.lead));
    await page.keyboard.type('3');
    await saving(() => page.keyboard.press('Enter'));
    expect(
      await isFocused(numberInput(m.individual, people.teacher)),
      `Enter moves down, not to ${await focused(page)}`,
    ).toBe(true);
    await page.keyboard.type('5');
    await saving(() => page.keyboard.press('Enter'));
    expect(await isFocused(numberInput(m.individual, people.colleague))).toBe(true);
    await page.keyboard.type('2.5');
    await saving(() => page.keyboard.press('Enter'));
    await status(`cell-${m.individual}-${people.colleague}`).filter({ hasText: 'Saved' }).waitFor();
    expect(
      await isFocused(numberInput(m.individual, people.colleague)),
      `the last row keeps focus after its swap, not ${await focused(page)}`,
    ).toBe(true);
    expect(new URL(page.url()).pathname, 'no page load: Enter did not post the form').toBe(weekUrl);

    expect(entry(m.individual, people.lead)?.value).toBe(3);
    expect(entry(m.individual, people.teacher)).toMatchObject({ value: 5, enteredBy: people.lead });
    expect(entry(m.individual, people.colleague)).toMatchObject({ value: 2.5, enteredBy: people.lead });
    await checkA11y(page, 'the week page after Enter saves');
    expect(unexpectedProblems(problems, page)).toEqual([]);
  });

  it('a bad value shows its message next to the cell, keeps what was typed, and is put right in place', async () => {
    await openWeek(emailOf('teacher'));
    const input = numberInput(m.individual, people.teacher);
    await tabTo(page, input);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('-2');
    const refused = await saving(() => page.keyboard.press('Tab'));
    expect(refused.status()).toBe(422);
    const message = page.locator(`#c${m.individual}_${people.teacher}-value-error`);
    await message.waitFor();
    await expect(message.innerText()).resolves.toContain('Enter 0 or more');
    await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(input.getAttribute('aria-describedby')).resolves.toBe(
      `c${m.individual}_${people.teacher}-value-error`,
    );
    await expect(input.inputValue(), 'the typed value is kept').resolves.toBe('-2');
    expect(
      await isFocused(dayBox(m.daily, people.teacher, '2026-11-23')),
      `focus stays where the person went, not ${await focused(page)}`,
    ).toBe(true);
    await checkA11y(page, 'the week page with a refused cell');
    expect(unexpectedProblems(problems, page, 422, `/teams/${teamId}/entries`)).toEqual([]);

    // Back with Shift+Tab, put it right: the message goes and the cell says Saved.
    await page.keyboard.press('Shift+Tab');
    expect(await isFocused(input)).toBe(true);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('8');
    const saved = await saving(() => page.keyboard.press('Enter'));
    expect(saved.status()).toBe(200);
    await status(`cell-${m.individual}-${people.teacher}`).filter({ hasText: 'Saved' }).waitFor();
    await expect(message.count()).resolves.toBe(0);
    await expect(input.getAttribute('aria-invalid')).resolves.toBeNull();
    expect(entry(m.individual, people.teacher)?.value).toBe(8);
    await checkA11y(page, 'the week page after the correction');
    expect(unexpectedProblems(problems, page)).toEqual([]);
  });

  it('works at 320 px: the grid scrolls sideways inside its own box, never the page', async () => {
    await context.close();
    ({ context, page, problems } = await openContext(browser, server, { viewport: { width: 320, height: 640 } }));
    await openWeek(emailOf('teacher'));
    const overflow = await horizontalOverflow(page);
    expect(overflow.scrollWidth, 'the page itself does not scroll sideways').toBeLessThanOrEqual(320);
    const grid = await page
      .locator('.week-grid')
      .evaluate((el) => ({ scrolls: el.scrollWidth > el.clientWidth, width: el.getBoundingClientRect().width }));
    expect(grid.scrolls, 'the grid scrolls inside its wrapper').toBe(true);
    expect(grid.width).toBeLessThanOrEqual(320);
    await checkA11y(page, 'the week page at 320 px');
  });

  it('without JavaScript each cell is a plain form: its Save button posts it and the page comes back with the number saved', async () => {
    await context.close();
    ({ context, page, problems } = await openContext(browser, server, { javaScriptEnabled: false }));
    await signIn(page, emailOf('teacher'));
    await page.goto(weekUrl);
    const save = page.locator(`#cell-${m.team}-team .cell__save`);
    await expect(save.isVisible(), 'the Save button shows without JavaScript').resolves.toBe(true);
    await numberInput(m.team, null).fill('11');
    // Enter in the field posts its form, as in any form; the answer is a 303 back to the week, at the cell.
    await Promise.all([
      page.waitForURL((url) => url.pathname === weekUrl && url.hash === `#cell-${m.team}-team`),
      numberInput(m.team, null).press('Enter'),
    ]);
    await expect(page.locator('.flash').innerText()).resolves.toContain(
      'Saved: Weekly update team (team), Parent phone calls, week of Mon 23 Nov 2026.',
    );
    await expect(numberInput(m.team, null).inputValue()).resolves.toBe('11');
    expect(entry(m.team, null)).toMatchObject({ value: 11, enteredBy: people.teacher });
  });
});
