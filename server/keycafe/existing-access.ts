/**
 * Finding the access an earlier attempt of a job created, when its answer was lost: Keycafe's
 * accesses of the key (GET /v0/access?key=, the documented filter) with the booking's
 * recipient and period (match.ts), not owned by another of our accesses.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { keycafeAccesses } from '../db/schema/index.ts';
import type { DbOrTx } from '../outbox/outbox.ts';
import type { KeycafeApiAccess } from './api-schemas.ts';
import type { AccessRow, KeycafeBookingRow } from './bookings.ts';
import type { KeycafeClient } from './client.ts';
import { matchesBooking } from './match.ts';

/** The access an earlier attempt of ours created, if Keycafe has it (same key, recipient, period). */
export async function findExisting(db: DbOrTx, client: KeycafeClient, access: AccessRow, booking: KeycafeBookingRow): Promise<KeycafeApiAccess | null> {
  const list = await client.listAccesses({ key: access.keyId });
  // Keycafe's user ID, once a create of this booking has returned one, identifies the visitor best.
  const [known] = await db
    .select({ userId: keycafeAccesses.keycafeUserId })
    .from(keycafeAccesses)
    .where(and(eq(keycafeAccesses.organizationId, access.organizationId), eq(keycafeAccesses.bookingId, booking.id), sql`${keycafeAccesses.keycafeUserId} is not null`))
    .limit(1);
  const target = { ...booking, keyId: access.keyId, keycafeUserId: known?.userId ?? null, startLocal: booking.startLocal ?? null, endLocal: booking.endLocal ?? null };
  const candidates = list.filter((a) => matchesBooking(a, target));
  if (candidates.length === 0) return null;
  // An access another of our bookings already owns is not this one's.
  const owned = await db
    .select({ id: keycafeAccesses.keycafeAccessId })
    .from(keycafeAccesses)
    .where(
      and(
        eq(keycafeAccesses.organizationId, access.organizationId),
        inArray(
          keycafeAccesses.keycafeAccessId,
          candidates.map((c) => c.id),
        ),
        ne(keycafeAccesses.id, access.id),
      ),
    );
  const taken = new Set(owned.map((o) => o.id));
  return candidates.find((c) => !taken.has(c.id)) ?? null;
}
