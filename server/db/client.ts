import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index.ts';
import { migrate } from './migrate.ts';
import { listenForWrites, type WriteListener } from './write-listener.ts';
import { WriteClock, writeTargets } from './read-cache.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Moves after each finished write of this process (server/db/read-cache.ts). */
  writes: WriteClock;
  /**
   * True when `writes` counts every change the caches depend on: always on PGlite (no other
   * process can write), on PostgreSQL while the write listener is up (server/db/write-listener.ts).
   */
  readonly seesAllWrites: boolean;
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
  const writes = new WriteClock();
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    countPoolWrites(pool, writes);
    // A dropped connection must not crash the process; the pool reconnects on next use. The
    // pool listens on idle clients only: a client checked out (e.g. in a transaction) when its
    // backend is terminated emits 'error' too, which would be an uncaught exception. Its query
    // fails instead, and the pool discards the broken client on release.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    releaseOnFailedBegin(pool, writes);
    let listener: WriteListener | undefined;
    const database: Database = {
      db: drizzlePg(pool, { schema }) as unknown as Db,
      kind: 'postgres',
      writes,
      get seesAllWrites() {
        return listener?.listening ?? false;
      },
      exec: async (sql) => void (await pool.query(sql)),
      close: async () => {
        await listener?.close();
        await pool.end();
      },
    };
    await migrate(database);
    // Once the migrations have installed the notify triggers: listening before would hear nothing.
    listener = listenForWrites(opts.url, writes);
    return database;
  }
  const dataDir = opts.dataDir ?? '.data/pglite';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const client = await PGlite.create(dataDir);
  countPgliteWrites(client, writes);
  const database: Database = {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    kind: 'pglite',
    writes,
    seesAllWrites: true,
    exec: async (sql) => void (await client.exec(sql)),
    close: () => client.close(),
  };
  await migrate(database);
  return database;
}

/** Text of a query call's first argument (a string or a `{ text }` config). */
const queryText = (arg: unknown) => (typeof arg === 'string' ? arg : (arg as { text?: unknown } | undefined)?.text);

/** Statements that write nothing themselves; COMMIT and ROLLBACK are handled by the caller. */
const isControl = (text: unknown) => typeof text === 'string' && /^\s*(begin|start\s+transaction|commit|rollback|end)\b/i.test(text);

/** Ticks `writes` for `tables` ('*': any) once `result` has settled. */
function tickAfter<T>(result: T, tables: Set<string>, writes: WriteClock): T {
  // Read when settled, not now: a transaction's set is filled while it runs.
  const tick = () => tables.size > 0 && writes.tick(tables.has('*') ? undefined : tables);
  if (result instanceof Promise) result.then(tick, tick);
  else tick();
  return result;
}

/**
 * PGlite: a statement outside a transaction ticks when it has finished; a transaction ticks
 * the tables its statements wrote once it has committed or rolled back (PGlite runs nothing
 * else meanwhile, so no read sees its changes before the tick).
 */
function countPgliteWrites(client: PGlite, writes: WriteClock) {
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = ((...a: Parameters<typeof query>) => tickAfter(query(...a), writeTargets(a[0]), writes)) as typeof client.query;
  client.exec = ((...a: Parameters<typeof exec>) => tickAfter(exec(...a), new Set(['*']), writes)) as typeof client.exec;
  client.transaction = (<T>(callback: Parameters<typeof transaction<T>>[0]) => {
    const written = new Set<string>();
    return tickAfter(
      transaction<T>((tx) => {
        const txQuery = tx.query.bind(tx);
        const txExec = tx.exec.bind(tx);
        tx.query = ((...a: Parameters<typeof txQuery>) => (writeTargets(a[0]).forEach((t) => written.add(t)), txQuery(...a))) as typeof tx.query;
        tx.exec = ((...a: Parameters<typeof txExec>) => (written.add('*'), txExec(...a))) as typeof tx.exec;
        return callback(tx);
      }),
      // Filled by the time the transaction settles.
      written,
      writes,
    );
  }) as typeof client.transaction;
}

/** PostgreSQL outside a transaction: `pool.query` (a transaction's statements run on a client, below). */
function countPoolWrites(pool: pg.Pool, writes: WriteClock) {
  const query = pool.query.bind(pool) as (...a: unknown[]) => unknown;
  pool.query = ((...a: unknown[]) => tickAfter(query(...a), isControl(queryText(a[0])) ? new Set(['*']) : writeTargets(queryText(a[0])), writes)) as typeof pool.query;
}

/**
 * drizzle-orm 0.45 (node-postgres) runs a transaction's BEGIN before the try/finally that
 * releases its pool client, so a BEGIN on a connection that just dropped never gives the client
 * back: a few such drops exhaust the pool and every later transaction waits forever
 * (drizzle-team/drizzle-orm#6023, open). Here a failed BEGIN releases its client as broken.
 */
function releaseOnFailedBegin(pool: pg.Pool, writes: WriteClock) {
  const wrapped = new WeakSet<pg.PoolClient>();
  const pending = new WeakMap<pg.PoolClient, Set<string>>();
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  pool.connect = ((...args: unknown[]) => {
    // The callback form is pg-pool's own (pool.query): left as it is.
    if (args.length) return connect(...args);
    return (connect() as Promise<pg.PoolClient>).then((client) => {
      // Once per client: the pool hands the same client out again and again.
      if (wrapped.has(client)) return client;
      wrapped.add(client);
      const query = client.query.bind(client) as (...a: unknown[]) => unknown;
      client.query = ((...a: unknown[]) => {
        const text = queryText(a[0]);
        // A write ticks once finished, and its tables again when the transaction ends.
        const written = (pending.get(client) ?? pending.set(client, new Set()).get(client))!;
        let tables = new Set<string>();
        if (isControl(text)) {
          if (!/^\s*(begin|start)/i.test(String(text))) tables = new Set(written);
          written.clear();
        } else {
          tables = writeTargets(text);
          tables.forEach((t) => written.add(t));
        }
        const result = tickAfter(query(...a), tables, writes);
        // `client.release` is the current checkout's (the pool sets it anew on every checkout).
        if (result instanceof Promise && typeof text === 'string' && /^\s*begin\b/i.test(text))
          result.catch((err: Error) => client.release(err));
        return result;
      }) as typeof client.query;
      return client;
    });
  }) as typeof pool.connect;
}
