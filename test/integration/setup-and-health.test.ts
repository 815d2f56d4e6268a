// First run on an empty database, the health check, and what a browser sees when a page is missing or the server fails.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { rules } from '../../src/domain/access.ts';
import { auditLog, people, roleAssignments, trustSettings, signInSessions } from '../../src/db/schema.ts';
import { Client, createTestApp, signedIn, tempDir, TEST_PASSWORD, testConfig, type TestApp } from '../helpers/app.ts';
import { loadConfig } from '../../src/config.ts';
import { EMAIL, seedWorld } from '../helpers/world.ts';
import { snapshot } from '../helpers/db.ts';

/** Signs of a stack trace or of our source tree leaking into a page. */
const LEAKS = [
  /\bat [\w.<>]+ \(/,
  /\bat (?:async )?\/?[\w/.-]+\.(?:ts|js):\d+/,
  /node_modules/,
  /\/work\//,
  /\bsrc\/[\w/-]+\.ts\b/,
  /TypeError|ReferenceError|SqliteError/,
];
function expectNoLeak(body: string) {
  for (const leak of LEAKS) expect(body, `page shows ${leak}`).not.toMatch(leak);
}

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('first run on an empty database', () => {
  const firstAdmin = {
    trustName: 'Hillside Learning Trust',
    timeZone: 'Europe/London',
    name: 'Carys Jones',
    email: 'Carys.Jones@Hillside.sch.uk',
    password: 'a long first password',
  };

  it('GET /login — sends the first visitor to the set-up page, and a protected page sends them to sign in first', async () => {
    t = await createTestApp();
    const visitor = new Client(t.app);
    const login = await visitor.get('/login');
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/setup');
    const home = await visitor.get('/');
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toBe('/login?next=%2F');
    const setup = await visitor.get('/setup');
    expect(setup.statusCode).toBe(200);
    expect(setup.body).toContain('Set up wigboard');
    expect(setup.body).toContain('value="Europe/London"');
  });

  it('POST /setup — creates the trust, its first trust admin and their role, audits it, and signs the admin in', async () => {
    t = await createTestApp();
    const db = t.app.db;
    const visitor = new Client(t.app);
    await visitor.get('/setup');
    const response = await visitor.post('/setup', firstAdmin);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin');

    expect(db.select().from(trustSettings).all()).toEqual([
      expect.objectContaining({ id: 1, name: 'Hillside Learning Trust', timeZone: 'Europe/London' }),
    ]);
    const everyone = db.select().from(people).all();
    expect(everyone).toEqual([
      expect.objectContaining({ name: 'Carys Jones', email: 'carys.jones@hillside.sch.uk', disabledAt: null }),
    ]);
    const admin = everyone[0]!;
    expect(admin.passwordHash).toMatch(/^scrypt\$/);
    expect(admin.passwordHash).not.toContain(firstAdmin.password);
    expect(db.select().from(roleAssignments).all()).toEqual([
      expect.objectContaining({ personId: admin.id, role: 'trust_admin', schoolId: null, teamId: null }),
    ]);
    expect(db.select().from(auditLog).all()).toEqual([
      expect.objectContaining({ actorId: admin.id, action: 'setup', entity: 'trust_settings' }),
    ]);
    expect(db.select().from(signInSessions).all()).toEqual([expect.objectContaining({ personId: admin.id })]);

    const page = await visitor.get('/admin');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Welcome. Hillside Learning Trust is set up and you are its trust admin.');
    // The password chosen signs in from another browser.
    expect((await new Client(t.app).login('carys.jones@hillside.sch.uk', firstAdmin.password)).statusCode).toBe(303);
  });

  it('POST /setup — a form with mistakes is answered 422 with a message by each field, values kept but not the password, and writes nothing', async () => {
    t = await createTestApp();
    const visitor = new Client(t.app);
    await visitor.get('/setup');
    const before = snapshot(t.app.db);
    const response = await visitor.post('/setup', {
      ...firstAdmin,
      timeZone: 'Mars/Olympus',
      email: 'not an email',
      password: 'short',
    });
    expect(response.statusCode).toBe(422);
    for (const field of ['timeZone', 'email', 'password'])
      expect(response.body).toMatch(new RegExp(`id="f-${field}-error"`));
    expect(response.body).toContain('value="Hillside Learning Trust"');
    expect(response.body).toContain('value="Mars/Olympus"');
    expect(response.body).not.toContain('value="short"');
    expect(snapshot(t.app.db)).toEqual(before);
    expect(t.app.db.select().from(people).all()).toEqual([]);
  });

  it('GET and POST /setup — are not found once anyone exists, signed in or not, and a second set-up writes nothing', async () => {
    t = await createTestApp();
    const visitor = new Client(t.app);
    await visitor.get('/setup');
    expect((await visitor.post('/setup', firstAdmin)).statusCode).toBe(303);
    const before = snapshot(t.app.db);

    const stranger = new Client(t.app);
    const page = await stranger.get('/setup');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Page not found');
    await stranger.get('/login');
    const takeover = await stranger.post('/setup', {
      ...firstAdmin,
      trustName: 'Takeover Trust',
      email: 'intruder@example.com',
    });
    expect(takeover.statusCode).toBe(404);
    expect((await visitor.get('/setup')).statusCode).toBe(404);
    expect((await visitor.post('/setup', { ...firstAdmin, email: 'second@example.com' })).statusCode).toBe(404);
    expect(snapshot(t.app.db)).toEqual(before);
    expect((await stranger.get('/login')).statusCode).toBe(200);
  });
});

describe('GET /healthz', () => {
  it('answers 200 {status: "ok"} when the database answers, and is never cached', async () => {
    t = await createTestApp();
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 when the database is closed', async () => {
    t = await createTestApp();
    t.app.db.$client.close();
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unavailable' });
  });
});

describe('error pages', () => {
  it('an unknown address answers a friendly 404 HTML page with no stack trace', async () => {
    t = await createTestApp();
    await seedWorld(t.app.db);
    const response = await new Client(t.app).get('/no/such/page?x=<script>');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('Page not found');
    expect(response.body).not.toContain('<script>');
    expectNoLeak(response.body);
    // Signed in, the 404 page still shows the person their navigation.
    const member = await signedIn(t.app, EMAIL.member);
    const signedInPage = await member.get('/nothing-here');
    expect(signedInPage.statusCode).toBe(404);
    expect(signedInPage.body).toContain('Sign out');
    // From htmx, the message alone.
    const fragment = await member.get('/nothing-here', { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(fragment.statusCode).toBe(404);
    expect(fragment.body.trimStart()).toMatch(/^<section id="error-message"/);
  });

  it('a request that cannot be read answers a 400 HTML page with no stack trace', async () => {
    t = await createTestApp();
    await seedWorld(t.app.db);
    const response = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expectNoLeak(response.body);
  });

  describe('an error thrown inside a route', () => {
    let app: FastifyInstance | null = null;
    let dir = '';
    afterEach(async () => {
      await app?.close();
      app = null;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function appWithFaultyRoutes() {
      dir = tempDir();
      app = await buildApp(testConfig(dir));
      // Test-only routes, registered before ready(), each with an access rule as every route must have.
      app.get('/test/throws', { config: { access: rules.public } }, async () => {
        throw new Error('database password is hunter2 at /work/main/src/secret.ts:12:3');
      });
      app.get('/test/throws-sync', { config: { access: rules.public } }, () => {
        JSON.parse('{definitely not json');
      });
      await app.ready();
      return app;
    }

    it('answers a 500 page with a reference id to quote, and neither the message nor a stack trace', async () => {
      const faulty = await appWithFaultyRoutes();
      for (const url of ['/test/throws', '/test/throws-sync']) {
        const response = await faulty.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(500);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        expect(response.body).toContain('Something went wrong');
        const reference = String(response.headers['x-request-id']);
        expect(reference).toMatch(/^[\w-]{8,}$/);
        expect(response.body).toContain(reference);
        expect(response.body).not.toContain('hunter2');
        expect(response.body).not.toContain('JSON');
        expectNoLeak(response.body);
      }
    });

    it('uses the request id a proxy gave, so the reference matches the proxy logs, and answers htmx with the message alone', async () => {
      const faulty = await appWithFaultyRoutes();
      const response = await faulty.inject({
        method: 'GET',
        url: '/test/throws',
        headers: { 'x-request-id': 'proxy-req-42' },
      });
      expect(response.statusCode).toBe(500);
      expect(response.body).toContain('proxy-req-42');
      const fragment = await faulty.inject({
        method: 'GET',
        url: '/test/throws',
        headers: { 'hx-request': 'true', 'hx-request-type': 'partial' },
      });
      expect(fragment.statusCode).toBe(500);
      expect(fragment.body.trimStart()).toMatch(/^<section id="error-message"/);
      expect(fragment.body).toContain(String(fragment.headers['x-request-id']));
      expectNoLeak(fragment.body);
      // A request id that could smuggle markup is not trusted: a fresh one is made.
      const hostile = await faulty.inject({
        method: 'GET',
        url: '/test/throws',
        headers: { 'x-request-id': '<script>alert(1)</script>' },
      });
      expect(hostile.body).not.toContain('<script>alert(1)</script>');
      expect(String(hostile.headers['x-request-id'])).not.toContain('<');
    });
  });
});

describe('secure cookies behind a proxy', () => {
  it('with SECURE_COOKIES and TRUST_PROXY, a sign-in forwarded as https gets a Secure session cookie', async () => {
    const t = await createTestApp({ SECURE_COOKIES: 'true', TRUST_PROXY: 'true' });
    try {
      await seedWorld(t.app.db);
      const client = new Client(t.app);
      const response = await client.post(
        '/login',
        { email: EMAIL.member, password: TEST_PASSWORD },
        { headers: { 'x-forwarded-proto': 'https' } },
      );
      expect(response.statusCode).toBe(303);
      const cookie = response.cookies.find((c) => c.name === 'wigboard_session');
      expect(cookie?.secure).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('with SECURE_COOKIES over plain http, sign-in says why it cannot work instead of failing silently', async () => {
    const t = await createTestApp({ SECURE_COOKIES: 'true' });
    try {
      await seedWorld(t.app.db);
      const response = await new Client(t.app).post('/login', { email: EMAIL.member, password: TEST_PASSWORD });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('Sign-in needs a secure (https) connection');
    } finally {
      await t.close();
    }
  });

  it('TRUST_PROXY refuses anything but true, false or addresses', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8']);
  });
});

describe('security headers', () => {
  it('every page, the display and the assets carry a strict CSP and the other headers, built once and sent every time', async () => {
    t = await createTestApp();
    for (const url of ['/login', '/display', '/assets/app.css', '/no-such-page', '/healthz']) {
      for (let i = 0; i < 2; i++) {
        const response = await new Client(t.app).get(url);
        const csp = String(response.headers['content-security-policy']);
        expect(csp, url).toContain("default-src 'self'");
        expect(csp, url).toContain("script-src 'self'");
        expect(csp, url).not.toContain('unsafe-inline');
        expect(csp, url).toContain("frame-ancestors 'none'");
        expect(csp, url).toContain("base-uri 'none'");
        expect(response.headers['x-frame-options'], url).toBe('DENY');
        expect(response.headers['x-content-type-options'], url).toBe('nosniff');
        expect(response.headers['referrer-policy'], url).toBe('same-origin');
      }
    }
  });
});
