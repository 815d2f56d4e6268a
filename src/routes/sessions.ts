// The weekly WIG session a team leader runs on a projector: account, review the scoreboard, plan; and clearing the path afterwards.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../db/connection.ts';
import { schoolCalendar } from '../db/queries/calendar.ts';
import { teamRoster } from '../db/queries/people.ts';
import { findSchool, type Team } from '../db/queries/schools.ts';
import {
  ACCOUNT_LOOKBACK_DAYS,
  absentFrom,
  openPathRequestsAssignedTo,
  personCurrentCommitments,
  attendanceOf,
  commitmentsMadeIn,
  commitmentsToAccount,
  findPathRequest,
  pathRequestWithNames,
  findSession,
  heldSessions,
  openTeamPathRequests,
  pathAssignees,
  pathRequestsRaisedIn,
  resolvePathRequest,
  saveSession,
  teamCurrentCommitments,
  type SessionInput,
} from '../db/queries/sessions.ts';
import { activeTeamMeasures } from '../db/queries/weekly-update.ts';
import { rules, runsTeamSession, type Principal } from '../domain/access.ts';
import { sessionDate, sessionState, sessionStateWords } from '../domain/cadence.ts';
import { addDays, isIsoDate, isoWeekday, isSchoolWeek, localDate, weekStart, zonedInstant, type IsoDate, type SchoolCalendar } from '../domain/calendar.ts';
import { COMMITMENT_MAX, COMMITMENT_SLOTS, commitmentWarnings, commitmentWeek, NOTE_MAX, PATH_REQUEST_SLOTS, REVIEW_MAX } from '../domain/commitments.ts';
import { formatDay } from '../domain/dates.ts';
import { statusShapes, statusWords } from '../domain/status.ts';
import { withUnit } from '../domain/wig.ts';
import { FormReader, type FieldErrors } from '../forms.ts';
import { HttpProblem } from '../plugins/auth.ts';
import { redirectTo } from './auth.ts';
import { teamBoards } from './scoreboard.ts';
import { formBody, teamParams } from './schemas.ts';

const weekQuery = Type.Object({ week: Type.Optional(Type.String({ pattern: '^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$' })) });
/** The session form's fields are named per person and per commitment (present_12, outcome_34, commit_12_1_text…): each one text. */
const sessionBody = Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]{1,40}$' }), Type.String());
/** auth.ts resolves the request (404 when unknown or malformed) and the rule judges it by its assignee. */
const pathRequestParams = Type.Object({ pathRequestId: Type.String({ maxLength: 40 }) });
const resolveBody = formBody('resolution');

const OUTCOMES = ['done', 'partly', 'not_done'] as const;
const outcomeWords: Record<(typeof OUTCOMES)[number], string> = { done: 'Done', partly: 'Partly done', not_done: 'Not done' };

interface SessionContext {
  db: Db;
  team: Team;
  week: IsoDate;
  today: IsoDate;
  calendar: SchoolCalendar;
  principal: Principal;
}

/** What the form works on: the team's people, what is to be accounted for, and what the session already holds. */
function sessionFacts(ctx: SessionContext) {
  const { db, team, week } = ctx;
  const session = findSession(db, team.id, week);
  const seen = new Set<number>();
  const roster = teamRoster(db, team.id).filter((p) => p.disabledAt === null && !seen.has(p.personId) && seen.add(p.personId));
  const toAccount = commitmentsToAccount(db, team.id, week, session?.id ?? null, addDays(week, -ACCOUNT_LOOKBACK_DAYS));
  const made = session ? commitmentsMadeIn(db, session.id) : [];
  const measures = activeTeamMeasures(db, [team.id]);
  return { session, roster, toAccount, made, measures, assignees: pathAssignees(db, team), forWeek: commitmentWeek(week, ctx.calendar) };
}
type Facts = ReturnType<typeof sessionFacts>;

/** The slots of one person's commitments made in this session: the saved ones first, in the order they were made. */
const madeSlots = (facts: Facts, personId: number) => facts.made.filter((c) => c.personId === personId).slice(0, COMMITMENT_SLOTS);

/** The form's values as saved (or, for a session not yet held, everyone present and nothing typed). */
function initialValues(db: Db, facts: Facts): Record<string, string> {
  const values: Record<string, string> = { worked: facts.session?.worked ?? '', didNotWork: facts.session?.didNotWork ?? '' };
  const attendance = facts.session ? new Map(attendanceOf(db, facts.session.id).map((a) => [a.personId, a.present])) : null;
  for (const p of facts.roster) values[`present_${p.personId}`] = attendance === null || attendance.get(p.personId) ? '1' : '';
  for (const c of facts.toAccount) {
    values[`outcome_${c.id}`] = c.outcome ?? '';
    values[`why_${c.id}`] = c.outcomeNote ?? '';
  }
  for (const p of facts.roster) {
    madeSlots(facts, p.personId).forEach((c, i) => {
      values[`commit_${p.personId}_${i + 1}_text`] = c.text;
      values[`commit_${p.personId}_${i + 1}_measure`] = c.leadMeasureId === null ? '' : String(c.leadMeasureId);
    });
  }
  return values;
}

/** Everything the session page draws, from the facts and the form's values (saved, or as posted and refused). */
function sessionPage(ctx: SessionContext, facts: Facts, values: Record<string, string>, errors: FieldErrors) {
  const { team, week, today, calendar, principal } = ctx;
  const date = sessionDate(team, week, calendar);
  const state = sessionState(team, week, calendar, facts.session !== null, today);
  const lastTexts = (personId: number) => facts.toAccount.filter((c) => c.personId === personId).map((c) => c.text);
  const people = facts.roster.map((p) => ({
    ...p,
    toAccount: facts.toAccount.filter((c) => c.personId === p.personId),
    slots: Array.from({ length: COMMITMENT_SLOTS }, (_, i) => {
      const name = `commit_${p.personId}_${i + 1}`;
      return { text: `${name}_text`, measure: `${name}_measure`, number: i + 1, warnings: commitmentWarnings(values[`${name}_text`] ?? '', lastTexts(p.personId)) };
    }),
    made: facts.made.filter((c) => c.personId === p.personId),
  }));
  const boards = teamBoards(ctx.db, team, today, calendar).boards;
  const current = weekStart(today);
  return {
    team,
    school: team.schoolId === null ? null : findSchool(ctx.db, team.schoolId),
    week,
    weekLabel: `Week of ${formatDay(week)}`,
    date,
    state,
    stateWords: sessionStateWords,
    session: facts.session,
    // A week with no school days has no session to run (its page says so rather than offering a form).
    canRun: runsTeamSession(principal, team) && isSchoolWeek(week, calendar),
    schoolWeek: isSchoolWeek(week, calendar),
    people,
    present: facts.session ? new Map(attendanceOf(ctx.db, facts.session.id).map((a) => [a.personId, a.present])) : new Map<number, boolean>(),
    measures: facts.measures,
    measureOptions: [{ value: '', label: 'Choose a lead measure' }, ...facts.measures.map((m) => ({ value: String(m.id), label: m.name }))],
    assigneeOptions: [{ value: '', label: 'Choose a leader' }, ...facts.assignees.map((a) => ({ value: String(a.personId), label: a.title ? `${a.name} (${a.title})` : a.name }))],
    pathSlots: Array.from({ length: PATH_REQUEST_SLOTS }, (_, i) => ({ number: i + 1, text: `path_${i + 1}_text`, assignee: `path_${i + 1}_assignee` })),
    raised: facts.session ? pathRequestsRaisedIn(ctx.db, facts.session.id) : [],
    forWeek: facts.forWeek,
    boards,
    values,
    errors,
    outcomes: OUTCOMES,
    outcomeWords,
    statusWords,
    statusShapes,
    withUnit,
    formatDay,
    previousWeek: addDays(week, -7),
    nextWeek: week < current ? addDays(week, 7) : null,
    isCurrentWeek: week === current,
    limits: { commitment: COMMITMENT_MAX, note: NOTE_MAX, review: REVIEW_MAX },
  };
}

/** Reads the posted session form against the facts: the input to save, or a message per field. */
function readSessionForm(body: unknown, facts: Facts, calendar: SchoolCalendar, heldAt: number, team: Team, week: IsoDate) {
  const form = new FormReader(body);
  const presentPeople = new Set(facts.roster.map((p) => p.personId));
  const attendance = facts.roster.map((p) => {
    const name = `present_${p.personId}`;
    const value = form.raw(name).trim();
    if (value !== '' && value !== '1' && value !== 'on') form.fail(name, `Tick or untick ${p.name}`);
    return { personId: p.personId, present: value !== '' };
  });
  // Only the commitments drawn on the form (the roster's): a commitment of someone who has left is kept as it is.
  const outcomes = facts.toAccount.filter((c) => presentPeople.has(c.personId)).map((c) => {
    const outcomeText = form.raw(`outcome_${c.id}`).trim();
    const outcome = outcomeText === '' ? null : (OUTCOMES as readonly string[]).includes(outcomeText) ? (outcomeText as (typeof OUTCOMES)[number]) : undefined;
    if (outcome === undefined) form.fail(`outcome_${c.id}`, `Choose done, partly or not done for ${c.personName}'s commitment`);
    const note = form.text(`why_${c.id}`, { label: 'Why', max: NOTE_MAX });
    if (note && outcome === null) form.fail(`why_${c.id}`, `Choose how ${c.personName}'s commitment went before saying why`);
    return { commitmentId: c.id, outcome: outcome ?? null, note: note === '' || outcome === null ? null : note };
  });
  const worked = form.text('worked', { label: 'What worked', max: REVIEW_MAX });
  const didNotWork = form.text('didNotWork', { label: 'What did not work', max: REVIEW_MAX });

  const assigneeIds = new Set(facts.assignees.map((a) => String(a.personId)));
  const newPathRequests: SessionInput['newPathRequests'] = [];
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
  const commitments: SessionInput['commitments'] = [];
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
        if (existing && existing.outcome !== null) form.fail(`${name}_text`, `${p.name}'s commitment has been accounted for: it cannot be taken out now`);
        else if (existing) removedCommitmentIds.push(existing.id);
        if (measure !== '' && !measureIds.has(measure)) form.fail(`${name}_measure`, 'Choose a lead measure of this team');
        continue;
      }
      if (facts.measures.length === 0) form.fail(`${name}_measure`, 'This team has no active lead measure to link a commitment to yet');
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
    const known = key.startsWith('present_') || key.startsWith('commit_') ? presentPeople.has(id) : facts.toAccount.some((c) => c.id === id);
    if (!known) form.fail('people', 'Some of the form is for people or commitments that are not in this session: open the session again');
  }
  const input: SessionInput = {
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

/** The team page's session lines: this week's session, the last one held, and what the team has committed to now. */
export function teamSessionSummary(db: Db, team: Team, principal: Principal, today: IsoDate, calendar = schoolCalendar(db, team.schoolId)) {
  const week = weekStart(today);
  const held = heldSessions(db, [team.id]);
  const thisWeek = held.find((s) => s.week === week) ?? null;
  const lastHeld = held.find((s) => s.week <= week) ?? null;
  // The last week a session was due before this one, to say whether it was missed.
  let previousDue: IsoDate | null = null;
  for (let i = 1; i <= 10 && previousDue === null; i++) {
    const w = addDays(week, -7 * i);
    if (sessionDate(team, w, calendar) !== null) previousDue = w;
  }
  const previousHeld = previousDue !== null && held.some((s) => s.week === previousDue);
  return {
    week,
    date: sessionDate(team, week, calendar),
    state: sessionState(team, week, calendar, thisWeek !== null, today),
    stateWords: sessionStateWords,
    lastHeld: lastHeld ? { week: lastHeld.week, heldAt: lastHeld.heldAt } : null,
    previous: previousDue === null ? null : { week: previousDue, date: sessionDate(team, previousDue, calendar), missed: !previousHeld && sessionState(team, previousDue, calendar, false, today) === 'missed' },
    canRun: runsTeamSession(principal, team),
    commitments: teamCurrentCommitments(db, team.id, week),
    pathRequests: openTeamPathRequests(db, team.id),
    formatDay,
  };
}

/** The home page's session lines for one person: their commitments this week and after, and the requests for help given to them. */
export function mySessionWork(db: Db, personId: number, today: IsoDate) {
  const week = weekStart(today);
  const rows = personCurrentCommitments(db, personId, week);
  const away = absentFrom(db, personId, [...new Set(rows.map((c) => c.sessionId).filter((id): id is number => id !== null))]);
  const commitments = rows.map((c) => ({ ...c, madeWhileAway: c.sessionId !== null && away.has(c.sessionId) }));
  return {
    week,
    thisWeek: commitments.filter((c) => c.week === week),
    later: commitments.filter((c) => c.week > week),
    pathRequests: openPathRequestsAssignedTo(db, personId),
    formatDay,
  };
}

export default async function sessionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const today = () => localDate(app.now(), app.trust().timeZone);
  const contextFor = (request: FastifyRequest, week: IsoDate): SessionContext => ({
    db: app.db,
    team: request.team!,
    week,
    today: today(),
    calendar: schoolCalendar(app.db, request.team!.schoolId),
    principal: request.principal!,
  });

  const render = (reply: FastifyReply, ctx: SessionContext, facts: Facts, values: Record<string, string>, errors: FieldErrors, status = 200) => {
    const page = sessionPage(ctx, facts, values, errors);
    return reply.render({ page: 'pages/team-session', status, title: `WIG session, ${page.weekLabel} · ${page.team.name}`, data: page });
  };

  /** The week asked for: a Monday no later than this week (any other day redirects to its Monday). */
  const weekAsked = (text: string | undefined): IsoDate | null => {
    const week = text ?? weekStart(today());
    if (!isIsoDate(week) || weekStart(week) > weekStart(today())) throw new HttpProblem(404, 'There is no session for that week yet.');
    return isoWeekday(week) === 1 ? week : null;
  };

  app.get('/teams/:teamId/session', { config: { access: rules.readTeam }, schema: { params: teamParams, querystring: weekQuery } }, async (request, reply) => {
    const week = weekAsked(request.query.week);
    if (week === null) return reply.redirect(`/teams/${request.team!.id}/session?week=${weekStart(request.query.week!)}`, 303);
    const ctx = contextFor(request, week);
    const facts = sessionFacts(ctx);
    return render(reply, ctx, facts, initialValues(app.db, facts), {});
  });

  app.post(
    '/teams/:teamId/session',
    { config: { access: rules.runTeamSession }, schema: { params: teamParams, querystring: weekQuery, body: sessionBody } },
    async (request, reply) => {
      const team = request.team!;
      // The form always names its week (a hidden field): a post without one is not a session form at all.
      const weekText = (request.body.week ?? '').trim();
      if (!isIsoDate(weekText) || isoWeekday(weekText) !== 1 || weekText > weekStart(today())) throw new HttpProblem(404, 'There is no session for that week yet.');
      const ctx = contextFor(request, weekText);
      if (!isSchoolWeek(weekText, ctx.calendar)) throw new HttpProblem(404, 'No session is due in a week with no school days.');
      const facts = sessionFacts(ctx);
      // A session recorded on its day is held now; one recorded late is held at its usual time that day.
      const date = sessionDate(team, weekText, ctx.calendar);
      const heldAt = date !== null && date < ctx.today ? zonedInstant(date, team.sessionTime, app.trust().timeZone) : app.now();
      const { form, input } = readSessionForm(request.body, facts, ctx.calendar, heldAt, team, weekText);
      if (!form.ok) return render(reply, ctx, facts, { ...initialValues(app.db, facts), ...form.values }, form.errors, 422);
      const { created } = saveSession(app.db, request.principal!.personId, input, app.now());
      const made = input.commitments.length;
      const warned = input.commitments.filter((c) => commitmentWarnings(c.text, facts.toAccount.filter((t) => t.personId === c.personId).map((t) => t.text)).length > 0).length;
      request.session.flash = {
        kind: 'success',
        message:
          `${created ? 'Session recorded as held' : 'Session updated'}: ${made} ${made === 1 ? 'commitment' : 'commitments'} for the week of ${formatDay(input.commitmentWeek)}.` +
          (warned ? ` ${warned} ${warned === 1 ? 'commitment has a warning' : 'commitments have warnings'} below: keep or change ${warned === 1 ? 'it' : 'them'}.` : ''),
      };
      return redirectTo(request, reply, `/teams/${team.id}/session?week=${weekText}`);
    },
  );

  app.post(
    '/path-requests/:pathRequestId/resolve',
    { config: { access: rules.resolvePathRequest }, schema: { params: pathRequestParams, body: resolveBody } },
    async (request, reply) => {
      const id = /^[1-9]\d{0,9}$/.test(request.params.pathRequestId) ? Number(request.params.pathRequestId) : null;
      const pathRequest = id === null ? null : findPathRequest(app.db, id);
      if (!pathRequest) throw new HttpProblem(404, 'There is no such request for help.');
      // The form always sends its note field, empty or not: a post without it is not this form.
      if (request.body.resolution === undefined) throw new HttpProblem(400, 'The form was incomplete: open the request again.');
      const form = new FormReader(request.body);
      const resolution = form.text('resolution', { label: 'What was done', max: NOTE_MAX });
      if (!form.ok) {
        return reply.render({
          page: 'pages/path-request-resolve',
          status: 422,
          title: 'Request for help not resolved',
          data: { pathRequest: pathRequestWithNames(app.db, pathRequest.id), values: form.values, errors: form.errors, formatDay },
        });
      }
      if (pathRequest.status === 'resolved') {
        request.session.flash = { kind: 'success', message: 'That request for help was already resolved.' };
        return redirectTo(request, reply, '/');
      }
      resolvePathRequest(app.db, request.principal!.personId, pathRequest.id, resolution || null, app.now());
      request.session.flash = { kind: 'success', message: 'Request for help marked resolved.' };
      return redirectTo(request, reply, '/');
    },
  );
}

