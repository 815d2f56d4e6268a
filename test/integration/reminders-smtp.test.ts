// Cadence reminders end to end against a real SMTP server on 127.0.0.1: queued once, sent once, retried, never duplicated.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.ts';
import { rootDir } from '../../src/config.ts';
import { academicYearSoFar } from '../../src/db/queries/calendar.ts';
import { schoolHealth, trustHealth } from '../../src/read-models/health.ts';
import { INTERRUPTED } from '../../src/db/queries/reminders.ts';
import { leadEntries, reminderOutbox, schools, wigSessions } from '../../src/db/schema.ts';
import { localDate } from '../../src/domain/calendar.ts';
import { ratioWords } from '../../src/domain/health.ts';
import { startCadence, type Cadence } from '../../src/reminders/cron.ts';
import { runTick } from '../../src/reminders/outbox.ts';
import { seedDemo } from '../../scripts/seed-demo.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createActiveTeamWig, createMeasures, createSchoolYear } from '../helpers/measures.ts';
import { startSmtp, textPart, type TestSmtp } from '../helpers/smtp.ts';
import { seedWorld, type World } from '../helpers/world.ts';

let t: TestApp | null = null;
let smtp: TestSmtp | null = null;
let cadence: Cadence | null = null;
let clock = 0;

afterEach(async () => {
  await cadence?.stop();
  await smtp?.close();
  await t?.close();
  cadence = smtp = t = null;
});

const smtpEnv = (port: number) => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(port),
  SMTP_CONNECTION_TIMEOUT_MS: '2000',
  SMTP_GREETING_TIMEOUT_MS: '2000',
  SMTP_SOCKET_TIMEOUT_MS: '5000',
  PUBLIC_URL: 'https://wig.example.org',
});

async function worldApp(
  env: Record<string, string>,
  now: number,
): Promise<{ t: TestApp; world: World; measures: Record<'individual' | 'team', number> }> {
  clock = now;
  t = await createTestApp(env, { now: () => clock });
  const world = await seedWorld(t.app.db);
  createSchoolYear(t.app.db);
  const wig = createActiveTeamWig(t.app.db, null, { id: world.teamA, schoolId: world.schoolA });
  const measures = createMeasures(t.app.db, null, wig, '2026-09-07', ['individual', 'team']);
  return { t, world, measures };
}

/** A port nothing listens on (yet): the mail server is down until a test starts one there. */
async function freePort(): Promise<number> {
  const probe = await startSmtp();
  await probe.close();
  return probe.port;
}

const outbox = () => t!.app.db.select().from(reminderOutbox).all();
const countBy = (keys: (string | null)[]) =>
  keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string | null, number>());

describe('reminders over SMTP', () => {
  it('each due reminder arrives once, however many times the tick runs', async () => {
    smtp = await startSmtp();
    await worldApp(smtpEnv(smtp.port), Date.parse('2026-11-23T15:35:00Z'));
    cadence = startCadence(t!.app, { schedule: false });
    await cadence.runOnce();
    await cadence.runOnce();
    const rows = outbox();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    // Last Friday's digests (16:00 and 17:00) are within the start-up catch-up; Monday's "entries missing" has just fallen due.
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['entries_missing', 'school_digest', 'trust_digest']));
    expect([...countBy(smtp.received.map((m) => m.key)).values()].every((n) => n === 1)).toBe(true);
    expect(smtp.received.map((m) => m.key).sort()).toEqual(rows.map((r) => r.key).sort());
    // Nothing to the disabled member, and the member's message links back into the app.
    expect(smtp.received.some((m) => m.to === 'gone@test.school')).toBe(false);
    const member = smtp.received.find((m) => m.to === 'member@a.test.school')!;
    expect(textPart(member.raw)).toContain('https://wig.example.org/teams/');
    expect(textPart(member.raw)).toContain('https://wig.example.org/reminders/preferences');

    // Next morning: "session today" for each team member, and nothing sent before goes again.
    clock = Date.parse('2026-11-24T07:05:00Z');
    await cadence.runOnce();
    const today = smtp.received.filter((m) => m.key?.startsWith('session_today'));
    expect(today.map((m) => m.to).sort()).toEqual([
      'lead@a.test.school',
      'member@a.test.school',
      'member@b.test.school',
      'sendco@a.test.school',
    ]);
    expect([...countBy(smtp.received.map((m) => m.key)).values()].every((n) => n === 1)).toBe(true);
  });

  it('with the SMTP server down they stay queued, and arrive once after it comes back', async () => {
    const port = await freePort();
    await worldApp(smtpEnv(port), Date.parse('2026-11-23T15:35:00Z'));
    cadence = startCadence(t!.app, { schedule: false });
    await cadence.runOnce();
    let rows = outbox();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === 'queued')).toBe(true);
    expect(rows.filter((r) => r.attempts === 1).map((r) => r.lastError)).toEqual([
      expect.stringMatching(/ECONNREFUSED|connect/i),
    ]);

    smtp = await startSmtp(port);
    clock += 2 * 60_000; // past the first back-off
    await cadence.runOnce();
    await cadence.runOnce();
    rows = outbox();
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(smtp.received.map((m) => m.key).sort()).toEqual(rows.map((r) => r.key).sort());
  });

  it('a row left "sending" by a crash is failed at start-up, never sent again', async () => {
    smtp = await startSmtp();
    await worldApp(smtpEnv(smtp.port), Date.parse('2026-11-23T15:35:00Z'));
    runTick(
      { db: t!.app.db, publicUrl: 'https://wig.example.org', timeZone: 'Europe/London' },
      { from: clock - 3 * 86_400_000, to: clock },
    );
    const victim = outbox()[0]!;
    t!.app.db
      .update(reminderOutbox)
      .set({ status: 'sending', attempts: 1 })
      .where(eq(reminderOutbox.id, victim.id))
      .run();
    cadence = startCadence(t!.app, { schedule: false });
    await cadence.runOnce();
    const after = outbox().find((r) => r.id === victim.id)!;
    expect(after.status).toBe('failed');
    expect(after.lastError).toBe(INTERRUPTED);
    expect(smtp.received.some((m) => m.key === victim.key)).toBe(false);
    expect(
      outbox()
        .filter((r) => r.id !== victim.id)
        .every((r) => r.status === 'sent'),
    ).toBe(true);
  });

  it('a "session today" queued before the session was recorded is skipped, not sent', async () => {
    smtp = await startSmtp();
    const { world } = await worldApp(smtpEnv(smtp.port), Date.parse('2026-11-24T07:05:00Z'));
    runTick(
      { db: t!.app.db, publicUrl: 'https://wig.example.org', timeZone: 'Europe/London' },
      { from: clock - 10 * 60_000, to: clock },
    );
    expect(outbox().filter((r) => r.kind === 'session_today' && r.teamId === world.teamA)).toHaveLength(2);
    t!.app.db
      .insert(wigSessions)
      .values({ teamId: world.teamA, week: '2026-11-23', heldAt: clock, updatedAt: clock })
      .run();
    cadence = startCadence(t!.app, { schedule: false });
    await cadence.runOnce();
    const rows = outbox();
    expect(rows.filter((r) => r.teamId === world.teamA).map((r) => r.status)).toEqual(['skipped', 'skipped']);
    expect(rows.filter((r) => r.teamId !== world.teamA).every((r) => r.status === 'sent')).toBe(true);
    expect(smtp.received.some((m) => m.to === 'member@a.test.school')).toBe(false);
  });

  it('an "entries missing" queued before the person entered their numbers is skipped, not sent', async () => {
    const port = await freePort();
    const { world, measures } = await worldApp(smtpEnv(port), Date.parse('2026-11-23T15:35:00Z'));
    cadence = startCadence(t!.app, { schedule: false });
    await cadence.runOnce(); // the mail server is down: everything stays queued
    t!.app.db
      .insert(leadEntries)
      .values({
        leadMeasureId: measures.individual,
        week: '2026-11-23',
        personId: world.person.member,
        value: 4,
        enteredBy: world.person.member,
        enteredAt: clock,
      })
      .run();
    smtp = await startSmtp(port);
    clock += 2 * 60_000;
    await cadence.runOnce();
    const rows = outbox().filter((r) => r.kind === 'entries_missing');
    expect(rows.map((r) => [r.toAddress, r.status]).sort()).toEqual([
      ['lead@a.test.school', 'sent'],
      ['member@a.test.school', 'skipped'],
    ]);
  });

  it('killing the sending process (SIGKILL mid-DATA) and restarting sends no duplicate', async () => {
    smtp = await startSmtp();
    await worldApp(smtpEnv(smtp.port), Date.parse('2026-11-23T15:35:00Z'));
    runTick(
      { db: t!.app.db, publicUrl: 'https://wig.example.org', timeZone: 'Europe/London' },
      { from: clock - 3 * 86_400_000, to: clock },
    );
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const dataStarted = new Promise<void>((resolve) => (started = resolve));
    smtp.onData = () => {
      started();
      return held;
    };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(rootDir, 'test/helpers/dispatch-child.ts')], {
      cwd: rootDir,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_PATH: t!.config.databasePath,
        ...smtpEnv(smtp.port),
        CHILD_NOW: String(clock),
      },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await Promise.race([
      dataStarted,
      exited,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the child never reached DATA')), 20_000)),
    ]);
    child.kill('SIGKILL');
    await exited;
    smtp.onData = null;
    release();
    const inFlight = outbox().filter((r) => r.status === 'sending');
    expect(inFlight).toHaveLength(1);

    cadence = startCadence(t!.app, { schedule: false });
    await cadence.runOnce();
    await cadence.runOnce();
    const rows = outbox();
    expect(rows.find((r) => r.id === inFlight[0]!.id)!.status).toBe('failed');
    expect(rows.filter((r) => r.id !== inFlight[0]!.id).every((r) => r.status === 'sent')).toBe(true);
    expect([...countBy(smtp.received.map((m) => m.key)).values()].every((n) => n === 1)).toBe(true);
  }, 30_000);

  it('after two days of downtime the catch-up sends what is still worth sending and skips what is stale', async () => {
    const port = await freePort();
    await worldApp(smtpEnv(port), Date.parse('2026-11-23T15:35:00Z'));
    // Monday 15:35: queued while the mail server is down; then the app is down until Wednesday 09:00.
    cadence = startCadence(t!.app, { schedule: false });
    await cadence.runOnce();
    await cadence.stop();
    expect(outbox().some((r) => r.kind === 'entries_missing' && r.status === 'queued')).toBe(true);

    smtp = await startSmtp(port);
    clock = Date.parse('2026-11-25T09:00:00Z');
    cadence = startCadence(t!.app, { schedule: false });
    await cadence.runOnce();
    const rows = outbox();
    expect(rows.filter((r) => r.kind === 'entries_missing').every((r) => r.status === 'skipped')).toBe(true);
    expect(rows.some((r) => r.kind === 'session_today')).toBe(false);
    expect(rows.filter((r) => r.kind === 'session_not_recorded').map((r) => [r.toAddress, r.status])).toEqual([
      ['lead@a.test.school', 'sent'],
    ]);
    // Last week's digests, queued on Monday while the mail server was down, are stale once that Monday has ended.
    expect(rows.filter((r) => r.kind === 'school_digest' || r.kind === 'trust_digest').map((r) => r.status)).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(smtp.received.some((m) => m.key?.startsWith('entries_missing'))).toBe(false);
    expect([...countBy(smtp.received.map((m) => m.key)).values()].every((n) => n === 1)).toBe(true);
  });

  it('the digest emails carry the figures of the demo data', async () => {
    smtp = await startSmtp();
    clock = Date.parse('2026-11-27T16:05:00Z');
    t = await createTestApp(smtpEnv(smtp.port), { now: () => clock });
    seedDemo(t.app.db, await hashPassword('wigboard-demo', { N: 1024, r: 8, p: 1 }), '2026-11-27');
    cadence = startCadence(t.app, { schedule: false });
    await cadence.runOnce();
    const today = localDate(clock, 'Europe/London');
    const period = academicYearSoFar(t.app.db, today);
    const ashcombe = t.app.db.select().from(schools).where(eq(schools.name, 'Ashcombe Primary')).get()!;
    const figures = schoolHealth(t.app.db, ashcombe.id, period, clock, 'Europe/London');

    const digest = smtp.received.find((m) => m.to === 'head@wigboard.demo' && m.key?.startsWith('school_digest'));
    expect(digest).toBeDefined();
    const text = textPart(digest!.raw);
    expect(text).toContain(`Health score: ${figures.figures.score}%`);
    expect(text).toContain(`Sessions held: ${ratioWords(figures.figures.sessions)}`);
    for (const { team, figures: f } of figures.teams) {
      expect(text).toContain(team.name);
      expect(text).toContain(`Execution health: ${f.score === null ? 'nothing due yet' : `${f.score}%`}`);
    }

    // Trust digest goes out at 17:00, after the schools'.
    expect(smtp.received.some((m) => m.key?.startsWith('trust_digest'))).toBe(false);
    clock = Date.parse('2026-11-27T17:05:00Z');
    await cadence.runOnce();
    const trust = smtp.received.find((m) => m.to === 'ceo@wigboard.demo' && m.key?.startsWith('trust_digest'));
    const trustText = textPart(trust!.raw);
    const health = trustHealth(t.app.db, period, clock, 'Europe/London');
    for (const s of health.schools)
      expect(trustText).toContain(
        `${s.school.name}: ${s.figures.score === null ? 'nothing due yet' : `${s.figures.score}%`}`,
      );
    expect(trustText).toContain('The aligned WIG tree');
    expect(trust!.raw).toMatch(/<html lang=(3D)?"en-GB">/);
  }, 30_000);
});
