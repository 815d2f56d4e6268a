// The reminder pages: the trust admin's settings (with school overrides) and outbox, and each person's own choices.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, reminderOptOuts, reminderOutbox, reminderSettings } from '../../src/db/schema.ts';
import { enqueue } from '../../src/db/queries/reminders.ts';
import { createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { rowCounts } from '../helpers/db.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';

let t: TestApp;
let world: World;
beforeEach(async () => {
  t = await createTestApp({}, { now: () => Date.parse('2026-11-24T10:00:00Z') });
  world = await seedWorld(t.app.db);
});
afterEach(() => t.close());

const trustForm = (over: Record<string, string> = {}) => ({
  entries_missing_enabled: 'on',
  entries_missing_sendTime: '15:30',
  entries_missing_dayOffset: '-1',
  session_today_enabled: 'on',
  session_today_sendTime: '06:45',
  session_today_dayOffset: '0',
  session_not_recorded_enabled: 'on',
  session_not_recorded_sendTime: '08:00',
  session_not_recorded_dayOffset: '0',
  school_digest_sendTime: '16:00',
  school_digest_dayOffset: '0',
  trust_digest_enabled: 'on',
  trust_digest_sendTime: '17:00',
  trust_digest_dayOffset: '0',
  ...over,
});

describe('GET/POST /admin/reminders', () => {
  it('shows each kind with its defaults, and the trust admin switches and times them (audited)', async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    const page = await admin.get('/admin/reminders');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('WIG session today');
    expect(page.body).toContain('value="07:00"');
    const saved = await admin.post('/admin/reminders', trustForm());
    expect(saved.statusCode).toBe(303);
    const rows = t.app.db.select().from(reminderSettings).all();
    expect(rows.map((r) => [r.kind, r.schoolId, r.enabled, r.sendTime, r.dayOffset]).sort()).toEqual(
      [
        ['entries_missing', null, true, '15:30', -1],
        ['school_digest', null, false, '16:00', 0],
        ['session_not_recorded', null, true, '08:00', 0],
        ['session_today', null, true, '06:45', 0],
        ['trust_digest', null, true, '17:00', 0],
      ].sort(),
    );
    expect(
      t.app.db
        .select()
        .from(auditLog)
        .all()
        .some((a) => a.entity === 'reminder_settings'),
    ).toBe(true);
  });

  it('a wrong time or offset answers 422 with the form, values kept, a message by the field, nothing saved', async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    const before = rowCounts(t.app.db);
    const response = await admin.post(
      '/admin/reminders',
      trustForm({ session_today_sendTime: '25:99', trust_digest_dayOffset: 'soon' }),
    );
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('must be a 24-hour time like 07:30');
    expect(response.body).toContain('value="25:99"');
    expect(response.body).toContain('must be a whole number');
    expect(rowCounts(t.app.db).reminder_settings).toBe(before.reminder_settings);
  });

  it('a school override is saved for that school only, and "use the trust’s setting" removes it', async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    const url = `/admin/reminders/schools/${world.schoolA}`;
    expect((await admin.get(url)).statusCode).toBe(200);
    const own = {
      ...trustForm({ session_today_sendTime: '06:30' }),
      entries_missing_mode: 'trust',
      session_today_mode: 'own',
      session_not_recorded_mode: 'trust',
      school_digest_mode: 'trust',
      trust_digest_mode: 'trust',
    };
    expect((await admin.post(url, own)).statusCode).toBe(303);
    expect(
      t.app.db
        .select()
        .from(reminderSettings)
        .all()
        .map((r) => [r.kind, r.schoolId, r.sendTime]),
    ).toEqual([['session_today', world.schoolA, '06:30']]);
    expect((await admin.post(url, { ...own, session_today_mode: 'trust' })).statusCode).toBe(303);
    expect(t.app.db.select().from(reminderSettings).all()).toEqual([]);
    const bad = await admin.post(url, { ...own, session_today_mode: 'sometimes' });
    expect(bad.statusCode).toBe(422);
  });

  it('an unknown school is a 404', async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    expect((await admin.get('/admin/reminders/schools/99999')).statusCode).toBe(404);
  });
});

describe('GET /admin/outbox', () => {
  it('lists queued and sent reminders with subject, recipient and error, and shows a message body escaped', async () => {
    enqueue(t.app.db, [
      {
        key: 'session_today:1:2026-11-23:t1',
        kind: 'session_today',
        personId: world.person.member,
        toAddress: EMAIL.member,
        schoolId: world.schoolA,
        teamId: world.teamA,
        week: '2026-11-23',
        subject: 'Year 6: WIG session today',
        textBody: 'Hello <script>alert(1)</script>',
        htmlBody: '<p>x</p>',
        dueAt: 1,
        staleAt: 2,
        nextAttemptAt: 1,
      },
    ]);
    const admin = await signedIn(t.app, EMAIL.admin);
    const list = await admin.get('/admin/outbox?status=queued');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Year 6: WIG session today');
    expect(list.body).toContain(EMAIL.member);
    expect(list.body).toContain('No email server is set up');
    const id = t.app.db.select().from(reminderOutbox).get()!.id;
    const one = await admin.get(`/admin/outbox/${id}`);
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('Hello &lt;script&gt;');
    expect((await admin.get('/admin/outbox/424242')).statusCode).toBe(404);
    expect((await admin.get('/admin/outbox?status=lost')).statusCode).toBe(400);
  });
});

describe('GET/POST /reminders/preferences', () => {
  it('a person stops an optional kind and turns it back on; required kinds are listed, not offered', async () => {
    const member = await signedIn(t.app, EMAIL.member);
    const page = await member.get('/reminders/preferences');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="entries_missing"');
    expect(page.body).not.toContain('name="session_today"');
    expect(
      (
        await member.post('/reminders/preferences', {
          choices: '1',
          school_digest: 'on',
          trust_digest: 'on',
          session_today: '',
        })
      ).statusCode,
    ).toBe(303);
    expect(
      t.app.db
        .select()
        .from(reminderOptOuts)
        .all()
        .map((o) => [o.personId, o.kind]),
    ).toEqual([[world.person.member, 'entries_missing']]);
    expect(
      (
        await member.post('/reminders/preferences', {
          choices: '1',
          entries_missing: 'on',
          school_digest: 'on',
          trust_digest: 'on',
        })
      ).statusCode,
    ).toBe(303);
    expect(t.app.db.select().from(reminderOptOuts).all()).toEqual([]);
  });
});
