// A separate process that sends the outbox once (for the crash test: the parent kills it with SIGKILL mid-send).
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { dispatch, smtpTransport } from '../../src/reminders/dispatcher.ts';

const config = loadConfig();
const database = openDatabase(config.databasePath);
await dispatch(database.db, smtpTransport(config.smtp!), { maxAttempts: 3, now: () => Number(process.env.CHILD_NOW) });
database.close();
