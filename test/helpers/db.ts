import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/db/client.ts';

/** Runs one statement on the server of `base` (a DATABASE_URL) over a short-lived connection. */
async function adminQuery(base: string, statement: string) {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

export interface ThrowawayDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database on the PostgreSQL server of `base`, named `<prefix>_<random>`: the one
 * way tests get a database of their own there (test files run in parallel on one server).
 */
export async function throwawayPgDatabase(base: string, prefix = 'ab_test'): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(base, `create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(base, `drop database if exists ${name} with (force)`) };
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a throw-away
 * database on the PostgreSQL server of DATABASE_URL (dropped again by `close`), so test files
 * running in parallel never see each other's rows.
 */
export async function freshDatabase(): Promise<Database & { url?: string }> {
  const base = process.env.DATABASE_URL;
  if (!base) return openDatabase({ dataDir: 'memory://' });
  const pgDatabase = await throwawayPgDatabase(base);
  const database = await openDatabase({ url: pgDatabase.url });
  const close = database.close;
  // The same object, not a copy: `seesAllWrites` is live on PostgreSQL (server/db/write-listener.ts).
  return Object.assign(database, {
    url: pgDatabase.url,
    close: async () => {
      await close();
      await pgDatabase.drop();
    },
  });
}
