// Sign-in, sign-out, sessions and CSRF through app.inject on a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { signInSessions } from '../../src/db/schema.ts';
import { Client, createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';

let t: TestApp;
let world: World;

beforeEach(async () => {
  t = await createTestApp({ LOGIN_MAX_PER_ACCOUNT: '3', LOGIN_MAX_PER_IP: '8' });
  world = await seedWorld(t.app.db);
});
afterEach(() => t.close());

describe('POST /login', () => {
  it('signs a member in with a new server-side session and sends them where they were going', async () => {
    const client = new Client(t.app);
    await client.get('/login');
    const before = client.cookies.get('wigboard_session');
    const response = await client.post('/login', {
      email: EMAIL.member.toUpperCase(),
      password: 'correct horse battery',
      next: '/teams/1',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/teams/1');
    expect(client.cookies.get('wigboard_session')).toBeTruthy();
    expect(client.cookies.get('wigboard_session')).not.toBe(before);
    const rows = t.app.db.select().from(signInSessions).where(eq(signInSessions.personId, world.person.member)).all();
    expect(rows).toHaveLength(1);
    const home = await client.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Test member');
  });

  it('refuses a wrong password with the form again, the email kept, and no session', async () => {
    const client = new Client(t.app);
    const response = await client.post('/login', { email: EMAIL.member, password: 'wrong password' });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('The email address or password is not right');
    expect(response.body).toContain(`value="${EMAIL.member}"`);
    expect(t.app.db.select().from(signInSessions).all()).toHaveLength(0);
  });

  it('never redirects off the site after sign-in', async () => {
    const client = new Client(t.app);
    const response = await client.post('/login', {
      email: EMAIL.member,
      password: 'correct horse battery',
      next: '//evil.example/x',
    });
    expect(response.headers.location).toBe('/');
  });

  it('locks an account after repeated failures, even with the right password', async () => {
    const client = new Client(t.app);
    for (let i = 0; i < 3; i++)
      expect((await client.post('/login', { email: EMAIL.lead, password: 'nope nope nope' })).statusCode).toBe(401);
    const locked = await client.post('/login', { email: EMAIL.lead, password: 'correct horse battery' });
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('Too many failed attempts');
    // Another account from the same address is not locked by it.
    expect((await client.post('/login', { email: EMAIL.member, password: 'correct horse battery' })).statusCode).toBe(
      303,
    );
  });

  it('rate-limits sign-in attempts per address', async () => {
    const client = new Client(t.app);
    const codes: number[] = [];
    for (let i = 0; i < 10; i++)
      codes.push(
        (await client.post('/login', { email: `nobody${i}@test.school`, password: 'whatever it is' })).statusCode,
      );
    expect(codes.slice(0, 8).every((c) => c === 401)).toBe(true);
    expect(codes.slice(8)).toEqual([429, 429]);
  });

  it('refuses a disabled person and a person who has not accepted their invitation', async () => {
    for (const email of [EMAIL.disabled, EMAIL.invited]) {
      const response = await new Client(t.app).post('/login', { email, password: 'correct horse battery' });
      expect(response.statusCode).toBe(401);
    }
  });

  it('refuses a sign-in without the CSRF token', async () => {
    const client = new Client(t.app);
    await client.get('/login');
    const response = await client.post(
      '/login',
      { email: EMAIL.member, password: 'correct horse battery' },
      { csrf: false },
    );
    expect(response.statusCode).toBe(403);
    expect(client.cookies.has('wigboard_session')).toBe(false);
  });
});

describe('sessions end', () => {
  it('at sign-out: the old session cookie no longer works', async () => {
    const client = await signedIn(t.app, EMAIL.member);
    const cookie = client.cookies.get('wigboard_session')!;
    expect((await client.post('/logout')).statusCode).toBe(303);
    expect(t.app.db.select().from(signInSessions).all()).toHaveLength(0);
    const replay = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: `wigboard_session=${cookie}` } });
    expect(replay.statusCode).toBe(303);
    expect(replay.headers.location).toBe('/login?next=%2F');
  });

  it('at once when an admin disables the person', async () => {
    const member = await signedIn(t.app, EMAIL.member);
    expect((await member.get('/')).statusCode).toBe(200);
    const admin = await signedIn(t.app, EMAIL.admin);
    const response = await admin.post(`/admin/people/${world.person.member}/disable`);
    expect(response.statusCode).toBe(303);
    const after = await member.get('/');
    expect(after.statusCode).toBe(303);
    expect(
      t.app.db.select().from(signInSessions).where(eq(signInSessions.personId, world.person.member)).all(),
    ).toHaveLength(0);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without a token, and changes nothing', async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    const response = await admin.post('/admin/schools/new', { name: 'Sneaky School' }, { csrf: false });
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('Sneaky School');
    const list = await admin.get('/admin');
    expect(list.body).not.toContain('Sneaky School');
  });

  it('accepts the token in the x-csrf-token header, as htmx sends it', async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    const token = await admin.token();
    const response = await admin.post(
      '/admin/schools/new',
      { name: 'Header School' },
      { csrf: false, headers: { 'x-csrf-token': token } },
    );
    expect(response.statusCode).toBe(303);
  });
});
