/** `GET /v1/audit-events`: the organization's change history, newest first. */
import { createRoute, z } from '@hono/zod-openapi';
import { and, count, desc, eq, gte, like, type SQL } from 'drizzle-orm';
import { toAuditEvent } from '../audit.ts';
import { auditEvents } from '../db/schema/index.ts';
import { createRouter } from '../router.ts';
import { authErrors, AuditEventList, json, paging } from './openapi.ts';

const list = createRoute({
  method: 'get',
  path: '/',
  tags: ['Audit'],
  summary: 'Audit events (who, when, what, before/after), newest first',
  description: 'Entities: `location` (id), `unit` and `mapping` (unit external id), `lock` (lock id), and those of other areas.',
  request: {
    query: z.object({
      entity: z.string().trim().min(1).max(50).optional(),
      entityId: z.string().trim().min(1).max(200).optional(),
      actor: z.string().trim().min(1).max(200).optional().openapi({ description: 'Who made the change (e.g. `token:<name>`)' }),
      action: z.string().trim().min(1).max(100).optional().openapi({ description: 'e.g. `location.updated`; a trailing `.` matches every action of an area' }),
      since: z.string().datetime({ offset: true }).optional().openapi({ description: 'Only events at or after this time' }),
      ...paging(500, 50),
    }),
  },
  responses: { 200: json(AuditEventList, 'A page of events and the total matching'), ...authErrors },
});

export const auditRouter = createRouter().openapi(list, async (c) => {
  const { entity, entityId, actor, action, since, limit, offset } = c.req.valid('query');
  const { db } = c.get('deps').database;
  const where: SQL[] = [eq(auditEvents.organizationId, c.get('organizationId'))];
  if (entity) where.push(eq(auditEvents.entity, entity));
  if (entityId) where.push(eq(auditEvents.entityId, entityId));
  if (actor) where.push(eq(auditEvents.actor, actor));
  if (action) where.push(action.endsWith('.') ? like(auditEvents.action, `${action.replace(/[\\%_]/g, (m) => `\\${m}`)}%`) : eq(auditEvents.action, action));
  if (since) where.push(gte(auditEvents.at, new Date(since)));
  const [rows, [total]] = await Promise.all([
    db.select().from(auditEvents).where(and(...where)).orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(auditEvents).where(and(...where)),
  ]);
  return c.json({ items: rows.map(toAuditEvent), total: total!.n }, 200);
});
