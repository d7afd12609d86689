/**
 * Background handlers of the Keycafe booking dialog (popup and manager pages) and of the
 * popup's recent lists. Every call goes through the service's `withApi` (stored token,
 * connection state); the booking is checked with the contract's schema here, before anything
 * is sent, and its field errors keep their paths so the dialog puts them beside its fields.
 */
import { z } from 'zod';
import {
  auditEventSchema,
  keycafeBookingInput,
  keycafeBookingSchema,
  keycafeConnectionTestResult,
  keycafeKeySchema,
  keycafeTestCallSchema,
  listOf,
  locationSchema,
  lockSchema,
  type KeycafeBooking,
  type Location,
  type Lock,
} from '../../lib/contract.ts';
import type { Language } from '../../lib/i18n/index.ts';
import type { Handlers, KeycafeConnectionView, KeycafeMessageType, PopupRecent, SenderKind } from '../../lib/messages.ts';
import { ApiCallError, type ApiClient } from './api-client.ts';
import { apiSettingsItem, keycafeLastChoiceItem, popupRecentItem } from '../../lib/storage.ts';

export const RECENT_COUNT = 5;
/** Audit events looked at to find the latest distinct captured locks. */
const RECENT_CAPTURE_EVENTS = 50;

const keyList = listOf(keycafeKeySchema);
const bookingList = listOf(keycafeBookingSchema);
const locationList = listOf(locationSchema);
const auditList = listOf(auditEventSchema);

export interface KeycafeDeps {
  withApi: <T>(fn: (client: ApiClient) => Promise<T>) => Promise<T>;
  language: () => Promise<Language>;
}

/** The latest captured locks, newest first, from the lock audit trail (the lock list is by title). */
function recentCaptures(events: z.infer<typeof auditList>['items']): Lock[] {
  const seen = new Set<string>();
  const out: Lock[] = [];
  for (const e of events) {
    const lock = lockSchema.safeParse(e.after);
    if (!lock.success || lock.data.source !== 'captured' || seen.has(lock.data.id)) continue;
    seen.add(lock.data.id);
    out.push(lock.data);
    if (out.length === RECENT_COUNT) break;
  }
  return out;
}

/**
 * What a sender may see of a booking. The manager content script shows the dialog inside a
 * web page whose own scripts could read it: booking codes and check-in links open the key box,
 * so they never reach that process (the popup, an extension page, shows them).
 */
export function bookingFor(kind: SenderKind, booking: KeycafeBooking): KeycafeBooking {
  if (kind === 'extension-page') return booking;
  return { ...booking, accesses: booking.accesses.map((a) => ({ ...a, bookingCode: null, checkinLink: null })) };
}

export function createKeycafeHandlers({ withApi, language }: KeycafeDeps): Pick<Handlers, KeycafeMessageType> {
  // Another API or token may be another organisation: its keys and bookings must not show.
  apiSettingsItem.watch(() => {
    void popupRecentItem.setValue(null);
    void keycafeLastChoiceItem.setValue(null);
  });

  /** The API words its messages in the user's language (keycafe-server catalog). */
  const headers = async () => ({ 'accept-language': await language() });
  const bookingPath = (id: string) => `v1/keycafe/bookings/${encodeURIComponent(id)}`;

  const connectionView = (l: Location): KeycafeConnectionView => ({
    locationId: l.id,
    name: l.name,
    accountEmail: l.keycafe?.accountEmail ?? null,
    authType: l.keycafe?.authType ?? null,
    hasSecret: l.keycafe?.hasToken ?? false,
  });

  return {
    async keycafeConnections() {
      const { items } = await withApi((c) => c.request(locationList, (http) => http.get('v1/locations')));
      return { items: items.map(connectionView) };
    },

    async keycafeTestConnection({ locationId, accountEmail, secret, authType }) {
      const h = await headers();
      const json = { ...(accountEmail ? { accountEmail } : {}), ...(secret ? { apiToken: secret } : {}), ...(authType ? { authType } : {}) };
      try {
        const r = await withApi((c) =>
          c.request(keycafeConnectionTestResult, (http) => http.post(`v1/locations/${encodeURIComponent(locationId)}/keycafe/test`, { json, headers: h })),
        );
        return { ok: true as const, authType: r.authType ?? 'token', keys: r.keys, locations: r.locations, calls: r.calls ?? [], skipped: r.skipped?.length ?? 0 };
      } catch (err) {
        // Keycafe refused or failed: the API still says which calls it made (error body `details.calls`).
        if (!(err instanceof ApiCallError) || err.info.kind !== 'api') throw err;
        const calls = z.object({ calls: z.array(keycafeTestCallSchema) }).safeParse(err.info.details);
        return { ok: false as const, message: err.info.message, calls: calls.success ? calls.data.calls : [] };
      }
    },

    async keycafeSaveConnection({ locationId, accountEmail, secret, authType }) {
      const keycafe = { accountEmail, ...(secret ? { apiToken: secret } : {}), ...(authType ? { authType } : {}) };
      const saved = await withApi((c) => c.request(locationSchema, (http) => http.patch(`v1/locations/${encodeURIComponent(locationId)}`, { json: { keycafe } })));
      return connectionView(saved);
    },

    async keycafeAccounts() {
      const { items } = await withApi((c) => c.request(locationList, (http) => http.get('v1/locations')));
      return { items: items.filter((l) => l.keycafe).map((l) => ({ id: l.id, name: l.name })) };
    },

    async keycafeKeys({ search, limit }) {
      const h = await headers();
      return withApi((c) => c.request(keyList, (http) => http.get('v1/keycafe/keys', { headers: h, searchParams: { limit, ...(search ? { search } : {}) } })));
    },

    async keycafeBookings({ keyId, recipient, limit }, { kind }) {
      const h = await headers();
      const searchParams = { limit, ...(keyId ? { keyId } : {}), ...(recipient ? { recipient } : {}) };
      const page = await withApi((c) => c.request(bookingList, (http) => http.get('v1/keycafe/bookings', { headers: h, searchParams })));
      return { ...page, items: page.items.map((b) => bookingFor(kind, b)) };
    },

    async keycafeBooking({ id }, { kind }) {
      const h = await headers();
      return bookingFor(kind, await withApi((c) => c.request(keycafeBookingSchema, (http) => http.get(bookingPath(id), { headers: h }))));
    },

    async keycafeBook({ input, requestKey }, { kind }) {
      const parsed = keycafeBookingInput.safeParse(input);
      if (!parsed.success)
        throw new ApiCallError({
          kind: 'bad_message',
          message: 'The booking is not valid.',
          fieldErrors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
        });
      const h = await headers();
      // The Idempotency-Key makes ky's retries (and the dialog's "Retry") return the first booking.
      const booking = await withApi((c) =>
        c.request(keycafeBookingSchema, (http) => http.post('v1/keycafe/bookings', { json: parsed.data, headers: { ...h, 'idempotency-key': requestKey } })),
      );
      return bookingFor(kind, booking);
    },

    async keycafeCancel({ id }, { kind }) {
      const h = await headers();
      return bookingFor(kind, await withApi((c) => c.request(keycafeBookingSchema, (http) => http.post(`${bookingPath(id)}/cancel`, { headers: h }))));
    },

    async keycafeRetry({ id }, { kind }) {
      const h = await headers();
      return bookingFor(kind, await withApi((c) => c.request(keycafeBookingSchema, (http) => http.post(`${bookingPath(id)}/retry`, { headers: h }))));
    },

    async popupRecent() {
      const h = await headers();
      const [events, bookings] = await withApi((c) =>
        Promise.all([
          c.request(auditList, (http) => http.get('v1/audit-events', { searchParams: { entity: 'lock', limit: RECENT_CAPTURE_EVENTS } })),
          c.request(bookingList, (http) => http.get('v1/keycafe/bookings', { headers: h, searchParams: { limit: RECENT_COUNT } })),
        ]),
      );
      const recent: PopupRecent = { captures: recentCaptures(events.items), bookings: bookings.items, fetchedAt: new Date().toISOString() };
      await popupRecentItem.setValue(recent);
      return recent;
    },
  };
}
