/**
 * Locations and their provider connections. Secrets (Tapkey client secret, Keycafe API token)
 * are encrypted with the installation key before they reach the database and never leave the
 * server again: answers only say `hasSecret` / `hasToken`.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { locationInput, locationPatchInput } from '../../lib/contract.ts';
import { recordAudit } from '../audit.ts';
import { locations } from '../db/schema/index.ts';
import { ApiError, notFound } from '../errors.ts';
import { findLocation, pgErrorCode, toLocation, type LocationRow } from '../resources.ts';
import { createRouter } from '../router.ts';
import { encryptSecret } from '../secrets.ts';
import { authErrors, errors, json, jsonBody, Location, LocationList, openapi, uuidParam } from './openapi.ts';

const idParams = z.object({ id: uuidParam('id') });
const tags = ['Locations'];

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'All locations of the organization, by name',
  responses: { 200: json(LocationList, 'Locations'), ...authErrors },
});

const create = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Create a location, optionally with its Tapkey and Keycafe connection',
  description: 'Secrets sent here are stored encrypted and never returned (only `hasSecret` / `hasToken`).',
  request: jsonBody(openapi(locationInput, 'LocationInput')),
  responses: { 201: json(Location, 'Created'), ...errors(400, 401, 413) },
});

const get = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'One location',
  request: { params: idParams },
  responses: { 200: json(Location, 'The location'), ...errors(400, 401, 404) },
});

const patch = createRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  summary: 'Change a location; only the fields sent change',
  description:
    'A `tapkey` or `keycafe` object is merged over the stored settings; omit `clientSecret` / `apiToken` to keep the stored secret, send `null` to disconnect the provider.',
  request: { params: idParams, ...jsonBody(openapi(locationPatchInput, 'LocationPatch')) },
  responses: { 200: json(Location, 'The updated location'), ...errors(400, 401, 404, 413) },
});

const remove = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete a location (its units and locks stay, without a location)',
  request: { params: idParams },
  responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 404, 409) },
});

type Changes = Partial<Pick<LocationRow, 'name' | 'timeZone' | 'address' | 'tapkey' | 'tapkeySecret' | 'keycafe' | 'keycafeToken'>>;

/** Which stored secrets a request replaces: shown in the audit event, as the values never are. */
const secretsChanged = (changes: Changes) =>
  [changes.tapkeySecret !== undefined && 'tapkey.clientSecret', changes.keycafeToken !== undefined && 'keycafe.apiToken'].filter(
    (s): s is string => Boolean(s),
  );

function mergePatch(row: LocationRow, input: z.infer<typeof locationPatchInput>, key: Buffer): Changes {
  const changes: Changes = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.timeZone !== undefined) changes.timeZone = input.timeZone;
  if (input.address !== undefined) changes.address = input.address || null;

  if (input.tapkey === null) Object.assign(changes, { tapkey: null, tapkeySecret: null });
  else if (input.tapkey) {
    const { clientSecret, ...settings } = input.tapkey;
    const merged = { syncMode: 'gradual' as const, accessTrigger: 'booking_creation' as const, ...row.tapkey, ...defined(settings) };
    const missing = (['clientId', 'ownerAccountId'] as const).filter((f) => !merged[f]);
    if (missing.length)
      throw new ApiError('validation_failed', 'Some fields are not valid', missing.map((f) => ({ path: `tapkey.${f}`, message: 'Required' })));
    changes.tapkey = tapkeyStored(merged, settings, row.tapkey?.connectedAt);
    if (clientSecret !== undefined) changes.tapkeySecret = encryptSecret(key, clientSecret);
  }

  if (input.keycafe === null) Object.assign(changes, { keycafe: null, keycafeToken: null });
  else if (input.keycafe) {
    const accountEmail = input.keycafe.accountEmail ?? row.keycafe?.accountEmail;
    if (!accountEmail) throw new ApiError('validation_failed', 'Some fields are not valid', [{ path: 'keycafe.accountEmail', message: 'Required' }]);
    const authType = input.keycafe.authType ?? (input.keycafe.apiToken === undefined ? row.keycafe?.authType : undefined);
    changes.keycafe = authType ? { accountEmail, authType } : { accountEmail };
    if (input.keycafe.apiToken !== undefined) changes.keycafeToken = encryptSecret(key, input.keycafe.apiToken);
  }
  return changes;
}

type Trigger = NonNullable<LocationRow['tapkey']>['accessTrigger'];
/**
 * The stored Tapkey settings. Triggers: a sent list wins, a single sent trigger replaces the
 * list, else the stored list stays. The connection time is set once, when Tapkey is connected
 * (gradual mode manages bookings made after it).
 */
function tapkeyStored(
  merged: { clientId?: string; ownerAccountId?: string; syncMode: 'gradual' | 'full'; accessTrigger: Trigger; accessTriggers?: Trigger[] },
  sent: { accessTrigger?: Trigger; accessTriggers?: Trigger[] },
  connectedAt?: string,
): NonNullable<LocationRow['tapkey']> {
  const accessTriggers = [...new Set(sent.accessTriggers ?? (sent.accessTrigger ? [sent.accessTrigger] : (merged.accessTriggers ?? [merged.accessTrigger])))];
  return {
    clientId: merged.clientId!,
    ownerAccountId: merged.ownerAccountId!,
    syncMode: merged.syncMode,
    accessTrigger: accessTriggers[0]!,
    accessTriggers,
    connectedAt: connectedAt ?? new Date().toISOString(),
  };
}

const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export const locationsRouter = createRouter()
  .openapi(list, async (c) => {
    const rows = await c
      .get('deps')
      .database.db.select()
      .from(locations)
      .where(eq(locations.organizationId, c.get('organizationId')))
      .orderBy(asc(locations.name), asc(locations.id));
    return c.json({ items: rows.map(toLocation), total: rows.length }, 200);
  })
  .openapi(create, async (c) => {
    const input = c.req.valid('json');
    const { database, secretKey } = c.get('deps');
    const organizationId = c.get('organizationId');
    const { tapkey, keycafe } = input;
    const created = await database.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(locations)
        .values({
          organizationId,
          name: input.name,
          timeZone: input.timeZone,
          address: input.address || null,
          tapkey: tapkey ? tapkeyStored(tapkey, tapkey) : null,
          tapkeySecret: tapkey?.clientSecret ? encryptSecret(secretKey, tapkey.clientSecret) : null,
          keycafe: keycafe ? { accountEmail: keycafe.accountEmail, ...(keycafe.authType ? { authType: keycafe.authType } : {}) } : null,
          keycafeToken: keycafe?.apiToken ? encryptSecret(secretKey, keycafe.apiToken) : null,
        })
        .returning();
      const location = toLocation(row!);
      await recordAudit(tx, { organizationId, actor: c.get('actor'), action: 'location.created', entity: 'location', entityId: location.id, after: location });
      return location;
    });
    return c.json(created, 201);
  })
  .openapi(get, async (c) => {
    const row = await findLocation(c.get('deps').database.db, c.get('organizationId'), c.req.valid('param').id);
    if (!row) throw notFound('Location');
    return c.json(toLocation(row), 200);
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const { database, secretKey } = c.get('deps');
    const organizationId = c.get('organizationId');
    const updated = await database.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(locations)
        .where(and(eq(locations.organizationId, organizationId), eq(locations.id, id)))
        .for('update');
      if (!row) throw notFound('Location');
      const changes = mergePatch(row, input, secretKey);
      const before = toLocation(row);
      const next = { ...row, ...changes };
      const after = toLocation(next);
      const secrets = secretsChanged(changes);
      const same = JSON.stringify({ ...before, updatedAt: '' }) === JSON.stringify({ ...after, updatedAt: '' }) && secrets.length === 0;
      if (same) return before;
      const [saved] = await tx
        .update(locations)
        .set({ ...changes, updatedAt: new Date() })
        .where(and(eq(locations.organizationId, organizationId), eq(locations.id, id)))
        .returning();
      const location = toLocation(saved!);
      await recordAudit(tx, {
        organizationId,
        actor: c.get('actor'),
        action: 'location.updated',
        entity: 'location',
        entityId: id,
        before,
        after: secrets.length ? { ...location, secretsChanged: secrets } : location,
      });
      return location;
    });
    return c.json(updated, 200);
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    const organizationId = c.get('organizationId');
    await c
      .get('deps')
      .database.db.transaction(async (tx) => {
        const [row] = await tx
          .delete(locations)
          .where(and(eq(locations.organizationId, organizationId), eq(locations.id, id)))
          .returning();
        if (!row) throw notFound('Location');
        await recordAudit(tx, { organizationId, actor: c.get('actor'), action: 'location.deleted', entity: 'location', entityId: id, before: toLocation(row) });
      })
      .catch((err) => {
        // Another area's rows (bookings, Keycafe bookings…) may still need this location.
        if (pgErrorCode(err) === '23503') throw new ApiError('conflict', 'Location is still in use (bookings or other records refer to it); remove those first');
        throw err;
      });
    return c.body(null, 204);
  });
