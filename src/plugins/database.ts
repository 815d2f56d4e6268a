// The database as a shared capability: one connection, migrated before the app is ready, closed on shutdown.
import fp from 'fastify-plugin';
import { openDatabase } from '../db/connection.ts';
import { getTrustSettings } from '../db/queries/trust.ts';
import { deleteExpiredSignInSessions } from '../db/queries/auth.ts';

export default fp(
  async (app) => {
    const database = openDatabase(app.config.databasePath);
    app.decorate('db', database.db);
    app.decorate(
      'trust',
      () => getTrustSettings(database.db) ?? { name: 'wigboard', timeZone: app.config.trustTimeZone },
    );
    deleteExpiredSignInSessions(database.db);
    app.addHook('onClose', async () => database.close());
  },
  { name: 'database' },
);
