// Reading the cadence of accountability back: execution health (team, school, trust), commitments history, and a
// school's RADAR. What each page shows is built in src/read-models/ (health, commitments-history, radar).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { rules } from '../domain/access.ts';
import type { DateRange } from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import { personCommitmentsHistory, teamCommitmentsHistory } from '../read-models/commitments-history.ts';
import {
  healthHelpers,
  healthPeriodChoices,
  schoolHealth,
  teamHealth,
  trustHealth,
  type HealthView,
} from '../read-models/health.ts';
import { schoolRadar } from '../read-models/radar.ts';
import { scoreboardHelpers } from '../read-models/team-board.ts';
import { personParams, schoolParams, teamParams } from '../schemas.ts';

const periodQuery = Type.Object({ period: Type.Optional(Type.String({ maxLength: 40 })) });

export default async function executionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /** The period picked in the GET form: the whole year so far, or one of its half-terms; anything else falls back to the year. */
  function chosenPeriod(request: FastifyRequest) {
    const choices = healthPeriodChoices(app.db, app.today());
    const asked = (request.query as { period?: string } | undefined)?.period;
    const chosen = choices.find((c) => c.key === asked) ?? choices[0]!;
    return {
      period: { start: chosen.start, end: chosen.end } as DateRange,
      choices: choices.map((c) => ({ key: c.key, name: c.name })),
      selected: chosen.key,
    };
  }

  const renderHealth = (
    reply: FastifyReply,
    title: string,
    health: HealthView,
    back: { href: string; label: string },
  ) =>
    reply.render({ page: 'pages/health', partial: 'partials/health', title, data: { health, back, ...healthHelpers } });

  app.get(
    '/teams/:teamId/health',
    { config: { access: rules.readTeam }, schema: { params: teamParams, querystring: periodQuery } },
    async (request, reply) => {
      const team = request.team!;
      const { period, choices, selected } = chosenPeriod(request);
      const result = teamHealth(app.db, team, period, app.now(), app.trust().timeZone);
      const health: HealthView = {
        url: `/teams/${team.id}/health`,
        about: team.name,
        choices,
        selected,
        ...result,
        breakdown: null,
      };
      return renderHealth(reply, `Execution health — ${team.name}`, health, {
        href: `/teams/${team.id}`,
        label: team.name,
      });
    },
  );

  app.get(
    '/schools/:schoolId/health',
    { config: { access: rules.readSchool }, schema: { params: schoolParams, querystring: periodQuery } },
    async (request, reply) => {
      const school = request.school!;
      const { period, choices, selected } = chosenPeriod(request);
      const result = schoolHealth(app.db, school.id, period, app.now(), app.trust().timeZone);
      const rows = result.teams.map((t) => ({ name: t.team.name, href: `/teams/${t.team.id}`, figures: t.figures }));
      const health: HealthView = {
        url: `/schools/${school.id}/health`,
        about: school.name,
        choices,
        selected,
        ...result,
        breakdown: { heading: 'By team', rows },
      };
      return renderHealth(reply, `Execution health — ${school.name}`, health, {
        href: `/schools/${school.id}`,
        label: school.name,
      });
    },
  );

  app.get(
    '/trust/health',
    { config: { access: rules.readTrust }, schema: { querystring: periodQuery } },
    async (request, reply) => {
      const { period, choices, selected } = chosenPeriod(request);
      const result = trustHealth(app.db, period, app.now(), app.trust().timeZone);
      const rows = [
        ...result.schools.map((s) => ({ name: s.school.name, href: `/schools/${s.school.id}`, figures: s.figures })),
        ...result.trustTeams.map((t) => ({
          name: `${t.team.name} (trust team)`,
          href: `/teams/${t.team.id}`,
          figures: t.figures,
        })),
      ];
      const health: HealthView = {
        url: '/trust/health',
        about: app.trust().name,
        choices,
        selected,
        ...result,
        breakdown: { heading: 'By school', rows },
      };
      return renderHealth(reply, 'Execution health — the trust', health, { href: '/trust', label: 'The trust' });
    },
  );

  app.get(
    '/teams/:teamId/commitments',
    { config: { access: rules.readTeam }, schema: { params: teamParams } },
    async (request, reply) => {
      const team = request.team!;
      return reply.render({
        page: 'pages/team-commitments',
        title: `Commitments — ${team.name}`,
        data: { team, ...teamCommitmentsHistory(app.db, team, app.today()) },
      });
    },
  );

  app.get(
    '/people/:personId/commitments',
    { config: { access: rules.readPersonCommitments }, schema: { params: personParams } },
    async (request, reply) => {
      const person = request.targetPerson!;
      const self = request.principal!.personId === person.id;
      return reply.render({
        page: 'pages/person-commitments',
        title: self ? 'My commitments' : `Commitments — ${person.name}`,
        data: { subject: person, self, ...personCommitmentsHistory(app.db, request.principal!, person, app.today()) },
      });
    },
  );

  app.get(
    '/schools/:schoolId/radar',
    { config: { access: rules.readSchool }, schema: { params: schoolParams } },
    async (request, reply) => {
      const school = request.school!;
      const radar = schoolRadar(app.db, school, app.today(), app.now(), app.trust().timeZone);
      return reply.render({
        page: 'pages/radar',
        title: `RADAR — ${school.name}`,
        data: { school, ...radar, since: formatDay(radar.since), ...scoreboardHelpers, ...healthHelpers },
      });
    },
  );
}
