// Reading the cadence of accountability back: execution health (team, school, trust), commitments history, and a school's RADAR.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { HttpProblem } from '../plugins/auth.ts';
import { leadMeasureChanges, personCommitments, sessionNotes, teamCommitments } from '../db/queries/commitment-history.ts';
import { defaultHealthPeriod, healthPeriodChoices, schoolHealth, teamHealth, trustHealth, type HealthTrendRow } from '../db/queries/health.ts';
import { assignmentsOf } from '../db/queries/people.ts';
import { findSchool, listTeams, listTeamsByIds } from '../db/queries/schools.ts';
import { listWigs } from '../db/queries/wigs.ts';
import { schoolCalendar } from '../db/queries/calendar.ts';
import { rules, seesCommitmentsOf } from '../domain/access.ts';
import { localDate, weekStart, zonedInstant, type DateRange } from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import { commitmentCredit, formatCount, healthRules, percent, ratioKeys, ratioLabels, ratioWords, type HealthFigures } from '../domain/health.ts';
import { statusShapes, statusWords } from '../domain/status.ts';
import { wigSentence } from '../domain/wig.ts';
import { personParams, schoolParams, teamParams } from './schemas.ts';
import { teamBoards } from './scoreboard.ts';

const periodQuery = Type.Object({ period: Type.Optional(Type.String({ maxLength: 40 })) });

export interface HealthBreakdownRow {
  name: string;
  href: string | null;
  figures: HealthFigures;
}

/** What the health partial shows, whoever it is about. */
export interface HealthView {
  url: string;
  about: string;
  period: DateRange;
  choices: { key: string; name: string }[];
  selected: string;
  figures: HealthFigures;
  trend: HealthTrendRow[];
  breakdown: { heading: string; rows: HealthBreakdownRow[] } | null;
}

/** The helpers the partial formats with, passed alongside the view. */
export const healthHelpers = { ratioKeys, ratioLabels, ratioWords, percent, healthRules, formatDay };

const commitmentOutcomeWords = { done: 'Done', partly: 'Partly', not_done: 'Not done' } as const;

/** Kept out of made for a list of commitments (only those accounted for count, partly as a half). */
function keptOfMade(rows: readonly { outcome: keyof typeof commitmentCredit | null }[]) {
  const accounted = rows.filter((r) => r.outcome !== null);
  const kept = accounted.reduce((sum, r) => sum + commitmentCredit[r.outcome!], 0);
  return { kept: formatCount(kept), made: accounted.length, open: rows.length - accounted.length, percent: percent({ done: kept, due: accounted.length }) };
}

/** Rows grouped by week, newest first (the rows arrive sorted). */
function byWeek<T extends { week: string }>(rows: readonly T[]) {
  const weeks = new Map<string, T[]>();
  for (const row of rows) weeks.set(row.week, [...(weeks.get(row.week) ?? []), row]);
  return [...weeks].map(([week, items]) => ({ week, label: `Week of ${formatDay(week)}`, items }));
}

export default async function executionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const today = () => localDate(app.now(), app.trust().timeZone);

  /** The period picked in the GET form: the whole year so far, or one of its half-terms; anything else falls back to the year. */
  function chosenPeriod(request: FastifyRequest) {
    const day = today();
    const choices = healthPeriodChoices(app.db, day);
    const asked = (request.query as { period?: string } | undefined)?.period;
    const chosen = choices.find((c) => c.key === asked) ?? choices[0]!;
    return { period: { start: chosen.start, end: chosen.end } as DateRange, choices: choices.map((c) => ({ key: c.key, name: c.name })), selected: chosen.key };
  }

  const renderHealth = (reply: FastifyReply, title: string, health: HealthView, back: { href: string; label: string }) =>
    reply.render({ page: 'pages/health', partial: 'partials/health', title, data: { health, back, ...healthHelpers } });

  app.get('/teams/:teamId/health', { config: { access: rules.readTeam }, schema: { params: teamParams, querystring: periodQuery } }, async (request, reply) => {
    const team = request.team!;
    const { period, choices, selected } = chosenPeriod(request);
    const result = teamHealth(app.db, team, period, app.now());
    const health: HealthView = { url: `/teams/${team.id}/health`, about: team.name, choices, selected, ...result, breakdown: null };
    return renderHealth(reply, `Execution health — ${team.name}`, health, { href: `/teams/${team.id}`, label: team.name });
  });

  app.get('/schools/:schoolId/health', { config: { access: rules.readSchool }, schema: { params: schoolParams, querystring: periodQuery } }, async (request, reply) => {
    const school = request.school!;
    const { period, choices, selected } = chosenPeriod(request);
    const result = schoolHealth(app.db, school.id, period, app.now());
    const rows = result.teams.map((t) => ({ name: t.team.name, href: `/teams/${t.team.id}`, figures: t.figures }));
    const health: HealthView = { url: `/schools/${school.id}/health`, about: school.name, choices, selected, ...result, breakdown: { heading: 'By team', rows } };
    return renderHealth(reply, `Execution health — ${school.name}`, health, { href: `/schools/${school.id}`, label: school.name });
  });

  app.get('/trust/health', { config: { access: rules.readTrust }, schema: { querystring: periodQuery } }, async (request, reply) => {
    const { period, choices, selected } = chosenPeriod(request);
    const result = trustHealth(app.db, period, app.now());
    const rows = [
      ...result.schools.map((s) => ({ name: s.school.name, href: `/schools/${s.school.id}`, figures: s.figures })),
      ...result.trustTeams.map((t) => ({ name: `${t.team.name} (trust team)`, href: `/teams/${t.team.id}`, figures: t.figures })),
    ];
    const health: HealthView = { url: '/trust/health', about: app.trust().name, choices, selected, ...result, breakdown: { heading: 'By school', rows } };
    return renderHealth(reply, 'Execution health — the trust', health, { href: '/trust', label: 'The trust' });
  });

  app.get('/teams/:teamId/commitments', { config: { access: rules.readTeam }, schema: { params: teamParams } }, async (request, reply) => {
    const team = request.team!;
    const period = defaultHealthPeriod(app.db, today());
    const rows = teamCommitments(app.db, team.id, weekStart(period.start));
    const people = new Map<number, { name: string; rows: typeof rows }>();
    for (const r of rows) people.set(r.personId, { name: r.personName, rows: [...(people.get(r.personId)?.rows ?? []), r] });
    return reply.render({
      page: 'pages/team-commitments',
      title: `Commitments — ${team.name}`,
      data: {
        team,
        since: formatDay(period.start),
        weeks: byWeek(rows).map((w) => ({ ...w, summary: keptOfMade(w.items) })),
        people: [...people].map(([personId, p]) => ({ personId, name: p.name, ...keptOfMade(p.rows) })).sort((a, b) => a.name.localeCompare(b.name)),
        total: keptOfMade(rows),
        outcomeWords: commitmentOutcomeWords,
      },
    });
  });

  app.get('/people/:personId/commitments', { config: { access: rules.signedIn }, schema: { params: personParams } }, async (request, reply) => {
    const person = request.targetPerson!;
    const principal = request.principal!;
    const period = defaultHealthPeriod(app.db, today());
    const rows = personCommitments(app.db, person.id, weekStart(period.start));
    // The teams the person is in now and those they made commitments in: a leader of any of them may look.
    const currentTeams = listTeamsByIds(app.db, assignmentsOf(app.db, person.id).flatMap((a) => (a.teamId === null ? [] : [a.teamId])));
    const teams = [...currentTeams.map((t) => ({ id: t.id, schoolId: t.schoolId })), ...rows.map((r) => ({ id: r.teamId, schoolId: r.teamSchoolId }))];
    const self = principal.personId === person.id;
    if (!self && !teams.some((t) => seesCommitmentsOf(principal, person.id, t))) throw new HttpProblem(403, 'Your role does not give you access to this page.');
    const visible = rows.filter((r) => seesCommitmentsOf(principal, person.id, { id: r.teamId, schoolId: r.teamSchoolId }));
    return reply.render({
      page: 'pages/person-commitments',
      title: self ? 'My commitments' : `Commitments — ${person.name}`,
      data: { subject: person, self, since: formatDay(period.start), weeks: byWeek(visible), total: keptOfMade(visible), outcomeWords: commitmentOutcomeWords },
    });
  });

  app.get('/schools/:schoolId/radar', { config: { access: rules.readSchool }, schema: { params: schoolParams } }, async (request, reply) => {
    const school = request.school!;
    const day = today();
    const calendar = schoolCalendar(app.db, school.id);
    const teams = listTeams(app.db, school.id);
    const boards = teams.map((team) => ({ team, boards: teamBoards(app.db, team, day, calendar).boards }));
    const period = defaultHealthPeriod(app.db, day);
    const health = schoolHealth(app.db, school.id, period, app.now());
    const teamIds = teams.map((t) => t.id);
    const since = zonedInstant(period.start, '00:00', app.trust().timeZone);
    return reply.render({
      page: 'pages/radar',
      title: `RADAR — ${school.name}`,
      data: {
        school: findSchool(app.db, school.id)!,
        schoolWigs: listWigs(app.db, { level: 'school', schoolId: school.id, teamId: null }, ['active']).map((w) => ({ ...w, sentence: wigSentence(w) })),
        boards,
        health,
        since: formatDay(period.start),
        notes: sessionNotes(app.db, teamIds, weekStart(period.start)),
        changes: leadMeasureChanges(app.db, teamIds, since),
        statusWords,
        statusShapes,
        ...healthHelpers,
      },
    });
  });
}
