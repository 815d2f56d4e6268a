// CSV as spreadsheets write it (RFC 4180, as Excel saves it): decoding a file, reading rows, checking a team's numbers and a WIG's
// lag readings row by row before anything is saved, and writing CSV that a spreadsheet cannot run as a formula.
import {
  closureOf,
  isIsoDate,
  isSchoolDay,
  isSchoolWeek,
  weekStart,
  type IsoDate,
  type SchoolCalendar,
} from './calendar.ts';
import { formatDay } from './dates.ts';
import { ENTRY_LIMITS, type LeadMeasureKind } from './lead-measures.ts';
import { formatLimit, readNumber, type NumberLimits, type NumberProblem, type Parsed } from './numbers.ts';
import { CONTROL_CHARS } from './text.ts';
import { LAG_LIMITS, READING_NOTE_MAX } from './wig.ts';

/** The largest file we read: a whole year of a big team's numbers is well under this. */
export const MAX_CSV_BYTES = 512 * 1024;
/** The most rows a file may have (after its first row, which names the columns). */
export const MAX_CSV_ROWS = 5000;
/** A UTF-8 byte order mark: Excel needs it to read names such as Siân and Zoë correctly. */
export const CSV_BOM = '\uFEFF';

const SAVE_AS_CSV = 'In Excel, choose File, then Save a Copy, and the file type “CSV UTF-8 (Comma delimited)”.';

/** Turns an uploaded file into text: UTF-8 (with or without Excel's byte order mark), UTF-16 as Excel's "Unicode text", or Windows-1252 as older Excel saves CSV. */
export function decodeCsv(bytes: Uint8Array): Parsed<string> {
  if (bytes.length === 0)
    return { ok: false, error: 'The file is empty. Choose the CSV file with your numbers in it.' };
  const startsWith = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (startsWith(0x50, 0x4b, 0x03, 0x04) || startsWith(0xd0, 0xcf, 0x11, 0xe0)) {
    return { ok: false, error: `This is an Excel workbook, not a CSV file. ${SAVE_AS_CSV}` };
  }
  if (startsWith(0xff, 0xfe)) return checkText(new TextDecoder('utf-16le').decode(bytes.subarray(2)));
  if (startsWith(0xfe, 0xff)) return checkText(new TextDecoder('utf-16be').decode(bytes.subarray(2)));
  if (bytes.includes(0)) return { ok: false, error: `This file is not text, so it is not a CSV file. ${SAVE_AS_CSV}` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return checkText(text);
}

function checkText(text: string): Parsed<string> {
  const body = text.startsWith(CSV_BOM) ? text.slice(1) : text;
  if (body.includes('\u0000'))
    return { ok: false, error: `This file is not text, so it is not a CSV file. ${SAVE_AS_CSV}` };
  if (body.trim() === '')
    return { ok: false, error: 'The file is empty. Choose the CSV file with your numbers in it.' };
  return { ok: true, value: body };
}

/** Commas, as RFC 4180 says; but a file whose first row has only tabs or only semicolons (pasted from Excel, or saved in a European locale) is read with those. */
function detectDelimiter(text: string): string {
  let inQuotes = false;
  const counts = { ',': 0, '\t': 0, ';': 0 };
  for (const c of text) {
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) break;
    else if (!inQuotes && c in counts) counts[c as keyof typeof counts]++;
  }
  if (counts[','] > 0) return ',';
  if (counts['\t'] > 0) return '\t';
  if (counts[';'] > 0) return ';';
  return ',';
}

/**
 * Reads CSV text into rows of cells (RFC 4180): quoted cells may hold commas, quote marks (doubled) and line breaks;
 * lines end in CRLF, LF or CR. Row n of the result is row n + 1 of the spreadsheet, blank rows included.
 */
export function parseCsv(input: string): Parsed<string[][]> {
  const text = input.startsWith(CSV_BOM) ? input.slice(1) : input;
  const delimiter = detectDelimiter(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedField = false;
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
          return {
            ok: false,
            error: `Row ${rows.length + 1}: there is text after a closing quote mark ("). Put the whole cell in quotes and double any quote mark inside it.`,
          };
        }
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '' && !quotedField) {
      inQuotes = true;
      quotedField = true;
      i++;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
      quotedField = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      quotedField = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (inQuotes)
    return { ok: false, error: `Row ${rows.length + 1}: a quote mark (") opens a cell that is never closed.` };
  if (field !== '' || quotedField || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return { ok: true, value: rows };
}

export type CsvCell = string | number | null | undefined;

/**
 * A cell a spreadsheet will show as text, never run: text starting with = + - @ (or a tab or carriage return) could be
 * taken for a formula (CSV injection), so it gets a leading apostrophe, as Excel itself writes such text.
 */
export function safeCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Takes back the apostrophe safeCell adds, so a file we wrote reads back as it was. */
export function unguardCell(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/** Rows as CSV (RFC 4180, CRLF line ends). Numbers are written as numbers; text is guarded against formulas and quoted when it needs to be. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  const cell = (value: CsvCell) => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
    const text = safeCell(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** A date as schools write it in a spreadsheet: 2026-11-24, or 24/11/2026 (day first; also with dots or dashes). */
export function parseCsvDate(text: string): IsoDate | null {
  const t = text.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$/.exec(t);
  if (iso) return isIsoDate(iso[1]!) ? iso[1]! : null;
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (uk) {
    const date = `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`;
    return isIsoDate(date) ? date : null;
  }
  return null;
}

/** A spreadsheet cell's number, read as every form reads one (src/domain/numbers.ts), the problem named with the cell's text. */
export function parseCsvNumber(text: string, limits: NumberLimits): Parsed<number> {
  const read = readNumber(text, limits);
  if (read.ok)
    return read.value === null
      ? { ok: false, error: '“” is not a number: write it like 5 or 2.5' }
      : { ok: true, value: read.value };
  const t = read.text;
  const places = limits.places ?? 2;
  const error: Record<NumberProblem, string> = {
    decimal_comma: `“${text.trim()}” has a decimal comma: use a decimal point, like 2.5`,
    not_a_number: `“${shorten(text.trim())}” is not a number: write it like 5 or 2.5`,
    too_many_places: `${t} has more than ${places} decimal places`,
    below_min: limits.min === 0 ? `${t} is below zero: enter 0 or more` : `${t} is below ${limits.min}`,
    above_max: `${t} is more than ${formatLimit(limits.max)}`,
  };
  return { ok: false, error: error[read.problem] };
}

/** Whether a daily standard was kept that day: yes or no (also y/n, 1/0, true/false, kept/not kept). */
export function parseKeptCell(text: string): Parsed<boolean> {
  const t = text.trim().toLowerCase();
  if (['yes', 'y', '1', 'true', 'kept', '✓'].includes(t)) return { ok: true, value: true };
  if (['no', 'n', '0', 'false', 'not kept', 'missed'].includes(t)) return { ok: true, value: false };
  return {
    ok: false,
    error: `“${shorten(text.trim())}” is not yes or no: write yes if the standard was kept that day, no if not`,
  };
}

const shorten = (text: string) => ([...text].length > 40 ? `${[...text].slice(0, 40).join('')}…` : text);
const normal = (text: string) =>
  unguardCell(text).normalize('NFC').replace(/[‘’]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

/** The row that names the columns: which column each of ours is in, or why the file cannot be read. */
function readHeader<K extends string>(
  header: readonly string[],
  aliases: Record<K, readonly string[]>,
  required: readonly (readonly K[])[],
  expected: string,
): Parsed<Partial<Record<K, number>>> {
  const columns: Partial<Record<K, number>> = {};
  for (const [index, raw] of header.entries()) {
    const name = normal(raw).replace(/[()]/g, '').trim();
    const key = (Object.keys(aliases) as K[]).find((k) => aliases[k].includes(name));
    if (!key) continue;
    if (columns[key] !== undefined)
      return { ok: false, error: `The column “${raw.trim()}” appears twice in the first row. ${expected}` };
    columns[key] = index;
  }
  for (const options of required) {
    if (!options.some((k) => columns[k] !== undefined)) {
      const found = header.map((h) => h.trim()).filter(Boolean);
      const seen = found.length ? `Its first row has: ${shorten(found.join(', '))}.` : 'Its first row is empty.';
      return { ok: false, error: `The file does not have the columns we need. ${expected} ${seen}` };
    }
  }
  return { ok: true, value: columns };
}

/** The first row that is not blank (it names the columns), and the rows under it that are not blank, numbered as in the spreadsheet. */
function dataRows(rows: readonly string[][]): Parsed<{ header: string[]; body: { row: number; cells: string[] }[] }> {
  const first = rows.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (first === -1) return { ok: false, error: 'The file is empty. Choose the CSV file with your numbers in it.' };
  const body = rows
    .map((cells, index) => ({ row: index + 1, cells }))
    .slice(first + 1)
    .filter((r) => r.cells.some((c) => c.trim() !== ''));
  return { ok: true, value: { header: rows[first]!, body } };
}

/** A file with no rows under its first, or more than we read at once. */
function bodyProblem(body: readonly unknown[]): string | null {
  if (body.length === 0) return 'The file has a first row naming the columns, but no rows of numbers under it.';
  if (body.length > MAX_CSV_ROWS)
    return `The file has ${body.length.toLocaleString('en-GB')} rows; we read at most ${MAX_CSV_ROWS.toLocaleString('en-GB')} at a time. Split it into smaller files.`;
  return null;
}

export interface RowProblem {
  /** The row in the spreadsheet (row 1 names the columns). */
  row: number;
  message: string;
}

/** What a file would do: the rows to save, the rows that need fixing first, and the rows with no value (left out). */
export type ImportCheck<R> =
  | { ok: false; fileError: string }
  | { ok: true; rows: R[]; problems: RowProblem[]; blank: number[] };

// ——— A team's lead measure numbers ———

export interface MeasureFacts {
  id: number;
  name: string;
  kind: LeadMeasureKind;
  perPerson: boolean;
  /** The Monday of the week its WIG started; earlier weeks have no target. */
  startWeek: IsoDate | null;
}

interface PersonFacts {
  id: number;
  name: string;
  email: string;
}

export interface LeadImportContext {
  teamName: string;
  /** Today in the trust's time zone: later weeks and days are refused. */
  today: IsoDate;
  calendar: SchoolCalendar;
  measures: readonly MeasureFacts[];
  people: readonly PersonFacts[];
  /** What is saved now, by entryKey(): a week's number, or whether a day was kept. */
  saved: ReadonlyMap<string, number | boolean>;
}

/** The key of a saved entry: a measure, a week (numbers) or a date (daily standards), and a person (or the team). */
export const entryKey = (measureId: number, weekOrDate: IsoDate, personId: number | null) =>
  `${measureId}|${weekOrDate}|${personId ?? 'team'}`;

interface LeadRowBase {
  row: number;
  measure: MeasureFacts;
  /** Null for a whole-team measure. */
  person: PersonFacts | null;
  week: IsoDate;
}
export type LeadImportRow =
  | (LeadRowBase & { kind: 'week'; value: number; before: number | null })
  | (LeadRowBase & { kind: 'day'; date: IsoDate; value: boolean; before: boolean | null });

export const LEAD_COLUMNS_HELP = 'The first row must name the columns: week (or date), measure, person and value.';
const LEAD_ALIASES = {
  week: ['week', 'week beginning', 'week commencing', 'week starting', 'w/c', 'wc', 'week of'],
  date: ['date', 'day'],
  measure: ['measure', 'lead measure', 'lead measure name'],
  person: ['person', 'name', 'who', 'person name', 'teacher', 'staff'],
  email: ['email', 'email address', 'e-mail', 'e-mail address', 'person email'],
  value: ['value', 'number', 'count', 'result', 'kept', 'score'],
} as const;

/** Checks every row of a team's file against its measures, its people and the school year; saves nothing. */
export function checkLeadImport(rows: readonly string[][], ctx: LeadImportContext): ImportCheck<LeadImportRow> {
  const table = dataRows(rows);
  if (!table.ok) return { ok: false, fileError: table.error };
  const header = readHeader<keyof typeof LEAD_ALIASES>(
    table.value.header,
    LEAD_ALIASES,
    [['week', 'date'], ['measure'], ['value']],
    LEAD_COLUMNS_HELP,
  );
  if (!header.ok) return { ok: false, fileError: header.error };
  const tooFewOrMany = bodyProblem(table.value.body);
  if (tooFewOrMany) return { ok: false, fileError: tooFewOrMany };
  const col = header.value;
  const cell = (cells: string[], key: keyof typeof LEAD_ALIASES) => {
    const index = col[key];
    return index === undefined ? '' : unguardCell(cells[index] ?? '').trim();
  };

  const byName = new Map<string, MeasureFacts[]>();
  for (const m of ctx.measures) byName.set(normal(m.name), [...(byName.get(normal(m.name)) ?? []), m]);
  const byEmail = new Map(ctx.people.map((p) => [p.email.toLowerCase(), p]));
  const currentWeek = weekStart(ctx.today);
  const team = ctx.teamName;

  const result: LeadImportRow[] = [];
  const problems: RowProblem[] = [];
  const blank: number[] = [];
  const seen = new Map<string, number>();

  for (const { row, cells } of table.value.body) {
    const valueText = cell(cells, 'value');
    if (valueText === '') {
      blank.push(row);
      continue;
    }
    const mine: string[] = [];
    const fail = (message: string) => mine.push(message);

    const measureText = cell(cells, 'measure');
    const found = measureText ? (byName.get(normal(measureText)) ?? []) : [];
    let measure: MeasureFacts | null = null;
    if (!measureText) fail('Give the lead measure, named as it is on the team’s page');
    else if (found.length === 0)
      fail(
        `${team} has no lead measure called “${shorten(measureText)}”. Its measures are: ${ctx.measures.map((m) => `“${m.name}”`).join(', ') || 'none yet'}`,
      );
    else if (found.length > 1)
      fail(`Two of ${team}’s lead measures are called “${shorten(measureText)}”: rename one before importing`);
    else measure = found[0]!;

    // Who: an email address (or a name) for a per-person measure; blank or "Team" for the team's own.
    const emailText = cell(cells, 'email');
    const personText = emailText || cell(cells, 'person');
    let person: PersonFacts | null = null;
    if (measure) {
      const isTeam = personText === '' || normal(personText) === 'team' || normal(personText) === normal(team);
      if (!measure.perPerson) {
        if (!isTeam) fail(`“${measure.name}” is counted for the whole team: leave the person blank or write Team`);
      } else if (isTeam) {
        fail(`“${measure.name}” is counted for each person: give the person’s email address`);
      } else if (personText.includes('@')) {
        person = byEmail.get(personText.toLowerCase()) ?? null;
        if (!person) fail(`No one in ${team} has the email address ${shorten(personText)}`);
      } else {
        const named = ctx.people.filter((p) => normal(p.name) === normal(personText));
        if (named.length === 1) person = named[0]!;
        else if (named.length === 0)
          fail(`No one in ${team} is called “${shorten(personText)}”: use their email address`);
        else fail(`More than one person in ${team} is called “${shorten(personText)}”: use their email address`);
      }
    }

    // When: a week for weekly numbers (any day of it), a date for each day of a daily standard.
    const weekText = cell(cells, 'week');
    const dateText = cell(cells, 'date');
    const parseWhen = (text: string) => {
      const date = parseCsvDate(text);
      if (!date) fail(`“${shorten(text)}” is not a date: write it like 24/11/2026 or 2026-11-24`);
      return date;
    };
    let week: IsoDate | null = null;
    let date: IsoDate | null = null;
    if (measure?.kind === 'daily') {
      if (!dateText) fail(`“${measure.name}” is a daily standard: give the date of each day in the date column`);
      else date = parseWhen(dateText);
      const givenWeek = weekText ? parseWhen(weekText) : null;
      if (date) {
        week = weekStart(date);
        if (givenWeek && weekStart(givenWeek) !== week)
          fail(`${formatDay(date)} is not in the week of ${formatDay(weekStart(givenWeek))}`);
        else if (date > ctx.today) fail(`${formatDay(date)} has not happened yet`);
        else if (!isSchoolDay(date, ctx.calendar))
          fail(`${formatDay(date)} is not a school day (${closureOf(date, ctx.calendar) ?? 'school closed'})`);
      }
    } else if (weekText || dateText) {
      const when = parseWhen(weekText || dateText);
      if (when) {
        week = weekStart(when);
        if (week > currentWeek) fail(`The week of ${formatDay(week)} has not started yet`);
        else if (!isSchoolWeek(week, ctx.calendar))
          fail(`The week of ${formatDay(week)} has no school days (a holiday): no numbers are expected`);
      }
    } else fail('Give the week (any date in it, like 23/11/2026)');
    if (measure && week && measure.startWeek && week < measure.startWeek) {
      fail(`The week of ${formatDay(week)} is before this WIG began (the week of ${formatDay(measure.startWeek)})`);
    }

    let value: number | boolean | null = null;
    if (measure) {
      const parsed = measure.kind === 'daily' ? parseKeptCell(valueText) : parseCsvNumber(valueText, ENTRY_LIMITS);
      if (parsed.ok) value = parsed.value;
      else fail(parsed.error);
    }

    if (mine.length === 0 && measure && week && value !== null) {
      const key = entryKey(measure.id, date ?? week, person?.id ?? null);
      const earlier = seen.get(key);
      if (earlier !== undefined)
        fail(`Row ${row} repeats row ${earlier}: the same measure, ${date ? 'day' : 'week'} and person`);
      else {
        seen.set(key, row);
        const saved = ctx.saved.get(key);
        if (date)
          result.push({
            row,
            measure,
            person,
            week,
            kind: 'day',
            date,
            value: value as boolean,
            before: typeof saved === 'boolean' ? saved : null,
          });
        else
          result.push({
            row,
            measure,
            person,
            week,
            kind: 'week',
            value: value as number,
            before: typeof saved === 'number' ? saved : null,
          });
      }
    }
    for (const message of mine) problems.push({ row, message });
  }
  return { ok: true, rows: result, problems, blank };
}

// ——— A WIG's lag readings ———

export interface ReadingImportContext {
  today: IsoDate;
  /** The readings saved now, by date. */
  saved: ReadonlyMap<IsoDate, { value: number; note: string | null }>;
}

export interface ReadingImportRow {
  row: number;
  date: IsoDate;
  value: number;
  note: string | null;
  before: { value: number; note: string | null } | null;
}

export const READING_COLUMNS_HELP = 'The first row must name the columns: date, value and (if you like) note.';
const READING_ALIASES = {
  date: ['date', 'day', 'reading date', 'date of reading'],
  value: ['value', 'reading', 'result', 'lag measure', 'score', '%', 'percentage'],
  note: ['note', 'notes', 'comment', 'comments'],
} as const;

/** Checks every row of a WIG's readings file; saves nothing. */
export function checkReadingImport(
  rows: readonly string[][],
  ctx: ReadingImportContext,
): ImportCheck<ReadingImportRow> {
  const table = dataRows(rows);
  if (!table.ok) return { ok: false, fileError: table.error };
  const header = readHeader<keyof typeof READING_ALIASES>(
    table.value.header,
    READING_ALIASES,
    [['date'], ['value']],
    READING_COLUMNS_HELP,
  );
  if (!header.ok) return { ok: false, fileError: header.error };
  const tooFewOrMany = bodyProblem(table.value.body);
  if (tooFewOrMany) return { ok: false, fileError: tooFewOrMany };
  const col = header.value;
  const cell = (cells: string[], key: keyof typeof READING_ALIASES) => {
    const index = col[key];
    return index === undefined ? '' : unguardCell(cells[index] ?? '').trim();
  };
  const result: ReadingImportRow[] = [];
  const problems: RowProblem[] = [];
  const blank: number[] = [];
  const seen = new Map<IsoDate, number>();
  for (const { row, cells } of table.value.body) {
    const mine: string[] = [];
    const valueText = cell(cells, 'value');
    const dateText = cell(cells, 'date');
    if (valueText === '') {
      blank.push(row);
      continue;
    }
    let date: IsoDate | null = null;
    if (!dateText) mine.push('Give the date of the reading, like 24/11/2026');
    else {
      date = parseCsvDate(dateText);
      if (!date) mine.push(`“${shorten(dateText)}” is not a date: write it like 24/11/2026 or 2026-11-24`);
      else if (date > ctx.today)
        mine.push(`${formatDay(date)} is in the future: a reading is dated the day it was taken`);
    }
    const parsed = parseCsvNumber(valueText, { ...LAG_LIMITS, percent: true });
    if (!parsed.ok) mine.push(parsed.error);
    const noteText = cell(cells, 'note');
    if (CONTROL_CHARS.test(noteText)) mine.push('The note contains characters that cannot be used');
    else if ([...noteText].length > READING_NOTE_MAX)
      mine.push(`The note is longer than ${READING_NOTE_MAX} characters`);
    if (mine.length === 0 && date && parsed.ok) {
      const earlier = seen.get(date);
      if (earlier !== undefined) mine.push(`Row ${row} repeats row ${earlier}: two readings for ${formatDay(date)}`);
      else {
        seen.set(date, row);
        result.push({ row, date, value: parsed.value, note: noteText || null, before: ctx.saved.get(date) ?? null });
      }
    }
    for (const message of mine) problems.push({ row, message });
  }
  return { ok: true, rows: result, problems, blank };
}

/** A file name a browser will keep: letters, digits and dashes. */
export function csvFileName(...parts: string[]): string {
  const slug = parts
    .join(' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'export'}.csv`;
}
