// The school year through the admin pages: years, terms, closures, bank holidays, and a school's own closures.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createAcademicYear, createClosure, createTerm, schoolCalendar } from '../../src/db/queries/calendar.ts';
import { closures, terms } from '../../src/db/schema.ts';
import { isSchoolDay, schoolWeeks } from '../../src/domain/calendar.ts';
import { createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { lastAudit } from '../helpers/db.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';

let t: TestApp;
let world: World;
beforeEach(async () => {
  t = await createTestApp();
  world = await seedWorld(t.app.db);
});
afterEach(() => t.close());

describe('academic years and terms', () => {
  it('POST /admin/calendar/years then /terms — a trust admin builds the year, and the school weeks follow', async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    expect(
      (await admin.post('/admin/calendar/years', { name: '2026–27', startDate: '2026-09-01', endDate: '2027-08-31' }))
        .statusCode,
    ).toBe(303);
    const page = await admin.get('/admin/calendar');
    const yearId = /name="academicYearId"[\s\S]*?<option value="(\d+)"/.exec(page.body)![1]!;
    expect(
      (
        await admin.post('/admin/calendar/terms', {
          academicYearId: yearId,
          name: 'Autumn 1',
          startDate: '2026-09-03',
          endDate: '2026-10-23',
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (
        await admin.post('/admin/calendar/terms', {
          academicYearId: yearId,
          name: 'Autumn 2',
          startDate: '2026-11-02',
          endDate: '2026-12-18',
        })
      ).statusCode,
    ).toBe(303);
    expect(lastAudit(t.app.db)).toMatchObject({ action: 'create', entity: 'term', after: { name: 'Autumn 2' } });
    const calendar = schoolCalendar(t.app.db, world.schoolA);
    expect(schoolWeeks({ start: '2026-10-12', end: '2026-11-15' }, calendar)).toEqual([
      '2026-10-12',
      '2026-10-19',
      '2026-11-02',
      '2026-11-09',
    ]);
    const shown = await admin.get('/admin/calendar');
    expect(shown.body).toContain('Thu 3 Sept 2026 to Fri 23 Oct 2026');
  });

  it('refuses overlapping years, terms outside their year, overlapping terms and an end before the start, keeping the values', async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    const yearId = createAcademicYear(t.app.db, null, {
      name: '2026–27',
      startDate: '2026-09-01',
      endDate: '2027-08-31',
    });
    createTerm(t.app.db, null, yearId, { name: 'Autumn 1', startDate: '2026-09-03', endDate: '2026-10-23' });
    const cases: [string, Record<string, string | number>, RegExp][] = [
      ['/admin/calendar/years', { name: 'Another', startDate: '2027-01-01', endDate: '2027-12-31' }, /overlap 2026–27/],
      [
        '/admin/calendar/years',
        { name: '2026–27', startDate: '2030-09-01', endDate: '2031-08-31' },
        /already a year with this name/,
      ],
      [
        '/admin/calendar/years',
        { name: 'Backwards', startDate: '2031-09-01', endDate: '2031-08-31' },
        /on or after the start date/,
      ],
      ['/admin/calendar/years', { name: 'Bad', startDate: '2031-02-30', endDate: '2031-08-31' }, /must be a real date/],
      [
        '/admin/calendar/terms',
        { academicYearId: yearId, name: 'Summer 3', startDate: '2027-08-20', endDate: '2027-09-10' },
        /must fall between/,
      ],
      [
        '/admin/calendar/terms',
        { academicYearId: yearId, name: 'Clash', startDate: '2026-10-19', endDate: '2026-10-30' },
        /overlap Autumn 1/,
      ],
      [
        '/admin/calendar/terms',
        { academicYearId: 999, name: 'Nowhere', startDate: '2026-11-02', endDate: '2026-11-30' },
        /Choose an academic year/,
      ],
    ];
    for (const [url, form, message] of cases) {
      const before = t.app.db.select().from(terms).all().length;
      const response = await admin.post(url, form);
      expect(response.statusCode, `${url} ${JSON.stringify(form)}`).toBe(422);
      expect(response.body).toMatch(message);
      expect(response.body).toContain(`value="${form.name}"`);
      expect(t.app.db.select().from(terms).all()).toHaveLength(before);
    }
  });
});

describe('closures', () => {
  it('a trust-wide INSET day stops a day being a school day for every school; a school closure only for that school', async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    const yearId = createAcademicYear(t.app.db, null, {
      name: '2026–27',
      startDate: '2026-09-01',
      endDate: '2027-08-31',
    });
    createTerm(t.app.db, null, yearId, { name: 'Autumn 2', startDate: '2026-11-02', endDate: '2026-12-18' });
    expect(
      (
        await admin.post('/admin/calendar/closures', {
          kind: 'inset',
          name: 'INSET day',
          startDate: '2026-11-30',
          endDate: '2026-11-30',
        })
      ).statusCode,
    ).toBe(303);
    const head = await signedIn(t.app, EMAIL.head);
    expect(
      (
        await head.post(`/admin/schools/${world.schoolA}/closures`, {
          kind: 'closure',
          name: 'Boiler failure',
          startDate: '2026-12-01',
          endDate: '2026-12-01',
        })
      ).statusCode,
    ).toBe(303);
    const a = schoolCalendar(t.app.db, world.schoolA);
    const b = schoolCalendar(t.app.db, world.schoolB);
    expect([isSchoolDay('2026-11-30', a), isSchoolDay('2026-11-30', b)]).toEqual([false, false]);
    expect([isSchoolDay('2026-12-01', a), isSchoolDay('2026-12-01', b)]).toEqual([false, true]);
    expect(lastAudit(t.app.db)).toMatchObject({
      action: 'create',
      entity: 'closure',
      after: { schoolId: world.schoolA, name: 'Boiler failure' },
    });
    expect((await head.get(`/admin/schools/${world.schoolA}/closures`)).body).toContain('Boiler failure');
  });

  it("a headteacher cannot remove another school's closure or a trust-wide one through their own school's address", async () => {
    const otherSchools = createClosure(t.app.db, null, world.schoolB, 'inset', {
      name: 'B INSET',
      startDate: '2026-12-02',
      endDate: '2026-12-02',
    });
    const trustWide = createClosure(t.app.db, null, null, 'inset', {
      name: 'Trust INSET',
      startDate: '2026-12-03',
      endDate: '2026-12-03',
    });
    const head = await signedIn(t.app, EMAIL.head);
    for (const id of [otherSchools, trustWide]) {
      expect((await head.post(`/admin/schools/${world.schoolA}/closures/${id}/delete`)).statusCode).toBe(404);
      expect(t.app.db.select().from(closures).where(eq(closures.id, id)).get()).toBeDefined();
    }
    const admin = await signedIn(t.app, EMAIL.admin);
    expect((await admin.post(`/admin/calendar/closures/${otherSchools}/delete`)).statusCode).toBe(404);
  });

  it('POST /admin/calendar/bank-holidays — imports the GOV.UK file as a real upload, once', async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    const file = JSON.stringify({
      'england-and-wales': {
        division: 'england-and-wales',
        events: [
          { title: 'Christmas Day', date: '2026-12-25' },
          { title: 'Boxing Day', date: '2026-12-28' },
        ],
      },
      scotland: { division: 'scotland', events: [{ title: 'St Andrew’s Day', date: '2026-11-30' }] },
    });
    const upload = async () => {
      const boundary = '----wigboard';
      const part = (name: string, value: string, filename?: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: application/json` : ''}\r\n\r\n${value}\r\n`;
      const payload =
        part('_csrf', await admin.token()) +
        part('division', 'england-and-wales') +
        part('file', file, 'bank-holidays.json') +
        `--${boundary}--\r\n`;
      return t.app.inject({
        method: 'POST',
        url: '/admin/calendar/bank-holidays',
        payload,
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
      });
    };
    expect((await upload()).statusCode).toBe(303);
    expect((await upload()).statusCode).toBe(303);
    const rows = t.app.db.select().from(closures).where(eq(closures.kind, 'bank_holiday')).all();
    expect(rows.map((r) => [r.startDate, r.name])).toEqual([
      ['2026-12-25', 'Christmas Day'],
      ['2026-12-28', 'Boxing Day'],
    ]);
    const page = await admin.get('/admin/calendar');
    expect(page.body).toContain('0 bank holidays added (2 already there)');
  });

  it('a file that is not the GOV.UK format is refused with the reason, and nothing is added', async () => {
    const admin = await signedIn(t.app, EMAIL.admin);
    const response = await admin.post('/admin/calendar/bank-holidays', {
      division: 'england-and-wales',
      file: '{"england-and-wales": {"events": [{"title": "X", "date": "31/12/2026"}]}}',
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Event 1 of “england-and-wales” has no valid date');
    expect(t.app.db.select().from(closures).all()).toHaveLength(0);
  });
});
