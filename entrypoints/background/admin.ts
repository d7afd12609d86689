/**
 * Background handlers of the AccessBridge admin page (entrypoints/admin/). Each is one or a few
 * API calls through the service's `withApi` (stored token, connection state), every answer
 * parsed with the shared contract. Secrets the page sends (Tapkey client secret, Keycafe API
 * token) go to the API and nowhere else: no answer carries them, nothing stores or logs them.
 */
import { z } from 'zod';
import {
  accessNoticeSchema,
  auditEventSchema,
  bookingSchema,
  keycafeBookingSchema,
  keycafeConnectionTestResult,
  keycafeKeySchema,
  keycafeLocationSchema,
  listOf,
  locationSchema,
  lockSchema,
  mappingSchema,
  outboxSummarySchema,
  syncRunSchema,
  tapkeyConnectionTestSchema,
  tapkeyImportLocksResultSchema,
  tapkeyOwnerAccountsResult,
  type Location,
} from '../../lib/contract.ts';
import type { AdminMessageType } from '../../lib/admin-messages.ts';
import type { Language } from '../../lib/i18n/index.ts';
import type { Handlers } from '../../lib/messages.ts';
import type { ApiClient } from './api-client.ts';

export interface AdminDeps {
  withApi: <T>(fn: (client: ApiClient) => Promise<T>) => Promise<T>;
  language: () => Promise<Language>;
}

/** Locks shown per page in the admin lock list. */
export const LOCK_PAGE = 100;
/** Bookings listed for notices and in Health, per kind. */
const BOOKING_PAGE = 100;

const locationList = listOf(locationSchema);
const countOnly = z.object({ total: z.number().int() });
const lockList = listOf(lockSchema);
const mappingList = listOf(mappingSchema);
const bookingList = listOf(bookingSchema);
const keycafeBookingList = listOf(keycafeBookingSchema);
const keyList = listOf(keycafeKeySchema);
const keycafeLocationList = listOf(keycafeLocationSchema);
const noticeList = listOf(accessNoticeSchema);
const auditList = listOf(auditEventSchema);
const runList = z.object({ items: z.array(z.object({ id: z.string().uuid() })) });
const revokeResult = z.object({ queued: z.number().int() });
const idPath = (id: string) => encodeURIComponent(id);

export function createAdminHandlers({ withApi, language }: AdminDeps): Pick<Handlers, AdminMessageType> {
  /** Texts the API words (booking access reasons, sync reminders) follow the user's language. */
  const headers = async () => ({ 'accept-language': await language() });

  const patchLocation = (id: string, body: Record<string, unknown>) =>
    withApi((c) => c.request(locationSchema, (http) => http.patch(`v1/locations/${idPath(id)}`, { json: body })));

  async function counts(c: ApiClient, locationId: string) {
    const q = { locationId, limit: 1 };
    const [units, locks, bookings] = await Promise.all([
      c.request(countOnly, (http) => http.get('v1/units', { searchParams: q })),
      c.request(countOnly, (http) => http.get('v1/locks', { searchParams: q })),
      c.request(countOnly, (http) => http.get('v1/bookings', { searchParams: q })),
    ]);
    return { units: units.total, locks: locks.total, bookings: bookings.total };
  }

  async function syncRun(runId: string) {
    const h = await headers();
    return withApi((c) => c.request(syncRunSchema, (http) => http.get(`v1/sync-runs/${idPath(runId)}`, { headers: h })));
  }

  return {
    async adminLocations() {
      return withApi(async (c) => {
        const { items } = await c.request(locationList, (http) => http.get('v1/locations'));
        return { items: await Promise.all(items.map(async (location) => ({ location, counts: await counts(c, location.id) }))) };
      });
    },

    async adminSaveLocation({ id, name, timeZone, address }) {
      const body = { name, timeZone, address: address || null };
      const location = await withApi((c) =>
        c.request(locationSchema, (http) => (id ? http.patch(`v1/locations/${idPath(id)}`, { json: body }) : http.post('v1/locations', { json: body }))),
      );
      return { location };
    },

    async adminDeleteLocation({ id }) {
      await withApi((c) => c.raw((http) => http.delete(`v1/locations/${idPath(id)}`)));
      return { deleted: true };
    },

    async adminTapkeyOwners({ locationId, clientId, clientSecret }) {
      const json = { ...(clientId ? { clientId } : {}), ...(clientSecret ? { clientSecret } : {}) };
      return withApi((c) => c.request(tapkeyOwnerAccountsResult, (http) => http.post(`v1/locations/${idPath(locationId)}/tapkey/owner-accounts`, { json })));
    },

    async adminSaveTapkey({ locationIds, clientId, clientSecret, ownerAccountId }) {
      const locations: Location[] = [];
      // One after another: a refusal (e.g. a location deleted meanwhile) stops before the next.
      for (const id of new Set(locationIds))
        locations.push(await patchLocation(id, { tapkey: { clientId, ownerAccountId, ...(clientSecret ? { clientSecret } : {}) } }));
      return { locations };
    },

    async adminTestTapkey({ locationId }) {
      const h = await headers();
      return withApi((c) => c.request(tapkeyConnectionTestSchema, (http) => http.post(`v1/locations/${idPath(locationId)}/tapkey/test`, { headers: h })));
    },

    async adminSaveKeycafe({ locationId, accountEmail, apiToken }) {
      return { location: await patchLocation(locationId, { keycafe: { accountEmail, ...(apiToken ? { apiToken } : {}) } }) };
    },

    async adminTestKeycafe({ locationId }) {
      const h = await headers();
      return withApi(async (c) => {
        const result = await c.request(keycafeConnectionTestResult, (http) => http.post(`v1/locations/${idPath(locationId)}/keycafe/test`, { json: {}, headers: h }));
        const [keys, locations] = await Promise.all([
          c.request(keyList, (http) => http.get('v1/keycafe/keys', { headers: h, searchParams: { locationId, limit: 200 } })),
          c.request(keycafeLocationList, (http) => http.get('v1/keycafe/locations', { headers: h, searchParams: { locationId } })),
        ]);
        return {
          result,
          keys: keys.items.filter((k) => k.accountLocationId === locationId),
          locations: locations.items.filter((l) => l.accountLocationId === locationId),
        };
      });
    },

    async adminSaveSyncMode({ locationId, syncMode, triggers }) {
      // Both triggers may be on; the API keeps them in the seed's order.
      const accessTriggers = (['booking_creation', 'move_in_reached'] as const).filter((t) => triggers.includes(t));
      return { location: await patchLocation(locationId, { tapkey: { syncMode, accessTriggers } }) };
    },

    async adminImportLocks({ locationId }) {
      return withApi((c) => c.request(tapkeyImportLocksResultSchema, (http) => http.post(`v1/locations/${idPath(locationId)}/tapkey/import-locks`)));
    },

    async adminLocks({ locationId, search, mapped, offset }) {
      return withApi(async (c) => {
        const searchParams = {
          locationId,
          limit: LOCK_PAGE,
          offset,
          ...(search ? { search } : {}),
          ...(mapped === 'all' ? {} : { mapped: String(mapped === 'mapped') }),
        };
        const page = await c.request(lockList, (http) => http.get('v1/locks', { searchParams }));
        // The mapped unit of each lock on the page (a lock has at most one mapping).
        const units = new Map<string, { externalId: string; name: string }>();
        await Promise.all(
          page.items.map(async (lock) => {
            const m = await c.request(mappingList, (http) => http.get('v1/mappings', { searchParams: { lockId: lock.id, limit: 1 } }));
            const first = m.items[0];
            if (first) units.set(lock.id, { externalId: first.unit.externalId, name: first.unit.name });
          }),
        );
        return { items: page.items.map((lock) => ({ lock, unit: units.get(lock.id) ?? null })), total: page.total };
      });
    },

    async adminStartSync({ locationId }) {
      const h = await headers();
      return { run: await withApi((c) => c.request(syncRunSchema, (http) => http.post(`v1/locations/${idPath(locationId)}/sync-runs`, { headers: h }))) };
    },

    async adminLatestSync({ locationId }) {
      const { items } = await withApi((c) => c.request(runList, (http) => http.get(`v1/locations/${idPath(locationId)}/sync-runs`)));
      return { run: items[0] ? await syncRun(items[0].id) : null };
    },

    async adminSyncRun({ runId }) {
      return { run: await syncRun(runId) };
    },

    async adminRevokeGrants({ runId, tapkeyGrantIds }) {
      return withApi((c) => c.request(revokeResult, (http) => http.post(`v1/sync-runs/${idPath(runId)}/revoke-unexplained`, { json: { tapkeyGrantIds } })));
    },

    async adminBookings({ locationId, search }) {
      const h = await headers();
      return withApi((c) =>
        c.request(bookingList, (http) => http.get('v1/bookings', { headers: h, searchParams: { locationId, limit: BOOKING_PAGE, ...(search ? { search } : {}) } })),
      );
    },

    async adminNotices({ bookingExternalId, lang }) {
      const { items } = await withApi((c) => c.request(noticeList, (http) => http.get('v1/notices', { searchParams: { bookingExternalId, lang, limit: 20 } })));
      return { items };
    },

    async adminHealth({ locationId }) {
      const h = await headers();
      return withApi(async (c) => {
        const bookingsIn = (grantState: 'pending' | 'failed') =>
          c.request(bookingList, (http) => http.get('v1/bookings', { headers: h, searchParams: { locationId, grantState, limit: BOOKING_PAGE } }));
        const keycafeIn = (state: 'pending' | 'failed' | 'partially_failed') =>
          c.request(keycafeBookingList, (http) => http.get('v1/keycafe/bookings', { headers: h, searchParams: { locationId, state, limit: 50 } }));
        const [pending, failed, kcPending, kcFailed, kcPartial, outbox] = await Promise.all([
          bookingsIn('pending'),
          bookingsIn('failed'),
          keycafeIn('pending'),
          keycafeIn('failed'),
          keycafeIn('partially_failed'),
          c.request(outboxSummarySchema, (http) => http.get('v1/outbox/summary')),
        ]);
        return { tapkeyPending: pending.items, tapkeyFailed: failed.items, keycafe: [...kcFailed.items, ...kcPartial.items, ...kcPending.items], outbox };
      });
    },

    async adminRetryGrant({ bookingExternalId }) {
      const h = await headers();
      return { booking: await withApi((c) => c.request(bookingSchema, (http) => http.post(`v1/bookings/${idPath(bookingExternalId)}/restore`, { headers: h }))) };
    },

    async adminAudit({ actor, action, entity, since, offset }) {
      const searchParams = {
        limit: 50,
        offset,
        ...(actor ? { actor } : {}),
        ...(action ? { action } : {}),
        ...(entity ? { entity } : {}),
        ...(since ? { since } : {}),
      };
      return withApi((c) => c.request(auditList, (http) => http.get('v1/audit-events', { searchParams })));
    },
  };
}
