/**
 * Outbox handlers of the Keycafe area. Each access is created and cancelled by its own job
 * (idempotency key per access), so a multi-key booking survives a crash key by key:
 *  - create: if an earlier attempt may have reached Keycafe (`createSentAt` set), it first asks
 *    Keycafe for the key's accesses (GET /v0/access?key=, the documented filter) and adopts the
 *    one with the same recipient and period (match.ts) instead of creating a second one;
 *    otherwise it records `createSentAt`, then POSTs.
 *  - every Keycafe call of a job is fenced on the job's current lease (job-tools.ts): the call
 *    leaves only while the job is still this worker's, and the lease is extended past the
 *    call's timeout, so no second worker can take the job over while a call may be answered.
 *  - delete: cancels the Keycafe access (looking it up the same way if its id never came back).
 *  - key sync: refreshes the key cache and grants new keys to "apply to all keys" bookings,
 *    then schedules itself again while such a booking is live.
 */
import type { AppDeps } from '../env.ts';
import type { JobHandler } from '../outbox/outbox.ts';
import { JOB_CREATE_ACCESS, JOB_DELETE_ACCESS, JOB_SYNC_KEYS } from './bookings.ts';
import { keycafeServiceOf } from './connection.ts';
import { createAccessJob } from './job-create-access.ts';
import { deleteAccessJob } from './job-delete-access.ts';
import { syncKeysJob } from './job-sync-keys.ts';



export function keycafeJobHandlers(deps: AppDeps): Record<string, JobHandler<any>> {
  const ctx = { db: deps.database.db, secretKey: deps.secretKey, service: () => keycafeServiceOf(deps) };
  return { [JOB_CREATE_ACCESS]: createAccessJob(ctx), [JOB_DELETE_ACCESS]: deleteAccessJob(ctx), [JOB_SYNC_KEYS]: syncKeysJob(ctx) };
}
