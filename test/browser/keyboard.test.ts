// Keyboard-only use in real Chromium: sign-in, the skip link, every control reachable with visible focus, and htmx swaps driven from the keyboard.
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { people, roleAssignments } from '../../src/db/schema.ts';
import {
  checkA11y,
  DEMO_PASSWORD,
  demoEmail,
  demoSchoolId,
  demoTeamId,
  describeBrowser,
  focused,
  launchBrowser,
  openContext,
  signIn,
  startBrowserServer,
  tabTo,
  type BrowserServer,
  type PageProblems,
  unexpectedProblems,
} from '../helpers/browser.ts';

const emailOf = demoEmail;

interface TabWalk {
  /** Every Tab stop, in order, until focus came back round to the first one. */
  stops: string[];
  /** Visible, enabled controls that no Tab press reached. */
  unreached: string[];
  /** Tab stops with no visible focus indicator (no outline and no box-shadow). */
  invisibleFocus: string[];
  wrapped: boolean;
}

/**
 * Tabs through the whole page from the top: every visible control must be reached, each with a visible focus
 * indicator, and focus must come back round to the first stop (no keyboard trap).
 */
async function walkTabOrder(page: Page, max = 150): Promise<TabWalk> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    (window as unknown as { __tabSeen: Set<Element> }).__tabSeen = new Set();
  });
  const stops: string[] = [];
  const invisibleFocus: string[] = [];
  let first: string | null = null;
  let wrapped = false;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      const state = window as unknown as { __tabSeen: Set<Element>; __tabLast?: Element };
      // A time input takes one Tab per part (hours, minutes): staying on the same element is not coming round again.
      if (state.__tabLast === el) return { same: true, again: false, visibleFocus: true };
      state.__tabLast = el;
      const again = state.__tabSeen.has(el);
      state.__tabSeen.add(el);
      const style = getComputedStyle(el);
      const visibleFocus =
        (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      return { same: false, again, visibleFocus };
    });
    if (stop === null || stop.same) continue; // focus left the document for the browser's own UI, or moved within one control
    const name = await focused(page);
    if (stop.again) {
      wrapped = name === first;
      break;
    }
    first ??= name;
    stops.push(name);
    if (!stop.visibleFocus) invisibleFocus.push(name);
  }
  const unreached = await page.evaluate(() => {
    const seen = (window as unknown as { __tabSeen: Set<Element> }).__tabSeen;
    const candidates = document.querySelectorAll<HTMLElement>(
      'a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])',
    );
    return Array.from(candidates)
      .filter((el) => el.checkVisibility() && !seen.has(el))
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.innerText || el.getAttribute('name') || '').trim().slice(0, 40)}"`,
      );
  });
  return { stops, unreached, invisibleFocus, wrapped };
}

describeBrowser('keyboard-only use, in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startBrowserServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    ({ context, page, problems } = await openContext(browser, server));
  });
  afterEach(() => context?.close());

  it('signs in with the keyboard alone: Tab to email, type, Tab to password, type, Enter — and lands on home signed in', async () => {
    await page.goto('/login');
    await page.keyboard.press('Tab');
    expect(await focused(page), 'the skip link is the first Tab stop').toContain('a.skip-link');
    const presses = await tabTo(page, page.locator('input[name="email"]'), { max: 5 });
    expect(presses, 'the email field is the first field, right after the header').toBeLessThanOrEqual(2);
    await page.keyboard.type(emailOf('teacher'));
    await page.keyboard.press('Tab');
    expect(await focused(page)).toContain('[name=password]');
    await page.keyboard.type(DEMO_PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.keyboard.press('Enter')]);
    await expect(page.locator('h1').innerText()).resolves.toBe('Hello, Aaron Beckett');
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    await checkA11y(page, 'home after keyboard sign-in');
    expect(unexpectedProblems(problems, page)).toEqual([]);
  });

  it('the skip link is the first Tab stop, shows when focused, and moves focus to the main content', async () => {
    await signIn(page, emailOf('admin'));
    for (const url of ['/', '/admin/people', '/login']) {
      await page.goto(url);
      await page.keyboard.press('Tab');
      expect(await focused(page), `first Tab stop on ${url}`).toContain('a.skip-link');
      const box = await page.locator('a.skip-link').boundingBox();
      expect(box && box.y >= 0 && box.height > 0, `the focused skip link is on screen on ${url}`).toBe(true);
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id), `focus after the skip link on ${url}`).toBe('main');
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(() => Boolean(document.activeElement?.closest('main'))),
        `the next Tab stays in main on ${url}`,
      ).toBe(true);
    }
    expect(unexpectedProblems(problems, page)).toEqual([]);
  });

  it('every control on the main pages is reachable by Tab, shows its focus, and focus never gets trapped', async () => {
    const walk = async (url: string) => {
      await page.goto(url);
      const result = await walkTabOrder(page);
      expect(result.unreached, `controls Tab never reached on ${url}`).toEqual([]);
      expect(result.invisibleFocus, `Tab stops with no visible focus on ${url}`).toEqual([]);
      expect(result.wrapped, `focus came back round to the start on ${url}; stops: ${result.stops.join(' → ')}`).toBe(
        true,
      );
    };
    await walk('/login');
    await signIn(page, emailOf('head'));
    const ashcombe = demoSchoolId(server.app.db);
    const year6 = demoTeamId(server.app.db);
    for (const url of ['/', `/schools/${ashcombe}`, '/admin', `/admin/teams/${year6}`]) await walk(url);
    expect(unexpectedProblems(problems, page)).toEqual([]);
  });

  describe('htmx: a headteacher changes who is in a team with the keyboard', () => {
    let teamId: number;
    let teamUrl: string;
    let documentLoads: number;

    beforeEach(async () => {
      teamId = demoTeamId(server.app.db, 'EYFS');
      teamUrl = `/admin/teams/${teamId}`;
      await signIn(page, emailOf('head'));
      await page.goto(teamUrl);
      await page.waitForFunction(() => 'htmx' in window);
      // Any full page load from here on would reset this flag and be counted.
      await page.evaluate(() => {
        (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
      });
      documentLoads = 0;
      page.on('load', () => documentLoads++);
    });

    const stillSameDocument = async () => {
      expect(
        await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true),
        'the page did not reload',
      ).toBe(true);
      expect(documentLoads, 'no document load after the swap').toBe(0);
      expect(new URL(page.url()).pathname).toBe(teamUrl);
    };

    /** Chooses an option of a focused <select> with the arrow keys, as a keyboard user does. */
    const chooseWithArrows = async (selectId: string, optionText: string) => {
      const { current, wanted } = await page.evaluate(
        ([id, text]) => {
          const select = document.getElementById(id!) as HTMLSelectElement;
          return {
            current: select.selectedIndex,
            wanted: Array.from(select.options).findIndex((o) => o.text.startsWith(text!)),
          };
        },
        [selectId, optionText],
      );
      expect(wanted, `option "${optionText}" is offered`).toBeGreaterThanOrEqual(0);
      for (let i = current; i < wanted; i++) await page.keyboard.press('ArrowDown');
      for (let i = current; i > wanted; i--) await page.keyboard.press('ArrowUp');
      expect(await page.locator(`#${selectId} option:checked`).innerText()).toContain(optionText);
    };

    it('adds a member, then removes them, each by an htmx swap of #team-members without a page load, with no axe violation', async () => {
      const db = server.app.db;
      // Someone from another school, so not in this team yet.
      const newcomer = db
        .select({ id: people.id, name: people.name })
        .from(people)
        .where(eq(people.email, emailOf('sendco')))
        .get()!;
      const members = page.locator('#team-members ul.roster');
      await expect(members.innerText()).resolves.not.toContain(newcomer.name);

      // Add: Tab to the person list, pick with the arrow keys, Tab on to the title, type, Enter.
      await tabTo(page, page.locator('#m-personId'));
      await chooseWithArrows('m-personId', newcomer.name);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toContain('#m-role');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toContain('#m-title');
      await page.keyboard.type('Visiting SENDCO');
      const [added] = await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${teamUrl}/members`,
        ),
        page.keyboard.press('Enter'),
      ]);
      expect(added.status()).toBe(200);
      expect(added.request().headers()['hx-request'], 'sent by htmx').toBe('true');
      await page
        .locator('#team-members .flash')
        .filter({ hasText: `${newcomer.name} added` })
        .waitFor();
      await expect(members.innerText()).resolves.toContain(`${newcomer.name} — Member (Visiting SENDCO)`);
      await stillSameDocument();
      const assignment = db
        .select({ id: roleAssignments.id })
        .from(roleAssignments)
        .where(and(eq(roleAssignments.personId, newcomer.id), eq(roleAssignments.teamId, teamId)))
        .get();
      expect(assignment, 'the member was saved').toBeDefined();
      await checkA11y(page, 'team page after adding a member by htmx');
      expect(await focused(page), 'focus is not lost to the top of the page after the swap').not.toBe('body');

      // Remove: Shift+Tab back from the form to the new member's Remove button, Enter.
      const remove = page.getByRole('button', { name: `Remove ${newcomer.name}` });
      await tabTo(page, remove, { backwards: true });
      const [removed] = await Promise.all([
        page.waitForResponse(
          (r) =>
            r.request().method() === 'POST' &&
            new URL(r.url()).pathname === `${teamUrl}/members/${assignment!.id}/delete`,
        ),
        page.keyboard.press('Enter'),
      ]);
      expect(removed.status()).toBe(200);
      await page
        .locator('#team-members .flash')
        .filter({ hasText: `${newcomer.name} removed` })
        .waitFor();
      await expect(members.innerText()).resolves.not.toContain(newcomer.name);
      await stillSameDocument();
      expect(
        db.select().from(roleAssignments).where(eq(roleAssignments.id, assignment!.id)).get(),
        'the member was removed',
      ).toBeUndefined();
      await checkA11y(page, 'team page after removing a member by htmx');
      expect(unexpectedProblems(problems, page), 'no CSP violation or page error').toEqual([]);
    });

    it('a refused add (422) is swapped in place with its message, keeps the page, and has no axe violation', async () => {
      await tabTo(page, page.locator('#m-title'));
      await page.keyboard.type('Nobody chosen');
      const [refused] = await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${teamUrl}/members`,
        ),
        page.keyboard.press('Enter'),
      ]);
      expect(refused.status()).toBe(422);
      await page.locator('#team-members .field__error').first().waitFor();
      await expect(page.locator('#m-personId').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator('#m-title').inputValue(), 'the typed value is kept').resolves.toBe('Nobody chosen');
      await stillSameDocument();
      await checkA11y(page, 'team page after a refused add');
      expect(unexpectedProblems(problems, page, 422, `${teamUrl}/members`), 'no CSP violation or page error').toEqual(
        [],
      );
    });
  });
});
