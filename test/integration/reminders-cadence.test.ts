// The cadence wiring without a mail server: runs that keep planning, a batch that stops cleanly, the last check before
// a send, a failed "sent" write that never re-sends, catch-up 0, and reminders whose instant moved into the past.
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  people,
  reminderOptOuts,
  reminderOutbox,
  reminderSettings,
  roleAssignments,
  teams,
  wigSessions,
} from '../../src/db/schema.ts';
import { shutdownGraceMs, startCadence, type Cadence } from '../../src/reminders/cron.ts';
import { dispatch, type OutgoingMessage, type Transport } from '../../src/reminders/dispatcher.ts';
import { runTick } from '../../src/reminders/outbox.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createActiveTeamWig, createMeasures, createSchoolYear } from '../helpers/measures.ts';
import { seedWorld, type World } from '../helpers/world.ts';

let t: TestApp | null = null;
let cadence: Cadence | null = null;
let clock = 0;

afterEach(async () => {
  await cadence?.stop();
  await t?.close();
  cadence = t = null;
});

async function worldApp(now: number, env: Record<string, string> = {}): Promise<{ t: TestApp; world: World }> {
  clock = now;
  t = await createTestApp(env, { now: () => clock });
  const world = await seedWorld(t.app.db);
  createSchoolYear(t.app.db);
  const wig = createActiveTeamWig(t.app.db, null, { id: world.teamA, schoolId: world.schoolA });
  createMeasures(t.app.db, null, wig, '2026-09-07', ['individual', 'team']);
  return { t, world };
}

/** Records each message; with `gate`, each send waits for it. */
function fakeTransport(gate?: () => Promise<void>) {
  const sent: OutgoingMessage[] = [];
  let started: () => void = () => {};
  const firstSend = new Promise<void>((resolve) => (started = resolve));
  const transport: Transport = {
    async send(message) {
      started();
      if (gate) await gate();
      sent.push(message);
    },
    close() {},
  };
  return { transport, sent, firstSend };
}

const outbox = () => t!.app.db.select().from(reminderOutbox).all();
const tickNow = (from: number) =>
  runTick({ db: t!.app.db, publicUrl: 'https://wig.example.org', timeZone: 'Europe/London' }, { from, to: clock });

describe('the cadence keeps planning', () => {
  it('with no SMTP, runs at two different instants both plan (the start-up run does not block later ones)', async () => {
    await worldApp(Date.parse('2026-11-23T15:35:00Z'));
    cadence = startCadence(t!.app, { schedule: false, transport: null });
    await cadence.runOnce();
    expect(outbox().some((r) => r.kind === 'entries_missing')).toBe(true);
    clock = Date.parse('2026-11-24T07:05:00Z');
    await cadence.runOnce();
    expect(outbox().filter((r) => r.kind === 'session_today').length).toBeGreaterThan(0);
  });

  it('with no SMTP, rows past their stale instant are marked skipped rather than left queued', async () => {
    await worldApp(Date.parse('2026-11-23T15:35:00Z'));
    cadence = startCadence(t!.app, { schedule: false, transport: null });
    await cadence.runOnce();
    clock = Date.parse('2026-11-24T09:00:00Z'); // the session has started: "entries missing" is stale
    await cadence.runOnce();
    const entries = outbox().filter((r) => r.kind === 'entries_missing');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((r) => r.status === 'skipped')).toBe(true);
  });

  it('REMINDER_CATCH_UP_HOURS=0: nothing from before the start, then each tick queues what fell due since the last', async () => {
    await worldApp(Date.parse('2026-11-24T06:58:00Z'), { REMINDER_CATCH_UP_HOURS: '0' });
    cadence = startCadence(t!.app, { schedule: false, transport: fakeTransport().transport });
    await cadence.runOnce();
    expect(outbox()).toEqual([]); // Monday's "entries missing" (15:30) is not caught up
    clock = Date.parse('2026-11-24T07:03:00Z');
    await cadence.runOnce();
    expect(outbox().filter((r) => r.kind === 'session_today').length).toBeGreaterThan(0);
  });

  it('a reminder whose instant moved into the past (a member who joined late) is still queued, once', async () => {
    const { world } = await worldApp(Date.parse('2026-11-24T07:05:00Z'));
    cadence = startCadence(t!.app, { schedule: false, transport: fakeTransport().transport });
    await cadence.runOnce();
    const key = `session_today:${world.person.otherMember}:2026-11-23:t${world.teamA}`;
    expect(outbox().some((r) => r.key === key)).toBe(false);
    t!.app.db
      .insert(roleAssignments)
      .values({ personId: world.person.otherMember, role: 'team_member', schoolId: null, teamId: world.teamA })
      .run();
    clock = Date.parse('2026-11-24T07:10:00Z');
    await cadence.runOnce();
    clock = Date.parse('2026-11-24T07:15:00Z');
    await cadence.runOnce();
    expect(outbox().filter((r) => r.key === key)).toHaveLength(1);
  });

  it('"not recorded" of a Friday session before Christmas goes on the first school day of January', async () => {
    const { world } = await worldApp(Date.parse('2027-01-04T08:00:00Z'));
    t!.app.db.update(teams).set({ sessionWeekday: 5 }).where(eq(teams.id, world.teamA)).run();
    tickNow(Date.parse('2027-01-04T07:55:00Z'));
    expect(
      outbox()
        .filter((r) => r.kind === 'session_not_recorded')
        .map((r) => [r.toAddress, r.week, r.dueAt]),
    ).toEqual([['lead@a.test.school', '2026-12-14', Date.parse('2027-01-04T08:00:00Z')]]);
    // A record of that session (loaded from weeks back) stops it for the other team.
    t!.app.db.update(teams).set({ sessionWeekday: 5 }).where(eq(teams.id, world.teamA2)).run();
    t!.app.db
      .insert(roleAssignments)
      .values({ personId: world.person.otherMember, role: 'team_leader', schoolId: null, teamId: world.teamA2 })
      .run();
    t!.app.db
      .insert(wigSessions)
      .values({ teamId: world.teamA2, week: '2026-12-14', heldAt: clock, updatedAt: clock })
      .run();
    tickNow(Date.parse('2027-01-04T07:55:00Z'));
    expect(outbox().filter((r) => r.teamId === world.teamA2)).toEqual([]);
  });

  it('a reminder that fails to render is reported and left out; the others of the tick are still queued', async () => {
    await worldApp(Date.parse('2026-11-24T07:05:00Z'));
    // "session today" reads the commitments; without the table each of those fails to render.
    t!.app.db.run(sql.raw('drop table commitments'));
    const failed: string[] = [];
    const result = runTick(
      {
        db: t!.app.db,
        publicUrl: 'https://wig.example.org',
        timeZone: 'Europe/London',
        onRenderError: (r) => failed.push(r.kind),
      },
      { from: clock - 3 * 86_400_000, to: clock },
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed)).toEqual(new Set(['session_today']));
    expect(result.added).toBeGreaterThan(0);
    expect(new Set(outbox().map((r) => r.kind))).toEqual(new Set(['entries_missing']));
  });
});

describe('the dispatcher', () => {
  it('stop() mid-batch returns after the send in flight; the rest stay queued', async () => {
    await worldApp(Date.parse('2026-11-23T15:35:00Z'));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = fakeTransport(() => gate);
    tickNow(clock - 3 * 86_400_000);
    const queued = outbox().length;
    expect(queued).toBeGreaterThan(1);
    cadence = startCadence(t!.app, { schedule: false, transport: fake.transport });
    await fake.firstSend;
    const stopped = cadence.stop();
    release();
    await stopped;
    cadence = null;
    expect(fake.sent).toHaveLength(1);
    expect(outbox().filter((r) => r.status === 'sent')).toHaveLength(1);
    expect(outbox().filter((r) => r.status === 'queued')).toHaveLength(queued - 1);
  });

  it('if marking a sent message fails, it stays "sending" and is never sent again', async () => {
    await worldApp(Date.parse('2026-11-23T15:35:00Z'));
    tickNow(clock - 10 * 60_000);
    const rows = outbox();
    expect(rows.length).toBeGreaterThan(0);
    t!.app.db.run(
      sql.raw(
        "create trigger no_sent before update of status on reminder_outbox when new.status = 'sent' begin select raise(abort, 'disk I/O error'); end",
      ),
    );
    const fake = fakeTransport();
    await expect(dispatch(t!.app.db, fake.transport, { maxAttempts: 8, now: () => clock })).rejects.toThrow(
      /disk I\/O error/,
    );
    expect(fake.sent).toHaveLength(1);
    expect(outbox().find((r) => r.key === fake.sent[0]!.key)!.status).toBe('sending');
    clock += 5 * 60_000; // past the back-off a re-queued row would have had
    await dispatch(t!.app.db, fake.transport, { maxAttempts: 8, now: () => clock }).catch(() => null);
    expect(fake.sent.filter((m) => m.key === fake.sent[0]!.key)).toHaveLength(1);
  });

  it('checks right before sending: disabled, opted out, switched off, and the person’s current address', async () => {
    const { world } = await worldApp(Date.parse('2026-11-24T07:05:00Z'));
    tickNow(clock - 3 * 86_400_000);
    const db = t!.app.db;
    // Queued: Monday's "entries missing" (lead, member), and "session today" for both schools' teams and the trust team.
    db.update(people).set({ email: 'lead.new@a.test.school' }).where(eq(people.id, world.person.lead)).run();
    db.update(people).set({ disabledAt: clock }).where(eq(people.id, world.person.otherMember)).run();
    db.insert(reminderOptOuts).values({ personId: world.person.member, kind: 'entries_missing' }).run();
    db.insert(reminderSettings)
      .values({
        kind: 'session_today',
        schoolId: world.schoolA,
        enabled: false,
        sendTime: '07:00',
        dayOffset: 0,
        updatedAt: clock,
      })
      .run();
    const fake = fakeTransport();
    const result = await dispatch(db, fake.transport, { maxAttempts: 8, now: () => clock });
    const status = (personId: number, kind: string) => outbox().find((r) => r.personId === personId && r.kind === kind);
    expect(status(world.person.member, 'entries_missing')).toMatchObject({
      status: 'skipped',
      lastError: expect.stringMatching(/stopped/),
    });
    expect(status(world.person.otherMember, 'session_today')).toMatchObject({
      status: 'skipped',
      lastError: expect.stringMatching(/disabled/),
    });
    expect(status(world.person.member, 'session_today')).toMatchObject({
      status: 'skipped',
      lastError: expect.stringMatching(/switched off/),
    });
    expect(status(world.person.trustTeamMember, 'session_today')!.status).toBe('sent'); // the trust team is not school A's
    expect(status(world.person.lead, 'entries_missing')).toMatchObject({
      status: 'sent',
      toAddress: 'lead.new@a.test.school',
    });
    expect(fake.sent.map((m) => m.to).sort()).toEqual(['lead.new@a.test.school', 'sendco@a.test.school']);
    expect(result).toMatchObject({ sent: 2, skipped: outbox().filter((r) => r.status === 'skipped').length });
  });

  it('the forced shutdown waits longer than one send can take', async () => {
    await worldApp(Date.parse('2026-11-23T15:35:00Z'), {
      SMTP_HOST: '127.0.0.1',
      SMTP_CONNECTION_TIMEOUT_MS: '10000',
      SMTP_GREETING_TIMEOUT_MS: '10000',
      SMTP_SOCKET_TIMEOUT_MS: '30000',
    });
    expect(shutdownGraceMs(t!.config)).toBeGreaterThan(50_000);
    expect(shutdownGraceMs({ ...t!.config, smtp: null })).toBe(10_000);
  });
});
