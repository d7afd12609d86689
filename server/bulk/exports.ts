/**
 * The rows of the two exports: current mappings in the mapping-file layout, and every known
 * lock (imported from Tapkey or captured from its portal) with its mapped unit, which is the
 * bulk export of lock IDs Tapkey itself does not offer.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { locations, locks, mappings, units } from '../db/schema/index.ts';
import { selectMappings } from '../resources.ts';

/** `[Tapkey Lock ID, Kinnovis Unit Name]`, ordered by unit name. */
export async function mappingExportRows(db: Db, organizationId: string): Promise<string[][]> {
  const rows = await selectMappings(db).where(eq(mappings.organizationId, organizationId)).orderBy(asc(units.name), asc(units.externalId));
  return rows.map((r) => [r.lock.id, r.unit.name]);
}

/** In the order of LOCK_EXPORT_HEADERS, ordered by lock title. */
export async function lockExportRows(db: Db, organizationId: string): Promise<string[][]> {
  const rows = await db
    .select({ lock: locks, unitName: units.name, unitExternalId: units.externalId, locationName: locations.name })
    .from(locks)
    .leftJoin(mappings, and(eq(mappings.organizationId, locks.organizationId), eq(mappings.lockId, locks.id)))
    .leftJoin(units, eq(units.id, mappings.unitId))
    .leftJoin(locations, eq(locations.id, locks.locationId))
    .where(eq(locks.organizationId, organizationId))
    .orderBy(asc(locks.title), asc(locks.id));
  return rows.map((r) => [r.lock.id, r.unitName ?? '', r.lock.title, r.lock.source, r.locationName ?? '', r.lock.capturedUrl ?? '', r.unitExternalId ?? '']);
}
