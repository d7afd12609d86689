/**
 * Prepared statements for the hottest queries (the token check, list pages). Building a query
 * with Drizzle costs more CPU than PostgreSQL takes to answer it (measured: about half of a
 * list request); a prepared one is built once per database and, on PostgreSQL, parsed and
 * planned once per connection (a named statement).
 */
import type { Database, Db } from './client.ts';

const statements = new WeakMap<Database, Map<string, unknown>>();

/** The statement `name` of this database, built by `build` on first use. */
export function prepared<T>(database: Database, name: string, build: (db: Db, name: string) => T): T {
  let byName = statements.get(database);
  if (!byName) statements.set(database, (byName = new Map()));
  if (!byName.has(name)) byName.set(name, build(database.db, name));
  return byName.get(name) as T;
}
