/**
 * Writes reconcile outcomes in the outbox's completion transaction: the grant row's state,
 * its history, the audit trail and the access-ready notice, a whole batch at a time.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppDeps } from '../env.ts';
import { recordAudit, recordAudits } from '../audit.ts';
import { bookings, tapkeyGrantEvents, tapkeyGrants, tapkeyNotices, units } from '../db/schema/index.ts';
import { enqueue, type DbOrTx, type OutboxJob } from '../outbox/outbox.ts';
import { tapkeySettings } from './config.ts';
import { RECONCILE_JOB, type GrantRow, type ReconcilePayload } from './grants.ts';
import { payloadSchema, samePair, type ReconcileResult } from './reconciler.ts';

async function addEvent(tx: DbOrTx, g: GrantRow, to: GrantRow['state'], actor: string, fields: { tapkeyGrantId?: string | null; reason?: string | null }) {
  await tx.insert(tapkeyGrantEvents).values({
    organizationId: g.organizationId,
    grantId: g.id,
    actor,
    fromState: g.state,
    toState: to,
    desired: g.desired,
    lockId: g.lockId,
    email: g.email,
    tapkeyGrantId: fields.tapkeyGrantId ?? g.tapkeyGrantId,
    reason: fields.reason ?? null,
  });
}

/** The grant rows, locked in id order, with their booking's external id and unit name (one statement). */
async function lockGrants(tx: DbOrTx, grantIds: string[]) {
  const rows = await tx
    .select({ grant: tapkeyGrants, bookingExternalId: bookings.externalId, unitName: units.name })
    .from(tapkeyGrants)
    .innerJoin(bookings, eq(bookings.id, tapkeyGrants.bookingId))
    .innerJoin(units, eq(units.id, bookings.unitId))
    .where(inArray(tapkeyGrants.id, grantIds))
    .orderBy(tapkeyGrants.id)
    .for('update', { of: tapkeyGrants });
  return new Map(rows.map((r) => [r.grant.id, r]));
}
export const lockGrant = async (tx: DbOrTx, grantId: string) => (await lockGrants(tx, [grantId])).get(grantId);
export type LockedGrant = NonNullable<Awaited<ReturnType<typeof lockGrant>>>;

const ACTOR = `system:${RECONCILE_JOB}`;

/**
 * A grant's move to `to` in its history and in the audit trail (`tapkey_grant.<to>`); the
 * caller has updated the row. `reason` is the history's; `before`/`after` are the audit's.
 */
export async function recordTransition(tx: DbOrTx, locked: LockedGrant, to: 'revoking' | 'revoked' | 'failed', reason: string | null, before: Record<string, unknown>, after: Record<string, unknown>) {
  const { grant: g, bookingExternalId } = locked;
  await addEvent(tx, g, to, ACTOR, { reason });
  await recordAudit(tx, { organizationId: g.organizationId, actor: ACTOR, action: `tapkey_grant.${to}`, entity: 'tapkey_grant', entityId: bookingExternalId, before, after });
}

/** One outcome, its grant row already locked (the path for everything but a plain "granted"). */
async function completeLocked(tx: DbOrTx, deps: AppDeps, p: z.infer<typeof payloadSchema>, result: Exclude<ReconcileResult, { skipped: unknown }>, locked: LockedGrant) {
  const { grant: g, bookingExternalId, unitName } = locked;
  // The (lock, email) pairs still to watch once this job's clean-up is done.
  const stillTouched = g.touched.filter((t) => !result.cleaned.some((c) => samePair(c, t)));
  if (g.generation !== p.generation) {
    // Superseded while we ran: keep what we may have created on the books for the newer job.
    if (result.action === 'granted' && result.created) {
      await tx.update(tapkeyGrants).set({ generation: g.generation + 1, updatedAt: sql`now()` }).where(eq(tapkeyGrants.id, g.id));
      await enqueue(tx, {
        organizationId: g.organizationId,
        kind: RECONCILE_JOB,
        idempotencyKey: `${RECONCILE_JOB}:${g.id}:${g.generation + 1}`,
        payload: { grantId: g.id, generation: g.generation + 1 } satisfies ReconcilePayload,
      });
    }
    return;
  }
  if (result.action === 'granted') {
    await recordGranted(tx, [{ g, result, bookingExternalId, unitName }]);
  } else if (result.revoking.length > 0) {
    // Tapkey accepted the revoke and is carrying it out: shown as its own state, checked again later.
    const check = (p.check ?? 0) + 1;
    const waitMs = Math.min(tapkeySettings(deps).revokeCheckMs * 2 ** (check - 1), 60 * 60_000);
    await tx.update(tapkeyGrants).set({ state: 'revoking', touched: stillTouched, updatedAt: sql`now()` }).where(eq(tapkeyGrants.id, g.id));
    if (g.state !== 'revoking') {
      await recordTransition(tx, locked, 'revoking', g.reason, { state: g.state, tapkeyGrantId: g.tapkeyGrantId }, { state: 'revoking', reason: g.reason, revokingInTapkey: result.revoking });
    }
    await enqueue(tx, {
      organizationId: g.organizationId,
      kind: RECONCILE_JOB,
      idempotencyKey: `${RECONCILE_JOB}:${g.id}:${g.generation}:check:${check}`,
      payload: { grantId: g.id, generation: g.generation, check } satisfies ReconcilePayload,
      runAt: new Date(Date.now() + waitMs),
    });
  } else {
    await tx.update(tapkeyGrants).set({ state: 'revoked', touched: stillTouched, updatedAt: sql`now()` }).where(eq(tapkeyGrants.id, g.id));
    await recordTransition(tx, locked, 'revoked', g.reason, { state: g.state, tapkeyGrantId: g.tapkeyGrantId }, { state: 'revoked', reason: g.reason, revokedInTapkey: result.revoked });
  }
}

/**
 * Records reconcile outcomes. The common one — a grant found or created for the current
 * generation — is written in bulk (one update, one insert each for history, audit and
 * notices); every other outcome, and a grant that appears twice, goes through completeLocked.
 */
export async function completeReconciles(tx: DbOrTx, deps: AppDeps, items: { job: OutboxJob; result: ReconcileResult }[]) {
  const todo = items.flatMap(({ job, result }) => ('skipped' in result ? [] : [{ p: payloadSchema.parse(job.payload), result }]));
  if (todo.length === 0) return;
  const locked = await lockGrants(tx, [...new Set(todo.map((t) => t.p.grantId))]);
  const seen = new Map<string, number>();
  for (const t of todo) seen.set(t.p.grantId, (seen.get(t.p.grantId) ?? 0) + 1);
  const granted: Granted[] = [];
  for (const { p, result } of todo) {
    const l = locked.get(p.grantId);
    if (!l) continue;
    if (result.action === 'granted' && l.grant.generation === p.generation && seen.get(p.grantId) === 1) granted.push({ g: l.grant, result, bookingExternalId: l.bookingExternalId, unitName: l.unitName });
    else await completeLocked(tx, deps, p, result, (await lockGrant(tx, p.grantId)) ?? l);
  }
  if (granted.length > 0) await recordGranted(tx, granted);
}

type Granted = { g: GrantRow; result: Extract<ReconcileResult, { action: 'granted' }>; bookingExternalId: string; unitName: string };

/**
 * Grants found or created for their current generation, rows already locked: one update, then
 * one insert each for history, audit and notices for those that changed.
 */
async function recordGranted(tx: DbOrTx, granted: Granted[]) {
  const touchedAfter = ({ g, result }: Granted) => {
    const target = { lockId: g.lockId, email: g.email };
    const rest = g.touched.filter((t) => !result.cleaned.some((c) => samePair(c, t)));
    return rest.some((t) => samePair(t, target)) ? rest : [...rest, target];
  };
  const values = granted.map((x) => sql`(${x.g.id}::uuid, ${x.result.tapkeyGrantId}, ${JSON.stringify(touchedAfter(x))}::jsonb)`);
  await tx.execute(sql`
    update tapkey_grants as t set state = 'active', reason = null, tapkey_grant_id = v.tapkey_grant_id, touched = v.touched, updated_at = now()
    from (values ${sql.join(values, sql`, `)}) as v(id, tapkey_grant_id, touched)
    where t.id = v.id`);
  // Already active with this very grant: a re-check that changed nothing leaves no trace.
  const changed = granted.filter(({ g, result }) => g.state !== 'active' || g.tapkeyGrantId !== result.tapkeyGrantId);
  if (changed.length === 0) return;
  await tx.insert(tapkeyGrantEvents).values(
    changed.map(({ g, result }) => ({
      organizationId: g.organizationId,
      grantId: g.id,
      actor: ACTOR,
      fromState: g.state,
      toState: 'active' as const,
      desired: g.desired,
      lockId: g.lockId,
      email: g.email,
      tapkeyGrantId: result.tapkeyGrantId,
      reason: result.created ? 'created in Tapkey' : 'found in Tapkey',
    })),
  );
  await recordAudits(
    tx,
    changed.map(({ g, result, bookingExternalId }) => ({
      organizationId: g.organizationId,
      actor: ACTOR,
      action: 'tapkey_grant.activated',
      entity: 'tapkey_grant',
      entityId: bookingExternalId,
      before: { state: g.state, tapkeyGrantId: g.tapkeyGrantId },
      after: { state: 'active', tapkeyGrantId: result.tapkeyGrantId, lockId: g.lockId, email: g.email, created: result.created, revokedOthers: result.revoked },
    })),
  );
  await tx
    .insert(tapkeyNotices)
    .values(
      changed.map(({ g, result, unitName }) => ({
        organizationId: g.organizationId,
        bookingId: g.bookingId,
        grantId: g.id,
        kind: 'access_ready' as const,
        email: g.email,
        lockId: g.lockId,
        unitName,
        tapkeyGrantId: result.tapkeyGrantId,
        validFrom: g.validFrom,
        validBefore: g.validBefore,
      })),
    )
    .onConflictDoNothing();
}
