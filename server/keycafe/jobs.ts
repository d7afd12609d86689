/**
 * Outbox handlers of the Keycafe area. Each access is created and cancelled by its own job
 * (idempotency key per access), so a multi-key booking survives a crash key by key:
 *  - create: if an earlier attempt may have reached Keycafe (`createSentAt` set), it first asks
 *    Keycafe for the key's accesses (GET /v0/access?key=, the documented filter) and adopts the
 *    one with the same recipient and period (match.ts) instead of creating a second one;
 *    otherwise it records `createSentAt`, then POSTs.
 *  - every Keycafe call of a job is fenced on the job's current lease (`fence` below): the call
 *    leaves only while the job is still this worker's, and the lease is extended past the
 *    call's timeout, so no second worker can take the job over while a call may be answered.
 *  - delete: cancels the Keycafe access (looking it up the same way if its id never came back).
 *  - key sync: refreshes the key cache and grants new keys to "apply to all keys" bookings,
 *    then schedules itself again while such a booking is live.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDeps } from '../env.ts';
import { recordAudit } from '../audit.ts';
import { keycafeAccesses, keycafeBookings, locations, outboxJobs } from '../db/schema/index.ts';
import { PermanentError, type DbOrTx, type JobHandler, type OutboxJob } from '../outbox/outbox.ts';
import { storeKeys } from './catalog.ts';
import {
  enqueueDeleteAccess,
  grantNewKeysToAllKeysBookings,
  hasLiveAllKeysBooking,
  JOB_CREATE_ACCESS,
  JOB_DELETE_ACCESS,
  JOB_SYNC_KEYS,
  refreshBookingState,
  scheduleKeySync,
  SYSTEM_ACTOR,
  type AccessRow,
  type KeycafeBookingRow,
} from './bookings.ts';
import type { CreateAccessBody, KeycafeApiAccess, KeycafeApiKey, KeycafeClient } from './client.ts';
import { keycafeAccountOf, keycafeServiceOf } from './connection.ts';
import { mapFieldErrors, KeycafeError, toOutboxError } from './errors.ts';
import { matchesBooking } from './match.ts';

/** The job was taken over by another worker (its lease ran out): this run must not call Keycafe. */
export class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`outbox job ${jobId} is no longer ours (lease taken over); not calling Keycafe`);
  }
}

const accessPayload = z.object({ accessId: z.string().uuid() });
const syncPayload = z.object({ locationId: z.string().uuid() });

type CreateResult =
  | { outcome: 'created'; keycafeAccessId: string; keycafeUserId?: string | null; bookingCode: string | null; checkinLink: string | null; adopted: boolean }
  | { outcome: 'skipped' | 'noop' };
type DeleteResult = { outcome: 'cancelled'; keycafeAccessId: string | null } | { outcome: 'noop' };

/** Keycafe's field errors, in our field paths, for a job's visible failure reason. */
function reasonOf(err: unknown): string {
  if (err instanceof KeycafeError && err.opts.fieldErrors?.length) {
    const fields = mapFieldErrors(err.opts.fieldErrors).map((f) => `${f.path}: ${f.message}`);
    return `Keycafe: ${err.message} (${fields.join('; ')})`;
  }
  return err instanceof Error ? err.message : String(err);
}

export function keycafeJobHandlers(deps: AppDeps): Record<string, JobHandler<any>> {
  const db = deps.database.db;
  const service = () => keycafeServiceOf(deps);

  async function context(job: OutboxJob) {
    const { accessId } = accessPayload.parse(job.payload);
    const [row] = await db
      .select({ access: keycafeAccesses, booking: keycafeBookings, location: locations })
      .from(keycafeAccesses)
      .innerJoin(keycafeBookings, eq(keycafeBookings.id, keycafeAccesses.bookingId))
      .innerJoin(locations, eq(locations.id, keycafeBookings.locationId))
      .where(and(eq(keycafeAccesses.organizationId, job.organizationId), eq(keycafeAccesses.id, accessId)));
    return row ?? null;
  }

  /**
   * Proves the job is still this worker's and extends its lease past the coming call (the
   * configured lease may be shorter than a Keycafe call can take: ACCESSBRIDGE_OUTBOX_LEASE_MS).
   */
  function fence(job: OutboxJob) {
    return async () => {
      if (!job.lease) return;
      const s = service();
      const ms = s.callBudgetMs;
      const rows = await db
        .update(outboxJobs)
        .set({ lockedUntil: sql`greatest(${outboxJobs.lockedUntil}, now() + ${ms} * interval '1 millisecond')` })
        .where(and(eq(outboxJobs.id, job.id), eq(outboxJobs.lease, job.lease), eq(outboxJobs.state, 'running')))
        .returning({ id: outboxJobs.id });
      if (rows.length === 0) throw new LeaseLost(job.id);
    };
  }

  function clientFor(location: typeof locations.$inferSelect, job: OutboxJob): KeycafeClient {
    const conn = keycafeAccountOf(deps, location);
    if (!conn.ok) throw new PermanentError(`Location "${location.name}" has no Keycafe account connected any more`);
    return service().client(conn.account, 'job', { fence: fence(job) });
  }

  const userOf = (b: KeycafeBookingRow) => (b.recipientEmail ? { email: b.recipientEmail } : { mobile: b.recipientMobile!.replace(/^\+/, '') });

  /** The access an earlier attempt of ours created, if Keycafe has it (same key, recipient, period). */
  async function findExisting(client: KeycafeClient, access: AccessRow, booking: KeycafeBookingRow): Promise<KeycafeApiAccess | null> {
    const list = await client.listAccesses({ key: access.keyId });
    // Keycafe's user ID, once a create of this booking has returned one, identifies the visitor best.
    const [known] = await db
      .select({ userId: keycafeAccesses.keycafeUserId })
      .from(keycafeAccesses)
      .where(and(eq(keycafeAccesses.organizationId, access.organizationId), eq(keycafeAccesses.bookingId, booking.id), sql`${keycafeAccesses.keycafeUserId} is not null`))
      .limit(1);
    const target = { ...booking, keyId: access.keyId, keycafeUserId: known?.userId ?? null, startLocal: booking.startLocal ?? null, endLocal: booking.endLocal ?? null };
    const candidates = list.filter((a) => matchesBooking(a, target));
    if (candidates.length === 0) return null;
    // An access another of our bookings already owns is not this one's.
    const owned = await db
      .select({ id: keycafeAccesses.keycafeAccessId })
      .from(keycafeAccesses)
      .where(
        and(
          eq(keycafeAccesses.organizationId, access.organizationId),
          inArray(
            keycafeAccesses.keycafeAccessId,
            candidates.map((c) => c.id),
          ),
          ne(keycafeAccesses.id, access.id),
        ),
      );
    const taken = new Set(owned.map((o) => o.id));
    return candidates.find((c) => !taken.has(c.id)) ?? null;
  }

  function createBody(access: AccessRow, booking: KeycafeBookingRow): CreateAccessBody {
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

  async function lockAccess(tx: DbOrTx, job: OutboxJob): Promise<AccessRow | null> {
    const { accessId } = accessPayload.parse(job.payload);
    const [row] = await tx
      .select()
      .from(keycafeAccesses)
      .where(and(eq(keycafeAccesses.organizationId, job.organizationId), eq(keycafeAccesses.id, accessId)))
      .for('update');
    return row ?? null;
  }

  async function audit(tx: DbOrTx, access: AccessRow, action: string, after: Record<string, unknown>) {
    await recordAudit(tx, {
      organizationId: access.organizationId,
      actor: SYSTEM_ACTOR,
      action,
      entity: 'keycafe_booking',
      entityId: access.bookingId,
      before: { keyId: access.keyId, state: access.state },
      after: { keyId: access.keyId, ...after },
    });
  }

  const create: JobHandler<CreateResult> = {
    async run(job) {
      const ctx = await context(job);
      if (!ctx || (ctx.access.state !== 'pending' && ctx.access.state !== 'cancelling')) return { outcome: 'noop' };
      const { access, booking, location } = ctx;
      const client = clientFor(location, job);
      try {
        if (access.createSentAt) {
          const found = await findExisting(client, access, booking);
          if (found)
            return {
              outcome: 'created',
              keycafeAccessId: found.id,
              keycafeUserId: found.user?.id ?? null,
              bookingCode: found.bookingCode,
              checkinLink: found.checkinLink,
              adopted: true,
            };
        }
        if (access.desired === 'cancelled') return { outcome: 'skipped' };
        // Written once the POST is about to leave (token held, lease proven): from then on a retry must look first.
        const created = await client.createAccess(createBody(access, booking), {
          beforeSend: async () => void (await db.update(keycafeAccesses).set({ createSentAt: new Date() }).where(eq(keycafeAccesses.id, access.id))),
        });
        return {
          outcome: 'created',
          keycafeAccessId: created.id,
          keycafeUserId: created.user?.id ?? null,
          bookingCode: created.bookingCode,
          checkinLink: created.checkinLink,
          adopted: false,
        };
      } catch (err) {
        const mapped = toOutboxError(err, service().clock);
        if (mapped instanceof PermanentError) throw new PermanentError(reasonOf(err));
        throw mapped;
      }
    },
    async complete(tx, job, result) {
      if (result.outcome === 'noop') return;
      const access = await lockAccess(tx, job);
      if (!access) return;
      if (result.outcome !== 'created') {
        await tx.update(keycafeAccesses).set({ state: 'cancelled', updatedAt: new Date() }).where(eq(keycafeAccesses.id, access.id));
        await audit(tx, access, 'keycafe.access.cancelled', { state: 'cancelled', note: 'cancelled before Keycafe created it' });
      } else {
        const cancel = access.desired === 'cancelled';
        const state = cancel ? 'cancelling' : 'active';
        const fields = { keycafeAccessId: result.keycafeAccessId, bookingCode: result.bookingCode, checkinLink: result.checkinLink };
        await tx
          .update(keycafeAccesses)
          .set({ ...fields, keycafeUserId: result.keycafeUserId ?? null, state, reason: null, updatedAt: new Date() })
          .where(eq(keycafeAccesses.id, access.id));
        if (cancel) await enqueueDeleteAccess(tx, access);
        await audit(tx, access, 'keycafe.access.created', { state, ...fields, adopted: result.adopted });
      }
      await refreshBookingState(tx, access.organizationId, access.bookingId);
    },
    async fail(tx, job, reason) {
      const access = await lockAccess(tx, job);
      if (!access) return;
      if (access.desired === 'cancelled') {
        // Cancelled meanwhile: nothing to keep, but an attempt that reached Keycafe must be undone.
        const state = access.createSentAt ? 'cancelling' : 'cancelled';
        await tx.update(keycafeAccesses).set({ state, updatedAt: new Date() }).where(eq(keycafeAccesses.id, access.id));
        if (access.createSentAt) await enqueueDeleteAccess(tx, access);
        await audit(tx, access, state === 'cancelled' ? 'keycafe.access.cancelled' : 'keycafe.access.cancelling', { state, reason });
      } else {
        await tx.update(keycafeAccesses).set({ state: 'failed', reason, updatedAt: new Date() }).where(eq(keycafeAccesses.id, access.id));
        await audit(tx, access, 'keycafe.access.failed', { state: 'failed', reason });
      }
      await refreshBookingState(tx, access.organizationId, access.bookingId);
    },
  };

  const remove: JobHandler<DeleteResult> = {
    async run(job) {
      const ctx = await context(job);
      if (!ctx || ctx.access.state === 'cancelled') return { outcome: 'noop' };
      const { access, booking, location } = ctx;
      const client = clientFor(location, job);
      try {
        let id = access.keycafeAccessId;
        if (!id && access.createSentAt) id = (await findExisting(client, access, booking))?.id ?? null;
        if (id) await client.deleteAccess(id);
        return { outcome: 'cancelled', keycafeAccessId: id };
      } catch (err) {
        const mapped = toOutboxError(err, service().clock);
        if (mapped instanceof PermanentError) throw new PermanentError(reasonOf(err));
        throw mapped;
      }
    },
    async complete(tx, job, result) {
      if (result.outcome === 'noop') return;
      const access = await lockAccess(tx, job);
      if (!access) return;
      await tx
        .update(keycafeAccesses)
        .set({ state: 'cancelled', reason: null, keycafeAccessId: access.keycafeAccessId ?? result.keycafeAccessId, updatedAt: new Date() })
        .where(eq(keycafeAccesses.id, access.id));
      await audit(tx, access, 'keycafe.access.cancelled', { state: 'cancelled', keycafeAccessId: access.keycafeAccessId ?? result.keycafeAccessId });
      await refreshBookingState(tx, access.organizationId, access.bookingId);
    },
    async fail(tx, job, reason) {
      const access = await lockAccess(tx, job);
      if (!access) return;
      const why = `Cancelling on Keycafe failed: ${reason}`;
      await tx.update(keycafeAccesses).set({ state: 'failed', reason: why, updatedAt: new Date() }).where(eq(keycafeAccesses.id, access.id));
      await audit(tx, access, 'keycafe.access.failed', { state: 'failed', reason: why });
      await refreshBookingState(tx, access.organizationId, access.bookingId);
    },
  };

  async function nextSync(tx: DbOrTx, job: OutboxJob, locationId: string) {
    if (!(await hasLiveAllKeysBooking(tx, job.organizationId, locationId))) return;
    const s = service();
    await scheduleKeySync(tx, job.organizationId, locationId, new Date(Date.now() + s.clock.toRealMs(s.keySyncIntervalMs)));
  }

  const syncKeys: JobHandler<{ keys: KeycafeApiKey[]; accountEmail: string } | { outcome: 'noop' }> = {
    async run(job) {
      const { locationId } = syncPayload.parse(job.payload);
      const [location] = await db.select().from(locations).where(and(eq(locations.organizationId, job.organizationId), eq(locations.id, locationId)));
      if (!location || !(await hasLiveAllKeysBooking(db, job.organizationId, locationId))) return { outcome: 'noop' };
      try {
        return { keys: await clientFor(location, job).listKeys(), accountEmail: location.keycafe!.accountEmail };
      } catch (err) {
        throw toOutboxError(err, service().clock);
      }
    },
    async complete(tx, job, result) {
      const { locationId } = syncPayload.parse(job.payload);
      if ('keys' in result) {
        await storeKeys(tx, { organizationId: job.organizationId, locationId, accountEmail: result.accountEmail }, result.keys, SYSTEM_ACTOR);
        await grantNewKeysToAllKeysBookings(tx, job.organizationId, locationId, SYSTEM_ACTOR);
      }
      await nextSync(tx, job, locationId);
    },
    async fail(tx, job) {
      // A broken token today may be fixed tomorrow: keep the schedule.
      await nextSync(tx, job, syncPayload.parse(job.payload).locationId);
    },
  };

  return { [JOB_CREATE_ACCESS]: create, [JOB_DELETE_ACCESS]: remove, [JOB_SYNC_KEYS]: syncKeys };
}
