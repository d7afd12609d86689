/**
 * The shared contract: zod schemas for everything the sync API and the extension (and the
 * widget) exchange. Both sides parse with these, so a field renamed here breaks both builds.
 * Request schemas (`*Input`) validate what callers send; resource schemas describe answers.
 */
import { z } from 'zod';
import { isoDateSchema } from './dates.ts';
import { identifierSchema } from './identifiers.ts';
import { tenantPhoneSchema } from './tenant-phone.ts';
import { lockIdSchema } from './lock-id.ts';
import { isSafeLinkUrl } from './safe-url.ts';

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

/** Every API error answers with this body: a stable code, a message for people, field errors. */
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
  /** Every trigger switched on ("Booking creation" and/or "Move-in date reached"). */
  accessTriggers: z.array(accessTriggerSchema),
  /** When Tapkey was connected: gradual mode manages bookings made after it. */
  connectedAt: isoDateTime.nullable(),
});
/**
 * Keycafe's two API credentials (docs.keycafe.com/reference/authentication-1): an API token
 * (`{email}/token`) or an API key (`{email}/key`). Absent: not known yet (tried both on test).
 */
export const keycafeAuthTypeSchema = z.enum(['token', 'key']);
export type KeycafeAuthType = z.infer<typeof keycafeAuthTypeSchema>;
export const keycafeSettingsSchema = z.object({ accountEmail: z.string(), hasToken: z.boolean(), authType: keycafeAuthTypeSchema.optional() });

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
  /** Postal address (free text); null when not entered. */
  address: z.string().nullable().optional(),
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
  /** Both triggers can be on; wins over `accessTrigger` when sent. */
  accessTriggers: z.array(accessTriggerSchema).min(1, 'At least one trigger').max(2).optional(),
});
export const keycafeSettingsInput = z.object({
  accountEmail: emailSchema,
  apiToken: z.string().min(1).max(500).optional(),
  authType: keycafeAuthTypeSchema.optional(),
});

const addressInput = z.string().trim().max(500, 'At most 500 characters').nullable();

export const locationInput = z.object({
  name: name(200),
  timeZone: timeZoneSchema.default('UTC'),
  address: addressInput.optional(),
  tapkey: tapkeySettingsInput.nullable().optional(),
  keycafe: keycafeSettingsInput.nullable().optional(),
});
export type LocationInput = z.input<typeof locationInput>;

/**
 * PATCH /v1/locations/{id}: only the fields sent change. A provider object is merged over the
 * stored settings (omit `clientSecret`/`apiToken` to keep the stored one); `null` disconnects.
 */
export const locationPatchInput = z.object({
  name: name(200).optional(),
  timeZone: timeZoneSchema.optional(),
  address: addressInput.optional(),
  tapkey: z
    .object({
      clientId: name(200).optional(),
      clientSecret: z.string().min(1).max(500).optional(),
      ownerAccountId: name(200).optional(),
      syncMode: syncModeSchema.optional(),
      accessTrigger: accessTriggerSchema.optional(),
      accessTriggers: z.array(accessTriggerSchema).min(1, 'At least one trigger').max(2).optional(),
    })
    .nullable()
    .optional(),
  keycafe: z
    .object({ accountEmail: emailSchema.optional(), apiToken: z.string().min(1).max(500).optional(), authType: keycafeAuthTypeSchema.optional() })
    .nullable()
    .optional(),
});
export type LocationPatchInput = z.input<typeof locationPatchInput>;

// ---------- units, locks, mappings ----------

export const unitSchema = z.object({
  id,
  externalId: z.string(),
  name: z.string(),
  locationId: id.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  /** Only on PUT: units of the same location this one is easy to confuse with (lib/identifiers.ts). */
  warnings: z
    .array(z.object({ code: z.literal('confusable_unit'), message: z.string(), params: z.record(z.string(), z.string()) }))
    .optional(),
});
export type Unit = z.infer<typeof unitSchema>;

/** Upsert by the manager's own unit id (`externalId`, in the URL). The name identifies the unit in mapping files. */
export const unitInput = z.object({
  name: identifierSchema(200),
  locationId: id.nullable().optional(),
});
export type UnitInput = z.infer<typeof unitInput>;

export const lockSourceSchema = z.enum(['tapkey', 'captured']);

export const lockSchema = z.object({
  id: lockIdSchema,
  title: z.string(),
  source: lockSourceSchema,
  locationId: id.nullable(),
  capturedUrl: z.string().refine(isSafeLinkUrl, 'Only https:// page addresses').nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Lock = z.infer<typeof lockSchema>;

export const capturedLockInput = z.object({
  id: lockIdSchema,
  title: z.string().trim().max(200).default(''),
  pageUrl: z.string().max(2000).refine(isSafeLinkUrl, 'Use the https:// address of the portal page'),
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
/** `revoking`: Tapkey accepted the revoke and is carrying it out (asynchronous, until the lock syncs). */
export const grantStateSchema = z.enum(['pending', 'active', 'failed', 'revoked', 'revoking']);
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
  /** Whether sync applies to this booking now (the mode's rule, or the override). */
  syncEnabled: z.boolean(),
  /** Switched on/off by hand, or null: the location's mode decides. */
  syncOverride: z.boolean().nullable(),
  /** When the booking was made in the manager, if an intake said so. */
  bookedAt: isoDateTime.nullable(),
  /** The last time an intake (page, list, file, webhook, API) reported the booking. */
  lastSeenAt: isoDateTime,
  lastSeenVia: z.string().nullable(),
  /** Not reported by any intake for the stale threshold: check it in the manager (never revoked automatically). */
  stale: z.boolean(),
  grant: grantSchema.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  /** The unit's manager id (URLs address units by it). */
  unitExternalId: z.string(),
  /** Why the booking has (or has no) Tapkey access right now. */
  access: z.object({ status: z.string(), message: z.string() }),
  /** Revoked by hand (POST /v1/bookings/{externalId}/revoke) until restored. */
  accessRevoked: z.boolean(),
});
export type Booking = z.infer<typeof bookingSchema>;

/** Real calendar dates in a sane year range (lib/dates.ts), the same schema everywhere. */
const isoDate = isoDateSchema;

const bookingFields = {
  unitExternalId: identifierSchema(200),
  tenantEmail: emailSchema.nullable().optional(),
  tenantPhone: tenantPhoneSchema.nullable().optional(),
  moveIn: isoDate,
  moveOut: isoDate.nullable().optional(),
  /** When the booking was made in the manager (gradual mode manages those made after the connection). */
  bookedAt: isoDateTime.nullable().optional(),
};
const moveOutAfterMoveIn = { path: ['moveOut'], message: 'Move-out must not be before move-in' };

/**
 * PUT /v1/bookings/{externalId}: a full replace, so `state` is required (a missing state must
 * never turn an ended booking active again). Partial changes: PATCH.
 */
export const bookingInput = z
  .object({
    ...bookingFields,
    state: bookingStateSchema,
    /** Override of the location's sync mode; omit to keep, null to let the mode decide. */
    syncEnabled: z.boolean().nullable().optional(),
  })
  .refine((b) => !b.moveOut || b.moveOut >= b.moveIn, moveOutAfterMoveIn);
export type BookingInput = z.input<typeof bookingInput>;

/** PATCH /v1/bookings/{externalId}: only the fields sent change. */
export const bookingPatchInput = z
  .object({
    unitExternalId: bookingFields.unitExternalId.optional(),
    tenantEmail: bookingFields.tenantEmail,
    tenantPhone: bookingFields.tenantPhone,
    moveIn: isoDate.optional(),
    moveOut: bookingFields.moveOut,
    bookedAt: bookingFields.bookedAt,
    state: bookingStateSchema.optional(),
    syncEnabled: z.boolean().nullable().optional(),
  })
  .strict();
export type BookingPatchInput = z.input<typeof bookingPatchInput>;

/**
 * One booking as an intake reports it (list capture, file import, webhook): by the manager's
 * booking id. A missing state keeps the stored one (new bookings: active); an ended or
 * cancelled booking is never made active by an intake (restore is explicit).
 */
export const bookingIntakeItem = z
  .object({ externalId: name(200), ...bookingFields, state: bookingStateSchema.optional() })
  .refine((b) => !b.moveOut || b.moveOut >= b.moveIn, moveOutAfterMoveIn);
export type BookingIntakeItem = z.input<typeof bookingIntakeItem>;

export const bookingIntakeSourceSchema = z.enum(['list', 'page', 'file', 'webhook', 'api']);
export const bookingBatchInput = z.object({
  source: bookingIntakeSourceSchema.default('api'),
  bookings: z.array(bookingIntakeItem).min(1, 'At least one booking').max(1000, 'At most 1000 bookings per request'),
});
export type BookingBatchInput = z.input<typeof bookingBatchInput>;

/**
 * POST /v1/hooks/bookings/{locationId}: a manager pushing bookings. Signed, not token
 * authenticated (server/routes/hooks.ts); `eventId` makes a delivery count once.
 */
export const bookingHookInput = z.object({
  eventId: z.string().trim().min(1, 'Required').max(200, 'At most 200 characters'),
  bookings: z.array(bookingIntakeItem).min(1, 'At least one booking').max(1000, 'At most 1000 bookings per event'),
});
export type BookingHookInput = z.input<typeof bookingHookInput>;

/** The per-location webhook secret, shown once when created or rotated. */
export const bookingHookSecretSchema = z.object({
  locationId: id,
  secret: z.string(),
  createdAt: isoDateTime,
  /** Where to send events, relative to the API's base URL. */
  path: z.string(),
});

export const bookingIntakeResultSchema = z.object({
  total: z.number().int(),
  created: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
  /** Rows not applied, with why (unknown unit, an ended booking reported active, ...). */
  refused: z.array(
    z.object({
      externalId: z.string(),
      /** unknown_unit, other_location, restore_needed (ended or cancelled: restore is explicit), invalid, duplicate. */
      code: z.string(),
      field: z.string().nullable(),
      message: z.string(),
    }),
  ),
});
export type BookingIntakeResult = z.infer<typeof bookingIntakeResultSchema>;

export const grantEventSchema = z.object({
  at: isoDateTime,
  actor: z.string(),
  fromState: grantStateSchema.nullable(),
  toState: grantStateSchema,
  desired: z.enum(['active', 'revoked']),
  lockId: z.string(),
  email: z.string(),
  tapkeyGrantId: z.string().nullable(),
  reason: z.string().nullable(),
});

/** The seed's step-3 "access ready" email, produced when a grant becomes active (not sent). */
export const accessNoticeSchema = z.object({
  id,
  kind: z.literal('access_ready'),
  bookingExternalId: z.string(),
  email: z.string(),
  unitName: z.string(),
  lockId: z.string(),
  validFrom: isoDateTime.nullable(),
  validBefore: isoDateTime.nullable(),
  subject: z.string(),
  /** The text with the tenant's email filled in. */
  text: z.string(),
  /** The same text with the email merge field left in, for the manager's email template. */
  template: z.string(),
  mergeField: z.string(),
  appStoreUrl: z.string(),
  playStoreUrl: z.string(),
  createdAt: isoDateTime,
});
export type AccessNotice = z.infer<typeof accessNoticeSchema>;

export const bookingDetailSchema = bookingSchema.extend({
  locationId: id.nullable(),
  grantHistory: z.array(grantEventSchema),
  notices: z.array(accessNoticeSchema),
  /** The next time-based re-evaluation (move-in reached, move-out passed), if any. */
  nextTrigger: z.object({ kind: z.enum(['move_in', 'move_out']), dueAt: isoDateTime }).nullable(),
});
export type BookingDetail = z.infer<typeof bookingDetailSchema>;

/** POST /v1/locations/{id}/tapkey/test: what Tapkey shows this location's client, and what is wrong. */
export const tapkeyConnectionTestSchema = z.object({
  ok: z.boolean(),
  ownerAccountId: z.string(),
  owners: z.array(z.object({ id: z.string(), name: z.string().nullable(), active: z.boolean() })),
  ownerFound: z.boolean(),
  lockCount: z.number().int().nullable(),
  /** The first bound locks, as a sample. */
  locks: z.array(z.object({ id: z.string(), title: z.string(), active: z.boolean() })),
  problems: z.array(
    z.object({
      code: z.enum(['bad_credentials', 'scope_missing', 'not_co_admin', 'owner_not_found', 'forbidden', 'unreachable', 'rate_limited', 'provider_error']),
      message: z.string(),
    }),
  ),
  /**
   * Every call the sync makes, in the order tried, with what Tapkey answered. `fallback`: refused
   * but the sync has a way around it (the grants lock filter); `skipped`: an earlier step failed;
   * `not_tried`: a write that cannot be tried without changing Tapkey (the permission it needs is named).
   */
  calls: z
    .array(
      z.object({
        call: z.string(),
        purpose: z.string(),
        result: z.enum(['ok', 'failed', 'fallback', 'skipped', 'not_tried']),
        status: z.number().int().nullable(),
        message: z.string().nullable(),
      }),
    )
    .default([]),
  /** How grants are read per lock: filtered by Tapkey ('server') or, after a 400, here ('client'). */
  lockFilter: z.enum(['server', 'client']).nullable().default(null),
});
export type TapkeyConnectionTest = z.infer<typeof tapkeyConnectionTestSchema>;

export const tapkeyImportLocksResultSchema = z.object({
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Tapkey locks of this location imported before and no longer bound. */
  deactivated: z.number().int(),
});

const reportList = <T extends z.ZodType>(item: T) => z.object({ count: z.number().int(), items: z.array(item) });

export const syncRunSchema = z.object({
  id,
  locationId: id,
  state: z.enum(['running', 'done']),
  createdAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
  progress: z.object({ total: z.number().int(), done: z.number().int(), failed: z.number().int(), pending: z.number().int() }),
  report: z.object({
    bookingsWithoutEmail: reportList(z.object({ bookingExternalId: z.string(), unitExternalId: z.string() })),
    invalidEmails: reportList(z.object({ bookingExternalId: z.string(), email: z.string(), reason: z.string() })),
    unitsWithoutMapping: reportList(z.object({ unitExternalId: z.string(), unitName: z.string(), activeBookings: z.number().int() })),
    locksWithoutUnit: reportList(z.object({ lockId: z.string(), title: z.string() })),
    /** Bookings whose stored move-in/move-out is not a real date: reported, not fatal to the run. */
    bookingsWithInvalidDates: reportList(z.object({ bookingExternalId: z.string(), unitExternalId: z.string(), moveIn: z.string(), moveOut: z.string().nullable() })).optional(),
    unexplainedGrants: z.object({
      scan: z.enum(['pending', 'done', 'failed']),
      error: z.string().nullable(),
      count: z.number().int(),
      items: z.array(
        z.object({
          tapkeyGrantId: z.string(),
          lockId: z.string(),
          lockTitle: z.string().nullable(),
          email: z.string().nullable(),
          validFrom: z.string().nullable(),
          validBefore: z.string().nullable(),
          state: z.enum(['found', 'revoking', 'revoked', 'kept', 'failed']),
          reason: z.string().nullable(),
          /**
           * The lock's unit has an active booking: never in the default revoke set, revoked only
           * when the operator selects this row (POST .../revoke-unexplained with its id).
           */
          protected: z.boolean().default(false),
          /** Why it is protected, in the reader's language; null when it is not. */
          note: z.string().nullable().default(null),
        }),
      ),
    }),
    /** Bookings whose lock has live Tapkey grants for another email (from the scan). */
    emailMismatches: reportList(
      z.object({
        bookingExternalId: z.string(),
        unitExternalId: z.string(),
        unitName: z.string(),
        lockId: z.string(),
        lockTitle: z.string().nullable(),
        expectedEmail: z.string(),
        tapkeyEmails: z.array(z.string()),
        otherGrantIds: z.array(z.string()),
        suggestedAction: z.string(),
      }),
    ).default({ count: 0, items: [] }),
    /** Staff NFC card grants (no contact): listed, never unexplained, never revoked. */
    cardGrants: reportList(z.object({ tapkeyGrantId: z.string(), lockId: z.string(), lockTitle: z.string().nullable(), boundCardId: z.string().nullable() })).default({
      count: 0,
      items: [],
    }),
    /** 'client' when Tapkey refused the grants lock filter (400) and grants are filtered here. */
    lockFilter: z.enum(['server', 'client']).nullable().default(null),
    /** Tenants must register in the Tapkey app with the booking's email (seed, full sync). */
    reminder: z.string(),
  }),
});
export type SyncRun = z.infer<typeof syncRunSchema>;

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
  /** The AccessBridge location whose Keycafe account holds the key (`locationId` above is Keycafe's SmartBox). */
  accountLocationId: id,
});
export type KeycafeKey = z.infer<typeof keycafeKeySchema>;

/** A Keycafe SmartBox location of a connected Keycafe account. */
export const keycafeLocationSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  timeZone: z.string().nullable(),
  accountLocationId: id,
});
export type KeycafeLocation = z.infer<typeof keycafeLocationSchema>;

/** POST /v1/locations/{id}/keycafe/test: the stored account, or these credentials before saving them. */
export const keycafeConnectionTestInput = z.object({
  accountEmail: emailSchema.optional(),
  apiToken: z.string().min(1).max(500).optional(),
  /** Which credential `apiToken` is; omitted: the stored one, else both are tried (token first). */
  authType: keycafeAuthTypeSchema.optional(),
});
/** One Keycafe call "Test connection" made, and what came of it (in the Keycafe dashboard's words). */
export const keycafeTestCallSchema = z.object({
  call: z.string(),
  authType: keycafeAuthTypeSchema,
  ok: z.boolean(),
  status: z.number().int().nullable(),
  errorId: z.string().nullable(),
  message: z.string(),
});
export type KeycafeTestCall = z.infer<typeof keycafeTestCallSchema>;
export const keycafeConnectionTestResult = z.object({
  ok: z.literal(true),
  accountEmail: z.string(),
  keys: z.number().int(),
  locations: z.number().int(),
  /** The credential type that worked (stored for a saved location when it was not known). */
  authType: keycafeAuthTypeSchema.optional(),
  calls: z.array(keycafeTestCallSchema).optional(),
  /** List items Keycafe sent that did not have the documented shape (skipped). */
  skipped: z.array(z.object({ list: z.string(), id: z.string().nullable(), reason: z.string() })).optional(),
});
export type KeycafeConnectionTestResult = z.infer<typeof keycafeConnectionTestResult>;

/** An access on Keycafe that matches a booking (key, recipient, period) but that no booking tracks. */
export const keycafeUntrackedAccessSchema = z.object({
  keycafeAccessId: z.string(),
  keyId: z.string(),
  keyName: z.string(),
  bookingId: id,
  recipient: z.object({ email: z.string().nullable(), mobile: z.string().nullable() }),
  start: z.object({ date: z.string(), time: z.string() }).nullable(),
  end: z.object({ date: z.string(), time: z.string() }).nullable(),
  bookingCode: z.string().nullable(),
  /** The booking's key has no Keycafe access (its create failed): it can take this one. */
  adoptable: z.boolean(),
});
export type KeycafeUntrackedAccess = z.infer<typeof keycafeUntrackedAccessSchema>;
export const keycafeUntrackedActionInput = z.object({ action: z.enum(['adopt', 'cancel']) });

export const recipientSchema = z.union(
  [
    z.object({ email: emailSchema }),
    /**
     * Mobile number with country code; the server normalises it to E.164 (libphonenumber-js).
     * `country` (ISO 3166 alpha-2, e.g. "DE") lets a caller send a national number instead.
     */
    z.object({ mobile: z.string().trim().min(4, 'Not a valid phone number').max(30), country: z.string().trim().length(2).optional() }),
  ],
  { error: 'Enter an email address or a mobile number' },
);

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
    } else {
      if (b.start || b.end) ctx.addIssue({ code: 'custom', path: [b.start ? 'start' : 'end'], message: 'Ongoing access has no start or end' });
      if (b.returnReminder) ctx.addIssue({ code: 'custom', path: ['returnReminder'], message: 'Ongoing access has no end, so it has no return reminder' });
    }
    // Seed 004: photo verification matches a selfie to the uploaded ID; the visitor count is of ID uploaders.
    if (b.photoVerification && !b.requireVisitorId)
      ctx.addIssue({ code: 'custom', path: ['photoVerification'], message: 'Photo verification needs "Require visitor ID" too' });
    if (b.visitors > 1 && !b.requireVisitorId)
      ctx.addIssue({ code: 'custom', path: ['visitors'], message: 'The number of visitors counts ID uploads: turn on "Require visitor ID" too' });
  });
export type KeycafeBookingInput = z.input<typeof keycafeBookingInput>;

/** `cancelling`: cancel requested, the Keycafe access not deleted yet. */
export const keycafeAccessStateSchema = z.enum(['pending', 'active', 'failed', 'cancelling', 'cancelled']);

export const keycafeAccessSchema = z.object({
  keyId: z.string(),
  keyName: z.string(),
  state: keycafeAccessStateSchema,
  reason: z.string().nullable(),
  keycafeAccessId: z.string().nullable(),
  bookingCode: z.string().nullable(),
  /** https only (lib/safe-url.ts); anything else never leaves the API. */
  checkinLink: z.string().refine(isSafeLinkUrl, 'Only https:// check-in links').nullable(),
  /** Granted later by the key sync of an "apply to all keys" booking (a key created after it). */
  addedBySync: z.boolean(),
  updatedAt: isoDateTime,
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
  /** The return reminder's rule (lib/keycafe-reminder.ts); null when off or ongoing. */
  reminder: z
    .object({
      rule: z.enum(['before_end', 'after_pickup']),
      offsetMinutes: z.number().int(),
      band: z.enum(['over_24h', '4h_to_24h', 'under_4h']),
      at: isoDateTime.nullable(),
    })
    .nullable(),
  /** Start and end as entered, in the SmartBox location's `timeZone`. */
  start: z.object({ date: z.string(), time: z.string() }).nullable(),
  end: z.object({ date: z.string(), time: z.string() }).nullable(),
  requireVisitorId: z.boolean(),
  visitors: z.number().int(),
  photoVerification: z.boolean(),
  state: z.enum(['pending', 'active', 'partially_failed', 'failed', 'cancelling', 'cancelled']),
  accesses: z.array(keycafeAccessSchema),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
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
/** GET /v1/sandbox: where the sandbox fakes run (ephemeral ports), so the demo can find them. */
export const sandboxInfoSchema = z.object({ running: z.boolean(), urls: z.record(z.string(), z.string()) });
export const whoAmISchema = z.object({ organization: organizationSchema, tokenName: z.string() });
export type WhoAmI = z.infer<typeof whoAmISchema>;

/** Cursor-less list envelope used by every list route. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });

// ---------- embedded widget ----------

/** What a widget token may do; each widget route needs one of these (server/widget/scopes.ts). */
export const widgetActions = ['keycafe:book', 'keycafe:read', 'mapping:write', 'mapping:read'] as const;
export const widgetActionSchema = z.enum(widgetActions);
export type WidgetAction = z.infer<typeof widgetActionSchema>;

/** Widget tokens live at most a day: they sit in pages that anyone with access can read. */
export const WIDGET_TOKEN_MAX_TTL_SECONDS = 24 * 3600;

/** An embedding page's origin, exactly `scheme://host[:port]` (no path, no wildcard). */
export const widgetOriginSchema = z
  .string()
  .trim()
  .max(300)
  .refine((o) => {
    try {
      const u = new URL(o);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === o;
    } catch {
      return false;
    }
  }, 'Use an origin like https://manager.example.com (scheme, host and port only)');

/** POST /v1/widget-tokens */
export const widgetTokenInput = z.object({
  origins: z.array(widgetOriginSchema).min(1, 'At least one origin').max(20, 'At most 20 origins'),
  actions: z
    .array(widgetActionSchema)
    .min(1, 'At least one action')
    .refine((a) => new Set(a).size === a.length, 'Each action once'),
  ttlSeconds: z.number().int().min(60, 'At least 60 seconds').max(WIDGET_TOKEN_MAX_TTL_SECONDS, 'At most 24 hours (86400 seconds)').default(3600),
});
export type WidgetTokenInput = z.input<typeof widgetTokenInput>;

export const widgetTokenSchema = z.object({
  token: z.string(),
  organizationId: id,
  origins: z.array(z.string()),
  actions: z.array(widgetActionSchema),
  issuedAt: isoDateTime,
  expiresAt: isoDateTime,
});
export type WidgetToken = z.infer<typeof widgetTokenSchema>;

/** GET /widget/v1/session: what the widget may do, for whom, until when. */
export const widgetSessionSchema = z.object({
  organization: z.object({ name: z.string() }),
  origin: z.string(),
  actions: z.array(widgetActionSchema),
  expiresAt: isoDateTime,
  /** Locations with a Keycafe account (for "apply to all keys"); empty without a keycafe action. */
  keycafeAccounts: z.array(z.object({ id, name: z.string() })),
});
export type WidgetSession = z.infer<typeof widgetSessionSchema>;

// ---------- administration page (entrypoints/admin/) ----------

/** POST /v1/locations/{id}/tapkey/owner-accounts: the locking systems a client ID and secret can see, before saving them. */
export const tapkeyOwnerAccountsInput = z.object({
  /** Omit to use the stored one. */
  clientId: z.string().trim().min(1).max(200).optional(),
  /** Omit to use the stored secret; never returned. */
  clientSecret: z.string().min(1).max(500).optional(),
});
export const tapkeyOwnerAccountsResult = z.object({
  owners: tapkeyConnectionTestSchema.shape.owners,
  problems: tapkeyConnectionTestSchema.shape.problems,
});
export type TapkeyOwnerAccounts = z.infer<typeof tapkeyOwnerAccountsResult>;

/** GET /v1/outbox/summary: the background work not done yet, and what failed. */
export const outboxSummarySchema = z.object({
  pending: z.number().int(),
  running: z.number().int(),
  failed: z.number().int(),
  /** Oldest job still waiting to run, if any. */
  oldestPendingAt: isoDateTime.nullable(),
  byKind: z.array(z.object({ kind: z.string(), state: z.enum(['pending', 'running', 'done', 'failed']), count: z.number().int() })),
  /** The latest failed jobs (at most 50), newest first. */
  failures: z.array(z.object({ id, kind: z.string(), attempts: z.number().int(), lastError: z.string().nullable(), updatedAt: isoDateTime })),
});
export type OutboxSummary = z.infer<typeof outboxSummarySchema>;
