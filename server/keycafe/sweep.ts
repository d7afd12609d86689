/**
 * Accesses on Keycafe that match one of our bookings (same key, recipient and period:
 * match.ts) but that no booking tracks: what a create leaves behind when Keycafe acted on it
 * after we had given up waiting and a retry found nothing yet. They are listed for the
 * operator, who adopts one (a key of that booking without a Keycafe access takes it) or
 * cancels it on Keycafe. The search uses the documented `key` filter, one call per key.
 */
import { and, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import type { KeycafeUntrackedAccess } from '../../lib/contract.ts';
import type { Db } from '../db/client.ts';
import { keycafeAccesses, keycafeBookings } from '../db/schema/index.ts';
import type { LocationRow } from '../resources.ts';
import type { KeycafeClient } from './client.ts';
import { matchesBooking } from './match.ts';

/** At most this many keys are searched per sweep (each is one Keycafe call). */
export const SWEEP_MAX_KEYS = 40;

export async function findUntrackedAccesses(db: Db, client: KeycafeClient, organizationId: string, location: LocationRow): Promise<KeycafeUntrackedAccess[]> {
  const bookings = await db
    .select()
    .from(keycafeBookings)
    .where(and(eq(keycafeBookings.organizationId, organizationId), eq(keycafeBookings.locationId, location.id), ne(keycafeBookings.state, 'cancelled')));
  if (bookings.length === 0) return [];
  const rows = await db
    .select()
    .from(keycafeAccesses)
    .where(and(eq(keycafeAccesses.organizationId, organizationId), inArray(keycafeAccesses.bookingId, bookings.map((b) => b.id)), ne(keycafeAccesses.desired, 'cancelled')));
  const keyIds = [...new Set(rows.map((r) => r.keyId))].slice(0, SWEEP_MAX_KEYS);
  const tracked = new Set(
    (await db.select({ id: keycafeAccesses.keycafeAccessId }).from(keycafeAccesses).where(and(eq(keycafeAccesses.organizationId, organizationId), isNotNull(keycafeAccesses.keycafeAccessId)))).map(
      (r) => r.id!,
    ),
  );
  const userIdOf = new Map<string, string>();
  for (const r of rows) if (r.keycafeUserId) userIdOf.set(r.bookingId, r.keycafeUserId);
  const out: KeycafeUntrackedAccess[] = [];
  for (const keyId of keyIds) {
    const listed = await client.listAccesses({ key: keyId });
    for (const a of listed) {
      if (tracked.has(a.id)) continue;
      for (const row of rows.filter((r) => r.keyId === keyId)) {
        const b = bookings.find((x) => x.id === row.bookingId)!;
        if (!matchesBooking(a, { ...b, keyId, keycafeUserId: userIdOf.get(b.id) ?? null, startLocal: b.startLocal ?? null, endLocal: b.endLocal ?? null })) continue;
        out.push({
          keycafeAccessId: a.id,
          keyId,
          keyName: row.keyName,
          bookingId: b.id,
          recipient: { email: b.recipientEmail, mobile: b.recipientMobile },
          start: b.startLocal ?? null,
          end: b.endLocal ?? null,
          bookingCode: a.bookingCode,
          // A key of the booking that has no Keycafe access and is not being created right now.
          adoptable: !row.keycafeAccessId && row.state === 'failed',
        });
        break;
      }
    }
  }
  return out;
}
