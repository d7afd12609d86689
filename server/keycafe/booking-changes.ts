/**
 * Cancel and retry of a Keycafe booking. Both lock the booking (one the caller may change:
 * widget-scope.ts) and the accesses they act on, move each access's state and job, derive the
 * booking state again and audit before → after, in one transaction; the outbox does the
 * Keycafe calls afterwards.
 */
import { and, eq, type SQL } from 'drizzle-orm';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { recordAudit } from '../audit.ts';
import { keycafeAccesses, keycafeBookings, outboxJobs } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import { retryJob, type DbOrTx } from '../outbox/outbox.ts';
import {
  createIdempotencyKey,
  deleteIdempotencyKey,
  enqueueCreateAccess,
  enqueueDeleteAccess,
  loadBooking,
  refreshBookingState,
  type AccessRow,
  type KeycafeBookingRow,
} from './bookings.ts';
import type { KeycafeActor, KeycafeContext } from './context.ts';
import { mayChange, type BookingViewer } from './widget-scope.ts';

export interface BookingChanger extends KeycafeActor {
  viewer: BookingViewer;
}

/** What a change did: `unchanged` wrote nothing (no state refresh, no audit). */
type Change = 'changed' | 'unchanged';

/**
 * Locks the booking and its accesses matching `accessFilter`, runs `change` on them, then
 * refreshes the booking state and records `action` with the booking before and after.
 */
async function changeBooking(
  ctx: KeycafeContext,
  who: BookingChanger,
  id: string,
  action: string,
  accessFilter: SQL | undefined,
  change: (tx: DbOrTx, row: KeycafeBookingRow, accesses: AccessRow[]) => Promise<Change>,
): Promise<{ booking: KeycafeBooking; changed: boolean }> {
  const { organizationId } = who;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(keycafeBookings)
      .where(and(eq(keycafeBookings.organizationId, organizationId), eq(keycafeBookings.id, id)))
      .for('update');
    if (!row || !mayChange(who.viewer, row)) throw notFound('Keycafe booking');
    const accesses = await tx
      .select()
      .from(keycafeAccesses)
      .where(and(eq(keycafeAccesses.organizationId, organizationId), eq(keycafeAccesses.bookingId, id), accessFilter))
      .for('update');
    const before = (await loadBooking(tx, organizationId, id))!;
    if ((await change(tx, row, accesses)) === 'unchanged') return { booking: before, changed: false };
    await refreshBookingState(tx, organizationId, id);
    const after = (await loadBooking(tx, organizationId, id))!;
    await recordAudit(tx, { organizationId, actor: who.actor, action, entity: 'keycafe_booking', entityId: id, before, after });
    return { booking: after, changed: true };
  });
}

/** Every Keycafe access of the booking is deleted (through the outbox); cancelling again changes nothing. */
export async function cancelBooking(ctx: KeycafeContext, who: BookingChanger, id: string): Promise<KeycafeBooking> {
  const result = await changeBooking(ctx, who, id, 'keycafe.booking.cancel_requested', undefined, async (tx, row, accesses) => {
    if (row.cancelRequestedAt) return 'unchanged';
    await tx.update(keycafeBookings).set({ cancelRequestedAt: new Date(), updatedAt: new Date() }).where(eq(keycafeBookings.id, id));
    for (const a of accesses) {
      // Pending: the create job sees `desired` and stops (or undoes what it created).
      // Active, or failed after a create was sent: delete on Keycafe. Never sent: nothing to undo.
      const mayExist = a.state === 'active' || (a.state === 'failed' && (a.keycafeAccessId !== null || a.createSentAt !== null));
      const state = a.state === 'pending' || mayExist ? 'cancelling' : 'cancelled';
      await tx.update(keycafeAccesses).set({ desired: 'cancelled', state, updatedAt: new Date() }).where(eq(keycafeAccesses.id, a.id));
      if (mayExist) await enqueueDeleteAccess(tx, a);
    }
    return 'changed';
  });
  if (result.changed) ctx.kickOutbox?.();
  return result.booking;
}

/** The failed keys go again (their create, or their cancel); null when no key failed. */
export async function retryBooking(ctx: KeycafeContext, who: BookingChanger, id: string): Promise<KeycafeBooking | null> {
  const { organizationId } = who;
  const result = await changeBooking(ctx, who, id, 'keycafe.booking.retried', eq(keycafeAccesses.state, 'failed'), async (tx, _row, failed) => {
    if (failed.length === 0) return 'unchanged';
    for (const a of failed) {
      const cancelling = a.desired === 'cancelled';
      const key = cancelling ? deleteIdempotencyKey(a.id) : createIdempotencyKey(a.id);
      const [job] = await tx
        .select({ id: outboxJobs.id })
        .from(outboxJobs)
        .where(and(eq(outboxJobs.organizationId, organizationId), eq(outboxJobs.idempotencyKey, key)));
      await tx.update(keycafeAccesses).set({ state: cancelling ? 'cancelling' : 'pending', reason: null, updatedAt: new Date() }).where(eq(keycafeAccesses.id, a.id));
      if (!job || !(await retryJob(tx, organizationId, job.id))) await (cancelling ? enqueueDeleteAccess(tx, a) : enqueueCreateAccess(tx, a));
    }
    return 'changed';
  });
  if (!result.changed) return null;
  ctx.kickOutbox?.();
  return result.booking;
}
