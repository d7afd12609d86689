/**
 * The audit trail: every change writes one event (who, when, what, before/after) in the same
 * transaction as the change, so there is never a change without its event or the reverse.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './outbox/outbox.ts';
import { auditEvents } from './db/schema/index.ts';
import type { AuditEvent } from '../lib/contract.ts';

export interface AuditInput {
  organizationId: string;
  /** `token:<name>`, `admin-cli`, `system:<job>` … */
  actor: string;
  /** `<entity>.<verb>`, e.g. `unit.created`, `mapping.replaced`. */
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(tx: DbOrTx, event: AuditInput): Promise<void> {
  await recordAudits(tx, [event]);
}

/**
 * Many events in one statement (bulk captures and imports). The events travel as one JSON
 * array parameter, not as seven bind parameters per row: a 10,000-row import is one short
 * statement instead of ten statements of 7,000 parameters each, which on PGlite cost more to
 * bind than to insert.
 */
export async function recordAudits(tx: DbOrTx, events: AuditInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx.execute(insertAudits(events));
}

/**
 * The INSERT of recordAudits as a statement to run alone or as the last part of a larger one
 * (server/mappings.ts writes a mapping and its events in one round trip).
 */
export function insertAudits(events: AuditInput[]): SQL {
  // JSON.stringify makes the snapshots: dates become ISO strings and undefined fields
  // disappear, as they would in the API answer.
  const rows = events.map((e) => ({ o: e.organizationId, ac: e.actor, a: e.action, en: e.entity, id: e.entityId, b: e.before ?? null, af: e.after ?? null }));
  // clock_timestamp, not now(): events of one transaction must keep their order (the record
  // set is read in the array's order, and the clock is read per row).
  return sql`
    insert into ${auditEvents} (organization_id, at, actor, action, entity, entity_id, before, after)
    select o, clock_timestamp(), ac, a, en, id, b, af
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(o uuid, ac text, a text, en text, id text, b jsonb, af jsonb)`;
}

export function toAuditEvent(row: typeof auditEvents.$inferSelect): AuditEvent {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    before: row.before ?? null,
    after: row.after ?? null,
  };
}
