// A team's players' scoreboard page; the boards themselves are rendered once per change and shared (src/boards/hub.ts).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { findTeam } from '../db/queries/schools.ts';
import { rules } from '../domain/access.ts';
import { scoreboardHelpers, teamBoards } from '../read-models/team-board.ts';
import { teamParams } from '../schemas.ts';

export default async function scoreboardRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // The boards are the same for every viewer: rendered once per change of the data (and per day), then shared.
  app.boardRenderer('scoreboard', async (id) => {
    const team = id === null ? null : findTeam(app.db, id);
    if (!team) return [];
    const { thisWeek, boards } = teamBoards(app.db, team, app.today());
    return [await app.view('partials/team-scoreboard-boards', { team, boards, thisWeek, ...scoreboardHelpers })];
  });

  app.get(
    '/teams/:teamId/scoreboard',
    { config: { access: rules.readTeam }, schema: { params: teamParams } },
    async (request, reply) => {
      const team = request.team!;
      const [boardsHtml] = await app.boards.pages(`scoreboard:${team.id}`);
      return reply.render({
        page: 'pages/team-scoreboard',
        title: `Scoreboard · ${team.name}`,
        data: { team, school: request.school, boardsHtml },
      });
    },
  );
}
