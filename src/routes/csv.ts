// CSV export and import: a team's lead measure numbers and a WIG's lag readings, to and from the spreadsheet a team keeps today.
// An import is checked row by row and shown before anything is saved; the confirm step checks the same text again and saves it all at once.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { schoolCalendar } from '../db/queries/calendar.ts';
import {
  savedReadings,
  teamDayEntriesForExport,
  teamImportFacts,
  teamWeekEntriesForExport,
} from '../db/queries/csv.ts';
import { saveImportedEntries, type ImportedEntry } from '../db/queries/measures.ts';
import { teamRoster } from '../db/queries/people.ts';
import { listReadings, saveImportedReadings } from '../db/queries/wigs.ts';
import { rules } from '../domain/access.ts';
import { weekStart } from '../domain/calendar.ts';
import type { Parsed } from '../domain/numbers.ts';
import {
  checkLeadImport,
  checkReadingImport,
  CSV_BOM,
  csvFileName,
  decodeCsv,
  LEAD_COLUMNS_HELP,
  MAX_CSV_BYTES,
  MAX_CSV_ROWS,
  parseCsv,
  READING_COLUMNS_HELP,
  toCsv,
  type CsvCell,
  type ImportCheck,
  type LeadImportRow,
  type ReadingImportRow,
  type RowProblem,
} from '../domain/csv.ts';
import { formatDay } from '../domain/dates.ts';
import { formatNumber, wigSentence } from '../domain/wig.ts';
import type { FieldErrors } from '../forms.ts';
import { formBody, idParams, teamParams } from '../schemas.ts';
import { leadKindOf } from '../domain/lead-measures.ts';

const wigParams = idParams('wigId');
/** The upload: a file (a Buffer from a multipart form, text from any other) or rows pasted as text. The file is checked by hand. */
const uploadBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  csv: Type.Optional(Type.String()),
  file: Type.Optional(Type.Unknown()),
});
const confirmBody = formBody('csv');

const SIZE_LIMIT = `${MAX_CSV_BYTES / 1024} KB`;
const TOO_BIG = `The file is larger than ${SIZE_LIMIT}. Split it into smaller files (at most ${MAX_CSV_ROWS.toLocaleString('en-GB')} rows each) and import them one after another.`;
/** Errors from reading an upload that are the file's fault, not ours: they get the form again with a message (422), never an error page. */
const UPLOAD_LIMITS = new Set([
  'FST_REQ_FILE_TOO_LARGE',
  'FST_FILES_LIMIT',
  'FST_PARTS_LIMIT',
  'FST_FIELDS_LIMIT',
  'FST_ERR_CTP_BODY_TOO_LARGE',
]);
const MAX_PROBLEMS_SHOWN = 200;

interface Preview {
  columns: string[];
  rows: { row: number; cells: string[]; change: string }[];
  problems: RowProblem[];
  moreProblems: number;
  blank: number;
  summary: string;
}

interface ImportState {
  errors?: FieldErrors;
  /** Rows the person pasted, shown again in the text box. */
  pasted?: string;
  preview?: Preview | null;
  /** The checked text, carried by the confirm form (and checked again when it comes back). */
  csvText?: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** The text of an upload: the chosen file, or else the pasted rows. */
function uploadedText(body: { csv?: string; file?: unknown }): { text: Parsed<string>; field: 'file' | 'csv' } {
  const file = body.file;
  const asBytes = (value: unknown): Uint8Array | null =>
    Buffer.isBuffer(value) ? value : typeof value === 'string' ? Buffer.from(value, 'utf8') : null;
  const fileBytes = asBytes(file);
  if (file !== undefined && fileBytes === null)
    return { field: 'file', text: { ok: false, error: 'Choose one CSV file.' } };
  if (fileBytes && fileBytes.length > 0)
    return {
      field: 'file',
      text: fileBytes.length > MAX_CSV_BYTES ? { ok: false, error: TOO_BIG } : decodeCsv(fileBytes),
    };
  const pasted = body.csv ?? '';
  if (pasted.trim() === '')
    return {
      field: 'file',
      text: { ok: false, error: 'Choose the CSV file saved from your spreadsheet, or paste its rows in the box.' },
    };
  const bytes = Buffer.from(pasted, 'utf8');
  return { field: 'csv', text: bytes.length > MAX_CSV_BYTES ? { ok: false, error: TOO_BIG } : decodeCsv(bytes) };
}

/** Parses and checks the text with `check`; a problem with the file as a whole comes back as its message. */
function checkText<R>(text: string, check: (rows: string[][]) => ImportCheck<R>): ImportCheck<R> {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { ok: false, fileError: parsed.error };
  return check(parsed.value);
}

/** What a checked file would do, as the preview table shows it. */
function previewOf<R extends { row: number }>(
  check: Extract<ImportCheck<R>, { ok: true }>,
  columns: string[],
  describe: (r: R) => { cells: string[]; change: 'new' | 'correction' | 'unchanged'; before: string; after: string },
): Preview {
  const counts = { new: 0, correction: 0, unchanged: 0 };
  const rows = check.rows.map((r) => {
    const d = describe(r);
    counts[d.change]++;
    const change =
      d.change === 'new' ? 'New' : d.change === 'unchanged' ? 'No change' : `Correction: ${d.before} → ${d.after}`;
    return { row: r.row, cells: d.cells, change };
  });
  const summary = `${plural(rows.length, 'row')} ready to save: ${counts.new.toLocaleString('en-GB')} new, ${plural(counts.correction, 'correction')}, ${counts.unchanged.toLocaleString('en-GB')} unchanged.`;
  return {
    columns,
    rows,
    problems: check.problems.slice(0, MAX_PROBLEMS_SHOWN),
    moreProblems: Math.max(0, check.problems.length - MAX_PROBLEMS_SHOWN),
    blank: check.blank.length,
    summary,
  };
}

/** What stops a checked file being saved, as the message by the file field (null when it can be saved). */
function blockingProblem<R>(check: ImportCheck<R>): string | null {
  if (!check.ok) return check.fileError;
  if (check.problems.length > 0) {
    const rowsWithProblems = new Set(check.problems.map((p) => p.row)).size;
    return `${plural(rowsWithProblems, 'row')} of the file need${rowsWithProblems === 1 ? 's' : ''} fixing before anything can be saved: see the list below.`;
  }
  if (check.rows.length === 0) return 'No row of the file has a value in it, so there is nothing to save.';
  return null;
}

const kept = (value: boolean) => (value ? 'Kept' : 'Not kept');

function sendCsv(reply: FastifyReply, fileName: string, rows: CsvCell[][]) {
  return reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${fileName}"`)
    .header('Cache-Control', 'no-store')
    .send(CSV_BOM + toCsv(rows));
}

export default async function csvRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // ——— Export ———

  app.get(
    '/teams/:teamId/export.csv',
    { config: { access: rules.readTeam }, schema: { params: teamParams } },
    async (request, reply) => {
      const team = request.team!;
      const rows: { sort: string; cells: CsvCell[] }[] = [
        ...teamWeekEntriesForExport(app.db, team.id).map((e) => ({
          sort: `${e.week}|`,
          cells: [e.week, '', e.measure, e.name ?? 'Team', e.email ?? '', e.value],
        })),
        ...teamDayEntriesForExport(app.db, team.id).map((d) => ({
          sort: `${weekStart(d.date)}|${d.date}`,
          cells: [weekStart(d.date), d.date, d.measure, d.name ?? 'Team', d.email ?? '', d.kept ? 'yes' : 'no'],
        })),
      ];
      // Weekly numbers first within each week, then the days of the daily standards; the queries already order each kind.
      rows.sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0));
      return sendCsv(reply, csvFileName(team.name, request.school?.name ?? 'trust', 'lead measures'), [
        ['week', 'date', 'measure', 'person', 'email', 'value'],
        ...rows.map((r) => r.cells),
      ]);
    },
  );

  app.get(
    '/wigs/:wigId/readings.csv',
    { config: { access: rules.readWig }, schema: { params: wigParams } },
    async (request, reply) => {
      const wig = request.wig!;
      const rows: CsvCell[][] = listReadings(app.db, wig.id).map((r) => [r.date, r.value, r.note ?? '']);
      return sendCsv(reply, csvFileName(wig.lagName, 'lag readings'), [['date', 'value', 'note'], ...rows]);
    },
  );

  /** A file the upload limits refused (too big, two files): the same page with the message by the file field. */
  const refusedUpload =
    (
      render: (
        request: FastifyRequest,
        reply: FastifyReply,
        status: number,
        state: ImportState,
      ) => Promise<FastifyReply>,
    ) =>
    async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (!error.code || !UPLOAD_LIMITS.has(error.code)) throw error;
      request.log.info({ code: error.code }, 'upload refused');
      const message =
        error.code === 'FST_FILES_LIMIT'
          ? 'Choose one CSV file at a time.'
          : error.code === 'FST_REQ_FILE_TOO_LARGE' || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? TOO_BIG
            : 'That form had more in it than we accept. Choose one CSV file and try again.';
      return render(request, reply, 422, { errors: { file: message } });
    };

  // ——— A team's numbers ———

  const teamHelp = (request: FastifyRequest) => {
    const team = request.team!;
    const facts = teamImportFacts(app.db, team.id);
    const kinds = {
      daily: 'a daily standard: one row per school day, with the date and yes or no',
      individual: 'for each person: one row per person and week',
      team: 'for the whole team: one row per week, person left blank',
    };
    return {
      measures: facts.measures.map((m) => ({
        name: m.name,
        kind: kinds[leadKindOf(m)],
      })),
      people: teamRoster(app.db, team.id).map((p) => ({ name: p.name, email: p.email })),
    };
  };

  const renderTeamImport = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    state: ImportState = {},
  ) => {
    const team = request.team!;
    return reply.render({
      page: 'pages/team-import',
      partial: 'partials/csv-import',
      status,
      title: `Import numbers: ${team.name}`,
      data: {
        team,
        school: request.school,
        action: `/teams/${team.id}/import`,
        confirmAction: `/teams/${team.id}/import/confirm`,
        exportUrl: `/teams/${team.id}/export.csv`,
        columnsHelp: LEAD_COLUMNS_HELP,
        example: [
          ['week', 'date', 'measure', 'person', 'email', 'value'],
          [
            '2026-11-16',
            '',
            'Reading conferences with target readers',
            'Aaron Beckett',
            'aaron.beckett@school.org.uk',
            '5',
          ],
          ['2026-11-16', '', 'Parent conferences held', 'Team', '', '3'],
          [
            '2026-11-16',
            '2026-11-16',
            'Retrieval quiz at the start of every maths lesson',
            'Aaron Beckett',
            'aaron.beckett@school.org.uk',
            'yes',
          ],
        ],
        help: teamHelp(request),
        errors: state.errors ?? {},
        pasted: state.pasted ?? '',
        preview: state.preview ?? null,
        csvText: state.csvText ?? '',
        noun: 'numbers',
        maxSize: SIZE_LIMIT,
      },
    });
  };

  const checkTeamFile = (request: FastifyRequest, text: string) => {
    const team = request.team!;
    const facts = teamImportFacts(app.db, team.id);
    const people = teamRoster(app.db, team.id).map((p) => ({ id: p.personId, name: p.name, email: p.email }));
    const context = {
      teamName: team.name,
      today: app.today(),
      calendar: schoolCalendar(app.db, team.schoolId),
      measures: facts.measures,
      people,
      saved: facts.saved,
    };
    const check = checkText(text, (rows) => checkLeadImport(rows, context));
    const preview = check.ok
      ? previewOf(check, ['Week', 'Day', 'Lead measure', 'Person', 'Value'], (r: LeadImportRow) => {
          const who = r.person ? r.person.name : 'Team';
          if (r.kind === 'day') {
            const after = kept(r.value);
            return {
              cells: [formatDay(r.week), formatDay(r.date), r.measure.name, who, after],
              change: r.before === null ? 'new' : r.before === r.value ? 'unchanged' : 'correction',
              before: r.before === null ? '' : kept(r.before),
              after,
            };
          }
          const after = formatNumber(r.value);
          return {
            cells: [formatDay(r.week), '', r.measure.name, who, after],
            change: r.before === null ? 'new' : r.before === r.value ? 'unchanged' : 'correction',
            before: r.before === null ? '' : formatNumber(r.before),
            after,
          };
        })
      : null;
    return { check, preview };
  };

  const teamAccess = { access: rules.importTeamNumbers };

  app.get('/teams/:teamId/import', { config: teamAccess, schema: { params: teamParams } }, async (request, reply) =>
    renderTeamImport(request, reply, 200),
  );

  app.post(
    '/teams/:teamId/import',
    {
      config: teamAccess,
      schema: { params: teamParams, body: uploadBody },
      errorHandler: refusedUpload(renderTeamImport),
    },
    async (request, reply) => {
      const { text, field } = uploadedText(request.body);
      const pasted = field === 'csv' ? (request.body.csv ?? '') : '';
      if (!text.ok) return renderTeamImport(request, reply, 422, { errors: { [field]: text.error }, pasted });
      const { check, preview } = checkTeamFile(request, text.value);
      const problem = blockingProblem(check);
      if (problem) return renderTeamImport(request, reply, 422, { errors: { [field]: problem }, pasted, preview });
      return renderTeamImport(request, reply, 200, { preview, csvText: text.value, pasted });
    },
  );

  app.post(
    '/teams/:teamId/import/confirm',
    {
      config: teamAccess,
      schema: { params: teamParams, body: confirmBody },
      errorHandler: refusedUpload(renderTeamImport),
    },
    async (request, reply) => {
      const team = request.team!;
      const text = request.body.csv ?? '';
      if (text.trim() === '')
        return renderTeamImport(request, reply, 422, {
          errors: { file: 'There was nothing to save. Choose the file again.' },
        });
      if (Buffer.byteLength(text, 'utf8') > MAX_CSV_BYTES)
        return renderTeamImport(request, reply, 422, { errors: { file: TOO_BIG } });
      // Checked again from scratch: nothing the browser sends back is trusted, and the team's numbers may have changed since the preview.
      const { check, preview } = checkTeamFile(request, text.startsWith(CSV_BOM) ? text.slice(1) : text);
      const problem = blockingProblem(check);
      if (problem || !check.ok)
        return renderTeamImport(request, reply, 422, { errors: { file: problem ?? '' }, preview });
      const rows: ImportedEntry[] = check.rows.map((r) =>
        r.kind === 'day'
          ? { kind: 'day', measureId: r.measure.id, date: r.date, personId: r.person?.id ?? null, value: r.value }
          : { kind: 'week', measureId: r.measure.id, week: r.week, personId: r.person?.id ?? null, value: r.value },
      );
      const counts = saveImportedEntries(app.db, request.person!.id, team.id, rows, app.now());
      request.session.flash = {
        kind: 'success',
        message: `Imported ${plural(rows.length, 'row')} for ${team.name}: ${counts.created.toLocaleString('en-GB')} new, ${plural(counts.corrected, 'correction')} (the old values are kept in the history), ${counts.unchanged.toLocaleString('en-GB')} unchanged.`,
      };
      return reply.redirectTo(`/teams/${team.id}`);
    },
  );

  // ——— A WIG's lag readings ———

  const renderReadingsImport = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    state: ImportState = {},
  ) => {
    const wig = request.wig!;
    return reply.render({
      page: 'pages/readings-import',
      partial: 'partials/csv-import',
      status,
      title: `Import lag readings: ${wig.lagName}`,
      data: {
        wig,
        sentence: wigSentence(wig),
        action: `/wigs/${wig.id}/readings/import`,
        confirmAction: `/wigs/${wig.id}/readings/import/confirm`,
        exportUrl: `/wigs/${wig.id}/readings.csv`,
        columnsHelp: READING_COLUMNS_HELP,
        example: [
          ['date', 'value', 'note'],
          ['2026-10-16', '64.5', 'Autumn 1 assessment'],
          ['20/11/2026', '66', ''],
        ],
        help: null,
        errors: state.errors ?? {},
        pasted: state.pasted ?? '',
        preview: state.preview ?? null,
        csvText: state.csvText ?? '',
        noun: 'readings',
        maxSize: SIZE_LIMIT,
      },
    });
  };

  const checkReadingsFile = (request: FastifyRequest, text: string) => {
    const wig = request.wig!;
    const check = checkText(text, (rows) =>
      checkReadingImport(rows, { today: app.today(), saved: savedReadings(app.db, wig.id) }),
    );
    const preview = check.ok
      ? previewOf(check, ['Date', 'Value', 'Note'], (r: ReadingImportRow) => {
          const sameNote = r.before !== null && r.before.note === r.note;
          const change =
            r.before === null ? 'new' : r.before.value === r.value && sameNote ? 'unchanged' : 'correction';
          const before =
            r.before === null
              ? ''
              : `${formatNumber(r.before.value)}${sameNote ? '' : r.before.note ? ` (note: ${r.before.note})` : ' (no note)'}`;
          return {
            cells: [formatDay(r.date), formatNumber(r.value), r.note ?? ''],
            change,
            before,
            after: `${formatNumber(r.value)}${sameNote ? '' : r.note ? ` (note: ${r.note})` : ' (no note)'}`,
          };
        })
      : null;
    return { check, preview };
  };

  const wigAccess = { access: rules.editWig };

  app.get(
    '/wigs/:wigId/readings/import',
    { config: wigAccess, schema: { params: wigParams } },
    async (request, reply) => renderReadingsImport(request, reply, 200),
  );

  app.post(
    '/wigs/:wigId/readings/import',
    {
      config: wigAccess,
      schema: { params: wigParams, body: uploadBody },
      errorHandler: refusedUpload(renderReadingsImport),
    },
    async (request, reply) => {
      const { text, field } = uploadedText(request.body);
      const pasted = field === 'csv' ? (request.body.csv ?? '') : '';
      if (!text.ok) return renderReadingsImport(request, reply, 422, { errors: { [field]: text.error }, pasted });
      const { check, preview } = checkReadingsFile(request, text.value);
      const problem = blockingProblem(check);
      if (problem) return renderReadingsImport(request, reply, 422, { errors: { [field]: problem }, pasted, preview });
      return renderReadingsImport(request, reply, 200, { preview, csvText: text.value, pasted });
    },
  );

  app.post(
    '/wigs/:wigId/readings/import/confirm',
    {
      config: wigAccess,
      schema: { params: wigParams, body: confirmBody },
      errorHandler: refusedUpload(renderReadingsImport),
    },
    async (request, reply) => {
      const wig = request.wig!;
      const text = request.body.csv ?? '';
      if (text.trim() === '')
        return renderReadingsImport(request, reply, 422, {
          errors: { file: 'There was nothing to save. Choose the file again.' },
        });
      if (Buffer.byteLength(text, 'utf8') > MAX_CSV_BYTES)
        return renderReadingsImport(request, reply, 422, { errors: { file: TOO_BIG } });
      const { check, preview } = checkReadingsFile(request, text.startsWith(CSV_BOM) ? text.slice(1) : text);
      const problem = blockingProblem(check);
      if (problem || !check.ok)
        return renderReadingsImport(request, reply, 422, { errors: { file: problem ?? '' }, preview });
      const counts = saveImportedReadings(app.db, request.person!.id, wig.id, check.rows, app.now());
      request.session.flash = {
        kind: 'success',
        message: `Imported ${plural(check.rows.length, 'reading')}: ${counts.created.toLocaleString('en-GB')} new, ${plural(counts.corrected, 'correction')} (the old values are kept in the history), ${counts.unchanged.toLocaleString('en-GB')} unchanged.`,
      };
      return reply.redirectTo(`/wigs/${wig.id}#readings`);
    },
  );
}
