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

/** Takes all the leases or none; busy → RetryableError so the outbox tries again shortly. */
export async function acquireLeases(db: Db, keys: string[], ttlMs: number): Promise<() => Promise<void>> {
  const lease = randomUUID();
  const held: string[] = [];
  const release = async () => {
    if (held.length === 0) return;
    await db.execute(sql`delete from tapkey_leases where lease = ${lease} and key in (${sql.join(held.map((k) => sql`${k}`), sql`, `)})`);
  };
  // Sorted, so two jobs wanting overlapping sets cannot each hold half.
  for (const key of [...new Set(keys)].sort()) {
    const got = await db.execute(sql`
      insert into tapkey_leases (key, lease, until) values (${key}, ${lease}, now() + ${ttlMs} * interval '1 millisecond')
      on conflict (key) do update set lease = excluded.lease, until = excluded.until where tapkey_leases.until < now()
      returning key`);
    if ((got as unknown as { rows: unknown[] }).rows.length === 0) {
      await release();
      throw new RetryableError(`Another job is working on this Tapkey contact`, 100 + Math.round(Math.random() * 400));
    }
    held.push(key);
  }
  return release;
}
