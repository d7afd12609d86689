/**
 * What one reconcile job decides and does at Tapkey for a grant row (server/tapkey/reconcile.ts
 * runs it under the contacts' leases; server/tapkey/reconcile-record.ts writes the outcome).
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tapkeyGrants, type TouchedPair } from '../db/schema/index.ts';
import { PermanentError, RetryableError, type DbOrTx } from '../outbox/outbox.ts';
import { TapkeyError } from './errors.ts';
import type { RevokeOutcome, TapkeyClient } from './client.ts';
import type { GrantRow } from './grants.ts';
import { grantEmail, isBeingRevoked, isCardGrant, isLive, type TapkeyGrant } from './schemas.ts';

/** `check`: the n-th look whether Tapkey finished a revocation it accepted (asynchronous revoke). */
export const payloadSchema = z.object({ grantId: z.string().uuid(), generation: z.number().int(), runId: z.string().uuid().optional(), check: z.number().int().optional() });

export type ReconcileResult =
  | { skipped: 'gone' | 'superseded' }
  | { action: 'granted'; tapkeyGrantId: string; created: boolean; revoked: string[]; cleaned: TouchedPair[] }
  /** `revoking`: grants Tapkey accepted to revoke and still shows active (their lock has not synced). */
  | { action: 'revoked'; revoked: string[]; revoking: string[]; cleaned: TouchedPair[] };

export const samePair = (a: TouchedPair, b: TouchedPair) => a.lockId === b.lockId && a.email === b.email;
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

export class Reconciler {
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

