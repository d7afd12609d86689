/**
 * What the Keycafe outbox handlers share: the job's access with its booking and location, a
 * Keycafe client fenced on the job's lease, the access row locked for the completion, the
 * audit event of a key's change, and the outbox error a Keycafe failure becomes.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import type { Db } from '../db/client.ts';
import { keycafeAccesses, keycafeBookings, locations, outboxJobs } from '../db/schema/index.ts';
import { PermanentError, type DbOrTx, type OutboxJob } from '../outbox/outbox.ts';
import { SYSTEM_ACTOR, type AccessRow } from './bookings.ts';
import type { KeycafeClient } from './client.ts';
import { keycafeAccountOf } from './connection.ts';
import { mapFieldErrors, KeycafeError, toOutboxError } from './errors.ts';
import type { KeycafeService } from './service.ts';

/** What the handlers need from the process: the database, the secret key, the Keycafe service. */
export interface KeycafeJobContext {
  db: Db;
  secretKey: Buffer;
  /** Read when a job runs (the host may set its service after building the handlers). */
  service: () => KeycafeService;
}

/** The job was taken over by another worker (its lease ran out): this run must not call Keycafe. */
export class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`outbox job ${jobId} is no longer ours (lease taken over); not calling Keycafe`);
  }
}

const accessPayload = z.object({ accessId: z.string().uuid() });

/** Keycafe's field errors, in our field paths, for a job's visible failure reason. */
function reasonOf(err: unknown): string {
  if (err instanceof KeycafeError && err.opts.fieldErrors?.length) {
    const fields = mapFieldErrors(err.opts.fieldErrors).map((f) => `${f.path}: ${f.message}`);
    return `Keycafe: ${err.message} (${fields.join('; ')})`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** A failed access call → the outbox's error; a permanent one carries Keycafe's field errors. */
export function accessJobError(ctx: KeycafeJobContext, err: unknown): Error {
  const mapped = toOutboxError(err, ctx.service().clock);
  return mapped instanceof PermanentError ? new PermanentError(reasonOf(err)) : mapped;
}

export async function accessJobTarget(ctx: KeycafeJobContext, job: OutboxJob) {
  const { accessId } = accessPayload.parse(job.payload);
  const [row] = await ctx.db
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
function fence(ctx: KeycafeJobContext, job: OutboxJob) {
  return async () => {
    if (!job.lease) return;
    const ms = ctx.service().callBudgetMs;
    const rows = await ctx.db
      .update(outboxJobs)
      .set({ lockedUntil: sql`greatest(${outboxJobs.lockedUntil}, now() + ${ms} * interval '1 millisecond')` })
      .where(and(eq(outboxJobs.id, job.id), eq(outboxJobs.lease, job.lease), eq(outboxJobs.state, 'running')))
      .returning({ id: outboxJobs.id });
    if (rows.length === 0) throw new LeaseLost(job.id);
  };
}

export function jobClientFor(ctx: KeycafeJobContext, location: typeof locations.$inferSelect, job: OutboxJob): KeycafeClient {
  const conn = keycafeAccountOf(ctx, location);
  if (!conn.ok) throw new PermanentError(`Location "${location.name}" has no Keycafe account connected any more`);
  return ctx.service().client(conn.account, 'job', { fence: fence(ctx, job) });
}

export async function lockAccess(tx: DbOrTx, job: OutboxJob): Promise<AccessRow | null> {
  const { accessId } = accessPayload.parse(job.payload);
  const [row] = await tx
    .select()
    .from(keycafeAccesses)
    .where(and(eq(keycafeAccesses.organizationId, job.organizationId), eq(keycafeAccesses.id, accessId)))
    .for('update');
  return row ?? null;
}

export async function auditAccess(tx: DbOrTx, access: AccessRow, action: string, after: Record<string, unknown>) {
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
