/** `GET /v1/me`: which organization and token the caller is (the extension's "Test connection"). */
import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { whoAmISchema } from '../../lib/contract.ts';
import { createRouter } from '../router.ts';
import { organizations } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import { authErrors, json, openapi } from './openapi.ts';

const me = createRoute({
  method: 'get',
  path: '/',
  tags: ['Organization'],
  summary: 'The organization and token name of the calling API token',
  responses: { 200: json(openapi(whoAmISchema, 'WhoAmI'), 'The caller'), ...authErrors },
});

export const meRouter = createRouter().openapi(me, async (c) => {
  const [org] = await c.get('deps').database.db.select().from(organizations).where(eq(organizations.id, c.get('organizationId')));
  if (!org) throw notFound('Organization');
  return c.json({ organization: { id: org.id, name: org.name, createdAt: org.createdAt.toISOString() }, tokenName: c.get('tokenName') }, 200);
});
