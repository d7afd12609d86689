/**
 * The operator's hand on a booking's access: revoke (until restored) and restore. Restore is
 * also the only way an ended or cancelled booking becomes active again (server/bookings/write.ts
 * refuses it everywhere else). Each re-evaluates the access in the same transaction.
 */
import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit.ts';
import { bookings } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import { evaluateBookings } from '../tapkey/grants.ts';
import type { DbOrTx } from '../outbox/outbox.ts';
import type { BookingActor, BookingsContext } from './context.ts';

type AccessContext = Pick<BookingsContext, 'db' | 'now' | 'kickOutbox'>;

async function lockBooking(tx: DbOrTx, organizationId: string, externalId: string) {
  const [row] = await tx
    .select()
    .from(bookings)
    .where(and(eq(bookings.organizationId, organizationId), eq(bookings.externalId, externalId)))
    .for('no key update');
  if (!row) throw new ApiError('not_found', `Booking ${externalId} not found`);
  return row;
}

/** Sets the manual-revoke flag and re-evaluates (clearing it also retries a failed grant). */
export async function setAccessRevoked(ctx: AccessContext, who: BookingActor, externalId: string, revoked: boolean): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await lockBooking(tx, who.organizationId, externalId);
    if (row.accessRevoked !== revoked) {
      await tx.update(bookings).set({ accessRevoked: revoked, updatedAt: sql`now()` }).where(eq(bookings.id, row.id));
      await recordAudit(tx, {
        ...who,
        action: revoked ? 'booking.access_revoked' : 'booking.access_restored',
        entity: 'booking',
        entityId: externalId,
        before: { accessRevoked: row.accessRevoked },
        after: { accessRevoked: revoked },
      });
    }
    await evaluateBookings(tx, { ...who, now: ctx.now(), force: !revoked }, eq(bookings.id, row.id));
  });
  ctx.kickOutbox?.();
}

/** Clears a manual revoke and makes an ended or cancelled booking active again (explicitly). */
export async function restoreBooking(ctx: AccessContext, who: BookingActor, externalId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await lockBooking(tx, who.organizationId, externalId);
    if (row.state === 'ended' || row.state === 'cancelled') {
      await tx.update(bookings).set({ state: 'active', updatedAt: sql`now()` }).where(eq(bookings.id, row.id));
      await recordAudit(tx, { ...who, action: 'booking.restored', entity: 'booking', entityId: externalId, before: { state: row.state }, after: { state: 'active' } });
    }
    if (row.accessRevoked) {
      await tx.update(bookings).set({ accessRevoked: false, updatedAt: sql`now()` }).where(eq(bookings.id, row.id));
      await recordAudit(tx, { ...who, action: 'booking.access_restored', entity: 'booking', entityId: externalId, before: { accessRevoked: true }, after: { accessRevoked: false } });
    }
    await evaluateBookings(tx, { ...who, now: ctx.now(), force: true }, eq(bookings.id, row.id));
  });
  ctx.kickOutbox?.();
}
