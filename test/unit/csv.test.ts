// CSV as spreadsheets write it: reading (RFC 4180, Excel's byte order mark), writing without formulas, dates, numbers, and checking imports row by row.
import { describe, expect, it } from 'vitest';
import { rules, type Principal } from '../../src/domain/access.ts';
import type { SchoolCalendar } from '../../src/domain/calendar.ts';
import {
  checkLeadImport,
  checkReadingImport,
  csvFileName,
  decodeCsv,
  entryKey,
  parseCsv,
  parseCsvDate,
  parseCsvNumber,
  parseKeptCell,
  safeCell,
  toCsv,
  unguardCell,
  type LeadImportContext,
  type MeasureFacts,
} from '../../src/domain/csv.ts';

const rowsOf = (text: string) => {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

describe('parseCsv (RFC 4180, as Excel saves it)', () => {
  it('reads plain rows, with CRLF, LF or CR line ends, and no extra row for the final line end', () => {
    expect(rowsOf('a,b,c\r\n1,2,3\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(rowsOf('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(rowsOf('a,b\r1,2\r')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads quoted cells holding commas, doubled quote marks and line breaks', () => {
    expect(rowsOf('name,note\r\n"Smith, Jo","She said ""yes""\r\nthen left"\r\n')).toEqual([
      ['name', 'note'],
      ['Smith, Jo', 'She said "yes"\r\nthen left'],
    ]);
    expect(rowsOf('"",x,""\n')).toEqual([['', 'x', '']]);
  });

  it("drops Excel's UTF-8 byte order mark and keeps empty cells and blank rows (so row numbers match the spreadsheet)", () => {
    expect(rowsOf('\uFEFFweek,value\r\n\r\n2026-11-23,\r\n')).toEqual([['week', 'value'], [''], ['2026-11-23', '']]);
  });

  it('reads tab-separated rows (pasted from a spreadsheet) and semicolons (a European Excel)', () => {
    expect(rowsOf('week\tvalue\n2026-11-23\t4\n')).toEqual([
      ['week', 'value'],
      ['2026-11-23', '4'],
    ]);
    expect(rowsOf('week;value\n2026-11-23;4,5\n')).toEqual([
      ['week', 'value'],
      ['2026-11-23', '4,5'],
    ]);
  });

  it('names the row of an unclosed quote, or of text after a closing quote', () => {
    expect(parseCsv('a,b\n1,"open\n2,3\n')).toEqual({
      ok: false,
      error: expect.stringMatching(/^Row 2: a quote mark/),
    });
    expect(parseCsv('a,b\n"x"y,2\n')).toEqual({
      ok: false,
      error: expect.stringMatching(/^Row 2: there is text after a closing quote/),
    });
  });
});

describe('decodeCsv', () => {
  it('reads UTF-8 with or without a byte order mark, and Windows-1252 as older Excel saves it', () => {
    expect(decodeCsv(Buffer.from('\uFEFFname\nSiân\n', 'utf8'))).toEqual({ ok: true, value: 'name\nSiân\n' });
    expect(decodeCsv(Buffer.from('name\nZoë\n', 'utf8'))).toEqual({ ok: true, value: 'name\nZoë\n' });
    expect(decodeCsv(Buffer.from('name\nSiân\n', 'latin1'))).toEqual({ ok: true, value: 'name\nSiân\n' });
    expect(
      decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\tvalue\n王\t1\n', 'utf16le')])),
    ).toEqual({ ok: true, value: 'name\tvalue\n王\t1\n' });
  });

  it('refuses an Excel workbook, a binary file and an empty file, saying what to do', () => {
    expect(decodeCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toEqual({
      ok: false,
      error: expect.stringContaining('Excel workbook, not a CSV file'),
    });
    expect(decodeCsv(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toEqual({
      ok: false,
      error: expect.stringContaining('not text'),
    });
    expect(decodeCsv(Buffer.alloc(0))).toEqual({ ok: false, error: expect.stringContaining('empty') });
    expect(decodeCsv(Buffer.from(' \r\n', 'utf8'))).toEqual({ ok: false, error: expect.stringContaining('empty') });
  });
});

describe('toCsv and safeCell (no formulas in a downloaded file)', () => {
  it('quotes what needs quoting, writes numbers as numbers and ends lines with CRLF', () => {
    expect(
      toCsv([
        ['week', 'value'],
        ['Smith, Jo', 2.5],
        ['She said "yes"', null],
        ['a\nb', -3],
      ]),
    ).toBe('week,value\r\n"Smith, Jo",2.5\r\n"She said ""yes""",\r\n"a\nb",-3\r\n');
  });

  it('puts an apostrophe before text a spreadsheet would run as a formula (= + - @, tab, carriage return)', () => {
    for (const text of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=1', '\r=1']) expect(safeCell(text)).toBe(`'${text}`);
    for (const text of ['Siân', 'a=b', '1-2', 'x@school.org.uk']) expect(safeCell(text)).toBe(text);
    expect(toCsv([['=HYPERLINK("http://x","y")']])).toBe(`"'=HYPERLINK(""http://x"",""y"")"\r\n`);
  });

  it('reads back what it wrote (the apostrophe taken off again)', () => {
    const rows = [
      ['measure', 'note'],
      ['=Reading, "conferences"', 'line one\r\nline two'],
      ['@Team', '+1'],
    ];
    expect(rowsOf(toCsv(rows)).map((r) => r.map(unguardCell))).toEqual(rows);
  });
});

describe('dates and numbers as spreadsheets write them', () => {
  it('reads 2026-11-24 and 24/11/2026 (day first), and refuses dates that do not exist', () => {
    expect(parseCsvDate('2026-11-24')).toBe('2026-11-24');
    expect(parseCsvDate(' 24/11/2026 ')).toBe('2026-11-24');
    expect(parseCsvDate('4/9/2026')).toBe('2026-09-04');
    expect(parseCsvDate('24.11.2026')).toBe('2026-11-24');
    expect(parseCsvDate('2026-11-24 00:00:00')).toBe('2026-11-24');
    for (const bad of ['31/02/2026', '11/24/2026', '2026-13-01', '24/11/26', 'next Monday', ''])
      expect(parseCsvDate(bad), bad).toBeNull();
  });

  it('reads numbers with a decimal point (and thousands separators), and says what is wrong with the rest', () => {
    const lead = { min: 0, max: 100_000, places: 2 };
    expect(parseCsvNumber('5', lead)).toEqual({ ok: true, value: 5 });
    expect(parseCsvNumber(' 2.5 ', lead)).toEqual({ ok: true, value: 2.5 });
    expect(parseCsvNumber('1,250', lead)).toEqual({ ok: true, value: 1250 });
    expect(parseCsvNumber('2,5', lead)).toEqual({ ok: false, error: expect.stringContaining('decimal point') });
    expect(parseCsvNumber('five', lead)).toEqual({ ok: false, error: expect.stringContaining('is not a number') });
    expect(parseCsvNumber('1e5', lead)).toEqual({ ok: false, error: expect.stringContaining('is not a number') });
    expect(parseCsvNumber('-1', lead)).toEqual({ ok: false, error: expect.stringContaining('below zero') });
    expect(parseCsvNumber('1.234', lead)).toEqual({
      ok: false,
      error: expect.stringContaining('more than 2 decimal places'),
    });
    expect(parseCsvNumber('100001', lead)).toEqual({ ok: false, error: expect.stringContaining('more than 100,000') });
    expect(parseCsvNumber('72%', { min: -1e9, max: 1e9, percent: true })).toEqual({ ok: true, value: 72 });
    expect(parseCsvNumber('72%', lead).ok).toBe(false);
  });

  it('reads yes and no for a daily standard', () => {
    for (const yes of ['yes', 'Y', '1', 'TRUE', 'Kept']) expect(parseKeptCell(yes)).toEqual({ ok: true, value: true });
    for (const no of ['no', 'n', '0', 'false', 'not kept'])
      expect(parseKeptCell(no)).toEqual({ ok: true, value: false });
    expect(parseKeptCell('maybe').ok).toBe(false);
  });

  it('makes a safe file name', () => {
    expect(csvFileName('Year 6', 'Ashcombe Primary', 'lead measures')).toBe(
      'year-6-ashcombe-primary-lead-measures.csv',
    );
    expect(csvFileName('Siân’s <team>')).toBe('sian-s-team.csv');
    expect(csvFileName('王')).toBe('export.csv');
  });
});

// Autumn 2 of 2026: school weeks from Mon 2 Nov; Fri 27 Nov an INSET day; Sat and Sun never school days.
const calendar: SchoolCalendar = {
  terms: [
    { start: '2026-09-01', end: '2026-10-23' },
    { start: '2026-11-02', end: '2026-12-18' },
  ],
  closures: [{ start: '2026-11-27', end: '2026-11-27', kind: 'inset', name: 'INSET day' }],
};
const MEASURES: MeasureFacts[] = [
  { id: 1, name: 'Reading conferences with target readers', kind: 'number', perPerson: true, startWeek: '2026-08-31' },
  { id: 2, name: 'Parent conferences held', kind: 'number', perPerson: false, startWeek: '2026-08-31' },
  {
    id: 3,
    name: 'Retrieval quiz at the start of every maths lesson',
    kind: 'daily',
    perPerson: true,
    startWeek: '2026-08-31',
  },
  { id: 4, name: 'Phonics sessions', kind: 'number', perPerson: true, startWeek: '2026-11-09' },
];
const PEOPLE = [
  { id: 10, name: 'Zoë Marchetti', email: 'lead@wigboard.demo' },
  { id: 11, name: 'Aaron Beckett', email: 'teacher@wigboard.demo' },
];
const context = (saved: [string, number | boolean][] = []): LeadImportContext => ({
  teamName: 'Year 6',
  today: '2026-11-24',
  calendar,
  measures: MEASURES,
  people: PEOPLE,
  saved: new Map(saved),
});
const check = (text: string, ctx = context()) => checkLeadImport(rowsOf(text), ctx);

describe('checkLeadImport — a team’s numbers, row by row, before anything is saved', () => {
  it('reads weekly numbers for a person (by email or by name) and for the team, and days of a daily standard', () => {
    const result = check(
      [
        'Week commencing,Date,Lead measure,Person,Email address,Value',
        '18/11/2026,,Reading conferences with target readers,Aaron Beckett,teacher@wigboard.demo,5',
        '2026-11-16,,reading conferences WITH target readers,Zoë Marchetti,,4.5',
        '2026-11-16,,Parent conferences held,Team,,3',
        ',2026-11-17,Retrieval quiz at the start of every maths lesson,,TEACHER@wigboard.demo,yes',
        '2026-11-16,,Parent conferences held,,,',
      ].join('\n'),
      context([[entryKey(2, '2026-11-16', null), 2]]),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.problems).toEqual([]);
    expect(result.blank).toEqual([6]);
    expect(
      result.rows.map((r) => [
        r.row,
        r.kind,
        r.measure.id,
        r.person?.id ?? null,
        r.week,
        r.kind === 'day' ? r.date : null,
        r.value,
        r.before,
      ]),
    ).toEqual([
      [2, 'week', 1, 11, '2026-11-16', null, 5, null],
      [3, 'week', 1, 10, '2026-11-16', null, 4.5, null],
      [4, 'week', 2, null, '2026-11-16', null, 3, 2],
      [5, 'day', 3, 11, '2026-11-16', '2026-11-17', true, null],
    ]);
  });

  it('names every problem by its spreadsheet row: measure, person, week, value, duplicates', () => {
    const result = check(
      [
        'week,date,measure,person,value',
        '2026-11-16,,Reading confrences,teacher@wigboard.demo,5', // 2 unknown measure
        '2026-11-16,,Reading conferences with target readers,nobody@school.org.uk,5', // 3 not in the team
        '2026-11-16,,Reading conferences with target readers,,5', // 4 no person for a per-person measure
        '2026-11-16,,Parent conferences held,teacher@wigboard.demo,3', // 5 a person for a team measure
        '2026-10-26,,Parent conferences held,,3', // 6 half-term
        '2026-11-30,,Parent conferences held,,3', // 7 next week
        '2026-11-16,,Parent conferences held,,three', // 8 not a number
        '2026-11-16,,Parent conferences held,,-2', // 9 negative
        '2026-11-16,,Retrieval quiz at the start of every maths lesson,teacher@wigboard.demo,yes', // 10 daily with no date
        ',2026-11-21,Retrieval quiz at the start of every maths lesson,teacher@wigboard.demo,yes', // 11 a Saturday
        ',2026-11-25,Retrieval quiz at the start of every maths lesson,teacher@wigboard.demo,yes', // 12 tomorrow
        ',2026-11-17,Retrieval quiz at the start of every maths lesson,teacher@wigboard.demo,perhaps', // 13 not yes or no
        '2026-11-02,,Phonics sessions,Aaron Beckett,4', // 14 before its WIG began
        '31/02/2026,,Parent conferences held,,3', // 15 not a date
        '2026-11-09,,Parent conferences held,,3', // 16 fine
        '2026-11-13,,Parent conferences held,,4', // 17 the same week again
        '2026-11-16,,Reading conferences with target readers,Someone Else,5', // 18 no one by that name
      ].join('\n'),
    );
    if (!result.ok) throw new Error(result.fileError);
    const byRow = (row: number) => result.problems.filter((p) => p.row === row).map((p) => p.message);
    expect(byRow(2)).toEqual([
      expect.stringMatching(
        /^Year 6 has no lead measure called “Reading confrences”. Its measures are: “Reading conferences/,
      ),
    ]);
    expect(byRow(3)).toEqual(['No one in Year 6 has the email address nobody@school.org.uk']);
    expect(byRow(4)).toEqual([expect.stringContaining('is counted for each person: give the person’s email address')]);
    expect(byRow(5)).toEqual([
      expect.stringContaining('is counted for the whole team: leave the person blank or write Team'),
    ]);
    expect(byRow(6)).toEqual(['The week of Mon 26 Oct 2026 has no school days (a holiday): no numbers are expected']);
    expect(byRow(7)).toEqual(['The week of Mon 30 Nov 2026 has not started yet']);
    expect(byRow(8)).toEqual(['“three” is not a number: write it like 5 or 2.5']);
    expect(byRow(9)).toEqual(['-2 is below zero: enter 0 or more']);
    expect(byRow(10)).toEqual([expect.stringContaining('is a daily standard: give the date of each day')]);
    expect(byRow(11)).toEqual(['Sat 21 Nov 2026 is not a school day (Weekend)']);
    expect(byRow(12)).toEqual(['Wed 25 Nov 2026 has not happened yet']);
    expect(byRow(13)).toEqual([expect.stringContaining('“perhaps” is not yes or no')]);
    expect(byRow(14)).toEqual(['The week of Mon 2 Nov 2026 is before this WIG began (the week of Mon 9 Nov 2026)']);
    expect(byRow(15)).toEqual(['“31/02/2026” is not a date: write it like 24/11/2026 or 2026-11-24']);
    expect(byRow(16)).toEqual([]);
    expect(byRow(17)).toEqual(['Row 17 repeats row 16: the same measure, week and person']);
    expect(byRow(18)).toEqual(['No one in Year 6 is called “Someone Else”: use their email address']);
    expect(result.rows.map((r) => r.row)).toEqual([16]);
  });

  it('refuses a file whose first row does not name the columns, or that has no rows, or too many', () => {
    expect(check('when,what,how many\n2026-11-16,Parent conferences held,3\n')).toEqual({
      ok: false,
      fileError: expect.stringMatching(
        /^The file does not have the columns we need\. .*Its first row has: when, what, how many\./,
      ),
    });
    expect(check('week,measure,value,value\n')).toEqual({
      ok: false,
      fileError: expect.stringContaining('The column “value” appears twice'),
    });
    expect(check('week,measure,value\n\n')).toEqual({
      ok: false,
      fileError: expect.stringContaining('no rows of numbers'),
    });
    expect(check('\n\n')).toEqual({ ok: false, fileError: expect.stringContaining('empty') });
    const big = [
      'week,measure,value',
      ...Array.from({ length: 5001 }, () => '2026-11-16,Parent conferences held,3'),
    ].join('\n');
    expect(check(big)).toEqual({ ok: false, fileError: expect.stringContaining('at most 5,000') });
  });

  it('reads back a file it exported, with formula-guarded names', () => {
    const ctx = context();
    const exported = toCsv([
      ['week', 'date', 'measure', 'person', 'email', 'value'],
      ['2026-11-16', '', 'Parent conferences held', 'Team', '', 3],
    ]);
    const odd: LeadImportContext = {
      ...ctx,
      measures: [...MEASURES, { id: 5, name: '=Odd measure', kind: 'number', perPerson: false, startWeek: null }],
    };
    const result = checkLeadImport(rowsOf(`${exported}2026-11-16,,${safeCell('=Odd measure')},Team,,1\r\n`), odd);
    expect(result.ok && result.rows.map((r) => [r.measure.id, r.value])).toEqual([
      [2, 3],
      [5, 1],
    ]);
  });
});

describe('checkReadingImport — a WIG’s lag readings', () => {
  const saved = new Map([['2026-10-16', { value: 63, note: null }]]);
  it('reads dates, values (with or without %) and notes, and marks corrections', () => {
    const result = checkReadingImport(
      rowsOf(
        'Date,Reading,Notes\n16/10/2026,64.5%,Autumn 1 assessment\n2026-11-20,66,\n2026-11-23,,not taken yet\n,,\n',
      ),
      { today: '2026-11-24', saved },
    );
    expect(result).toEqual({
      ok: true,
      problems: [],
      blank: [4],
      rows: [
        { row: 2, date: '2026-10-16', value: 64.5, note: 'Autumn 1 assessment', before: { value: 63, note: null } },
        { row: 3, date: '2026-11-20', value: 66, note: null, before: null },
      ],
    });
  });

  it('names bad dates, future dates, bad values, long notes and repeated dates by row', () => {
    const long = 'x'.repeat(501);
    const result = checkReadingImport(
      rowsOf(
        `date,value,note\nsoon,60,\n2026-12-01,60,\n2026-11-02,lots,\n2026-11-03,61,${long}\n2026-11-04,62,\n04/11/2026,63,\n,64,\n`,
      ),
      { today: '2026-11-24', saved },
    );
    if (!result.ok) throw new Error(result.fileError);
    expect(result.problems).toEqual([
      { row: 2, message: '“soon” is not a date: write it like 24/11/2026 or 2026-11-24' },
      { row: 3, message: 'Tue 1 Dec 2026 is in the future: a reading is dated the day it was taken' },
      { row: 4, message: '“lots” is not a number: write it like 5 or 2.5' },
      { row: 5, message: 'The note is longer than 500 characters' },
      { row: 7, message: 'Row 7 repeats row 6: two readings for Wed 4 Nov 2026' },
      { row: 8, message: 'Give the date of the reading, like 24/11/2026' },
    ]);
    expect(checkReadingImport(rowsOf('when,value\n2026-11-02,3\n'), { today: '2026-11-24', saved })).toEqual({
      ok: false,
      fileError: expect.stringContaining('date, value and (if you like) note'),
    });
  });
});

describe('rules.importTeamNumbers', () => {
  const as = (...assignments: Principal['assignments']): Principal => ({ personId: 1, assignments });
  const team = { team: { id: 10, schoolId: 1 } };
  it("lets in the team's leaders and trust admins, not its members, its headteacher or another team's leader", () => {
    expect(
      rules.importTeamNumbers.allows(as({ id: 1, role: 'team_leader', title: null, schoolId: null, teamId: 10 }), team),
    ).toBe(true);
    expect(
      rules.importTeamNumbers.allows(
        as({ id: 1, role: 'trust_admin', title: null, schoolId: null, teamId: null }),
        team,
      ),
    ).toBe(true);
    expect(
      rules.importTeamNumbers.allows(as({ id: 1, role: 'team_member', title: null, schoolId: null, teamId: 10 }), team),
    ).toBe(false);
    expect(
      rules.importTeamNumbers.allows(
        as({ id: 1, role: 'school_leader', title: null, schoolId: 1, teamId: null }),
        team,
      ),
    ).toBe(false);
    expect(
      rules.importTeamNumbers.allows(as({ id: 1, role: 'team_leader', title: null, schoolId: null, teamId: 11 }), team),
    ).toBe(false);
    expect(rules.importTeamNumbers.allows(null, team)).toBe(false);
  });
});
