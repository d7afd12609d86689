/**
 * The one place that decides and writes unit ↔ lock mappings, shared by the single
 * `PUT /v1/units/{externalId}/mapping` and the bulk file import, so both apply the same rules
 * (one-to-one, conflicts unless replacing) and leave the same audit trail.
 */
import { eq, sql } from 'drizzle-orm';
import type { Mapping } from '../lib/contract.ts';
import { insertAudits, type AuditInput } from './audit.ts';
import { locations, mappings } from './db/schema/index.ts';
import type { DbOrTx } from './outbox/outbox.ts';
import { toMapping, type LockRow, type UnitRow } from './resources.ts';
import { onMappingChanged } from './tapkey/grants.ts';

export type MappingChange = {
  action: 'create' | 'replace';
  unit: UnitRow;
  lock: LockRow;
  /** The mapping the lock leaves (another unit's), if any. */
  lockMappedTo: Mapping | null;
  /** The mapping the unit leaves (another lock's), if any. */
  unitMappedTo: Mapping | null;
};

export type MappingPlan =
  | { action: 'unchanged'; mapping: Mapping }
  | MappingChange
  | { action: 'conflict'; lockMappedTo: Mapping | null; unitMappedTo: Mapping | null; message: string };

/**
 * What mapping `unit` to `lock` would do, given the current mappings that touch either of them
 * (others are ignored). Pure, so a dry run and the write agree.
 */
export function planMapping(current: readonly Mapping[], unit: UnitRow, lock: LockRow, replace: boolean): MappingPlan {
  const same = current.find((m) => m.unitId === unit.id && m.lockId === lock.id);
  if (same) return { action: 'unchanged', mapping: same };
  const unitMappedTo = current.find((m) => m.unitId === unit.id) ?? null;
  const lockMappedTo = current.find((m) => m.lockId === lock.id) ?? null;
  if ((unitMappedTo || lockMappedTo) && !replace) {
    const parts = [
      lockMappedTo && `lock ${lock.id} is already mapped to unit ${lockMappedTo.unit.name} (${lockMappedTo.unit.externalId})`,
      unitMappedTo && `unit ${unit.name} (${unit.externalId}) is already mapped to lock ${unitMappedTo.lock.title || unitMappedTo.lockId}`,
    ].filter(Boolean);
    return { action: 'conflict', lockMappedTo, unitMappedTo, message: `Cannot map: ${parts.join(' and ')}. Send "replace": true to move it.` };
  }
  return { action: unitMappedTo || lockMappedTo ? 'replace' : 'create', unit, lock, lockMappedTo, unitMappedTo };
}

export interface LocationInfo {
  name: string;
  /** The Tapkey locking system (owner account) the location is connected to, if any. */
  ownerAccountId: string | null;
}

/**
 * Why `unit` must not be mapped to `lock`, or null: both have a location, they differ, and the
 * two are not connected to one and the same Tapkey locking system (then the unit's grants
 * would be requested from the wrong Tapkey account). A lock or unit without a location is not
 * refused: nothing says it is elsewhere.
 */
export function locationMismatch(
  unit: UnitRow,
  lock: LockRow,
  infoOf: (locationId: string) => LocationInfo | undefined = () => undefined,
): { lockLocation: string; unitLocation: string; message: string } | null {
  if (!unit.locationId || !lock.locationId || unit.locationId === lock.locationId) return null;
  const lockInfo = infoOf(lock.locationId);
  const unitInfo = infoOf(unit.locationId);
  const sameSystem = lockInfo?.ownerAccountId && unitInfo?.ownerAccountId && lockInfo.ownerAccountId.toLowerCase() === unitInfo.ownerAccountId.toLowerCase();
  if (sameSystem) return null;
  const lockLocation = lockInfo?.name ?? lock.locationId;
  const unitLocation = unitInfo?.name ?? unit.locationId;
  return {
    lockLocation,
    unitLocation,
    message: `Lock ${lock.id} belongs to location ${lockLocation}, unit ${unit.name} (${unit.externalId}) to ${unitLocation}: map a unit only to a lock of its own location`,
  };
}

/** The organization's locations as `locationMismatch` needs them. */
export async function locationInfos(tx: DbOrTx, organizationId: string): Promise<Map<string, LocationInfo>> {
  const rows = await tx.select({ id: locations.id, name: locations.name, tapkey: locations.tapkey }).from(locations).where(eq(locations.organizationId, organizationId));
  return new Map(rows.map((l) => [l.id, { name: l.name, ownerAccountId: l.tapkey?.ownerAccountId ?? null }]));
}

/**
 * locationMismatch for one unit and lock, reading the organization's locations only when both
 * have a location and they differ (the only case that needs them): most mappings cost no read.
 */
export async function findLocationMismatch(tx: DbOrTx, organizationId: string, unit: UnitRow, lock: LockRow) {
  if (!unit.locationId || !lock.locationId || unit.locationId === lock.locationId) return null;
  const infos = await locationInfos(tx, organizationId);
  return locationMismatch(unit, lock, (id) => infos.get(id));
}

const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/** The transaction's time (`now()`), which a mapping inserted in it gets as `created_at`. */
async function transactionTime(tx: DbOrTx): Promise<Date> {
  const [row] = await tx.select({ at: sql`now()`.mapWith(mappings.createdAt) }).from(sql`(select 1) as one`);
  return row!.at;
}

/**
 * Writes planned changes inside the caller's transaction: removes the mappings they displace,
 * inserts the new ones, records `mapping.deleted` for a unit that loses its lock and
 * `mapping.created` / `mapping.replaced` for each change. The changes must not share a unit
 * or a lock with each other (the caller checks); the unique indexes are the last guard.
 * `at`: the transaction's `now()` when the caller has already read it (saves a round trip).
 */
export async function applyMappingChanges(tx: DbOrTx, organizationId: string, actor: string, changes: MappingChange[], at?: Date): Promise<Mapping[]> {
  if (changes.length === 0) return [];
  const displaced = new Set<string>();
  const audits: AuditInput[] = [];
  for (const c of changes) {
    if (c.lockMappedTo) {
      displaced.add(c.lockMappedTo.unitId);
      // The lock leaves another unit: that unit's mapping ends, recorded on that unit.
      audits.push({ organizationId, actor, action: 'mapping.deleted', entity: 'mapping', entityId: c.lockMappedTo.unit.externalId, before: c.lockMappedTo });
    }
    if (c.unitMappedTo) displaced.add(c.unit.id);
  }
  // One uuid[] parameter whatever the count (a bulk import displaces thousands). A statement
  // of its own: the unique indexes would see the deleted rows still there if the insert ran in it.
  if (displaced.size) await tx.execute(sql`delete from ${mappings} where organization_id = ${organizationId} and unit_id = any(${uuidArray([...displaced])}::uuid[])`);

  const createdAt = at ?? (await transactionTime(tx));
  const created: Mapping[] = [];
  for (const c of changes) {
    const mapping = toMapping({ mapping: { organizationId, unitId: c.unit.id, lockId: c.lock.id, createdAt }, unit: c.unit, lock: c.lock });
    created.push(mapping);
    audits.push({
      organizationId,
      actor,
      action: c.unitMappedTo ? 'mapping.replaced' : 'mapping.created',
      entity: 'mapping',
      entityId: c.unit.externalId,
      before: c.unitMappedTo,
      after: mapping,
    });
  }
  // The mappings and their events in one statement, with two uuid arrays instead of three
  // bind parameters per row (bulk imports).
  await tx.execute(sql`
    with inserted as (
      insert into ${mappings} (organization_id, unit_id, lock_id)
      select ${organizationId}::uuid, u, l from unnest(${uuidArray(changes.map((c) => c.unit.id))}::uuid[], ${uuidArray(changes.map((c) => c.lock.id))}::uuid[]) as x(u, l)
    )
    ${insertAudits(audits)}`);
  // Units whose lock changed: their bookings' Tapkey grants move or are revoked.
  await onMappingChanged(tx, { organizationId, actor, unitIds: [...displaced, ...changes.map((c) => c.unit.id)] });
  return created;
}
