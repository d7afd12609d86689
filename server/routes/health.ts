/** Liveness (`/health`: the process answers) and readiness (`/ready`: the database answers too). */
import { createRoute } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { healthSchema } from '../../lib/contract.ts';
import { createRouter } from '../router.ts';
import { ApiError } from '../errors.ts';
import { errors, json, openapi } from './openapi.ts';

export const API_VERSION = '0.1.0';

const Health = openapi(healthSchema, 'Health');

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Health'],
  summary: 'Liveness: the API process is up',
  security: [],
  responses: { 200: json(Health, 'Up') },
});

const ready = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['Health'],
  summary: 'Readiness: the API can reach its database',
  security: [],
  responses: { 200: json(Health, 'Ready'), ...errors(503) },
});

export const healthRouter = createRouter()
  .openapi(health, (c) => c.json({ status: 'ok' as const, version: c.get('deps').version ?? API_VERSION }, 200))
  .openapi(ready, async (c) => {
    const deps = c.get('deps');
    try {
      await deps.database.db.execute(sql`select 1`);
    } catch (err) {
      throw new ApiError('unavailable', `Database not reachable: ${(err as Error).message}`);
    }
    return c.json({ status: 'ok' as const, version: deps.version ?? API_VERSION }, 200);
  });
