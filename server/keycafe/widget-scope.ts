/**
 * What a caller may see and change of the organization's Keycafe bookings. An API token: all
 * of them. A widget token runs on a third party's page: it sees and changes only the bookings
 * it made (`keycafe_bookings.widget_token_id`, its `jti`); with `keycafe:read` it also reads
 * the others' — who, which keys, when, so the form can warn about a duplicate — but never
 * their booking codes or check-in links, which open the key box.
 */
import type { Context } from 'hono';
import type { KeycafeBooking } from '../../lib/contract.ts';
import type { WidgetEnv } from '../widget/middleware.ts';

export type BookingViewer = { kind: 'api' } | { kind: 'widget'; tokenId: string; readsOthers: boolean };

export function bookingViewerOf(c: Context): BookingViewer {
  // Set by the widget middleware only (server/widget/middleware.ts); API-token calls have none.
  const w = (c as unknown as Context<WidgetEnv>).get('widget') as WidgetEnv['Variables']['widget'] | undefined;
  return w ? { kind: 'widget', tokenId: w.jti, readsOthers: w.actions.includes('keycafe:read') } : { kind: 'api' };
}

/** The widget token a new booking is recorded under (null: made with an API token). */
export const creatorTokenOf = (viewer: BookingViewer): string | null => (viewer.kind === 'widget' ? viewer.tokenId : null);

/** Cancel, retry, replay by Idempotency-Key, or read with its codes. */
export function mayChange(viewer: BookingViewer, row: { widgetTokenId: string | null }): boolean {
  return viewer.kind === 'api' || row.widgetTokenId === viewer.tokenId;
}

/** The booking as this caller may see it, or null when it must look like it does not exist. */
export function asSeenBy(viewer: BookingViewer, row: { widgetTokenId: string | null }, booking: KeycafeBooking): KeycafeBooking | null {
  if (mayChange(viewer, row)) return booking;
  if (viewer.kind === 'widget' && !viewer.readsOthers) return null;
  return { ...booking, accesses: booking.accesses.map((a) => ({ ...a, bookingCode: null, checkinLink: null })) };
}
