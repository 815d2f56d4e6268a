// Every page each demo role can reach, in real Chromium: zero axe violations (WCAG 2.2 AA), no CSP breach, and no sideways scroll at 320 px.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { issueToken } from '../../src/db/queries/auth.ts';
import { createPerson } from '../../src/db/queries/people.ts';
import { leadMeasures, people, wigs } from '../../src/db/schema.ts';
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
  type PageProblems,
  unexpectedProblems,
} from '../helpers/browser.ts';

type DemoRole = 'admin' | 'ceo' | 'til' | 'sendco' | 'head' | 'lead' | 'teacher';
const emailOf = demoEmail;

interface Ids {
  ashcombe: number;
  brookfield: number;
  year6: number;
  sendcoNetwork: number;
  leadershipTeam: number;
  teacher: number;
  trustWig: number;
  ashcombeWig: number;
  year6Wig: number;
  year6Measure: number;
}

function demoIds(server: BrowserServer): Ids {
  const db = server.app.db;
  const ashcombe = demoSchoolId(db);
  return {
    ashcombe,
    brookfield: demoSchoolId(db, 'Brookfield Primary'),
    year6: demoTeamId(db),
    sendcoNetwork: demoTeamId(db, 'Trust SENDCO network', null),
    leadershipTeam: demoTeamId(db, 'Trust leadership team', null),
    teacher: db
      .select({ id: people.id })
      .from(people)
      .where(eq(people.email, emailOf('teacher')))
      .get()!.id,
    ...demoWigIds(db, ashcombe, demoTeamId(db)),
  };
}

/** The demo's active trust WIG, Ashcombe's school WIG and Year 6's team WIG with its first lead measure. */
function demoWigIds(db: BrowserServer['app']['db'], ashcombe: number, year6: number) {
  const active = (where: ReturnType<typeof eq>) =>
    db
      .select({ id: wigs.id })
      .from(wigs)
      .where(and(where, eq(wigs.status, 'active')))
      .get()!.id;
  const year6Wig = active(eq(wigs.teamId, year6));
  return {
    trustWig: active(eq(wigs.level, 'trust')),
    ashcombeWig: db
      .select({ id: wigs.id })
      .from(wigs)
      .where(and(eq(wigs.level, 'school'), eq(wigs.schoolId, ashcombe), eq(wigs.status, 'active')))
      .get()!.id,
    year6Wig,
    year6Measure: db.select({ id: leadMeasures.id }).from(leadMeasures).where(eq(leadMeasures.wigId, year6Wig)).get()!
      .id,
  };
}

/**
 * The pages each role reaches (its navigation included, checked below), from the access rules in src/domain/access.ts.
 * Written with {placeholders} for ids (known only once the demo trust is seeded), so each page is a test of its own.
 */
function reachable(role: DemoRole): string[] {
  const readTrust = [
    '/',
    '/schools',
    '/schools/{ashcombe}',
    '/schools/{brookfield}',
    '/teams/{year6}',
    '/teams/{year6}/scoreboard',
    '/teams/{leadershipTeam}',
    '/trust',
    '/trust/tree',
    '/schools/{ashcombe}/tree',
  ];
  switch (role) {
    case 'admin':
      return [
        ...readTrust,
        '/teams/{sendcoNetwork}',
        '/admin',
        '/admin/settings',
        '/admin/schools/new',
        '/admin/schools/{ashcombe}',
        '/admin/schools/{ashcombe}/teams/new',
        '/admin/trust-teams/new',
        '/admin/teams/{year6}',
        '/admin/teams/{sendcoNetwork}',
        '/admin/people',
        '/admin/people?q=ashcombe',
        '/admin/people/new',
        '/admin/people/{teacher}',
        '/admin/invitations',
        '/admin/calendar',
        '/admin/schools/{brookfield}/closures',
        // Cadence reminders (issue 7)
        '/admin/reminders',
        '/admin/reminders/schools/{ashcombe}',
        '/admin/outbox',
        '/reminders/preferences',
        '/wigs/{trustWig}',
        '/trust/wigs/new',
        '/displays',
        '/displays/pair',
      ];
    case 'ceo':
    case 'til':
      return [
        ...readTrust,
        '/wigs/{trustWig}',
        '/wigs/{ashcombeWig}',
        '/wigs/{year6Wig}',
        '/trust/wigs/new',
        '/wigs/{trustWig}/edit',
        '/displays',
        '/displays/pair',
        '/trust/health',
        '/schools/{ashcombe}/health',
        '/schools/{ashcombe}/radar',
      ];
    case 'sendco':
      return [...readTrust, '/teams/{sendcoNetwork}', '/displays', '/displays/pair'];
    case 'head':
      return [
        '/',
        '/schools/{ashcombe}',
        '/teams/{year6}',
        '/admin',
        '/admin/schools/{ashcombe}',
        '/admin/schools/{ashcombe}/teams/new',
        '/admin/schools/{ashcombe}/closures',
        '/admin/teams/{year6}',
        '/wigs/{ashcombeWig}',
        '/wigs/{year6Wig}',
        '/schools/{ashcombe}/wigs/new',
        '/teams/{year6}/week',
        '/displays',
        '/displays/pair',
        '/schools/{ashcombe}/health',
        '/schools/{ashcombe}/radar',
        '/teams/{year6}/health',
        '/teams/{year6}/commitments',
        '/teams/{year6}/session',
        '/schools/{ashcombe}/tree',
      ];
    case 'lead':
      return [
        '/',
        '/teams/{year6}',
        '/teams/{year6}/scoreboard',
        '/teams/{year6}/week',
        '/wigs/{year6Wig}',
        '/wigs/{year6Wig}/edit',
        '/wigs/{year6Wig}/measures/new',
        '/measures/{year6Measure}/edit',
        '/teams/{year6}/wigs/new',
        '/teams/{year6}/import',
        '/wigs/{year6Wig}/readings/import',
        '/displays',
        '/displays/pair',
        '/teams/{year6}/health',
        '/teams/{year6}/commitments',
        '/teams/{year6}/calendar',
        '/teams/{year6}/session',
      ];
    case 'teacher':
      return [
        '/',
        '/teams/{year6}',
        '/teams/{year6}/scoreboard',
        '/teams/{year6}/week',
        '/wigs/{year6Wig}',
        '/teams/{year6}/commitments',
        '/people/{teacher}/commitments',
        '/teams/{year6}/calendar',
        '/teams/{year6}/session',
        '/reminders/preferences',
      ];
  }
}

const resolve = (template: string, ids: Ids) => template.replace(/\{(\w+)\}/g, (_, key: keyof Ids) => String(ids[key]));

/** Goes to a page and checks it: the expected status, a heading, no console or CSP trouble, zero axe violations. */
async function visit(page: Page, problems: PageProblems, url: string, status = 200): Promise<void> {
  const response = await page.goto(url);
  expect(response?.status(), `status of ${url}`).toBe(status);
  await expect(page.locator('h1').first().isVisible(), `${url} has a visible h1`).resolves.toBe(true);
  await checkA11y(page, url);
  expect(unexpectedProblems(problems, page, status), `console and CSP on ${url}`).toEqual([]);
}

/** Submits a normal (non-htmx) form by clicking its button and returns the status of the answer. */
async function submit(page: Page, buttonName: string | RegExp): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    page.getByRole('button', { name: buttonName }).click(),
  ]);
  await page.waitForLoadState('load');
  return response.status();
}

/** After a form re-render: the error summary is there, and the page still passes axe with no console trouble. */
async function expectAccessibleErrors(
  page: Page,
  problems: PageProblems,
  label: string,
  status: number,
): Promise<void> {
  await expect(page.locator('.error-summary').isVisible(), `${label} shows the error summary`).resolves.toBe(true);
  await expect(
    page.locator('[aria-invalid="true"]').count(),
    `${label} marks a field invalid`,
  ).resolves.toBeGreaterThan(0);
  await checkA11y(page, label);
  expect(unexpectedProblems(problems, page, status), `console and CSP on ${label}`).toEqual([]);
}

describeBrowser('every page, in Chromium, with axe-core (WCAG 2.2 AA)', () => {
  let server: BrowserServer;
  let browser: Browser;
  let ids: Ids;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startBrowserServer(), launchBrowser()]);
    ids = demoIds(server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const role of ['admin', 'ceo', 'til', 'sendco', 'head', 'lead', 'teacher'] as const) {
    describe(`signed in as the demo ${role} (${emailOf(role)})`, () => {
      let context: BrowserContext;
      let page: Page;
      let problems: PageProblems;

      beforeAll(async () => {
        ({ context, page, problems } = await openContext(browser, server));
        await signIn(page, emailOf(role));
      });
      afterAll(() => context?.close());

      for (const template of reachable(role)) {
        it(`${template} has zero axe violations`, async () => {
          await visit(page, problems, resolve(template, ids));
        });
      }

      it('the navigation offers only pages covered by this test', async () => {
        await page.goto('/');
        const nav = await page
          .locator('nav[aria-label="Main"] a')
          .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        expect(nav.length).toBeGreaterThan(0);
        const covered = reachable(role).map((template) => resolve(template, ids));
        for (const href of nav) expect(covered, `nav link ${href}`).toContain(href);
      });
    });
  }

  describe('refusals and errors', () => {
    it('a signed-out visitor gets the sign-in page, a friendly 404, and is sent to sign in from a protected page', async () => {
      const { context, page, problems } = await openContext(browser, server);
      try {
        await visit(page, problems, '/login');
        await visit(page, problems, '/no-such-page', 404);
        await page.goto('/admin');
        expect(new URL(page.url()).pathname).toBe('/login');
        await checkA11y(page, 'sign-in after a protected page');
      } finally {
        await context.close();
      }
    });

    it('the 403 and 404 pages of a signed-in person have zero axe violations', async () => {
      const { context, page, problems } = await openContext(browser, server);
      try {
        await signIn(page, emailOf('teacher'));
        await visit(page, problems, '/admin', 403);
        await visit(page, problems, '/schools', 403);
        await visit(page, problems, `/schools/${ids.ashcombe}`, 403);
        await visit(page, problems, '/no-such-page', 404);
        await visit(page, problems, '/teams/999999', 404);
      } finally {
        await context.close();
      }
    });

    it('a headteacher is refused another school with an accessible 403 page', async () => {
      const { context, page, problems } = await openContext(browser, server);
      try {
        await signIn(page, emailOf('head'));
        await visit(page, problems, `/schools/${ids.brookfield}`, 403);
        await visit(page, problems, `/admin/schools/${ids.brookfield}`, 403);
        await visit(page, problems, '/admin/people', 403);
      } finally {
        await context.close();
      }
    });

    it('sign-in forms re-rendered with errors (422 and 401) have zero axe violations', async () => {
      const { context, page, problems } = await openContext(browser, server);
      try {
        await page.goto('/login');
        expect(await submit(page, 'Sign in')).toBe(422);
        await expectAccessibleErrors(page, problems, 'empty sign-in form', 422);
        await page.locator('input[name="email"]').fill(emailOf('teacher'));
        await page.locator('input[name="password"]').fill('not the password');
        expect(await submit(page, 'Sign in')).toBe(401);
        await expectAccessibleErrors(page, problems, 'wrong password', 401);
        await expect(page.locator('input[name="email"]').inputValue()).resolves.toBe(emailOf('teacher'));
      } finally {
        await context.close();
      }
    });

    it('admin forms re-rendered with 422 errors keep the values and have zero axe violations', async () => {
      const { context, page, problems } = await openContext(browser, server);
      try {
        await signIn(page, emailOf('admin'));

        await page.goto('/admin/schools/new');
        await page.getByLabel('URN (optional)').fill('12ab');
        expect(await submit(page, 'Add school')).toBe(422);
        await expectAccessibleErrors(page, problems, 'new school with errors', 422);
        await expect(page.getByLabel('URN (optional)').inputValue()).resolves.toBe('12ab');

        await page.goto('/admin/settings');
        await page.getByLabel('Time zone').fill('Mars/Olympus');
        expect(await submit(page, 'Save settings')).toBe(422);
        await expectAccessibleErrors(page, problems, 'trust settings with errors', 422);

        await page.goto(`/admin/teams/${ids.year6}`);
        await page.getByLabel('Length in minutes').fill('99');
        expect(await submit(page, 'Save team')).toBe(422);
        await expectAccessibleErrors(page, problems, 'team form with errors', 422);

        await page.goto('/admin/people/new');
        await page.getByLabel('Full name').fill('Zoë 王');
        await page.getByLabel('Email address').fill('not-an-email');
        expect(await submit(page, 'Add person and make invitation link')).toBe(422);
        await expectAccessibleErrors(page, problems, 'new person with errors', 422);

        await page.goto(`/admin/people/${ids.teacher}`);
        await page.getByLabel('Role', { exact: true }).selectOption('school_leader');
        expect(await submit(page, 'Add role')).toBe(422);
        await expectAccessibleErrors(page, problems, 'add role with errors', 422);
      } finally {
        await context.close();
      }
    });
  });

  describe('links and first run', () => {
    it('an admin adds a person, the link page and the invitation (with its 422) have zero axe violations', async () => {
      const admin = await openContext(browser, server);
      const invited = await openContext(browser, server);
      try {
        await signIn(admin.page, emailOf('admin'));
        await admin.page.goto('/admin/people/new');
        await admin.page.getByLabel('Full name').fill('Siân Browser-Test');
        await admin.page.getByLabel('Email address').fill('sian.browser@wigboard.demo');
        expect(await submit(admin.page, 'Add person and make invitation link')).toBe(200);
        await checkA11y(admin.page, 'invitation link page');
        expect(unexpectedProblems(admin.problems, admin.page, 200)).toEqual([]);
        const link = await admin.page.getByLabel('Link').inputValue();
        expect(link.startsWith(`${server.url}/invitations/`)).toBe(true);
        await visit(admin.page, admin.problems, '/admin/invitations');

        const { page, problems } = invited;
        await visit(page, problems, link);
        await page.getByLabel('New password', { exact: true }).fill('a long enough password');
        await page.getByLabel('Type the new password again').fill('a different password');
        expect(await submit(page, 'Create my account')).toBe(422);
        await expectAccessibleErrors(page, problems, 'invitation with errors', 422);
        await page.getByLabel('New password', { exact: true }).fill('a long enough password');
        await page.getByLabel('Type the new password again').fill('a long enough password');
        await submit(page, 'Create my account');
        expect(new URL(page.url()).pathname).toBe('/');
        // A person with no role yet sees a home page too.
        await checkA11y(page, 'home of a person with no role');
      } finally {
        await admin.context.close();
        await invited.context.close();
      }
    });

    it('a password-reset link, an expired link and an unknown link have zero axe violations', async () => {
      const db = server.app.db;
      const reset = issueToken(db, null, ids.teacher, 'password_reset', 60 * 60 * 1000);
      const stale = createPerson(db, null, { name: 'Expired Invitee', email: 'expired.invitee@wigboard.demo' });
      const expired = issueToken(
        db,
        null,
        stale,
        'invitation',
        24 * 60 * 60 * 1000,
        Date.now() - 3 * 24 * 60 * 60 * 1000,
      );
      const { context, page, problems } = await openContext(browser, server);
      try {
        await visit(page, problems, `/password-resets/${reset}`);
        await expect(page.locator('h1').innerText()).resolves.toBe('Choose a new password');
        await visit(page, problems, `/invitations/${expired}`, 404);
        await expect(page.locator('h1').innerText()).resolves.toBe('This link cannot be used');
        await visit(page, problems, '/invitations/no-such-token-at-all', 404);
      } finally {
        await context.close();
      }
    });

    it('the first-run /setup page of an empty database, with and without errors, has zero axe violations', async () => {
      const empty = await startBrowserServer({ seed: 'empty' });
      const { context, page, problems } = await openContext(browser, empty);
      try {
        await page.goto('/login');
        expect(new URL(page.url()).pathname).toBe('/setup');
        await visit(page, problems, '/setup');
        expect(await submit(page, 'Create the trust admin')).toBe(422);
        await expectAccessibleErrors(page, problems, 'setup with errors', 422);
        await page.getByLabel('Trust name').fill('Riverside Learning Trust');
        await page.getByLabel('Your name').fill('Gwen Davies');
        await page.getByLabel('Your email address').fill('gwen@riverside.example');
        await page.getByLabel('Choose a password').fill('a long enough password');
        await submit(page, 'Create the trust admin');
        expect(new URL(page.url()).pathname).toBe('/admin');
        await checkA11y(page, 'admin after first run (with its flash)');
      } finally {
        await context.close();
        await empty.close();
      }
    });
  });

  for (const viewport of [
    { width: 320, height: 640 },
    { width: 1920, height: 1080 },
  ]) {
    describe(`at ${viewport.width}×${viewport.height}`, () => {
      const fits = async (page: Page, label: string) => {
        const overflow = await horizontalOverflow(page);
        expect(
          overflow.scrollWidth,
          `${label} scrolls sideways at ${viewport.width}px; sticking out: ${overflow.culprits.join(', ')}`,
        ).toBeLessThanOrEqual(viewport.width);
      };
      // Narrow screens break layouts, so 320 px gets the wider set; 1080p checks the main shapes (cards, tables, forms).
      const pages: Record<'signedOut' | 'admin' | 'teacher', string[]> =
        viewport.width <= 320
          ? {
              signedOut: ['/login', '/no-such-page'],
              admin: [
                '/',
                '/schools',
                '/schools/{ashcombe}',
                '/teams/{year6}',
                '/admin',
                '/admin/teams/{year6}',
                '/admin/people',
                '/admin/people/{teacher}',
                '/admin/settings',
                '/admin/invitations',
                '/trust',
                '/trust/tree',
                '/schools/{ashcombe}/tree',
              ],
              teacher: ['/', '/teams/{year6}'],
            }
          : {
              signedOut: ['/login'],
              admin: ['/', '/schools', '/admin/teams/{year6}', '/admin/people'],
              teacher: ['/'],
            };

      for (const who of ['signedOut', 'admin', 'teacher'] as const) {
        describe(who === 'signedOut' ? 'signed out' : `signed in as the demo ${who}`, () => {
          let context: BrowserContext;
          let page: Page;
          let problems: PageProblems;

          beforeAll(async () => {
            ({ context, page, problems } = await openContext(browser, server, { viewport }));
            if (who !== 'signedOut') await signIn(page, emailOf(who));
          });
          afterAll(() => context?.close());

          for (const template of pages[who]) {
            it(`${template} fits without sideways scroll and has zero axe violations`, async () => {
              const url = resolve(template, ids);
              await visit(page, problems, url, template === '/no-such-page' ? 404 : 200);
              await fits(page, url);
            });
          }

          if (who === 'admin') {
            it('a form re-rendered with 422 errors fits and has zero axe violations', async () => {
              await page.goto('/admin/schools/new');
              await page.getByLabel('URN (optional)').fill('x');
              expect(await submit(page, 'Add school')).toBe(422);
              await expectAccessibleErrors(page, problems, `422 form at ${viewport.width}px`, 422);
              await fits(page, 'the 422 form');
            });
          }
        });
      }
    });
  }
});
