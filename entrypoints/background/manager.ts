/**
 * The background's side of manager pages: site profiles for the options page (save, grant,
 * revoke, test on a tab, the demo manager's address) and the manager content script's calls
 * (unit upsert, lock list, unmap, booking push, revoke/restore). Mapping itself goes through
 * the core `saveMapping` message, which queues while the API is unreachable.
 */
import { browser } from 'wxt/browser';
import {
  bookingIntakeResultSchema,
  bookingSchema,
  listOf,
  locationSchema,
  lockSchema,
  mappingSchema,
  sandboxInfoSchema,
  unitSchema,
  type Location,
  type Lock,
  type Mapping,
} from '../../lib/contract.ts';
import type { Language } from '../../lib/i18n/index.ts';
import { managerStrings } from '../../lib/i18n/manager-strings.ts';
import { originOf, type Handlers, type LockChoice, type ManagerMessageType } from '../../lib/messages.ts';
import { DEMO_MANAGER_PROFILE_ID, originMatchPattern, siteProfileSchema, type SiteProfile } from '../../lib/site-profile/index.ts';
import type { ScriptPublicPath } from 'wxt/utils/inject-script';
import { ApiCallError, type ApiClient } from './api-client.ts';
import { injectDialogs } from './dialogs.ts';
import { guessFromTabs, previewProfile } from './preview.ts';
import { apiSettingsItem, DEFAULT_PORTAL_ORIGIN, portalOriginsItem } from '../../lib/storage.ts';
import {
  activeProfiles,
  injectManagerScript,
  profilesView,
  readProfiles,
  releasePattern,
  setActive,
  syncManagerScripts,
  writeProfiles,
} from './profiles.ts';

/** The manager dialogs' code, injected on first use (entrypoints/manager-dialogs.tsx). */
export const DIALOGS_SCRIPT_FILE: ScriptPublicPath = '/manager-dialogs.js';

/** Lock lists beyond this are cut (the picker says so); Tapkey owners rarely have more. */
export const MAX_LOCKS = 5000;
const PAGE = 1000;
/** Locations rarely change; a unit page visit should not always cost an extra request. */
const LOCATIONS_TTL_MS = 5 * 60_000;

export interface ManagerDeps {
  withApi: <T>(fn: (client: ApiClient) => Promise<T>) => Promise<T>;
  language: () => Promise<Language>;
}

type PageHandlers = Pick<Handlers, Exclude<ManagerMessageType, 'exportMappingFile' | 'importMappingFile'>>;

/** Hosts the portal script and the API connection rely on: never given back with a profile. */
async function hostsInUse(): Promise<string[]> {
  const [{ apiUrl }, portals] = await Promise.all([apiSettingsItem.getValue(), portalOriginsItem.getValue()]);
  return [DEFAULT_PORTAL_ORIGIN, ...portals, ...(apiUrl ? [apiUrl] : [])];
}

const invalidProfile = (issues: { path: PropertyKey[]; message: string }[]) =>
  new ApiCallError({
    kind: 'bad_message',
    message: 'The site profile is not valid.',
    fieldErrors: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });

function parseProfile(raw: unknown): SiteProfile {
  const parsed = siteProfileSchema.safeParse(raw);
  if (!parsed.success) throw invalidProfile(parsed.error.issues);
  return parsed.data;
}

const refused = (message: string) => new ApiCallError({ kind: 'forbidden', message, fieldErrors: [] });

async function findProfile(id: string): Promise<SiteProfile> {
  const profile = (await readProfiles()).profiles.find((p) => p.id === id);
  if (!profile) throw new ApiCallError({ kind: 'api', status: 404, code: 'not_found', message: `No site profile "${id}".`, fieldErrors: [] });
  return profile;
}


/** Pages of a list route until `total` or `max` items. */
async function allPages<T>(max: number, page: (offset: number) => Promise<{ items: T[]; total: number }>) {
  const items: T[] = [];
  let total = 0;
  for (let offset = 0; offset < max; offset += PAGE) {
    const r = await page(offset);
    items.push(...r.items);
    total = r.total;
    if (r.items.length < PAGE || items.length >= total) break;
  }
  return { items, total };
}

const lockList = listOf(lockSchema);
const mappingList = listOf(mappingSchema);
const locationList = listOf(locationSchema);

/** How often a page on the demo's host but another port may make us ask the API where the demo runs. */
const DEMO_CHECK_INTERVAL_MS = 10_000;

export interface ManagerBackground {
  handlers: PageHandlers;
  /** Moves the demo profile to where the sandbox's demo manager runs now. */
  followDemoManager: () => Promise<void>;
  /** Origins whose pages may send the manager script's messages (the sender check). */
  scriptOrigins: (senderUrl: string | undefined) => Promise<string[]>;
}

export function createManagerHandlers({ withApi, language }: ManagerDeps): ManagerBackground {
  let locations: { at: number; items: Location[] } | null = null;
  let lastDemoCheck = 0;

  async function locationIdFor(client: ApiClient, name: string | null): Promise<string | undefined> {
    if (!name) return undefined;
    if (!locations || Date.now() - locations.at > LOCATIONS_TTL_MS) {
      locations = { at: Date.now(), items: (await client.request(locationList, (http) => http.get('v1/locations'))).items };
    }
    const wanted = name.trim().toLowerCase();
    const found = locations.items.filter((l) => l.name.trim().toLowerCase() === wanted);
    // Only an unambiguous match: otherwise the API keeps the unit's stored location.
    return found.length === 1 ? found[0]!.id : undefined;
  }

  async function sandboxManagerUrl(): Promise<string | null> {
    const info = await withApi((c) => c.request(sandboxInfoSchema, (http) => http.get('v1/sandbox')));
    return info.urls.manager ?? null;
  }

  /**
   * The demo manager runs on a new port at every `npm start`: move the built-in demo profile
   * there. The host permission (any port) and the registration stay valid.
   */
  async function followDemoManager(): Promise<void> {
    const { profiles } = await readProfiles();
    const demo = profiles.find((p) => p.id === DEMO_MANAGER_PROFILE_ID);
    if (!demo) return;
    lastDemoCheck = Date.now();
    const url = await sandboxManagerUrl();
    const origin = url ? originOf(url) : null;
    if (!origin || origin === demo.origin || profiles.some((p) => p.origin === origin)) return;
    await writeProfiles(profiles.map((p) => (p.id === DEMO_MANAGER_PROFILE_ID ? { ...p, origin } : p)));
    await syncManagerScripts();
  }

  async function scriptOrigins(senderUrl: string | undefined): Promise<string[]> {
    const active = await activeProfiles();
    const origins = active.map((p) => p.origin);
    const origin = senderUrl ? originOf(senderUrl) : null;
    if (!origin || origins.includes(origin) || Date.now() - lastDemoCheck < DEMO_CHECK_INTERVAL_MS) return origins;
    // A demo manager page on another port of the demo's host: the sandbox restarted there.
    const demo = active.find((p) => p.id === DEMO_MANAGER_PROFILE_ID);
    if (!demo || new URL(demo.origin).hostname !== new URL(origin).hostname) return origins;
    await followDemoManager().catch(() => undefined);
    return (await activeProfiles()).map((p) => p.origin);
  }

  async function bookingQuery() {
    return { lang: await language() };
  }

  const handlers: PageHandlers = {
    // ---------- options page: site profiles ----------

    async listSiteProfiles() {
      return profilesView();
    },

    async saveSiteProfile({ profile: raw }) {
      const profile = parseProfile(raw);
      const { profiles } = await readProfiles();
      const before = profiles.find((p) => p.id === profile.id);
      const next = before ? profiles.map((p) => (p.id === profile.id ? profile : p)) : [...profiles, profile];
      const clash = next.find((p) => p.id !== profile.id && p.origin === profile.origin);
      if (clash)
        throw new ApiCallError({
          kind: 'bad_message',
          message: 'The site profile is not valid.',
          fieldErrors: [{ path: 'origin', message: `The profile “${clash.name}” already uses ${profile.origin}` }],
        });
      await writeProfiles(next);
      if (before && before.origin !== profile.origin) await releasePattern(originMatchPattern(before.origin), hostsInUse);
      await syncManagerScripts();
      return profilesView();
    },

    async removeSiteProfile({ id }) {
      const { profiles } = await readProfiles();
      const removed = profiles.find((p) => p.id === id);
      await writeProfiles(profiles.filter((p) => p.id !== id));
      await setActive(id, false);
      if (removed) await releasePattern(originMatchPattern(removed.origin), hostsInUse);
      await syncManagerScripts();
      return profilesView();
    },

    async grantSiteProfile({ id }) {
      const profile = await findProfile(id);
      const pattern = originMatchPattern(profile.origin);
      // The options page asked the user; here we only trust what the browser says was granted.
      if (!(await browser.permissions.contains({ origins: [pattern] }))) throw refused(`Access to ${profile.origin} was not granted.`);
      await setActive(id, true);
      await syncManagerScripts();
      await injectManagerScript([pattern]).catch(() => 0);
      return profilesView();
    },

    async revokeSiteProfile({ id }) {
      const profile = await findProfile(id);
      await setActive(id, false);
      await releasePattern(originMatchPattern(profile.origin), hostsInUse);
      await syncManagerScripts();
      return profilesView();
    },

    async previewSiteProfile({ profile: raw, tabId }) {
      return previewProfile(parseProfile(raw), tabId);
    },

    async guessSiteProfile({ origin, tabId }) {
      return guessFromTabs(origin, tabId);
    },

    async demoManagerOrigin() {
      const url = await sandboxManagerUrl();
      return { origin: url ? originOf(url) : null };
    },

    // ---------- manager content script ----------

    async managerPage(_m, { url }) {
      // The sender check let only active profiles' origins through (scriptOrigins).
      const origin = originOf(url);
      const lang = await language();
      return { profiles: (await activeProfiles()).filter((p) => p.origin === origin), language: lang, strings: managerStrings(lang) };
    },

    async managerDialogs(_m, context) {
      return injectDialogs(DIALOGS_SCRIPT_FILE, context);
    },

    async upsertUnit({ unit }) {
      return withApi(async (client) => {
        const locationId = await locationIdFor(client, unit.location);
        const body = { name: unit.name, ...(locationId ? { locationId } : {}) };
        const saved = await client.request(unitSchema, (http) => http.put(`v1/units/${encodeURIComponent(unit.externalId)}`, { json: body }));
        return { unit: saved };
      });
    },

    async unitMapping({ unitExternalId }) {
      const { items } = await withApi((c) => c.request(mappingList, (http) => http.get('v1/mappings', { searchParams: { unitExternalId } })));
      return { mapping: items.find((m) => m.unit.externalId === unitExternalId) ?? null };
    },

    async listLocks({ unitExternalId }) {
      return withApi(async (client) => {
        // Filtered where the data comes from: a unit of a location sees only that location's locks.
        const unit = unitExternalId
          ? await client
              .raw((http) => http.get(`v1/units/${encodeURIComponent(unitExternalId)}`, { throwHttpErrors: (status) => status !== 404 }))
              .then(async (res) => (res.status === 404 ? null : unitSchema.parse(await res.json())))
          : null;
        const where = unit?.locationId ? { locationId: unit.locationId } : {};
        const [locks, mappings] = await Promise.all([
          allPages<Lock>(MAX_LOCKS, (offset) => client.request(lockList, (http) => http.get('v1/locks', { searchParams: { limit: PAGE, offset, ...where } }))),
          allPages<Mapping>(MAX_LOCKS, (offset) => client.request(mappingList, (http) => http.get('v1/mappings', { searchParams: { limit: PAGE, offset } }))),
        ]);
        const byLock = new Map(mappings.items.map((m) => [m.lockId, m.unit]));
        const items: LockChoice[] = locks.items.map((l) => {
          const unit = byLock.get(l.id);
          return { id: l.id, title: l.title, source: l.source, mappedTo: unit ? { externalId: unit.externalId, name: unit.name } : null };
        });
        return { items, total: locks.total, truncated: locks.total > items.length };
      });
    },

    async unmapUnit({ unitExternalId }) {
      return withApi(async (client) => {
        const res = await client.raw((http) =>
          http.delete(`v1/units/${encodeURIComponent(unitExternalId)}/mapping`, { throwHttpErrors: (status) => status !== 404 }),
        );
        return { removed: res.status !== 404 };
      });
    },

    async pushBooking({ booking: b }) {
      // The page is one intake among several: reported by the booking id, a state the page does
      // not show keeps the stored one, and an ended booking is never made active from a page
      // (restore is explicit), so the batch intake's rules apply, not PUT's full replace.
      const item = {
        externalId: b.externalId,
        unitExternalId: b.unitExternalId,
        tenantEmail: b.tenantEmail,
        tenantPhone: b.tenantPhone,
        moveIn: b.moveIn,
        moveOut: b.moveOut,
        ...(b.state ? { state: b.state } : {}),
      };
      const searchParams = await bookingQuery();
      const result = await withApi((c) =>
        c.request(bookingIntakeResultSchema, (http) => http.post('v1/bookings/batch', { json: { source: 'page', bookings: [item] }, searchParams })),
      );
      const refused = result.refused[0];
      if (refused) {
        const restore = refused.code === 'restore_needed';
        throw new ApiCallError({
          kind: 'api',
          message: restore ? refused.message : 'Some fields are not valid',
          status: restore ? 409 : 400,
          code: restore ? 'conflict' : 'validation_failed',
          fieldErrors: refused.field ? [{ path: refused.field, message: refused.message }] : [],
        });
      }
      const booking = await withApi((c) => c.request(bookingSchema, (http) => http.get(`v1/bookings/${encodeURIComponent(b.externalId)}`, { searchParams })));
      return { booking };
    },

    async captureBookings({ bookings: rows }) {
      const searchParams = await bookingQuery();
      // A state the list does not show keeps the stored one.
      const items = rows.map(({ state, ...b }) => (state ? { ...b, state } : b));
      const result = await withApi((c) =>
        c.request(bookingIntakeResultSchema, (http) => http.post('v1/bookings/batch', { json: { source: 'list', bookings: items }, searchParams })),
      );
      return { result };
    },

    async bookingAccess({ externalId }) {
      const searchParams = await bookingQuery();
      return { booking: await withApi((c) => c.request(bookingSchema, (http) => http.get(`v1/bookings/${encodeURIComponent(externalId)}`, { searchParams }))) };
    },

    async revokeBookingAccess({ externalId }) {
      const searchParams = await bookingQuery();
      return { booking: await withApi((c) => c.request(bookingSchema, (http) => http.post(`v1/bookings/${encodeURIComponent(externalId)}/revoke`, { searchParams }))) };
    },

    async restoreBookingAccess({ externalId }) {
      const searchParams = await bookingQuery();
      return { booking: await withApi((c) => c.request(bookingSchema, (http) => http.post(`v1/bookings/${encodeURIComponent(externalId)}/restore`, { searchParams }))) };
    },

    async setBookingSync({ externalId, syncEnabled }) {
      const searchParams = await bookingQuery();
      const booking = await withApi((c) =>
        c.request(bookingSchema, (http) => http.patch(`v1/bookings/${encodeURIComponent(externalId)}`, { json: { syncEnabled }, searchParams })),
      );
      return { booking };
    },
  };

  return { handlers, followDemoManager, scriptOrigins };
}
