/**
 * The one place that writes bookings, shared by PUT/PATCH, the batch intake (list capture,
 * webhook) and the bookings file import, so every path applies the same rules and leaves the
 * same audit trail: idempotent by the manager's booking id; a full replace needs the state; an
 * ended or cancelled booking is made active again only by an explicit restore; and each change
 * re-evaluates the booking's Tapkey access in the same transaction (server/tapkey/grants.ts).
 * Planning is pure (a file import's dry run and its apply agree), then applied in bulk.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { BookingIntakeResult } from '../../lib/contract.ts';
import { recordAudits, type AuditInput } from '../audit.ts';
import { bookings, units } from '../db/schema/index.ts';
import type { Db } from '../db/client.ts';
import type { DbOrTx } from '../outbox/outbox.ts';
import { evaluateBookings, type BookingRow } from '../tapkey/grants.ts';

type State = BookingRow['state'];
export type IntakeSource = 'list' | 'page' | 'file' | 'webhook' | 'api';

/** What a caller reports about one booking; an absent field keeps the stored value. */
export interface BookingWrite {
  externalId: string;
  unitExternalId?: string;
  tenantEmail?: string | null;
  tenantPhone?: string | null;
  moveIn?: string;
  moveOut?: string | null;
  /** ISO date-time. */
  bookedAt?: string | null;
  state?: State;
  syncEnabled?: boolean | null;
}

type UnitRow = typeof units.$inferSelect;

export type WritePlan =
  | { externalId: string; outcome: 'created'; values: typeof bookings.$inferInsert }
  | { externalId: string; outcome: 'changed'; before: BookingRow; set: Partial<BookingRow> }
  | { externalId: string; outcome: 'unchanged'; before: BookingRow }
  | { externalId: string; outcome: 'refused'; code: 'unknown_unit' | 'other_location' | 'restore_needed' | 'invalid' | 'duplicate' | 'not_found'; field?: string; message: string };

export interface PlanOptions {
  organizationId: string;
  /** Create a booking the caller reports for the first time (PATCH: no). */
  create: boolean;
  /** Only units of this location (webhook, file import of a location). */
  locationId?: string;
}

const inactive = (s: State) => s === 'ended' || s === 'cancelled';
const compared = ['unitId', 'tenantEmail', 'tenantPhone', 'moveIn', 'moveOut', 'bookedAt', 'state', 'syncEnabled'] as const;
const sameValue = (a: unknown, b: unknown) => (a instanceof Date || b instanceof Date ? (a as Date | null)?.getTime() === (b as Date | null)?.getTime() : a === b);

/** What writing `w` would do, given the stored booking (if any) and the organization's units by external id. */
export function planWrite(w: BookingWrite, before: BookingRow | undefined, unitsById: Map<string, UnitRow>, opts: PlanOptions): WritePlan {
  const externalId = w.externalId;
  let unit: UnitRow | undefined;
  if (w.unitExternalId !== undefined) {
    unit = unitsById.get(w.unitExternalId);
    if (!unit)
      return { externalId, outcome: 'refused', code: 'unknown_unit', field: 'unitExternalId', message: `No unit ${w.unitExternalId}: create it first with PUT /v1/units/{externalId}` };
    if (opts.locationId && unit.locationId !== opts.locationId)
      return { externalId, outcome: 'refused', code: 'other_location', field: 'unitExternalId', message: `Unit ${w.unitExternalId} does not belong to this location` };
  }
  const bookedAt = w.bookedAt === undefined ? undefined : w.bookedAt === null ? null : new Date(w.bookedAt);
  if (!before) {
    if (!opts.create) return { externalId, outcome: 'refused', code: 'not_found', message: `Booking ${externalId} not found` };
    if (!unit) return { externalId, outcome: 'refused', code: 'invalid', field: 'unitExternalId', message: 'Required for a new booking' };
    if (!w.moveIn) return { externalId, outcome: 'refused', code: 'invalid', field: 'moveIn', message: 'Required for a new booking' };
    if (w.moveOut && w.moveOut < w.moveIn) return { externalId, outcome: 'refused', code: 'invalid', field: 'moveOut', message: 'Move-out must not be before move-in' };
    return {
      externalId,
      outcome: 'created',
      values: {
        organizationId: opts.organizationId,
        externalId,
        unitId: unit.id,
        tenantEmail: w.tenantEmail ?? null,
        tenantPhone: w.tenantPhone ?? null,
        moveIn: w.moveIn,
        moveOut: w.moveOut ?? null,
        bookedAt: bookedAt ?? null,
        state: w.state ?? 'active',
        syncEnabled: w.syncEnabled ?? null,
      },
    };
  }
  const next: Pick<BookingRow, (typeof compared)[number]> = {
    unitId: unit?.id ?? before.unitId,
    tenantEmail: w.tenantEmail === undefined ? before.tenantEmail : w.tenantEmail,
    tenantPhone: w.tenantPhone === undefined ? before.tenantPhone : w.tenantPhone,
    moveIn: w.moveIn ?? before.moveIn,
    moveOut: w.moveOut === undefined ? before.moveOut : w.moveOut,
    bookedAt: bookedAt === undefined ? before.bookedAt : bookedAt,
    state: w.state ?? before.state,
    syncEnabled: w.syncEnabled === undefined ? before.syncEnabled : w.syncEnabled,
  };
  if (inactive(before.state) && !inactive(next.state))
    return {
      externalId,
      outcome: 'refused',
      code: 'restore_needed',
      field: 'state',
      message: `Booking ${externalId} is ${before.state}: it becomes ${next.state} again only by POST /v1/bookings/${externalId}/restore`,
    };
  if (next.moveOut && next.moveOut < next.moveIn) return { externalId, outcome: 'refused', code: 'invalid', field: 'moveOut', message: 'Move-out must not be before move-in' };
  const set: Partial<BookingRow> = {};
  for (const k of compared) if (!sameValue(next[k], before[k])) (set as Record<string, unknown>)[k] = next[k];
  return Object.keys(set).length ? { externalId, outcome: 'changed', before, set } : { externalId, outcome: 'unchanged', before };
}

export const snapshot = (b: Pick<BookingRow, 'unitId' | 'tenantEmail' | 'tenantPhone' | 'moveIn' | 'moveOut' | 'state' | 'syncEnabled' | 'accessRevoked' | 'bookedAt'>) => ({
  unitId: b.unitId,
  tenantEmail: b.tenantEmail,
  tenantPhone: b.tenantPhone,
  moveIn: b.moveIn,
  moveOut: b.moveOut,
  state: b.state,
  syncEnabled: b.syncEnabled,
  accessRevoked: b.accessRevoked,
  bookedAt: b.bookedAt ?? null,
});

const CHUNK = 500;
const chunks = <T>(items: T[], size = CHUNK) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Plans every write against the stored bookings, locking them (no key update) for the caller's transaction. */
export async function planWrites(tx: DbOrTx, writes: BookingWrite[], opts: PlanOptions & { lock?: boolean }): Promise<WritePlan[]> {
  const unitIds = [...new Set(writes.map((w) => w.unitExternalId).filter((u): u is string => u !== undefined))];
  const unitsById = new Map<string, UnitRow>();
  for (const part of chunks(unitIds, 1000))
    for (const u of await tx.select().from(units).where(and(eq(units.organizationId, opts.organizationId), inArray(units.externalId, part)))) unitsById.set(u.externalId, u);
  const existing = new Map<string, BookingRow>();
  const ids = [...new Set(writes.map((w) => w.externalId))].sort();
  for (const part of chunks(ids, 1000)) {
    const q = tx.select().from(bookings).where(and(eq(bookings.organizationId, opts.organizationId), inArray(bookings.externalId, part))).orderBy(bookings.externalId);
    for (const b of await (opts.lock === false ? q : q.for('no key update'))) existing.set(b.externalId, b);
  }
  const seen = new Set<string>();
  return writes.map((w) => {
    if (seen.has(w.externalId)) return { externalId: w.externalId, outcome: 'refused', code: 'duplicate', message: `Booking ${w.externalId} appears more than once` };
    seen.add(w.externalId);
    return planWrite(w, existing.get(w.externalId), unitsById, opts);
  });
}

export interface WriteContext {
  organizationId: string;
  actor: string;
  now: Date;
  source: IntakeSource;
}

export interface AppliedWrites {
  plans: WritePlan[];
  result: BookingIntakeResult;
}

export function summarize(plans: WritePlan[]): BookingIntakeResult {
  const n = (o: WritePlan['outcome']) => plans.filter((p) => p.outcome === o).length;
  return {
    total: plans.length,
    created: n('created'),
    changed: n('changed'),
    unchanged: n('unchanged'),
    refused: plans.flatMap((p) => (p.outcome === 'refused' ? [{ externalId: p.externalId, code: p.code, field: p.field ?? null, message: p.message }] : [])),
  };
}

/**
 * Applies planned writes in the caller's transaction: inserts, updates, "last seen" for every
 * booking reported (stale detection), audit events, and the access re-evaluation of the
 * bookings that changed. Refused plans write nothing.
 */
export async function applyWrites(tx: DbOrTx, ctx: WriteContext, plans: WritePlan[]): Promise<BookingIntakeResult> {
  const audits: AuditInput[] = [];
  const touchedIds: string[] = [];
  const seenIds: string[] = [];
  const creates = plans.filter((p): p is Extract<WritePlan, { outcome: 'created' }> => p.outcome === 'created');
  for (const part of chunks(creates)) {
    const rows = await tx
      .insert(bookings)
      .values(part.map((p) => ({ ...p.values, lastSeenVia: ctx.source })))
      .onConflictDoNothing()
      .returning();
    // Another transaction created one of them first: planned again by the caller's retry.
    if (rows.length !== part.length) throw new ConcurrentCreate();
    for (const r of rows) {
      touchedIds.push(r.id);
      audits.push({ organizationId: ctx.organizationId, actor: ctx.actor, action: 'booking.created', entity: 'booking', entityId: r.externalId, after: { ...snapshot(r), source: ctx.source } });
    }
  }
  for (const p of plans) {
    if (p.outcome === 'changed') {
      const [row] = (await tx
        .update(bookings)
        .set({ ...p.set, lastSeenAt: sql`now()`, lastSeenVia: ctx.source, updatedAt: sql`now()` })
        .where(eq(bookings.id, p.before.id))
        .returning()) as [BookingRow];
      touchedIds.push(row.id);
      audits.push({ organizationId: ctx.organizationId, actor: ctx.actor, action: 'booking.updated', entity: 'booking', entityId: p.externalId, before: snapshot(p.before), after: { ...snapshot(row), source: ctx.source } });
    } else if (p.outcome === 'unchanged') seenIds.push(p.before.id);
  }
  for (const part of chunks(seenIds, 1000)) await tx.update(bookings).set({ lastSeenAt: sql`now()`, lastSeenVia: ctx.source }).where(inArray(bookings.id, part));
  for (const part of chunks(audits)) await recordAudits(tx, part);
  for (const part of chunks(touchedIds, 1000)) await evaluateBookings(tx, { organizationId: ctx.organizationId, actor: ctx.actor, now: ctx.now }, inArray(bookings.id, part));
  return summarize(plans);
}

/** A booking was created by another transaction between planning and insert. */
export class ConcurrentCreate extends Error {
  constructor() {
    super('A booking was created concurrently');
  }
}

/**
 * Plans and applies in one transaction; a concurrent create of the same booking id retries
 * once with fresh plans (the unique index keeps one row per booking id).
 */
export async function writeBookings(
  db: Db,
  ctx: WriteContext,
  writes: BookingWrite[],
  opts: Omit<PlanOptions, 'organizationId'> & { allOrNothing?: boolean },
): Promise<AppliedWrites> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const plans = await planWrites(tx, writes, { ...opts, organizationId: ctx.organizationId });
        if (opts.allOrNothing && plans.some((p) => p.outcome === 'refused')) return { plans, result: summarize(plans) };
        return { plans, result: await applyWrites(tx, ctx, plans) };
      });
    } catch (err) {
      if (err instanceof ConcurrentCreate && attempt === 0) continue;
      throw err;
    }
  }
}
