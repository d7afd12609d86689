/**
 * What the bookings domain code needs from the host process: the database, the clock of the
 * access rules (a test clock when one is set), the stale threshold, the store links of the
 * "access ready" notice and the outbox's wake-up. Routes build it from AppDeps per request.
 */
import type { Db } from '../db/client.ts';
import type { AppDeps } from '../env.ts';
import { tapkeyNow, tapkeySettings } from '../tapkey/config.ts';
import type { NoticeLinks } from '../tapkey/views.ts';
import { staleDaysOf } from './stale.ts';

export interface BookingsContext {
  db: Db;
  now: () => Date;
  staleDays: number;
  noticeLinks: NoticeLinks;
  kickOutbox?: () => void;
}

export function bookingsContextOf(deps: AppDeps): BookingsContext {
  const { appStoreUrl, playStoreUrl } = tapkeySettings(deps);
  return { db: deps.database.db, now: () => tapkeyNow(deps), staleDays: staleDaysOf(deps), noticeLinks: { appStoreUrl, playStoreUrl }, kickOutbox: deps.kickOutbox };
}

/** Who acts: the organization, the audit actor. */
export interface BookingActor {
  organizationId: string;
  actor: string;
}
