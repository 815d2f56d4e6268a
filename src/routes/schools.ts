// Reading the trust's structure: every school (trust leaders), one school (its leaders), one team (its people and leaders above).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { listSchools, listTeams, teamHeadcounts } from '../db/queries/schools.ts';
import { schoolLeaders, teamRoster } from '../db/queries/people.ts';
import { rules } from '../domain/access.ts';
import { listWigs } from '../db/queries/wigs.ts';
import { isOpenWig, wigSentence, wigStatusWords } from '../domain/wig.ts';
import { weekdayName } from '../domain/dates.ts';
import { schoolParams, teamParams } from '../schemas.ts';
import { teamSessionSummary } from '../read-models/wig-session.ts';

const withSentences = <T extends Parameters<typeof wigSentence>[0]>(wigs: T[]) =>
  wigs.map((w) => ({ ...w, sentence: wigSentence(w) }));

export default async function schoolRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/schools', { config: { access: rules.readTrust } }, async (request, reply) => {
    const trustTeams = listTeams(app.db, null);
    return reply.render({
      page: 'pages/schools',
      title: 'Schools',
      data: {
        schools: listSchools(app.db),
        trustTeams,
        headcounts: teamHeadcounts(
          app.db,
          trustTeams.map((t) => t.id),
        ),
        weekdayName,
        wigs: withSentences(listWigs(app.db, { level: 'trust', schoolId: null, teamId: null }, ['active', 'draft'])),
        canSetWig: rules.editTrustWigs.allows(request.principal!, {}),
        statusWords: wigStatusWords,
      },
    });
  });

  app.get(
    '/schools/:schoolId',
    { config: { access: rules.readSchool }, schema: { params: schoolParams } },
    async (request, reply) => {
      const school = request.school!;
      const teams = listTeams(app.db, school.id);
      const principal = request.principal!;
      return reply.render({
        page: 'pages/school',
        title: school.name,
        data: {
          school,
          teams,
          headcounts: teamHeadcounts(
            app.db,
            teams.map((t) => t.id),
          ),
          // Each team winning or losing, worked out as its scoreboard works it out (src/read-models/overview.ts), rendered once per change.
          overviewHtml: (await app.boards.pages(`overview-school:${school.id}`))[0] ?? '',
          leaders: schoolLeaders(app.db, school.id),
          canManage: rules.manageSchool.allows(principal, { schoolId: school.id }),
          weekdayName,
          wigs: withSentences(
            listWigs(app.db, { level: 'school', schoolId: school.id, teamId: null }, ['active', 'draft']),
          ),
          canSetWig: rules.editSchoolWigs.allows(principal, { schoolId: school.id }),
          statusWords: wigStatusWords,
        },
      });
    },
  );

  app.get(
    '/teams/:teamId',
    { config: { access: rules.readTeam }, schema: { params: teamParams } },
    async (request, reply) => {
      const team = request.team!;
      const principal = request.principal!;
      return reply.render({
        page: 'pages/team',
        title: team.name,
        data: {
          team,
          school: request.school,
          roster: teamRoster(app.db, team.id),
          canManage: rules.manageTeam.allows(principal, { team }),
          weekdayName,
          wigs: withSentences(listWigs(app.db, { level: 'team', schoolId: team.schoolId, teamId: team.id })),
          canSetWig: rules.editTeamWigs.allows(principal, { team }),
          isOpenWig,
          canImport: rules.importTeamNumbers.allows(principal, { team: { id: team.id, schoolId: team.schoolId } }),
          session: teamSessionSummary(app.db, team, principal, app.today()),
          statusWords: wigStatusWords,
        },
      });
    },
  );
}
