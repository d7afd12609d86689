/**
 * Per-contact leases in the database (table tapkey_leases): a job holds the lease of every
 * email it may create or revoke grants for, so two processes never both see "no grant yet"
 * for the same contact and both create one. A crashed holder's lease simply runs out.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { RetryableError } from '../outbox/outbox.ts';

export const contactKey = (organizationId: string, ownerAccountId: string, email: string) => `${organizationId}|${ownerAccountId}|${email.toLowerCase()}`;

export type ReleaseLeases = () => Promise<void>;

export const busyContact = () => new RetryableError(`Another job is working on this Tapkey contact`, 100 + Math.round(Math.random() * 400));

/** Releases asked for in the same turn of the event loop go in one statement. */
const releasing = new WeakMap<Db, { leases: string[]; done: Promise<void> }>();

function releaseSoon(db: Db, lease: string): Promise<void> {
  let batch = releasing.get(db);
  if (!batch) {
    const leases: string[] = [];
    const done = new Promise<void>((r) => setImmediate(r)).then(async () => {
      releasing.delete(db);
      await db.execute(sql`delete from tapkey_leases where lease in (${sql.join(leases.map((l) => sql`${l}::uuid`), sql`, `)})`);
    });
    batch = { leases, done };
    releasing.set(db, batch);
  }
  batch.leases.push(lease);
  return batch.done;
}

/**
 * Takes the leases of several holders (one key set each) in one statement; per holder, its
 * release when it got every key, or null when a key is busy (then it holds none). A key two
 * holders of the same call want goes to the first; keys are taken in sorted order, so two
 * processes wanting overlapping sets cannot each hold half.
 */
export async function acquireLeaseSets(db: Db, sets: string[][], ttlMs: number): Promise<(ReleaseLeases | null)[]> {
  const wanted = new Map<string, number>();
  const tries = sets.map((keys, i) => {
    const own = [...new Set(keys)];
    if (own.some((k) => wanted.has(k))) return null;
    for (const k of own) wanted.set(k, i);
    return { lease: randomUUID(), keys: own };
  });
  const rows = [...wanted.keys()].sort().map((key) => sql`(${key}, ${tries[wanted.get(key)!]!.lease}::uuid, now() + ${ttlMs} * interval '1 millisecond')`);
  const got = new Set<string>();
  if (rows.length)
    for (const r of (
      (await db.execute(sql`
        insert into tapkey_leases (key, lease, until) values ${sql.join(rows, sql`, `)}
        on conflict (key) do update set lease = excluded.lease, until = excluded.until where tapkey_leases.until < now()
        returning key`)) as unknown as { rows: { key: string }[] }
    ).rows)
      got.add(r.key);
  const partial: string[] = [];
  const out = tries.map((t) => {
    if (!t) return null;
    if (t.keys.length === 0) return async () => {};
    if (t.keys.every((k) => got.has(k))) return () => releaseSoon(db, t.lease);
    if (t.keys.some((k) => got.has(k))) partial.push(t.lease);
    return null;
  });
  if (partial.length) await db.execute(sql`delete from tapkey_leases where lease in (${sql.join(partial.map((l) => sql`${l}::uuid`), sql`, `)})`);
  return out;
}

/** Takes all the leases or none; busy → RetryableError so the outbox tries again shortly. */
export async function acquireLeases(db: Db, keys: string[], ttlMs: number): Promise<ReleaseLeases> {
  const [release] = await acquireLeaseSets(db, [keys], ttlMs);
  if (!release) throw busyContact();
  return release;
}
