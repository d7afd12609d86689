/**
 * Bookings, their Tapkey grants, access notices, the Tapkey connection test and full-sync runs.
 * Part of the shared contract (lib/contract.ts).
 */
import { z } from 'zod';
import { identifierSchema } from '../identifiers.ts';
import { tenantPhoneSchema } from '../tenant-phone.ts';
import { lockIdSchema } from '../lock-id.ts';
import { bookingStateSchema, emailSchema, id, isoDate, isoDateTime, name } from './common.ts';

export { bookingStateSchema } from './common.ts';
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
