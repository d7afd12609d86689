/**
 * Rows → API resources (the shapes of lib/contract.ts), and the organization-scoped lookups
 * the routers share. Every lookup takes the organization id: a row of another organization
 * is simply not found.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Location, Lock, Mapping, Unit } from '../lib/contract.ts';
import { locations, locks, mappings, units } from './db/schema/index.ts';
import { ApiError } from './errors.ts';
import type { DbOrTx } from './outbox/outbox.ts';
import { safeLinkUrl } from '../lib/safe-url.ts';
import { triggersOf } from './tapkey/access.ts';

export type LocationRow = typeof locations.$inferSelect;
export type UnitRow = typeof units.$inferSelect;
export type LockRow = typeof locks.$inferSelect;
export type MappingRow = typeof mappings.$inferSelect;

export function toLocation(row: LocationRow): Location {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    address: row.address ?? null,
    tapkey: row.tapkey
      ? {
          clientId: row.tapkey.clientId,
          ownerAccountId: row.tapkey.ownerAccountId,
          hasSecret: row.tapkeySecret !== null,
          syncMode: row.tapkey.syncMode,
          accessTrigger: row.tapkey.accessTrigger,
          accessTriggers: triggersOf(row.tapkey),
          connectedAt: row.tapkey.connectedAt ?? null,
        }
      : null,
    keycafe: row.keycafe ? { ...row.keycafe, hasToken: row.keycafeToken !== null } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toUnit(row: UnitRow): Unit {
  return {
    id: row.id,
    externalId: row.externalId,
    name: row.name,
    locationId: row.locationId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toLock(row: LockRow): Lock {
  return {
    id: row.id,
    title: row.title,
    source: row.source,
    locationId: row.locationId,
    // Rows stored before page addresses were checked on arrival are checked on the way out too.
    capturedUrl: safeLinkUrl(row.capturedUrl),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toMapping(row: { mapping: MappingRow; unit: UnitRow; lock: LockRow }): Mapping {
  return { unitId: row.unit.id, lockId: row.lock.id, unit: toUnit(row.unit), lock: toLock(row.lock), createdAt: row.mapping.createdAt.toISOString() };
}

export async function findLocation(db: DbOrTx, organizationId: string, id: string): Promise<LocationRow | undefined> {
  const [row] = await db.select().from(locations).where(and(eq(locations.organizationId, organizationId), eq(locations.id, id)));
  return row;
}

export async function findUnit(db: DbOrTx, organizationId: string, externalId: string): Promise<UnitRow | undefined> {
  const [row] = await db.select().from(units).where(and(eq(units.organizationId, organizationId), eq(units.externalId, externalId)));
  return row;
}

export async function findLock(db: DbOrTx, organizationId: string, id: string): Promise<LockRow | undefined> {
  const [row] = await db.select().from(locks).where(and(eq(locks.organizationId, organizationId), eq(locks.id, id)));
  return row;
}

/** The mapping(s) touching a unit or a lock, with both ends, for answers and 409 details. */
export function selectMappings(db: DbOrTx) {
  return db
    .select({ mapping: mappings, unit: units, lock: locks })
    .from(mappings)
    .innerJoin(units, eq(units.id, mappings.unitId))
    .innerJoin(locks, and(eq(locks.organizationId, mappings.organizationId), eq(locks.id, mappings.lockId)));
}

/**
 * A location id given in a request body must be one of the caller's locations; otherwise it
 * is a field error at `path` (never a hint that the id exists in another organization).
 */
export async function assertOwnLocation(db: DbOrTx, organizationId: string, id: string | null | undefined, path: string) {
  if (!id) return;
  if (!(await findLocation(db, organizationId, id)))
    throw new ApiError('validation_failed', 'Some fields are not valid', [{ path, message: 'No such location in your organization' }]);
}

/**
 * List pages are cached only where every write is seen (PGlite, server/db/read-cache.ts): a
 * list must show a change made by another process (a worker, a second API process) at once.
 */
export const LIST_CACHE = { maxAgeMs: Number.POSITIVE_INFINITY, exactOnly: true };

/** Selected beside a page's rows: the number of rows matching, before LIMIT and OFFSET. */
export const totalOver = () => sql<number>`count(*) over()`.mapWith(Number);

/**
 * A list answer from rows selected with `total: totalOver()`: one query for the page and its
 * total. A page past the end has no row to carry the total, so `count` is asked then only.
 */
export async function pageWithTotal<R, T>(rows: { row: R; total: number }[], toItem: (row: R) => T, count: () => Promise<number>) {
  return { items: rows.map((r) => toItem(r.row)), total: rows.length ? rows[0]!.total : await count() };
}

/** `%`, `_` and `\` are wildcards in LIKE; a user searching "A_1" means those characters. */
export const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (ch) => '\\' + ch)}%`;

/** The PostgreSQL SQLSTATE of a failed query (Drizzle wraps the driver's error in `cause`). */
export function pgErrorCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++)
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return undefined;
}
