/**
 * Keycafe access bookings: rows → API resources, the booking state derived from its per-key
 * accesses, and the outbox jobs that move each access towards what the booking wants.
 */
import { and, asc, eq, inArray, isNull, notExists, sql } from 'drizzle-orm';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { safeLinkUrl } from '../../lib/safe-url.ts';
import { recordAudit } from '../audit.ts';
import { keycafeAccesses, keycafeBookings, keycafeKeys, outboxJobs, type KeycafeAccessState, type KeycafeBookingState } from '../db/schema/index.ts';
import { enqueue, type DbOrTx } from '../outbox/outbox.ts';

export const JOB_CREATE_ACCESS = 'keycafe.access.create';
export const JOB_DELETE_ACCESS = 'keycafe.access.delete';
export const JOB_SYNC_KEYS = 'keycafe.keys.sync';
/** Rate-limit waits can cost attempts during a 429 storm; allow more than the outbox default. */
export const KEYCAFE_JOB_ATTEMPTS = 20;
export const SYSTEM_ACTOR = 'system:keycafe';

export type KeycafeBookingRow = typeof keycafeBookings.$inferSelect;
export type AccessRow = typeof keycafeAccesses.$inferSelect;

type AccessJobKind = typeof JOB_CREATE_ACCESS | typeof JOB_DELETE_ACCESS;
const accessJobKey = (kind: AccessJobKind, accessId: string) => `${kind}:${accessId}`;
export const createIdempotencyKey = (accessId: string) => accessJobKey(JOB_CREATE_ACCESS, accessId);
export const deleteIdempotencyKey = (accessId: string) => accessJobKey(JOB_DELETE_ACCESS, accessId);

export function toKeycafeBooking(b: KeycafeBookingRow, accesses: AccessRow[]): KeycafeBooking {
  return {
    id: b.id,
    locationId: b.locationId,
    type: b.type,
    allKeys: b.allKeys,
    recipient: { email: b.recipientEmail, mobile: b.recipientMobile },
    locale: b.locale as KeycafeBooking['locale'],
    name: b.name,
    timeZone: b.timeZone,
    startsAt: b.startsAt?.toISOString() ?? null,
    endsAt: b.endsAt?.toISOString() ?? null,
    returnReminder: b.returnReminder,
    reminderAt: b.reminder?.at ?? null,
    reminder: b.reminder ?? null,
    start: b.startLocal ?? null,
    end: b.endLocal ?? null,
    requireVisitorId: b.requireVisitorId,
    visitors: b.visitors,
    photoVerification: b.photoVerification,
    state: b.state,
    accesses: [...accesses]
      .sort((x, y) => x.keyName.localeCompare(y.keyName) || x.keyId.localeCompare(y.keyId))
      .map((a) => ({
        keyId: a.keyId,
        keyName: a.keyName,
        state: a.state,
        reason: a.reason,
        keycafeAccessId: a.keycafeAccessId,
        bookingCode: a.bookingCode,
        // Rows stored before links were checked on arrival are checked on the way out too.
        checkinLink: safeLinkUrl(a.checkinLink),
        addedBySync: a.addedBySync,
        updatedAt: a.updatedAt.toISOString(),
      })),
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

export async function accessesOf(db: DbOrTx, organizationId: string, bookingIds: string[]): Promise<AccessRow[]> {
  if (bookingIds.length === 0) return [];
  return db
    .select()
    .from(keycafeAccesses)
    .where(and(eq(keycafeAccesses.organizationId, organizationId), inArray(keycafeAccesses.bookingId, bookingIds)))
    .orderBy(asc(keycafeAccesses.keyName));
}

export async function loadBooking(db: DbOrTx, organizationId: string, id: string): Promise<KeycafeBooking | null> {
  const [row] = await db.select().from(keycafeBookings).where(and(eq(keycafeBookings.organizationId, organizationId), eq(keycafeBookings.id, id)));
  if (!row) return null;
  return toKeycafeBooking(row, await accessesOf(db, organizationId, [id]));
}

/**
 * What the user sees: pending until every key is done; then active, failed (all keys), or
 * partially failed (some), which a retry can turn around; cancelling → cancelled.
 */
export function deriveBookingState(cancelRequested: boolean, states: KeycafeAccessState[]): KeycafeBookingState {
  if (cancelRequested) return states.every((s) => s === 'cancelled') ? 'cancelled' : 'cancelling';
  if (states.some((s) => s === 'pending')) return 'pending';
  if (states.every((s) => s === 'active')) return 'active';
  if (states.every((s) => s === 'failed')) return 'failed';
  return 'partially_failed';
}

/** Re-derives and stores the booking's state (inside the transaction that changed an access). */
export async function refreshBookingState(tx: DbOrTx, organizationId: string, bookingId: string): Promise<KeycafeBookingRow | null> {
  const [booking] = await tx
    .select()
    .from(keycafeBookings)
    .where(and(eq(keycafeBookings.organizationId, organizationId), eq(keycafeBookings.id, bookingId)))
    .for('update');
  if (!booking) return null;
  const accesses = await accessesOf(tx, organizationId, [bookingId]);
  const state = deriveBookingState(booking.cancelRequestedAt !== null, accesses.map((a) => a.state));
  if (state === booking.state) return booking;
  const [updated] = await tx.update(keycafeBookings).set({ state, updatedAt: new Date() }).where(eq(keycafeBookings.id, bookingId)).returning();
  return updated!;
}

/** The job that moves one access: its kind and idempotency key say which way. */
function enqueueAccessJob(tx: DbOrTx, access: Pick<AccessRow, 'id' | 'organizationId'>, kind: AccessJobKind) {
  return enqueue(tx, {
    organizationId: access.organizationId,
    kind,
    idempotencyKey: accessJobKey(kind, access.id),
    payload: { accessId: access.id },
    maxAttempts: KEYCAFE_JOB_ATTEMPTS,
  });
}

export const enqueueCreateAccess = (tx: DbOrTx, access: Pick<AccessRow, 'id' | 'organizationId'>) => enqueueAccessJob(tx, access, JOB_CREATE_ACCESS);
export const enqueueDeleteAccess = (tx: DbOrTx, access: Pick<AccessRow, 'id' | 'organizationId'>) => enqueueAccessJob(tx, access, JOB_DELETE_ACCESS);

/** The location's "apply to all keys" bookings not cancelled. */
const liveAllKeysBookings = (organizationId: string, locationId: string) =>
  and(eq(keycafeBookings.organizationId, organizationId), eq(keycafeBookings.locationId, locationId), eq(keycafeBookings.allKeys, true), isNull(keycafeBookings.cancelRequestedAt));

/**
 * "Apply to all keys": every live ongoing all-keys booking of the location gets an access for
 * each cached key it does not have yet (keys created in Keycafe after the booking). Recorded
 * per booking in the audit trail. Returns how many accesses were added.
 */
export async function grantNewKeysToAllKeysBookings(tx: DbOrTx, organizationId: string, locationId: string, actor: string): Promise<number> {
  const bookings = await tx
    .select()
    .from(keycafeBookings)
    .where(liveAllKeysBookings(organizationId, locationId))
    .for('update');
  let added = 0;
  for (const booking of bookings) {
    const missing = await tx
      .select({ id: keycafeKeys.keycafeId, name: keycafeKeys.name })
      .from(keycafeKeys)
      .where(
        and(
          eq(keycafeKeys.organizationId, organizationId),
          eq(keycafeKeys.locationId, locationId),
          isNull(keycafeKeys.removedAt),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(keycafeAccesses)
              .where(and(eq(keycafeAccesses.bookingId, booking.id), eq(keycafeAccesses.keyId, keycafeKeys.keycafeId))),
          ),
        ),
      )
      .orderBy(asc(keycafeKeys.name));
    if (missing.length === 0) continue;
    const rows = await tx
      .insert(keycafeAccesses)
      .values(missing.map((k) => ({ organizationId, bookingId: booking.id, keyId: k.id, keyName: k.name, addedBySync: true })))
      .onConflictDoNothing()
      .returning();
    for (const row of rows) await enqueueCreateAccess(tx, row);
    await refreshBookingState(tx, organizationId, booking.id);
    await recordAudit(tx, {
      organizationId,
      actor,
      action: 'keycafe.booking.keys_added',
      entity: 'keycafe_booking',
      entityId: booking.id,
      after: { keys: rows.map((r) => ({ keyId: r.keyId, keyName: r.keyName })) },
    });
    added += rows.length;
  }
  return added;
}

/** Whether the location has a live all-keys booking (the periodic key sync runs only then). */
export async function hasLiveAllKeysBooking(db: DbOrTx, organizationId: string, locationId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: keycafeBookings.id })
    .from(keycafeBookings)
    .where(liveAllKeysBookings(organizationId, locationId))
    .limit(1);
  return Boolean(row);
}

/**
 * Schedules the next periodic key sync of a location unless one is already waiting. The
 * idempotency key names the time slot, so two schedulers racing for one slot make one job.
 */
export async function scheduleKeySync(tx: DbOrTx, organizationId: string, locationId: string, runAt: Date): Promise<void> {
  const [waiting] = await tx
    .select({ id: outboxJobs.id })
    .from(outboxJobs)
    .where(
      and(
        eq(outboxJobs.organizationId, organizationId),
        eq(outboxJobs.kind, JOB_SYNC_KEYS),
        eq(outboxJobs.state, 'pending'),
        sql`${outboxJobs.payload}->>'locationId' = ${locationId}`,
      ),
    )
    .limit(1);
  if (waiting) return;
  await enqueue(tx, {
    organizationId,
    kind: JOB_SYNC_KEYS,
    idempotencyKey: `${JOB_SYNC_KEYS}:${locationId}:${runAt.getTime()}`,
    payload: { locationId },
    runAt,
    maxAttempts: KEYCAFE_JOB_ATTEMPTS,
  });
}
