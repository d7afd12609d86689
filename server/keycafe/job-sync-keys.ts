/**
 * The outbox job of "apply to all keys" bookings: refreshes a location's key cache, grants the
 * new keys to those bookings, then schedules itself again while such a booking is live.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { locations } from '../db/schema/index.ts';
import type { DbOrTx, JobHandler, OutboxJob } from '../outbox/outbox.ts';
import type { KeycafeApiKey } from './api-schemas.ts';
import { grantNewKeysToAllKeysBookings, hasLiveAllKeysBooking, scheduleKeySync, SYSTEM_ACTOR } from './bookings.ts';
import { storeKeys } from './catalog.ts';
import { toOutboxError } from './errors.ts';
import { jobClientFor, type KeycafeJobContext } from './job-tools.ts';

const syncPayload = z.object({ locationId: z.string().uuid() });

async function nextSync(jc: KeycafeJobContext, tx: DbOrTx, job: OutboxJob, locationId: string) {
  if (!(await hasLiveAllKeysBooking(tx, job.organizationId, locationId))) return;
  const s = jc.service();
  await scheduleKeySync(tx, job.organizationId, locationId, new Date(Date.now() + s.clock.toRealMs(s.keySyncIntervalMs)));
}

export const syncKeysJob = (jc: KeycafeJobContext): JobHandler<{ keys: KeycafeApiKey[]; accountEmail: string } | { outcome: 'noop' }> => ({
  async run(job) {
    const { locationId } = syncPayload.parse(job.payload);
    const [location] = await jc.db.select().from(locations).where(and(eq(locations.organizationId, job.organizationId), eq(locations.id, locationId)));
    if (!location || !(await hasLiveAllKeysBooking(jc.db, job.organizationId, locationId))) return { outcome: 'noop' };
    try {
      return { keys: await jobClientFor(jc, location, job).listKeys(), accountEmail: location.keycafe!.accountEmail };
    } catch (err) {
      throw toOutboxError(err, jc.service().clock);
    }
  },
  async complete(tx, job, result) {
    const { locationId } = syncPayload.parse(job.payload);
    if ('keys' in result) {
      await storeKeys(tx, { organizationId: job.organizationId, locationId, accountEmail: result.accountEmail }, result.keys, SYSTEM_ACTOR);
      await grantNewKeysToAllKeysBookings(tx, job.organizationId, locationId, SYSTEM_ACTOR);
    }
    await nextSync(jc, tx, job, locationId);
  },
  async fail(tx, job) {
    // A broken token today may be fixed tomorrow: keep the schedule.
    await nextSync(jc, tx, job, syncPayload.parse(job.payload).locationId);
  },
});
