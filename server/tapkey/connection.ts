/**
 * "Test connection" and "import locks" for a location. Both are reads a user waits on, so they
 * call Tapkey directly (writes go through the outbox). The test names what is wrong in the
 * words of the setup steps: wrong secret, a permission not set to ReadAndWrite, the client not
 * co-admin of the locking system, or a locking system id the client does not administer.
 */
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { TapkeyConnectionTest } from '../../lib/contract.ts';
import type { AppDeps } from '../env.ts';
import { recordAudit } from '../audit.ts';
import { locks } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import { TapkeyError, toApiError } from './errors.ts';
import { clientForLocation, type LocationRow } from './config.ts';
import type { TapkeyClient } from './client.ts';

type Problem = TapkeyConnectionTest['problems'][number];

const SAMPLE_LOCKS = 50;

function problemOf(err: unknown, what: 'owners' | 'locks' | 'grants' | 'token', ownerAccountId: string): Problem {
  if (!(err instanceof TapkeyError)) throw err;
  switch (err.kind) {
    case 'bad_credentials':
      return { code: 'bad_credentials', message: 'Tapkey rejected the client ID or client secret. Copy both again from the OAuth client in the Tapkey integrator portal.' };
    case 'scope_missing':
      return {
        code: 'scope_missing',
        message: `The OAuth client is not allowed a scope this connection needs (${err.message}). In the integrator portal, set Owners to ReadOnly and Core Entities and Grants to ReadAndWrite.`,
      };
    case 'forbidden': {
      if (what === 'owners') return { code: 'scope_missing', message: 'The OAuth client may not read owner accounts: set Owners to ReadOnly in the integrator portal.' };
      const perm = what === 'locks' ? 'Core Entities' : 'Grants';
      return {
        code: 'forbidden',
        message: `Tapkey refused to list ${what} of locking system ${ownerAccountId}: make the client's service account co-admin of the locking system and set ${perm} to ReadAndWrite.`,
      };
    }
    case 'not_found':
      return { code: 'owner_not_found', message: `Tapkey knows no locking system ${ownerAccountId}. Copy the "Locking system id" from the locking system settings.` };
    case 'rate_limited':
      return { code: 'rate_limited', message: 'Tapkey is rate limiting requests; test again in a minute.' };
    case 'timeout':
    case 'network':
      return { code: 'unreachable', message: `Tapkey cannot be reached: ${err.message}` };
    default:
      return { code: 'provider_error', message: toApiError(err).message };
  }
}

export async function testConnection(deps: AppDeps, location: LocationRow): Promise<TapkeyConnectionTest> {
  const { client, ownerAccountId } = connect(deps, location);
  const report: TapkeyConnectionTest = { ok: false, ownerAccountId, owners: [], ownerFound: false, lockCount: null, locks: [], problems: [] };
  try {
    await client.token();
  } catch (err) {
    report.problems.push(problemOf(err, 'token', ownerAccountId));
    return report;
  }
  try {
    report.owners = (await client.listOwners()).map((o) => ({ id: o.id, name: o.name, active: o.active }));
    report.ownerFound = report.owners.some((o) => o.id.toLowerCase() === ownerAccountId.toLowerCase());
    if (report.owners.length === 0)
      report.problems.push({
        code: 'not_co_admin',
        message:
          "The OAuth client's service account is not co-admin of any locking system. In the Tapkey portal, add the service account's email (shown on the OAuth client's page) as co-admin of the locking system.",
      });
    else if (!report.ownerFound)
      report.problems.push({
        code: 'owner_not_found',
        message: `Locking system ${ownerAccountId} is not among those this client administers: ${report.owners.map((o) => `${o.name ?? '(no name)'} (${o.id})`).join(', ')}.`,
      });
  } catch (err) {
    report.problems.push(problemOf(err, 'owners', ownerAccountId));
  }
  // Tried even when the owner list failed: the locking system may still answer.
  if (report.problems.every((p) => p.code !== 'not_co_admin' && p.code !== 'owner_not_found')) {
    try {
      const bound = await client.listBoundLocks(ownerAccountId);
      report.lockCount = bound.length;
      report.locks = bound.slice(0, SAMPLE_LOCKS).map((l) => ({ id: l.id.toLowerCase(), title: l.title ?? '', active: l.active }));
    } catch (err) {
      report.problems.push(problemOf(err, 'locks', ownerAccountId));
    }
    try {
      await client.peekGrants(ownerAccountId);
    } catch (err) {
      report.problems.push(problemOf(err, 'grants', ownerAccountId));
    }
  }
  report.ok = report.problems.length === 0;
  return report;
}

function connect(deps: AppDeps, location: LocationRow): { client: TapkeyClient; ownerAccountId: string } {
  try {
    return clientForLocation(deps, location);
  } catch (err) {
    throw new ApiError('unprocessable', (err as Error).message);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Imports the location's BoundLocks into `locks` (source tapkey), merged by id with captured
 * ones (their captured URL is kept); Tapkey locks of this location no longer bound are marked
 * inactive, not deleted (mappings may still point at them).
 */
export async function importLocks(deps: AppDeps, location: LocationRow, actor: string) {
  const { client, ownerAccountId } = connect(deps, location);
  let bound;
  try {
    bound = await client.listBoundLocks(ownerAccountId);
  } catch (err) {
    if (err instanceof TapkeyError) throw toApiError(err);
    throw err;
  }
  // Lock ids are UUIDs in the portal URL; anything else cannot be mapped by our contract.
  const usable = bound.filter((l) => UUID.test(l.id)).map((l) => ({ id: l.id.toLowerCase(), title: l.title ?? '', active: l.active }));
  const organizationId = location.organizationId;
  return deps.database.db.transaction(async (tx) => {
    const ids = usable.map((l) => l.id);
    const existing = new Map<string, typeof locks.$inferSelect>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await tx.select().from(locks).where(and(eq(locks.organizationId, organizationId), inArray(locks.id, ids.slice(i, i + 1000)))).for('update');
      for (const r of rows) existing.set(r.id, r);
    }
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    const toInsert: (typeof locks.$inferInsert)[] = [];
    for (const l of usable) {
      const row = existing.get(l.id);
      if (!row) {
        created++;
        toInsert.push({ organizationId, id: l.id, title: l.title, source: 'tapkey', locationId: location.id, active: l.active });
      } else if (row.title === l.title && row.source === 'tapkey' && row.active === l.active && row.locationId === location.id) unchanged++;
      else {
        updated++;
        await tx
          .update(locks)
          .set({ title: l.title || row.title, source: 'tapkey', active: l.active, locationId: location.id, updatedAt: sql`now()` })
          .where(and(eq(locks.organizationId, organizationId), eq(locks.id, l.id)));
      }
    }
    for (let i = 0; i < toInsert.length; i += 500) await tx.insert(locks).values(toInsert.slice(i, i + 500));
    const gone = await tx
      .update(locks)
      .set({ active: false, updatedAt: sql`now()` })
      .where(
        and(
          eq(locks.organizationId, organizationId),
          eq(locks.locationId, location.id),
          eq(locks.source, 'tapkey'),
          sql`${locks.active} is not false`,
          ids.length ? notInArray(locks.id, ids) : sql`true`,
        ),
      )
      .returning({ id: locks.id });
    const result = { total: usable.length, created, updated, unchanged, deactivated: gone.length };
    await recordAudit(tx, { organizationId, actor, action: 'tapkey.locks_imported', entity: 'location', entityId: location.id, after: { ownerAccountId, ...result } });
    return result;
  });
}
