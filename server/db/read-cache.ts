/**
 * A small in-process cache for hot reads (the token check, list pages), kept honest by the
 * database's write clock: every statement that is not a SELECT, and every transaction, moves
 * the clock once it has finished (server/db/client.ts), and an entry is only served while the
 * clock still shows the value it had when its read started. So a write made by this process is
 * seen by the next read at once.
 *
 * Writes made by other processes are not seen by the clock. On PGlite there are none (one
 * process owns the data folder, server/data-lock.ts), so an entry may live until the next
 * write. On PostgreSQL (other API processes, the admin CLI, `npm run worker`) only reads that
 * may be a little stale use the cache, with a short `maxAgeMs`; reads that must be exact pass
 * `exactOnly` and are not cached there.
 */
import type { Database } from './client.ts';

/** Counts finished writes of one Database object. */
export class WriteClock {
  value = 0;
  tick() {
    this.value++;
  }
}

/** Read-only statements; anything else (writes, DDL, COMMIT, raw batches) moves the clock. */
export const isReadOnlyStatement = (text: string) => /^\s*select\b/i.test(text);

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
  const clock = database.writes.value;
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
