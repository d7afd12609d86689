/**
 * The background's behaviour behind the message router: API calls with connection-state
 * tracking, the offline queue, settings, and portal origins. Everything it needs from the
 * outside (fetch, timing) is injectable so tests can drive it against a real API.
 */
import { browser } from 'wxt/browser';
import { matchLanguage, type Language } from '../../lib/i18n/index.ts';
import type { AdminMessageType } from '../../lib/admin-messages.ts';
import type { Handlers, KeycafeMessageType, ManagerMessageType, MappingProposalMessageType, PortalMessageType, QueuedOp, QueueItemView, SettingsView } from '../../lib/messages.ts';
import { queuedOpSchema } from '../../lib/messages.ts';
import { createMutationQueue, type QueueError, type QueueItem, type SendOutcome } from '../../lib/queue.ts';
import { ApiCallError, createApiClient, isUnreachable, UNITS_PAGE, type ApiClient, type ApiClientOptions } from './api-client.ts';
import { showQueueBadge } from './badge.ts';
import { injectIntoOpenTabs, originPattern, syncPortalScripts } from './content-scripts.ts';
import {
  apiSettingsItem,
  connectionStatusItem,
  DEFAULT_PORTAL_ORIGIN,
  mutationQueueItem,
  portalOriginsItem,
  preferencesItem,
  unitsCacheItem,
  type ConnectionStatus,
} from '../../lib/storage.ts';

/** A mapping dialog needs the whole list for suggestions; beyond this it searches a prefix. */
export const MAX_UNITS = 2000;

/** The messages this service answers; the manager's, Keycafe's, the admin page's, the mapping proposal's and the portal script's setup have their own modules. */
export type CoreHandlers = Omit<Handlers, ManagerMessageType | KeycafeMessageType | MappingProposalMessageType | AdminMessageType | PortalMessageType>;

export interface ServiceOptions {
  client?: Pick<ApiClientOptions, 'fetch' | 'retries' | 'retryDelay' | 'timeoutMs'>;
  version?: string;
}

const notConfigured = (message: string) => new ApiCallError({ kind: 'not_configured', message, fieldErrors: [] });

async function fingerprint(apiUrl: string, token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${apiUrl}\n${token}`));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createBackgroundService(options: ServiceOptions = {}) {
  const version = options.version ?? browser.runtime.getManifest().version;

  async function language(): Promise<Language> {
    const prefs = await preferencesItem.getValue();
    return prefs.language ?? matchLanguage(globalThis.navigator?.languages ?? ['en']);
  }

  const queue = createMutationQueue<QueuedOp>(
    {
      // Stored items are re-validated: a corrupt entry must not break every later replay.
      read: async () => (await mutationQueueItem.getValue()).filter((i) => queuedOpSchema.safeParse(i.op).success),
      write: (items) => mutationQueueItem.setValue(items),
    },
    { onChange: async (counts) => showQueueBadge(counts, await language()) },
  );

  function clientFor(apiUrl: string, token: string): ApiClient {
    return createApiClient({ apiUrl, token, ...options.client });
  }

  async function storedClient(): Promise<ApiClient> {
    const { apiUrl, token } = await apiSettingsItem.getValue();
    if (!apiUrl || !token) throw notConfigured('Set the API URL and token in the AccessBridge options.');
    return clientFor(apiUrl, token);
  }

  async function setStatus(next: Partial<ConnectionStatus>) {
    const current = await connectionStatusItem.getValue();
    const merged = { ...current, ...next, checkedAt: new Date().toISOString() };
    if (merged.state !== current.state || merged.organizationName !== current.organizationName || merged.message !== current.message)
      await connectionStatusItem.setValue(merged);
  }

  async function noteFailure(error: unknown) {
    if (!(error instanceof ApiCallError)) return;
    if (error.info.kind === 'unauthorized') await setStatus({ state: 'unauthorized', message: error.info.message });
    else if (isUnreachable(error)) await setStatus({ state: 'unreachable', message: error.info.message });
  }

  /** Runs an API call with the stored settings, tracking the connection state. */
  async function withApi<T>(fn: (client: ApiClient) => Promise<T>): Promise<T> {
    const client = await storedClient();
    try {
      const result = await fn(client);
      await setStatus({ state: 'connected', message: null });
      void kickReplay();
      return result;
    } catch (error) {
      await noteFailure(error);
      throw error;
    }
  }

  // ---------- queue ----------

  const asQueueError = (error: unknown): QueueError =>
    error instanceof ApiCallError
      ? { message: error.info.message, ...(error.info.status ? { status: error.info.status } : {}), ...(error.info.code ? { code: error.info.code } : {}) }
      : { message: error instanceof Error ? error.message : String(error) };

  async function putMapping(client: ApiClient, op: Extract<QueuedOp, { kind: 'saveMapping' }>) {
    // The API must know the lock before a unit can point at it.
    if (op.lock) await client.captureLocks([op.lock]);
    return client.putMapping(op.unitExternalId, { lockId: op.lockId, replace: op.replace });
  }

  async function perform(client: ApiClient, op: QueuedOp): Promise<void> {
    if (op.kind === 'captureLocks') await client.captureLocks(op.locks);
    else await putMapping(client, op);
  }

  async function sendQueued(client: ApiClient, op: QueuedOp): Promise<SendOutcome> {
    try {
      await perform(client, op);
      return { kind: 'sent' };
    } catch (error) {
      // A wrong token is not the item's fault: keep it pending until the token is fixed.
      if (isUnreachable(error) || (error instanceof ApiCallError && error.info.kind === 'unauthorized')) {
        await noteFailure(error);
        return { kind: 'unreachable', error: asQueueError(error) };
      }
      return { kind: 'rejected', error: asQueueError(error) };
    }
  }

  async function replay() {
    const client = await storedClient();
    const result = await queue.replay((op) => sendQueued(client, op));
    if (result.sent > 0 && !result.stoppedBy) await setStatus({ state: 'connected', message: null });
    return result;
  }

  /** Replays in the background after a successful call ("the API is back"). */
  async function kickReplay() {
    const { pending } = await queue.counts();
    if (pending > 0) await replay().catch(() => undefined);
  }

  /**
   * Sends a mutation now, or queues it when the API cannot be reached. Earlier queued changes
   * go first, so the API sees them in the order the user made them.
   */
  async function mutate<T>(op: QueuedOp, direct: (client: ApiClient) => Promise<T>): Promise<({ status: 'saved' } & T) | { status: 'queued'; queueItemId: string }> {
    const client = await storedClient();
    if ((await queue.counts()).pending > 0) {
      const result = await replay();
      if (result.stoppedBy) {
        if (result.stoppedBy.status === 401) throw new ApiCallError({ kind: 'unauthorized', message: result.stoppedBy.message, status: 401, fieldErrors: [] });
        return { status: 'queued', queueItemId: (await enqueueOnce(op)).id };
      }
    }
    try {
      const result = await direct(client);
      await setStatus({ state: 'connected', message: null });
      return { status: 'saved', ...result };
    } catch (error) {
      await noteFailure(error);
      if (!isUnreachable(error)) throw error;
      return { status: 'queued', queueItemId: (await enqueueOnce(op)).id };
    }
  }

  /** Re-viewing the same lock while offline must not pile up identical captures. */
  async function enqueueOnce(op: QueuedOp): Promise<QueueItem<QueuedOp>> {
    const same = (await queue.list()).find((i) => i.state === 'pending' && JSON.stringify(i.op) === JSON.stringify(op));
    return same ?? queue.enqueue(op);
  }

  async function queueView() {
    const items = await queue.list();
    const view: QueueItemView[] = items.map(({ id, op, state, createdAt, attempts, lastError }) => ({ id, op, state, createdAt, attempts, lastError }));
    return { items: view, counts: await queue.counts() };
  }

  // ---------- settings ----------

  async function settingsView(): Promise<SettingsView> {
    const [{ apiUrl, token }, prefs, origins] = await Promise.all([apiSettingsItem.getValue(), preferencesItem.getValue(), portalOriginsItem.getValue()]);
    return {
      apiUrl,
      hasToken: token.length > 0,
      tokenHint: token ? `…${token.slice(-4)}` : null,
      locationId: prefs.locationId,
      language: prefs.language,
      effectiveLanguage: await language(),
      defaultPortalOrigin: DEFAULT_PORTAL_ORIGIN,
      portalOrigins: origins,
    };
  }

  async function contentScriptOrigins(): Promise<string[]> {
    return [DEFAULT_PORTAL_ORIGIN, ...(await portalOriginsItem.getValue())];
  }

  async function hasOriginPermission(apiUrl: string): Promise<boolean> {
    try {
      return await browser.permissions.contains({ origins: [originPattern(new URL(apiUrl).origin)] });
    } catch {
      return false;
    }
  }

  // ---------- handlers ----------

  const handlers: CoreHandlers = {
    async ping() {
      return { pong: true, version };
    },

    async status(message) {
      const { apiUrl, token } = await apiSettingsItem.getValue();
      if (!apiUrl || !token) {
        await setStatus({ state: 'not_configured', organizationName: null, message: null });
      } else if (message.refresh) {
        try {
          const me = await withApi((c) => c.me());
          await setStatus({ organizationName: me.organization.name });
        } catch {
          // The state now says what went wrong.
        }
      }
      const status = await connectionStatusItem.getValue();
      return { ...status, queue: await queue.counts(), language: await language() };
    },

    async listUnits() {
      const { apiUrl, token } = await apiSettingsItem.getValue();
      const { locationId } = await preferencesItem.getValue();
      try {
        return await withApi(async (client) => {
          const items = [];
          let total = 0;
          for (let offset = 0; offset < MAX_UNITS; offset += UNITS_PAGE) {
            const page = await client.listUnits({ locationId, limit: UNITS_PAGE, offset });
            items.push(...page.items);
            total = page.total;
            if (page.items.length < UNITS_PAGE || items.length >= total) break;
          }
          await unitsCacheItem.setValue({ key: await fingerprint(apiUrl, token), locationId, items, total, fetchedAt: new Date().toISOString() });
          return { items, total, truncated: total > items.length, stale: false };
        });
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        const cache = await unitsCacheItem.getValue();
        if (!cache || cache.key !== (await fingerprint(apiUrl, token)) || cache.locationId !== locationId) throw error;
        return { items: cache.items, total: cache.total, truncated: cache.total > cache.items.length, stale: true };
      }
    },

    async getMappingForLock({ lockId }) {
      const pending = (await queue.list())
        .filter((i) => i.state === 'pending' && i.op.kind === 'saveMapping' && i.op.lockId === lockId)
        .map((i) => i.op as Extract<QueuedOp, { kind: 'saveMapping' }>)
        .at(-1);
      const queued = pending ? { unitExternalId: pending.unitExternalId, unitName: pending.unitName ?? null } : null;
      try {
        const { items } = await withApi((c) => c.mappingsForLock(lockId));
        return { mapping: items.find((m) => m.lockId === lockId) ?? null, stale: false, queued };
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        return { mapping: null, stale: true, queued };
      }
    },

    async saveMapping(m) {
      const op: Extract<QueuedOp, { kind: 'saveMapping' }> = {
        kind: 'saveMapping',
        unitExternalId: m.unitExternalId,
        ...(m.unitName ? { unitName: m.unitName } : {}),
        lockId: m.lockId,
        replace: m.replace,
        ...(m.lock ? { lock: { id: m.lockId, ...m.lock } } : {}),
      };
      return mutate(op, async (client) => ({ mapping: await putMapping(client, op) }));
    },

    async knownLocks({ ids }) {
      // Asked one by one (a URL carries a few UUIDs): the page learns only about the ids it shows.
      try {
        return await withApi(async (client) => {
          const known: string[] = [];
          for (const id of ids) {
            const res = await client.raw((http) => http.get(`v1/locks/${id}`, { throwHttpErrors: (status) => status !== 404 }));
            if (res.status === 200) known.push(id);
          }
          return { known };
        });
      } catch (error) {
        // Offline or not set up: no lock is known, the page is classified by its URL alone.
        if (error instanceof ApiCallError) return { known: [] };
        throw error;
      }
    },

    async captureLocks({ locks }) {
      const op: QueuedOp = { kind: 'captureLocks', locks };
      return mutate(op, async (client) => {
        const { created, updated, unchanged } = await client.captureLocks(locks);
        return { created, updated, unchanged };
      });
    },

    async getSettings() {
      return settingsView();
    },

    async saveSettings(m) {
      const current = await apiSettingsItem.getValue();
      const next = { apiUrl: m.apiUrl.replace(/\/+$/, ''), token: m.token ? m.token : current.token };
      if (next.apiUrl !== current.apiUrl || next.token !== current.token) {
        await apiSettingsItem.setValue(next);
        // Another API or token may be another organisation: forget what we knew.
        await unitsCacheItem.setValue(null);
        await connectionStatusItem.setValue({ state: 'unknown', organizationName: null, checkedAt: null, message: null });
        await preferencesItem.setValue({ ...(await preferencesItem.getValue()), locationId: null });
      }
      return settingsView();
    },

    async savePreferences(m) {
      const prefs = await preferencesItem.getValue();
      const next = {
        locationId: m.locationId === undefined ? prefs.locationId : m.locationId,
        language: m.language === undefined ? prefs.language : m.language,
      };
      await preferencesItem.setValue(next);
      await showQueueBadge(await queue.counts(), await language());
      return settingsView();
    },

    async testConnection(m) {
      const stored = await apiSettingsItem.getValue();
      const apiUrl = (m.apiUrl ?? stored.apiUrl).replace(/\/+$/, '');
      const token = m.token || stored.token;
      if (!apiUrl) throw notConfigured('Enter the API URL.');
      if (!token) throw notConfigured('Enter the API token.');
      const isStored = apiUrl === stored.apiUrl && token === stored.token;
      const client = clientFor(apiUrl, token);
      try {
        const health = await client.health();
        const me = await client.me();
        if (isStored) {
          await setStatus({ state: 'connected', organizationName: me.organization.name, message: null });
          void kickReplay();
        }
        return { organization: me.organization, tokenName: me.tokenName, apiVersion: health.version };
      } catch (error) {
        if (isStored) await noteFailure(error);
        if (error instanceof ApiCallError && error.info.kind === 'unreachable')
          throw new ApiCallError({ ...error.info, originPermission: await hasOriginPermission(apiUrl) });
        throw error;
      }
    },

    async listLocations() {
      const { items } = await withApi((c) => c.listLocations());
      return { items };
    },

    async listQueue() {
      return queueView();
    },

    async replayQueue() {
      await replay();
      return queueView();
    },

    async retryQueueItem({ id }) {
      await queue.retry(id);
      await replay().catch(() => undefined);
      return queueView();
    },

    async discardQueueItem({ id }) {
      await queue.discard(id);
      return queueView();
    },

    async addPortalOrigin({ origin }) {
      if (origin !== DEFAULT_PORTAL_ORIGIN) {
        // The options page asks the user (permissions.request needs a click); we only check.
        if (!(await browser.permissions.contains({ origins: [originPattern(origin)] })))
          throw new ApiCallError({ kind: 'forbidden', message: `Access to ${origin} was not granted.`, fieldErrors: [] });
        const origins = await portalOriginsItem.getValue();
        if (!origins.includes(origin)) await portalOriginsItem.setValue([...origins, origin]);
        await syncPortalScripts(await portalOriginsItem.getValue());
        await injectIntoOpenTabs([origin]).catch(() => 0);
      }
      return settingsView();
    },

    async removePortalOrigin({ origin }) {
      const origins = (await portalOriginsItem.getValue()).filter((o) => o !== origin);
      await portalOriginsItem.setValue(origins);
      await syncPortalScripts(origins);
      if (origin !== DEFAULT_PORTAL_ORIGIN) await browser.permissions.remove({ origins: [originPattern(origin)] }).catch(() => false);
      return settingsView();
    },
  };

  return {
    handlers,
    contentScriptOrigins,
    queue,
    /** For other background modules: an API call with the stored token, tracking the connection state. */
    withApi,
    /** Sends a mutation now or queues it while the API is unreachable (same order guarantees). */
    mutate,
    /** The user's language (options choice, else the browser's), for texts the API renders. */
    language,
    /** Alarm, start-up and "back online" entry point; never throws. */
    replayIfPending: kickReplay,
    refreshBadge: async () => showQueueBadge(await queue.counts(), await language()),
  };
}

export type BackgroundService = ReturnType<typeof createBackgroundService>;
