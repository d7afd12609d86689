import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { locations, organizations } from './core.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const tsNull = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Keycafe SmartBox locations of a location's Keycafe account, as last listed (a cache). */
export const keycafeLocations = pgTable(
  'keycafe_locations',
  {
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    locationId: uuid('location_id').notNull().references(() => locations.id, { onDelete: 'cascade' }),
    keycafeId: text('keycafe_id').notNull(),
    name: text('name').notNull(),
    address: text('address'),
    timeZone: text('time_zone'),
    syncedAt: ts('synced_at'),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.keycafeId] }), index('keycafe_locations_org_idx').on(t.organizationId)],
);

/** Keys of a location's Keycafe account (a cache). `removedAt`: gone from Keycafe's list. */
export const keycafeKeys = pgTable(
  'keycafe_keys',
  {
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    locationId: uuid('location_id').notNull().references(() => locations.id, { onDelete: 'cascade' }),
    keycafeId: text('keycafe_id').notNull(),
    name: text('name').notNull(),
    serialNumber: text('serial_number'),
    homeLocationId: text('home_location_id'),
    firstSeenAt: ts('first_seen_at'),
    syncedAt: ts('synced_at'),
    removedAt: tsNull('removed_at'),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.keycafeId] }), index('keycafe_keys_org_name_idx').on(t.organizationId, t.name)],
);

/** When the cache of a location was last refreshed from Keycafe, and from which account. */
export const keycafeSyncState = pgTable('keycafe_sync_state', {
  locationId: uuid('location_id')
    .primaryKey()
    .references(() => locations.id, { onDelete: 'cascade' }),
  organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  /** A location switched to another Keycafe account has a cache of the old one: refreshed first. */
  accountEmail: text('account_email'),
  keysSyncedAt: tsNull('keys_synced_at'),
  locationsSyncedAt: tsNull('locations_synced_at'),
});

export type KeycafeBookingState = 'pending' | 'active' | 'partially_failed' | 'failed' | 'cancelling' | 'cancelled';
export type KeycafeAccessState = 'pending' | 'active' | 'failed' | 'cancelling' | 'cancelled';

/**
 * An access booking for a visitor on one or several keys (or all keys, ongoing). Start and end
 * are stored both as entered (local, in `time_zone`) and as UTC instants. The visitor-ID and
 * photo fields have no Keycafe API field: they live here and are shown back.
 */
export const keycafeBookings = pgTable(
  'keycafe_bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    // No cascade: a location with bookings answers 409 on delete instead of losing them.
    locationId: uuid('location_id').notNull().references(() => locations.id),
    type: text('type', { enum: ['one_time', 'ongoing'] }).notNull(),
    allKeys: boolean('all_keys').notNull().default(false),
    recipientEmail: text('recipient_email'),
    /** E.164 */
    recipientMobile: text('recipient_mobile'),
    locale: text('locale').notNull(),
    name: text('name'),
    timeZone: text('time_zone'),
    startLocal: jsonb('start_local').$type<{ date: string; time: string } | null>(),
    endLocal: jsonb('end_local').$type<{ date: string; time: string } | null>(),
    startsAt: tsNull('starts_at'),
    endsAt: tsNull('ends_at'),
    returnReminder: boolean('return_reminder').notNull().default(false),
    reminder: jsonb('reminder').$type<{ rule: 'before_end' | 'after_pickup'; offsetMinutes: number; band: 'over_24h' | '4h_to_24h' | 'under_4h'; at: string | null } | null>(),
    requireVisitorId: boolean('require_visitor_id').notNull().default(false),
    visitors: integer('visitors').notNull().default(1),
    photoVerification: boolean('photo_verification').notNull().default(false),
    state: text('state').$type<KeycafeBookingState>().notNull().default('pending'),
    cancelRequestedAt: tsNull('cancel_requested_at'),
    createdBy: text('created_by').notNull(),
    /** The caller's Idempotency-Key: a replayed POST (the extension's offline queue) finds this booking. */
    requestKey: text('request_key'),
    /**
     * The widget token (its `jti`) that made the booking, null when an API token did: a widget
     * token sees and cancels only its own bookings (server/keycafe/widget-scope.ts).
     */
    widgetTokenId: uuid('widget_token_id'),
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
  },
  (t) => [
    uniqueIndex('keycafe_bookings_request_key_idx').on(t.organizationId, t.requestKey),
    index('keycafe_bookings_org_created_idx').on(t.organizationId, t.createdAt),
    index('keycafe_bookings_org_recipient_idx').on(t.organizationId, t.recipientEmail, t.recipientMobile),
    index('keycafe_bookings_org_widget_token_idx').on(t.organizationId, t.widgetTokenId),
  ],
);

/**
 * One Keycafe access per booking and key. `desired` is what the booking wants now; `state` is
 * how far Keycafe has got. `createSentAt` is written before the POST leaves, so a retry knows
 * Keycafe may already hold the access and looks for it before creating another.
 */
export const keycafeAccesses = pgTable(
  'keycafe_accesses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => keycafeBookings.id, { onDelete: 'cascade' }),
    keyId: text('key_id').notNull(),
    keyName: text('key_name').notNull(),
    desired: text('desired', { enum: ['active', 'cancelled'] }).notNull().default('active'),
    state: text('state').$type<KeycafeAccessState>().notNull().default('pending'),
    reason: text('reason'),
    keycafeAccessId: text('keycafe_access_id'),
    /** Keycafe's user ID from the create answer: the visitor's identity for later lookups (match.ts). */
    keycafeUserId: text('keycafe_user_id'),
    bookingCode: text('booking_code'),
    checkinLink: text('checkin_link'),
    createSentAt: tsNull('create_sent_at'),
    addedBySync: boolean('added_by_sync').notNull().default(false),
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
  },
  (t) => [
    uniqueIndex('keycafe_accesses_booking_key_idx').on(t.bookingId, t.keyId),
    index('keycafe_accesses_org_key_idx').on(t.organizationId, t.keyId),
    uniqueIndex('keycafe_accesses_keycafe_id_idx')
      .on(t.organizationId, t.keycafeAccessId)
      .where(sql`${t.keycafeAccessId} is not null`),
  ],
);
