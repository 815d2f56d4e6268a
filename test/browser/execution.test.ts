import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  checkA11y,
  demoEmail,
  demoSchoolId,
  demoTeamId,
  describeBrowser,
  horizontalOverflow,
  launchBrowser,
  openContext,
  signIn,
  startBrowserServer,
  type BrowserServer,
  unexpectedProblems,
} from '../helpers/browser.ts';

describeBrowser('execution health, RADAR and the calendar feed in the browser', () => {
  let server: BrowserServer;
  let browser: Browser;
  let schoolId: number;
  let teamId: number;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startBrowserServer(), launchBrowser()]);
    const db = server.app.db;
    schoolId = demoSchoolId(db);
    teamId = demoTeamId(db);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the team page loads the health section with htmx; picking a half-term swaps it in place; axe finds nothing', async () => {
    const { context, page, problems } = await openContext(browser, server);
    try {
      await signIn(page, demoEmail('head'));
      await page.goto(`/teams/${teamId}`);
      const section = page.locator('section#health');
      await section.waitFor({ state: 'visible' });
      await expect(section.locator('.health__score').isVisible()).resolves.toBe(true);
      await checkA11y(page, 'team page with its health section');
      const options = await page
        .locator('#health-period option')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      if (options.length > 1) {
        await page.locator('#health-period').selectOption(options.at(-1)!);
        await Promise.all([
          page.waitForResponse((r) => r.url().includes(`/teams/${teamId}/health?period=`)),
          page.getByRole('button', { name: 'Show' }).click(),
        ]);
        await page.locator(`#health-period option[value="${options.at(-1)}"][selected]`).waitFor({ state: 'attached' });
        expect(new URL(page.url()).pathname).toBe(`/teams/${teamId}`);
        await checkA11y(page, 'team page after picking a half-term');
      }
      await page.goto(`/schools/${schoolId}`);
      await page.locator('section#health').waitFor({ state: 'visible' });
      await checkA11y(page, 'school page with its health section');
      expect(unexpectedProblems(problems, page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('health, RADAR and commitments fit a 320 px screen', async () => {
    const { context, page } = await openContext(browser, server, { viewport: { width: 320, height: 640 } });
    try {
      await signIn(page, demoEmail('head'));
      for (const url of [
        `/schools/${schoolId}/health`,
        `/schools/${schoolId}/radar`,
        `/teams/${teamId}/commitments`,
        `/teams/${teamId}/calendar`,
      ]) {
        await page.goto(url);
        const overflow = await horizontalOverflow(page);
        expect(overflow.scrollWidth, `${url} sticks out: ${overflow.culprits.join(', ')}`).toBeLessThanOrEqual(320);
      }
    } finally {
      await context.close();
    }
  });

  it('a teacher makes a calendar link from the team page: shown once in a copyable field, then stopped', async () => {
    const { context, page, problems } = await openContext(browser, server);
    try {
      await signIn(page, demoEmail('teacher'));
      await page.goto(`/teams/${teamId}`);
      await page.getByRole('button', { name: 'Make my calendar link for these WIG sessions' }).click();
      const field = page.getByLabel('Copy this link now: it is shown only once');
      await field.waitFor({ state: 'visible' });
      expect(await field.inputValue()).toMatch(new RegExp(`^${server.url}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
      await checkA11y(page, 'the calendar link, shown once');
      const feed = await page.request.get(await field.inputValue());
      expect(feed.status()).toBe(200);
      expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
      await page.getByRole('button', { name: 'Stop this feed' }).click();
      await page.getByText('Your calendar feed is stopped').waitFor({ state: 'visible' });
      await checkA11y(page, 'the calendar feed, stopped');
      expect(unexpectedProblems(problems, page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
