/**
 * A new Keycafe booking: the plan (plan.ts: location, recipient, keys, times; field errors
 * before anything is written), then one transaction that stores the booking and one access per
 * key, enqueues each access's create job, schedules the key sync of an "all keys" booking and
 * records the audit event. An Idempotency-Key replays the first booking instead.
 */
import { and, eq } from 'drizzle-orm';
import type { KeycafeBooking } from '../../lib/contract.ts';
import type { Language } from '../../lib/i18n/index.ts';
import { recordAudit } from '../audit.ts';
import { keycafeAccesses, keycafeBookings } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import type { DbOrTx } from '../outbox/outbox.ts';
import { pgErrorCode } from '../resources.ts';
import { enqueueCreateAccess, loadBooking, scheduleKeySync, toKeycafeBooking } from './bookings.ts';
import type { KeycafeActor, KeycafeContext } from './context.ts';
import { planBooking, type BookingInput, type BookingPlan } from './plan.ts';
import { creatorTokenOf, mayChange, type BookingViewer } from './widget-scope.ts';

export interface BookingMaker extends KeycafeActor {
  viewer: BookingViewer;
}

/** The booking stored earlier under this Idempotency-Key, if the viewer made it. */
async function replayOf(ctx: KeycafeContext, who: BookingMaker, requestKey: string | null): Promise<KeycafeBooking | null> {
  if (!requestKey) return null;
  const [row] = await ctx.db
    .select({ id: keycafeBookings.id, widgetTokenId: keycafeBookings.widgetTokenId })
    .from(keycafeBookings)
    .where(and(eq(keycafeBookings.organizationId, who.organizationId), eq(keycafeBookings.requestKey, requestKey)));
  if (!row) return null;
  // Another widget's key (or an API client's) must not hand its booking, codes included, to this widget.
  if (!mayChange(who.viewer, row)) throw new ApiError('conflict', 'This Idempotency-Key was already used for another booking: send a new one');
  return loadBooking(ctx.db, who.organizationId, row.id);
}

/** `replayed`: an earlier request with the same Idempotency-Key made this booking. */
export async function createBooking(
  ctx: KeycafeContext,
  who: BookingMaker,
  input: BookingInput,
  requestKey: string | null,
  lang: Language,
): Promise<{ booking: KeycafeBooking; replayed: boolean }> {
  const earlier = await replayOf(ctx, who, requestKey);
  if (earlier) return { booking: earlier, replayed: true };
  const plan = await planBooking(ctx, who.organizationId, input, lang);
  let booking;
  try {
    booking = await ctx.db.transaction((tx) => applyBooking(ctx, tx, who, input, plan, requestKey));
  } catch (err) {
    // Two replays raced: the other one stored the booking first.
    if (pgErrorCode(err) === '23505' && requestKey) {
      const other = await replayOf(ctx, who, requestKey);
      if (other) return { booking: other, replayed: true };
    }
    throw err;
  }
  ctx.kickOutbox?.();
  return { booking, replayed: false };
}

async function applyBooking(ctx: KeycafeContext, tx: DbOrTx, who: BookingMaker, input: BookingInput, plan: BookingPlan, requestKey: string | null): Promise<KeycafeBooking> {
  const { organizationId } = who;
  const [row] = await tx
    .insert(keycafeBookings)
    .values({
      organizationId,
      locationId: plan.location.id,
      type: input.type,
      allKeys: input.allKeys,
      recipientEmail: plan.recipient.email,
      recipientMobile: plan.recipient.mobile,
      locale: input.locale,
      name: input.name || null,
      timeZone: plan.timeZone,
      startLocal: plan.startLocal,
      endLocal: plan.endLocal,
      startsAt: plan.startsAt,
      endsAt: plan.endsAt,
      returnReminder: input.returnReminder,
      reminder: plan.reminder,
      requireVisitorId: input.requireVisitorId,
      visitors: input.visitors,
      photoVerification: input.photoVerification,
      state: plan.keys.length ? 'pending' : 'active',
      createdBy: who.actor,
      requestKey,
      widgetTokenId: creatorTokenOf(who.viewer),
    })
    .returning();
  const accesses = plan.keys.length
    ? await tx
        .insert(keycafeAccesses)
        .values(plan.keys.map((k) => ({ organizationId, bookingId: row!.id, keyId: k.id, keyName: k.name })))
        .returning()
    : [];
  for (const a of accesses) await enqueueCreateAccess(tx, a);
  if (input.allKeys) {
    const s = ctx.keycafe;
    await scheduleKeySync(tx, organizationId, plan.location.id, new Date(Date.now() + s.clock.toRealMs(s.keySyncIntervalMs)));
  }
  const resource = toKeycafeBooking(row!, accesses);
  await recordAudit(tx, { organizationId, actor: who.actor, action: 'keycafe.booking.created', entity: 'keycafe_booking', entityId: row!.id, after: resource });
  return resource;
}
