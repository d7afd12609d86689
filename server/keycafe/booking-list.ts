/**
 * Reading Keycafe bookings as the caller may see them (widget-scope.ts): a filtered page,
 * newest first, or one booking.
 */
import { and, count, desc, eq, exists, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { KeycafeBooking } from '../../lib/contract.ts';
import type { Db } from '../db/client.ts';
import { keycafeAccesses, keycafeBookings } from '../db/schema/index.ts';
import { likePattern } from '../resources.ts';
import { accessesOf, toKeycafeBooking } from './bookings.ts';
import { asSeenBy, type BookingViewer } from './widget-scope.ts';

export interface BookingFilter {
  keyId?: string;
  /** Part of the email, or the mobile number (any format). */
  recipient?: string;
  state?: KeycafeBooking['state'];
  locationId?: string;
  limit: number;
  offset: number;
}

export async function listKeycafeBookings(db: Db, organizationId: string, viewer: BookingViewer, q: BookingFilter): Promise<{ items: KeycafeBooking[]; total: number }> {
  const where: SQL[] = [eq(keycafeBookings.organizationId, organizationId)];
  if (q.state) where.push(eq(keycafeBookings.state, q.state));
  if (q.locationId) where.push(eq(keycafeBookings.locationId, q.locationId));
  if (q.keyId)
    where.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(keycafeAccesses)
          .where(and(eq(keycafeAccesses.bookingId, keycafeBookings.id), eq(keycafeAccesses.keyId, q.keyId))),
      ),
    );
  if (q.recipient) {
    const digits = q.recipient.replace(/\D/g, '');
    const byMobile = digits.length >= 4 ? sql`${keycafeBookings.recipientMobile} like ${likePattern(digits)}` : sql`false`;
    where.push(or(ilike(keycafeBookings.recipientEmail, likePattern(q.recipient.toLowerCase())), byMobile)!);
  }
  const [{ total }] = (await db.select({ total: count() }).from(keycafeBookings).where(and(...where))) as [{ total: number }];
  const rows = await db
    .select()
    .from(keycafeBookings)
    .where(and(...where))
    .orderBy(desc(keycafeBookings.createdAt), desc(keycafeBookings.id))
    .limit(q.limit)
    .offset(q.offset);
  const accesses = await accessesOf(db, organizationId, rows.map((r) => r.id));
  // Only callers that may read others' bookings reach the list route (server/widget/scopes.ts); the codes stay with their maker.
  const items = rows.flatMap((r) => asSeenBy(viewer, r, toKeycafeBooking(r, accesses.filter((a) => a.bookingId === r.id))) ?? []);
  return { items, total: Number(total) };
}

/** One booking as the viewer may see it, or null when it must look like it does not exist. */
export async function keycafeBookingFor(db: Db, organizationId: string, viewer: BookingViewer, id: string): Promise<KeycafeBooking | null> {
  const [row] = await db.select().from(keycafeBookings).where(and(eq(keycafeBookings.organizationId, organizationId), eq(keycafeBookings.id, id)));
  return row ? asSeenBy(viewer, row, toKeycafeBooking(row, await accessesOf(db, organizationId, [id]))) : null;
}
