// The board hub as a plugin: route plugins register how to render each kind of board; every successful write marks the
// boards stale; stopping the server ends the displays' streams (they reconnect to the next server by themselves).
import fp from 'fastify-plugin';
import { BoardHub, type Pages } from '../boards/hub.ts';
import { touchDisplays } from '../db/queries/displays.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type BoardRenderer = (id: number | null) => Promise<Pages>;

export default fp(
  async (app) => {
    const renderers = new Map<string, BoardRenderer>();
    const hub = new BoardHub({
      render: async (key) => {
        const [kind, id] = key.split(':') as [string, string | undefined];
        const render = renderers.get(kind);
        if (!render) throw new Error(`No renderer for board ${key}`);
        return render(id === undefined ? null : Number(id));
      },
      today: () => app.today(),
      now: () => app.now(),
      seen: (ids) => touchDisplays(app.db, ids, app.now()),
    });
    app.decorate('boards', hub);
    app.decorate('boardRenderer', (kind: string, render: BoardRenderer) => {
      renderers.set(kind, render);
    });
    // Any write that went through may change a board: the next view renders afresh, and displays are sent the change.
    app.addHook('onResponse', async (request, reply) => {
      if (!SAFE_METHODS.has(request.method) && reply.statusCode < 400) hub.changed();
    });
    app.addHook('preClose', async () => hub.close());
  },
  { name: 'boards', dependencies: ['database', 'views'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    boards: BoardHub;
    /** Registers how boards of one kind ("team", "school", …) are rendered, by id. */
    boardRenderer(kind: string, render: BoardRenderer): void;
  }
}
