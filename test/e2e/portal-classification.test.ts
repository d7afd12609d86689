/**
 * The portal's own pages are not lock pages, in real Chromium with the built extension and the
 * fake portal served as my.tapkey.com: the locking system's settings page and a user page
 * carry UUIDs (the owner account's, the user's) but get no "Map to Tapkey lock" and are never
 * recorded as captured locks; a lock page still is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLocks, demoUnits } from '../../sandbox/demo-data.ts';
import { startE2eApi, type E2eApi } from './helpers/api.ts';
import { configureApi, launchWithExtension, type ExtensionBrowser } from './helpers/extension.ts';
import { buildWithHostPermissions, type GrantedBuild } from './helpers/granted-build.ts';
import { servePortalAsTapkey, type PortalAsTapkey } from './helpers/portal.ts';

const USER = '5c1d2e3f-4a5b-4c6d-8e7f-90a1b2c3d4e5';
let api: E2eApi;
let portal: PortalAsTapkey;
let browser: ExtensionBrowser;
let build: GrantedBuild;

beforeAll(async () => {
  api = await startE2eApi();
  portal = await servePortalAsTapkey();
  // No extra host; the copy's UI roots are open for the locators (see granted-build.ts).
  build = await buildWithHostPermissions([]);
  browser = await launchWithExtension({ extensionPath: build.path, hostRules: [portal.hostRule], ignoreCertificateErrors: true });
  await (await configureApi(browser, api)).close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  build?.remove();
  await portal?.close();
  await api?.close();
});

describe('portal page classification in Chromium', () => {
  it('takes neither the settings page nor a user page for a lock; a lock page still is one', async () => {
    const page = await browser.context.newPage();
    const owner = portal.ownerId;
    await page.goto(portal.at(`/owners/${owner}/settings`));
    await page.getByRole('heading', { level: 1, name: 'Locking System Settings' }).waitFor();
    await page.getByText(owner).waitFor();
    await page.goto(portal.at(`/owners/${owner}/users/${USER}`));
    await page.getByRole('heading', { level: 1, name: 'User' }).waitFor();
    // Then a real lock page: the control appears there, so the script is running.
    const lock = demoLocks(demoUnits())[0]!;
    await page.goto(portal.at(portal.lockPath(lock.id)));
    await page.getByRole('button', { name: 'Map to Tapkey lock' }).waitFor();
    const captured = async () => (await api.json('GET', '/v1/locks?limit=500')).body.items.map((l: { id: string }) => l.id) as string[];
    await expect.poll(captured, { timeout: 10_000 }).toContain(lock.id);
    const ids = await captured();
    expect(ids).not.toContain(owner.toLowerCase());
    expect(ids).not.toContain(USER);

    // Back on the settings page (SPA-style, no reload): still no control.
    await page.goto(portal.at(`/owners/${owner}/settings`));
    await page.getByRole('heading', { level: 1, name: 'Locking System Settings' }).waitFor();
    await page.waitForTimeout(1000);
    expect(await page.getByRole('button', { name: 'Map to Tapkey lock' }).count()).toBe(0);
    expect(await captured()).not.toContain(owner.toLowerCase());
  });
});
