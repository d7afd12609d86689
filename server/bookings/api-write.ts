/**
 * Bookings written through the API: one (PUT replaces, PATCH changes some fields) answered
 * with its view, or a batch answered with counts. Each is writeBookings (write.ts) and a
 * wake-up of the outbox when something changed.
 */
import type { Booking, BookingIntakeResult } from '../../lib/contract.ts';
import type { Language } from '../../lib/i18n/index.ts';
import { ApiError } from '../errors.ts';
import type { BookingActor, BookingsContext } from './context.ts';
import { bookingView } from './read.ts';
import { writeBookings, type BookingWrite, type IntakeSource, type WritePlan } from './write.ts';

/** A refused single write → the API error the caller sees. */
function refusal(p: Extract<WritePlan, { outcome: 'refused' }>): ApiError {
  if (p.code === 'not_found') return new ApiError('not_found', p.message);
  if (p.code === 'restore_needed') return new ApiError('conflict', p.message);
  return new ApiError('validation_failed', 'Some fields are not valid', [{ path: p.field ?? 'body', message: p.message }]);
}

/** Writes one booking (`create`: PUT, else PATCH) and answers its view. */
export async function writeOneBooking(ctx: BookingsContext, who: BookingActor, write: BookingWrite, create: boolean, lang: Language): Promise<{ created: boolean; view: Booking }> {
  const { plans } = await writeBookings(ctx.db, { ...who, now: ctx.now(), source: 'api' }, [write], { create });
  const p = plans[0]!;
  if (p.outcome === 'refused') throw refusal(p);
  ctx.kickOutbox?.();
  return { created: p.outcome === 'created', view: await bookingView(ctx, who.organizationId, write.externalId, lang) };
}

export async function writeBookingBatch(ctx: BookingsContext, who: BookingActor, source: IntakeSource, writes: BookingWrite[]): Promise<BookingIntakeResult> {
  const { result } = await writeBookings(ctx.db, { ...who, now: ctx.now(), source }, writes, { create: true });
  if (result.created + result.changed > 0) ctx.kickOutbox?.();
  return result;
}
