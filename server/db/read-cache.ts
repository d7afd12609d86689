/**
 * A small in-process cache for hot reads (the token check, list pages), kept honest by the
 * database's write clock: every statement that is not a SELECT moves the clock once it has
 * finished, and again when its transaction ends (server/db/client.ts); an entry is only served
 * while the clock (of the tables it depends on) still shows the value it had when its read
 * started. So a write made by this process is seen by the next read at once.
 *
 * Writes made by other processes are not seen by the clock. On PGlite there are none (one
 * process owns the data folder, server/data-lock.ts), so an entry may live until the next
 * write. On PostgreSQL (other API processes, the admin CLI, `npm run worker`) only reads that
 * may be a little stale use the cache, with a short `maxAgeMs`; reads that must be exact pass
 * `exactOnly` and are not cached there.
 */
import type { Database } from './client.ts';

/**
 * Counts finished writes of one Database object, per table written when the statement names it
 * (INSERT INTO / UPDATE / DELETE FROM "table"), else as a write to anything (DDL, raw batches).
 */
export class WriteClock {
  private anything = 0;
  private all = 0;
  private readonly tables = new Map<string, number>();
  /** `tables`: those written; none given means any table may have changed. */
  tick(tables?: Iterable<string>) {
    this.all++;
    if (!tables) return void this.anything++;
    for (const t of tables) this.tables.set(t, (this.tables.get(t) ?? 0) + 1);
  }
  /** A value that changes whenever a write may have touched one of `tables` (any table when omitted). */
  stamp(tables?: readonly string[]): number {
    if (!tables) return this.all;
    let n = this.anything;
    for (const t of tables) n += this.tables.get(t) ?? 0;
    return n;
  }
}

/** What a statement writes: nothing (a SELECT), one named table, or '*' (unknown: anything). */
export function writeTarget(text: unknown): string | '*' | null {
  if (typeof text !== 'string') return '*';
  if (/^\s*select\b/i.test(text)) return null;
  const named = /^\s*(?:insert\s+into|update|delete\s+from)\s+"?([a-z_][a-z0-9_]*)"?[\s(]/i.exec(text);
  return named ? named[1]!.toLowerCase() : '*';
}

interface Entry {
  clock: number;
  expiresAt: number;
  value: Promise<unknown>;
}

const MAX_ENTRIES = 500;
const caches = new WeakMap<Database, Map<string, Entry>>();

export interface CacheOptions {
  /** Longest time an entry is served (bounds what writes of other processes can hide). */
  maxAgeMs: number;
  /**
   * The tables the read depends on, cascades included (a row deleted with its organization):
   * writes to other tables keep the entry. Default: any write drops it.
   */
  tables?: readonly string[];
  /** Cache only when this process sees every write (PGlite); elsewhere always read. */
  exactOnly?: boolean;
}

/**
 * `load()`'s answer for `key`, shared by concurrent callers and reused until this database
 * writes or `maxAgeMs` passes. A failed load is not kept.
 */
export function cachedRead<T>(database: Database, key: string, opts: CacheOptions, load: () => Promise<T>): Promise<T> {
  if (opts.exactOnly && !database.seesAllWrites) return load();
  let cache = caches.get(database);
  if (!cache) caches.set(database, (cache = new Map()));
  const now = Date.now();
  const clock = database.writes.stamp(opts.tables);
  const hit = cache.get(key);
  if (hit && hit.clock === clock && hit.expiresAt > now) return hit.value as Promise<T>;
  const value = load();
  const entry: Entry = { clock, expiresAt: now + opts.maxAgeMs, value };
  cache.delete(key);
  cache.set(key, entry);
  // Oldest first: a Map iterates in insertion order.
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  value.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return value;
}
