/**
 * The outbox job that cancels one key's Keycafe access (looking it up first when its id never
 * came back from the create: existing-access.ts).
 */
import { eq } from 'drizzle-orm';
import { keycafeAccesses } from '../db/schema/index.ts';
import type { JobHandler } from '../outbox/outbox.ts';
import { refreshBookingState } from './bookings.ts';
import { findExisting } from './existing-access.ts';
import { accessJobError, accessJobTarget, auditAccess, jobClientFor, lockAccess, type KeycafeJobContext } from './job-tools.ts';

type DeleteResult = { outcome: 'cancelled'; keycafeAccessId: string | null } | { outcome: 'noop' };

export const deleteAccessJob = (jc: KeycafeJobContext): JobHandler<DeleteResult> => ({
  async run(job) {
    const ctx = await accessJobTarget(jc, job);
    if (!ctx || ctx.access.state === 'cancelled') return { outcome: 'noop' };
    const { access, booking, location } = ctx;
    const client = jobClientFor(jc, location, job);
    try {
      let id = access.keycafeAccessId;
      if (!id && access.createSentAt) id = (await findExisting(jc.db, client, access, booking))?.id ?? null;
      if (id) await client.deleteAccess(id);
      return { outcome: 'cancelled', keycafeAccessId: id };
    } catch (err) {
      throw accessJobError(jc, err);
    }
  },
  async complete(tx, job, result) {
    if (result.outcome === 'noop') return;
    const access = await lockAccess(tx, job);
    if (!access) return;
    await tx
      .update(keycafeAccesses)
      .set({ state: 'cancelled', reason: null, keycafeAccessId: access.keycafeAccessId ?? result.keycafeAccessId, updatedAt: new Date() })
      .where(eq(keycafeAccesses.id, access.id));
    await auditAccess(tx, access, 'keycafe.access.cancelled', { state: 'cancelled', keycafeAccessId: access.keycafeAccessId ?? result.keycafeAccessId });
    await refreshBookingState(tx, access.organizationId, access.bookingId);
  },
  async fail(tx, job, reason) {
    const access = await lockAccess(tx, job);
    if (!access) return;
    const why = `Cancelling on Keycafe failed: ${reason}`;
    await tx.update(keycafeAccesses).set({ state: 'failed', reason: why, updatedAt: new Date() }).where(eq(keycafeAccesses.id, access.id));
    await auditAccess(tx, access, 'keycafe.access.failed', { state: 'failed', reason: why });
    await refreshBookingState(tx, access.organizationId, access.bookingId);
  },
});
