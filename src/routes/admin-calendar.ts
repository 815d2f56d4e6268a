// The school year: the trust admin keeps academic years, terms and trust-wide closures (and imports bank holidays);
// a headteacher adds their own school's closures.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  createAcademicYear,
  createClosure,
  createTerm,
  deleteClosure,
  deleteTerm,
  findAcademicYear,
  findClosure,
  findTerm,
  importBankHolidays,
  listAcademicYears,
  listClosures,
  overlappingTerm,
  overlappingYear,
} from '../db/queries/calendar.ts';
import { closureKinds, type ClosureKind } from '../domain/calendar.ts';
import { parseBankHolidays } from '../domain/bank-holidays.ts';
import { isIsoDate } from '../domain/calendar.ts';
import { rules } from '../domain/access.ts';
import { formatDay } from '../domain/dates.ts';
import { FormReader, type FieldErrors } from '../forms.ts';
import { formBody, idParams, schoolParams } from '../schemas.ts';

const closureLabels: Record<ClosureKind, string> = {
  holiday: 'Holiday',
  bank_holiday: 'Bank holiday',
  inset: 'INSET day',
  closure: 'School closed',
};

/** Name and a start and end date, with the end on or after the start. */
function readDated(form: FormReader, nameLabel: string) {
  const name = form.text('name', { label: nameLabel, required: true, max: 120 });
  const date = (field: string, label: string) => {
    const value = form.text(field, { label, required: true, max: 10 });
    if (value && !form.errors[field] && !isIsoDate(value))
      form.fail(field, `${label} must be a real date, like 2026-09-03`);
    return value;
  };
  const startDate = date('startDate', 'Start date');
  const endDate = date('endDate', 'End date');
  if (form.ok && endDate < startDate) form.fail('endDate', 'The end date must be on or after the start date');
  return { name, startDate, endDate };
}

export default async function adminCalendarRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const trustAdmin = { access: rules.trustAdmin };

  interface Sections {
    year?: { values: Record<string, string>; errors: FieldErrors };
    term?: { values: Record<string, string>; errors: FieldErrors };
    closure?: { values: Record<string, string>; errors: FieldErrors };
    bankHolidays?: { values: Record<string, string>; errors: FieldErrors };
  }
  const renderCalendar = (reply: FastifyReply, status: number, sections: Sections = {}) =>
    reply.render({
      page: 'pages/admin-calendar',
      status,
      title: 'School year',
      data: {
        years: listAcademicYears(app.db),
        closures: listClosures(app.db, null),
        closureKinds,
        closureLabels,
        formatDay,
        year: sections.year ?? { values: {}, errors: {} },
        term: sections.term ?? { values: {}, errors: {} },
        closure: sections.closure ?? { values: { kind: 'inset' }, errors: {} },
        bankHolidays: sections.bankHolidays ?? { values: { division: 'england-and-wales' }, errors: {} },
      },
    });
  const done = (request: FastifyRequest, reply: FastifyReply, message: string, to = '/admin/calendar') => {
    request.session.flash = { kind: 'success', message };
    return reply.redirectTo(to);
  };

  app.get('/admin/calendar', { config: trustAdmin }, async (_request, reply) => renderCalendar(reply, 200));

  app.post(
    '/admin/calendar/years',
    { config: trustAdmin, schema: { body: formBody('name', 'startDate', 'endDate') } },
    async (request, reply) => {
      const form = new FormReader(request.body);
      const input = readDated(form, 'Academic year name');
      if (form.ok) {
        const clash = overlappingYear(app.db, input.startDate, input.endDate);
        if (clash) form.fail('startDate', `These dates overlap ${clash.name}`);
        else if (listAcademicYears(app.db).some((y) => y.name.toLowerCase() === input.name.toLowerCase()))
          form.fail('name', 'There is already a year with this name');
      }
      if (!form.ok) return renderCalendar(reply, 422, { year: { values: form.values, errors: form.errors } });
      createAcademicYear(app.db, request.person!.id, input);
      return done(request, reply, `${input.name} added. Now add its terms.`);
    },
  );

  app.post(
    '/admin/calendar/terms',
    { config: trustAdmin, schema: { body: formBody('academicYearId', 'name', 'startDate', 'endDate') } },
    async (request, reply) => {
      const form = new FormReader(request.body);
      const yearId = form.id('academicYearId', 'Academic year', 'Choose an academic year from the list');
      const input = readDated(form, 'Term name');
      const year = yearId === null ? null : findAcademicYear(app.db, yearId);
      if (yearId !== null && !year) form.fail('academicYearId', 'Choose an academic year from the list');
      if (form.ok && year && (input.startDate < year.startDate || input.endDate > year.endDate)) {
        form.fail(
          'startDate',
          `A term of ${year.name} must fall between ${formatDay(year.startDate)} and ${formatDay(year.endDate)}`,
        );
      }
      if (form.ok) {
        const clash = overlappingTerm(app.db, input.startDate, input.endDate);
        if (clash) form.fail('startDate', `These dates overlap ${clash.name}`);
      }
      if (!form.ok) return renderCalendar(reply, 422, { term: { values: form.values, errors: form.errors } });
      createTerm(app.db, request.person!.id, year!.id, input);
      return done(request, reply, `${input.name} added.`);
    },
  );

  app.post(
    '/admin/calendar/terms/:termId/delete',
    { config: trustAdmin, schema: { params: idParams('termId'), body: formBody() } },
    async (request, reply) => {
      const term = findTerm(app.db, Number(request.params.termId));
      if (!term) return reply.callNotFound();
      deleteTerm(app.db, request.person!.id, term.id);
      return done(request, reply, `${term.name} removed.`);
    },
  );

  const readClosure = (body: unknown) => {
    const form = new FormReader(body);
    const kind = form.choice('kind', 'Kind of closure', closureKinds);
    const input = readDated(form, 'Name');
    return { form, kind, input };
  };

  app.post(
    '/admin/calendar/closures',
    { config: trustAdmin, schema: { body: formBody('kind', 'name', 'startDate', 'endDate') } },
    async (request, reply) => {
      const { form, kind, input } = readClosure(request.body);
      if (!form.ok) return renderCalendar(reply, 422, { closure: { values: form.values, errors: form.errors } });
      createClosure(app.db, request.person!.id, null, kind!, input);
      return done(request, reply, `${input.name} added.`);
    },
  );

  app.post(
    '/admin/calendar/closures/:closureId/delete',
    { config: trustAdmin, schema: { params: idParams('closureId'), body: formBody() } },
    async (request, reply) => {
      const closure = findClosure(app.db, Number(request.params.closureId));
      if (!closure || closure.schoolId !== null) return reply.callNotFound();
      deleteClosure(app.db, request.person!.id, closure.id);
      return done(request, reply, `${closure.name} removed.`);
    },
  );

  app.post(
    '/admin/calendar/bank-holidays',
    {
      config: trustAdmin,
      schema: {
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          division: Type.Optional(Type.String()),
          file: Type.Optional(Type.Unknown()),
        }),
      },
    },
    async (request, reply) => {
      const body = request.body as { division?: string; file?: unknown };
      const form = new FormReader({ division: body.division ?? '' });
      const division = form.text('division', { label: 'Part of the UK', required: true, max: 40 });
      const file = body.file;
      const text = Buffer.isBuffer(file) ? file.toString('utf8') : typeof file === 'string' ? file : '';
      let holidays: { date: string; title: string }[] = [];
      if (!text.trim()) form.fail('file', 'Choose the bank-holidays.json file downloaded from GOV.UK');
      else {
        const parsed = parseBankHolidays(text);
        if (!parsed.ok) form.fail('file', parsed.error);
        else if (division && !parsed.divisions[division])
          form.fail('division', `The file has no “${division}”: it has ${Object.keys(parsed.divisions).join(', ')}`);
        else holidays = parsed.divisions[division] ?? [];
      }
      if (!form.ok) return renderCalendar(reply, 422, { bankHolidays: { values: form.values, errors: form.errors } });
      const added = importBankHolidays(app.db, request.person!.id, holidays);
      return done(
        request,
        reply,
        `${added} bank ${added === 1 ? 'holiday' : 'holidays'} added (${holidays.length - added} already there).`,
      );
    },
  );

  // A school's own closures, kept by its headteacher.
  const renderSchoolClosures = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: Record<string, string> = { kind: 'inset' },
    errors: FieldErrors = {},
  ) =>
    reply.render({
      page: 'pages/admin-school-closures',
      status,
      title: `Closures: ${request.school!.name}`,
      data: {
        school: request.school,
        closures: listClosures(app.db, request.school!.id),
        trustClosures: listClosures(app.db, null),
        closureKinds,
        closureLabels,
        formatDay,
        values,
        errors,
      },
    });

  app.get(
    '/admin/schools/:schoolId/closures',
    { config: { access: rules.manageSchool }, schema: { params: schoolParams } },
    async (request, reply) => renderSchoolClosures(request, reply, 200),
  );

  app.post(
    '/admin/schools/:schoolId/closures',
    {
      config: { access: rules.manageSchool },
      schema: { params: schoolParams, body: formBody('kind', 'name', 'startDate', 'endDate') },
    },
    async (request, reply) => {
      const { form, kind, input } = readClosure(request.body);
      if (!form.ok) return renderSchoolClosures(request, reply, 422, form.values, form.errors);
      createClosure(app.db, request.person!.id, request.school!.id, kind!, input);
      return done(request, reply, `${input.name} added.`, `/admin/schools/${request.school!.id}/closures`);
    },
  );

  app.post(
    '/admin/schools/:schoolId/closures/:closureId/delete',
    { config: { access: rules.manageSchool }, schema: { params: idParams('schoolId', 'closureId'), body: formBody() } },
    async (request, reply) => {
      const closure = findClosure(app.db, Number(request.params.closureId));
      if (!closure || closure.schoolId !== request.school!.id) return reply.callNotFound();
      deleteClosure(app.db, request.person!.id, closure.id);
      return done(request, reply, `${closure.name} removed.`, `/admin/schools/${request.school!.id}/closures`);
    },
  );
}
