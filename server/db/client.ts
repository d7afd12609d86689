import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index.ts';
import { migrate } from './migrate.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs raw SQL (migrations, health checks). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL connection string; when absent, PGlite is used. */
  url?: string;
  /** PGlite data folder; `memory://` for a throw-away database. */
  dataDir?: string;
}

/**
 * Opens the database and applies pending migrations. PGlite (embedded, WASM) is the default so
 * `npm start` needs no server; DATABASE_URL switches to a real PostgreSQL with the same schema.
 */
export async function openDatabase(opts: DatabaseOptions = {}): Promise<Database> {
  let database: Database;
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    // A dropped connection must not crash the process; the pool reconnects on next use.
    pool.on('error', () => {});
    database = {
      db: drizzlePg(pool, { schema }) as unknown as Db,
      kind: 'postgres',
      exec: async (sql) => void (await pool.query(sql)),
      close: () => pool.end(),
    };
  } else {
    const dataDir = opts.dataDir ?? '.data/pglite';
    if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
    const client = await PGlite.create(dataDir);
    database = {
      db: drizzlePglite(client, { schema }) as unknown as Db,
      kind: 'pglite',
      exec: async (sql) => void (await client.exec(sql)),
      close: () => client.close(),
    };
  }
  await migrate(database);
  return database;
}
