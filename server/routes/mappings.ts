/**
 * Unit ↔ lock mappings, one-to-one. A PUT that would map a lock or unit already mapped
 * elsewhere is a 409 that shows both conflicting mappings, unless `replace: true` moves them,
 * all in one transaction.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, count, eq, or, sql, type SQL } from 'drizzle-orm';
import { fieldErrorSchema, lockIdSchema, mappingConflictSchema, mappingInput } from '../../lib/contract.ts';
import { recordAudits } from '../audit.ts';
import { locks, mappings, units } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import { applyMappingChanges, findLocationMismatch, planMapping } from '../mappings.ts';
import { onMappingChanged } from '../tapkey/grants.ts';
import { findUnit, selectMappings, toMapping } from '../resources.ts';
import { preparedIn } from '../db/prepared.ts';
import { createRouter } from '../router.ts';
import { authErrors, errors, json, jsonBody, Mapping as MappingSchema, MappingList, openapi, paging } from './openapi.ts';
import { externalIdParam } from './units.ts';

const tags = ['Mappings'];
const unitParams = z.object({ externalId: externalIdParam });

const list = createRoute({
  method: 'get',
  path: '/v1/mappings',
  tags,
  summary: 'Mappings with both ends, by unit name',
  request: {
    query: z.object({
      unitExternalId: z.string().trim().min(1).max(200).optional(),
      lockId: lockIdSchema.optional(),
      locationId: z.string().uuid('Not a valid UUID').optional().openapi({ description: "The unit's location (the lock's when the unit has none)" }),
      ...paging(1000, 100),
    }),
  },
  responses: { 200: json(MappingList, 'A page of mappings and the total matching'), ...authErrors },
});

const put = createRoute({
  method: 'put',
  path: '/v1/units/{externalId}/mapping',
  tags,
  summary: 'Map a unit to a lock',
  description:
    'The unit must exist (PUT /v1/units/{externalId}) and the lock must be known (captured from the portal or imported from Tapkey). ' +
    '201: created; 200: already so (idempotent) or replaced. 409 `conflict` when the lock or the unit is mapped elsewhere; ' +
    '`details` holds `lockMappedTo` and `unitMappedTo`. Send `replace: true` to move them. ' +
    '422 `unprocessable` when the lock belongs to another location than the unit (its grants would be requested from the wrong Tapkey account).',
  request: { params: unitParams, ...jsonBody(openapi(mappingInput, 'MappingInput')) },
  responses: {
    200: json(MappingSchema, 'Unchanged or replaced'),
    201: json(MappingSchema, 'Created'),
    ...errors(400, 401, 404, 413, 422),
    409: json(
      z.object({ error: z.object({ code: z.literal('conflict'), message: z.string() }), fieldErrors: z.array(fieldErrorSchema), details: openapi(mappingConflictSchema, 'MappingConflict') }),
      'The lock or the unit is already mapped elsewhere',
    ),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/v1/units/{externalId}/mapping',
  tags,
  summary: "Remove a unit's mapping",
  request: { params: unitParams },
  responses: { 204: { description: 'Removed' }, ...errors(400, 401, 404) },
});

export const mappingsRouter = createRouter()
  .openapi(list, async (c) => {
    const { unitExternalId, lockId, locationId, limit, offset } = c.req.valid('query');
    const { db } = c.get('deps').database;
    const where: SQL[] = [eq(mappings.organizationId, c.get('organizationId'))];
    if (unitExternalId) where.push(eq(units.externalId, unitExternalId));
    if (lockId) where.push(eq(mappings.lockId, lockId));
    if (locationId) where.push(sql`coalesce(${units.locationId}, ${locks.locationId}) = ${locationId}`);
    const [rows, [total]] = await Promise.all([
      selectMappings(db).where(and(...where)).orderBy(asc(units.name), asc(units.externalId)).limit(limit).offset(offset),
      db
        .select({ n: count() })
        .from(mappings)
        .innerJoin(units, eq(units.id, mappings.unitId))
        .innerJoin(locks, and(eq(locks.organizationId, mappings.organizationId), eq(locks.id, mappings.lockId)))
        .where(and(...where)),
    ]);
    return c.json({ items: rows.map(toMapping), total: total!.n }, 200);
  })
  .openapi(put, async (c) => {
    const { externalId } = c.req.valid('param');
    const { lockId, replace } = c.req.valid('json');
    const organizationId = c.get('organizationId');
    const actor = c.get('actor');
    const { database } = c.get('deps');
    const result = await database.db.transaction(async (tx) => {
      // Row locks, unit first then lock (their order in the join), serialize concurrent PUTs
      // touching either end: one statement, which also reads the transaction's time.
      const [locked] = await preparedIn(database, tx, 'mapping_put_lock_both', (db, name) =>
        db
          .select({ unit: units, lock: locks, now: sql`now()`.mapWith(mappings.createdAt) })
          .from(units)
          .innerJoin(locks, and(eq(locks.organizationId, units.organizationId), eq(locks.id, sql.placeholder('lockId'))))
          .where(and(eq(units.organizationId, sql.placeholder('org')), eq(units.externalId, sql.placeholder('externalId'))))
          .for('update')
          .prepare(name),
      ).execute({ org: organizationId, externalId, lockId });
      if (!locked) {
        if (!(await findUnit(tx, organizationId, externalId))) throw new ApiError('not_found', `Unit ${externalId} not found: create it first with PUT /v1/units/{externalId}`);
        throw new ApiError(
          'not_found',
          `Lock ${lockId} is not known: capture it from its Tapkey portal page or import the location's locks from Tapkey first`,
          [{ path: 'lockId', message: 'Unknown lock' }],
        );
      }
      const { unit, lock } = locked;

      const mismatch = await findLocationMismatch(tx, organizationId, unit, lock);
      if (mismatch) throw new ApiError('unprocessable', mismatch.message, [{ path: 'lockId', message: mismatch.message }]);
      const current = (
        await preparedIn(database, tx, 'mapping_put_current', (db, name) =>
          selectMappings(db)
            .where(and(eq(mappings.organizationId, sql.placeholder('org')), or(eq(mappings.unitId, sql.placeholder('unitId')), eq(mappings.lockId, sql.placeholder('lockId')))))
            .prepare(name),
        ).execute({ org: organizationId, unitId: unit.id, lockId })
      ).map(toMapping);
      const plan = planMapping(current, unit, lock, replace);
      if (plan.action === 'unchanged') return { mapping: plan.mapping, status: 200 as const };
      if (plan.action === 'conflict') throw new ApiError('conflict', plan.message, [], { lockMappedTo: plan.lockMappedTo, unitMappedTo: plan.unitMappedTo });
      const [mapping] = await applyMappingChanges(tx, organizationId, actor, [plan], locked.now);
      return { mapping: mapping!, status: plan.action === 'replace' ? (200 as const) : (201 as const) };
    });
    return result.status === 201 ? c.json(result.mapping, 201) : c.json(result.mapping, 200);
  })
  .openapi(remove, async (c) => {
    const { externalId } = c.req.valid('param');
    const organizationId = c.get('organizationId');
    await c.get('deps').database.db.transaction(async (tx) => {
      const [current] = await selectMappings(tx)
        .where(and(eq(mappings.organizationId, organizationId), eq(units.externalId, externalId)))
        .for('update', { of: mappings });
      if (!current) {
        const [unit] = await tx.select({ id: units.id }).from(units).where(and(eq(units.organizationId, organizationId), eq(units.externalId, externalId)));
        throw new ApiError('not_found', unit ? `Unit ${externalId} has no mapping` : `Unit ${externalId} not found`);
      }
      await tx.delete(mappings).where(and(eq(mappings.organizationId, organizationId), eq(mappings.unitId, current.unit.id)));
      await recordAudits(tx, [{ organizationId, actor: c.get('actor'), action: 'mapping.deleted', entity: 'mapping', entityId: externalId, before: toMapping(current) }]);
      await onMappingChanged(tx, { organizationId, actor: c.get('actor'), unitIds: [current.unit.id] });
    });
    return c.body(null, 204);
  });
