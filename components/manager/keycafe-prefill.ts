/**
 * "Grant Keycafe access" from a manager booking: the booking's tenant and dates as the Keycafe
 * dialog's starting values. A booking with a move-out becomes one-time access from move-in (or
 * today, if that has passed: Keycafe access cannot start in the past) to move-out; one without
 * becomes ongoing access. The booking carries dates only, so the times are left to the admin.
 */
import type { BookingPageData } from '../../lib/site-profile/index.ts';
import type { BookingPrefill } from '../keycafe/draft.ts';

/** YYYY-MM-DD of `now` in the browser's time zone. */
export function localIsoDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function keycafePrefill(b: BookingPageData, now = new Date()): BookingPrefill {
  const today = localIsoDate(now);
  const who = {
    ...(b.tenantEmail ? { email: b.tenantEmail } : {}),
    ...(b.tenantPhone ? { mobile: b.tenantPhone } : {}),
    ...(b.tenantName ? { name: b.tenantName } : {}),
  };
  if (!b.moveOut) return { ...who, type: 'ongoing' };
  return { ...who, type: 'one_time', start: { date: b.moveIn > today ? b.moveIn : today }, end: { date: b.moveOut } };
}
