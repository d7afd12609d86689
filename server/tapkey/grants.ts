/**
 * Bookings → wanted Tapkey grants. Every path that can change a booking's access (booking PUT,
 * revoke/restore, mapping change, the move-in scheduler, a full sync run) loads the facts,
 * decides with the pure rule (access.ts) and applies the changes in the caller's transaction:
 * the grant row, its history, the audit event, the next trigger and the outbox job land
 * together, so nothing is half-written. The Tapkey calls happen later, in reconcile.ts.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { recordAudits } from '../audit.ts';
import { bookings, locations, mappings, outboxJobs, tapkeyGrantEvents, tapkeyGrants, tapkeyTriggers, units } from '../db/schema/index.ts';
import type { DbOrTx } from '../outbox/outbox.ts';
import type { LocationRow } from '../resources.ts';
import { desiredAccess, type AccessStatus, type Desired } from './access.ts';

export const RECONCILE_JOB = 'tapkey.grant.reconcile';
export interface ReconcilePayload {
  grantId: string;
  generation: number;
  runId?: string;
  /** A follow-up look at a revocation Tapkey is still carrying out. */
  check?: number;
}

export type BookingRow = typeof bookings.$inferSelect;
export type GrantRow = typeof tapkeyGrants.$inferSelect;
type UnitRow = typeof units.$inferSelect;

export interface Facts {
  booking: BookingRow;
  unit: UnitRow;
  location: LocationRow | null;
  lockId: string | null;
  grant: GrantRow | null;
}

export interface EvalContext {
  organizationId: string;
  actor: string;
  now: Date;
  /** Re-check with Tapkey even when nothing changed (a full sync run; a retry after failure). */
  force?: boolean;
  runId?: string;
}

/**
 * Loads bookings with their unit, location, mapped lock and grant row. With `lock`, the
 * bookings are locked first and read in a second statement: under READ COMMITTED a statement
 * that waited for a lock still sees its old snapshot of the joined rows (a grant row another
 * transaction just inserted), the next statement sees them.
 */
export async function loadFacts(tx: DbOrTx, organizationId: string, where: SQL, opts: { lock?: boolean } = { lock: true }): Promise<Facts[]> {
  const scope = and(eq(bookings.organizationId, organizationId), where);
  if (opts.lock) {
    const locked = await tx
      .select({ id: bookings.id })
      .from(bookings)
      .innerJoin(units, eq(units.id, bookings.unitId))
      .where(scope)
      .orderBy(bookings.externalId)
      // NO KEY UPDATE: foreign-key checks of concurrent job completions (notices, events) take
      // KEY SHARE on the booking and must not wait for a long sync transaction (deadlock).
      .for('no key update', { of: bookings });
    // Nothing matched: the second read would find nothing either (a booking inserted meanwhile
    // is evaluated by the transaction that inserts it).
    if (locked.length === 0) return [];
  }
  return tx
    .select({ booking: bookings, unit: units, location: locations, lockId: mappings.lockId, grant: tapkeyGrants })
    .from(bookings)
    .innerJoin(units, eq(units.id, bookings.unitId))
    .leftJoin(locations, eq(locations.id, units.locationId))
    .leftJoin(mappings, and(eq(mappings.organizationId, units.organizationId), eq(mappings.unitId, units.id)))
    .leftJoin(tapkeyGrants, eq(tapkeyGrants.bookingId, bookings.id))
    .where(scope)
    .orderBy(bookings.externalId);
}

export function desiredFor(f: Facts, now: Date): Desired {
  return desiredAccess({
    booking: f.booking,
    location: f.location ? { timeZone: f.location.timeZone, tapkey: f.location.tapkey ?? null } : null,
    lockId: f.lockId,
    now,
  });
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

const statusText: Record<Exclude<AccessStatus, 'wanted'>, string> = {
  no_email: 'the booking has no tenant email',
  unit_without_location: "the unit belongs to no location",
  location_not_connected: "the unit's location is not connected to Tapkey",
  unit_not_mapped: 'the unit is not mapped to a Tapkey lock',
  sync_off: 'sync is off for this booking (gradual mode)',
  revoked_manually: 'access was revoked by hand',
  booking_inactive: 'the booking ended or was cancelled',
  moved_out: 'the move-out date has passed',
  waiting_for_move_in: 'waiting for the move-in date',
  invalid_dates: 'the move-in or move-out date is not a real calendar date',
};
export const describeStatus = (s: Exclude<AccessStatus, 'wanted'>) => statusText[s];

interface Plan {
  facts: Facts;
  desired: Desired;
  /**
   * The grant row after the change (insert or update), or null for no grant change. `quiet`: a
   * forced re-check of an active grant, queued without history or audit (nothing changed).
   */
  grant: { insert: boolean; values: GrantRow; event: { from: GrantRow['state'] | null; reason: string | null }; action: string; quiet?: boolean } | null;
  trigger: { kind: 'move_in' | 'move_out'; dueAt: Date } | null;
}

/** What should change for one booking; pure apart from the fresh ids and generation. */
export function plan(f: Facts, ctx: EvalContext): Plan {
  const d = desiredFor(f, ctx.now);
  const g = f.grant;
  const trigger =
    !d.want && d.status === 'waiting_for_move_in' && d.recheckAt
      ? { kind: 'move_in' as const, dueAt: d.recheckAt }
      : d.want && d.validBefore
        ? { kind: 'move_out' as const, dueAt: d.validBefore }
        : null;
  const base = { facts: f, desired: d, trigger };
  // Row timestamps are wall-clock time; ctx.now (a test clock) only drives the access rule.
  const now = new Date();
  if (d.want) {
    const same = g && g.desired === 'active' && g.lockId === d.lockId && g.email === d.email && sameTime(g.validFrom, d.validFrom) && sameTime(g.validBefore, d.validBefore);
    if (same && !ctx.force && g.state !== 'failed') return { ...base, grant: null };
    const reason = !g
      ? null
      : g.desired !== 'active'
        ? 'access restored'
        : g.lockId !== d.lockId
          ? `moved from lock ${g.lockId} to ${d.lockId}`
          : g.email !== d.email
            ? `tenant email changed from ${g.email}`
            : !same
              ? 'validity changed'
              : g.state === 'failed'
                ? 'retry after failure'
                : 'checked again with Tapkey';
    // A sync run re-checking an active grant: it stays active while Tapkey is asked.
    const verifyOnly = Boolean(same && g.state === 'active');
    const values: GrantRow = {
      id: g?.id ?? crypto.randomUUID(),
      organizationId: ctx.organizationId,
      bookingId: f.booking.id,
      locationId: f.location!.id,
      lockId: d.lockId,
      email: d.email,
      desired: 'active',
      state: verifyOnly ? 'active' : 'pending',
      reason: null,
      tapkeyGrantId: g?.tapkeyGrantId ?? null,
      validFrom: d.validFrom,
      validBefore: d.validBefore,
      generation: (g?.generation ?? 0) + 1,
      touched: g?.touched ?? [],
      createdAt: g?.createdAt ?? now,
      updatedAt: now,
    };
    return { ...base, grant: { insert: !g, values, event: { from: g?.state ?? null, reason }, action: g ? 'tapkey_grant.changed' : 'tapkey_grant.requested', quiet: verifyOnly } };
  }
  if (!g) return { ...base, grant: null };
  const revokeNow = g.desired === 'active';
  // Already revoked (or revoking): only a failed revoke is retried, on a forced evaluation.
  if (!revokeNow && !(g.state === 'failed' && ctx.force)) return { ...base, grant: null };
  const reason = describeStatus(d.status);
  const values: GrantRow = { ...g, desired: 'revoked', state: 'pending', reason, generation: g.generation + 1, updatedAt: now };
  return { ...base, grant: { insert: false, values, event: { from: g.state, reason }, action: 'tapkey_grant.revoke_requested' } };
}

const grantSnapshot = (g: GrantRow) => ({
  lockId: g.lockId,
  email: g.email,
  desired: g.desired,
  state: g.state,
  reason: g.reason,
  tapkeyGrantId: g.tapkeyGrantId,
  validFrom: g.validFrom,
  validBefore: g.validBefore,
});

const chunk = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/**
 * Writes the plans: grant rows, history, audit, triggers and one reconcile job per changed
 * grant (idempotency key = grant + generation). Bulk statements, so a sync run over 10,000
 * bookings is a few hundred statements, not tens of thousands. Returns the jobs enqueued.
 */
export async function applyPlans(tx: DbOrTx, ctx: EvalContext, plans: Plan[]): Promise<number> {
  const changed = plans.filter((p) => p.grant);
  for (const part of chunk(changed, 300)) {
    const inserts = part.filter((p) => p.grant!.insert).map((p) => p.grant!.values);
    if (inserts.length) await tx.insert(tapkeyGrants).values(inserts);
    for (const p of part.filter((p) => !p.grant!.insert)) {
      const v = p.grant!.values;
      await tx
        .update(tapkeyGrants)
        .set({ locationId: v.locationId, lockId: v.lockId, email: v.email, desired: v.desired, state: v.state, reason: v.reason, validFrom: v.validFrom, validBefore: v.validBefore, generation: v.generation, updatedAt: v.updatedAt })
        .where(eq(tapkeyGrants.id, v.id));
    }
    const noted = part.filter((p) => !p.grant!.quiet);
    if (noted.length)
      await tx.insert(tapkeyGrantEvents).values(
        noted.map((p) => {
          const v = p.grant!.values;
          return { organizationId: ctx.organizationId, grantId: v.id, actor: ctx.actor, fromState: p.grant!.event.from, toState: v.state, desired: v.desired, lockId: v.lockId, email: v.email, tapkeyGrantId: v.tapkeyGrantId, reason: p.grant!.event.reason };
        }),
      );
    if (noted.length)
      await recordAudits(
        tx,
        noted.map((p) => ({
          organizationId: ctx.organizationId,
          actor: ctx.actor,
          action: p.grant!.action,
          entity: 'tapkey_grant',
          entityId: p.facts.booking.externalId,
          before: p.facts.grant ? grantSnapshot(p.facts.grant) : null,
          after: grantSnapshot(p.grant!.values),
        })),
      );
    // Direct bulk insert with the same columns and conflict rule as enqueue() (one key per generation).
    await tx
      .insert(outboxJobs)
      .values(
        part.map((p) => ({
          organizationId: ctx.organizationId,
          kind: RECONCILE_JOB,
          idempotencyKey: `${RECONCILE_JOB}:${p.grant!.values.id}:${p.grant!.values.generation}`,
          payload: { grantId: p.grant!.values.id, generation: p.grant!.values.generation, ...(ctx.runId ? { runId: ctx.runId } : {}) } satisfies ReconcilePayload,
        })),
      )
      .onConflictDoNothing({ target: [outboxJobs.organizationId, outboxJobs.idempotencyKey] });
  }
  const triggers = plans.filter((p) => p.trigger);
  for (const part of chunk(triggers, 500)) {
    await tx
      .insert(tapkeyTriggers)
      .values(part.map((p) => ({ organizationId: ctx.organizationId, bookingId: p.facts.booking.id, kind: p.trigger!.kind, dueAt: p.trigger!.dueAt })))
      .onConflictDoUpdate({
        target: [tapkeyTriggers.bookingId, tapkeyTriggers.kind],
        set: { dueAt: sql`excluded.due_at`, firedAt: null },
        // A trigger that already fired for this very time must not fire again.
        setWhere: sql`${tapkeyTriggers.dueAt} is distinct from excluded.due_at`,
      });
  }
  return changed.length;
}

/** Evaluates the bookings matching `where` and applies the changes; returns the jobs queued. */
export async function evaluateBookings(tx: DbOrTx, ctx: EvalContext, where: SQL): Promise<{ facts: Facts[]; plans: Plan[]; enqueued: number }> {
  const facts = await loadFacts(tx, ctx.organizationId, where);
  const plans = facts.map((f) => plan(f, ctx));
  const enqueued = await applyPlans(tx, ctx, plans);
  return { facts, plans, enqueued };
}

/**
 * Call inside the transaction that changed a mapping (created, replaced, moved or deleted),
 * with every unit whose mapped lock changed: their bookings' grants move or are revoked.
 */
export async function onMappingChanged(tx: DbOrTx, change: { organizationId: string; actor: string; unitIds: string[]; now?: Date }): Promise<number> {
  const unitIds = [...new Set(change.unitIds)];
  if (unitIds.length === 0) return 0;
  // One uuid[] parameter, not one per unit: a 10,000-row mapping import moves 10,000 units.
  const where = sql`${bookings.unitId} = any(${`{${unitIds.join(',')}}`}::uuid[])`;
  const { enqueued } = await evaluateBookings(tx, { organizationId: change.organizationId, actor: change.actor, now: change.now ?? new Date() }, where);
  return enqueued;
}
