// The views above a team: the trust page, the aligned WIG tree of the trust and of a school. The data is built in
// src/read-models/overview.ts and rendered once per change (src/boards/hub.ts), as the scoreboard is.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { findSchool } from '../db/queries/schools.ts';
import { rules } from '../domain/access.ts';
import { schoolOverview, trustOverview, wigTree } from '../read-models/overview.ts';
import { scoreboardHelpers } from '../read-models/team-board.ts';
import { schoolParams } from '../schemas.ts';

export default async function overviewRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // The same for every reader: rendered once per change of the data (and per day), then shared, as the scoreboard is.
  app.boardRenderer('overview-tree', async (schoolId) => [
    await app.view('partials/wig-tree', {
      tree: wigTree(app.db, app.today(), schoolId ?? undefined),
      ...scoreboardHelpers,
    }),
  ]);
  app.boardRenderer('overview-trust', async () => [
    await app.view('partials/trust-overview', { overview: trustOverview(app.db, app.today()), ...scoreboardHelpers }),
  ]);
  app.boardRenderer('overview-school', async (schoolId) => {
    const school = schoolId === null ? null : findSchool(app.db, schoolId);
    return school
      ? [
          await app.view('partials/school-overview', {
            overview: schoolOverview(app.db, school, app.today()),
            ...scoreboardHelpers,
          }),
        ]
      : [];
  });

  app.get('/trust', { config: { access: rules.readTrust } }, async (_request, reply) => {
    const [overviewHtml] = await app.boards.pages('overview-trust');
    return reply.render({
      page: 'pages/trust',
      title: 'Trust overview',
      data: { trustName: app.trust().name, overviewHtml },
    });
  });

  app.get('/trust/tree', { config: { access: rules.readTrust } }, async (_request, reply) => {
    const [treeHtml] = await app.boards.pages('overview-tree');
    return reply.render({
      page: 'pages/wig-tree',
      title: 'The aligned WIG tree',
      data: { heading: `${app.trust().name}: the aligned WIG tree`, school: null, treeHtml },
    });
  });

  app.get(
    '/schools/:schoolId/tree',
    { config: { access: rules.readSchool }, schema: { params: schoolParams } },
    async (request, reply) => {
      const school = request.school!;
      const [treeHtml] = await app.boards.pages(`overview-tree:${school.id}`);
      return reply.render({
        page: 'pages/wig-tree',
        title: `WIG tree · ${school.name}`,
        data: { heading: `${school.name}: the aligned WIG tree`, school, treeHtml },
      });
    },
  );
}
