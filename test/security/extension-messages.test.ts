/**
 * The extension background as an attack surface: who may ask it for what. Adds to
 * test/ext/messages.test.ts (sender classification basics) and test/ext/background.test.ts
 * (the entry answers our pages): the full matrix of every message type × every kind of
 * sender, origins that only look like a permitted one, messages that fail validation, fields
 * smuggled past the schema, and attempts to get the token or settings out, through the real
 * background entry. Plus a static check that no content script can reach stored settings.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  contentScriptTypes,
  createMessageRouter,
  keycafeDialogTypes,
  managerScriptTypes,
  messageSchemas,
  type Handlers,
  type MessageType,
  type SenderLike,
  type SenderPolicy,
} from '../../lib/messages.ts';
import { createBackgroundService } from '../../entrypoints/background/service.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
const PORTAL = 'https://my.tapkey.com';
const MANAGER = 'https://manager.example.com';
const LOCK = 'ea610634-4fc0-4084-85b2-bebf52c3595f';
const policy: SenderPolicy = {
  extensionId: EXT_ID,
  extensionOrigin: `chrome-extension://${EXT_ID}`,
  contentScriptOrigins: [PORTAL],
  managerOrigins: [MANAGER],
};

const senders: Record<string, SenderLike> = {
  extensionPage: { id: EXT_ID, url: `chrome-extension://${EXT_ID}/options.html` },
  portalScript: { id: EXT_ID, url: `${PORTAL}/#/owners/1/locks/${LOCK}`, tab: { id: 7 } },
  managerScript: { id: EXT_ID, url: `${MANAGER}/units/U1000`, tab: { id: 8 } },
  otherExtension: { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/bg.html' },
  otherExtensionPosingAsOurPage: { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: `chrome-extension://${EXT_ID}/options.html` },
  webPage: { url: 'https://evil.example/', tab: { id: 3 }, origin: 'https://evil.example' },
  webPageClaimingOurId: { id: EXT_ID, url: 'https://evil.example/', tab: { id: 3 } },
};

/** URLs our content script could be running at that are NOT a permitted origin. */
const lookalikes = [
  'https://my.tapkey.com.evil.example/locks',
  'https://evil.example/https://my.tapkey.com/',
  'https://my.tapkey.com@evil.example/',
  'https://my.tapkey.com:8443/',
  'http://my.tapkey.com/',
  'https://manager.example.com.evil.example/units/1',
  'http://manager.example.com/units/1',
  'blob:https://my.tapkey.com/6f1b2c9e-1111-4222-8333-944455556666',
  'data:text/html,<h1>my.tapkey.com</h1>',
  'file:///home/user/my.tapkey.com.html',
  'about:blank',
  'javascript:alert(1)',
  'not a url',
];

/** One valid example of every message type, so a refusal is about the sender, not the body. */
const examples: Record<MessageType, unknown> = {
  ping: {},
  status: {},
  listUnits: {},
  getMappingForLock: { lockId: LOCK },
  saveMapping: { unitExternalId: 'U1', lockId: LOCK },
  captureLocks: { locks: [{ id: LOCK, title: 'A', pageUrl: `${PORTAL}/x` }] },
  knownLocks: { ids: [LOCK] },
  getSettings: {},
  saveSettings: { apiUrl: 'https://evil.example' },
  savePreferences: { language: 'de' },
  testConnection: { apiUrl: 'https://evil.example', token: 'ab_x' },
  listLocations: {},
  listQueue: {},
  replayQueue: {},
  retryQueueItem: { id: 'x' },
  discardQueueItem: { id: 'x' },
  addPortalOrigin: { origin: 'https://evil.example' },
  removePortalOrigin: { origin: PORTAL },
  listSiteProfiles: {},
  saveSiteProfile: { profile: { id: 'evil' } },
  removeSiteProfile: { id: 'demo' },
  grantSiteProfile: { id: 'evil' },
  revokeSiteProfile: { id: 'demo' },
  previewSiteProfile: { profile: { id: 'evil' } },
  demoManagerOrigin: {},
  guessSiteProfile: { origin: 'https://evil.example' },
  exportMappingFile: { what: 'mappings', format: 'csv' },
  importMappingFile: { fileName: 'x.csv', base64: 'QQ==', dryRun: false },
  managerPage: {},
  managerDialogs: {},
  portalPage: {},
  portalDialogs: {},
  upsertUnit: { unit: { externalId: 'U1', name: 'A', location: null } },
  unitMapping: { unitExternalId: 'U1' },
  listLocks: {},
  unmapUnit: { unitExternalId: 'U1' },
  pushBooking: {
    booking: { externalId: 'B1', unitExternalId: 'U1', tenantName: null, tenantEmail: null, tenantPhone: null, moveIn: '2026-01-01', moveOut: null, state: null },
  },
  captureBookings: {
    bookings: [{ externalId: 'B1', unitExternalId: 'U1', tenantEmail: null, tenantPhone: null, moveIn: '2026-01-01', moveOut: null, state: null }],
  },
  revokeBookingAccess: { externalId: 'B1' },
  restoreBookingAccess: { externalId: 'B1' },
  setBookingSync: { externalId: 'B1', syncEnabled: true },
  bookingAccess: { externalId: 'B1' },
  keycafeAccounts: {},
  keycafeKeys: { search: 'unit' },
  keycafeBookings: { keyId: '10001' },
  keycafeBooking: { id: '6f1b2c9e-1111-4222-8333-944455556666' },
  keycafeBook: { input: { locationId: '6f1b2c9e-1111-4222-8333-944455556666', keyIds: ['10001'], recipient: { email: 'v@example.com' }, type: 'ongoing' }, requestKey: 'request-key-1' },
  keycafeCancel: { id: '6f1b2c9e-1111-4222-8333-944455556666' },
  keycafeRetry: { id: '6f1b2c9e-1111-4222-8333-944455556666' },
  popupRecent: {},
  mappingProposal: { locationId: '6f1b2c9e-1111-4222-8333-944455556666' },
  mappingProposalFile: { locationId: '6f1b2c9e-1111-4222-8333-944455556666', format: 'csv' },
  applyMappingProposal: { locationId: '6f1b2c9e-1111-4222-8333-944455556666', rows: [{ unitId: '6f1b2c9e-1111-4222-8333-944455556666', lockId: LOCK }], dryRun: false },
  // The admin page (lib/admin-messages.ts): extension pages only.
  adminLocations: {},
  adminSaveLocation: { name: 'Evil', timeZone: 'UTC' },
  adminDeleteLocation: { id: '6f1b2c9e-1111-4222-8333-944455556666' },
  adminTapkeyOwners: { locationId: '6f1b2c9e-1111-4222-8333-944455556666', clientId: 'c', clientSecret: 's' },
  adminSaveTapkey: { locationIds: ['6f1b2c9e-1111-4222-8333-944455556666'], clientId: 'c', clientSecret: 's', ownerAccountId: 'o' },
  adminTestTapkey: { locationId: '6f1b2c9e-1111-4222-8333-944455556666' },
  adminSaveKeycafe: { locationId: '6f1b2c9e-1111-4222-8333-944455556666', accountEmail: 'a@example.com', apiToken: 't' },
  adminTestKeycafe: { locationId: '6f1b2c9e-1111-4222-8333-944455556666' },
  adminSaveSyncMode: { locationId: '6f1b2c9e-1111-4222-8333-944455556666', syncMode: 'full', triggers: ['booking_creation'] },
  adminImportLocks: { locationId: '6f1b2c9e-1111-4222-8333-944455556666' },
  adminLocks: { locationId: '6f1b2c9e-1111-4222-8333-944455556666' },
  adminStartSync: { locationId: '6f1b2c9e-1111-4222-8333-944455556666' },
  adminLatestSync: { locationId: '6f1b2c9e-1111-4222-8333-944455556666' },
  adminSyncRun: { runId: '6f1b2c9e-1111-4222-8333-944455556666' },
  adminRevokeGrants: { runId: '6f1b2c9e-1111-4222-8333-944455556666', tapkeyGrantIds: ['g1'] },
  adminBookings: { locationId: '6f1b2c9e-1111-4222-8333-944455556666' },
  adminNotices: { bookingExternalId: 'B1', lang: 'de' },
  adminHealth: { locationId: '6f1b2c9e-1111-4222-8333-944455556666' },
  adminRetryGrant: { bookingExternalId: 'B1' },
  adminAudit: {},
  keycafeConnections: {},
  keycafeTestConnection: { locationId: '6f1b2c9e-1111-4222-8333-944455556666' },
  keycafeSaveConnection: { locationId: '6f1b2c9e-1111-4222-8333-944455556666', accountEmail: 'a@example.com' },
};

/**
 * What each sender may ask for. Anything that reads or changes settings, the token, the queue,
 * site profiles or files is for extension pages only. Manager pages open the Keycafe booking
 * dialog, so their script may book, list, cancel and retry Keycafe access.
 */
const allowed: Record<string, (t: MessageType) => boolean> = {
  extensionPage: () => true,
  portalScript: (t) => ['ping', 'status', 'portalPage', 'portalDialogs', 'listUnits', 'getMappingForLock', 'saveMapping', 'captureLocks', 'knownLocks'].includes(t),
  managerScript: (t) =>
    ['ping', 'status', 'managerPage', 'managerDialogs', 'upsertUnit', 'unitMapping', 'listLocks', 'saveMapping', 'unmapUnit', 'pushBooking', 'captureBookings', 'bookingAccess', 'revokeBookingAccess', 'restoreBookingAccess', 'setBookingSync'].includes(t) ||
    // The Keycafe booking dialog opens on manager booking pages.
    ['keycafeAccounts', 'keycafeKeys', 'keycafeBookings', 'keycafeBooking', 'keycafeBook', 'keycafeCancel', 'keycafeRetry'].includes(t),
};
const extensionPageOnly: MessageType[] = [
  'getSettings',
  'saveSettings',
  'savePreferences',
  'testConnection',
  'listQueue',
  'replayQueue',
  'retryQueueItem',
  'discardQueueItem',
  'addPortalOrigin',
  'removePortalOrigin',
  'listSiteProfiles',
  'saveSiteProfile',
  'removeSiteProfile',
  'grantSiteProfile',
  'revokeSiteProfile',
  'previewSiteProfile',
  'exportMappingFile',
  'importMappingFile',
  'popupRecent',
  'adminLocations',
  'adminSaveLocation',
  'adminDeleteLocation',
  'adminTapkeyOwners',
  'adminSaveTapkey',
  'adminTestTapkey',
  'adminSaveKeycafe',
  'adminTestKeycafe',
  'adminSaveSyncMode',
  'adminImportLocks',
  'adminLocks',
  'adminStartSync',
  'adminLatestSync',
  'adminSyncRun',
  'adminRevokeGrants',
  'adminBookings',
  'adminNotices',
  'adminHealth',
  'adminRetryGrant',
  'adminAudit',
];

function routerWithSpy() {
  const calls: { type: string; message: unknown }[] = [];
  const handlers = new Proxy({} as Handlers, {
    get: (_, type: string) => async (message: unknown) => {
      calls.push({ type, message });
      return { handled: type };
    },
  });
  const router = createMessageRouter({ handlers, policy: async () => policy, toError: (e) => ({ kind: 'internal', message: String(e), fieldErrors: [] }) });
  return { router, calls };
}

describe('who may ask the background for what', () => {
  it('has an example for every message type (a new type must be placed in this matrix)', () => {
    expect(Object.keys(examples).sort()).toEqual(Object.keys(messageSchemas).sort());
    for (const [type, example] of Object.entries(examples))
      expect(messageSchemas[type as MessageType].safeParse({ type, ...(example as object) }).success, type).toBe(true);
  });

  it('the allow-lists of lib/messages.ts are exactly the ones this test expects', () => {
    const types = Object.keys(messageSchemas) as MessageType[];
    expect(types.filter((t) => contentScriptTypes.has(t)).sort()).toEqual(types.filter(allowed.portalScript!).sort());
    expect(types.filter((t) => managerScriptTypes.has(t) || keycafeDialogTypes.has(t)).sort()).toEqual(types.filter(allowed.managerScript!).sort());
    for (const t of extensionPageOnly) expect(contentScriptTypes.has(t) || managerScriptTypes.has(t) || keycafeDialogTypes.has(t), t).toBe(false);
  });

  it('every message type × every sender: only permitted pairs reach a handler', async () => {
    const { router, calls } = routerWithSpy();
    for (const [who, sender] of Object.entries(senders))
      for (const [type, example] of Object.entries(examples)) {
        const reply = await router({ type, ...(example as object) }, sender);
        const permitted = allowed[who]?.(type as MessageType) ?? false;
        expect(reply.ok, `${who} → ${type}`).toBe(permitted);
        if (!permitted) expect(reply, `${who} → ${type}`).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      }
    const reached = new Set(calls.map((c) => c.type));
    for (const t of extensionPageOnly) expect(calls.filter((c) => c.type === t).length, t).toBe(1);
    expect(reached.size).toBe(Object.keys(examples).length);
  });

  it.each(lookalikes)('our own content script on %s gets nothing, not even ping', async (url) => {
    const { router, calls } = routerWithSpy();
    for (const type of ['ping', 'status', 'saveMapping', 'captureLocks', 'pushBooking', 'getSettings'] as const)
      expect(await router({ type, ...(examples[type] as object) }, { id: EXT_ID, url, tab: { id: 5 } })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('refuses a sender before reading its message (an invalid message from a stranger is still "forbidden")', async () => {
    const { router } = routerWithSpy();
    expect(await router({ type: 'getSettings', junk: 'x'.repeat(100_000) }, senders.webPage!)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await router(null, senders.otherExtension!)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });
});

describe('messages that fail validation never reach a handler', () => {
  const invalid: [string, unknown][] = [
    ['null', null],
    ['a number', 42],
    ['an array', [{ type: 'ping' }]],
    ['a type in another case', { type: 'Ping' }],
    ['a type with a prototype name', { type: '__proto__' }],
    ['a type inherited from Object', { type: 'toString' }],
    ['a lock ID that is not a UUID', { type: 'getMappingForLock', lockId: "1' OR '1'='1" }],
    ['more than 1,000 locks', { type: 'captureLocks', locks: Array.from({ length: 1001 }, () => ({ id: LOCK, title: 'x', pageUrl: `${PORTAL}/` })) }],
    ['a title longer than 200 characters', { type: 'captureLocks', locks: [{ id: LOCK, title: 'x'.repeat(201), pageUrl: `${PORTAL}/` }] }],
    ['a javascript: page URL', { type: 'saveMapping', unitExternalId: 'U1', lockId: LOCK, lock: { title: 'x', pageUrl: 'javascript:alert(document.cookie)' } }],
    ['a data: page URL', { type: 'captureLocks', locks: [{ id: LOCK, title: 'x', pageUrl: 'data:text/html,<script>alert(1)</script>' }] }],
    ['a unit id of 201 characters', { type: 'saveMapping', unitExternalId: 'U'.repeat(201), lockId: LOCK }],
    ['replace as a string', { type: 'saveMapping', unitExternalId: 'U1', lockId: LOCK, replace: 'true' }],
    ['a booking email that is not one', { ...(examples.pushBooking as object), type: 'pushBooking', booking: { ...(examples.pushBooking as any).booking, tenantEmail: '<img src=x>' } }],
    ['a date that is not ISO', { ...(examples.pushBooking as object), type: 'pushBooking', booking: { ...(examples.pushBooking as any).booking, moveIn: '01.01.2026' } }],
  ];

  it.each(invalid)('%s → bad_message', async (_, message) => {
    const { router, calls } = routerWithSpy();
    const sender = (message as { type?: string } | null)?.type === 'pushBooking' ? senders.managerScript! : senders.portalScript!;
    expect(await router(message, sender)).toMatchObject({ ok: false, error: { kind: 'bad_message' } });
    expect(calls).toEqual([]);
  });

  it('fields smuggled next to a permitted message are dropped before the handler sees it', async () => {
    const { router, calls } = routerWithSpy();
    const smuggled = { type: 'saveMapping', unitExternalId: 'U1', lockId: LOCK, token: 'ab_stolen', apiUrl: 'https://evil.example', kind: 'extension-page' };
    expect((await router(smuggled, senders.portalScript!)).ok).toBe(true);
    expect(calls).toEqual([{ type: 'saveMapping', message: { type: 'saveMapping', unitExternalId: 'U1', lockId: LOCK, replace: false } }]);
  });

  it('a __proto__ key in a message pollutes nothing', async () => {
    const { router } = routerWithSpy();
    await router(JSON.parse(`{"type":"status","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted2":true}}}`), senders.portalScript!);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted2).toBeUndefined();
  });
});

describe('the token never leaves the background', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());
  beforeEach(() => fakeBrowser.reset());

  it('no answer to any sender, for any message, contains the stored token', async () => {
    const service = createBackgroundService({ version: 'test', client: { retries: 0, retryDelay: () => 0, timeoutMs: 5000 } });
    const token = api.token;
    await service.handlers.saveSettings({ type: 'saveSettings', apiUrl: api.url, token }, { kind: 'extension-page', url: senders.extensionPage!.url! });
    const router = createMessageRouter({
      // Handlers of other areas missing here answer an internal error: still no token.
      handlers: service.handlers as unknown as Handlers,
      policy: async () => policy,
      toError: (e) => ({ kind: 'internal', message: e instanceof Error ? e.message : String(e), fieldErrors: [] }),
    });
    for (const [who, sender] of Object.entries(senders))
      for (const [type, example] of Object.entries(examples)) {
        // Changing settings or the queue would only disturb the following calls.
        if (who === 'extensionPage' && ['saveSettings', 'testConnection', 'addPortalOrigin', 'removePortalOrigin', 'grantSiteProfile', 'revokeSiteProfile'].includes(type)) continue;
        const reply = await Promise.race([router({ type, ...(example as object) }, sender), new Promise((r) => setTimeout(() => r('timeout'), 5000))]);
        const text = JSON.stringify(reply) ?? '';
        expect(text, `${who} → ${type}`).not.toContain(token);
        expect(text, `${who} → ${type}`).not.toContain(token.slice(3, 20));
      }
    // The settings view names the token only by its last characters.
    const view = await service.handlers.getSettings({ type: 'getSettings' }, { kind: 'extension-page', url: senders.extensionPage!.url! });
    expect(view).toMatchObject({ hasToken: true, tokenHint: `…${token.slice(-4)}` });
  }, 60_000);
});

describe('content scripts cannot reach stored settings', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

  /** Every local module a file imports, transitively. */
  function importGraph(entry: string): string[] {
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"](\.[^'"]+)['"]/g)) {
        const spec = m[1] ?? m[2] ?? m[3]!;
        const target = resolve(dirname(file), spec);
        const candidates = [target, `${target}.ts`, `${target}.tsx`, join(target, 'index.ts'), join(target, 'index.tsx')];
        const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
        if (found && /\.tsx?$/.test(found)) walk(found);
      }
    };
    walk(entry);
    return [...seen].map((f) => relative(root, f));
  }

  const contentEntries = readdirSync(join(root, 'entrypoints'))
    .filter((name) => /\.content(\.tsx?)?$/.test(name))
    .map((name) => {
      const dir = join(root, 'entrypoints', name);
      return statSync(dir).isDirectory() ? ['index.tsx', 'index.ts'].map((f) => join(dir, f)).find(existsSync)! : dir;
    });

  it('finds the content scripts', () => {
    expect(contentEntries.length).toBeGreaterThan(0);
  });

  it.each(contentEntries.map((e) => [relative(root, e)]))('%s imports nothing of the background and never touches extension storage', (entry) => {
    const files = importGraph(join(root, entry));
    expect(files.filter((f) => f.startsWith('entrypoints/background/'))).toEqual([]);
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      expect(text, f).not.toMatch(/wxt\/utils\/storage|browser\.storage|chrome\.storage|apiSettings/);
    }
  });

  it('the token is stored only by the background, in storage.local', () => {
    const settings = readFileSync(join(root, 'lib/storage.ts'), 'utf8');
    expect(settings).toMatch(/defineItem<ApiSettings>\('local:apiSettings'/);
  });
});
