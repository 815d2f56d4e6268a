import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { displayPairings, displays, leadEntries } from '../../src/db/schema.ts';
import { Client, createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { createTeamBoard, createYear } from '../helpers/boards.ts';
import { PINNED_NOW } from '../helpers/clock.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';
import { lastAudit } from '../helpers/db.ts';
import { verdictsIn } from '../helpers/verdicts.ts';
import { saveEntry } from '../../src/db/queries/measures.ts';
import { saveReading } from '../../src/db/queries/wigs.ts';
import { outboxRow } from '../../src/reminders/messages.ts';

let t: TestApp;
let world: World;
let measure: number;
let teamWig: number;

beforeEach(async () => {
  t = await createTestApp();
  world = await seedWorld(t.app.db);
  createYear(t.app.db, [['Autumn', '2026-09-01', '2026-12-18']]);
  ({ measure, teamWig } = createTeamBoard(t.app.db, world));
});
afterEach(() => t.close());

const codeOn = (html: string) => /class="pairing__code"[^>]*>([A-Z0-9 ]+)</.exec(html)?.[1] ?? null;

/** A TV that opened /display, and a leader who claimed its code for team A. */
async function pairedTv(leaderEmail = EMAIL.head) {
  const tv = new Client(t.app);
  const screen = await tv.get('/display');
  const code = codeOn(screen.body)!;
  const leader = await signedIn(t.app, leaderEmail);
  const claimed = await leader.post('/displays/pair', {
    code,
    name: 'Staffroom TV',
    kind: 'team',
    teamId: world.teamA,
    schoolId: '',
    rotateSeconds: 20,
  });
  expect(claimed.statusCode).toBe(303);
  const pickUp = await tv.get('/display');
  expect(pickUp.statusCode).toBe(303);
  return { tv, leader, display: t.app.db.select().from(displays).get()! };
}

describe('pairing', () => {
  it('a TV with no credential shows a code, a QR code and nothing else', async () => {
    const tv = new Client(t.app);
    const screen = await tv.get('/display');
    expect(screen.statusCode).toBe(200);
    expect(codeOn(screen.body)).toMatch(/^[A-Z0-9]{3} [A-Z0-9]{3}$/);
    expect(screen.body).toContain('<svg');
    expect(screen.body).not.toContain('site-nav');
    expect(screen.body).not.toContain('Reading at the expected standard');
    expect(tv.cookies.has('wigboard_pairing')).toBe(true);
    // Asked again, the same TV keeps its code; only the hash of its secret is stored.
    expect(codeOn((await tv.get('/display')).body)).toBe(codeOn(screen.body));
    const row = t.app.db.select().from(displayPairings).get()!;
    expect(row.secretHash).not.toBe(tv.cookies.get('wigboard_pairing'));
    // Until a leader claims it, the poll says nothing.
    const poll = await tv.get('/display/pairing', { 'hx-request': 'true' });
    expect(poll.statusCode).toBe(204);
    expect(poll.headers['hx-redirect']).toBeUndefined();
  });

  it('a headteacher claims the code; the TV picks up its credential once and shows the board', async () => {
    const tv = new Client(t.app);
    const code = codeOn((await tv.get('/display')).body)!;
    const head = await signedIn(t.app, EMAIL.head);
    const form = await head.get(`/displays/pair?code=${code.replace(' ', '')}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`value="${code.replace(' ', '')}"`);
    const claimed = await head.post('/displays/pair', {
      code: code.toLowerCase().replace(' ', '-'),
      name: 'Staffroom TV',
      kind: 'team',
      teamId: world.teamA,
      rotateSeconds: 20,
    });
    expect(claimed.statusCode).toBe(303);
    const row = t.app.db.select().from(displays).get()!;
    expect(row).toMatchObject({
      name: 'Staffroom TV',
      kind: 'team',
      teamId: world.teamA,
      pairedBy: world.person.head,
      tokenHash: null,
      revokedAt: null,
    });
    expect(lastAudit(t.app.db)).toMatchObject({ action: 'display.paired', entityId: row.id });

    expect((await tv.get('/display/pairing', { 'hx-request': 'true' })).headers['hx-redirect']).toBe('/display');
    const pickUp = await tv.get('/display');
    expect(pickUp.statusCode).toBe(303);
    const credential = pickUp.cookies.find((c) => c.name === 'wigboard_display')!;
    expect(credential).toMatchObject({ httpOnly: true, path: '/display', sameSite: 'Lax' });
    expect(t.app.db.select().from(displayPairings).all()).toEqual([]);
    expect(t.app.db.select().from(displays).get()!.tokenHash).not.toBeNull();

    const board = await tv.get('/display');
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain('Staffroom TV');
    expect(board.body).toContain('Parent conferences');
    expect(verdictsIn(board.body)[0]).toMatch(/^(Winning|Losing|No numbers yet): /);
    expect(board.body).toContain('hx-sse:connect="/display/stream"');
  });

  it('bad input gets the form again with the values kept and a message per field, and pairs nothing', async () => {
    const tv = new Client(t.app);
    const code = codeOn((await tv.get('/display')).body)!.replace(' ', '');
    const head = await signedIn(t.app, EMAIL.head);
    const cases: [Record<string, string | number>, string, string][] = [
      [
        { code: 'ZZZZZZ', name: 'Hall', kind: 'team', teamId: world.teamA, rotateSeconds: 20 },
        'f-code-error',
        'No display is showing this code',
      ],
      [{ code, name: '', kind: 'team', teamId: world.teamA, rotateSeconds: 20 }, 'f-name-error', 'Enter display name'],
      [
        { code, name: 'Hall', kind: 'team', teamId: world.teamB, rotateSeconds: 20 },
        'f-teamId-error',
        'Choose one of your teams',
      ],
      [
        { code, name: 'Hall', kind: 'school', schoolId: world.schoolB, rotateSeconds: 20 },
        'f-schoolId-error',
        'Choose one of your schools',
      ],
      [{ code, name: 'Hall', kind: 'trust', rotateSeconds: 20 }, 'f-kind-error', 'Only trust leaders'],
      [
        { code, name: 'Hall', kind: 'rotation', schoolId: world.schoolA, rotateSeconds: 2 },
        'f-rotateSeconds-error',
        'Seconds per team',
      ],
      [{ code, name: 'Hall', kind: 'wall', rotateSeconds: 20 }, 'f-kind-error', 'Choose a valid'],
    ];
    for (const [form, errorId, message] of cases) {
      const response = await head.post('/displays/pair', form);
      expect(response.statusCode, JSON.stringify(form)).toBe(422);
      expect(response.body).toContain(`id="${errorId}"`);
      expect(response.body).toContain(message);
      if (form.name) expect(response.body).toContain(`value="${form.name}"`);
    }
    expect(t.app.db.select().from(displays).all()).toEqual([]);
    expect(t.app.db.select().from(displayPairings).get()!.displayId).toBeNull();
  });

  it('a team leader may pair their own team, not another; a member may not pair at all', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const form = await lead.get('/displays/pair');
    expect(form.statusCode).toBe(200);
    expect(form.body).not.toContain('value="trust"');
    const member = await signedIn(t.app, EMAIL.member);
    expect((await member.get('/displays/pair')).statusCode).toBe(403);
    expect((await member.get('/displays')).statusCode).toBe(403);
  });
});

describe('what a display shows', () => {
  async function paired(email: string, board: Record<string, string | number>) {
    const tv = new Client(t.app);
    const code = codeOn((await tv.get('/display')).body)!;
    const leader = await signedIn(t.app, email);
    expect(
      (await leader.post('/displays/pair', { code, name: 'Hall TV', rotateSeconds: 20, ...board })).statusCode,
    ).toBe(303);
    expect((await tv.get('/display')).statusCode).toBe(303);
    return (await tv.get('/display')).body;
  }

  it("a school's display shows its overview: every team, winning or losing, in the wall's frame", async () => {
    const body = await paired(EMAIL.head, { kind: 'school', schoolId: world.schoolA });
    expect(body).toContain('id="school-overview"');
    expect(body).toContain('Year 6');
    expect(verdictsIn(body).join('\n')).toMatch(/^(Winning|Losing|No numbers yet): /m);
    expect(body).toContain('/assets/boards.css');
  });

  it("the trust's display shows the aligned WIG tree", async () => {
    const body = await paired(EMAIL.ceo, { kind: 'trust' });
    expect(body).toContain('id="wig-tree"');
    expect(body).toContain('The aligned WIGs');
    expect(body).toContain('Reading at the expected standard');
  });

  it("a rotation's display starts with the school's first team", async () => {
    const body = await paired(EMAIL.head, { kind: 'rotation', schoolId: world.schoolA });
    expect(body).toMatch(/class="wall-board__team"[^>]*>(Year 6|EYFS)</);
  });
});

describe('the display credential', () => {
  it('reads only its own board: every other page, form and API treats it as signed out', async () => {
    const { tv } = await pairedTv();
    const only = new Client(t.app);
    only.cookies.set('wigboard_display', tv.cookies.get('wigboard_display')!);
    for (const url of [
      '/',
      `/teams/${world.teamA}/scoreboard`,
      `/teams/${world.teamA}/week`,
      `/schools/${world.schoolA}`,
      '/displays',
      '/displays/pair',
      '/admin',
      '/schools',
    ]) {
      const response = await only.get(url);
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location, url).toMatch(/^\/login\?next=/);
    }
    const post = await t.app.inject({
      method: 'POST',
      url: `/teams/${world.teamA}/entries`,
      headers: {
        cookie: `wigboard_display=${tv.cookies.get('wigboard_display')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `week=2026-11-23&measureId=${measure}&personId=&value=9`,
    });
    expect([401, 403]).toContain(post.statusCode);
    expect(t.app.db.select().from(leadEntries).all()).toEqual([]);
    // The board is chosen by the credential, never by the address.
    expect((await only.get(`/display?team=${world.teamB}`)).body).toContain('Parent conferences');
  });

  it('is revoked by the leader who paired it or a trust admin, and the TV goes back to pairing', async () => {
    const { tv, display } = await pairedTv();
    const other = await signedIn(t.app, EMAIL.otherHead);
    expect((await other.post(`/displays/${display.id}/revoke`)).statusCode).toBe(403);
    const member = await signedIn(t.app, EMAIL.member);
    expect((await member.post(`/displays/${display.id}/revoke`)).statusCode).toBe(403);
    expect(t.app.db.select().from(displays).get()!.revokedAt).toBeNull();

    const admin = await signedIn(t.app, EMAIL.admin);
    const list = await admin.get('/displays');
    expect(list.body).toContain('Staffroom TV');
    expect((await admin.post(`/displays/${display.id}/revoke`)).statusCode).toBe(303);
    expect(t.app.db.select().from(displays).get()!.revokedAt).toBe(PINNED_NOW);
    expect(lastAudit(t.app.db)).toMatchObject({ action: 'display.revoked', entityId: display.id });
    expect((await admin.post(`/displays/${display.id}/revoke`)).statusCode).toBe(404);

    const back = await tv.get('/display');
    expect(codeOn(back.body)).not.toBeNull();
    expect(back.body).not.toContain('Parent conferences');
    const stream = await tv.get('/display/stream');
    expect(stream.body).toContain('event: revoked');
  });
});

describe('live board', () => {
  it('a number saved by a member reaches the connected display, and a revoke ends its stream', async () => {
    const { tv, display } = await pairedTv();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address() as { port: number };
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${address.port}/display/stream`, {
      headers: { cookie: `wigboard_display=${tv.cookies.get('wigboard_display')}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const until = async (pattern: RegExp) => {
      const deadline = Date.now() + 5000;
      while (!pattern.test(received)) {
        if (Date.now() > deadline) throw new Error(`not received: ${pattern} in ${received.slice(-500)}`);
        const { value, done } = await reader.read();
        if (done) break;
        received += decoder.decode(value, { stream: true });
      }
      return received;
    };
    await until(/data-this-week="\d+">—</);

    const member = await signedIn(t.app, EMAIL.lead);
    const saved = await member.post(`/teams/${world.teamA}/entries`, {
      week: '2026-11-23',
      measureId: measure,
      personId: '',
      value: 7,
    });
    expect(saved.statusCode).toBeLessThan(400);
    expect(t.app.db.select().from(leadEntries).all()).toHaveLength(1);
    await until(/data-this-week="\d+">7 conferences</);

    const head = await signedIn(t.app, EMAIL.head);
    await head.post(`/displays/${display.id}/revoke`);
    await until(/event: revoked/);
    controller.abort();
  });
});

describe('one status, the same word wherever it appears', () => {
  it('a WIG and its team get the same verdict and reason on the scoreboard, the wall, the school page, the tree and the school digest', async () => {
    // Team A's WIG: the lag on pace, its one lead measure missed last week.
    saveEntry(t.app.db, world.person.lead, measure, '2026-11-16', null, 1);
    saveReading(t.app.db, world.person.lead, teamWig, '2026-11-13', 75, null);
    t.app.boards.changed();

    const lead = await signedIn(t.app, EMAIL.lead);
    const onScoreboard = verdictsIn((await lead.get(`/teams/${world.teamA}/scoreboard`)).body);
    expect(onScoreboard).toEqual([
      'Losing: The lag, 75%, is on pace (the line was at 73.8%); 0 of 1 lead measure hit target last week — more than half must.',
    ]);
    const { tv } = await pairedTv();
    expect(verdictsIn((await tv.get('/display')).body)).toEqual(onScoreboard);
    const head = await signedIn(t.app, EMAIL.head);
    const onSchoolPage = verdictsIn((await head.get(`/schools/${world.schoolA}`)).body);
    expect(onSchoolPage).toContain(onScoreboard[0]);
    expect(onSchoolPage).toContain('Losing: Reading at the expected standard is losing.');
    const ceo = await signedIn(t.app, EMAIL.ceo);
    expect(verdictsIn((await ceo.get('/trust/tree')).body)).toContain(onScoreboard[0]);

    const digest = outboxRow(
      t.app.db,
      {
        kind: 'school_digest',
        key: 'school_digest:test',
        personId: world.person.head,
        to: EMAIL.head,
        name: 'Head',
        at: PINNED_NOW,
        staleAt: PINNED_NOW + 86_400_000,
        schoolId: world.schoolA,
        teamId: null,
        week: '2026-11-23',
      },
      { publicUrl: 'http://localhost', timeZone: 'Europe/London', now: PINNED_NOW },
    );
    expect(digest.textBody).toContain(`Reading at the expected standard: ${onScoreboard[0]!.replace(': ', ' — ')}`);
    expect(digest.textBody).toContain('Year 6: Losing — Reading at the expected standard is losing.');
  });
});
