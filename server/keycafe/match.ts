/**
 * Does an access Keycafe lists belong to one of our bookings (same key, recipient and period)?
 * Keycafe's access search filters by key ID or user ID only (docs.keycafe.com/reference/
 * search-accesses), never by email or mobile, so the recipient is matched here: by the Keycafe
 * user ID kept from an earlier create when there is one, else by email (case-insensitive) or
 * mobile digits. Name-only accesses (no `user`) never match a booking with a recipient.
 */
import type { KeycafeApiAccess } from './api-schemas.ts';

export interface BookingTarget {
  keyId: string;
  recipientEmail: string | null;
  recipientMobile: string | null;
  /** Keycafe's user ID from an earlier create of the same booking, when known. */
  keycafeUserId?: string | null;
  type: 'one_time' | 'ongoing' | string;
  startLocal: { date: string; time: string } | null;
  endLocal: { date: string; time: string } | null;
}

const digits = (s: string) => s.replace(/\D/g, '');

export function sameRecipient(a: KeycafeApiAccess, t: Pick<BookingTarget, 'recipientEmail' | 'recipientMobile' | 'keycafeUserId'>): boolean {
  const u = a.user;
  if (!u) return false;
  if (t.keycafeUserId && u.id) return u.id === t.keycafeUserId;
  if (t.recipientEmail) return !!u.email && u.email.trim().toLowerCase() === t.recipientEmail.trim().toLowerCase();
  if (t.recipientMobile) return !!u.mobile && digits(u.mobile) === digits(t.recipientMobile);
  return false;
}

export function samePeriod(a: KeycafeApiAccess, t: Pick<BookingTarget, 'type' | 'startLocal' | 'endLocal'>): boolean {
  if (t.type === 'ongoing') return !a.accessStartDate && !a.accessEndDate;
  return (
    a.accessStartDate === t.startLocal?.date &&
    a.accessStartTime === t.startLocal?.time &&
    a.accessEndDate === t.endLocal?.date &&
    a.accessEndTime === t.endLocal?.time
  );
}

export const matchesBooking = (a: KeycafeApiAccess, t: BookingTarget) => a.keys.some((k) => k.id === t.keyId) && sameRecipient(a, t) && samePeriod(a, t);
