/**
 * The outbox job that creates one key's Keycafe access. If an earlier attempt may have reached
 * Keycafe (`createSentAt` set), it first looks for that access (existing-access.ts) and adopts
 * it instead of creating a second one; otherwise it records `createSentAt`, then POSTs. A
 * booking cancelled meanwhile stops it, or has what it created deleted.
 */
import { eq } from 'drizzle-orm';
import { keycafeAccesses } from '../db/schema/index.ts';
import type { JobHandler } from '../outbox/outbox.ts';
import type { KeycafeApiAccess } from './api-schemas.ts';
import { enqueueDeleteAccess, refreshBookingState } from './bookings.ts';
import { createBody } from './create-body.ts';
import { findExisting } from './existing-access.ts';
import { accessJobError, accessJobTarget, auditAccess, jobClientFor, lockAccess, type KeycafeJobContext } from './job-tools.ts';

type CreateResult =
  | { outcome: 'created'; keycafeAccessId: string; keycafeUserId?: string | null; bookingCode: string | null; checkinLink: string | null; adopted: boolean }
  | { outcome: 'skipped' | 'noop' };

/** What the job keeps of the access Keycafe created (or that an earlier attempt had created: `adopted`). */
const createdFrom = (a: KeycafeApiAccess, adopted: boolean): CreateResult => ({
  outcome: 'created',
  keycafeAccessId: a.id,
  keycafeUserId: a.user?.id ?? null,
  bookingCode: a.bookingCode,
  checkinLink: a.checkinLink,
  adopted,
});

export const createAccessJob = (jc: KeycafeJobContext): JobHandler<CreateResult> => ({
  async run(job) {
    const ctx = await accessJobTarget(jc, job);
    if (!ctx || (ctx.access.state !== 'pending' && ctx.access.state !== 'cancelling')) return { outcome: 'noop' };
    const { access, booking, location } = ctx;
    const client = jobClientFor(jc, location, job);
    try {
      if (access.createSentAt) {
        const found = await findExisting(jc.db, client, access, booking);
        if (found) return createdFrom(found, true);
      }
      if (access.desired === 'cancelled') return { outcome: 'skipped' };
      // Written once the POST is about to leave (token held, lease proven): from then on a retry must look first.
      const created = await client.createAccess(createBody(access, booking), {
        beforeSend: async () => void (await jc.db.update(keycafeAccesses).set({ createSentAt: new Date() }).where(eq(keycafeAccesses.id, access.id))),
      });
      return createdFrom(created, false);
    } catch (err) {
      throw accessJobError(jc, err);
    }
  },
  async complete(tx, job, result) {
    if (result.outcome === 'noop') return;
    const access = await lockAccess(tx, job);
    if (!access) return;
    if (result.outcome !== 'created') {
      await tx.update(keycafeAccesses).set({ state: 'cancelled', updatedAt: new Date() }).where(eq(keycafeAccesses.id, access.id));
      await auditAccess(tx, access, 'keycafe.access.cancelled', { state: 'cancelled', note: 'cancelled before Keycafe created it' });
    } else {
      const cancel = access.desired === 'cancelled';
      const state = cancel ? 'cancelling' : 'active';
      const fields = { keycafeAccessId: result.keycafeAccessId, bookingCode: result.bookingCode, checkinLink: result.checkinLink };
      await tx
        .update(keycafeAccesses)
        .set({ ...fields, keycafeUserId: result.keycafeUserId ?? null, state, reason: null, updatedAt: new Date() })
        .where(eq(keycafeAccesses.id, access.id));
      if (cancel) await enqueueDeleteAccess(tx, access);
      await auditAccess(tx, access, 'keycafe.access.created', { state, ...fields, adopted: result.adopted });
    }
    await refreshBookingState(tx, access.organizationId, access.bookingId);
  },
  async fail(tx, job, reason) {
    const access = await lockAccess(tx, job);
    if (!access) return;
    if (access.desired === 'cancelled') {
      // Cancelled meanwhile: nothing to keep, but an attempt that reached Keycafe must be undone.
      const state = access.createSentAt ? 'cancelling' : 'cancelled';
      await tx.update(keycafeAccesses).set({ state, updatedAt: new Date() }).where(eq(keycafeAccesses.id, access.id));
      if (access.createSentAt) await enqueueDeleteAccess(tx, access);
      await auditAccess(tx, access, state === 'cancelled' ? 'keycafe.access.cancelled' : 'keycafe.access.cancelling', { state, reason });
    } else {
      await tx.update(keycafeAccesses).set({ state: 'failed', reason, updatedAt: new Date() }).where(eq(keycafeAccesses.id, access.id));
      await auditAccess(tx, access, 'keycafe.access.failed', { state: 'failed', reason });
    }
    await refreshBookingState(tx, access.organizationId, access.bookingId);
  },
});
