// Browser-test harness: the real server on 127.0.0.1 with the demo trust, Debian Chromium through playwright-core, and axe-core checks.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, it } from 'vitest';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { and, eq, isNull } from 'drizzle-orm';
import { buildApp } from '../../src/app.ts';
import { hashPassword } from '../../src/auth/password.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { schools, teams } from '../../src/db/schema.ts';
import { localDate } from '../../src/domain/calendar.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../../scripts/seed-demo.ts';
import { pinnedClock } from './clock.ts';

export { DEMO_PASSWORD };

/** Debian's Chromium (`apt-get install chromium`): never a browser downloaded by a test tool. */
const CHROMIUM_PATH = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM_PATH);
const underCi = process.env.CI === 'true' || process.env.CI === '1';

/** The WCAG 2.2 AA rule sets every page must pass with zero violations. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

/**
 * A describe block that needs Chromium. Without /usr/bin/chromium it is skipped where you can see it on a
 * developer's machine, but under CI=true it fails: a CI run that silently skips the browser tests proves nothing.
 */
export function describeBrowser(name: string, body: () => void): void {
  if (hasChromium) {
    describe(name, body);
  } else if (underCi) {
    describe(name, () => {
      it(`needs Chromium at ${CHROMIUM_PATH}`, () => {
        throw new Error(
          `Chromium is missing at ${CHROMIUM_PATH}; CI must install it (apt-get install chromium) — browser tests may not be skipped under CI=true`,
        );
      });
    });
  } else {
    const why = `SKIPPED: no Chromium at ${CHROMIUM_PATH}; install it with: apt-get install chromium`;
    // The default reporter shows only a count of skipped tests, so say why where it is seen.
    console.warn(`browser tests "${name}" ${why}`);
    describe.skip(`${name} — ${why}`, body);
  }
}

/** Flags for a closed network: without the background-networking ones Chromium keeps dialling out and being refused. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * One headless Chromium per test file. `launch` (not launchPersistentContext) because every role needs its own
 * clean cookie jar: playwright-core gives each launch a fresh mkdtemp user-data dir (playwright_chromiumdev_profile-*)
 * that it deletes on close, and each `newContext` inside it is an isolated, incognito-like profile.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface PageProblems {
  /** Content-Security-Policy violations, from the console and from `securitypolicyviolation` events. */
  csp: string[];
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** Every console message of type error (network ones too, such as an expected 404), with the URL it came from. */
  consoleErrors: { text: string; source: string; page: string }[];
}

/**
 * A fresh context (its own cookies) on the server, with bounded timeouts and a record of the page's problems.
 * A `securitypolicyviolation` listener is installed before any page script runs: addInitScript goes through the
 * DevTools protocol, which the page's CSP does not govern, and it reports through console.error so that
 * violations show up even where Chromium does not log them itself.
 */
export async function openContext(
  browser: Browser,
  server: BrowserServer,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    ...options,
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  const problems: PageProblems = { csp: [], errors: [], consoleErrors: [] };
  const page = await context.newPage();
  page.on('console', (message) => {
    const text = message.text();
    if (/Content[- ]Security[- ]Policy|CSP violation/i.test(text)) problems.csp.push(text);
    if (message.type() === 'error')
      problems.consoleErrors.push({ text, source: message.location().url, page: page.url() });
  });
  page.on('pageerror', (error) => problems.errors.push(`${error.message} (${page.url()})`));
  return { context, page, problems };
}

/**
 * Takes (and clears) what went wrong since the last call: every CSP violation and page error, and every console
 * error except the two a healthy page still logs — the expected error status of the page itself or of the request
 * named by `expectedFrom` (a 404 page logs its 404; an htmx form answered 422 logs that) — and the browser's
 * automatic /favicon.ico request.
 */
export function unexpectedProblems(
  problems: PageProblems,
  page: Page,
  expectedStatus = 200,
  expectedFrom: string = page.url(),
): string[] {
  const expectedLoadError = `Failed to load resource: the server responded with a status of ${expectedStatus} `;
  const found = [
    ...problems.csp.map((text) => `CSP: ${text}`),
    ...problems.errors.map((text) => `page error: ${text}`),
    ...problems.consoleErrors
      .filter((e) => !(new URL(e.source || 'about:blank').pathname === '/favicon.ico'))
      .filter(
        (e) =>
          !(
            expectedStatus >= 400 &&
            e.text.startsWith(expectedLoadError) &&
            e.source === new URL(expectedFrom, page.url()).href
          ),
      )
      .filter((e) => !/Content[- ]Security[- ]Policy|CSP violation/i.test(e.text))
      .map((e) => `console error on ${e.page}: ${e.text}${e.source ? ` (from ${e.source})` : ''}`),
  ];
  problems.csp.length = 0;
  problems.errors.length = 0;
  problems.consoleErrors.length = 0;
  return found;
}

export interface BrowserServer {
  app: FastifyInstance;
  config: Readonly<Config>;
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  dir: string;
  /** Stops the app and starts a new one on the same port and database, as a deploy or a crash and restart would. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real server (buildApp + listen, as src/server.ts does, without its process signal handlers) on 127.0.0.1,
 * on a free port, over a temporary SQLite file: seeded with the demo trust, or left empty for the first-run page.
 * The port is chosen before the app is built so that PUBLIC_URL — used in the invitation links admins hand over — is right.
 */
export async function startBrowserServer(
  options: {
    seed?: 'demo' | 'empty';
    env?: Record<
      string,
      string
    > /** The app's clock ("today"), and the day the demo is seeded on; the suite's pinned day unless given. */;
    now?: () => number;
  } = {},
): Promise<BrowserServer> {
  const now = options.now ?? pinnedClock;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wigboard-browser-'));
  const databasePath = path.join(dir, 'browser.sqlite');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      DATABASE_PATH: databasePath,
      // Cheap scrypt for speed; every browser test signs in from 127.0.0.1, so the per-IP sign-in limit is raised.
      SCRYPT_N: '1024',
      LOGIN_MAX_PER_IP: '1000',
      LOG_LEVEL: 'silent',
      ...options.env,
    });
    if (attempt === 1 && (options.seed ?? 'demo') === 'demo') {
      const database = openDatabase(config.databasePath);
      try {
        seedDemo(database.db, await hashPassword(DEMO_PASSWORD, config.scrypt), localDate(now(), 'Europe/London'));
      } finally {
        database.close();
      }
    }
    const app = await buildApp(config, { now });
    try {
      await app.listen({ host: '127.0.0.1', port });
    } catch (err) {
      await app.close();
      // Another process took the port between the probe and listen: try another one.
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 5) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    let current = app;
    return {
      get app() {
        return current;
      },
      config,
      url,
      dir,
      async restart() {
        await current.close();
        current = await buildApp(config, { now });
        await current.listen({ host: '127.0.0.1', port });
      },
      async close() {
        await current.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

/** Signs in through the real form and waits to land signed in; fails with the form's own message if refused. */
export async function signIn(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page
    .waitForURL((url) => url.pathname !== '/login', { timeout: 10_000 })
    .catch(async () => {
      const message = await page
        .locator('.error-summary')
        .innerText()
        .catch(() => 'no message on the page');
      throw new Error(`sign-in as ${email} failed: ${message.replace(/\s+/g, ' ').trim()}`);
    });
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
}

const requireFromHere = createRequire(import.meta.url);
let axeSource: string | null = null;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA, 2.2 AA) on the page as it is now and throws a readable error listing every
 * violation. axe is not added with a <script> tag: the app's CSP (`script-src 'self'`) rightly blocks inline
 * scripts, and turning on bypassCSP would test a page weaker than the one users get (and hide CSP bugs). Instead
 * its source is evaluated through the DevTools protocol (page.evaluate), which runs outside the page's CSP, so the
 * page keeps its real policy while being checked. It is injected once per document (checked again after htmx swaps).
 */
export async function checkA11y(page: Page, label = ''): Promise<void> {
  axeSource ??= fs.readFileSync(requireFromHere.resolve('axe-core/axe.min.js'), 'utf8');
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!present) await page.evaluate(axeSource);
  const violations = await page.evaluate(
    async (tags) => {
      const axe = (
        window as unknown as {
          axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> };
        }
      ).axe;
      const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    },
    [...AXE_TAGS],
  );
  if (violations.length === 0) return;
  const where = `${label ? `${label} — ` : ''}${page.url()}`;
  const lines = violations.map((v) => {
    const nodes = v.nodes
      .slice(0, 10)
      .map(
        (n) =>
          `      at ${JSON.stringify(n.target)}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n\s*/g, '; ')}` : ''}`,
      )
      .join('\n');
    const more = v.nodes.length > 10 ? `\n      …and ${v.nodes.length - 10} more` : '';
    return `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
  });
  throw new Error(`axe found ${violations.length} accessibility violation(s) on ${where}:\n${lines.join('\n')}`);
}

/** The page's widest point against its viewport, with the elements sticking out past the right edge (for a readable failure). */
export async function horizontalOverflow(
  page: Page,
): Promise<{ scrollWidth: number; viewportWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const viewportWidth = document.documentElement.clientWidth;
    const culprits: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const box = el.getBoundingClientRect();
      if (box.right > viewportWidth + 0.5 && box.width > 0) {
        const name =
          el.tagName.toLowerCase() +
          (el.id ? `#${el.id}` : '') +
          (el.classList.length ? `.${Array.from(el.classList).join('.')}` : '');
        culprits.push(`${name} (right edge ${Math.round(box.right)}px)`);
      }
      if (culprits.length >= 10) break;
    }
    return { scrollWidth: document.documentElement.scrollWidth, viewportWidth, culprits };
  });
}

/** A short description of the element that has focus now (tag, id or name, accessible text), for assertions and messages. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const name = el.getAttribute('name');
    const text = (el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 60);
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${name ? `[name=${name}]` : ''}${el.classList.length ? `.${Array.from(el.classList).join('.')}` : ''}${text ? ` "${text}"` : ''}`;
  });
}

/**
 * Presses Tab (or Shift+Tab) until `target` has focus, as a keyboard-only user would, and returns how many presses it
 * took. Fails, listing every stop on the way, if the target is not reached within `max` presses.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  options: { backwards?: boolean; max?: number } = {},
): Promise<number> {
  const stops: string[] = [];
  for (let presses = 1; presses <= (options.max ?? 80); presses++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return presses;
    stops.push(await focused(page));
  }
  throw new Error(`could not reach ${target} with the keyboard; the Tab stops were:\n  ${stops.join('\n  ')}`);
}

/** The demo account of a role ("teacher" → teacher@wigboard.demo), as the README lists them. */
export const demoEmail = (role: string) => DEMO_ACCOUNTS.find((a) => a.email.startsWith(`${role}@`))!.email;

/** A demo school's id, by name (Ashcombe Primary, the demo accounts' school, unless told). */
export function demoSchoolId(db: Db, name = 'Ashcombe Primary'): number {
  return db.select({ id: schools.id }).from(schools).where(eq(schools.name, name)).get()!.id;
}

/** A demo team's id, by its name and its school's (null for a trust team); the demo Year 6 at Ashcombe unless told. */
export function demoTeamId(db: Db, name = 'Year 6', school: string | null = 'Ashcombe Primary'): number {
  const where = school === null ? isNull(teams.schoolId) : eq(teams.schoolId, demoSchoolId(db, school));
  return db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.name, name), where))
    .get()!.id;
}
