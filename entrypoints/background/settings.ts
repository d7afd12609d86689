/**
 * Everything the background keeps, in `browser.storage.local` through versioned WXT storage
 * items: the service worker is stopped after ~30 s idle, so memory is only a cache.
 * Bump an item's `version` and add a migration when its shape changes.
 */
import { storage } from 'wxt/utils/storage';
import type { Language } from '../../lib/i18n/index.ts';
import type { ConnectionState, QueuedOp } from '../../lib/messages.ts';
import type { QueueItem } from '../../lib/queue.ts';
import type { Unit } from '../../lib/contract.ts';

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
