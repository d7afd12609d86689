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
import { translate } from '../../lib/i18n/index.ts';
import { TapkeyError, portalPermissionsText, toApiError } from './errors.ts';
import type { LocationRow } from '../resources.ts';
import { clientForLocation } from './config.ts';
import { PAGE_ORDER, TAPKEY_SCOPES, type TapkeyClient } from './client.ts';

type Problem = TapkeyConnectionTest['problems'][number];

const SAMPLE_LOCKS = 50;

function problemOf(err: unknown, what: 'owners' | 'locks' | 'grants' | 'token', ownerAccountId: string): Problem {
  if (!(err instanceof TapkeyError)) throw err;
  switch (err.kind) {
    case 'bad_credentials':
      return { code: 'bad_credentials', message: 'Tapkey rejected the client ID or client secret. Copy both again from the OAuth client in the Tapkey Integrator portal.' };
    case 'scope_missing':
    case 'unauthorized':
      // Both name the Integrator-portal permission to set (errors.ts toApiError).
      return { code: 'scope_missing', message: toApiError(err).message };
    case 'forbidden': {
      if (what === 'owners') return { code: 'scope_missing', message: 'The OAuth client may not read owner accounts: set Owners to ReadOnly in the Integrator portal.' };
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

type Call = TapkeyConnectionTest['calls'][number];

/**
 * Runs every query the sync will run, as the sync runs it (same $filter, $orderby and paging),
 * and reports each: a 400 on the grants lock filter would otherwise fail every grant job while
 * a lighter test passed. Writes (create, revoke) cannot be tried without changing Tapkey: they
 * are listed with the permission they need.
 */
export async function testConnection(deps: AppDeps, location: LocationRow): Promise<TapkeyConnectionTest> {
  const { client, ownerAccountId } = connect(deps, location);
  const report: TapkeyConnectionTest = { ok: false, ownerAccountId, owners: [], ownerFound: false, lockCount: null, locks: [], problems: [], calls: [], lockFilter: null };
  const owner = `/Owners/${ownerAccountId}`;
  const filter = (where: { boundLockId?: string }) => client.grantsFilter(where);
  const record = (call: string, purpose: string, result: Call['result'], err?: unknown, message?: string) =>
    report.calls.push({ call, purpose, result, status: err instanceof TapkeyError ? (err.info.status ?? null) : null, message: message ?? null });
  const fail = (call: string, purpose: string, err: unknown, what: 'owners' | 'locks' | 'grants' | 'token') => {
    const problem = problemOf(err, what, ownerAccountId);
    report.problems.push(problem);
    record(call, purpose, 'failed', err, problem.message);
  };

  const tokenCall = `POST /connect/token (scope=${TAPKEY_SCOPES.join(' ')})`;
  try {
    await client.token();
    record(tokenCall, 'log in with the client credentials', 'ok');
  } catch (err) {
    fail(tokenCall, 'log in with the client credentials', err, 'token');
    return report;
  }
  try {
    report.owners = (await client.listOwners()).map((o) => ({ id: o.id, name: o.name, active: o.active }));
    report.ownerFound = report.owners.some((o) => o.id.toLowerCase() === ownerAccountId.toLowerCase());
    record('GET /Owners', 'the locking systems the client administers', 'ok');
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
    fail('GET /Owners', 'the locking systems the client administers', err, 'owners');
  }

  const locksCall = `GET ${owner}/BoundLocks?$orderby=${PAGE_ORDER}&$top=…&$skip=…`;
  const scanCall = `GET ${owner}/Grants?$filter=${filter({})}&$orderby=${PAGE_ORDER}`;
  const readCall = `GET ${owner}/Grants/{id}`;
  const writes: [string, string, string][] = [
    [`PUT ${owner}/Grants`, 'create a grant for a booking', 'write:grants'],
    [`POST ${owner}/Grants/{id}/Revoke (body {"dryRun": false})`, 'revoke a grant', 'write:grants'],
  ];
  // Tried even when the owner list failed: the locking system may still answer.
  if (report.problems.some((p) => p.code === 'not_co_admin' || p.code === 'owner_not_found')) {
    for (const [call, purpose] of [
      [locksCall, 'import the bound locks'],
      [scanCall, 'full sync: every active grant'],
      [`GET ${owner}/Grants?$filter=${filter({ boundLockId: '{lockId}' })}`, 'one lock\'s grants (every grant job)'],
      [readCall, 'read one grant'],
    ] as const)
      record(call, purpose, 'skipped', undefined, 'Not tried: the locking system is not reachable with this client.');
  } else {
    let sampleLock: string | undefined;
    try {
      const bound = await client.listBoundLocks(ownerAccountId);
      report.lockCount = bound.length;
      report.locks = bound.slice(0, SAMPLE_LOCKS).map((l) => ({ id: l.id.toLowerCase(), title: l.title ?? '', active: l.active }));
      sampleLock = bound[0]?.id;
      record(locksCall, 'import the bound locks', 'ok');
    } catch (err) {
      fail(locksCall, 'import the bound locks', err, 'locks');
    }
    let sampleGrant: string | undefined;
    try {
      sampleGrant = (await client.peekGrants(ownerAccountId))[0]?.id;
      record(scanCall, 'full sync: every active grant', 'ok');
    } catch (err) {
      fail(scanCall, 'full sync: every active grant', err, 'grants');
    }
    const lockCall = `GET ${owner}/Grants?$filter=${filter({ boundLockId: sampleLock ?? '{lockId}' })}&$orderby=${PAGE_ORDER}`;
    if (!sampleLock) record(lockCall, "one lock's grants (every grant job)", 'skipped', undefined, 'Not tried: the locking system has no bound lock to try it on.');
    else
      try {
        await client.peekGrants(ownerAccountId, { boundLockId: sampleLock });
        record(lockCall, "one lock's grants (every grant job)", 'ok');
        report.lockFilter = 'server';
      } catch (err) {
        if (err instanceof TapkeyError && err.kind === 'bad_request') {
          // The sync reads `active eq true` and filters by lock itself: works, costs more reads.
          client.noteLockFilterRefused(ownerAccountId);
          report.lockFilter = 'client';
          record(lockCall, "one lock's grants (every grant job)", 'fallback', err, `${translate('en', 'tapkeySync.lockFilter.refused')} (Tapkey: ${err.message})`);
        } else fail(lockCall, "one lock's grants (every grant job)", err, 'grants');
      }
    if (!sampleGrant) record(readCall, 'read one grant (checking a revocation)', 'skipped', undefined, 'Not tried: the locking system has no active grant to read.');
    else
      try {
        await client.getGrant(ownerAccountId, sampleGrant);
        record(readCall.replace('{id}', sampleGrant), 'read one grant (checking a revocation)', 'ok');
      } catch (err) {
        fail(readCall.replace('{id}', sampleGrant), 'read one grant (checking a revocation)', err, 'grants');
      }
  }
  const granted = client.grantedScopes();
  for (const [call, purpose, scope] of writes) {
    const lacking = granted && !granted.includes(scope);
    record(
      call,
      purpose,
      'not_tried',
      undefined,
      lacking
        ? `The token was not granted ${scope}: in the Integrator portal set ${portalPermissionsText([scope])}.`
        : `Not tried (it would change Tapkey). Needs ${scope}: in the Integrator portal, ${portalPermissionsText([scope])}, and the service account co-admin of the locking system.`,
    );
    if (lacking) report.problems.push({ code: 'scope_missing', message: `The token was not granted ${scope}: in the Integrator portal set ${portalPermissionsText([scope])}.` });
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
