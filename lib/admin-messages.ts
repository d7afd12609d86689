/**
 * Messages of the AccessBridge admin page (entrypoints/admin/, handlers in
 * entrypoints/background/admin.ts). Only extension pages may send them (`isAllowed` in
 * lib/messages.ts refuses them to every content script); secrets go one way only: a client
 * secret or API token is sent to the background, which passes it to the API and never answers
 * with it.
 *
 * Built from `z.…` chains only, like lib/messages.ts (which spreads these into its table): no
 * method call on a helper's result and no top-level use, so the bundler drops them from the
 * content scripts, which import the message module to send but parse nothing.
 */
import { z } from 'zod';
import type {
  AccessNotice,
  AuditEvent,
  Booking,
  KeycafeBooking,
  KeycafeConnectionTestResult,
  KeycafeKey,
  KeycafeLocation,
  Location,
  Lock,
  OutboxSummary,
  SyncRun,
  TapkeyConnectionTest,
  TapkeyOwnerAccounts,
} from './contract.ts';
import { message } from './messages/define.ts';

const uuid = () => z.string().uuid();
const secret = () => z.string().min(1).max(500);
const trigger = () => z.enum(['booking_creation', 'move_in_reached']);

export const adminMessages = {
  /** Every location with its counts of units, locks and bookings. */
  adminLocations: message<{ items: LocationSummary[] }>()(z.object({ type: z.literal('adminLocations') })),
  /** Creates (no `id`) or edits a location; the time zone is checked by the API. */
  adminSaveLocation: message<{ location: Location }>()(z.object({
    type: z.literal('adminSaveLocation'),
    id: z.optional(uuid()),
    name: z.string().trim().min(1).max(200),
    timeZone: z.string().trim().min(1).max(100),
    address: z.string().trim().max(500).default(''),
  })),
  adminDeleteLocation: message<{ deleted: true }>()(z.object({ type: z.literal('adminDeleteLocation'), id: uuid() })),
  /** The locking systems these (or the stored) Tapkey credentials can see; nothing is saved. */
  adminTapkeyOwners: message<TapkeyOwnerAccounts>()(z.object({
    type: z.literal('adminTapkeyOwners'),
    locationId: uuid(),
    clientId: z.string().trim().min(1).max(200).optional(),
    clientSecret: z.optional(secret()),
  })),
  /** Saves one Tapkey connection for each chosen location; an omitted secret keeps the stored one. */
  adminSaveTapkey: message<{ locations: Location[] }>()(z.object({
    type: z.literal('adminSaveTapkey'),
    locationIds: z.array(uuid()).min(1).max(100),
    clientId: z.string().trim().min(1).max(200),
    clientSecret: z.optional(secret()),
    ownerAccountId: z.string().trim().min(1).max(200),
  })),
  adminTestTapkey: message<TapkeyConnectionTest>()(z.object({ type: z.literal('adminTestTapkey'), locationId: uuid() })),
  adminSaveKeycafe: message<{ location: Location }>()(z.object({
    type: z.literal('adminSaveKeycafe'),
    locationId: uuid(),
    accountEmail: z.string().trim().toLowerCase().email().max(254),
    apiToken: z.optional(secret()),
  })),
  /** Tests the stored account, then lists what it sees (keys, SmartBox locations). */
  adminTestKeycafe: message<{ result: KeycafeConnectionTestResult; keys: KeycafeKey[]; locations: KeycafeLocation[] }>()(z.object({ type: z.literal('adminTestKeycafe'), locationId: uuid() })),
  adminSaveSyncMode: message<{ location: Location }>()(z.object({
    type: z.literal('adminSaveSyncMode'),
    locationId: uuid(),
    syncMode: z.enum(['gradual', 'full']),
    triggers: z.array(trigger()).min(1).max(2),
  })),
  adminImportLocks: message<{ total: number; created: number; updated: number; unchanged: number; deactivated: number }>()(z.object({ type: z.literal('adminImportLocks'), locationId: uuid() })),
  adminLocks: message<{ items: AdminLock[]; total: number }>()(z.object({
    type: z.literal('adminLocks'),
    locationId: uuid(),
    search: z.string().trim().max(200).default(''),
    mapped: z.enum(['all', 'mapped', 'unmapped']).default('all'),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })),
  adminStartSync: message<{ run: SyncRun }>()(z.object({ type: z.literal('adminStartSync'), locationId: uuid() })),
  /** The location's latest run (to resume showing one started before the page was closed). */
  adminLatestSync: message<{ run: SyncRun | null }>()(z.object({ type: z.literal('adminLatestSync'), locationId: uuid() })),
  adminSyncRun: message<{ run: SyncRun }>()(z.object({ type: z.literal('adminSyncRun'), runId: uuid() })),
  adminRevokeGrants: message<{ queued: number }>()(z.object({
    type: z.literal('adminRevokeGrants'),
    runId: uuid(),
    tapkeyGrantIds: z.array(z.string().trim().min(1).max(200)).min(1).max(1000),
  })),
  adminBookings: message<{ items: Booking[]; total: number }>()(z.object({
    type: z.literal('adminBookings'),
    locationId: uuid(),
    search: z.string().trim().max(200).default(''),
  })),
  adminNotices: message<{ items: AccessNotice[] }>()(z.object({
    type: z.literal('adminNotices'),
    bookingExternalId: z.string().trim().min(1).max(200),
    lang: z.enum(['en', 'de', 'fr']),
  })),
  adminHealth: message<AdminHealth>()(z.object({ type: z.literal('adminHealth'), locationId: uuid() })),
  /** Retries a failed Tapkey grant (the API's restore re-queues it). */
  adminRetryGrant: message<{ booking: Booking }>()(z.object({ type: z.literal('adminRetryGrant'), bookingExternalId: z.string().trim().min(1).max(200) })),
  adminAudit: message<{ items: AuditEvent[]; total: number }>()(z.object({
    type: z.literal('adminAudit'),
    actor: z.string().trim().max(200).default(''),
    action: z.string().trim().max(100).default(''),
    entity: z.string().trim().max(50).default(''),
    since: z.string().trim().max(40).default(''),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })),
} as const;

export type AdminMessageType = keyof typeof adminMessages;
export type AdminResponseMap = { [T in AdminMessageType]: (typeof adminMessages)[T]['response'] };

export interface LocationCounts {
  units: number;
  locks: number;
  bookings: number;
}

export interface LocationSummary {
  location: Location;
  counts: LocationCounts;
}

export interface AdminLock {
  lock: Lock;
  /** The unit it is mapped to, if any. */
  unit: { externalId: string; name: string } | null;
}

export interface AdminHealth {
  tapkeyPending: Booking[];
  tapkeyFailed: Booking[];
  keycafe: KeycafeBooking[];
  outbox: OutboxSummary;
}

