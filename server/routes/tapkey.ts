/**
 * The Tapkey area's routes: a location's connection (test it, import its bound locks), plus
 * bookings with their grants and full sync runs, mounted together by app.ts.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { tapkeyConnectionTestSchema, tapkeyImportLocksResultSchema } from '../../lib/contract.ts';
import { ApiError } from '../errors.ts';
import { createRouter } from '../router.ts';
import { loadLocation } from '../tapkey/config.ts';
import { importLocks, testConnection } from '../tapkey/connection.ts';
import { bookingsRouter } from './bookings.ts';
import { ErrorBody, errors, json, openapi, uuidParam } from './openapi.ts';
import { syncRunsRouter } from './sync-runs.ts';

const tags = ['Tapkey'];
const params = z.object({ id: uuidParam('id') });

const test = createRoute({
  method: 'post',
  path: '/v1/locations/{id}/tapkey/test',
  tags,
  summary: "Test the location's Tapkey connection",
  description:
    'Logs in with the stored client credentials, lists the owner accounts (locking systems) the client administers and the bound locks ' +
    'of the configured one, and checks that grants can be read. 200 with `ok: false` and `problems` naming what is wrong: ' +
    'bad client id/secret, a permission missing, the client not co-admin, an unknown locking system id.',
  request: { params },
  responses: {
    200: json(openapi(tapkeyConnectionTestSchema, 'TapkeyConnectionTest'), 'What Tapkey shows this client, and what is wrong'),
    ...errors(400, 401, 404),
    422: json(ErrorBody, 'The location has no Tapkey settings'),
  },
});

const importRoute = createRoute({
  method: 'post',
  path: '/v1/locations/{id}/tapkey/import-locks',
  tags,
  summary: 'Import the bound locks of the location\'s locking system',
  description:
    'Locks are upserted by id with source `tapkey` and merged with locks captured from the portal (the captured URL is kept). ' +
    'Tapkey locks of this location that are no longer bound are marked inactive, not deleted.',
  request: { params },
  responses: {
    200: json(openapi(tapkeyImportLocksResultSchema, 'TapkeyImportLocksResult'), 'Counts of what changed'),
    ...errors(400, 401, 404, 409),
    422: json(ErrorBody, 'No Tapkey settings, or Tapkey refused (bad secret, not co-admin, permission missing)'),
    429: json(ErrorBody, 'Tapkey is rate limiting (Retry-After)'),
    502: json(ErrorBody, 'Tapkey answered with an error'),
    503: json(ErrorBody, 'Tapkey cannot be reached'),
  },
});

async function locationOf(c: Context<AppEnv>, id: string) {
  const location = await loadLocation(c.get('deps').database.db, c.get('organizationId'), id);
  if (!location) throw new ApiError('not_found', 'Location not found');
  return location;
}

const connectionRouter = createRouter()
  .openapi(test, async (c) => c.json(await testConnection(c.get('deps'), await locationOf(c, c.req.valid('param').id)), 200))
  .openapi(importRoute, async (c) => c.json(await importLocks(c.get('deps'), await locationOf(c, c.req.valid('param').id), c.get('actor')), 200));

export const tapkeyRouter = createRouter().route('/', connectionRouter).route('/', bookingsRouter).route('/', syncRunsRouter);
