
import { boolean, foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: ts('created_at'),
});

/** API tokens: only a SHA-256 of the token is stored; the token itself is shown once. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    createdAt: ts('created_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_idx').on(t.tokenHash)],
);

export const locations = pgTable(
  'locations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull().default('UTC'),
    /** Postal address, free text (migration 0005_admin_location_address.sql). */
    address: text('address'),
    /** Tapkey connection: client id, owner account, sync mode, trigger; the secret is encrypted. */
    tapkey: jsonb('tapkey').$type<{
      clientId: string;
      ownerAccountId: string;
      syncMode: 'gradual' | 'full';
      accessTrigger: 'booking_creation' | 'move_in_reached';
      /** Every trigger switched on (the seed: "Booking creation" and/or "Move-in date reached"). */
      accessTriggers?: ('booking_creation' | 'move_in_reached')[];
      /** When Tapkey was connected: gradual mode manages bookings made after it. */
      connectedAt?: string;
    } | null>(),
    tapkeySecret: text('tapkey_secret_enc'),
    keycafe: jsonb('keycafe').$type<{ accountEmail: string; authType?: 'token' | 'key' } | null>(),
    keycafeToken: text('keycafe_token_enc'),
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
  },
  (t) => [index('locations_org_idx').on(t.organizationId)],
);

export const units = pgTable(
  'units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    name: text('name').notNull(),
    locationId: uuid('location_id').references(() => locations.id, { onDelete: 'set null' }),
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
  },
  (t) => [uniqueIndex('units_org_external_idx').on(t.organizationId, t.externalId), index('units_org_name_external_idx').on(t.organizationId, t.name, t.externalId)],
);

export const locks = pgTable(
  'locks',
  {
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    title: text('title').notNull().default(''),
    source: text('source', { enum: ['tapkey', 'captured'] }).notNull(),
    locationId: uuid('location_id').references(() => locations.id, { onDelete: 'set null' }),
    capturedUrl: text('captured_url'),
    /** Still bound in Tapkey at the last import (captured locks: null, unknown). */
    active: boolean('active'),
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] }), index('locks_org_title_idx').on(t.organizationId, t.title, t.id)],
);

/** One unit ↔ one lock: both sides unique per organization. */
export const mappings = pgTable(
  'mappings',
  {
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    unitId: uuid('unit_id').notNull().references(() => units.id, { onDelete: 'cascade' }),
    lockId: uuid('lock_id').notNull(),
    createdAt: ts('created_at'),
  },
  (t) => [
    uniqueIndex('mappings_unit_idx').on(t.organizationId, t.unitId),
    uniqueIndex('mappings_lock_idx').on(t.organizationId, t.lockId),
    foreignKey({ columns: [t.organizationId, t.lockId], foreignColumns: [locks.organizationId, locks.id] }).onDelete('cascade'),
  ],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    at: ts('at'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('audit_org_at_idx').on(t.organizationId, t.at), index('audit_entity_idx').on(t.organizationId, t.entity, t.entityId)],
);

