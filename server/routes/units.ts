/** Units, addressed by the manager's own unit id (`externalId`) and upserted by it. */
import { createRoute, z } from '@hono/zod-openapi';
import { identifierSchema } from '../../lib/identifiers.ts';
import { and, asc, count, eq, ilike, ne, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Unit as UnitView } from '../../lib/contract.ts';
import { translate } from '../../lib/i18n/index.ts';
import { skeleton } from '../../lib/identifiers.ts';
import type { Db } from '../db/client.ts';
import { unitInput } from '../../lib/contract.ts';
import { recordAudit } from '../audit.ts';
import { units } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import { prepared } from '../db/prepared.ts';
import { cachedRead } from '../db/read-cache.ts';
import { assertOwnLocation, findUnit, LIST_CACHE, likePattern, pageWithTotal, toUnit, totalOver } from '../resources.ts';
import { createRouter } from '../router.ts';
import { requestLanguage } from './bookings.ts';
import { authErrors, errors, json, jsonBody, openapi, paging, Unit, UnitList } from './openapi.ts';

const tags = ['Units'];

/** The manager's unit id as it appears in the URL (percent-encode anything unusual). */
export const externalIdParam = identifierSchema(200).openapi({ param: { name: 'externalId', in: 'path' }, example: 'U1000', description: "The manager's unit id" });

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'Units, by name; search matches name or external id, case-insensitively',
  request: {
    query: z.object({
      search: z.string().trim().max(200).optional().openapi({ description: 'Part of the unit name or external id' }),
      locationId: z.string().uuid('Not a valid UUID').optional(),
      ...paging(1000, 100),
    }),
  },
  responses: { 200: json(UnitList, 'A page of units and the total matching'), ...authErrors },
});

const put = createRoute({
  method: 'put',
  path: '/{externalId}',
  tags,
  summary: 'Create or update a unit by its external id',
  description: '201 when created, 200 when updated or unchanged. Omitting `locationId` keeps the stored one; `null` clears it.',
  request: { params: z.object({ externalId: externalIdParam }), ...jsonBody(openapi(unitInput, 'UnitInput')) },
  responses: { 200: json(Unit, 'Updated or unchanged'), 201: json(Unit, 'Created'), ...errors(400, 401, 413) },
});

/**
 * Units of the same location that look like this one (same skeleton of name or of external id,
 * lib/identifiers.ts) but are different units: saved, with a warning, since look-alikes from
 * other scripts can be legitimate. Compares within the location only, so it costs one read of
 * that location's units.
 */
async function confusableWarnings(db: Db, organizationId: string, unit: UnitView, lang: Parameters<typeof translate>[0]): Promise<NonNullable<UnitView['warnings']>> {
  if (!unit.locationId) return [];
  const others = await db
    .select({ externalId: units.externalId, name: units.name })
    .from(units)
    .where(and(eq(units.organizationId, organizationId), eq(units.locationId, unit.locationId), ne(units.id, unit.id)));
  const name = skeleton(unit.name);
  const externalId = skeleton(unit.externalId);
  return others
    .filter((o) => skeleton(o.name) === name || skeleton(o.externalId) === externalId)
    .slice(0, 10)
    .map((o) => {
      const params = { name: unit.name, other: o.name, otherId: o.externalId };
      return { code: 'confusable_unit' as const, message: translate(lang, 'hardening.confusableUnit', params), params };
    });
}

const get = createRoute({
  method: 'get',
  path: '/{externalId}',
  tags,
  summary: 'One unit',
  request: { params: z.object({ externalId: externalIdParam }) },
  responses: { 200: json(Unit, 'The unit'), ...errors(400, 401, 404) },
});

/** A units list's conditions for the filters in `shape`; `value` gives each one (or its placeholder). */
function unitsWhere(shape: { search: boolean; locationId: boolean }, value: (key: 'org' | 'pattern' | 'locationId') => string | Placeholder) {
  const where: SQL[] = [eq(units.organizationId, value('org'))];
  if (shape.search) where.push(or(ilike(units.name, value('pattern')), ilike(units.externalId, value('pattern')))!);
  if (shape.locationId) where.push(eq(units.locationId, value('locationId')));
  return and(...where);
}

export const unitsRouter = createRouter()
  .openapi(list, async (c) => {
    const { search, locationId, limit, offset } = c.req.valid('query');
    const { database } = c.get('deps');
    const params = { org: c.get('organizationId'), pattern: search ? likePattern(search) : undefined, locationId, limit, offset };
    const shape = { search: Boolean(search), locationId: Boolean(locationId) };
    const page = await cachedRead(database, `units:${JSON.stringify(params)}`, LIST_CACHE, async () => {
      const query = prepared(database, `units_page_${+shape.search}${+shape.locationId}`, (db, name) =>
        db
          .select({ row: units, total: totalOver() })
          .from(units)
          .where(unitsWhere(shape, (key) => sql.placeholder(key)))
          .orderBy(asc(units.name), asc(units.externalId))
          .limit(sql.placeholder('limit'))
          .offset(sql.placeholder('offset'))
          .prepare(name),
      );
      const total = async () => (await database.db.select({ n: count() }).from(units).where(unitsWhere(shape, (key) => params[key]!)))[0]!.n;
      return pageWithTotal(await query.execute(params), toUnit, total);
    });
    return c.json(page, 200);
  })
  .openapi(put, async (c) => {
    const { externalId } = c.req.valid('param');
    const input = c.req.valid('json');
    const organizationId = c.get('organizationId');
    const actor = c.get('actor');
    const result = await c.get('deps').database.db.transaction(async (tx) => {
      await assertOwnLocation(tx, organizationId, input.locationId, 'locationId');
      // Insert-or-nothing first, so two PUTs of a new unit racing each other both succeed.
      const [inserted] = await tx
        .insert(units)
        .values({ organizationId, externalId, name: input.name, locationId: input.locationId ?? null })
        .onConflictDoNothing({ target: [units.organizationId, units.externalId] })
        .returning();
      if (inserted) {
        const unit = toUnit(inserted);
        await recordAudit(tx, { organizationId, actor, action: 'unit.created', entity: 'unit', entityId: externalId, after: unit });
        return { unit, status: 201 as const };
      }
      const [row] = await tx
        .select()
        .from(units)
        .where(and(eq(units.organizationId, organizationId), eq(units.externalId, externalId)))
        .for('update');
      const locationId = input.locationId === undefined ? row!.locationId : input.locationId;
      if (row!.name === input.name && row!.locationId === locationId) return { unit: toUnit(row!), status: 200 as const };
      const [saved] = await tx
        .update(units)
        .set({ name: input.name, locationId, updatedAt: new Date() })
        .where(eq(units.id, row!.id))
        .returning();
      const unit = toUnit(saved!);
      await recordAudit(tx, { organizationId, actor, action: 'unit.updated', entity: 'unit', entityId: externalId, before: toUnit(row!), after: unit });
      return { unit, status: 200 as const };
    });
    const warnings = await confusableWarnings(c.get('deps').database.db, organizationId, result.unit, requestLanguage(c));
    const unit = warnings.length ? { ...result.unit, warnings } : result.unit;
    return result.status === 201 ? c.json(unit, 201) : c.json(unit, 200);
  })
  .openapi(get, async (c) => {
    const row = await findUnit(c.get('deps').database.db, c.get('organizationId'), c.req.valid('param').externalId);
    if (!row) throw notFound('Unit');
    return c.json(toUnit(row), 200);
  });
