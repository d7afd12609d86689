/**
 * Refreshes a location's cached Keycafe keys and/or SmartBox locations from Keycafe (the
 * route's rate-limit budget), and grants keys that appeared to "apply to all keys" bookings.
 */
import type { Language } from '../../lib/i18n/index.ts';
import { grantNewKeysToAllKeysBookings, SYSTEM_ACTOR } from './bookings.ts';
import { storeKeys, storeLocations, type CatalogScope } from './catalog.ts';
import type { KeycafeAccount } from './client-types.ts';
import type { KeycafeContext } from './context.ts';
import { toApiError } from './errors.ts';

export async function refreshCatalog(ctx: KeycafeContext, account: KeycafeAccount, scope: CatalogScope, what: { keys: boolean; locations: boolean }, lang: Language) {
  const client = ctx.keycafe.client(account, 'route');
  let keys: Awaited<ReturnType<typeof client.listKeys>> | undefined;
  let places: Awaited<ReturnType<typeof client.listOwnLocations>> | undefined;
  try {
    // The account's locations are its keys' home locations (client.ts, listOwnLocations).
    const listed = what.keys || what.locations ? await client.listKeys() : undefined;
    keys = what.keys ? listed : undefined;
    places = what.locations ? await client.listOwnLocations(listed) : undefined;
  } catch (err) {
    throw toApiError(err, lang);
  }
  let granted = 0;
  await ctx.db.transaction(async (tx) => {
    if (places) await storeLocations(tx, scope, places);
    if (keys) {
      await storeKeys(tx, scope, keys, SYSTEM_ACTOR);
      granted = await grantNewKeysToAllKeysBookings(tx, scope.organizationId, scope.locationId, SYSTEM_ACTOR);
    }
  });
  if (granted) ctx.kickOutbox?.();
  return { keys: keys?.length ?? null, locations: places?.length ?? null };
}
