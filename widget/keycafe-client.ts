/** The booking view's calls: the session, and the booking dialog's API (components/keycafe/api.ts). */
import type { KeycafeApi } from '../components/keycafe/api.ts';
import { listOf } from '../lib/contract/common.ts';
import { keycafeBookingSchema, keycafeKeySchema } from '../lib/contract/keycafe.ts';
import type { WidgetSession } from '../lib/contract/widget.ts';
import { sessionOf, type WidgetRequest } from './request.ts';

export function keycafeClient(request: WidgetRequest) {
  const keyList = listOf(keycafeKeySchema);
  const bookingList = listOf(keycafeBookingSchema);
  const bookingPath = (id: string) => `/v1/keycafe/bookings/${encodeURIComponent(id)}`;

  return {
    session: sessionOf(request),

    /** The booking dialog's API, limited to what the session's actions allow. */
    keycafe(session: WidgetSession): KeycafeApi {
      // The API lets a widget token cancel only the bookings it made; tokens are minted per page
      // view, so those are the ones made here (others' bookings get no Cancel button).
      const made = new Set<string>();
      return {
        can: { listBookings: session.actions.includes('keycafe:read'), cancel: session.actions.includes('keycafe:book') },
        mayCancel: (booking) => made.has(booking.id),
        accounts: async () => session.keycafeAccounts,
        searchKeys: ({ search, limit }) => request(keyList, 'GET', '/v1/keycafe/keys', { query: { search, limit } }),
        createBooking: async (input, requestKey) => {
          const booking = await request(keycafeBookingSchema, 'POST', '/v1/keycafe/bookings', { body: input, headers: { 'idempotency-key': requestKey } });
          made.add(booking.id);
          return booking;
        },
        getBooking: (id) => request(keycafeBookingSchema, 'GET', bookingPath(id)),
        listBookings: ({ keyId, recipient, limit }) => request(bookingList, 'GET', '/v1/keycafe/bookings', { query: { keyId, recipient, limit } }),
        cancelBooking: (id) => request(keycafeBookingSchema, 'POST', `${bookingPath(id)}/cancel`),
        retryBooking: (id) => request(keycafeBookingSchema, 'POST', `${bookingPath(id)}/retry`),
      };
    },
  };
}

export type KeycafeClient = ReturnType<typeof keycafeClient>;
