/**
 * Prepared statements for the hottest queries (the token check, list pages). Building a query
 * with Drizzle costs more CPU than PostgreSQL takes to answer it (measured: about half of a
 * list request); a prepared one is built once per database and, on PostgreSQL, parsed and
 * planned once per connection (a named statement).
 */
import type { DbOrTx } from '../outbox/outbox.ts';
import type { Database, Db } from './client.ts';

const statements = new WeakMap<Database, Map<string, unknown>>();

/** The statement `name` of this database, built by `build` on first use. */
export function prepared<T>(database: Database, name: string, build: (db: Db, name: string) => T): T {
  let byName = statements.get(database);
  if (!byName) statements.set(database, (byName = new Map()));
  if (!byName.has(name)) byName.set(name, build(database.db, name));
  return byName.get(name) as T;
}

/**
 * The statement `name` of this database, run on the connection of `tx` (a transaction of the
 * same database). Drizzle ties a prepared statement to the connection it was built on, and a
 * transaction holds its own: the statement is built once and a shallow copy carries the
 * transaction's connection (`client`, the field Drizzle 0.45 runs it on; checked below, so an
 * update that renames it fails loudly instead of running outside the transaction). On
 * PostgreSQL the name makes it parsed and planned once per connection.
 */
export function preparedIn<T extends object>(database: Database, tx: DbOrTx, name: string, build: (db: Db, name: string) => T): T {
  const statement = prepared(database, name, build);
  if (!Object.hasOwn(statement, 'client')) throw new Error(`Prepared statement ${name} has no own "client": see server/db/prepared.ts`);
  const { client } = (tx as unknown as { session: { client: unknown } }).session;
  return Object.assign(Object.create(Object.getPrototypeOf(statement) as object) as T, statement, { client });
}
