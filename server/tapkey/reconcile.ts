/**
 * The outbox handler that makes Tapkey match a grant row. It converges rather than replays:
 * it reads the row's current wish, looks at Tapkey, and only then creates or revokes. So a
 * crash between "Tapkey created it" and "we stored it" is harmless (the next run finds the
 * grant and adopts it), a superseded job does nothing, and a (lock, email) a job may have
 * touched is recorded before the call and cleaned up later if it is no longer wanted.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppDeps } from '../env.ts';
import { locations, tapkeyGrants } from '../db/schema/index.ts';
import { PermanentError, RetryableError, type JobHandler, type OutboxJob } from '../outbox/outbox.ts';
import { toOutboxError } from './errors.ts';
import { clientForLocation, tapkeySettings } from './config.ts';
import type { GrantRow } from './grants.ts';
import { acquireLeaseSets, busyContact, contactKey } from './leases.ts';
import { completeReconciles, lockGrant, recordTransition } from './reconcile-record.ts';
import { payloadSchema, Reconciler, type ReconcileResult } from './reconciler.ts';

export type { ReconcileResult } from './reconciler.ts';

/**
 * Runs claimed reconcile jobs together: their grant rows, the contacts' leases and the re-read
 * under the leases are one statement each for the whole batch; the Tapkey calls then run per
 * job, each released as soon as it is done.
 */
function runReconcileBatch(deps: AppDeps, jobs: OutboxJob[]): Promise<ReconcileResult>[] {
  const db = deps.database.db;
  type Ready = { job: OutboxJob; p: z.infer<typeof payloadSchema>; conn: ReturnType<typeof clientForLocation>; keys: string[] };
  const prepared = (async () => {
    const outcome = new Map<string, ReconcileResult | Error | { ready: Ready; release: () => Promise<void>; grant: GrantRow | undefined }>();
    const parsed = jobs.flatMap((job) => {
      const p = payloadSchema.safeParse(job.payload);
      if (!p.success) outcome.set(job.id, p.error);
      return p.success ? [{ job, p: p.data }] : [];
    });
    if (parsed.length === 0) return outcome;
    const found = await db
      .select({ grant: tapkeyGrants, location: locations })
      .from(tapkeyGrants)
      .leftJoin(locations, eq(locations.id, tapkeyGrants.locationId))
      .where(inArray(tapkeyGrants.id, parsed.map((x) => x.p.grantId)));
    const ready: Ready[] = [];
    for (const { job, p } of parsed) {
      // Tenant isolation: a job only ever sees its own organization's grant.
      const row = found.find((f) => f.grant.id === p.grantId && f.grant.organizationId === job.organizationId);
      if (!row) outcome.set(job.id, { skipped: 'gone' });
      else if (row.grant.generation !== p.generation) outcome.set(job.id, { skipped: 'superseded' });
      else if (!row.location?.tapkey || !row.location.tapkeySecret) outcome.set(job.id, new PermanentError('The location is not connected to Tapkey (client ID, secret and locking system ID are needed)'));
      else {
        try {
          const conn = clientForLocation(deps, row.location);
          ready.push({ job, p, conn, keys: contactKeys(job, conn.ownerAccountId, row.grant) });
        } catch (err) {
          outcome.set(job.id, err as Error);
        }
      }
    }
    if (ready.length === 0) return outcome;
    const releases = await acquireLeaseSets(db, ready.map((r) => r.keys), tapkeySettings(deps).leaseMs);
    const held = ready.flatMap((r, i) => {
      const release = releases[i];
      if (!release) outcome.set(r.job.id, busyContact());
      return release ? [{ ready: r, release }] : [];
    });
    if (held.length === 0) return outcome;
    // Re-read under the leases: a row may have moved on while we waited.
    const now = await db.select().from(tapkeyGrants).where(inArray(tapkeyGrants.id, held.map((h) => h.ready.p.grantId)));
    for (const h of held) outcome.set(h.ready.job.id, { ...h, grant: now.find((g) => g.id === h.ready.p.grantId && g.organizationId === h.ready.job.organizationId) });
    return outcome;
  })();

  return jobs.map(async (job): Promise<ReconcileResult> => {
    const o = (await prepared).get(job.id)!;
    if (o instanceof Error) throw toOutboxError(o);
    if (!('ready' in o)) return o;
    const { ready, release, grant: g } = o;
    try {
      if (!g) return { skipped: 'gone' };
      if (g.generation !== ready.p.generation) return { skipped: 'superseded' };
      if (contactKeys(job, ready.conn.ownerAccountId, g).some((k) => !ready.keys.includes(k))) throw new RetryableError('The grant touched another contact meanwhile', 50);
      const r = new Reconciler(db, ready.conn.client, ready.conn.ownerAccountId, g);
      return g.desired === 'active' ? await r.ensureActive() : await r.ensureRevoked();
    } catch (err) {
      throw toOutboxError(err);
    } finally {
      await release();
    }
  });
}

/** The lease keys of every contact a grant row may have grants for. */
const contactKeys = (job: OutboxJob, ownerAccountId: string, g: GrantRow) => [g.email, ...g.touched.map((t) => t.email)].map((e) => contactKey(job.organizationId, ownerAccountId, e));

export function reconcileHandler(deps: AppDeps): JobHandler<ReconcileResult> {
  return {
    run: (job) => runReconcileBatch(deps, [job])[0]!,
    runBatch: (jobs) => runReconcileBatch(deps, jobs),

    async complete(tx, job, result) {
      await completeReconciles(tx, deps, [{ job, result }]);
    },

    async completeBatch(tx, items) {
      await completeReconciles(tx, deps, items);
    },

    async fail(tx, job, reason) {
      const p = payloadSchema.parse(job.payload);
      const locked = await lockGrant(tx, p.grantId);
      if (!locked || locked.grant.generation !== p.generation) return;
      const g = locked.grant;
      await tx.update(tapkeyGrants).set({ state: 'failed', reason, updatedAt: sql`now()` }).where(eq(tapkeyGrants.id, g.id));
      await recordTransition(tx, locked, 'failed', reason, { state: g.state }, { state: 'failed', desired: g.desired, reason });
    },
  };
}
