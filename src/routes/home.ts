// The home page: "My week" (the cells a person still has to fill), and their own schools and teams.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { listSchools, listTeams, listTeamsByIds } from '../db/queries/schools.ts';
import { describedAssignments } from '../db/queries/people.ts';
import { ledSchoolIds, readsWholeTrust, teamIds } from '../domain/access.ts';
import { rules } from '../domain/access.ts';
import { weekdayName } from '../domain/dates.ts';
import { mySessionWork, myWeek } from '../read-models/my-week.ts';

export default async function homeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/', { config: { access: rules.signedIn } }, async (request, reply) => {
    const principal = request.principal!;
    const wholeTrust = readsWholeTrust(principal);
    const schools = wholeTrust ? listSchools(app.db) : listSchools(app.db, ledSchoolIds(principal));
    const myTeams = listTeamsByIds(app.db, teamIds(principal));
    const roles = describedAssignments(app.db, principal.personId);
    return reply.render({
      page: 'pages/home',
      title: 'Home',
      data: {
        schools,
        myTeams,
        roles,
        wholeTrust,
        trustTeams: wholeTrust ? listTeams(app.db, null) : [],
        weekdayName,
        myWeek: myWeek(app.db, principal, app.today(), myTeams),
        sessionWork: mySessionWork(app.db, principal.personId, app.today()),
      },
    });
  });
}
