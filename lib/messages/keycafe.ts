/**
 * The Keycafe booking dialog, the popup and the Keycafe connection in the options: messages and
 * answers. Part of the message protocol (lib/messages.ts).
 */
import { z } from 'zod';
import type { KeycafeBooking, KeycafeKey, KeycafeTestCall, Lock } from '../contract.ts';
import type { MessageType } from '../messages.ts';

// Handlers: entrypoints/background/keycafe.ts. The dialog (components/keycafe/) runs in the
// popup and in the manager content script; the booking itself is checked with the contract's
// `keycafeBookingInput` by the handler (importing lib/contract.ts here would put its schemas
// into every content script), whose field errors the dialog places beside its fields.
const keycafeId = () => z.string().uuid();

export const keycafeMessageSchemas = {
  keycafeAccounts: z.object({ type: z.literal('keycafeAccounts') }),
  keycafeKeys: z.object({ type: z.literal('keycafeKeys'), search: z.string().trim().max(200).default(''), limit: z.number().int().min(1).max(1000).default(20) }),
  keycafeBookings: z.object({
    type: z.literal('keycafeBookings'),
    keyId: z.string().trim().min(1).max(100).optional(),
    recipient: z.string().trim().min(1).max(254).optional(),
    limit: z.number().int().min(1).max(100).default(10),
  }),
  keycafeBooking: z.object({ type: z.literal('keycafeBooking'), id: keycafeId() }),
  keycafeBook: z.object({ type: z.literal('keycafeBook'), input: z.record(z.string(), z.unknown()), requestKey: z.string().trim().min(8).max(200) }),
  keycafeCancel: z.object({ type: z.literal('keycafeCancel'), id: keycafeId() }),
  keycafeRetry: z.object({ type: z.literal('keycafeRetry'), id: keycafeId() }),
  /** Popup only: the latest captured locks and Keycafe bookings (also cached for its next opening). */
  popupRecent: z.object({ type: z.literal('popupRecent') }),
  /** Options only: each location's Keycafe account (never its secret). */
  keycafeConnections: z.object({ type: z.literal('keycafeConnections') }),
  /** Options only: "Test connection" with the stored secret or one typed in; `authType` absent = try both. */
  keycafeTestConnection: z.object({
    type: z.literal('keycafeTestConnection'),
    locationId: keycafeId(),
    accountEmail: z.string().trim().email().max(254).optional(),
    secret: z.string().min(1).max(500).optional(),
    authType: z.enum(['token', 'key']).optional(),
  }),
  /** Options only: saves the account email, the credential type and (when typed) the secret. */
  keycafeSaveConnection: z.object({
    type: z.literal('keycafeSaveConnection'),
    locationId: keycafeId(),
    accountEmail: z.string().trim().email().max(254),
    secret: z.string().min(1).max(500).optional(),
    authType: z.enum(['token', 'key']).optional(),
  }),
} as const;

export type KeycafeMessageType = keyof typeof keycafeMessageSchemas;

/** What the booking dialog sends; manager pages open it, so their script may send these too. */
export const keycafeDialogTypes: ReadonlySet<MessageType> = new Set<MessageType>([
  'keycafeAccounts',
  'keycafeKeys',
  'keycafeBookings',
  'keycafeBooking',
  'keycafeBook',
  'keycafeCancel',
  'keycafeRetry',
]);

export interface PopupRecent {
  captures: Lock[];
  bookings: KeycafeBooking[];
  fetchedAt: string;
}

export interface KeycafeResponseMap {
  keycafeAccounts: { items: { id: string; name: string }[] };
  keycafeKeys: { items: KeycafeKey[]; total: number };
  keycafeBookings: { items: KeycafeBooking[]; total: number };
  keycafeBooking: KeycafeBooking;
  keycafeBook: KeycafeBooking;
  keycafeCancel: KeycafeBooking;
  keycafeRetry: KeycafeBooking;
  popupRecent: PopupRecent;
  keycafeConnections: { items: KeycafeConnectionView[] };
  keycafeTestConnection: KeycafeTestView;
  keycafeSaveConnection: KeycafeConnectionView;
}

export interface KeycafeConnectionView {
  locationId: string;
  name: string;
  accountEmail: string | null;
  authType: 'token' | 'key' | null;
  hasSecret: boolean;
}

/** "Test connection" as the options page shows it: each call tried, and what failed. */
export type KeycafeTestView =
  | { ok: true; authType: 'token' | 'key'; keys: number; locations: number; calls: KeycafeTestCall[]; skipped: number }
  | { ok: false; message: string; calls: KeycafeTestCall[] };
