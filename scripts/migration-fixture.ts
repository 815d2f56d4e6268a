// npm run migration-fixture: dumps a demo database at the newest migration as SQL inserts, for the migration test to upgrade later.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../src/auth/password.ts';
import { rootDir } from '../src/config.ts';
import { migrationsFolder, openDatabase } from '../src/db/connection.ts';
import { issueToken, putSignInSession } from '../src/db/queries/auth.ts';
import { setDisabled } from '../src/db/queries/people.ts';
import { DEMO_PASSWORD, seedDemo } from './seed-demo.ts';
import { eq } from 'drizzle-orm';
import { claimPairing, createPairing, pickUpCredential } from '../src/db/queries/displays.ts';
import { createFeed } from '../src/db/queries/calendar-feeds.ts';
import { enqueue, saveOptOuts, saveReminderSettings } from '../src/db/queries/reminders.ts';
import { displayPairings } from '../src/db/schema.ts';

export function dumpTables(sqlite: import('better-sqlite3').Database): string {
  const tables = sqlite
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations' order by name",
    )
    .pluck()
    .all() as string[];
  const lines: string[] = [];
  for (const table of tables) {
    for (const row of sqlite.prepare(`select * from "${table}"`).all() as Record<string, unknown>[]) {
      const columns = Object.keys(row)
        .map((c) => `"${c}"`)
        .join(', ');
      const values = Object.values(row)
        .map((v) =>
          v === null
            ? 'NULL'
            : typeof v === 'number' || typeof v === 'bigint'
              ? String(v)
              : `'${String(v).replaceAll("'", "''")}'`,
        )
        .join(', ');
      lines.push(`INSERT INTO "${table}" (${columns}) VALUES (${values});`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
  entries: { tag: string }[];
};
const latest = journal.entries.at(-1)!.tag;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wigboard-fixture-'));
const database = openDatabase(path.join(dir, 'fixture.sqlite'));
// A fixed "today", so the fixture's history is the same whoever regenerates it.
const summary = seedDemo(database.db, await hashPassword(DEMO_PASSWORD, { N: 1024, r: 8, p: 1 }), '2026-11-24');
// Rows in the tables the seed leaves empty, so their upgrade is tested too.
issueToken(database.db, 1, 2, 'password_reset', 86_400_000, Date.UTC(2026, 10, 24));
putSignInSession(database.db, 'fixture-session', 3, '{"personId":3}', Date.UTC(2030, 0, 1));
setDisabled(database.db, 1, 7, true);
// A paired display, a calendar feed, reminder settings, an opt-out and a queued reminder.
const fixedNow = Date.UTC(2026, 10, 24, 9);
const pairing = createPairing(database.db, fixedNow)!;
const pairingRow = database.db.select().from(displayPairings).where(eq(displayPairings.code, pairing.code)).get()!;
claimPairing(
  database.db,
  1,
  pairingRow.id,
  { name: 'Staffroom TV', kind: 'trust', schoolId: null, teamId: null, rotateSeconds: 20 },
  fixedNow,
);
pickUpCredential(database.db, pairing.secret, fixedNow);
createPairing(database.db, fixedNow);
createFeed(database.db, 3, 1, fixedNow);
saveReminderSettings(
  database.db,
  1,
  null,
  { school_digest: { enabled: true, sendTime: '15:45', dayOffset: 0 } },
  fixedNow,
);
saveReminderSettings(
  database.db,
  1,
  1,
  { entries_missing: { enabled: false, sendTime: '15:30', dayOffset: -1 } },
  fixedNow,
);
saveOptOuts(database.db, 3, ['trust_digest'], fixedNow);
enqueue(database.db, [
  {
    key: 'session_today:3:2026-11-23:t1',
    kind: 'session_today',
    personId: 3,
    toAddress: 'fixture@wigboard.demo',
    schoolId: 1,
    teamId: 1,
    week: '2026-11-23',
    subject: 'WIG session today',
    textBody: 'Text',
    htmlBody: '<p>Text</p>',
    dueAt: fixedNow,
    staleAt: fixedNow + 3_600_000,
    nextAttemptAt: fixedNow,
  },
]);
const out = path.join(rootDir, 'test', 'fixtures', 'migrations', `after-${latest}.sql`);
fs.writeFileSync(
  out,
  `-- Demo data at migration ${latest} (${summary.people} people), written by npm run migration-fixture.\n${dumpTables(database.sqlite)}`,
);
database.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(`Wrote ${path.relative(rootDir, out)}`);
