import type { TapkeyWorld } from '../../sandbox/tapkey-api/index.ts';
import { SANDBOX_OWNER_ID } from '../../sandbox/tapkey-api/index.ts';

/**
 * A grant made in Tapkey by hand before AccessBridge (what a full sync reports as
 * unexplained): written straight into the fake's state, as no API call of ours made it.
 */
export function grantByHand(state: TapkeyWorld, email: string, lockId: string, validFrom: string | null = null): string {
  const contact = state.upsertContact(SANDBOX_OWNER_ID, { identifier: email });
  const id = crypto.randomUUID();
  state.grants.set(id, {
    id,
    ownerId: SANDBOX_OWNER_ID,
    boundLockId: lockId,
    contactId: contact.id,
    boundCardId: null,
    validFrom,
    validBefore: null,
    timeRestrictionIcal: null,
    state: 'Ok',
    active: true,
    createdAt: new Date().toISOString(),
  });
  return id;
}
