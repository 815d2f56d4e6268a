// npm run demo: creates and migrates the demo database on first start, fills the demo trust, and serves it.
import { hashPassword } from '../src/auth/password.ts';
import { loadConfig, ConfigError } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { countPeople } from '../src/db/queries/people.ts';
import { startServer } from '../src/server.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './seed-demo.ts';

let config;
try {
  config = loadConfig({ DATABASE_PATH: 'db/demo.sqlite', ...process.env });
} catch (err) {
  console.error(`wigboard: configuration error: ${err instanceof ConfigError ? err.message : String(err)}`);
  process.exit(1);
}

const database = openDatabase(config.databasePath);
if (countPeople(database.db) === 0) {
  const summary = seedDemo(database.db, await hashPassword(DEMO_PASSWORD, config.scrypt));
  console.log(
    `Demo trust created in ${config.databasePath}: ${summary.schools} schools, ${summary.teams} teams, ${summary.people} people, ${summary.wigs} WIGs, ${summary.historyWeeks} school weeks of history.`,
  );
}
database.close();

await startServer(config);
const shownHost =
  config.host === '0.0.0.0' || config.host === '127.0.0.1' || config.host === '::' ? 'localhost' : config.host;
console.log(`
wigboard demo is running on http://${shownHost}:${config.port}
Sign in with any of these accounts; the password for all of them is: ${DEMO_PASSWORD}
${DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(24)} ${a.role}`).join('\n')}
Stop with Ctrl+C.`);
