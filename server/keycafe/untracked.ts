/**
 * The operator's answer to an untracked Keycafe access (sweep.ts finds them): adopt it into
 * its booking (the key without a Keycafe access takes it) or cancel it on Keycafe. Both look
 * again first, so only an access that still matches a booking and is still untracked is acted on.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { KeycafeUntrackedAccess } from '../../lib/contract.ts';
import type { Language } from '../../lib/i18n/index.ts';
import { recordAudit } from '../audit.ts';
import { keycafeAccesses } from '../db/schema/index.ts';
import { ApiError, notFound } from '../errors.ts';
import type { DbOrTx } from '../outbox/outbox.ts';
import type { LocationRow } from '../resources.ts';
import { refreshBookingState } from './bookings.ts';
import type { KeycafeClient } from './client.ts';
import type { KeycafeActor, KeycafeContext } from './context.ts';
import { toApiError } from './errors.ts';
import { findUntrackedAccesses } from './sweep.ts';

export type UntrackedAction = 'adopt' | 'cancel';

export async function actOnUntracked(
  ctx: KeycafeContext,
  who: KeycafeActor,
  target: { location: LocationRow; client: KeycafeClient; accessId: string },
  action: UntrackedAction,
  lang: Language,
): Promise<'adopted' | 'cancelled'> {
  const { organizationId } = who;
  const { location, client, accessId } = target;
  let item: KeycafeUntrackedAccess | undefined;
  try {
    item = (await findUntrackedAccesses(ctx.db, client, organizationId, location)).find((i) => i.keycafeAccessId === accessId);
  } catch (err) {
    throw toApiError(err, lang);
  }
  if (!item) throw notFound('Untracked Keycafe access');
  const found = item;
  const audit = (tx: DbOrTx, what: string, after: Record<string, unknown>) =>
    recordAudit(tx, { organizationId, actor: who.actor, action: what, entity: 'keycafe_booking', entityId: found.bookingId, after: { keyId: found.keyId, keycafeAccessId: accessId, ...after } });
  if (action === 'cancel') {
    try {
      await client.deleteAccess(accessId);
    } catch (err) {
      throw toApiError(err, lang);
    }
    await ctx.db.transaction((tx) => audit(tx, 'keycafe.access.untracked_cancelled', {}));
    return 'cancelled';
  }
  if (!found.adoptable) throw new ApiError('conflict', 'This key of the booking already has a Keycafe access (or is being created); cancel the untracked one instead');
  await ctx.db.transaction(async (tx) => {
    const updated = await tx
      .update(keycafeAccesses)
      .set({ keycafeAccessId: accessId, bookingCode: found.bookingCode, state: 'active', reason: null, updatedAt: new Date() })
      .where(
        and(
          eq(keycafeAccesses.organizationId, organizationId),
          eq(keycafeAccesses.bookingId, found.bookingId),
          eq(keycafeAccesses.keyId, found.keyId),
          eq(keycafeAccesses.state, 'failed'),
          sql`${keycafeAccesses.keycafeAccessId} is null`,
        ),
      )
      .returning({ id: keycafeAccesses.id });
    if (updated.length === 0) throw new ApiError('conflict', 'This key of the booking changed meanwhile; look again');
    await audit(tx, 'keycafe.access.adopted', { state: 'active' });
    await refreshBookingState(tx, organizationId, found.bookingId);
  });
  return 'adopted';
}
