// Reading the test database directly: whole-table snapshots and row counts, to show that a refused request wrote nothing.
import { desc } from 'drizzle-orm';
import type { Db } from '../../src/db/connection.ts';
import { auditLog } from '../../src/db/schema.ts';

/** Our tables (not SQLite's own, not drizzle's migration journal). */
function tableNames(db: Db): string[] {
  return db.$client
    .prepare(
      `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name`,
    )
    .all()
    .map((row) => (row as { name: string }).name);
}

/**
 * Every row of every table, as plain data. Sign-in sessions are left out by default: reading a page may
 * legitimately rewrite one (a flash message shown once), which is not a change to the trust's data.
 */
export function snapshot(db: Db, { except = ['web_sessions'] }: { except?: string[] } = {}): Record<string, unknown[]> {
  const result: Record<string, unknown[]> = {};
  for (const name of tableNames(db)) {
    if (except.includes(name)) continue;
    result[name] = db.$client.prepare(`select * from "${name}" order by rowid`).all();
  }
  return result;
}

export function rowCounts(db: Db): Record<string, number> {
  return Object.fromEntries(
    tableNames(db).map((name) => [
      name,
      (db.$client.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n,
    ]),
  );
}

/** The newest audit row, with its before/after JSON parsed. */
export function lastAudit(db: Db) {
  const row = db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1).get();
  if (!row) return null;
  return {
    ...row,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
  };
}

export const auditCount = (db: Db) => rowCounts(db).audit_log ?? 0;
