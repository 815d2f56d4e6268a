// The weekly update: one grid per team and week (lead measures across, people down), each cell saved on its own, by
// htmx or a plain form. What the grid shows is built in src/read-models/week-grid.ts; here: the rules and the save.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { schoolCalendar } from '../db/queries/calendar.ts';
import { saveDayEntry, saveEntry } from '../db/queries/measures.ts';
import { teamRoster } from '../db/queries/people.ts';
import { activeTeamMeasures } from '../db/queries/weekly-update.ts';
import { cellsChangedBy, leadsTeam, rules } from '../domain/access.ts';
import { isIsoDate, isoWeekday, weekStart, type IsoDate } from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import { dayRefusal, parseEntryValue, parseKept, weekRefusal, type EntryRules } from '../domain/weekly-update.ts';
import { HttpProblem } from '../errors.ts';
import { cellKey, dailyCell, numberCell, weekGrid, type Override, type WeekContext } from '../read-models/week-grid.ts';
import { formBody, readId, teamParams, weekQuery } from '../schemas.ts';

const entryBody = formBody('measureId', 'week', 'personId', 'value', 'date', 'kept');

export default async function weekRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const contextFor = (request: FastifyRequest, week: IsoDate): WeekContext => ({
    team: request.team!,
    school: request.school,
    week,
    today: app.today(),
    calendar: schoolCalendar(app.db, request.team!.schoolId),
    principal: request.principal!,
  });

  const renderWeek = (
    request: FastifyRequest,
    reply: FastifyReply,
    week: IsoDate,
    status: number,
    override: Override | null,
    errors: { href: string | null; message: string }[] = [],
  ) => {
    const page = weekGrid(app.db, contextFor(request, week), override);
    return reply.render({
      page: 'pages/team-week',
      status,
      title: `${page.weekLabel} · ${page.team.name}`,
      data: { ...page, errors },
    });
  };

  app.get(
    '/teams/:teamId/week',
    { config: { access: rules.readTeam }, schema: { params: teamParams, querystring: weekQuery } },
    async (request, reply) => {
      const week = request.query.week ?? weekStart(app.today());
      if (!isIsoDate(week)) throw new HttpProblem(404, 'There is no such week.');
      // Any day of a week finds its week: the page lives at its Monday.
      if (isoWeekday(week) !== 1) return reply.redirect(`/teams/${request.team!.id}/week?week=${weekStart(week)}`, 303);
      return renderWeek(request, reply, week, 200, null);
    },
  );

  app.post(
    '/teams/:teamId/entries',
    { config: { access: rules.enterTeamNumbers }, schema: { params: teamParams, body: entryBody } },
    async (request, reply) => {
      const team = request.team!;
      const principal = request.principal!;
      const body = request.body;
      const measureId = readId(body.measureId);
      const measure =
        measureId === null ? undefined : activeTeamMeasures(app.db, [team.id]).find((m) => m.id === measureId);
      if (!measure) throw new HttpProblem(404, 'There is no such lead measure in this team.');
      const personText = (body.personId ?? '').trim();
      const personId = personText === '' ? null : readId(personText);
      const person =
        personId === null
          ? null
          : teamRoster(app.db, team.id).find((p) => p.personId === personId && p.disabledAt === null);
      if (personText !== '' && !person) throw new HttpProblem(404, 'There is no such person in this team.');
      if (measure.perPerson !== (personId !== null)) throw new HttpProblem(404, 'There is no such cell in this grid.');

      const ctxToday = app.today();
      const calendar = schoolCalendar(app.db, team.schoolId);
      const leader = leadsTeam(principal, team.id);
      const entryRules: EntryRules = { today: ctxToday, calendar, leader };
      const notYours = cellsChangedBy(principal, team)(personId)
        ? null
        : 'You can only enter your own numbers. Ask your team leader to correct this one.';
      const weekText = (body.week ?? '').trim();
      const who = person ? person.name : `${team.name} (team)`;

      const refuse = async (week: IsoDate | null, override: Override) => {
        const pageWeek = week ?? weekStart(ctxToday);
        if (reply.isFragmentRequest()) {
          const ctx = contextFor(request, pageWeek);
          const cell = measure.kind === 'daily' ? null : numberCell(ctx, measure, person ?? null, undefined, override);
          const day =
            measure.kind === 'daily' && override.date
              ? (dailyCell(ctx, measure, person ?? null, new Map(), override).days.find(
                  (d) => d.date === override.date,
                ) ?? null)
              : null;
          // The refused cell comes back as the form it was (the week as posted), with what was typed and the message.
          const shown = cell ? { ...cell, week: weekText } : day;
          if (shown)
            return reply.render({
              page: 'pages/team-week',
              partial: measure.kind === 'daily' ? 'partials/day-cell' : 'partials/cell',
              status: 422,
              title: 'Not saved',
              data: { cell: shown },
            });
          return reply.render({
            page: 'pages/error',
            partial: 'partials/error-message',
            status: 422,
            title: 'Not saved',
            data: { status: 422, heading: 'Not saved', message: override.error, requestId: null },
          });
        }
        const idPrefix =
          measure.kind === 'daily' && override.date
            ? `d${measure.id}_${personId ?? 'team'}_${override.date.replace(/-/g, '')}-kept`
            : `c${measure.id}_${personId ?? 'team'}-value`;
        return renderWeek(request, reply, pageWeek, 422, override, [
          { href: `#${idPrefix}`, message: `${who}, ${measure.name}: ${override.error}` },
        ]);
      };

      if (measure.kind === 'number') {
        const typed = body.value ?? '';
        const base = { measureId: measure.id, personId, date: null, value: typed, kept: null };
        const validWeek = isIsoDate(weekText) && isoWeekday(weekText) === 1 ? weekText : null;
        const problem =
          notYours ?? (validWeek ? weekRefusal(validWeek, entryRules) : 'Choose a week that starts on a Monday.');
        const parsed = parseEntryValue(typed);
        const error = problem ?? (parsed.ok ? null : parsed.error);
        if (error || !parsed.ok || !validWeek) return refuse(validWeek, { ...base, error: error ?? 'Not saved' });
        const result = saveEntry(app.db, principal.personId, measure.id, validWeek, personId, parsed.value, app.now());
        const statusWord = result === 'cleared' ? 'Cleared' : 'Saved';
        if (reply.isFragmentRequest()) {
          const cell = numberCell(
            contextFor(request, validWeek),
            measure,
            person ?? null,
            parsed.value ?? undefined,
            null,
          );
          return reply.render({
            page: 'pages/team-week',
            partial: 'partials/cell',
            title: statusWord,
            data: { cell: { ...cell, status: statusWord } },
          });
        }
        request.session.flash = {
          kind: 'success',
          message: `${statusWord}: ${who}, ${measure.name}, week of ${formatDay(validWeek)}.`,
        };
        return reply.redirectTo(`/teams/${team.id}/week?week=${validWeek}#cell-${cellKey(measure.id, personId)}`);
      }

      // A daily standard: one school day at a time.
      const dateText = (body.date ?? '').trim();
      const parsedKept = parseKept(body.kept);
      const date = isIsoDate(dateText) ? dateText : null;
      const base = { measureId: measure.id, personId, date, value: '', kept: parsedKept.ok ? parsedKept.value : null };
      let problem = notYours;
      if (!problem && !date) problem = 'Choose a real school day.';
      if (!problem && weekText !== '' && weekText !== weekStart(date!))
        problem = `${formatDay(date!)} is not in this week.`;
      if (!problem) problem = dayRefusal(date!, entryRules);
      if (!problem && !parsedKept.ok) problem = parsedKept.error;
      if (problem || !date || !parsedKept.ok)
        return refuse(date ? weekStart(date) : null, { ...base, error: problem ?? 'Not saved' });
      const result = saveDayEntry(app.db, principal.personId, measure.id, date, personId, parsedKept.value, app.now());
      const statusWord = result === 'cleared' ? 'Cleared' : 'Saved';
      if (reply.isFragmentRequest()) {
        const kept = new Map(
          parsedKept.value === null ? [] : [[`${cellKey(measure.id, personId)}-${date}`, parsedKept.value]],
        );
        const day = dailyCell(contextFor(request, weekStart(date)), measure, person ?? null, kept, null).days.find(
          (d) => d.date === date,
        )!;
        return reply.render({
          page: 'pages/team-week',
          partial: 'partials/day-cell',
          title: statusWord,
          data: { cell: { ...day, status: statusWord } },
        });
      }
      request.session.flash = {
        kind: 'success',
        message: `${statusWord}: ${who}, ${measure.name}, ${formatDay(date)}.`,
      };
      return reply.redirectTo(`/teams/${team.id}/week?week=${weekStart(date)}#cell-${cellKey(measure.id, personId)}`);
    },
  );
}
