/**
 * The audit trail: every change writes one event (who, when, what, before/after) in the same
 * transaction as the change, so there is never a change without its event or the reverse.
 */
import { sql } from 'drizzle-orm';
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

/** Dates become ISO strings and undefined fields disappear, as they would in the API answer. */
const snapshot = (value: unknown) => (value === undefined || value === null ? null : JSON.parse(JSON.stringify(value)));

export async function recordAudit(tx: DbOrTx, event: AuditInput): Promise<void> {
  await recordAudits(tx, [event]);
}

/** Many events in one insert (bulk captures and imports). */
export async function recordAudits(tx: DbOrTx, events: AuditInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(auditEvents).values(
    events.map((e) => ({
      // clock_timestamp, not now(): events of one transaction must keep their order.
      at: sql`clock_timestamp()`,
      organizationId: e.organizationId,
      actor: e.actor,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId,
      before: snapshot(e.before),
      after: snapshot(e.after),
    })),
  );
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
