// npm run migration-fixture: dumps a demo database at the newest migration as SQL inserts, for the migration test to upgrade later.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../src/auth/password.ts';
import { rootDir } from '../src/config.ts';
import { migrationsFolder, openDatabase } from '../src/db/connection.ts';
import { issueToken, putWebSession } from '../src/db/queries/auth.ts';
import { setDisabled } from '../src/db/queries/people.ts';
import { DEMO_PASSWORD, seedDemo } from './seed-demo.ts';

export function dumpTables(sqlite: import('better-sqlite3').Database): string {
  const tables = sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations' order by name")
    .pluck()
    .all() as string[];
  const lines: string[] = [];
  for (const table of tables) {
    for (const row of sqlite.prepare(`select * from "${table}"`).all() as Record<string, unknown>[]) {
      const columns = Object.keys(row).map((c) => `"${c}"`).join(', ');
      const values = Object.values(row)
        .map((v) => (v === null ? 'NULL' : typeof v === 'number' || typeof v === 'bigint' ? String(v) : `'${String(v).replaceAll("'", "''")}'`))
        .join(', ');
      lines.push(`INSERT INTO "${table}" (${columns}) VALUES (${values});`);
    }
  }
  return lines.join('\n') + '\n';
}

const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
const latest = journal.entries.at(-1)!.tag;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wigboard-fixture-'));
const database = openDatabase(path.join(dir, 'fixture.sqlite'));
// A fixed "today", so the fixture's history is the same whoever regenerates it.
const summary = seedDemo(database.db, await hashPassword(DEMO_PASSWORD, { N: 1024, r: 8, p: 1 }), '2026-11-24');
// Rows in the tables the seed leaves empty, so their upgrade is tested too.
issueToken(database.db, 1, 2, 'password_reset', 86_400_000, Date.UTC(2026, 10, 24));
putWebSession(database.db, 'fixture-session', 3, '{"personId":3}', Date.UTC(2030, 0, 1));
setDisabled(database.db, 1, 7, true);
const out = path.join(rootDir, 'test', 'fixtures', 'migrations', `after-${latest}.sql`);
fs.writeFileSync(out, `-- Demo data at migration ${latest} (${summary.people} people), written by npm run migration-fixture.\n${dumpTables(database.sqlite)}`);
database.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(`Wrote ${path.relative(rootDir, out)}`);
