import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { locations, organizations, units } from './core.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const tsNullable = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Bookings pushed by the manager side (PUT /v1/bookings/{externalId}). */
export const bookings = pgTable(
  'bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    /** No cascade: a unit with bookings (and so possibly Tapkey grants) must not vanish silently. */
    unitId: uuid('unit_id').notNull().references(() => units.id),
    tenantEmail: text('tenant_email'),
    tenantPhone: text('tenant_phone'),
    moveIn: text('move_in').notNull(),
    moveOut: text('move_out'),
    state: text('state', { enum: ['reserved', 'active', 'ended', 'cancelled'] }).notNull(),
    /**
     * Per-booking override of the location's sync mode: null = the mode decides (gradual: only
     * bookings made after the connection), true/false = switched on/off by hand.
     */
    syncEnabled: boolean('sync_enabled'),
    /** When the booking was made in the manager, if an intake said so (else: first seen). */
    bookedAt: tsNullable('booked_at'),
    /** The last time any intake (page, list, file, webhook, API) reported this booking. */
    lastSeenAt: ts('last_seen_at'),
    lastSeenVia: text('last_seen_via'),
    /** Access revoked by hand (POST .../revoke) until restored. */
    accessRevoked: boolean('access_revoked').notNull().default(false),
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
  },
  (t) => [
    uniqueIndex('bookings_org_external_idx').on(t.organizationId, t.externalId),
    index('bookings_org_unit_idx').on(t.organizationId, t.unitId),
    index('bookings_org_seen_idx').on(t.organizationId, t.lastSeenAt),
  ],
);

export type TouchedPair = { lockId: string; email: string };

/**
 * A booking's Tapkey grant: what we want (`desired`) and what we know (`state`). One row per
 * booking; moving to another lock or email changes the row and bumps `generation`, so only the
 * newest reconcile job acts. `touched` lists every (lock, email) a job may have created a grant
 * for and not yet cleaned up, recorded BEFORE the Tapkey call, so a crash never leaves a grant
 * nobody knows to look for.
 */
export const tapkeyGrants = pgTable(
  'tapkey_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    locationId: uuid('location_id').references(() => locations.id, { onDelete: 'set null' }),
    lockId: uuid('lock_id').notNull(),
    email: text('email').notNull(),
    desired: text('desired', { enum: ['active', 'revoked'] }).notNull(),
    state: text('state', { enum: ['pending', 'active', 'failed', 'revoked', 'revoking'] }).notNull(),
    reason: text('reason'),
    tapkeyGrantId: text('tapkey_grant_id'),
    validFrom: tsNullable('valid_from'),
    validBefore: tsNullable('valid_before'),
    generation: integer('generation').notNull().default(1),
    touched: jsonb('touched').$type<TouchedPair[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
  },
  (t) => [
    uniqueIndex('tapkey_grants_booking_idx').on(t.bookingId),
    index('tapkey_grants_org_lock_email_idx').on(t.organizationId, t.lockId, t.email),
    index('tapkey_grants_org_location_idx').on(t.organizationId, t.locationId),
  ],
);

/** Every state change of a grant, for the booking's history. */
export const tapkeyGrantEvents = pgTable(
  'tapkey_grant_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    grantId: uuid('grant_id')
      .notNull()
      .references(() => tapkeyGrants.id, { onDelete: 'cascade' }),
    at: ts('at'),
    actor: text('actor').notNull(),
    fromState: text('from_state', { enum: ['pending', 'active', 'failed', 'revoked', 'revoking'] }),
    toState: text('to_state', { enum: ['pending', 'active', 'failed', 'revoked', 'revoking'] }).notNull(),
    desired: text('desired', { enum: ['active', 'revoked'] }).notNull(),
    lockId: uuid('lock_id').notNull(),
    email: text('email').notNull(),
    tapkeyGrantId: text('tapkey_grant_id'),
    reason: text('reason'),
  },
  (t) => [index('tapkey_grant_events_grant_idx').on(t.grantId, t.at)],
);

/**
 * Time-based re-evaluations (move-in reached, move-out passed). Rows, not timers: the
 * scheduler claims due rows with SKIP LOCKED and evaluates in the same transaction, so a
 * restart or a second process neither loses nor doubles a trigger.
 */
export const tapkeyTriggers = pgTable(
  'tapkey_triggers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['move_in', 'move_out'] }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'date' }).notNull(),
    firedAt: tsNullable('fired_at'),
    createdAt: ts('created_at'),
  },
  (t) => [uniqueIndex('tapkey_triggers_booking_kind_idx').on(t.bookingId, t.kind), index('tapkey_triggers_due_idx').on(t.firedAt, t.dueAt)],
);

/** "Access ready" notices (the seed's step-3 email), rendered in the reader's language. */
export const tapkeyNotices = pgTable(
  'tapkey_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    grantId: uuid('grant_id')
      .notNull()
      .references(() => tapkeyGrants.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['access_ready'] }).notNull(),
    email: text('email').notNull(),
    lockId: uuid('lock_id').notNull(),
    unitName: text('unit_name').notNull(),
    tapkeyGrantId: text('tapkey_grant_id').notNull(),
    validFrom: tsNullable('valid_from'),
    validBefore: tsNullable('valid_before'),
    createdAt: ts('created_at'),
  },
  (t) => [uniqueIndex('tapkey_notices_once_idx').on(t.grantId, t.tapkeyGrantId, t.kind), index('tapkey_notices_org_idx').on(t.organizationId, t.createdAt)],
);

export interface SyncRunReport {
  bookingsWithoutEmail: { count: number; items: { bookingExternalId: string; unitExternalId: string }[] };
  invalidEmails: { count: number; items: { bookingExternalId: string; email: string; reason: string }[] };
  unitsWithoutMapping: { count: number; items: { unitExternalId: string; unitName: string; activeBookings: number }[] };
  locksWithoutUnit: { count: number; items: { lockId: string; title: string }[] };
  /** Filled by the run's scan (it needs Tapkey's grants); absent in runs made before it existed. */
  emailMismatches?: { count: number; items: EmailMismatch[] };
  /** Staff NFC card grants on the location's locks: listed, never unexplained, never revoked. */
  cardGrants?: { count: number; items: { tapkeyGrantId: string; lockId: string; lockTitle: string | null; boundCardId: string | null }[] };
  /** Whether the grants endpoint filtered by lock ('server') or refused it and we filtered ('client'). */
  lockFilter?: 'server' | 'client';
  /** Bookings whose stored dates cannot be evaluated; absent in runs from before it existed. */
  bookingsWithInvalidDates?: { count: number; items: { bookingExternalId: string; unitExternalId: string; moveIn: string; moveOut: string | null }[] };
}

/** A booking whose lock has live Tapkey grants for other emails than the booking's. */
export interface EmailMismatch {
  bookingExternalId: string;
  unitExternalId: string;
  unitName: string;
  lockId: string;
  lockTitle: string | null;
  expectedEmail: string;
  /** Every email with a live grant on the lock, the expected one included when present. */
  tapkeyEmails: string[];
  /** The Tapkey grant ids of the other emails (kept unless selected row by row). */
  otherGrantIds: string[];
  expectedHasGrant: boolean;
}

/** A full sync of one location: the reconcile jobs it queued (outbox payload runId) and its report. */
export const tapkeySyncRuns = pgTable(
  'tapkey_sync_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id, { onDelete: 'cascade' }),
    actor: text('actor').notNull(),
    total: integer('total').notNull(),
    report: jsonb('report').$type<SyncRunReport>().notNull(),
    /** The scan for grants no booking explains runs as an outbox job too. */
    scanState: text('scan_state', { enum: ['pending', 'done', 'failed'] }).notNull().default('pending'),
    scanError: text('scan_error'),
    createdAt: ts('created_at'),
    finishedAt: tsNullable('finished_at'),
  },
  (t) => [index('tapkey_sync_runs_org_idx').on(t.organizationId, t.createdAt)],
);

/** Active Tapkey grants that no booking explains, found by a run's scan. */
export const tapkeyUnexplainedGrants = pgTable(
  'tapkey_unexplained_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    runId: uuid('run_id')
      .notNull()
      .references(() => tapkeySyncRuns.id, { onDelete: 'cascade' }),
    tapkeyGrantId: text('tapkey_grant_id').notNull(),
    lockId: text('lock_id').notNull(),
    lockTitle: text('lock_title'),
    email: text('email'),
    validFrom: text('valid_from'),
    validBefore: text('valid_before'),
    state: text('state', { enum: ['found', 'revoking', 'revoked', 'kept', 'failed'] }).notNull().default('found'),
    reason: text('reason'),
  },
  (t) => [uniqueIndex('tapkey_unexplained_run_grant_idx').on(t.runId, t.tapkeyGrantId)],
);

/**
 * Short leases that serialize Tapkey work per contact (owner account + email) across processes,
 * so two jobs never both find "no grant yet" and both create one.
 */
export const tapkeyLeases = pgTable('tapkey_leases', {
  key: text('key').primaryKey(),
  lease: uuid('lease').notNull(),
  until: timestamp('until', { withTimezone: true, mode: 'date' }).notNull(),
});
