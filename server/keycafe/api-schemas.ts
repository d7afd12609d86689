/**
 * What Keycafe API v0 answers and accepts, as Keycafe's public reference documents it
 * (docs.keycafe.com/reference; each behaviour and its source in sandbox/keycafe/SOURCES.md):
 * locations, keys, accesses and error bodies, checked with zod, and the create-access body.
 */
import { z } from 'zod';
import { safeLinkUrl } from '../../lib/safe-url.ts';

const idSchema = z.union([z.number(), z.string().min(1)]).transform(String);

/**
 * Keycafe's location address is an object (docs.keycafe.com/reference/webhook-notifications:
 * `"address": { "street": … }`); its other parts are not listed, so every text part is joined
 * in the order given. A plain string is accepted too (sandbox/keycafe/SOURCES.md, lenient).
 */
const addressSchema = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .nullish()
  .transform((a) => {
    if (a == null) return null;
    if (typeof a === 'string') return a.trim() || null;
    const parts = Object.values(a).filter((v): v is string | number => (typeof v === 'string' && v.trim() !== '') || typeof v === 'number');
    return parts.length ? parts.map((v) => String(v).trim()).join(', ') : null;
  });

/** A location as Keycafe documents it: `timezone` in lower case (webhook-notifications); `timeZone` read too. */
export const keycafeApiLocation = z
  .object({
    id: idSchema,
    name: z.string(),
    address: addressSchema,
    timezone: z.string().nullish(),
    timeZone: z.string().nullish(),
  })
  .transform((l) => ({ id: l.id, name: l.name, address: l.address, timeZone: l.timezone ?? l.timeZone ?? null }));
export type KeycafeApiLocation = z.output<typeof keycafeApiLocation>;

/** A key's home location: documented as "object"; its fields beyond id and name may be absent. */
const place = z
  .object({ id: idSchema, name: z.string().nullish(), address: addressSchema, timezone: z.string().nullish(), timeZone: z.string().nullish() })
  .transform((l) => ({ id: l.id, name: l.name ?? null, address: l.address, timeZone: l.timezone ?? l.timeZone ?? null }));

export const keycafeApiKey = z.object({
  id: idSchema,
  name: z.string(),
  serialNumber: z.string().nullish().transform((v) => v ?? null),
  homeLocation: place.nullish().transform((v) => v ?? null),
});
export type KeycafeApiKey = z.output<typeof keycafeApiKey>;

const keyRef = z.object({ id: idSchema, name: z.string().nullish() });
/** The access's recipient; name-only accesses have none (create-access: `name` "Required if no user information is specified"). */
const userRef = z
  .object({ id: idSchema.nullish(), email: z.string().nullish(), mobile: z.union([z.string(), z.number()]).transform(String).nullish() })
  .nullish()
  .transform((v) => v ?? null);

export const keycafeApiAccess = z
  .object({
    id: idSchema,
    bookingCode: z.union([z.string(), z.number()]).transform(String).nullish().transform((v) => v ?? null),
    /**
     * "Returned only for scheduled accesses" (access-object). A link that is not https is
     * dropped, not the access: its booking code still opens the box.
     */
    checkinLink: z.unknown().optional().transform((v) => safeLinkUrl(v)),
    /** access-object: "The keys for which access has been given"; an object in every example, a list accepted. */
    key: z.union([keyRef, z.array(keyRef).min(1)]),
    user: userRef,
    accessStartDate: z.string().nullish(),
    accessStartTime: z.string().nullish(),
    accessEndDate: z.string().nullish(),
    accessEndTime: z.string().nullish(),
    timeZone: z.string().nullish(),
    name: z.string().nullish(),
    /** Not in the access object's documented fields; read when present (sandbox lenient mode sends it). */
    status: z.string().nullish(),
  })
  .transform(({ key, ...a }) => {
    const keys = Array.isArray(key) ? key : [key];
    return { ...a, key: keys[0]!, keys };
  });
export type KeycafeApiAccess = z.output<typeof keycafeApiAccess>;

/** True when an access Keycafe still lists is no longer live (an undocumented status such as CANCELLED). */
export const isEndedStatus = (status: string | null | undefined) => !!status && /cancel|revok|delet|inactive|expired/i.test(status);

export const keycafeErrorBody = z.object({
  error: z.object({ errorId: z.union([z.string(), z.number()]).transform(String).optional(), errorMessage: z.string().optional() }).optional(),
  fieldErrors: z.array(z.object({ field: z.string(), errorMessage: z.string() })).optional(),
});

export type KeycafeUser = { id: string } | { email: string } | { mobile: string };

/** POST /v0/access. Omit all four date/time fields for an ongoing access. */
export interface CreateAccessBody {
  user: KeycafeUser;
  key: { id: string } | { serialNumber: string };
  accessStartDate?: string;
  accessStartTime?: string;
  accessEndDate?: string;
  accessEndTime?: string;
  timeZone?: string;
  name?: string;
  returnReminder?: boolean;
  suppressGuestNotifications?: boolean;
  locale?: 'en' | 'fr' | 'ja' | 'es' | 'nl' | 'it' | 'pt';
  allowSetup?: boolean;
}
