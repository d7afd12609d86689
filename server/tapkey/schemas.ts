/**
 * The Tapkey answers we rely on, validated with zod (unknown fields are dropped). Only fields we
 * use are required; the rest of the documented shape is optional so a new field never breaks us.
 */
import { z } from 'zod';

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
  token_type: z.string(),
  /** Standard OAuth; not in Tapkey's sample DTO, so optional. */
  scope: z.string().optional(),
});

const tapkeyId = z.union([z.string(), z.number()]).transform(String);

export const ownerSchema = z.object({
  id: tapkeyId,
  name: z.string().nullable().default(null),
  active: z.boolean().default(true),
});
export type TapkeyOwner = z.infer<typeof ownerSchema>;

export const boundLockSchema = z.object({
  id: tapkeyId,
  title: z.string().nullable().default(null),
  description: z.string().nullable().optional(),
  active: z.boolean().default(true),
  bindDate: z.string().nullable().optional(),
  physicalLockId: z.string().nullable().optional(),
  lockTypeId: z.string().nullable().optional(),
});
export type TapkeyBoundLock = z.infer<typeof boundLockSchema>;

export const contactSchema = z.object({
  id: tapkeyId,
  ipId: z.string().nullable().optional(),
  identifier: z.string().nullable().optional(),
  /** Deprecated alias of identifier, still returned [DOC]. */
  email: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
});
export type TapkeyContact = z.infer<typeof contactSchema>;

export const grantSchema = z.object({
  id: tapkeyId,
  boundLockId: tapkeyId.nullable().optional(),
  contactId: tapkeyId.nullable().optional(),
  contact: contactSchema.nullable().optional(),
  /** A card grant (staff NFC card): `contact: null` and the card's id [DOC example]. */
  boundCardId: tapkeyId.nullable().optional(),
  validFrom: z.string().nullable().optional(),
  validBefore: z.string().nullable().optional(),
  state: z.string().nullable().optional(),
  active: z.boolean(),
});
export type TapkeyGrant = z.infer<typeof grantSchema>;

/** The contact's email of a grant, lower-cased, from the nested contact (identifier or email). */
export const grantEmail = (g: TapkeyGrant) => (g.contact?.identifier ?? g.contact?.email ?? '').toLowerCase() || null;

/** A grant to an NFC card rather than a person: a staff card, never ours to judge or revoke. */
export const isCardGrant = (g: TapkeyGrant) => Boolean(g.boundCardId) || (!g.contact && !g.contactId);

/**
 * Revocation is asynchronous: the grant's `active` and `state` show its progress [DOC revoking
 * access]. Only 'Ok' and 'Revoked' are documented; a grant still active whose state speaks of
 * revocation ('Revoking', 'RevocationPending', …: ASSUMED names) is on its way out. Any other
 * unknown state of an active grant is read as live, so a new state never makes us duplicate.
 */
export const isBeingRevoked = (g: TapkeyGrant) => g.active && /revo[kc]/i.test(g.state ?? '');

/** Counts as access the person has: active and not being revoked. */
export const isLive = (g: TapkeyGrant) => g.active && !isBeingRevoked(g);
