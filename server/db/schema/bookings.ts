import { jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { locations, organizations } from './core.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/** The per-location secret that signs booking webhooks (encrypted; shown once when rotated). */
export const bookingHookSecrets = pgTable('booking_hook_secrets', {
  organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  locationId: uuid('location_id').primaryKey().references(() => locations.id, { onDelete: 'cascade' }),
  secretEnc: text('secret_enc').notNull(),
  createdAt: ts('created_at'),
});

/** Webhook events already applied, by the sender's event id: a replay answers the first result. */
export const bookingHookEvents = pgTable(
  'booking_hook_events',
  {
    locationId: uuid('location_id').notNull().references(() => locations.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    receivedAt: ts('received_at'),
    result: jsonb('result').notNull(),
  },
  (t) => [primaryKey({ name: 'booking_hook_events_pk', columns: [t.locationId, t.eventId] })],
);

/** The bookings file's column mapping, remembered per location. */
export const bookingImportColumns = pgTable('booking_import_columns', {
  organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  locationId: uuid('location_id').primaryKey().references(() => locations.id, { onDelete: 'cascade' }),
  columns: jsonb('columns').$type<Record<string, string>>().notNull(),
  updatedAt: ts('updated_at'),
});
