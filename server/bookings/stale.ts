/**
 * Stale bookings: not reported by any intake (booking page, list capture, file import,
 * webhook, API) for a number of days. Flagged in the admin views so someone checks them in
 * the manager; never revoked automatically (a missing report is not a cancellation).
 */
import type { AppDeps } from '../env.ts';

export const DEFAULT_STALE_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/** AppDeps.bookings.staleDays (BOOKINGS_STALE_DAYS at start: server/config.ts), else 14. */
export function staleDaysOf(deps: Pick<AppDeps, 'bookings'>): number {
  return deps.bookings?.staleDays ?? DEFAULT_STALE_DAYS;
}

/** The instant before which a last report makes a booking stale. */
export const staleBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/** Only bookings still expecting news can be stale: ended and cancelled ones are settled. */
export const isStale = (b: { lastSeenAt: Date; state: string }, now: Date, days: number) =>
  (b.state === 'active' || b.state === 'reserved') && b.lastSeenAt.getTime() < staleBefore(now, days).getTime();
