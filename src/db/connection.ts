// Opens the one SQLite connection (WAL, foreign keys, busy timeout, full sync) and applies the committed migrations.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { rootDir } from '../config.ts';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const migrationsFolder = path.join(rootDir, 'db', 'migrations');

export interface OpenedDatabase {
  db: Db;
  sqlite: Database.Database;
  /** Folds the WAL back into the main file (so a copy of the one file is complete), then closes; once is enough. */
  close(): void;
}

/** Opens (creating if needed) the database file and brings its schema up to date before returning. */
export function openDatabase(file: string, options: { migrate?: boolean } = {}): OpenedDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives power loss and kill -9, not just a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle({ client: sqlite, schema }) as Db;
  if (options.migrate !== false) migrate(db, { migrationsFolder });
  return {
    db,
    sqlite,
    close() {
      // A connection that already failed and closed has nothing to fold back; closing must still succeed.
      if (!sqlite.open) return;
      try {
        sqlite.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        sqlite.close();
      }
    },
  };
}

/** Runs `work` as one synchronous IMMEDIATE write transaction: gather inputs first, no await inside. */
export function writeTransaction<T>(db: Db, work: (tx: Db) => T): T {
  return db.transaction((tx) => work(tx as unknown as Db), { behavior: 'immediate' });
}
