// CSV export and import through the routes: what a download holds, a preview that writes nothing, a confirm that writes it all, bad files, and who may.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { saveDayEntry, saveEntry } from '../../src/db/queries/measures.ts';
import { addAssignment, createPerson } from '../../src/db/queries/people.ts';
import { saveReading } from '../../src/db/queries/wigs.ts';
import { auditLog, lagReadings, leadDayEntries, leadEntries } from '../../src/db/schema.ts';
import { type Client, createTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { snapshot } from '../helpers/db.ts';
import { ensureCsvWorld, MEASURES, type CsvWorld } from '../helpers/csv-world.ts';
import { EMAIL, seedWorld, type World } from '../helpers/world.ts';

const TODAY = '2026-11-24';
const BOM = '\uFEFF';
let t: TestApp;
let world: World;
let csv: CsvWorld;

beforeEach(async () => {
  t = await createTestApp({}, { now: () => Date.UTC(2026, 10, 24, 12) });
  world = await seedWorld(t.app.db);
  csv = ensureCsvWorld(t.app.db, world, TODAY);
});
afterEach(() => t.close());

const db = () => t.app.db;
const cookie = (client: Client) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** A real multipart upload, as the browser sends the form: the CSRF token, then the file (or several). */
async function upload(client: Client, url: string, files: (string | Buffer)[], filename = 'numbers.csv') {
  const boundary = '----wigboard-csv-test';
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const parts: Buffer[] = [Buffer.from(field('_csrf', await client.token()))];
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(file),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return t.app.inject({
    method: 'POST',
    url,
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: cookie(client) },
  });
}

/** The confirm form as the browser sends it: multipart, with the checked text in a hidden field. */
async function confirm(client: Client, url: string, text: string) {
  const boundary = '----wigboard-confirm';
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const payload = `${field('_csrf', await client.token()) + field('csv', text)}--${boundary}--\r\n`;
  return t.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: cookie(client) },
  });
}

const hiddenCsv = (body: string) => {
  const raw = /name="csv" value="([^"]*)"/.exec(body)?.[1];
  if (raw === undefined) throw new Error('no hidden csv field on the page');
  return raw.replace(
    /&(lt|gt|quot|#39|amp);/g,
    (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!,
  );
};

const GOOD = [
  'week,date,measure,person,value',
  `2026-11-16,,${MEASURES.individual},${EMAIL.member},5`,
  `20/11/2026,,${MEASURES.individual},Test lead,4`,
  `2026-11-16,,${MEASURES.team},Team,3`,
  `2026-11-16,2026-11-17,${MEASURES.daily},${EMAIL.member},yes`,
  `,18/11/2026,${MEASURES.daily},${EMAIL.member},no`,
  `2026-11-23,,${MEASURES.team},,2`,
].join('\r\n');

describe('GET /teams/:teamId/export.csv', () => {
  it("a member downloads the team's numbers: a row per week and person (or the team), then each day of a daily standard", async () => {
    saveEntry(db(), world.person.member, csv.individual, '2026-11-16', world.person.member, 5);
    saveEntry(db(), world.person.lead, csv.individual, '2026-11-16', world.person.lead, 4.5);
    saveEntry(db(), world.person.lead, csv.team, '2026-11-09', null, 3);
    saveDayEntry(db(), world.person.member, csv.daily, '2026-11-17', world.person.member, true);
    saveDayEntry(db(), world.person.member, csv.daily, '2026-11-18', world.person.member, false);
    const member = await signedIn(t.app, EMAIL.member);
    const response = await member.get(`/teams/${world.teamA}/export.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="year-6-ashcombe-primary-lead-measures.csv"',
    );
    expect(response.body).toBe(
      BOM +
        [
          'week,date,measure,person,email,value',
          `2026-11-09,,${MEASURES.team},Team,,3`,
          `2026-11-16,,${MEASURES.individual},Test lead,${EMAIL.lead},4.5`,
          `2026-11-16,,${MEASURES.individual},Test member,${EMAIL.member},5`,
          `2026-11-16,2026-11-17,${MEASURES.daily},Test member,${EMAIL.member},yes`,
          `2026-11-16,2026-11-18,${MEASURES.daily},Test member,${EMAIL.member},no`,
        ].join('\r\n') +
        '\r\n',
    );
  });

  it('text a spreadsheet would run as a formula (a name, a measure, a note) is written with an apostrophe in front', async () => {
    const evil = createPerson(
      db(),
      null,
      { name: '=HYPERLINK("http://evil.example","Click")', email: 'evil@a.test.school' },
      null,
    );
    addAssignment(db(), null, evil, { role: 'team_member', title: null, schoolId: null, teamId: world.teamA });
    saveEntry(db(), world.person.lead, csv.individual, '2026-11-16', evil, 2);
    saveReading(db(), world.person.lead, csv.wigId, '2026-11-20', 66, '@SUM(1+1)*cmd|" /C calc"!A0');
    saveReading(db(), world.person.lead, csv.wigId, '2026-11-13', -1.5, '+44 1234');
    const lead = await signedIn(t.app, EMAIL.lead);
    const numbers = (await lead.get(`/teams/${world.teamA}/export.csv`)).body;
    expect(numbers).toContain(
      `2026-11-16,,${MEASURES.individual},"'=HYPERLINK(""http://evil.example"",""Click"")",evil@a.test.school,2`,
    );
    const readings = await lead.get(`/wigs/${csv.wigId}/readings.csv`);
    expect(readings.statusCode).toBe(200);
    expect(readings.headers['content-disposition']).toMatch(
      /^attachment; filename="year-6-pupils-at-the-expected-standard-in-reading-lag-readings\.csv"$/,
    );
    expect(readings.body).toBe(
      `${BOM}date,value,note\r\n2026-11-13,-1.5,'+44 1234\r\n2026-11-20,66,"'@SUM(1+1)*cmd|"" /C calc""!A0"\r\n`,
    );
  });
});

describe('POST /teams/:teamId/import — the preview', () => {
  it('a file with mistakes: 422, every problem named by its spreadsheet row, and nothing written', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const before = snapshot(db());
    const file = [
      'week,measure,person,value',
      `2026-11-16,Reading confrences,${EMAIL.member},5`,
      `2026-11-16,${MEASURES.individual},${EMAIL.otherMember},5`,
      `2026-10-26,${MEASURES.team},,3`,
      `2026-11-16,${MEASURES.team},,three`,
      `2026-11-30,${MEASURES.team},,3`,
      `2026-11-09,${MEASURES.team},,3`,
      `2026-11-10,${MEASURES.team},,4`,
    ].join('\n');
    const response = await upload(lead, `/teams/${world.teamA}/import`, [file]);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('id="i-file-error"');
    expect(response.body).toContain('6 rows of the file need fixing before anything can be saved');
    for (const [row, message] of [
      [2, 'Year 6 has no lead measure called “Reading confrences”'],
      [3, `No one in Year 6 has the email address ${EMAIL.otherMember}`],
      [4, 'The week of Mon 26 Oct 2026 has no school days (a holiday)'],
      [5, '“three” is not a number'],
      [6, 'The week of Mon 30 Nov 2026 has not started yet'],
      [8, 'Row 8 repeats row 7: the same measure, week and person'],
    ] as const) {
      expect(response.body).toMatch(
        new RegExp(
          `<th scope="row">${row}</th><td><span class="visually-hidden">Error: </span>${message.replace(/[()]/g, '\\$&')}`,
        ),
      );
    }
    expect(response.body).not.toContain('name="csv" value=');
    expect(snapshot(db())).toEqual(before);
  });

  it('a good file: what each row would do (new, correction, no change), a confirm button, and still nothing written', async () => {
    saveEntry(db(), world.person.lead, csv.team, '2026-11-16', null, 2);
    saveEntry(db(), world.person.member, csv.individual, '2026-11-16', world.person.member, 5);
    const lead = await signedIn(t.app, EMAIL.lead);
    const before = snapshot(db());
    const response = await upload(lead, `/teams/${world.teamA}/import`, [`${BOM}${GOOD}\r\n`]);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('6 rows ready to save: 4 new, 1 correction, 1 unchanged.');
    expect(response.body).toContain(
      '<td>Mon 16 Nov 2026</td><td></td><td>Parent conferences held</td><td>Team</td><td>3</td><td>Correction: 2 → 3</td>',
    );
    expect(response.body).toContain(
      `<td>Reading conferences with target readers</td><td>Test member</td><td>5</td><td>No change</td>`,
    );
    expect(response.body).toContain(
      '<td>Mon 16 Nov 2026</td><td>Wed 18 Nov 2026</td><td>Retrieval quiz at the start of every maths lesson</td><td>Test member</td><td>Not kept</td><td>New</td>',
    );
    expect(response.body).toContain('Save 6 rows');
    expect(hiddenCsv(response.body).replace(/\r\n/g, '\n')).toBe(`${GOOD}\r\n`.replace(/\r\n/g, '\n'));
    expect(snapshot(db())).toEqual(before);
  });

  it('rows pasted into the box are read the same way, and kept in the box when they need fixing', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const pasted = `week\tmeasure\tvalue\n2026-11-16\t${MEASURES.team}\t3\n2026-11-16\tNo such measure\t3`;
    const response = await lead.post(`/teams/${world.teamA}/import`, { csv: pasted });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('id="i-csv-error"');
    expect(response.body).toContain(`>${pasted}</textarea>`);
    const fixed = await lead.post(`/teams/${world.teamA}/import`, { csv: pasted.split('\n').slice(0, 2).join('\n') });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.body).toContain('1 row ready to save: 1 new');
  });

  it('answers an htmx request with the import partial alone', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const response = await lead.get(`/teams/${world.teamA}/import`, {
      'hx-request': 'true',
      'hx-request-type': 'partial',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body.trimStart()).toMatch(/^<section id="csv-import"/);
    const page = await lead.get(`/teams/${world.teamA}/import`);
    expect(page.body).toContain(`<a href="/teams/${world.teamA}/export.csv">Download CSV</a>`);
    expect(page.body).toContain(`<li><strong>${MEASURES.daily}</strong>: a daily standard`);
  });
});

describe('POST /teams/:teamId/import/confirm', () => {
  it('writes every row in one go: the entries, an audit row for each (corrections before → after) and one for the import', async () => {
    saveEntry(db(), world.person.lead, csv.team, '2026-11-16', null, 2);
    const lead = await signedIn(t.app, EMAIL.lead);
    const preview = await upload(lead, `/teams/${world.teamA}/import`, [GOOD]);
    const auditBefore = db().select().from(auditLog).all().length;
    const response = await confirm(lead, `/teams/${world.teamA}/import/confirm`, hiddenCsv(preview.body));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/teams/${world.teamA}`);

    const entries = db()
      .select()
      .from(leadEntries)
      .all()
      .map((e) => [e.leadMeasureId, e.week, e.personId, e.value, e.enteredBy]);
    expect(entries).toEqual(
      expect.arrayContaining([
        [csv.individual, '2026-11-16', world.person.member, 5, world.person.lead],
        [csv.individual, '2026-11-16', world.person.lead, 4, world.person.lead],
        [csv.team, '2026-11-16', null, 3, world.person.lead],
        [csv.team, '2026-11-23', null, 2, world.person.lead],
      ]),
    );
    expect(entries).toHaveLength(4);
    expect(
      db()
        .select()
        .from(leadDayEntries)
        .all()
        .map((d) => [d.date, d.personId, d.kept]),
    ).toEqual([
      ['2026-11-17', world.person.member, true],
      ['2026-11-18', world.person.member, false],
    ]);
    const audit = db().select().from(auditLog).all().slice(auditBefore);
    expect(audit.map((a) => a.action)).toEqual(['enter', 'enter', 'correct', 'enter', 'enter', 'enter', 'import_csv']);
    const correction = audit.find((a) => a.action === 'correct')!;
    expect([JSON.parse(correction.before!), JSON.parse(correction.after!), correction.actorId]).toEqual([
      { week: '2026-11-16', personId: null, value: 2 },
      { week: '2026-11-16', personId: null, value: 3 },
      world.person.lead,
    ]);
    expect(JSON.parse(audit.at(-1)!.after!)).toEqual({ rows: 6, created: 5, corrected: 1, unchanged: 0, cleared: 0 });
    const landing = await lead.get(`/teams/${world.teamA}`);
    expect(landing.body).toContain('Imported 6 rows for Year 6: 5 new, 1 correction');
  });

  it('checks the text again: rows that are wrong (or were changed after the preview) mean a 422 and nothing written', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const before = snapshot(db());
    const forged = `${GOOD}\r\n2027-01-04,,${MEASURES.team},,9\r\n`;
    const response = await confirm(lead, `/teams/${world.teamA}/import/confirm`, forged);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('The week of Mon 4 Jan 2027 has not started yet');
    expect(snapshot(db())).toEqual(before);
    const empty = await lead.post(`/teams/${world.teamA}/import/confirm`, { csv: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('There was nothing to save');
    expect(snapshot(db())).toEqual(before);
  });

  it('a downloaded file, imported back, changes nothing', async () => {
    saveEntry(db(), world.person.member, csv.individual, '2026-11-16', world.person.member, 5);
    saveEntry(db(), world.person.lead, csv.team, '2026-11-09', null, 3);
    saveDayEntry(db(), world.person.member, csv.daily, '2026-11-17', world.person.member, true);
    const lead = await signedIn(t.app, EMAIL.lead);
    const exported = (await lead.get(`/teams/${world.teamA}/export.csv`)).rawPayload;
    const preview = await upload(lead, `/teams/${world.teamA}/import`, [exported]);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('3 rows ready to save: 0 new, 0 corrections, 3 unchanged.');
    const entriesBefore = snapshot(db(), { except: ['web_sessions', 'audit_log'] });
    expect((await confirm(lead, `/teams/${world.teamA}/import/confirm`, hiddenCsv(preview.body))).statusCode).toBe(303);
    expect(snapshot(db(), { except: ['web_sessions', 'audit_log'] })).toEqual(entriesBefore);
  });
});

describe('bad files get the form again with a message (422), never an error page', () => {
  const cases: [string, () => (string | Buffer)[], RegExp][] = [
    [
      'a picture, not a CSV file',
      () => [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])],
      /This file is not text, so it is not a CSV file/,
    ],
    [
      'an Excel workbook',
      () => [Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)])],
      /This is an Excel workbook, not a CSV file/,
    ],
    [
      'a file larger than 512 KB',
      () => [`week,measure,value\n${`2026-11-16,${MEASURES.team},3\n`.repeat(16_000)}`],
      /The file is larger than 512 KB/,
    ],
    [
      'a file larger than the upload limit (1 MB)',
      () => [`week,measure,value\n${`2026-11-16,${MEASURES.team},3\n`.repeat(40_000)}`],
      /The file is larger than 512 KB/,
    ],
    [
      'the wrong columns',
      () => ['Name,Score\nAaron,5\n'],
      /The file does not have the columns we need\. The first row must name the columns: week \(or date\), measure, person and value\. Its first row has: Name, Score\./,
    ],
    ['an empty file', () => [''], /Choose the CSV file saved from your spreadsheet/],
    ['a broken quote', () => [`week,measure,value\n2026-11-16,"${MEASURES.team},3\n`], /Row 2: a quote mark/],
    ['two files at once', () => [GOOD, GOOD], /Choose one CSV file at a time/],
  ];
  it('pasted rows larger than a form may carry', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const before = snapshot(db());
    const response = await lead.post(`/teams/${world.teamA}/import`, {
      csv: `week,measure,value\n${`2026-11-16,${MEASURES.team},3\n`.repeat(12_000)}`,
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('The file is larger than 512 KB');
    expect(snapshot(db())).toEqual(before);
  });

  it.each(cases)('%s', async (_label, files, message) => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const before = snapshot(db());
    const response = await upload(lead, `/teams/${world.teamA}/import`, files());
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toMatch(message);
    expect(response.body).toContain('id="i-file-error"');
    expect(snapshot(db())).toEqual(before);
  });
});

describe('a WIG’s lag readings: GET/POST /wigs/:wigId/readings/import and confirm', () => {
  it('previews (writing nothing), then saves every reading in one go, a correction audited before → after', async () => {
    saveReading(db(), world.person.lead, csv.wigId, '2026-10-16', 63, null);
    const lead = await signedIn(t.app, EMAIL.lead);
    expect((await lead.get(`/wigs/${csv.wigId}/readings/import`)).statusCode).toBe(200);
    const before = snapshot(db());
    const file = 'Date,Reading,Note\r\n16/10/2026,64.5%,Autumn 1 assessment\r\n2026-11-20,66,\r\n';
    const preview = await upload(lead, `/wigs/${csv.wigId}/readings/import`, [file], 'readings.csv');
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('2 rows ready to save: 1 new, 1 correction, 0 unchanged.');
    expect(preview.body).toContain('Correction: 63 (no note) → 64.5 (note: Autumn 1 assessment)');
    expect(snapshot(db())).toEqual(before);

    const response = await confirm(lead, `/wigs/${csv.wigId}/readings/import/confirm`, hiddenCsv(preview.body));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/wigs/${csv.wigId}#readings`);
    expect(
      db()
        .select()
        .from(lagReadings)
        .all()
        .map((r) => [r.date, r.value, r.note]),
    ).toEqual([
      ['2026-10-16', 64.5, 'Autumn 1 assessment'],
      ['2026-11-20', 66, null],
    ]);
    const audit = db().select().from(auditLog).where(eq(auditLog.entity, 'lag_reading')).all().at(-2)!;
    expect([JSON.parse(audit.before!), JSON.parse(audit.after!)]).toEqual([
      { date: '2026-10-16', value: 63, note: null },
      { date: '2026-10-16', value: 64.5, note: 'Autumn 1 assessment' },
    ]);
    expect(
      db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'import_csv'), eq(auditLog.entity, 'wig')))
        .get()?.entityId,
    ).toBe(csv.wigId);
  });

  it('a note with markup in it is shown as text in the preview, and saved as typed', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const note = '<script>alert(1)</script> and <div hx-get="/x" hx-trigger="load">';
    const preview = await lead.post(`/wigs/${csv.wigId}/readings/import`, {
      csv: `date,value,note\n2026-11-20,66,"${note.replaceAll('"', '""')}"\n`,
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).not.toContain('<script>alert(1)</script>');
    expect(preview.body).not.toContain('hx-get="/x"');
    expect(preview.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(
      (await confirm(lead, `/wigs/${csv.wigId}/readings/import/confirm`, hiddenCsv(preview.body))).statusCode,
    ).toBe(303);
    expect(
      db()
        .select()
        .from(lagReadings)
        .all()
        .map((r) => r.note),
    ).toEqual([note]);
  });

  it('a reading dated in the future, or two for one date: 422 and nothing written', async () => {
    const lead = await signedIn(t.app, EMAIL.lead);
    const before = snapshot(db());
    const response = await lead.post(`/wigs/${csv.wigId}/readings/import`, {
      csv: 'date,value\n2026-12-01,60\n2026-11-02,61\n02/11/2026,62\n',
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Tue 1 Dec 2026 is in the future');
    expect(response.body).toContain('Row 4 repeats row 3: two readings for Mon 2 Nov 2026');
    expect(snapshot(db())).toEqual(before);
  });
});

describe('who may export and import', () => {
  it('a member exports their own team and reads its WIG’s readings, but may not import; another team’s people may do neither', async () => {
    const member = await signedIn(t.app, EMAIL.member);
    expect((await member.get(`/teams/${world.teamA}/export.csv`)).statusCode).toBe(200);
    expect((await member.get(`/wigs/${csv.wigId}/readings.csv`)).statusCode).toBe(200);
    const before = snapshot(db());
    expect((await member.get(`/teams/${world.teamA}/import`)).statusCode).toBe(403);
    expect((await upload(member, `/teams/${world.teamA}/import`, [GOOD])).statusCode).toBe(403);
    expect((await confirm(member, `/teams/${world.teamA}/import/confirm`, GOOD)).statusCode).toBe(403);
    expect(
      (await confirm(member, `/wigs/${csv.wigId}/readings/import/confirm`, 'date,value\n2026-11-02,61\n')).statusCode,
    ).toBe(403);
    expect(snapshot(db())).toEqual(before);

    const other = await signedIn(t.app, EMAIL.otherMember);
    expect((await other.get(`/teams/${world.teamA}/export.csv`)).statusCode).toBe(403);
    expect((await other.get(`/wigs/${csv.wigId}/readings.csv`)).statusCode).toBe(403);
    const lead = await signedIn(t.app, EMAIL.lead);
    expect((await lead.get(`/teams/${world.teamB}/import`)).statusCode).toBe(403);
    expect((await lead.get(`/teams/${world.teamB}/export.csv`)).statusCode).toBe(403);
    const head = await signedIn(t.app, EMAIL.head);
    expect((await head.get(`/teams/${world.teamA}/export.csv`)).statusCode).toBe(200);
    expect((await head.get(`/teams/${world.teamA}/import`)).statusCode).toBe(403);
    expect(db().select().from(leadEntries).where(isNull(leadEntries.personId)).all()).toEqual([]);
  });
});
