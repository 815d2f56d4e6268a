// Statements run on every request, compiled once per connection: drizzle builds and SQLite compiles each only the first time.
import type { Db } from './connection.ts';

const cache = new WeakMap<object, Map<string, unknown>>();

/** The statement `build` makes for this connection, made once and kept as long as the connection lives. */
export function prepared<T>(db: Db, key: string, build: () => T): T {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) statements.set(key, (statement = build()));
  return statement;
}
