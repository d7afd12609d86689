/** `GET /v1/audit-events`: the organization's change history, newest first. */
import { createRoute, z } from '@hono/zod-openapi';
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { toAuditEvent } from '../audit.ts';
import { auditEvents } from '../db/schema/index.ts';
import { createRouter } from '../router.ts';
import { authErrors, AuditEventList, json, paging } from './openapi.ts';

const list = createRoute({
  method: 'get',
  path: '/v1/audit-events',
  tags: ['Audit'],
  summary: 'Audit events (who, when, what, before/after), newest first',
  description: 'Entities: `location` (id), `unit` and `mapping` (unit external id), `lock` (lock id), and those of other areas.',
  request: {
    query: z.object({
      entity: z.string().trim().min(1).max(50).optional(),
      entityId: z.string().trim().min(1).max(200).optional(),
      ...paging(500, 50),
    }),
  },
  responses: { 200: json(AuditEventList, 'A page of events and the total matching'), ...authErrors },
});

export const auditRouter = createRouter().openapi(list, async (c) => {
  const { entity, entityId, limit, offset } = c.req.valid('query');
  const { db } = c.get('deps').database;
  const where: SQL[] = [eq(auditEvents.organizationId, c.get('organizationId'))];
  if (entity) where.push(eq(auditEvents.entity, entity));
  if (entityId) where.push(eq(auditEvents.entityId, entityId));
  const [rows, [total]] = await Promise.all([
    db.select().from(auditEvents).where(and(...where)).orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(auditEvents).where(and(...where)),
  ]);
  return c.json({ items: rows.map(toAuditEvent), total: total!.n }, 200);
});
