/** The create-access body Keycafe gets for one key of a booking (POST /v0/access). */
import type { CreateAccessBody } from './api-schemas.ts';
import type { AccessRow, KeycafeBookingRow } from './bookings.ts';

const userOf = (b: KeycafeBookingRow) => (b.recipientEmail ? { email: b.recipientEmail } : { mobile: b.recipientMobile!.replace(/^\+/, '') });

export function createBody(access: AccessRow, booking: KeycafeBookingRow): CreateAccessBody {
  const body: CreateAccessBody = {
    user: userOf(booking),
    key: { id: access.keyId },
    locale: booking.locale as CreateAccessBody['locale'],
    returnReminder: booking.returnReminder,
    suppressGuestNotifications: false,
    allowSetup: false,
  };
  if (booking.name) body.name = booking.name;
  if (booking.type === 'one_time' && booking.startLocal && booking.endLocal) {
    body.accessStartDate = booking.startLocal.date;
    body.accessStartTime = booking.startLocal.time;
    body.accessEndDate = booking.endLocal.date;
    body.accessEndTime = booking.endLocal.time;
    if (booking.timeZone) body.timeZone = booking.timeZone;
  }
  return body;
}
