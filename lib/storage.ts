/**
 * The extension's one storage module: everything it keeps, in `browser.storage.local` through
 * versioned WXT storage items. The background is the only writer (the service worker is
 * stopped after ~30 s idle, so its memory is only a cache); extension pages such as the popup
 * read an item here to paint before the background answers. Content scripts never import this
 * module (test/security/extension-messages.test.ts). Bump an item's `version` and add a
 * migration when its shape changes.
 */
import { storage } from 'wxt/utils/storage';
import type { Language } from './i18n/index.ts';
import type { ConnectionState, PopupRecent, QueuedOp } from './messages.ts';
import type { QueueItem } from './queue.ts';
import type { Unit } from './contract.ts';

/** The Tapkey web portal; always permitted (manifest host permission). */
export const DEFAULT_PORTAL_ORIGIN = 'https://my.tapkey.com';

export interface ApiSettings {
  apiUrl: string;
  /** Bearer API token. Read only here in the background; never sent to any page. */
  token: string;
}

export interface Preferences {
  locationId: string | null;
  language: Language | null;
}

export interface ConnectionStatus {
  state: ConnectionState;
  organizationName: string | null;
  checkedAt: string | null;
  message: string | null;
}

export interface UnitsCache {
  /** Which API + token the list belongs to, so a new organisation never sees the old list. */
  key: string;
  locationId: string | null;
  items: Unit[];
  total: number;
  fetchedAt: string;
}

export const apiSettingsItem = storage.defineItem<ApiSettings>('local:apiSettings', {
  fallback: { apiUrl: '', token: '' },
  version: 1,
});

export const preferencesItem = storage.defineItem<Preferences>('local:preferences', {
  fallback: { locationId: null, language: null },
  version: 1,
});

/** Portal origins the user added in options (besides the default); host permission granted. */
export const portalOriginsItem = storage.defineItem<string[]>('local:portalOrigins', {
  fallback: [],
  version: 1,
});

export const connectionStatusItem = storage.defineItem<ConnectionStatus>('local:connectionStatus', {
  fallback: { state: 'unknown', organizationName: null, checkedAt: null, message: null },
  version: 1,
});

export const mutationQueueItem = storage.defineItem<QueueItem<QueuedOp>[]>('local:mutationQueue', {
  fallback: [],
  version: 1,
});

/** The last unit list, so the mapping dialog still works (and queues) while the API is down. */
export const unitsCacheItem = storage.defineItem<UnitsCache | null>('local:unitsCache', {
  fallback: null,
  version: 1,
});

/** The popup's quick booking and recent lists, read on its first-paint path. */
/** The popup's lists as last fetched: it paints from these before asking for fresh ones. */
export const popupRecentItem = storage.defineItem<PopupRecent | null>('local:popupRecent', { fallback: null, version: 1 });

/** The popup's quick booking starts from the last key and language used. */
export interface KeycafeLastChoice {
  keyId: string;
  keyName: string;
  locale: string;
}
export const keycafeLastChoiceItem = storage.defineItem<KeycafeLastChoice | null>('local:keycafeLastChoice', { fallback: null, version: 1 });
