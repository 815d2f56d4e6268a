// The weekly WIG session a team leader runs on a projector (account, review the scoreboard, plan), and clearing the
// path afterwards. What the page shows is built in src/read-models/wig-session.ts; here: the form, the rules, the save.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { schoolCalendar } from '../db/queries/calendar.ts';
import type { Team } from '../db/queries/schools.ts';
import {
  pathRequestWithNames,
  resolvePathRequest,
  saveWigSession,
  type WigSessionInput,
} from '../db/queries/wig-sessions.ts';
import { rules } from '../domain/access.ts';
import { sessionDate } from '../domain/cadence.ts';
import {
  isIsoDate,
  isoWeekday,
  isSchoolWeek,
  weekStart,
  zonedInstant,
  type IsoDate,
  type SchoolCalendar,
} from '../domain/calendar.ts';
import {
  COMMITMENT_MAX,
  COMMITMENT_SLOTS,
  commitmentOutcomes,
  commitmentWarnings,
  commitmentWeek,
  NOTE_MAX,
  PATH_REQUEST_SLOTS,
  REVIEW_MAX,
  type CommitmentOutcome,
} from '../domain/commitments.ts';
import { formatDay } from '../domain/dates.ts';
import { HttpProblem } from '../errors.ts';
import { FormReader, type FieldErrors } from '../forms.ts';
import {
  initialValues,
  madeSlots,
  sessionFacts,
  sessionPage,
  type SessionContext,
  type SessionFacts,
} from '../read-models/wig-session.ts';
import { formBody, idParams, teamParams, weekQuery } from '../schemas.ts';

/** The session form's fields are named per person and per commitment (present_12, outcome_34, commit_12_1_text…): each one text. */
const sessionBody = Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]{1,40}$' }), Type.String());
const resolveBody = formBody('resolution');

/** Reads the posted session form against the facts: the input to save, or a message per field. */
function readSessionForm(
  body: unknown,
  facts: SessionFacts,
  calendar: SchoolCalendar,
  heldAt: number,
  team: Team,
  week: IsoDate,
) {
  const form = new FormReader(body);
  const presentPeople = new Set(facts.roster.map((p) => p.personId));
  const attendance = facts.roster.map((p) => {
    const name = `present_${p.personId}`;
    const value = form.raw(name).trim();
    if (value !== '' && value !== '1' && value !== 'on') form.fail(name, `Tick or untick ${p.name}`);
    return { personId: p.personId, present: value !== '' };
  });
  // Only the commitments drawn on the form (the roster's): a commitment of someone who has left is kept as it is.
  const outcomes = facts.toAccount
    .filter((c) => presentPeople.has(c.personId))
    .map((c) => {
      const outcomeText = form.raw(`outcome_${c.id}`).trim();
      const outcome =
        outcomeText === ''
          ? null
          : (commitmentOutcomes as readonly string[]).includes(outcomeText)
            ? (outcomeText as CommitmentOutcome)
            : undefined;
      if (outcome === undefined)
        form.fail(`outcome_${c.id}`, `Choose done, partly or not done for ${c.personName}'s commitment`);
      const note = form.text(`why_${c.id}`, { label: 'Why', max: NOTE_MAX });
      if (note && outcome === null)
        form.fail(`why_${c.id}`, `Choose how ${c.personName}'s commitment went before saying why`);
      return { commitmentId: c.id, outcome: outcome ?? null, note: note === '' || outcome === null ? null : note };
    });
  const worked = form.text('worked', { label: 'What worked', max: REVIEW_MAX });
  const didNotWork = form.text('didNotWork', { label: 'What did not work', max: REVIEW_MAX });

  const assigneeIds = new Set(facts.assignees.map((a) => String(a.personId)));
  const newPathRequests: WigSessionInput['newPathRequests'] = [];
  for (let i = 1; i <= PATH_REQUEST_SLOTS; i++) {
    const text = form.text(`path_${i}_text`, { label: 'The help needed', max: COMMITMENT_MAX });
    const assignee = form.raw(`path_${i}_assignee`).trim();
    if (text === '' && assignee === '') continue;
    if (assignee !== '' && !assigneeIds.has(assignee)) form.fail(`path_${i}_assignee`, 'Choose a leader from the list');
    else if (assignee === '') form.fail(`path_${i}_assignee`, 'Choose the leader who will clear the path');
    if (text === '' && !form.errors[`path_${i}_text`]) form.fail(`path_${i}_text`, 'Say what help is needed');
    newPathRequests.push({ text, assigneeId: Number(assignee) });
  }

  const measureIds = new Set(facts.measures.map((m) => String(m.id)));
  const commitments: WigSessionInput['commitments'] = [];
  const removedCommitmentIds: number[] = [];
  for (const p of facts.roster) {
    const saved = madeSlots(facts, p.personId);
    for (let i = 1; i <= COMMITMENT_SLOTS; i++) {
      const name = `commit_${p.personId}_${i}`;
      const text = form.text(`${name}_text`, { label: 'Commitment', max: COMMITMENT_MAX });
      const measure = form.raw(`${name}_measure`).trim();
      const existing = saved[i - 1] ?? null;
      if (text === '') {
        if (form.errors[`${name}_text`]) continue;
        if (existing && existing.outcome !== null)
          form.fail(`${name}_text`, `${p.name}'s commitment has been accounted for: it cannot be taken out now`);
        else if (existing) removedCommitmentIds.push(existing.id);
        if (measure !== '' && !measureIds.has(measure))
          form.fail(`${name}_measure`, 'Choose a lead measure of this team');
        continue;
      }
      if (facts.measures.length === 0)
        form.fail(`${name}_measure`, 'This team has no active lead measure to link a commitment to yet');
      else if (measure === '') form.fail(`${name}_measure`, `Choose the lead measure ${p.name}'s commitment moves`);
      else if (!measureIds.has(measure)) form.fail(`${name}_measure`, 'Choose a lead measure of this team');
      commitments.push({ id: existing?.id ?? null, personId: p.personId, text, leadMeasureId: Number(measure) });
    }
  }
  // Anything posted for a person or commitment the form does not show is refused, not silently dropped.
  for (const key of Object.keys((body ?? {}) as object)) {
    const m = /^(?:present|outcome|why|commit)_(\d+)/.exec(key);
    if (!m) continue;
    const id = Number(m[1]);
    const known =
      key.startsWith('present_') || key.startsWith('commit_')
        ? presentPeople.has(id)
        : facts.toAccount.some((c) => c.id === id);
    if (!known)
      form.fail(
        'people',
        'Some of the form is for people or commitments that are not in this session: open the session again',
      );
  }
  const input: WigSessionInput = {
    teamId: team.id,
    week,
    commitmentWeek: commitmentWeek(week, calendar),
    heldAt,
    worked,
    didNotWork,
    attendance,
    outcomes,
    newPathRequests,
    commitments,
    removedCommitmentIds,
  };
  return { form, input };
}

export default async function wigSessionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const contextFor = (request: FastifyRequest, week: IsoDate): SessionContext => ({
    db: app.db,
    team: request.team!,
    school: request.school,
    week,
    today: app.today(),
    calendar: schoolCalendar(app.db, request.team!.schoolId),
    principal: request.principal!,
  });

  const render = (
    reply: FastifyReply,
    ctx: SessionContext,
    facts: SessionFacts,
    values: Record<string, string>,
    errors: FieldErrors,
    status = 200,
  ) => {
    const page = sessionPage(ctx, facts, values, errors);
    return reply.render({
      page: 'pages/team-session',
      status,
      title: `WIG session, ${page.weekLabel} · ${page.team.name}`,
      data: page,
    });
  };

  /** The week asked for: a Monday no later than this week (any other day redirects to its Monday). */
  const weekAsked = (text: string | undefined): IsoDate | null => {
    const week = text ?? weekStart(app.today());
    if (!isIsoDate(week) || weekStart(week) > weekStart(app.today()))
      throw new HttpProblem(404, 'There is no session for that week yet.');
    return isoWeekday(week) === 1 ? week : null;
  };

  app.get(
    '/teams/:teamId/session',
    { config: { access: rules.readTeam }, schema: { params: teamParams, querystring: weekQuery } },
    async (request, reply) => {
      const week = weekAsked(request.query.week);
      if (week === null)
        return reply.redirect(`/teams/${request.team!.id}/session?week=${weekStart(request.query.week!)}`, 303);
      const ctx = contextFor(request, week);
      const facts = sessionFacts(ctx);
      return render(reply, ctx, facts, initialValues(app.db, facts), {});
    },
  );

  app.post(
    '/teams/:teamId/session',
    {
      config: { access: rules.runTeamSession },
      schema: { params: teamParams, querystring: weekQuery, body: sessionBody },
    },
    async (request, reply) => {
      const team = request.team!;
      // The form always names its week (a hidden field): a post without one is not a session form at all.
      const weekText = (request.body.week ?? '').trim();
      if (!isIsoDate(weekText) || isoWeekday(weekText) !== 1 || weekText > weekStart(app.today()))
        throw new HttpProblem(404, 'There is no session for that week yet.');
      const ctx = contextFor(request, weekText);
      if (!isSchoolWeek(weekText, ctx.calendar))
        throw new HttpProblem(404, 'No session is due in a week with no school days.');
      const facts = sessionFacts(ctx);
      // A session recorded on its day is held now; one recorded late is held at its usual time that day.
      const date = sessionDate(team, weekText, ctx.calendar);
      const heldAt =
        date !== null && date < ctx.today ? zonedInstant(date, team.sessionTime, app.trust().timeZone) : app.now();
      const { form, input } = readSessionForm(request.body, facts, ctx.calendar, heldAt, team, weekText);
      if (!form.ok)
        return render(reply, ctx, facts, { ...initialValues(app.db, facts), ...form.values }, form.errors, 422);
      const { created } = saveWigSession(app.db, request.principal!.personId, input, app.now());
      const made = input.commitments.length;
      const warned = input.commitments.filter(
        (c) =>
          commitmentWarnings(
            c.text,
            facts.toAccount.filter((t) => t.personId === c.personId).map((t) => t.text),
          ).length > 0,
      ).length;
      request.session.flash = {
        kind: 'success',
        message:
          `${created ? 'Session recorded as held' : 'Session updated'}: ${made} ${made === 1 ? 'commitment' : 'commitments'} for the week of ${formatDay(input.commitmentWeek)}.` +
          (warned
            ? ` ${warned} ${warned === 1 ? 'commitment has a warning' : 'commitments have warnings'} below: keep or change ${warned === 1 ? 'it' : 'them'}.`
            : ''),
      };
      return reply.redirectTo(`/teams/${team.id}/session?week=${weekText}`);
    },
  );

  app.post(
    '/path-requests/:pathRequestId/resolve',
    { config: { access: rules.resolvePathRequest }, schema: { params: idParams('pathRequestId'), body: resolveBody } },
    async (request, reply) => {
      const pathRequest = request.pathRequest!;
      // The form always sends its note field, empty or not: a post without it is not this form.
      if (request.body.resolution === undefined)
        throw new HttpProblem(400, 'The form was incomplete: open the request again.');
      const form = new FormReader(request.body);
      const resolution = form.text('resolution', { label: 'What was done', max: NOTE_MAX });
      if (!form.ok) {
        return reply.render({
          page: 'pages/path-request-resolve',
          status: 422,
          title: 'Request for help not resolved',
          data: {
            pathRequest: pathRequestWithNames(app.db, pathRequest.id),
            values: form.values,
            errors: form.errors,
            formatDay,
          },
        });
      }
      if (pathRequest.status === 'resolved') {
        request.session.flash = { kind: 'success', message: 'That request for help was already resolved.' };
        return reply.redirectTo('/');
      }
      resolvePathRequest(app.db, request.principal!.personId, pathRequest.id, resolution || null, app.now());
      request.session.flash = { kind: 'success', message: 'Request for help marked resolved.' };
      return reply.redirectTo('/');
    },
  );
}
