/**
 * Keycafe keys, locations, connection tests and bookings. Part of the shared contract
 * (lib/contract.ts).
 */
import { z } from 'zod';
import { isSafeLinkUrl } from '../safe-url.ts';
import { emailSchema, id, isoDate, isoDateTime, name } from './common.ts';
import { keycafeAuthTypeSchema } from './locations.ts';

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
