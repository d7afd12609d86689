/**
 * Organizations and locations, with their Tapkey and Keycafe settings. Part of the shared
 * contract (lib/contract.ts).
 */
import { z } from 'zod';
import { emailSchema, id, isoDateTime, name } from './common.ts';

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

export const whoAmISchema = z.object({ organization: organizationSchema, tokenName: z.string() });
export type WhoAmI = z.infer<typeof whoAmISchema>;
