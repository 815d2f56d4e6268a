// npm run reminders -- --at <ISO instant> | --from <ISO> --to <ISO> [--json]: what the cadence would make due, read from
// the configured database (by default the one `npm run demo` fills). Sends nothing and writes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase, type Db } from '../src/db/connection.ts';
import { getTrustSettings } from '../src/db/queries/trust.ts';
import * as schema from '../src/db/schema.ts';
import { formatDateTime } from '../src/domain/dates.ts';
import { TICK_MS } from '../src/domain/reminders.ts';
import { planWindow } from '../src/reminders/outbox.ts';

const USAGE =
  'usage: npm run reminders -- --at <ISO instant> [--json]\n       npm run reminders -- --from <ISO instant> --to <ISO instant> [--json]';

function fail(message: string): never {
  console.error(`reminders: ${message}\n${USAGE}`);
  process.exit(2);
}

function instant(name: string, value: string | undefined): number {
  const ms = value === undefined ? NaN : Date.parse(value);
  if (Number.isNaN(ms)) fail(`--${name} must be an ISO instant such as 2026-11-24T07:00:00Z`);
  return ms;
}

let args;
try {
  args = parseArgs({
    options: {
      at: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}

let config;
try {
  config = loadConfig({ DATABASE_PATH: 'db/demo.sqlite', ...process.env });
} catch (err) {
  fail(err instanceof ConfigError ? err.message : String(err));
}
if (!fs.existsSync(config.databasePath))
  fail(`no database at ${config.databasePath} (run npm run demo first, or set DATABASE_PATH)`);

// Read-only: no migration, no write, so it is safe to run beside the live server. A database from before the reminder
// tables is read through a migrated temporary copy, so the configured file is still left untouched.
let sqlite = new Database(config.databasePath, { readonly: true, fileMustExist: true });
let db = drizzle({ client: sqlite, schema }) as Db;
let tempDir: string | null = null;
if (!sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'reminder_settings'").get()) {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wigboard-reminders-'));
  const copy = path.join(tempDir, 'copy.sqlite');
  await sqlite.backup(copy);
  sqlite.close();
  const opened = openDatabase(copy);
  sqlite = opened.sqlite;
  db = opened.db;
}
const timeZone = getTrustSettings(db)?.timeZone ?? config.trustTimeZone;

let due;
if (args.at !== undefined) {
  if (args.from !== undefined || args.to !== undefined) fail('give either --at, or --from and --to');
  const at = instant('at', args.at);
  // As a tick at that instant plans: the last REMINDER_CATCH_UP_HOURS, and at least the five minutes since the tick before.
  due = planWindow(db, { from: at - Math.max(config.reminderCatchUpHours * 3_600_000, TICK_MS), to: at }, timeZone);
} else {
  const from = instant('from', args.from);
  const to = instant('to', args.to);
  if (to < from) fail('--to must not be before --from');
  if (to - from > 400 * 86_400_000) fail('the range may be at most 400 days');
  due = planWindow(db, { from, to }, timeZone, 'range');
}
sqlite.close();
if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });

if (args.json) {
  process.stdout.write(
    `${JSON.stringify(due.map((r) => ({ kind: r.kind, to: r.to, key: r.key, at: new Date(r.at).toISOString() })))}\n`,
  );
} else if (due.length === 0) {
  console.log('Nothing due.');
} else {
  for (const r of due)
    console.log(`${formatDateTime(r.at, timeZone).padEnd(24)} ${r.kind.padEnd(21)} ${r.to.padEnd(36)} ${r.key}`);
  console.log(`${due.length} reminder${due.length === 1 ? '' : 's'} due (nothing was sent).`);
}
