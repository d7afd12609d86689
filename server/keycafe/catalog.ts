/**
 * The cached copy of a Keycafe account's keys and SmartBox locations. Listing through the API
 * reads the cache (fast, searchable, no Keycafe call); a refresh lists Keycafe again, records
 * keys that appeared or disappeared, and grants new keys to "apply to all keys" bookings.
 */
import { and, asc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { KeycafeKey, KeycafeLocation } from '../../lib/contract.ts';
import { recordAudit } from '../audit.ts';
import { keycafeKeys, keycafeLocations, keycafeSyncState } from '../db/schema/index.ts';
import type { DbOrTx } from '../outbox/outbox.ts';
import type { KeycafeApiKey, KeycafeApiLocation } from './api-schemas.ts';

export interface CatalogScope {
  organizationId: string;
  locationId: string;
  /** The Keycafe account the lists come from. */
  accountEmail: string;
}

/** Replaces the cached keys with Keycafe's list; returns the ids that are new (or came back). */
export async function storeKeys(tx: DbOrTx, scope: CatalogScope, keys: KeycafeApiKey[], actor: string): Promise<{ added: string[]; removed: string[] }> {
  const where = and(eq(keycafeKeys.organizationId, scope.organizationId), eq(keycafeKeys.locationId, scope.locationId));
  const before = await tx.select({ id: keycafeKeys.keycafeId, removedAt: keycafeKeys.removedAt }).from(keycafeKeys).where(where);
  const live = new Set(before.filter((k) => !k.removedAt).map((k) => k.id));
  const incoming = new Set(keys.map((k) => k.id));
  const added = keys.filter((k) => !live.has(k.id)).map((k) => k.id);
  const removed = [...live].filter((id) => !incoming.has(id));
  const now = new Date();
  if (keys.length)
    await tx
      .insert(keycafeKeys)
      .values(
        keys.map((k) => ({
          organizationId: scope.organizationId,
          locationId: scope.locationId,
          keycafeId: k.id,
          name: k.name,
          serialNumber: k.serialNumber,
          homeLocationId: k.homeLocation?.id ?? null,
          syncedAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: [keycafeKeys.locationId, keycafeKeys.keycafeId],
        set: {
          name: sql`excluded.name`,
          serialNumber: sql`excluded.serial_number`,
          homeLocationId: sql`excluded.home_location_id`,
          syncedAt: now,
          removedAt: null,
        },
      });
  if (removed.length) await tx.update(keycafeKeys).set({ removedAt: now }).where(and(where, inArray(keycafeKeys.keycafeId, removed)));
  await markSynced(tx, scope, { keysSyncedAt: now });
  if (before.length > 0 && (added.length || removed.length))
    await recordAudit(tx, { organizationId: scope.organizationId, actor, action: 'keycafe.keys.changed', entity: 'location', entityId: scope.locationId, after: { added, removed } });
  return { added, removed };
}

export async function storeLocations(tx: DbOrTx, scope: CatalogScope, list: KeycafeApiLocation[]): Promise<void> {
  const where = and(eq(keycafeLocations.organizationId, scope.organizationId), eq(keycafeLocations.locationId, scope.locationId));
  const now = new Date();
  await tx.delete(keycafeLocations).where(where);
  if (list.length)
    await tx.insert(keycafeLocations).values(
      list.map((l) => ({ organizationId: scope.organizationId, locationId: scope.locationId, keycafeId: l.id, name: l.name, address: l.address, timeZone: l.timeZone, syncedAt: now })),
    );
  await markSynced(tx, scope, { locationsSyncedAt: now });
}

async function markSynced(tx: DbOrTx, scope: CatalogScope, set: { keysSyncedAt?: Date; locationsSyncedAt?: Date }) {
  const [row] = await tx.select().from(keycafeSyncState).where(eq(keycafeSyncState.locationId, scope.locationId)).for('update');
  const accountEmail = scope.accountEmail.toLowerCase();
  // After an account switch the other list's time belongs to the old account.
  const values = row && row.accountEmail !== accountEmail ? { keysSyncedAt: null, locationsSyncedAt: null, ...set } : set;
  await tx
    .insert(keycafeSyncState)
    .values({ locationId: scope.locationId, organizationId: scope.organizationId, accountEmail, ...values })
    .onConflictDoUpdate({ target: keycafeSyncState.locationId, set: { accountEmail, ...values } });
}

/** When the cache was filled from this account; null when never (or from another account). */
export async function syncStateOf(db: DbOrTx, scope: CatalogScope) {
  const [row] = await db
    .select()
    .from(keycafeSyncState)
    .where(and(eq(keycafeSyncState.organizationId, scope.organizationId), eq(keycafeSyncState.locationId, scope.locationId)));
  return row && row.accountEmail === scope.accountEmail.toLowerCase() ? row : null;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** Cached keys still on Keycafe, with their SmartBox location and its time zone; `search` matches name or serial. */
export async function cachedKeys(db: DbOrTx, organizationId: string, opts: { locationIds?: string[]; search?: string; keyIds?: string[] } = {}): Promise<KeycafeKey[]> {
  const conds: (SQL | undefined)[] = [eq(keycafeKeys.organizationId, organizationId)];
  if (opts.locationIds) conds.push(opts.locationIds.length ? inArray(keycafeKeys.locationId, opts.locationIds) : sql`false`);
  if (opts.keyIds) conds.push(opts.keyIds.length ? inArray(keycafeKeys.keycafeId, opts.keyIds) : sql`false`);
  conds.push(isNull(keycafeKeys.removedAt));
  if (opts.search?.trim()) {
    const pattern = `%${likeEscape(opts.search.trim())}%`;
    conds.push(or(ilike(keycafeKeys.name, pattern), ilike(keycafeKeys.serialNumber, pattern)));
  }
  const rows = await db
    .select({ key: keycafeKeys, place: keycafeLocations })
    .from(keycafeKeys)
    .leftJoin(keycafeLocations, and(eq(keycafeLocations.locationId, keycafeKeys.locationId), eq(keycafeLocations.keycafeId, keycafeKeys.homeLocationId)))
    .where(and(...conds))
    .orderBy(asc(keycafeKeys.name), asc(keycafeKeys.keycafeId));
  return rows.map(({ key, place }) => ({
    id: key.keycafeId,
    name: key.name,
    serialNumber: key.serialNumber,
    locationId: key.homeLocationId,
    locationName: place?.name ?? null,
    timeZone: place?.timeZone ?? null,
    accountLocationId: key.locationId,
  }));
}

export async function cachedLocations(db: DbOrTx, organizationId: string, opts: { locationIds?: string[]; search?: string } = {}): Promise<KeycafeLocation[]> {
  const conds: (SQL | undefined)[] = [eq(keycafeLocations.organizationId, organizationId)];
  if (opts.locationIds) conds.push(opts.locationIds.length ? inArray(keycafeLocations.locationId, opts.locationIds) : sql`false`);
  if (opts.search?.trim()) {
    const pattern = `%${likeEscape(opts.search.trim())}%`;
    conds.push(or(ilike(keycafeLocations.name, pattern), ilike(keycafeLocations.address, pattern)));
  }
  const rows = await db.select().from(keycafeLocations).where(and(...conds)).orderBy(asc(keycafeLocations.name));
  return rows.map((r) => ({ id: r.keycafeId, name: r.name, address: r.address, timeZone: r.timeZone, accountLocationId: r.locationId }));
}
