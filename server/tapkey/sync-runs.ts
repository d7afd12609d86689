/**
 * A full sync of one location (the seed's "clean slate" option): every booking at the location
 * is re-evaluated with a forced Tapkey check, in one transaction that also writes the report
 * (bookings without email, suspicious emails, unmapped units, locks mapped to no unit) and
 * queues the scan of Tapkey's grants. The scan finds grants no booking explains, compares each
 * active booking's email with the emails Tapkey has on its lock (email mismatches), and lists
 * staff card grants apart. A grant on a lock whose unit has an active booking is "protected":
 * never in the default revoke set, revoked only when the operator selects its row; card grants
 * are never unexplained and never revoked. Progress is read from the outbox.
 * Over 300 lines: the report, the scan and the revocation of selected rows read and write the
 * same run row and its report; each is one function here.
 */
import { and, count, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { SyncRun } from '../../lib/contract.ts';
import { translate, type Language } from '../../lib/i18n/index.ts';
import type { AppDeps } from '../env.ts';
import { recordAudit } from '../audit.ts';
import { bookings, locks, mappings, outboxJobs, tapkeyGrants, tapkeySyncRuns, tapkeyUnexplainedGrants, units, type EmailMismatch, type SyncRunReport } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import { enqueue, type DbOrTx, type JobHandler, type OutboxJob } from '../outbox/outbox.ts';
import { suspiciousEmail } from './access.ts';
import { clientForLocation, loadLocation, tapkeyNow, tapkeySettings } from './config.ts';
import { toOutboxError } from './errors.ts';
import { evaluateBookings, RECONCILE_JOB } from './grants.ts';
import { acquireLeases, contactKey } from './leases.ts';
import { grantEmail, isBeingRevoked, isCardGrant, isLive } from './schemas.ts';

export const SCAN_JOB = 'tapkey.sync.scan';
export const REVOKE_UNEXPLAINED_JOB = 'tapkey.grant.revoke_unexplained';

/** Report lists keep their full count but at most this many items. */
const REPORT_ITEMS = 1000;

const list = <T>(items: T[]) => ({ count: items.length, items: items.slice(0, REPORT_ITEMS) });

export async function startSyncRun(deps: AppDeps, input: { organizationId: string; actor: string; locationId: string }) {
  const { organizationId, actor, locationId } = input;
  const now = tapkeyNow(deps);
  const run = await deps.database.db.transaction(async (tx) => {
    const location = await loadLocation(tx, organizationId, locationId);
    if (!location) throw new ApiError('not_found', 'Location not found');
    if (!location.tapkey || !location.tapkeySecret)
      throw new ApiError('unprocessable', 'Connect this location to Tapkey first (client ID, secret and locking system ID)');
    const runId = crypto.randomUUID();
    const { facts, plans, enqueued } = await evaluateBookings(tx, { organizationId, actor, now, force: true, runId }, eq(units.locationId, locationId));

    const current = facts.filter((f) => f.booking.state === 'reserved' || f.booking.state === 'active');
    const unitRows = await tx
      .select({ unit: units, lockId: mappings.lockId })
      .from(units)
      .leftJoin(mappings, and(eq(mappings.organizationId, units.organizationId), eq(mappings.unitId, units.id)))
      .where(and(eq(units.organizationId, organizationId), eq(units.locationId, locationId)))
      .orderBy(units.name);
    const lockRows = await tx
      .select({ id: locks.id, title: locks.title })
      .from(locks)
      .leftJoin(mappings, and(eq(mappings.organizationId, locks.organizationId), eq(mappings.lockId, locks.id)))
      .where(and(eq(locks.organizationId, organizationId), eq(locks.locationId, locationId), isNull(mappings.unitId), sql`${locks.active} is not false`))
      .orderBy(locks.title);
    const bookingsPerUnit = new Map<string, number>();
    for (const f of current) bookingsPerUnit.set(f.unit.id, (bookingsPerUnit.get(f.unit.id) ?? 0) + 1);
    const report: SyncRunReport = {
      bookingsWithoutEmail: list(current.filter((f) => !f.booking.tenantEmail).map((f) => ({ bookingExternalId: f.booking.externalId, unitExternalId: f.unit.externalId }))),
      invalidEmails: list(
        current.flatMap((f) => {
          const reason = f.booking.tenantEmail ? suspiciousEmail(f.booking.tenantEmail) : null;
          return reason ? [{ bookingExternalId: f.booking.externalId, email: f.booking.tenantEmail!, reason }] : [];
        }),
      ),
      unitsWithoutMapping: list(unitRows.filter((u) => !u.lockId).map((u) => ({ unitExternalId: u.unit.externalId, unitName: u.unit.name, activeBookings: bookingsPerUnit.get(u.unit.id) ?? 0 }))),
      locksWithoutUnit: list(lockRows.map((l) => ({ lockId: l.id, title: l.title }))),
      bookingsWithInvalidDates: list(
        plans
          .filter((p) => !p.desired.want && p.desired.status === 'invalid_dates')
          .map((p) => ({ bookingExternalId: p.facts.booking.externalId, unitExternalId: p.facts.unit.externalId, moveIn: p.facts.booking.moveIn, moveOut: p.facts.booking.moveOut })),
      ),
    };
    const [row] = await tx.insert(tapkeySyncRuns).values({ id: runId, organizationId, locationId, actor, total: enqueued, report }).returning();
    await enqueue(tx, { organizationId, kind: SCAN_JOB, idempotencyKey: `${SCAN_JOB}:${runId}`, payload: { runId } });
    await recordAudit(tx, { organizationId, actor, action: 'tapkey.sync_run_started', entity: 'sync_run', entityId: runId, after: { locationId, total: enqueued, bookings: facts.length } });
    return row!;
  });
  deps.kickOutbox?.();
  return run;
}

export async function syncRunView(deps: AppDeps, organizationId: string, runId: string, lang: Language): Promise<SyncRun> {
  const { db } = deps.database;
  const [run] = await db.select().from(tapkeySyncRuns).where(and(eq(tapkeySyncRuns.organizationId, organizationId), eq(tapkeySyncRuns.id, runId)));
  if (!run) throw new ApiError('not_found', 'Sync run not found');
  const states = await db
    .select({ state: outboxJobs.state, n: count() })
    .from(outboxJobs)
    .where(and(eq(outboxJobs.organizationId, organizationId), eq(outboxJobs.kind, RECONCILE_JOB), sql`${outboxJobs.payload}->>'runId' = ${runId}`))
    .groupBy(outboxJobs.state);
  const by = (s: string) => states.find((r) => r.state === s)?.n ?? 0;
  const progress = { total: run.total, done: by('done'), failed: by('failed'), pending: by('pending') + by('running') };
  let finishedAt = run.finishedAt;
  if (!finishedAt && progress.pending === 0 && run.scanState !== 'pending') {
    // Recorded once, by whoever first sees the run complete.
    const [done] = await db
      .update(tapkeySyncRuns)
      .set({ finishedAt: sql`now()` })
      .where(and(eq(tapkeySyncRuns.id, run.id), isNull(tapkeySyncRuns.finishedAt)))
      .returning({ finishedAt: tapkeySyncRuns.finishedAt });
    finishedAt = done?.finishedAt ?? new Date();
  }
  const unexplained = await db.select().from(tapkeyUnexplainedGrants).where(eq(tapkeyUnexplainedGrants.runId, run.id)).orderBy(tapkeyUnexplainedGrants.lockId);
  // Only the unexplained rows need it (their "protected" note): a progress poll skips the join.
  const booked = unexplained.length ? await bookedLocks(db, organizationId, run.locationId) : new Map<string, string>();
  const { emailMismatches, cardGrants, lockFilter, ...stored } = run.report;
  return {
    id: run.id,
    locationId: run.locationId,
    state: finishedAt ? 'done' : 'running',
    createdAt: run.createdAt.toISOString(),
    finishedAt: finishedAt?.toISOString() ?? null,
    progress,
    report: {
      ...stored,
      emailMismatches: {
        count: emailMismatches?.count ?? 0,
        items: (emailMismatches?.items ?? []).map(({ expectedHasGrant, ...m }) => ({
          ...m,
          suggestedAction: translate(lang, expectedHasGrant ? 'tapkeySync.mismatch.action.bothPresent' : 'tapkeySync.mismatch.action.noGrantYet', {
            expectedEmail: m.expectedEmail,
            tapkeyEmails: m.tapkeyEmails.filter((e) => e !== m.expectedEmail).join(', '),
          }),
        })),
      },
      cardGrants: cardGrants ?? { count: 0, items: [] },
      lockFilter: lockFilter ?? null,
      unexplainedGrants: {
        scan: run.scanState,
        error: run.scanError,
        count: unexplained.length,
        items: unexplained.map((u) => ({
          tapkeyGrantId: u.tapkeyGrantId,
          lockId: u.lockId,
          lockTitle: u.lockTitle,
          email: u.email,
          validFrom: u.validFrom,
          validBefore: u.validBefore,
          state: u.state,
          reason: u.reason,
          protected: booked.has(u.lockId),
          note: booked.has(u.lockId) ? translate(lang, 'tapkeySync.unexplained.protected', { unit: booked.get(u.lockId)! }) : null,
        })),
      },
      reminder: translate(lang, 'tapkeyServer.syncReminder'),
    },
  };
}

/** Is (lock, email) wanted by a booking, or is this grant one our own revocation is handling? */
async function explainedSet(db: DbOrTx, organizationId: string) {
  const rows = await db
    .select({ lockId: tapkeyGrants.lockId, email: tapkeyGrants.email, desired: tapkeyGrants.desired, state: tapkeyGrants.state, tapkeyGrantId: tapkeyGrants.tapkeyGrantId })
    .from(tapkeyGrants)
    .where(eq(tapkeyGrants.organizationId, organizationId));
  const wanted = new Set(rows.filter((r) => r.desired === 'active').map((r) => `${r.lockId}|${r.email}`));
  const beingRevoked = new Set(rows.filter((r) => r.desired === 'revoked' && r.state !== 'revoked' && r.tapkeyGrantId).map((r) => r.tapkeyGrantId!));
  return (lockId: string, email: string | null, grantId: string) => beingRevoked.has(grantId) || (email !== null && wanted.has(`${lockId}|${email}`));
}

/**
 * Locks of the location whose mapped unit has an active (or reserved) booking → the unit's name.
 * A grant on such a lock may be the tenant's working access under another email: it is never
 * revoked unless the operator selects it.
 */
async function bookedLocks(db: DbOrTx, organizationId: string, locationId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectDistinct({ lockId: mappings.lockId, unitName: units.name })
    .from(bookings)
    .innerJoin(units, eq(units.id, bookings.unitId))
    .innerJoin(mappings, and(eq(mappings.organizationId, units.organizationId), eq(mappings.unitId, units.id)))
    .where(and(eq(bookings.organizationId, organizationId), eq(units.locationId, locationId), inArray(bookings.state, ['reserved', 'active'])));
  return new Map(rows.map((r) => [r.lockId.toLowerCase(), r.unitName]));
}

/** The location's active bookings with an email, by their unit's mapped lock. */
async function activeBookingsByLock(db: DbOrTx, organizationId: string, locationId: string) {
  const rows = await db
    .select({ lockId: mappings.lockId, bookingExternalId: bookings.externalId, unitExternalId: units.externalId, unitName: units.name, email: bookings.tenantEmail })
    .from(bookings)
    .innerJoin(units, eq(units.id, bookings.unitId))
    .innerJoin(mappings, and(eq(mappings.organizationId, units.organizationId), eq(mappings.unitId, units.id)))
    .where(and(eq(bookings.organizationId, organizationId), eq(units.locationId, locationId), inArray(bookings.state, ['reserved', 'active']), isNotNull(bookings.tenantEmail)))
    .orderBy(bookings.externalId);
  const out = new Map<string, (typeof rows)[number][]>();
  for (const r of rows) {
    const lockId = r.lockId.toLowerCase();
    const onLock = out.get(lockId);
    if (onLock) onLock.push(r);
    else out.set(lockId, [r]);
  }
  return out;
}

const runPayload = z.object({ runId: z.string().uuid() });

async function runWithLocation(deps: AppDeps, job: OutboxJob, runId: string) {
  const [run] = await deps.database.db.select().from(tapkeySyncRuns).where(and(eq(tapkeySyncRuns.organizationId, job.organizationId), eq(tapkeySyncRuns.id, runId)));
  if (!run) return null;
  const location = await loadLocation(deps.database.db, job.organizationId, run.locationId);
  if (!location) return null;
  return { run, location, ...clientForLocation(deps, location) };
}

type ScanResult =
  | { items: (typeof tapkeyUnexplainedGrants.$inferInsert)[]; report: Required<Pick<SyncRunReport, 'emailMismatches' | 'cardGrants' | 'lockFilter'>> }
  | { skipped: true };

/**
 * Lists the owner account's active grants once and sorts them: card grants (listed apart),
 * grants a booking explains, unexplained ones, and per active booking the emails Tapkey has on
 * its lock that are not the booking's (email mismatch).
 */
export function scanHandler(deps: AppDeps): JobHandler<ScanResult> {
  const db = deps.database.db;
  return {
    async run(job) {
      const { runId } = runPayload.parse(job.payload);
      try {
        const ctx = await runWithLocation(deps, job, runId);
        if (!ctx) return { skipped: true };
        const active = await ctx.client.listGrants(ctx.ownerAccountId);
        const explained = await explainedSet(db, job.organizationId);
        const titles = new Map((await db.select({ id: locks.id, title: locks.title }).from(locks).where(eq(locks.organizationId, job.organizationId))).map((l) => [l.id, l.title]));
        const byLock = await activeBookingsByLock(db, job.organizationId, ctx.run.locationId);
        const lockOf = (g: (typeof active)[number]) => (g.boundLockId ?? '').toLowerCase();

        const cards = active.filter(isCardGrant).filter((g) => lockOf(g));
        const people = active.filter((g) => !isCardGrant(g) && lockOf(g));
        const items = people.flatMap((g) => {
          const lockId = lockOf(g);
          const email = grantEmail(g);
          if (explained(lockId, email, g.id)) return [];
          return [
            {
              organizationId: job.organizationId,
              runId,
              tapkeyGrantId: g.id,
              lockId,
              lockTitle: titles.get(lockId) ?? null,
              email,
              validFrom: g.validFrom ?? null,
              validBefore: g.validBefore ?? null,
              // Tapkey is revoking it already: shown, never revoked again.
              ...(isBeingRevoked(g) ? { state: 'revoking' as const, reason: 'Tapkey is revoking this grant (its lock has not synced yet)' } : {}),
            },
          ];
        });

        const liveByLock = new Map<string, typeof people>();
        for (const g of people) {
          if (!isLive(g)) continue;
          const onLock = liveByLock.get(lockOf(g));
          if (onLock) onLock.push(g);
          else liveByLock.set(lockOf(g), [g]);
        }
        const mismatches: EmailMismatch[] = [];
        for (const [lockId, bookingsOnLock] of byLock) {
          const live = liveByLock.get(lockId) ?? [];
          for (const b of bookingsOnLock) {
            const expected = b.email!.toLowerCase();
            // Emails on the lock no booking of ours wants: possibly this tenant under another address.
            const others = live.filter((g) => {
              const e = grantEmail(g);
              return e !== expected && !explained(lockId, e, g.id);
            });
            if (others.length === 0) continue;
            const emails = [...new Set(live.map(grantEmail).filter((e): e is string => e !== null))].sort();
            mismatches.push({
              bookingExternalId: b.bookingExternalId,
              unitExternalId: b.unitExternalId,
              unitName: b.unitName,
              lockId,
              lockTitle: titles.get(lockId) ?? null,
              expectedEmail: expected,
              tapkeyEmails: emails,
              otherGrantIds: others.map((g) => g.id),
              expectedHasGrant: emails.includes(expected),
            });
          }
        }
        return {
          items,
          report: {
            emailMismatches: list(mismatches),
            cardGrants: list(cards.map((g) => ({ tapkeyGrantId: g.id, lockId: lockOf(g), lockTitle: titles.get(lockOf(g)) ?? null, boundCardId: g.boundCardId ?? null }))),
            lockFilter: ctx.client.lockFilterMode(ctx.ownerAccountId),
          },
        };
      } catch (err) {
        throw toOutboxError(err);
      }
    },
    async complete(tx, job, result) {
      const { runId } = runPayload.parse(job.payload);
      if ('skipped' in result) return;
      for (let i = 0; i < result.items.length; i += 500) await tx.insert(tapkeyUnexplainedGrants).values(result.items.slice(i, i + 500)).onConflictDoNothing();
      await tx
        .update(tapkeySyncRuns)
        .set({ scanState: 'done', report: sql`${tapkeySyncRuns.report} || ${JSON.stringify(result.report)}::jsonb` })
        .where(eq(tapkeySyncRuns.id, runId));
    },
    async fail(tx, job, reason) {
      const { runId } = runPayload.parse(job.payload);
      await tx.update(tapkeySyncRuns).set({ scanState: 'failed', scanError: reason }).where(eq(tapkeySyncRuns.id, runId));
    },
  };
}

/**
 * Queues revokes for a run's unexplained grants not yet revoked; returns how many. Without a
 * selection: every such grant except protected ones (their lock's unit has an active booking).
 * With `tapkeyGrantIds`: exactly those rows, protected ones included (the operator chose them).
 */
export async function requestRevokeUnexplained(deps: AppDeps, organizationId: string, runId: string, actor: string, selection?: string[]): Promise<number> {
  const n = await deps.database.db.transaction(async (tx) => {
    const [run] = await tx.select().from(tapkeySyncRuns).where(and(eq(tapkeySyncRuns.organizationId, organizationId), eq(tapkeySyncRuns.id, runId)));
    if (!run) throw new ApiError('not_found', 'Sync run not found');
    if (run.scanState === 'pending') throw new ApiError('conflict', 'The scan for unexplained grants has not finished yet; try again when the run shows it done');
    if (selection) {
      const known = new Set(
        (await tx.select({ id: tapkeyUnexplainedGrants.tapkeyGrantId }).from(tapkeyUnexplainedGrants).where(eq(tapkeyUnexplainedGrants.runId, runId))).map((r) => r.id),
      );
      const unknown = selection.filter((id) => !known.has(id));
      if (unknown.length) throw new ApiError('unprocessable', `Not unexplained grants of this run: ${unknown.join(', ')}`);
    }
    const booked = await bookedLocks(tx, organizationId, run.locationId);
    const candidates = await tx
      .select()
      .from(tapkeyUnexplainedGrants)
      .where(and(eq(tapkeyUnexplainedGrants.runId, runId), inArray(tapkeyUnexplainedGrants.state, ['found', 'failed'])));
    const chosen = candidates.filter((r) => (selection ? selection.includes(r.tapkeyGrantId) : !booked.has(r.lockId)));
    const rows = chosen.length
      ? await tx
          .update(tapkeyUnexplainedGrants)
          .set({ state: 'revoking', reason: null })
          .where(inArray(tapkeyUnexplainedGrants.id, chosen.map((r) => r.id)))
          .returning()
      : [];
    for (const r of rows)
      await enqueue(tx, {
        organizationId,
        kind: REVOKE_UNEXPLAINED_JOB,
        // A retry after failure is a new attempt: the key carries the row's revision.
        idempotencyKey: `${REVOKE_UNEXPLAINED_JOB}:${r.id}:${Date.now()}`,
        payload: { runId, id: r.id, selected: Boolean(selection) },
      });
    await recordAudit(tx, {
      organizationId,
      actor,
      action: 'tapkey.unexplained_revoke_requested',
      entity: 'sync_run',
      entityId: runId,
      after: { grants: rows.map((r) => r.tapkeyGrantId), selected: Boolean(selection), keptProtected: selection ? [] : candidates.filter((r) => booked.has(r.lockId)).map((r) => r.tapkeyGrantId) },
    });
    return rows.length;
  });
  deps.kickOutbox?.();
  return n;
}

const revokePayload = z.object({ runId: z.string().uuid(), id: z.string().uuid(), selected: z.boolean().default(false) });
type RevokeResult = { state: 'revoked' | 'kept' | 'revoking'; reason: string | null };

/** Revokes one unexplained grant, unless a booking explains it by now. */
export function revokeUnexplainedHandler(deps: AppDeps): JobHandler<RevokeResult> {
  const db = deps.database.db;
  return {
    async run(job) {
      const { runId, id, selected } = revokePayload.parse(job.payload);
      const [row] = await db.select().from(tapkeyUnexplainedGrants).where(eq(tapkeyUnexplainedGrants.id, id));
      const ctx = row && (await runWithLocation(deps, job, runId));
      if (!row || !ctx) return { state: 'kept', reason: 'The run or its location no longer exists' };
      const release = await acquireLeases(db, row.email ? [contactKey(job.organizationId, ctx.ownerAccountId, row.email)] : [], tapkeySettings(deps).leaseMs);
      try {
        const explained = await explainedSet(db, job.organizationId);
        if (explained(row.lockId, row.email, row.tapkeyGrantId)) return { state: 'kept', reason: 'A booking explains this grant now' };
        // A booking arrived on this lock since the request: only a row the operator chose goes.
        if (!selected && (await bookedLocks(db, job.organizationId, ctx.run.locationId)).has(row.lockId))
          return { state: 'kept', reason: 'The lock belongs to a unit with an active booking and this row was not selected' };
        const outcome = await ctx.client.revokeGrant(ctx.ownerAccountId, row.tapkeyGrantId);
        if (outcome === 'revoking') return { state: 'revoking', reason: 'Tapkey is revoking this grant (its lock has not synced yet)' };
        return { state: 'revoked', reason: outcome === 'already' ? 'Tapkey had revoked it already' : null };
      } catch (err) {
        throw toOutboxError(err);
      } finally {
        await release();
      }
    },
    async complete(tx, job, result) {
      const { id, runId } = revokePayload.parse(job.payload);
      const [row] = await tx.update(tapkeyUnexplainedGrants).set(result).where(eq(tapkeyUnexplainedGrants.id, id)).returning();
      if (row)
        await recordAudit(tx, {
          organizationId: job.organizationId,
          actor: `system:${REVOKE_UNEXPLAINED_JOB}`,
          action: result.state === 'kept' ? 'tapkey.unexplained_kept' : 'tapkey.unexplained_revoked',
          entity: 'sync_run',
          entityId: runId,
          after: { tapkeyGrantId: row.tapkeyGrantId, lockId: row.lockId, email: row.email, reason: result.reason },
        });
    },
    async fail(tx, job, reason) {
      const { id } = revokePayload.parse(job.payload);
      await tx.update(tapkeyUnexplainedGrants).set({ state: 'failed', reason }).where(eq(tapkeyUnexplainedGrants.id, id));
    },
  };
}
