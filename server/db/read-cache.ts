/**
 * A small in-process cache for hot reads (the token check, list pages), kept honest by the
 * database's write clock: every statement that is not a SELECT moves the clock once it has
 * finished, and again when its transaction ends (server/db/client.ts); an entry is only served
 * while the clock (of the tables it depends on) still shows the value it had when its read
 * started. So a write made by this process is seen by the next read at once.
 *
 * Writes made by other processes: on PGlite there are none (one process owns the data folder,
 * server/data-lock.ts), so an entry may live until the next write. On PostgreSQL (other API
 * processes, the admin CLI, `npm run worker`) they reach the clock through LISTEN
 * (server/db/write-listener.ts) for the tables the cached reads use; while that connection is
 * down, reads that must be exact (`exactOnly`) are not cached, and the others live at most
 * their short `maxAgeMs`.
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

/** A write naming its table: `insert into "t"`, `update "t"`, `delete from "t"` (group 1: t). */
const NAMED_WRITE = String.raw`(?:insert\s+into|update|delete\s+from)\s+"?([a-z_][a-z0-9_]*)"?[\s(]`;
const STATEMENT_WRITE = new RegExp(String.raw`^\s*` + NAMED_WRITE, 'i');
const PART_WRITES = new RegExp(String.raw`\b` + NAMED_WRITE, 'gi');

/** What a statement writes: nothing (a SELECT), one named table, or '*' (unknown: anything). */
export function writeTarget(text: unknown): string | '*' | null {
  if (typeof text !== 'string') return '*';
  if (/^\s*select\b/i.test(text)) return null;
  const named = STATEMENT_WRITE.exec(text);
  return named ? named[1]!.toLowerCase() : '*';
}

/**
 * The tables a statement writes, WITH statements included: each data-modifying part names its
 * table (`with a as (insert into "x" …) insert into "y" …`), so the mapping PUT's single write
 * ticks what it writes and not the token check's tables. A part of another shape: anything.
 */
export function writeTargets(text: unknown): Set<string> {
  if (typeof text === 'string' && /^\s*with\b/i.test(text)) {
    // Row-lock clauses (`for update`, `for no key update`) write nothing.
    const verbs = text.match(/(?<!\bfor\s+(?:no\s+key\s+)?)\b(?:insert|update|delete)\b/gi) ?? [];
    const named = [...text.matchAll(PART_WRITES)].map((m) => m[1]!.toLowerCase());
    return new Set(verbs.length === named.length ? named : ['*']);
  }
  const target = writeTarget(text);
  return new Set(target ? [target] : []);
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
  /** Cache only while this process sees every write (`Database.seesAllWrites`); else always read. */
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
