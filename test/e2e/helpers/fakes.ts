/**
 * The setup the flow-through E2E tests (admin.test.ts, manager.test.ts, manager-corpus.test.ts)
 * share: the provider fakes one by one, so a test can reach into their state; the API pointed
 * at them; the portal fake served as https://my.tapkey.com; then Chromium with a copy of the
 * build that holds the sandbox host as granted (granted-build.ts says why) and the API entered
 * in options.
 */
// api.ts first: serve.ts extends zod for OpenAPI before any schema is created.
import { startE2eApi, type E2eApi } from './api.ts';
import type { Page } from 'playwright-core';
import { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN, startKeycafeSandbox, type KeycafeSandbox } from '../../../sandbox/keycafe/index.ts';
import { startManagerSandbox, type ManagerSandbox } from '../../../sandbox/manager/index.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, startTapkeySandbox, type TapkeySandbox } from '../../../sandbox/tapkey-api/index.ts';
import { configureApi, launchWithExtension, type ExtensionBrowser } from './extension.ts';
import { buildWithHostPermissions, type GrantedBuild } from './granted-build.ts';
import { servePortalAsTapkey, type PortalAsTapkey } from './portal.ts';

/** The sandbox's host (every fake listens on 127.0.0.1), as the test build grants it. */
export const SANDBOX_HOST = 'http://127.0.0.1/*';

export interface FakesWithApi {
  api: E2eApi;
  tapkey: TapkeySandbox;
  keycafe: KeycafeSandbox;
  manager: ManagerSandbox;
  portal: PortalAsTapkey;
  close(): Promise<void>;
}

/** Every provider fake and the portal, and the API (outbox worker on) pointed at them: a fresh organization, nothing seeded. */
export async function startFakesWithApi(): Promise<FakesWithApi> {
  const tapkey = await startTapkeySandbox();
  const keycafe = await startKeycafeSandbox();
  const manager = await startManagerSandbox();
  const portal = await servePortalAsTapkey();
  const api = await startE2eApi({ worker: true, sandboxUrls: { tapkeyApi: tapkey.url, keycafeApi: keycafe.url, manager: manager.url } });
  return {
    api,
    tapkey,
    keycafe,
    manager,
    portal,
    async close() {
      await api.close();
      await portal.close();
      await manager.close();
      await tapkey.close();
      await keycafe.close();
    },
  };
}

/**
 * "Berlin Mitte" connected to the sandbox Tapkey in full sync mode with its locks imported
 * (and to the sandbox Keycafe when asked), as an admin would set it up; its id.
 */
export async function berlinMitteOnSandbox(api: E2eApi, opts: { keycafe?: boolean } = {}): Promise<string> {
  const location = await api.json('POST', '/v1/locations', {
    name: 'Berlin Mitte',
    timeZone: 'Europe/Berlin',
    tapkey: { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, ownerAccountId: SANDBOX_OWNER_ID, syncMode: 'full' },
    ...(opts.keycafe ? { keycafe: { accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: DEMO_KEYCAFE_TOKEN } } : {}),
  });
  if (location.status !== 201) throw new Error(`could not create the location: ${JSON.stringify(location.body)}`);
  const imported = await api.json('POST', `/v1/locations/${location.body.id}/tapkey/import-locks`);
  if (imported.status !== 200) throw new Error(`could not import the locks: ${JSON.stringify(imported.body)}`);
  return location.body.id as string;
}

export interface GrantedBrowser {
  build: GrantedBuild;
  browser: ExtensionBrowser;
  /** The options page, connected to the API. */
  options: Page;
  close(): Promise<void>;
}

/**
 * Chromium with a copy of the build granted the sandbox host (`need`: the build files the test
 * relies on), the API entered in options; with `portal`, https://my.tapkey.com is the portal fake.
 */
export async function launchGranted(api: E2eApi, need: string[], portal?: PortalAsTapkey): Promise<GrantedBrowser> {
  const build = await buildWithHostPermissions([SANDBOX_HOST], need);
  const browser = await launchWithExtension({ extensionPath: build.path, ...(portal ? { hostRules: [portal.hostRule], ignoreCertificateErrors: true } : {}) });
  const options = await configureApi(browser, api);
  return {
    build,
    browser,
    options,
    async close() {
      await browser.close();
      build.remove();
    },
  };
}
