// The wall display in real Chromium, with two browsers side by side: a TV pairs by code, a number saved by a teacher on
// another device reaches the TV within 2 seconds without a reload, and a revoked TV goes back to its pairing screen.
// A screenshot of the board at 1920×1080 is kept in test/results (an artefact, not committed).
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { findPersonByEmail } from '../../src/db/queries/people.ts';
import { activeTeamMeasures } from '../../src/db/queries/weekly-update.ts';
import { teams } from '../../src/db/schema.ts';
import { teamBoards } from '../../src/read-models/team-board.ts';
import { withUnit } from '../../src/domain/wig.ts';
import {
  checkA11y,
  demoEmail,
  demoTeamId,
  describeBrowser,
  launchBrowser,
  openContext,
  signIn,
  startBrowserServer,
  type BrowserServer,
  type PageProblems,
  unexpectedProblems,
} from '../helpers/browser.ts';

const RESULTS = path.join(import.meta.dirname, '..', 'results');
const TODAY = '2026-11-24';

describeBrowser('the wall display, in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;
  let tv: Page;
  let tvProblems: PageProblems;
  let head: Page;
  let teacher: Page;
  let teamId: number;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startBrowserServer(), launchBrowser()]);
    const db = server.app.db;
    teamId = demoTeamId(db);
    ({ page: tv, problems: tvProblems } = await openContext(browser, server, {
      viewport: { width: 1920, height: 1080 },
    }));
    ({ page: head } = await openContext(browser, server));
    ({ page: teacher } = await openContext(browser, server));
    await Promise.all([signIn(head, demoEmail('head')), signIn(teacher, demoEmail('teacher'))]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a TV shows a pairing code; the headteacher claims it for Year 6 and the board appears on the TV by itself', async () => {
    await tv.goto('/display');
    const code = (await tv.locator('.pairing__code').innerText()).trim();
    expect(code).toMatch(/^[A-Z0-9]{3} [A-Z0-9]{3}$/);
    await checkA11y(tv, 'pairing screen');

    await head.goto(`/displays/pair?code=${code.replace(' ', '')}`);
    await checkA11y(head, 'pairing form');
    await head.getByLabel('Display name').fill('Staffroom TV');
    await head.getByLabel("One team's scoreboard", { exact: true }).check();
    await head.getByLabel("Team (for one team's scoreboard)").selectOption({ label: 'Year 6 — Ashcombe Primary' });
    await head.getByRole('button', { name: 'Pair display' }).click();
    await head.waitForURL('**/displays');
    await expect.poll(() => head.locator('table').innerText()).toContain('Staffroom TV');
    await checkA11y(head, 'list of displays');

    // The pairing screen asks every 2 s; nobody touches the TV.
    await tv.locator('[data-banner]').first().waitFor({ state: 'visible', timeout: 10_000 });
    expect(new URL(tv.url()).pathname).toBe('/display');
    const banner = (await tv.locator('[data-banner]').first().innerText()).trim();
    expect(banner).toMatch(
      /^[▲▼] (Winning|Losing)\n+(The lag, .*|No lag reading yet); \d of \d lead measures? hit target last week/,
    );
    await expect.poll(() => tv.locator('.wall-board__team').innerText()).toBe('Year 6');
    await checkA11y(tv, 'the board in its dark theme');
    fs.mkdirSync(RESULTS, { recursive: true });
    await tv.screenshot({ path: path.join(RESULTS, 'display-1920x1080.png') });
    expect(unexpectedProblems(tvProblems, tv)).toEqual([]);
  });

  it('a number the teacher saves on their phone reaches the TV within 2 seconds, without a reload', async () => {
    const db = server.app.db;
    const teacherId = findPersonByEmail(db, demoEmail('teacher'))!.id;
    const measure = activeTeamMeasures(db, [teamId]).find((m) => m.kind === 'number')!;
    const cellId = `c${measure.id}_${measure.perPerson ? teacherId : 'team'}-value`;
    const shown = tv.locator(`[data-this-week="${measure.id}"]`).first();
    const before = await shown.innerText();
    await tv.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    await teacher.goto(`/teams/${teamId}/week`);
    const cell = teacher.locator(`#${cellId}`);
    await cell.fill('17');
    const [saved] = await Promise.all([
      teacher.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/teams/${teamId}/entries`,
      ),
      cell.press('Tab'),
    ]);
    expect(saved.status()).toBe(200);
    const savedAt = Date.now();

    const team = db.select().from(teams).where(eq(teams.id, teamId)).get()!;
    const lead = teamBoards(db, team, TODAY)
      .boards.flatMap((b) => b.leads)
      .find((l) => l.measure.id === measure.id)!;
    const expected = withUnit(lead.current!.value!, lead.unit);
    expect(expected).not.toBe(before);
    await expect.poll(() => shown.innerText(), { timeout: 2000, interval: 50 }).toBe(expected);
    const took = Date.now() - savedAt;
    expect(took).toBeLessThan(2000);
    // The same document: the board was swapped in, not reloaded.
    expect(await tv.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await checkA11y(tv, 'the board after a live update');
  });

  it('after a server restart the TV reconnects by itself and keeps showing live numbers', async () => {
    await tv.evaluate(() => ((window as unknown as { marker: number }).marker = 43));
    await server.restart();
    const db = server.app.db;
    const teacherId = findPersonByEmail(db, demoEmail('teacher'))!.id;
    const measure = activeTeamMeasures(db, [teamId]).find((m) => m.kind === 'number')!;
    const shown = tv.locator(`[data-this-week="${measure.id}"]`).first();
    // The teacher's session lives in the database, so it outlives the restart too.
    await teacher.goto(`/teams/${teamId}/week`);
    const cell = teacher.locator(`#c${measure.id}_${measure.perPerson ? teacherId : 'team'}-value`);
    await cell.fill('23');
    const [saved] = await Promise.all([
      teacher.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/teams/${teamId}/entries`,
      ),
      cell.press('Tab'),
    ]);
    expect(saved.status()).toBe(200);
    const team = db.select().from(teams).where(eq(teams.id, teamId)).get()!;
    const lead = teamBoards(db, team, TODAY)
      .boards.flatMap((b) => b.leads)
      .find((l) => l.measure.id === measure.id)!;
    // The extension reconnects with back-off (1 s, then doubling, at most 5 s apart) and is sent the current board.
    await expect
      .poll(() => shown.innerText(), { timeout: 8000, interval: 100 })
      .toBe(withUnit(lead.current!.value!, lead.unit));
    expect(await tv.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(43);
    // While the server was going down (Fastify answers 503 while closing) and down, the extension's reconnect attempts may
    // have failed, as they should: nothing else went wrong.
    const expectedWhileDown =
      /(ERR_CONNECTION_REFUSED|status of 503 \(Service Unavailable\)) \(from \S+\/display\/stream\)|htmx:sse:error: (Failed to fetch|SSE reconnect failed with status 503)/;
    expect(unexpectedProblems(tvProblems, tv).filter((p) => !expectedWhileDown.test(p))).toEqual([]);
  });

  it("a school's board and the trust's WIG tree on a wall: axe finds nothing in the dark theme at 1080p", async () => {
    const { page: ceo } = await openContext(browser, server);
    await signIn(ceo, demoEmail('ceo'));
    for (const [leader, label, board] of [
      [head, "A school's page", 'Ashcombe Primary'],
      [ceo, 'The trust: the aligned WIG tree', null],
    ] as const) {
      const { page: wall, problems } = await openContext(browser, server, { viewport: { width: 1920, height: 1080 } });
      await wall.goto('/display');
      const code = (await wall.locator('.pairing__code').innerText()).trim();
      await leader.goto(`/displays/pair?code=${code.replace(' ', '')}`);
      await leader.getByLabel('Display name').fill(`Wall ${label}`);
      await leader.getByLabel(label, { exact: true }).check();
      if (board) await leader.getByLabel('School (for a rotation or the school page)').selectOption({ label: board });
      await leader.getByRole('button', { name: 'Pair display' }).click();
      await leader.waitForURL('**/displays');
      await wall.locator('.wall-overview').waitFor({ state: 'visible', timeout: 10_000 });
      // The trust's tree comes a part at a time (a trust WIG with one school's WIGs under it), so each part fits the screen.
      if (!board) expect(await wall.locator('.wall-board__team').innerText()).toMatch(/^The aligned WIGs · 1 of \d+$/);
      await checkA11y(wall, `${label} on a wall`);
      await wall.screenshot({ path: path.join(RESULTS, `display-${board ? 'school' : 'trust'}-1920x1080.png`) });
      expect(unexpectedProblems(problems, wall)).toEqual([]);
      await wall.context().close();
    }
    await ceo.context().close();
  });

  it('revoked, the TV goes back to its pairing screen within seconds', async () => {
    await head.goto('/displays');
    await head.getByRole('button', { name: 'Revoke Staffroom TV' }).click();
    await head.waitForURL('**/displays');
    await expect.poll(() => head.locator('main').innerText()).toContain('Staffroom TV is revoked');
    expect(await head.locator('table').innerText()).not.toContain('Staffroom TV');
    await tv.locator('.pairing__code').waitFor({ state: 'visible', timeout: 5000 });
    await checkA11y(tv, 'pairing screen after revoke');
    expect(unexpectedProblems(tvProblems, tv)).toEqual([]);
  });
});
