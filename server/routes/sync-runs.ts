/** Full sync runs of a location: start, progress and report, revoke the unexplained grants. */
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { syncRunSchema } from '../../lib/contract.ts';
import { tapkeySyncRuns } from '../db/schema/index.ts';
import { createRouter } from '../router.ts';
import { requestRevokeUnexplained, startSyncRun, syncRunView } from '../tapkey/sync-runs.ts';
import { requestLanguage } from './bookings.ts';
import { ErrorBody, errors, json, openapi, uuidParam } from './openapi.ts';

const tags = ['Tapkey'];
const SyncRun = openapi(syncRunSchema, 'SyncRun');

const start = createRoute({
  method: 'post',
  path: '/v1/locations/{id}/sync-runs',
  tags,
  summary: 'Start a full sync of the location',
  description:
    'Every booking of the location is checked against Tapkey (in full mode: every active booking; in gradual mode: those switched on) ' +
    'and its grant created, moved or revoked through the outbox. The answer has the report of what needs attention; ' +
    'poll GET /v1/sync-runs/{id} for progress and the grants in Tapkey that no booking explains.',
  request: { params: z.object({ id: uuidParam('id') }) },
  responses: { 201: json(SyncRun, 'Started'), ...errors(400, 401, 404), 422: json(ErrorBody, 'The location is not connected to Tapkey') },
});

const get = createRoute({
  method: 'get',
  path: '/v1/sync-runs/{id}',
  tags,
  summary: 'Progress and report of a sync run',
  request: { params: z.object({ id: uuidParam('id') }), query: z.object({ lang: z.enum(['en', 'de', 'fr']).optional() }) },
  responses: { 200: json(SyncRun, 'The run'), ...errors(400, 401, 404) },
});

const list = createRoute({
  method: 'get',
  path: '/v1/locations/{id}/sync-runs',
  tags,
  summary: "The location's sync runs, newest first (at most 50)",
  request: { params: z.object({ id: uuidParam('id') }) },
  responses: { 200: json(z.object({ items: z.array(z.object({ id: z.string(), createdAt: z.string(), finishedAt: z.string().nullable(), total: z.number() })) }), 'Runs'), ...errors(400, 401) },
});

const revokeUnexplained = createRoute({
  method: 'post',
  path: '/v1/sync-runs/{id}/revoke-unexplained',
  tags,
  summary: 'Revoke the Tapkey grants of this run that no booking explains',
  description:
    'Each is checked again just before revoking: a grant a booking explains by then is kept. ' +
    'Send `tapkeyGrantIds` to revoke only those grants of the run (the rows selected in the report); without a body every one is revoked.',
  request: {
    params: z.object({ id: uuidParam('id') }),
    body: {
      required: false,
      content: { 'application/json': { schema: z.object({ tapkeyGrantIds: z.array(z.string().trim().min(1).max(200)).min(1).max(1000).optional() }).openapi('RevokeUnexplainedInput') } },
    },
  },
  responses: {
    202: json(z.object({ queued: z.number().int() }), 'Revocations queued'),
    ...errors(400, 401, 404),
    409: json(ErrorBody, 'The scan has not finished yet'),
  },
});

export const syncRunsRouter = createRouter()
  .openapi(start, async (c) => {
    const deps = c.get('deps');
    const run = await startSyncRun(deps, { organizationId: c.get('organizationId'), actor: c.get('actor'), locationId: c.req.valid('param').id });
    return c.json(await syncRunView(deps, c.get('organizationId'), run.id, requestLanguage(c)), 201);
  })
  .openapi(get, async (c) => c.json(await syncRunView(c.get('deps'), c.get('organizationId'), c.req.valid('param').id, requestLanguage(c)), 200))
  .openapi(list, async (c) => {
    const rows = await c
      .get('deps')
      .database.db.select()
      .from(tapkeySyncRuns)
      .where(and(eq(tapkeySyncRuns.organizationId, c.get('organizationId')), eq(tapkeySyncRuns.locationId, c.req.valid('param').id)))
      .orderBy(desc(tapkeySyncRuns.createdAt))
      .limit(50);
    return c.json({ items: rows.map((r) => ({ id: r.id, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null, total: r.total })) }, 200);
  })
  .openapi(revokeUnexplained, async (c) => {
    const body = (c.req.header('content-type') ?? '').includes('json') ? c.req.valid('json') : {};
    const queued = await requestRevokeUnexplained(c.get('deps'), c.get('organizationId'), c.req.valid('param').id, c.get('actor'), body?.tapkeyGrantIds);
    return c.json({ queued }, 202);
  });
