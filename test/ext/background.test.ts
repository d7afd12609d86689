/**
 * The background service against the real sync API (real HTTP), with the extension APIs
 * from WXT's fake browser. "Offline" is a fetch that fails like the browser's does when the
 * API is down; a "service-worker restart" is a new service built from what is in storage.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../helpers/background.ts';
import { createBackgroundService, type CoreHandlers } from '../../entrypoints/background/service.ts';
import type { HandlerContext, Message, MessageOf, ResponseMap } from '../../lib/messages.ts';
import { serveFake } from '../../sandbox/shared/serve.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

const ctx: HandlerContext = { kind: 'extension-page', url: 'chrome-extension://test-extension-id/options.html' };
const LOCKS = Array.from({ length: 6 }, (_, i) => `0000000${i}-4fc0-4084-85b2-bebf52c3595f`);
const lockInfo = (i: number) => ({ title: `Unit A-0${i}`, pageUrl: `https://my.tapkey.com/#/locks/${LOCKS[i]}` });

let api: TestApi;
const network = { mode: 'up' as 'up' | 'down' | '503', requests: 0 };
const throughNetwork: typeof fetch = async (input, init) => {
  network.requests++;
  if (network.mode === 'down') throw new TypeError('Failed to fetch');
  if (network.mode === '503') return new Response('<html>Bad gateway</html>', { status: 503, headers: { 'content-type': 'text/html' } });
  return fetch(input, init);
};

function newService() {
  return createBackgroundService({ version: 'test', client: { fetch: throughNetwork, retries: 1, retryDelay: () => 0, timeoutMs: 5000 } });
}
type Service = ReturnType<typeof newService>;

/** Calls a handler as the router would after validation (messages already parsed). */
function call<M extends Extract<Message, { type: keyof CoreHandlers }>>(service: Service, message: M): Promise<ResponseMap[M['type']]> {
  const handler = service.handlers[message.type as keyof CoreHandlers] as unknown as (m: M, c: HandlerContext) => Promise<ResponseMap[M['type']]>;
  return handler(message, ctx);
}

async function configured(): Promise<Service> {
  const service = newService();
  await call(service, { type: 'saveSettings', apiUrl: api.url, token: api.token });
  return service;
}

const save = (unitExternalId: string, lock: number, replace = false): MessageOf<'saveMapping'> => ({
  type: 'saveMapping',
  unitExternalId,
  lockId: LOCKS[lock]!,
  replace,
  lock: lockInfo(lock),
});

async function mappingOf(lock: number) {
  const { body } = await api.json('GET', `/v1/mappings?lockId=${LOCKS[lock]}`);
  return body.items[0] ? { unit: body.items[0].unit.externalId, lockTitle: body.items[0].lock.title } : null;
}

beforeAll(async () => {
  api = await startTestApi();
  for (let i = 0; i < 6; i++) {
    const res = await api.json('PUT', `/v1/units/U100${i}`, { name: `A-0${i}` });
    expect(res.status).toBe(201);
  }
});
afterAll(() => api?.close());
beforeEach(() => {
  fakeBrowser.reset();
  network.mode = 'up';
});

describe('settings and connection', () => {
  it('is "not configured" until the API URL and token are saved, and never returns the token', async () => {
    const service = newService();
    expect(await call(service, { type: 'status', refresh: true })).toMatchObject({ state: 'not_configured', queue: { pending: 0, failed: 0 } });
    expect((await errorOf(call(service, { type: 'listUnits' }))).kind).toBe('not_configured');

    const view = await call(service, { type: 'saveSettings', apiUrl: `${api.url}/`, token: api.token });
    expect(view).toMatchObject({ apiUrl: api.url, hasToken: true, tokenHint: `…${api.token.slice(-4)}` });
    expect(JSON.stringify(view)).not.toContain(api.token);
    expect(await call(service, { type: 'status', refresh: true })).toMatchObject({ state: 'connected', organizationName: 'Test storage' });

    // An empty token keeps the stored one.
    await call(service, { type: 'saveSettings', apiUrl: api.url, token: '' });
    expect(await call(service, { type: 'testConnection' })).toMatchObject({ organization: { name: 'Test storage' }, tokenName: 'test', apiVersion: 'test' });
  });

  it('tests unsaved values and explains a wrong token, a wrong URL and an unreachable API', async () => {
    const service = await configured();
    const wrongToken = await errorOf(call(service, { type: 'testConnection', apiUrl: api.url, token: 'ab_not_a_real_token' }));
    expect(wrongToken).toMatchObject({ kind: 'unauthorized', status: 401 });

    const wrongPath = await errorOf(call(service, { type: 'testConnection', apiUrl: `${api.url}/v1` }));
    expect(wrongPath.kind).toBe('not_accessbridge');

    const other = await serveFake((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Welcome</h1>'));
    const otherUrl = other.url;
    expect((await errorOf(call(service, { type: 'testConnection', apiUrl: otherUrl }))).kind).toBe('not_accessbridge');
    await other.close();

    network.mode = 'down';
    const offline = await errorOf(call(service, { type: 'testConnection' }));
    expect(offline).toMatchObject({ kind: 'unreachable', originPermission: false });
    // The stored connection is now known to be unreachable; a test of other values did not touch it.
    expect(await call(service, { type: 'status', refresh: false })).toMatchObject({ state: 'unreachable' });
  });

  it('saves preferences, and forgets the location when the API or token changes', async () => {
    const service = await configured();
    const locationId = '5f0c2f57-8b43-4a53-9a39-27c5b1b0c7f1';
    expect(await call(service, { type: 'savePreferences', locationId, language: 'de' })).toMatchObject({ locationId, language: 'de', effectiveLanguage: 'de' });
    expect(await call(service, { type: 'status', refresh: false })).toMatchObject({ language: 'de' });
    expect(await call(service, { type: 'saveSettings', apiUrl: api.url, token: 'ab_other_token' })).toMatchObject({ locationId: null, language: 'de' });
  });

  it('lists locations through the API', async () => {
    const created = await api.json('POST', '/v1/locations', { name: 'North site' });
    expect(created.status).toBe(201);
    const service = await configured();
    expect((await call(service, { type: 'listLocations' })).items.map((l) => l.name)).toContain('North site');
  });
});

describe('units and mappings', () => {
  it('lists units, and serves the saved list (marked stale) while the API is unreachable', async () => {
    const service = await configured();
    const online = await call(service, { type: 'listUnits' });
    expect(online).toMatchObject({ total: 6, truncated: false, stale: false });
    expect(online.items.map((u) => u.name)).toEqual(['A-00', 'A-01', 'A-02', 'A-03', 'A-04', 'A-05']);

    network.mode = 'down';
    const offline = await call(service, { type: 'listUnits' });
    expect(offline).toMatchObject({ total: 6, stale: true });
    expect(offline.items).toEqual(online.items);

    // A different token may be another organization: its list is not served from the cache.
    await call(service, { type: 'saveSettings', apiUrl: api.url, token: 'ab_someone_else' });
    expect((await errorOf(call(service, { type: 'listUnits' }))).kind).toBe('unreachable');
  });

  it('maps a lock seen on the portal (recording the lock first) and reports the mapping', async () => {
    const service = await configured();
    const result = await call(service, save('U1000', 0));
    expect(result).toMatchObject({ status: 'saved', mapping: { unit: { externalId: 'U1000' }, lock: { id: LOCKS[0], source: 'captured', title: 'Unit A-00' } } });
    expect(await mappingOf(0)).toEqual({ unit: 'U1000', lockTitle: 'Unit A-00' });
    expect(await call(service, { type: 'getMappingForLock', lockId: LOCKS[0]! })).toMatchObject({ mapping: { unit: { name: 'A-00' } }, stale: false, queued: null });
  });

  it('returns a conflict with who holds the unit, and replaces on request', async () => {
    const service = await configured();
    await call(service, save('U1001', 1));
    const conflict = await errorOf(call(service, save('U1001', 2)));
    expect(conflict).toMatchObject({ kind: 'api', status: 409, code: 'conflict', conflict: { unitMappedTo: { lockId: LOCKS[1] }, lockMappedTo: null } });
    expect(await call(service, save('U1001', 2, true))).toMatchObject({ status: 'saved' });
    expect(await mappingOf(2)).toMatchObject({ unit: 'U1001' });
    expect(await mappingOf(1)).toBeNull();
  });

  it('captures locks and reports new and known counts', async () => {
    const service = await configured();
    const locks = [3, 4].map((i) => ({ id: LOCKS[i]!, ...lockInfo(i) }));
    expect(await call(service, { type: 'captureLocks', locks })).toEqual({ status: 'saved', created: 2, updated: 0, unchanged: 0 });
    expect(await call(service, { type: 'captureLocks', locks })).toEqual({ status: 'saved', created: 0, updated: 0, unchanged: 2 });
  });
});

describe('offline queue', () => {
  it('queues mutations while the API is down and replays them in order after a service-worker restart', async () => {
    const service = await configured();
    network.mode = 'down';
    expect(await call(service, save('U1003', 5))).toMatchObject({ status: 'queued' });
    // Changed their mind: the later choice must win, so order matters.
    expect(await call(service, save('U1004', 5, true))).toMatchObject({ status: 'queued' });
    const capture = { type: 'captureLocks' as const, locks: [{ id: LOCKS[3]!, title: 'Unit A-03 (renamed)', pageUrl: 'https://my.tapkey.com/x' }] };
    expect(await call(service, capture)).toMatchObject({ status: 'queued' });
    // Viewing the same lock again does not pile up identical captures.
    const again = await call(service, capture);
    expect((await call(service, { type: 'listQueue' })).counts).toEqual({ pending: 3, failed: 0 });
    expect(again).toMatchObject({ status: 'queued' });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('3');
    expect(await call(service, { type: 'getMappingForLock', lockId: LOCKS[5]! })).toMatchObject({ mapping: null, stale: true, queued: { unitExternalId: 'U1004' } });
    expect(await call(service, { type: 'status', refresh: false })).toMatchObject({ state: 'unreachable', queue: { pending: 3 } });

    // The worker is stopped and started again; only storage is left. The alarm fires.
    network.mode = 'up';
    const restarted = newService();
    await restarted.replayIfPending();
    expect(await mappingOf(5)).toMatchObject({ unit: 'U1004' });
    expect((await api.json('GET', `/v1/locks/${LOCKS[3]}`)).body.title).toBe('Unit A-03 (renamed)');
    expect((await call(restarted, { type: 'listQueue' })).items).toEqual([]);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    expect(await call(restarted, { type: 'status', refresh: false })).toMatchObject({ state: 'connected' });
  });

  it('treats 5xx after retries like an outage, and replays on the next successful call', async () => {
    const service = await configured();
    network.mode = '503';
    network.requests = 0;
    expect(await call(service, save('U1002', 4))).toMatchObject({ status: 'queued' });
    expect(network.requests).toBe(2); // the first try and one retry (client configured with retries: 1)

    network.mode = 'up';
    await call(service, { type: 'listUnits' });
    await vi.waitFor(async () => expect(await mappingOf(4)).toMatchObject({ unit: 'U1002' }));
    expect((await call(service, { type: 'listQueue' })).counts).toEqual({ pending: 0, failed: 0 });
  });

  it('keeps items the API refuses on replay as failed and visible; retry after fixing, or discard', async () => {
    const service = await configured();
    network.mode = 'down';
    await call(service, save('U9999', 3));
    await call(service, save('U9998', 3));
    network.mode = 'up';
    const after = await call(service, { type: 'replayQueue' });
    expect(after.counts).toEqual({ pending: 0, failed: 2 });
    // Two attempts: one while still offline (before the second change was queued), one now.
    expect(after.items[0]).toMatchObject({ state: 'failed', attempts: 2, lastError: { status: 404, code: 'not_found' }, op: { kind: 'saveMapping', unitExternalId: 'U9999' } });
    expect(after.items[0]!.lastError!.message).toMatch(/U9999/);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('2');
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual([179, 38, 30, 255]);

    // The unit appears in the manager; retrying now succeeds. The other one is dropped.
    await api.json('PUT', '/v1/units/U9999', { name: 'Z-99' });
    const retried = await call(service, { type: 'retryQueueItem', id: after.items[0]!.id });
    expect(retried.counts).toEqual({ pending: 0, failed: 1 });
    expect(await mappingOf(3)).toMatchObject({ unit: 'U9999' });
    const discarded = await call(service, { type: 'discardQueueItem', id: retried.items[0]!.id });
    expect(discarded).toEqual({ items: [], counts: { pending: 0, failed: 0 } });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });

  it('does not queue when the token is wrong: the user has to fix it', async () => {
    const service = newService();
    await call(service, { type: 'saveSettings', apiUrl: api.url, token: 'ab_revoked' });
    expect(await errorOf(call(service, save('U1000', 0)))).toMatchObject({ kind: 'unauthorized' });
    expect((await call(service, { type: 'listQueue' })).counts).toEqual({ pending: 0, failed: 0 });
    expect(await call(service, { type: 'status', refresh: false })).toMatchObject({ state: 'unauthorized' });
  });
});

describe('service worker entry', () => {
  const extensionPage = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html'), tab: { id: 1 } });
  const portalTab = { id: 'test-extension-id', url: `https://my.tapkey.com/#/locks/${LOCKS[0]}`, tab: { id: 9 } };

  async function start() {
    const { default: background } = await import('../../entrypoints/background/index.ts');
    fakeBrowser.runtime.getManifest = () =>
      ({ manifest_version: 3, name: 'AccessBridge', version: '9.9.9', content_scripts: [{ matches: ['https://my.tapkey.com/*'], js: ['content-scripts/tapkey.js'] }] }) as never;
    const executeScript = vi.fn(async () => []);
    const query = vi.fn(async () => [{ id: 41 }, { id: 42 }]);
    // Host permissions the user granted in the options page, and scripts registered so far.
    const granted = new Set<string>();
    let registered: { id: string; matches?: string[]; js?: string[] }[] = [];
    const scripting = {
      executeScript,
      getRegisteredContentScripts: vi.fn(async ({ ids }: { ids: string[] }) => registered.filter((s) => ids.includes(s.id))),
      registerContentScripts: vi.fn(async (scripts: typeof registered) => void registered.push(...scripts)),
      updateContentScripts: vi.fn(async (scripts: typeof registered) => void (registered = registered.map((r) => scripts.find((s) => s.id === r.id) ?? r))),
      unregisterContentScripts: vi.fn(async ({ ids }: { ids: string[] }) => void (registered = registered.filter((r) => !ids.includes(r.id)))),
    };
    Object.assign(fakeBrowser, {
      permissions: {
        contains: vi.fn(async ({ origins }: { origins: string[] }) => origins.every((o) => granted.has(o))),
        remove: vi.fn(async ({ origins }: { origins: string[] }) => origins.every((o) => granted.delete(o))),
        onAdded: { addListener: vi.fn() },
        onRemoved: { addListener: vi.fn() },
      },
      scripting,
    });
    fakeBrowser.tabs.query = query as never;
    background.main();
    return { executeScript, query, granted, scripting, registered: () => registered };
  }

  /** Delivers a message the way the browser does: (message, sender, sendResponse). */
  function ask(message: unknown, sender: object) {
    const trigger = fakeBrowser.runtime.onMessage.trigger as unknown as (...args: unknown[]) => Promise<unknown>;
    return new Promise((resolve) => void trigger(message, sender, resolve));
  }

  it('answers our pages, refuses other extensions and web pages, and keeps content scripts to their operations', async () => {
    await start();
    expect(await ask({ type: 'ping' }, extensionPage())).toEqual({ ok: true, data: { pong: true, version: '9.9.9' } });
    expect(await ask({ type: 'ping' }, { id: 'another-extension', url: 'chrome-extension://another-extension/x.html' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await ask({ type: 'ping' }, { url: 'https://evil.example/', tab: { id: 3 } })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await ask({ type: 'status' }, portalTab)).toMatchObject({ ok: true, data: { state: 'not_configured' } });
    expect(await ask({ type: 'getSettings' }, portalTab)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await ask({ type: 'testConnection', apiUrl: 'https://evil.example' }, portalTab)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });

  it('injects the portal script into open portal tabs on install', async () => {
    const { executeScript, query } = await start();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' } as never);
    await vi.waitFor(() => expect(executeScript).toHaveBeenCalledTimes(2));
    expect(query).toHaveBeenCalledWith({ url: ['https://my.tapkey.com/*'] });
    expect(executeScript).toHaveBeenCalledWith({ target: { tabId: 41 }, files: ['content-scripts/tapkey.js'] });
  });

  it('runs the portal script on origins the user added once the permission is granted, and stops on removal', async () => {
    const { granted, registered, executeScript } = await start();
    const sandbox = { id: fakeBrowser.runtime.id, url: 'http://127.0.0.1:4000/owners/1/locks', tab: { id: 5 } };
    expect(await ask({ type: 'listUnits' }, sandbox)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });

    // Without the permission (the user said no to the prompt), nothing is registered.
    expect(await ask({ type: 'addPortalOrigin', origin: 'http://127.0.0.1:4000' }, extensionPage())).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(registered()).toEqual([]);

    granted.add('http://127.0.0.1:4000/*');
    expect(await ask({ type: 'addPortalOrigin', origin: 'http://127.0.0.1:4000/owners/1' }, extensionPage())).toMatchObject({ ok: true, data: { portalOrigins: ['http://127.0.0.1:4000'] } });
    expect(registered()).toEqual([{ id: 'tapkey-portal-extra-origins', matches: ['http://127.0.0.1:4000/*'], js: ['content-scripts/tapkey.js'], runAt: 'document_idle' }]);
    expect(executeScript).toHaveBeenCalled();
    // Its pages now count as portal pages: the narrow content-script operations only.
    expect(await ask({ type: 'status' }, sandbox)).toMatchObject({ ok: true });
    expect(await ask({ type: 'getSettings' }, sandbox)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });

    expect(await ask({ type: 'removePortalOrigin', origin: 'http://127.0.0.1:4000' }, extensionPage())).toMatchObject({ ok: true, data: { portalOrigins: [] } });
    expect(registered()).toEqual([]);
    expect(granted.size).toBe(0);
    expect(await ask({ type: 'status' }, sandbox)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });

  it('keeps a one-minute replay alarm that sends what was queued', async () => {
    // Queued by an earlier worker while the API was down.
    const earlier = newService();
    await call(earlier, { type: 'saveSettings', apiUrl: api.url, token: api.token });
    network.mode = 'down';
    expect(await call(earlier, save('U1005', 1, true))).toMatchObject({ status: 'queued' });
    // The API moved to an address that does not answer yet: the start-up replay cannot send it.
    await call(earlier, { type: 'saveSettings', apiUrl: 'http://127.0.0.1:9', token: api.token });

    await start();
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get('replay-queue')).toMatchObject({ periodInMinutes: 1 }));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');

    await call(earlier, { type: 'saveSettings', apiUrl: api.url, token: api.token });
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'replay-queue', scheduledTime: Date.now() });
    await vi.waitFor(async () => expect(await mappingOf(1)).toMatchObject({ unit: 'U1005' }));
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe(''));
  });
});
