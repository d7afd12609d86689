/**
 * Tapkey locks known to the organization: imported from the Tapkey API (`source: tapkey`) or
 * captured from the Tapkey portal by the extension (`source: captured`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, count, eq, exists, ilike, inArray, not, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { captureLocksInput, captureLocksResult, lockIdSchema } from '../../lib/contract.ts';
import { extractOwnerAccountId } from '../../lib/lock-id.ts';
import type { DbOrTx } from '../outbox/outbox.ts';
import { recordAudits } from '../audit.ts';
import { locations, locks, mappings } from '../db/schema/index.ts';
import { ApiError, notFound } from '../errors.ts';
import { prepared } from '../db/prepared.ts';
import { cachedRead } from '../db/read-cache.ts';
import { findLock, LIST_CACHE, likePattern, pageWithTotal, toLock, totalOver, type LockRow } from '../resources.ts';
import { createRouter } from '../router.ts';
import { authErrors, booleanQuery, errors, json, jsonBody, Lock, LockList, openapi, paging } from './openapi.ts';

const tags = ['Locks'];

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'Locks, by title; filter by text, source, mapped state and location',
  request: {
    query: z.object({
      search: z.string().trim().max(200).optional().openapi({ description: 'Part of the title or lock id, case-insensitive' }),
      source: z.enum(['tapkey', 'captured']).optional(),
      mapped: booleanQuery.optional().openapi({ description: '`true`: only locks mapped to a unit; `false`: only unmapped ones' }),
      locationId: z.string().uuid('Not a valid UUID').optional(),
      ...paging(1000, 100),
    }),
  },
  responses: { 200: json(LockList, 'A page of locks and the total matching'), ...authErrors },
});

const get = createRoute({
  method: 'get',
  path: '/{lockId}',
  tags,
  summary: 'One lock',
  request: { params: z.object({ lockId: openapi(lockIdSchema, { param: { name: 'lockId', in: 'path' } }) }) },
  responses: { 200: json(Lock, 'The lock'), ...errors(400, 401, 404) },
});

const capture = createRoute({
  method: 'post',
  path: '/captured',
  tags,
  summary: 'Record locks seen on Tapkey portal pages (one or many, up to 1,000)',
  description:
    'Upserts by lock id. New locks get `source: captured`; known locks keep their source, get the page URL, and take the ' +
    'captured title unless it is empty (an empty title never replaces a known one). Sending a lock twice in one request ' +
    'counts it once (the last copy wins). `locationId` sets the location of new locks and of known locks without one.',
  request: jsonBody(openapi(captureLocksInput, 'CaptureLocksInput')),
  responses: { 200: json(openapi(captureLocksResult, 'CaptureLocksResult'), 'What changed'), ...errors(400, 401, 413) },
});

type Captured = z.infer<typeof captureLocksInput>['locks'][number];

/** The row a capture leads to, or null when it would change nothing. */
function applyCapture(row: LockRow, lock: Captured & { ownerLocationId?: string }): Partial<LockRow> | null {
  const changes: Partial<LockRow> = {};
  if (lock.title && lock.title !== row.title) changes.title = lock.title;
  if (lock.pageUrl !== row.capturedUrl) changes.capturedUrl = lock.pageUrl;
  // The locking system in the page URL is the lock's truth; a location sent fills a gap only.
  if (lock.ownerLocationId && lock.ownerLocationId !== row.locationId) changes.locationId = lock.ownerLocationId;
  else if (lock.locationId && !row.locationId) changes.locationId = lock.locationId;
  return Object.keys(changes).length ? changes : null;
}

/**
 * Captured locks whose page URL names a locking system (owner account) one of the
 * organization's locations is connected to get that location, whatever the sender said.
 */
async function locateByOwnerAccount(tx: DbOrTx, organizationId: string, byId: Map<string, Captured & { ownerLocationId?: string }>) {
  const owners = new Map<string, string>();
  for (const l of byId.values()) {
    const owner = extractOwnerAccountId(l.pageUrl);
    if (owner) owners.set(l.id, owner);
  }
  if (!owners.size) return;
  const connected = await tx.select({ id: locations.id, tapkey: locations.tapkey }).from(locations).where(eq(locations.organizationId, organizationId));
  // An owner account several locations share names none of them in particular.
  const byOwner = new Map<string, string | null>();
  for (const l of connected.filter((l) => l.tapkey)) {
    const owner = l.tapkey!.ownerAccountId.toLowerCase();
    byOwner.set(owner, byOwner.has(owner) ? null : l.id);
  }
  for (const [lockId, owner] of owners) {
    const locationId = byOwner.get(owner);
    if (locationId) byId.get(lockId)!.ownerLocationId = locationId;
  }
}

type LocksShape = { search: boolean; source: boolean; locationId: boolean; mapped: boolean | undefined };

/** A locks list's conditions for the filters in `shape`; `value` gives each one (or its placeholder). */
function locksWhere(db: DbOrTx, shape: LocksShape, value: (key: 'org' | 'pattern' | 'source' | 'locationId') => string | Placeholder) {
  const where: SQL[] = [eq(locks.organizationId, value('org'))];
  if (shape.search) where.push(sql`(${ilike(locks.title, value('pattern'))} or ${locks.id}::text ilike ${value('pattern')})`);
  if (shape.source) where.push(sql`${locks.source} = ${value('source')}`);
  if (shape.locationId) where.push(eq(locks.locationId, value('locationId')));
  if (shape.mapped !== undefined) {
    const isMapped = exists(
      db
        .select({ one: sql`1` })
        .from(mappings)
        .where(and(eq(mappings.organizationId, value('org')), eq(mappings.lockId, locks.id))),
    );
    where.push(shape.mapped ? isMapped : not(isMapped));
  }
  return and(...where);
}

export const locksRouter = createRouter()
  .openapi(list, async (c) => {
    const { search, source, mapped, locationId, limit, offset } = c.req.valid('query');
    const { database } = c.get('deps');
    const params = { org: c.get('organizationId'), pattern: search ? likePattern(search) : undefined, source, locationId, limit, offset };
    const shape: LocksShape = { search: Boolean(search), source: Boolean(source), locationId: Boolean(locationId), mapped };
    const page = await cachedRead(database, `locks:${JSON.stringify([params, mapped])}`, LIST_CACHE, async () => {
      const name = `locks_page_${+shape.search}${+shape.source}${+shape.locationId}${mapped === undefined ? 'x' : +mapped}`;
      const query = prepared(database, name, (db) =>
        db
          .select({ row: locks, total: totalOver() })
          .from(locks)
          .where(locksWhere(db, shape, (key) => sql.placeholder(key)))
          .orderBy(asc(locks.title), asc(locks.id))
          .limit(sql.placeholder('limit'))
          .offset(sql.placeholder('offset'))
          .prepare(name),
      );
      const { db } = database;
      const total = async () => (await db.select({ n: count() }).from(locks).where(locksWhere(db, shape, (key) => params[key]!)))[0]!.n;
      return pageWithTotal(await query.execute(params), toLock, total);
    });
    return c.json(page, 200);
  })
  .openapi(get, async (c) => {
    const row = await findLock(c.get('deps').database.db, c.get('organizationId'), c.req.valid('param').lockId);
    if (!row) throw notFound('Lock');
    return c.json(toLock(row), 200);
  })
  .openapi(capture, async (c) => {
    const organizationId = c.get('organizationId');
    const actor = c.get('actor');
    const input = c.req.valid('json');
    // lockIdSchema lower-cases ids, so one lock sent twice (any case) is one entry here.
    const byId = new Map<string, Captured & { ownerLocationId?: string }>();
    for (const lock of input.locks) byId.set(lock.id, lock);

    const result = await c.get('deps').database.db.transaction(async (tx) => {
      await locateByOwnerAccount(tx, organizationId, byId);
      const locationIds = [...new Set([...byId.values()].map((l) => l.locationId).filter((id): id is string => Boolean(id)))];
      if (locationIds.length) {
        const own = new Set(
          (
            await tx
              .select({ id: locations.id })
              .from(locations)
              .where(and(eq(locations.organizationId, organizationId), inArray(locations.id, locationIds)))
          ).map((r) => r.id),
        );
        const bad = input.locks.flatMap((l, i) => (l.locationId && !own.has(l.locationId) ? [{ path: `locks.${i}.locationId`, message: 'No such location in your organization' }] : []));
        if (bad.length) throw new ApiError('validation_failed', 'Some fields are not valid', bad);
      }

      const ids = [...byId.keys()];
      const inserted = await tx
        .insert(locks)
        .values(
          [...byId.values()].map((l) => ({
            organizationId,
            id: l.id,
            title: l.title,
            source: 'captured' as const,
            locationId: l.ownerLocationId ?? l.locationId ?? null,
            capturedUrl: l.pageUrl,
          })),
        )
        .onConflictDoNothing({ target: [locks.organizationId, locks.id] })
        .returning();
      const insertedIds = new Set(inserted.map((r) => r.id));
      const existing = await tx
        .select()
        .from(locks)
        .where(and(eq(locks.organizationId, organizationId), inArray(locks.id, ids.filter((id) => !insertedIds.has(id)))))
        .for('update');

      const audits = inserted.map((row) => ({ action: 'lock.captured', entityId: row.id, before: null as unknown, after: toLock(row) as unknown }));
      const saved: LockRow[] = [...inserted];
      let updated = 0;
      let unchanged = 0;
      for (const row of existing) {
        const changes = applyCapture(row, byId.get(row.id)!);
        if (!changes) {
          unchanged++;
          saved.push(row);
          continue;
        }
        const [next] = await tx
          .update(locks)
          .set({ ...changes, updatedAt: new Date() })
          .where(and(eq(locks.organizationId, organizationId), eq(locks.id, row.id)))
          .returning();
        updated++;
        saved.push(next!);
        audits.push({ action: 'lock.updated', entityId: row.id, before: toLock(row), after: toLock(next!) });
      }
      await recordAudits(tx, audits.map((a) => ({ organizationId, actor, entity: 'lock', ...a })));

      const order = new Map(ids.map((id, i) => [id, i]));
      saved.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      return { created: inserted.length, updated, unchanged, locks: saved.map(toLock) };
    });
    return c.json(result, 200);
  });
