/**
 * The outbox handler that makes Tapkey match a grant row. It converges rather than replays:
 * it reads the row's current wish, looks at Tapkey, and only then creates or revokes. So a
 * crash between "Tapkey created it" and "we stored it" is harmless (the next run finds the
 * grant and adopts it), a superseded job does nothing, and a (lock, email) a job may have
 * touched is recorded before the call and cleaned up later if it is no longer wanted.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDeps } from '../env.ts';
import { recordAudit, recordAudits } from '../audit.ts';
import { bookings, locations, tapkeyGrantEvents, tapkeyGrants, tapkeyNotices, units, type TouchedPair } from '../db/schema/index.ts';
import { enqueue, PermanentError, RetryableError, type DbOrTx, type JobHandler, type OutboxJob } from '../outbox/outbox.ts';
import { TapkeyError, toOutboxError } from './errors.ts';
import type { RevokeOutcome } from './client.ts';
import { clientForLocation, tapkeySettings } from './config.ts';
import { RECONCILE_JOB, type GrantRow, type ReconcilePayload } from './grants.ts';
import { acquireLeaseSets, busyContact, contactKey } from './leases.ts';
import { grantEmail, isBeingRevoked, isCardGrant, isLive, type TapkeyGrant } from './schemas.ts';
import type { TapkeyClient } from './client.ts';

/** `check`: the n-th look whether Tapkey finished a revocation it accepted (asynchronous revoke). */
const payloadSchema = z.object({ grantId: z.string().uuid(), generation: z.number().int(), runId: z.string().uuid().optional(), check: z.number().int().optional() });

export type ReconcileResult =
  | { skipped: 'gone' | 'superseded' }
  | { action: 'granted'; tapkeyGrantId: string; created: boolean; revoked: string[]; cleaned: TouchedPair[] }
  /** `revoking`: grants Tapkey accepted to revoke and still shows active (their lock has not synced). */
  | { action: 'revoked'; revoked: string[]; revoking: string[]; cleaned: TouchedPair[] };

const samePair = (a: TouchedPair, b: TouchedPair) => a.lockId === b.lockId && a.email === b.email;
const sameInstant = (tapkey: string | null | undefined, ours: Date | null) => (tapkey ? Date.parse(tapkey) : null) === (ours?.getTime() ?? null);

/** Another booking of ours wants this contact on this lock: its grant is not ours to revoke. */
async function claimedElsewhere(db: DbOrTx, g: GrantRow, pair: TouchedPair): Promise<boolean> {
  const rows = await db
    .select({ id: tapkeyGrants.id })
    .from(tapkeyGrants)
    .where(and(eq(tapkeyGrants.organizationId, g.organizationId), eq(tapkeyGrants.lockId, pair.lockId), eq(tapkeyGrants.email, pair.email), eq(tapkeyGrants.desired, 'active'), ne(tapkeyGrants.id, g.id)))
    .limit(1);
  return rows.length > 0;
}

class Reconciler {
  constructor(
    private readonly db: DbOrTx,
    private readonly client: TapkeyClient,
    private readonly owner: string,
    private readonly g: GrantRow,
  ) {}

  /** Grants Tapkey has accepted to revoke but still shows active. */
  readonly revoking = new Set<string>();

  /**
   * This contact's live grants on the lock: active and not being revoked (a grant being revoked
   * is never adopted), and never a card grant (no contact: a staff card).
   */
  activeFor(pair: TouchedPair): Promise<TapkeyGrant[]> {
    return this.client.listGrants(this.owner, { boundLockId: pair.lockId }).then((list) => list.filter((x) => isLive(x) && !isCardGrant(x) && grantEmail(x) === pair.email));
  }

  /**
   * Revokes one grant; a 409 counts as done; an accepted but unfinished revocation is noted.
   * After an answer that does not say how far Tapkey is (an undocumented body, or a 409 for a
   * revoke already requested, e.g. by our own retry of a lost answer) the grant is read.
   */
  async revoke(id: string): Promise<RevokeOutcome> {
    let outcome = await this.client.revokeGrant(this.owner, id);
    if (outcome === 'requested' || outcome === 'already') {
      try {
        const after = await this.client.getGrant(this.owner, id);
        if (after.active) outcome = 'revoking';
        else if (outcome === 'requested') outcome = 'revoked';
      } catch (err) {
        if (!(err instanceof TapkeyError && err.kind === 'not_found')) throw err;
        outcome = 'revoked';
      }
    }
    if (outcome === 'revoking') this.revoking.add(id);
    return outcome;
  }

  /** Revokes this contact's active grants on a lock unless another booking of ours wants them. */
  async revokePair(pair: TouchedPair, except?: string): Promise<string[]> {
    if (await claimedElsewhere(this.db, this.g, pair)) return [];
    const revoked: string[] = [];
    for (const x of await this.activeFor(pair)) {
      if (x.id === except) continue;
      await this.revoke(x.id);
      revoked.push(x.id);
    }
    return revoked;
  }

  async ensureActive(): Promise<ReconcileResult> {
    const g = this.g;
    const target = { lockId: g.lockId, email: g.email };
    const revoked: string[] = [];
    const cleaned = g.touched.filter((t) => !samePair(t, target));
    for (const stale of cleaned) revoked.push(...(await this.revokePair(stale)));

    let existing = await this.activeFor(target);
    let match = existing.find((x) => sameInstant(x.validFrom, g.validFrom) && sameInstant(x.validBefore, g.validBefore));
    let created = false;
    if (!match) {
      await recordTouched(this.db, g.id, target);
      const input = { boundLockId: g.lockId, email: g.email, validFrom: g.validFrom?.toISOString() ?? null, validBefore: g.validBefore?.toISOString() ?? null };
      try {
        match = await this.client.createGrant(this.owner, input);
      } catch (err) {
        if (!(err instanceof TapkeyError && err.kind === 'duplicate')) throw err;
        // Tapkey keeps one active grant per contact and lock: replace the old window.
        if (await claimedElsewhere(this.db, g, target)) throw new PermanentError('Another booking holds an active Tapkey grant for this email on this lock');
        // Only a grant being revoked is in the way: wait for Tapkey to finish, then create.
        if (existing.length === 0) throw new RetryableError('Tapkey is still revoking an earlier grant of this email on this lock; trying again later', 5_000);
        for (const x of existing) {
          await this.revoke(x.id);
          revoked.push(x.id);
        }
        existing = [];
        match = await this.client.createGrant(this.owner, input);
      }
      created = true;
    }
    // Exactly one: any other active grant of this contact on this lock goes.
    if (existing.some((x) => x.id !== match.id) && !(await claimedElsewhere(this.db, g, target))) {
      for (const x of existing) {
        if (x.id === match.id) continue;
        await this.revoke(x.id);
        revoked.push(x.id);
      }
    }
    return { action: 'granted', tapkeyGrantId: match.id, created, revoked, cleaned };
  }

  async ensureRevoked(): Promise<ReconcileResult> {
    const g = this.g;
    const pairs = [{ lockId: g.lockId, email: g.email }, ...g.touched.filter((t) => !samePair(t, { lockId: g.lockId, email: g.email }))];
    const revoked: string[] = [];
    for (const pair of pairs) revoked.push(...(await this.revokePair(pair)));
    // The grant we recorded, in case its contact or lock is not what the row says any more.
    if (g.tapkeyGrantId && !revoked.includes(g.tapkeyGrantId)) {
      try {
        const known = await this.client.getGrant(this.owner, g.tapkeyGrantId);
        const email = grantEmail(known);
        const lockId = known.boundLockId?.toLowerCase();
        if (isBeingRevoked(known)) this.revoking.add(known.id);
        else if (known.active && !(email && lockId && (await claimedElsewhere(this.db, g, { lockId, email })))) {
          await this.revoke(known.id);
          revoked.push(known.id);
        }
      } catch (err) {
        if (!(err instanceof TapkeyError && err.kind === 'not_found')) throw err;
      }
    }
    return { action: 'revoked', revoked, revoking: [...this.revoking], cleaned: pairs };
  }
}

/** Remembers, before calling Tapkey, that this grant may now exist for (lock, email). */
async function recordTouched(db: DbOrTx, grantId: string, pair: TouchedPair) {
  await db
    .update(tapkeyGrants)
    .set({ touched: sql`${tapkeyGrants.touched} || ${JSON.stringify([pair])}::jsonb` })
    .where(and(eq(tapkeyGrants.id, grantId), sql`not ${tapkeyGrants.touched} @> ${JSON.stringify([pair])}::jsonb`));
}

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
const lockGrant = async (tx: DbOrTx, grantId: string) => (await lockGrants(tx, [grantId])).get(grantId);
type LockedGrant = NonNullable<Awaited<ReturnType<typeof lockGrant>>>;

const ACTOR = `system:${RECONCILE_JOB}`;

/**
 * Runs claimed reconcile jobs together: their grant rows, the contacts' leases and the re-read
 * under the leases are one statement each for the whole batch; the Tapkey calls then run per
 * job, each released as soon as it is done.
 */
function runReconcileBatch(deps: AppDeps, jobs: OutboxJob[]): Promise<ReconcileResult>[] {
  const db = deps.database.db;
  type Ready = { job: OutboxJob; p: z.infer<typeof payloadSchema>; conn: ReturnType<typeof clientForLocation>; keys: string[] };
  const prepared = (async () => {
    const outcome = new Map<string, ReconcileResult | Error | { ready: Ready; release: () => Promise<void>; grant: GrantRow | undefined }>();
    const parsed = jobs.flatMap((job) => {
      const p = payloadSchema.safeParse(job.payload);
      if (!p.success) outcome.set(job.id, p.error);
      return p.success ? [{ job, p: p.data }] : [];
    });
    if (parsed.length === 0) return outcome;
    const found = await db
      .select({ grant: tapkeyGrants, location: locations })
      .from(tapkeyGrants)
      .leftJoin(locations, eq(locations.id, tapkeyGrants.locationId))
      .where(inArray(tapkeyGrants.id, parsed.map((x) => x.p.grantId)));
    const ready: Ready[] = [];
    for (const { job, p } of parsed) {
      // Tenant isolation: a job only ever sees its own organization's grant.
      const row = found.find((f) => f.grant.id === p.grantId && f.grant.organizationId === job.organizationId);
      if (!row) outcome.set(job.id, { skipped: 'gone' });
      else if (row.grant.generation !== p.generation) outcome.set(job.id, { skipped: 'superseded' });
      else if (!row.location?.tapkey || !row.location.tapkeySecret) outcome.set(job.id, new PermanentError('The location is not connected to Tapkey (client ID, secret and locking system ID are needed)'));
      else {
        try {
          const conn = clientForLocation(deps, row.location);
          ready.push({ job, p, conn, keys: contactKeys(job, conn.ownerAccountId, row.grant) });
        } catch (err) {
          outcome.set(job.id, err as Error);
        }
      }
    }
    if (ready.length === 0) return outcome;
    const releases = await acquireLeaseSets(db, ready.map((r) => r.keys), tapkeySettings(deps).leaseMs);
    const held = ready.flatMap((r, i) => {
      const release = releases[i];
      if (!release) outcome.set(r.job.id, busyContact());
      return release ? [{ ready: r, release }] : [];
    });
    if (held.length === 0) return outcome;
    // Re-read under the leases: a row may have moved on while we waited.
    const now = await db.select().from(tapkeyGrants).where(inArray(tapkeyGrants.id, held.map((h) => h.ready.p.grantId)));
    for (const h of held) outcome.set(h.ready.job.id, { ...h, grant: now.find((g) => g.id === h.ready.p.grantId && g.organizationId === h.ready.job.organizationId) });
    return outcome;
  })();

  return jobs.map(async (job): Promise<ReconcileResult> => {
    const o = (await prepared).get(job.id)!;
    if (o instanceof Error) throw toOutboxError(o);
    if (!('ready' in o)) return o;
    const { ready, release, grant: g } = o;
    try {
      if (!g) return { skipped: 'gone' };
      if (g.generation !== ready.p.generation) return { skipped: 'superseded' };
      if (contactKeys(job, ready.conn.ownerAccountId, g).some((k) => !ready.keys.includes(k))) throw new RetryableError('The grant touched another contact meanwhile', 50);
      const r = new Reconciler(db, ready.conn.client, ready.conn.ownerAccountId, g);
      return g.desired === 'active' ? await r.ensureActive() : await r.ensureRevoked();
    } catch (err) {
      throw toOutboxError(err);
    } finally {
      await release();
    }
  });
}

/** The lease keys of every contact a grant row may have grants for. */
const contactKeys = (job: OutboxJob, ownerAccountId: string, g: GrantRow) => [g.email, ...g.touched.map((t) => t.email)].map((e) => contactKey(job.organizationId, ownerAccountId, e));

/** One outcome, its grant row already locked (the path for everything but a plain "granted"). */
async function completeLocked(tx: DbOrTx, deps: AppDeps, p: z.infer<typeof payloadSchema>, result: Exclude<ReconcileResult, { skipped: unknown }>, locked: LockedGrant) {
  const { grant: g, bookingExternalId, unitName } = locked;
  const stillTouched = (target: TouchedPair | null) => {
    const rest = g.touched.filter((t) => !result.cleaned.some((c) => samePair(c, t)));
    return target && !rest.some((t) => samePair(t, target)) ? [...rest, target] : rest;
  };
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
    const becameActive = g.state !== 'active' || g.tapkeyGrantId !== result.tapkeyGrantId;
    await tx
      .update(tapkeyGrants)
      .set({ state: 'active', reason: null, tapkeyGrantId: result.tapkeyGrantId, touched: stillTouched({ lockId: g.lockId, email: g.email }), updatedAt: sql`now()` })
      .where(eq(tapkeyGrants.id, g.id));
    if (!becameActive && g.state === 'active') return;
    await addEvent(tx, g, 'active', ACTOR, { tapkeyGrantId: result.tapkeyGrantId, reason: result.created ? 'created in Tapkey' : 'found in Tapkey' });
    await recordAudit(tx, {
      organizationId: g.organizationId,
      actor: ACTOR,
      action: 'tapkey_grant.activated',
      entity: 'tapkey_grant',
      entityId: bookingExternalId,
      before: { state: g.state, tapkeyGrantId: g.tapkeyGrantId },
      after: { state: 'active', tapkeyGrantId: result.tapkeyGrantId, lockId: g.lockId, email: g.email, created: result.created, revokedOthers: result.revoked },
    });
    await tx
      .insert(tapkeyNotices)
      .values({
        organizationId: g.organizationId,
        bookingId: g.bookingId,
        grantId: g.id,
        kind: 'access_ready',
        email: g.email,
        lockId: g.lockId,
        unitName,
        tapkeyGrantId: result.tapkeyGrantId,
        validFrom: g.validFrom,
        validBefore: g.validBefore,
      })
      .onConflictDoNothing();
  } else if (result.revoking.length > 0) {
    // Tapkey accepted the revoke and is carrying it out: shown as its own state, checked again later.
    const check = (p.check ?? 0) + 1;
    const waitMs = Math.min(tapkeySettings(deps).revokeCheckMs * 2 ** (check - 1), 60 * 60_000);
    await tx.update(tapkeyGrants).set({ state: 'revoking', touched: stillTouched(null), updatedAt: sql`now()` }).where(eq(tapkeyGrants.id, g.id));
    if (g.state !== 'revoking') {
      await addEvent(tx, g, 'revoking', ACTOR, { reason: g.reason });
      await recordAudit(tx, {
        organizationId: g.organizationId,
        actor: ACTOR,
        action: 'tapkey_grant.revoking',
        entity: 'tapkey_grant',
        entityId: bookingExternalId,
        before: { state: g.state, tapkeyGrantId: g.tapkeyGrantId },
        after: { state: 'revoking', reason: g.reason, revokingInTapkey: result.revoking },
      });
    }
    await enqueue(tx, {
      organizationId: g.organizationId,
      kind: RECONCILE_JOB,
      idempotencyKey: `${RECONCILE_JOB}:${g.id}:${g.generation}:check:${check}`,
      payload: { grantId: g.id, generation: g.generation, check } satisfies ReconcilePayload,
      runAt: new Date(Date.now() + waitMs),
    });
  } else {
    await tx.update(tapkeyGrants).set({ state: 'revoked', touched: stillTouched(null), updatedAt: sql`now()` }).where(eq(tapkeyGrants.id, g.id));
    await addEvent(tx, g, 'revoked', ACTOR, { reason: g.reason });
    await recordAudit(tx, {
      organizationId: g.organizationId,
      actor: ACTOR,
      action: 'tapkey_grant.revoked',
      entity: 'tapkey_grant',
      entityId: bookingExternalId,
      before: { state: g.state, tapkeyGrantId: g.tapkeyGrantId },
      after: { state: 'revoked', reason: g.reason, revokedInTapkey: result.revoked },
    });
  }
}

/**
 * Records reconcile outcomes. The common one — a grant found or created for the current
 * generation — is written in bulk (one update, one insert each for history, audit and
 * notices); every other outcome, and a grant that appears twice, goes through completeLocked.
 */
async function completeReconciles(tx: DbOrTx, deps: AppDeps, items: { job: OutboxJob; result: ReconcileResult }[]) {
  const todo = items.flatMap(({ job, result }) => ('skipped' in result ? [] : [{ p: payloadSchema.parse(job.payload), result }]));
  if (todo.length === 0) return;
  const locked = await lockGrants(tx, [...new Set(todo.map((t) => t.p.grantId))]);
  const seen = new Map<string, number>();
  for (const t of todo) seen.set(t.p.grantId, (seen.get(t.p.grantId) ?? 0) + 1);
  const granted: { g: GrantRow; result: Extract<ReconcileResult, { action: 'granted' }>; bookingExternalId: string; unitName: string }[] = [];
  for (const { p, result } of todo) {
    const l = locked.get(p.grantId);
    if (!l) continue;
    if (result.action === 'granted' && l.grant.generation === p.generation && seen.get(p.grantId) === 1) granted.push({ g: l.grant, result, bookingExternalId: l.bookingExternalId, unitName: l.unitName });
    else await completeLocked(tx, deps, p, result, (await lockGrant(tx, p.grantId)) ?? l);
  }
  if (granted.length === 0) return;
  const touchedAfter = ({ g, result }: (typeof granted)[number]) => {
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

export function reconcileHandler(deps: AppDeps): JobHandler<ReconcileResult> {
  return {
    run: (job) => runReconcileBatch(deps, [job])[0]!,
    runBatch: (jobs) => runReconcileBatch(deps, jobs),

    async complete(tx, job, result) {
      await completeReconciles(tx, deps, [{ job, result }]);
    },

    async completeBatch(tx, items) {
      await completeReconciles(tx, deps, items);
    },

    async fail(tx, job, reason) {
      const p = payloadSchema.parse(job.payload);
      const locked = await lockGrant(tx, p.grantId);
      if (!locked || locked.grant.generation !== p.generation) return;
      const { grant: g, bookingExternalId } = locked;
      await tx.update(tapkeyGrants).set({ state: 'failed', reason, updatedAt: sql`now()` }).where(eq(tapkeyGrants.id, g.id));
      await addEvent(tx, g, 'failed', ACTOR, { reason });
      await recordAudit(tx, {
        organizationId: g.organizationId,
        actor: ACTOR,
        action: 'tapkey_grant.failed',
        entity: 'tapkey_grant',
        entityId: bookingExternalId,
        before: { state: g.state },
        after: { state: 'failed', desired: g.desired, reason },
      });
    },
  };
}
