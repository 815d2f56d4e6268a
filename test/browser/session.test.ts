// The weekly WIG session in real Chromium: the demo Year 6 lead runs a whole session with the keyboard alone — account
// for last week, ask for help, make commitments, save — and the team page then shows the session held and what was committed.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { commitments, pathRequests, wigSessions } from '../../src/db/schema.ts';
import { findPersonByEmail } from '../../src/db/queries/people.ts';
import {
  checkA11y,
  demoEmail,
  demoTeamId,
  describeBrowser,
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

const THIS_WEEK = '2026-11-23';

describeBrowser('the WIG session, in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let teamId: number;

  beforeAll(async () => {
    // Tuesday 24 Nov 2026 on the server's clock: the demo Year 6 team held last week's session and has commitments to account for.
    [server, browser] = await Promise.all([startBrowserServer(), launchBrowser()]);
    const db = server.app.db;
    teamId = demoTeamId(db);
    ({ context, page, problems } = await openContext(browser, server));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const press = async (key: string) => page.keyboard.press(key);
  const checked = (selector: string) => page.locator(selector).isChecked();

  it('the lead runs the whole session with the keyboard only, and the team page shows it held with the new commitments', async () => {
    const db = server.app.db;
    const lead = findPersonByEmail(db, demoEmail('lead'))!;
    const teacher = findPersonByEmail(db, demoEmail('teacher'))!;
    const toAccount = db
      .select()
      .from(commitments)
      .where(and(eq(commitments.teamId, teamId), eq(commitments.week, THIS_WEEK)))
      .all();
    expect(toAccount.length).toBeGreaterThan(1);

    await signIn(page, demoEmail('lead'));
    await page.goto(`/teams/${teamId}`);
    await checkA11y(page, 'team page before the session');

    // From the team page to the session, by the keyboard.
    await tabTo(page, page.getByRole('link', { name: "Run this week's WIG session" }));
    await Promise.all([page.waitForURL((url) => url.pathname === `/teams/${teamId}/session`), press('Enter')]);
    await expect(page.locator('h1').innerText()).resolves.toContain('WIG session');
    await checkA11y(page, 'the session page');

    // The timer starts from the keyboard and says how long is left.
    await tabTo(page, page.getByRole('button', { name: 'Start the timer' }));
    await press('Enter');
    await expect(page.locator('.session-timer__clock').innerText()).resolves.toMatch(/^\d+:\d\d left$/);
    await expect(page.getByRole('button', { name: 'Pause the timer' }).isVisible()).resolves.toBe(true);

    // 1. Account: Tab reaches each group at its checked choice ("Not said yet"); the arrow keys choose.
    const [first, second] = toAccount;
    await tabTo(page, page.locator(`#f-outcome_${first!.id}-none`));
    await press('ArrowDown'); // round to "Done"
    expect(await checked(`#f-outcome_${first!.id}`)).toBe(true);
    await tabTo(page, page.locator(`#f-outcome_${second!.id}-none`));
    await press('ArrowUp'); // "Not done"
    await press('ArrowUp'); // "Partly done"
    expect(await checked(`#f-outcome_${second!.id}-partly`)).toBe(true);
    await press('Tab');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe(`f-why_${second!.id}`);
    await page.keyboard.type('Cover was pulled on Thursday');
    await checkA11y(page, 'after accounting');

    // 3. Plan: ask the headteacher for help (a select answers to typing the start of a name).
    await tabTo(page, page.locator('#f-path_1_text'));
    await page.keyboard.type('Cover for Thursday moderation');
    await press('Tab');
    await page.keyboard.type('Daniel');
    await expect(page.locator('#f-path_1_assignee').inputValue()).resolves.toBe(
      String(findPersonByEmail(db, demoEmail('head'))!.id),
    );

    // Commitments for the teacher and the lead, each linked to a lead measure.
    for (const [person, text] of [
      [teacher.id, 'Call three parents about reading at home'],
      [lead.id, 'Model a reading conference for the new TA'],
    ] as const) {
      await tabTo(page, page.locator(`#f-commit_${person}_1_text`), { max: 120 });
      await page.keyboard.type(text);
      await press('Tab');
      await press('ArrowDown');
      await expect(page.locator(`#f-commit_${person}_1_measure`).inputValue()).resolves.not.toBe('');
    }

    // Save with the keyboard.
    await tabTo(page, page.getByRole('button', { name: 'Save the session as held' }), { max: 120 });
    await Promise.all([page.waitForURL((url) => url.search === `?week=${THIS_WEEK}`), press('Enter')]);
    await expect(page.locator('.flash').innerText()).resolves.toContain('Session recorded as held');
    await checkA11y(page, 'the session after saving');

    const session = db
      .select()
      .from(wigSessions)
      .where(and(eq(wigSessions.teamId, teamId), eq(wigSessions.week, THIS_WEEK)))
      .get()!;
    expect(session.recordedBy).toBe(lead.id);
    expect(db.select().from(commitments).where(eq(commitments.id, first!.id)).get()).toMatchObject({
      outcome: 'done',
      accountedSessionId: session.id,
    });
    expect(db.select().from(commitments).where(eq(commitments.id, second!.id)).get()).toMatchObject({
      outcome: 'partly',
      outcomeNote: 'Cover was pulled on Thursday',
    });
    expect(
      db
        .select()
        .from(pathRequests)
        .where(eq(pathRequests.sessionId, session.id))
        .all()
        .map((r) => r.text),
    ).toEqual(['Cover for Thursday moderation']);
    expect(
      db
        .select()
        .from(commitments)
        .where(eq(commitments.sessionId, session.id))
        .all()
        .map((c) => c.text)
        .sort(),
    ).toEqual(['Call three parents about reading at home', 'Model a reading conference for the new TA']);

    // Back to the team page by the breadcrumb: the session is held and the new commitments are listed.
    await tabTo(page, page.locator('.breadcrumb').getByRole('link', { name: 'Year 6' }), { max: 30, backwards: false });
    await Promise.all([page.waitForURL((url) => url.pathname === `/teams/${teamId}`), press('Enter')]);
    const summary = await page.locator('#team-session-summary').innerText();
    expect(summary).toContain('This week: Held');
    expect(summary).toContain('Last session held on Mon 23 Nov 2026');
    expect(summary).toContain('Call three parents about reading at home');
    expect(summary).toContain('Model a reading conference for the new TA');
    expect(summary).toContain('Cover for Thursday moderation');
    await checkA11y(page, 'team page after the session');
    expect(unexpectedProblems(problems, page)).toEqual([]);
  }, 90_000);

  it('on a 320-pixel phone, the headteacher finds the request for help on the home page and resolves it with the keyboard', async () => {
    const phone = await openContext(browser, server, { viewport: { width: 320, height: 640 } });
    try {
      const p = phone.page;
      await signIn(p, demoEmail('head'));
      await p.goto('/');
      const open = server.app.db
        .select()
        .from(pathRequests)
        .where(
          and(
            eq(pathRequests.assigneeId, findPersonByEmail(server.app.db, demoEmail('head'))!.id),
            eq(pathRequests.status, 'open'),
          ),
        )
        .all();
      expect(open.length).toBeGreaterThan(0);
      await expect(p.locator('#my-path-requests').innerText()).resolves.toContain('Requests for help for you to clear');
      await checkA11y(p, 'home page with requests for help (320 px)');
      expect((await horizontalOverflow(p)).culprits).toEqual([]);

      const target = open[0]!;
      await tabTo(p, p.locator(`#pr${target.id}-resolution`), { max: 150 });
      await p.keyboard.type('Cover booked with the agency');
      await p.keyboard.press('Tab');
      await Promise.all([p.waitForURL((url) => url.pathname === '/'), p.keyboard.press('Enter')]);
      await expect(p.locator('.flash').innerText()).resolves.toContain('marked resolved');
      expect(server.app.db.select().from(pathRequests).where(eq(pathRequests.id, target.id)).get()).toMatchObject({
        status: 'resolved',
        resolution: 'Cover booked with the agency',
      });

      // The session page reads well on a phone too.
      await p.goto(`/teams/${teamId}/session`);
      await checkA11y(p, 'the session page (320 px)');
      expect((await horizontalOverflow(p)).culprits).toEqual([]);
      expect(unexpectedProblems(phone.problems, p)).toEqual([]);
    } finally {
      await phone.context.close();
    }
  }, 60_000);
});
