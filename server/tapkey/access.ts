/**
 * The rule of the product, as a pure function: which Tapkey access a booking should have now.
 * A grant is wanted when the booking is reserved or active and not moved out, its unit is in a
 * Tapkey-connected location and mapped to a lock, it has an email, sync applies (full mode, or
 * in gradual mode made after the connection, or switched on by hand), it was not revoked by hand,
 * and (only the trigger "move-in date reached") move-in has come. Validity is move-in day start to the day after move-out, in the location's
 * time zone, for both triggers: a stable window, so re-evaluating never churns grants.
 * Total: a stored booking whose dates are not real calendar dates (written before they were
 * validated, or by hand) answers `invalid_dates` for itself instead of throwing, so one bad row
 * never fails a bookings list or a sync run of its location.
 */
import { isRealIsoDate } from '../../lib/dates.ts';
import { offsetMs } from '../../lib/zoned-time.ts';

export type AccessStatus =
  | 'wanted'
  | 'no_email'
  | 'unit_without_location'
  | 'location_not_connected'
  | 'unit_not_mapped'
  | 'sync_off'
  | 'revoked_manually'
  | 'booking_inactive'
  | 'moved_out'
  | 'waiting_for_move_in'
  | 'invalid_dates';

export interface AccessFacts {
  booking: {
    state: 'reserved' | 'active' | 'ended' | 'cancelled';
    tenantEmail: string | null;
    moveIn: string;
    moveOut: string | null;
    /** Override of the mode: null = the mode decides. */
    syncEnabled: boolean | null;
    accessRevoked: boolean;
    /** When the booking was made in the manager (null: unknown, then `createdAt`, first seen). */
    bookedAt?: Date | null;
    createdAt?: Date;
  };
  location: { timeZone: string; tapkey: TapkeySyncSettings | null } | null;
  lockId: string | null;
  now: Date;
}

export type AccessTrigger = 'booking_creation' | 'move_in_reached';
export interface TapkeySyncSettings {
  syncMode: 'gradual' | 'full';
  accessTrigger: AccessTrigger;
  accessTriggers?: AccessTrigger[];
  connectedAt?: string;
}

/** Every trigger switched on; settings stored before triggers became a list have one. */
export const triggersOf = (s: Pick<TapkeySyncSettings, 'accessTrigger' | 'accessTriggers'>): AccessTrigger[] =>
  s.accessTriggers?.length ? s.accessTriggers : [s.accessTrigger];

/**
 * Whether sync applies to a booking: full mode, every booking; gradual mode (the seed: "only new
 * bookings are going to be managed"), bookings made after the connection; a hand-set override
 * wins over both. A booking made at an unknown time counts from when it was first seen.
 */
export function syncApplies(booking: AccessFacts['booking'], settings: TapkeySyncSettings, moveInStart: Date): boolean {
  if (booking.syncEnabled !== null) return booking.syncEnabled;
  if (settings.syncMode === 'full') return true;
  if (!settings.connectedAt) return false;
  // Unknown booking time: first seen, but a booking moved into before the connection was
  // surely made before it (a file or list intake sees old bookings for the first time).
  const made = booking.bookedAt ?? (booking.createdAt && booking.createdAt < moveInStart ? booking.createdAt : moveInStart);
  return made.getTime() >= new Date(settings.connectedAt).getTime();
}

export type Desired =
  | { want: true; lockId: string; email: string; validFrom: Date; validBefore: Date | null }
  | { want: false; status: Exclude<AccessStatus, 'wanted'>; /** When to look again (move-in). */ recheckAt?: Date };

/** 00:00 of a calendar day (YYYY-MM-DD) in a time zone, as an instant. */
export function dayStart(date: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // Two passes settle days whose midnight sits next to a DST change.
  let utc = wall - offsetMs(wall, tz);
  utc = wall - offsetMs(utc, tz);
  return new Date(utc);
}

export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The grant window of a booking: move-in day start → the start of the day after move-out. */
export function validity(moveIn: string, moveOut: string | null, tz: string) {
  return { validFrom: dayStart(moveIn, tz), validBefore: moveOut ? dayStart(nextDay(moveOut), tz) : null };
}

const validInstant = (d: Date | null) => d === null || Number.isFinite(d.getTime());

/** The window, or null when the dates are not real calendar dates or give no valid instant. */
export function safeValidity(moveIn: string, moveOut: string | null, tz: string): { validFrom: Date; validBefore: Date | null } | null {
  if (!isRealIsoDate(moveIn) || (moveOut !== null && !isRealIsoDate(moveOut))) return null;
  if (moveOut !== null && moveOut < moveIn) return null;
  try {
    const v = validity(moveIn, moveOut, tz);
    return validInstant(v.validFrom) && validInstant(v.validBefore) ? v : null;
  } catch (err) {
    // An unknown time zone or an instant out of Date's range: this booking cannot be evaluated.
    if (err instanceof RangeError) return null;
    throw err;
  }
}

export function desiredAccess(f: AccessFacts): Desired {
  const b = f.booking;
  if (b.state === 'ended' || b.state === 'cancelled') return { want: false, status: 'booking_inactive' };
  if (!f.location) return { want: false, status: 'unit_without_location' };
  const settings = f.location.tapkey;
  if (!settings) return { want: false, status: 'location_not_connected' };
  const window = safeValidity(b.moveIn, b.moveOut, f.location.timeZone);
  if (!window) return { want: false, status: 'invalid_dates' };
  const { validFrom, validBefore } = window;
  if (validBefore && validBefore.getTime() <= f.now.getTime()) return { want: false, status: 'moved_out' };
  if (b.accessRevoked) return { want: false, status: 'revoked_manually' };
  if (!syncApplies(b, settings, validFrom)) return { want: false, status: 'sync_off' };
  if (!f.lockId) return { want: false, status: 'unit_not_mapped' };
  if (!b.tenantEmail) return { want: false, status: 'no_email' };
  // "Booking creation" grants at once; "move-in date reached" alone waits for move-in.
  if (!triggersOf(settings).includes('booking_creation') && validFrom.getTime() > f.now.getTime())
    return { want: false, status: 'waiting_for_move_in', recheckAt: validFrom };
  return { want: true, lockId: f.lockId, email: b.tenantEmail.toLowerCase(), validFrom, validBefore };
}

const suspiciousDomains = new Map([
  ['gmial.com', 'gmail.com'],
  ['gmai.com', 'gmail.com'],
  ['gmail.co', 'gmail.com'],
  ['gmal.com', 'gmail.com'],
  ['googlemail.co', 'googlemail.com'],
  ['hotmial.com', 'hotmail.com'],
  ['hotmail.co', 'hotmail.com'],
  ['yahooo.com', 'yahoo.com'],
  ['yaho.com', 'yahoo.com'],
  ['outlok.com', 'outlook.com'],
  ['gmx.dee', 'gmx.de'],
  ['web.dee', 'web.de'],
]);
// Reserved TLDs (RFC 2606) never reach a mailbox; example.com is left alone: demo data uses it.
const placeholderDomains = /\.(test|invalid|localhost|example)$/;

/**
 * Why an email that passed syntax checks still looks wrong for a Tapkey account (the tenant
 * registers in the Tapkey app with it, so a typo means no access), or null when it looks fine.
 */
export function suspiciousEmail(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1) return 'Not an email address';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain)) return 'The domain has no valid top-level part';
  if (domain.includes('..') || local.includes('..') || local.startsWith('.') || local.endsWith('.')) return 'Misplaced dots';
  const typo = suspiciousDomains.get(domain);
  if (typo) return `Looks like a typo of ${typo}`;
  if (placeholderDomains.test(domain)) return 'A placeholder domain, not a real mailbox';
  if (/\s/.test(email)) return 'Contains spaces';
  return null;
}
