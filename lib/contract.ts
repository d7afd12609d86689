/**
 * The shared contract: zod schemas for everything the sync API and the extension (and the
 * widget) exchange. Both sides parse with these, so a field renamed here breaks both builds.
 * Request schemas (`*Input`) validate what callers send; resource schemas describe answers.
 */
import { z } from 'zod';
import { lockIdSchema } from './lock-id.ts';

export { lockIdSchema };

const id = z.string().uuid();
const isoDateTime = z.string().datetime({ offset: true });
const name = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);
export const emailSchema = z.string().trim().toLowerCase().email('Not a valid email address').max(254);

// ---------- errors ----------

export const errorCodes = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unprocessable',
  'rate_limited',
  'provider_error',
  'unavailable',
  'internal',
] as const;
export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** Every API error answers with this body (DESIGN.md, "Contract"). */
export const errorBodySchema = z.object({
  error: z.object({ code: errorCodeSchema, message: z.string() }),
  fieldErrors: z.array(fieldErrorSchema),
  /** Extra machine-readable context, e.g. the conflicting mapping of a 409. */
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

// ---------- organization & locations ----------

export const organizationSchema = z.object({ id, name: z.string(), createdAt: isoDateTime });
export type Organization = z.infer<typeof organizationSchema>;

export const syncModeSchema = z.enum(['gradual', 'full']);
export const accessTriggerSchema = z.enum(['booking_creation', 'move_in_reached']);

/** Provider settings as returned: secrets are never returned, only whether one is set. */
export const tapkeySettingsSchema = z.object({
  clientId: z.string(),
  ownerAccountId: z.string(),
  hasSecret: z.boolean(),
  syncMode: syncModeSchema,
  accessTrigger: accessTriggerSchema,
});
export const keycafeSettingsSchema = z.object({ accountEmail: z.string(), hasToken: z.boolean() });

export const timeZoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'Not a known IANA time zone');

export const locationSchema = z.object({
  id,
  name: z.string(),
  timeZone: z.string(),
  tapkey: tapkeySettingsSchema.nullable(),
  keycafe: keycafeSettingsSchema.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Location = z.infer<typeof locationSchema>;

export const tapkeySettingsInput = z.object({
  clientId: name(200),
  /** Omit to keep the stored secret. */
  clientSecret: z.string().min(1).max(500).optional(),
  ownerAccountId: name(200),
  syncMode: syncModeSchema.default('gradual'),
  accessTrigger: accessTriggerSchema.default('booking_creation'),
});
export const keycafeSettingsInput = z.object({
  accountEmail: emailSchema,
  apiToken: z.string().min(1).max(500).optional(),
});

export const locationInput = z.object({
  name: name(200),
  timeZone: timeZoneSchema.default('UTC'),
  tapkey: tapkeySettingsInput.nullable().optional(),
  keycafe: keycafeSettingsInput.nullable().optional(),
});
export type LocationInput = z.input<typeof locationInput>;

// ---------- units, locks, mappings ----------

export const unitSchema = z.object({
  id,
  externalId: z.string(),
  name: z.string(),
  locationId: id.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Unit = z.infer<typeof unitSchema>;

/** Upsert by the manager's own unit id (`externalId`, in the URL). */
export const unitInput = z.object({
  name: name(200),
  locationId: id.nullable().optional(),
});
export type UnitInput = z.infer<typeof unitInput>;

export const lockSourceSchema = z.enum(['tapkey', 'captured']);

export const lockSchema = z.object({
  id: lockIdSchema,
  title: z.string(),
  source: lockSourceSchema,
  locationId: id.nullable(),
  capturedUrl: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Lock = z.infer<typeof lockSchema>;

export const capturedLockInput = z.object({
  id: lockIdSchema,
  title: z.string().trim().max(200).default(''),
  pageUrl: z.string().url().max(2000),
  locationId: id.nullable().optional(),
});
export type CapturedLockInput = z.input<typeof capturedLockInput>;

export const captureLocksInput = z.object({
  locks: z.array(capturedLockInput).min(1, 'At least one lock').max(1000, 'At most 1,000 locks at once'),
});
export const captureLocksResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  locks: z.array(lockSchema),
});

export const mappingSchema = z.object({
  unitId: id,
  lockId: lockIdSchema,
  unit: unitSchema,
  lock: lockSchema,
  createdAt: isoDateTime,
});
export type Mapping = z.infer<typeof mappingSchema>;

/** PUT /v1/units/{unitId}/mapping. `replace` moves a lock or unit already mapped elsewhere. */
export const mappingInput = z.object({ lockId: lockIdSchema, replace: z.boolean().default(false) });
export type MappingInput = z.input<typeof mappingInput>;

/** The 409 body's `details` when a mapping would conflict. */
export const mappingConflictSchema = z.object({
  lockMappedTo: mappingSchema.nullable(),
  unitMappedTo: mappingSchema.nullable(),
});
export type MappingConflict = z.infer<typeof mappingConflictSchema>;

// ---------- bookings & Tapkey grants ----------

export const bookingStateSchema = z.enum(['reserved', 'active', 'ended', 'cancelled']);
export const grantStateSchema = z.enum(['pending', 'active', 'failed', 'revoked']);
export type GrantState = z.infer<typeof grantStateSchema>;

export const grantSchema = z.object({
  id,
  bookingId: id,
  lockId: lockIdSchema,
  email: z.string(),
  state: grantStateSchema,
  reason: z.string().nullable(),
  tapkeyGrantId: z.string().nullable(),
  validFrom: isoDateTime.nullable(),
  validBefore: isoDateTime.nullable(),
  updatedAt: isoDateTime,
});
export type Grant = z.infer<typeof grantSchema>;

export const bookingSchema = z.object({
  id,
  externalId: z.string(),
  unitId: id,
  tenantEmail: z.string().nullable(),
  tenantPhone: z.string().nullable(),
  moveIn: z.string(),
  moveOut: z.string().nullable(),
  state: bookingStateSchema,
  /** Gradual sync mode: only bookings switched on get a grant. */
  syncEnabled: z.boolean(),
  grant: grantSchema.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Booking = z.infer<typeof bookingSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD');

/** PUT /v1/bookings/{externalId}, pushed by the manager side. */
export const bookingInput = z
  .object({
    unitExternalId: name(200),
    tenantEmail: emailSchema.nullable().optional(),
    tenantPhone: z.string().trim().max(40).nullable().optional(),
    moveIn: isoDate,
    moveOut: isoDate.nullable().optional(),
    state: bookingStateSchema.default('active'),
    syncEnabled: z.boolean().optional(),
  })
  .refine((b) => !b.moveOut || b.moveOut >= b.moveIn, { path: ['moveOut'], message: 'Move-out must not be before move-in' });
export type BookingInput = z.input<typeof bookingInput>;

// ---------- Keycafe ----------

export const keycafeLocales = ['en', 'fr', 'ja', 'es', 'nl', 'it', 'pt'] as const;
export const keycafeLocaleSchema = z.enum(keycafeLocales);

export const keycafeKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  serialNumber: z.string().nullable(),
  locationId: z.string().nullable(),
  locationName: z.string().nullable(),
  timeZone: z.string().nullable(),
});
export type KeycafeKey = z.infer<typeof keycafeKeySchema>;

export const recipientSchema = z.union([
  z.object({ email: emailSchema }),
  /** Mobile number with country code; the server normalises it to E.164 (libphonenumber-js). */
  z.object({ mobile: z.string().trim().min(4).max(30) }),
]);

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour clock)');

export const keycafeAccessTypeSchema = z.enum(['one_time', 'ongoing']);

export const keycafeBookingInput = z
  .object({
    locationId: id,
    keyIds: z.array(z.string().min(1)).max(50).default([]),
    allKeys: z.boolean().default(false),
    recipient: recipientSchema,
    locale: keycafeLocaleSchema.default('en'),
    name: z.string().trim().max(200).optional(),
    type: keycafeAccessTypeSchema,
    start: z.object({ date: isoDate, time: localTime }).optional(),
    end: z.object({ date: isoDate, time: localTime }).optional(),
    returnReminder: z.boolean().default(false),
    requireVisitorId: z.boolean().default(false),
    visitors: z.number().int().min(1).max(20).default(1),
    photoVerification: z.boolean().default(false),
  })
  .superRefine((b, ctx) => {
    if (!b.allKeys && b.keyIds.length === 0) ctx.addIssue({ code: 'custom', path: ['keyIds'], message: 'Choose at least one key' });
    if (b.allKeys && b.type !== 'ongoing') ctx.addIssue({ code: 'custom', path: ['allKeys'], message: 'Only ongoing access can apply to all keys' });
    if (b.type === 'one_time') {
      if (!b.start) ctx.addIssue({ code: 'custom', path: ['start'], message: 'Start date and time are required' });
      if (!b.end) ctx.addIssue({ code: 'custom', path: ['end'], message: 'End date and time are required' });
      if (b.start && b.end && `${b.end.date}T${b.end.time}` <= `${b.start.date}T${b.start.time}`)
        ctx.addIssue({ code: 'custom', path: ['end'], message: 'End must be after start' });
    } else if (b.start || b.end) {
      ctx.addIssue({ code: 'custom', path: [b.start ? 'start' : 'end'], message: 'Ongoing access has no start or end' });
    }
  });
export type KeycafeBookingInput = z.input<typeof keycafeBookingInput>;

export const keycafeAccessStateSchema = z.enum(['pending', 'active', 'failed', 'cancelled']);

export const keycafeAccessSchema = z.object({
  keyId: z.string(),
  keyName: z.string(),
  state: keycafeAccessStateSchema,
  reason: z.string().nullable(),
  keycafeAccessId: z.string().nullable(),
  bookingCode: z.string().nullable(),
  checkinLink: z.string().nullable(),
});

export const keycafeBookingSchema = z.object({
  id,
  locationId: id,
  type: keycafeAccessTypeSchema,
  allKeys: z.boolean(),
  recipient: z.object({ email: z.string().nullable(), mobile: z.string().nullable() }),
  locale: keycafeLocaleSchema,
  name: z.string().nullable(),
  timeZone: z.string().nullable(),
  startsAt: isoDateTime.nullable(),
  endsAt: isoDateTime.nullable(),
  returnReminder: z.boolean(),
  reminderAt: isoDateTime.nullable(),
  requireVisitorId: z.boolean(),
  visitors: z.number().int(),
  photoVerification: z.boolean(),
  state: z.enum(['pending', 'active', 'partially_failed', 'failed', 'cancelled']),
  accesses: z.array(keycafeAccessSchema),
  createdAt: isoDateTime,
});
export type KeycafeBooking = z.infer<typeof keycafeBookingSchema>;

// ---------- audit ----------

export const auditEventSchema = z.object({
  id,
  at: isoDateTime,
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

// ---------- health ----------

export const healthSchema = z.object({ status: z.literal('ok'), version: z.string() });
export const whoAmISchema = z.object({ organization: organizationSchema, tokenName: z.string() });
export type WhoAmI = z.infer<typeof whoAmISchema>;

/** Cursor-less list envelope used by every list route. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });
