// Importing from a spreadsheet in real Chromium: the upload page, a file with mistakes, a preview and the save, each with zero axe violations and no sideways scroll at 320 px.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { wigs } from '../../src/db/schema.ts';
import {
  checkA11y,
  demoTeamId,
  describeBrowser,
  horizontalOverflow,
  launchBrowser,
  openContext,
  signIn,
  startBrowserServer,
  type BrowserServer,
  type PageProblems,
  unexpectedProblems,
} from '../helpers/browser.ts';

/** Submits a normal form by clicking its button; the status of the page that comes back. */
async function submit(page: Page, button: string | RegExp): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    page.getByRole('button', { name: button }).click(),
  ]);
  await page.waitForLoadState('load');
  return response.status();
}

async function fitsAt320(page: Page, label: string) {
  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await horizontalOverflow(page);
  expect(
    overflow.scrollWidth,
    `${label} scrolls sideways at 320 px: ${overflow.culprits.join(', ')}`,
  ).toBeLessThanOrEqual(overflow.viewportWidth);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describeBrowser('importing from a spreadsheet, in Chromium, with axe-core (WCAG 2.2 AA)', () => {
  let server: BrowserServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let year6: number;
  let year6Wig: number;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startBrowserServer(), launchBrowser()]);
    const db = server.app.db;
    year6 = demoTeamId(db);
    year6Wig = db
      .select({ id: wigs.id })
      .from(wigs)
      .where(and(eq(wigs.teamId, year6), eq(wigs.status, 'active')))
      .get()!.id;
    ({ context, page, problems } = await openContext(browser, server));
    await signIn(page, 'lead@wigboard.demo');
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('the upload page, a file with mistakes (422), the preview of a good file and the save', async () => {
    await page.goto(`/teams/${year6}/import`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Import from a spreadsheet');
    await checkA11y(page, 'the import page');
    await fitsAt320(page, 'the import page');
    expect(unexpectedProblems(problems, page)).toEqual([]);

    await page.getByLabel('CSV file').setInputFiles({
      name: 'numbers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('week,measure,value\n2026-11-16,No such measure,3\n'),
    });
    expect(await submit(page, 'Check the numbers')).toBe(422);
    await expect(page.locator('.error-summary').isVisible()).resolves.toBe(true);
    await expect(page.locator('#i-file[aria-invalid="true"]').count()).resolves.toBe(1);
    await expect(page.getByRole('table', { name: 'Rows to fix' }).isVisible()).resolves.toBe(true);
    await checkA11y(page, 'an import with mistakes');
    await fitsAt320(page, 'an import with mistakes');
    expect(unexpectedProblems(problems, page, 422, `/teams/${year6}/import`)).toEqual([]);

    // The team's own download, uploaded back: every row is already saved, so nothing changes when it is saved.
    const exported = await page.request.get(`/teams/${year6}/export.csv`);
    expect(exported.status()).toBe(200);
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'year-6.csv', mimeType: 'text/csv', buffer: await exported.body() });
    expect(await submit(page, 'Check the numbers')).toBe(200);
    await expect(page.getByRole('table', { name: /^What will be saved/ }).isVisible()).resolves.toBe(true);
    await checkA11y(page, 'the preview');
    await fitsAt320(page, 'the preview');
    expect(await submit(page, /^Save \d+ rows?$/)).toBe(303);
    expect(new URL(page.url()).pathname).toBe(`/teams/${year6}`);
    await expect(page.locator('.flash').textContent()).resolves.toMatch(
      /Imported \d+ rows for Year 6: 0 new, 0 corrections/,
    );
    expect(unexpectedProblems(problems, page)).toEqual([]);
  });

  it("a WIG's readings import page", async () => {
    await page.goto(`/wigs/${year6Wig}/readings/import`);
    await checkA11y(page, 'the readings import page');
    await fitsAt320(page, 'the readings import page');
    await page.getByLabel('Or paste the rows here').fill('date,value\n01/01/2020,12\n');
    expect(await submit(page, 'Check the readings')).toBe(200);
    await checkA11y(page, 'a readings preview');
    expect(unexpectedProblems(problems, page)).toEqual([]);
  });
});
