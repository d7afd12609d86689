/**
 * The Keycafe booking dialog, the popup and the Keycafe connection in the options: messages and
 * answers. Part of the message protocol (lib/messages.ts).
 */
import { z } from 'zod';
import type { KeycafeBooking, KeycafeKey, KeycafeTestCall, Lock } from '../contract.ts';
import { MANAGER, message } from './define.ts';

// Handlers: entrypoints/background/keycafe.ts. The dialog (components/keycafe/) runs in the
// popup and in the manager content script; the booking itself is checked with the contract's
// `keycafeBookingInput` by the handler (importing lib/contract.ts here would put its schemas
// into every content script), whose field errors the dialog places beside its fields.
const keycafeId = () => z.string().uuid();

// The booking dialog's messages: manager pages open it, so their script may send these too.
export const keycafeMessages = {
  keycafeAccounts: message<{ items: { id: string; name: string }[] }>()(z.object({ type: z.literal('keycafeAccounts') }), MANAGER),
  keycafeKeys: message<{ items: KeycafeKey[]; total: number }>()(z.object({ type: z.literal('keycafeKeys'), search: z.string().trim().max(200).default(''), limit: z.number().int().min(1).max(1000).default(20) }), MANAGER),
  keycafeBookings: message<{ items: KeycafeBooking[]; total: number }>()(z.object({
    type: z.literal('keycafeBookings'),
    keyId: z.string().trim().min(1).max(100).optional(),
    recipient: z.string().trim().min(1).max(254).optional(),
    limit: z.number().int().min(1).max(100).default(10),
  }), MANAGER),
  keycafeBooking: message<KeycafeBooking>()(z.object({ type: z.literal('keycafeBooking'), id: keycafeId() }), MANAGER),
  keycafeBook: message<KeycafeBooking>()(z.object({ type: z.literal('keycafeBook'), input: z.record(z.string(), z.unknown()), requestKey: z.string().trim().min(8).max(200) }), MANAGER),
  keycafeCancel: message<KeycafeBooking>()(z.object({ type: z.literal('keycafeCancel'), id: keycafeId() }), MANAGER),
  keycafeRetry: message<KeycafeBooking>()(z.object({ type: z.literal('keycafeRetry'), id: keycafeId() }), MANAGER),
  /** Popup only: the latest captured locks and Keycafe bookings (also cached for its next opening). */
  popupRecent: message<PopupRecent>()(z.object({ type: z.literal('popupRecent') })),
  /** Options only: each location's Keycafe account (never its secret). */
  keycafeConnections: message<{ items: KeycafeConnectionView[] }>()(z.object({ type: z.literal('keycafeConnections') })),
  /** Options only: "Test connection" with the stored secret or one typed in; `authType` absent = try both. */
  keycafeTestConnection: message<KeycafeTestView>()(z.object({
    type: z.literal('keycafeTestConnection'),
    locationId: keycafeId(),
    accountEmail: z.string().trim().email().max(254).optional(),
    secret: z.string().min(1).max(500).optional(),
    authType: z.enum(['token', 'key']).optional(),
  })),
  /** Options only: saves the account email, the credential type and (when typed) the secret. */
  keycafeSaveConnection: message<KeycafeConnectionView>()(z.object({
    type: z.literal('keycafeSaveConnection'),
    locationId: keycafeId(),
    accountEmail: z.string().trim().email().max(254),
    secret: z.string().min(1).max(500).optional(),
    authType: z.enum(['token', 'key']).optional(),
  })),
} as const;

export type KeycafeMessageType = keyof typeof keycafeMessages;


export interface PopupRecent {
  captures: Lock[];
  bookings: KeycafeBooking[];
  fetchedAt: string;
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
