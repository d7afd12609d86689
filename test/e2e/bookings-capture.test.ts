/**
 * "Capture all bookings on this page" end to end in real Chromium with the built extension, the
 * API and the demo manager: on a booking list page of 50 bookings the button creates 50, and
 * capturing the same page again changes nothing. Permissions as in test/e2e/manager.test.ts (a
 * build whose manifest lists the sandbox host, as if the prompt had been accepted).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManagerSandbox, type ManagerSandbox } from '../../sandbox/manager/index.ts';
import { startE2eApi, type E2eApi } from './helpers/api.ts';
import { configureApi, launchWithExtension, type ExtensionBrowser } from './helpers/extension.ts';
import { buildWithHostPermissions, type GrantedBuild } from './helpers/granted-build.ts';

const SANDBOX_HOST = 'http://127.0.0.1/*';

let api: E2eApi;
let manager: ManagerSandbox;
let build: GrantedBuild;
let browser: ExtensionBrowser;
let options: Page;

beforeAll(async () => {
  // 100 units: 75 bookings, so the first list page holds 50.
  manager = await startManagerSandbox({ units: 100 });
  api = await startE2eApi({ sandboxUrls: { manager: manager.url } });
  const location = await api.json('POST', '/v1/locations', { name: 'Berlin Mitte', timeZone: 'Europe/Berlin' });
  expect(location.status).toBe(201);
  // The manager's units exist in the API (as a unit import or the unit pages would have made them).
  for (const u of manager.world.units) expect((await api.json('PUT', `/v1/units/${u.externalId}`, { name: u.name, locationId: location.body.id })).status).toBeLessThan(300);
  build = await buildWithHostPermissions([SANDBOX_HOST], ['content-scripts/manager.js', 'manager-preview.js']);
  browser = await launchWithExtension({ extensionPath: build.path });
  options = await configureApi(browser, api);
  const sites = options.getByRole('region', { name: 'Manager sites' });
  await sites.getByRole('button', { name: 'Use the demo manager' }).click();
  const demo = sites.getByRole('region', { name: 'Demo manager (sandbox)' });
  await demo.getByRole('button', { name: 'Grant access to this site' }).click();
  await options.getByRole('status').filter({ hasText: `AccessBridge now works on ${manager.url}.` }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  build?.remove();
  await api?.close();
  await manager?.close();
});

describe('booking list capture in Chromium', () => {
  it('captures the 50 bookings of a list page, then capturing again changes nothing', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${manager.url}/bookings`);
    const panel = page.getByRole('region', { name: 'AccessBridge: bookings on this page' });
    await panel.getByText('Bookings on this page: 50').waitFor();
    const button = panel.getByRole('button', { name: 'Capture all bookings on this page' });
    await button.click();
    await panel.getByRole('status').filter({ hasText: 'Captured 50 bookings: 50 new, 0 changed, 0 unchanged.' }).waitFor();
    const listed = await api.json('GET', '/v1/bookings?limit=1000');
    expect(listed.body.total).toBe(50);
    expect(listed.body.items.map((b: { externalId: string }) => b.externalId).sort()).toEqual(manager.world.bookings.slice(0, 50).map((b) => b.externalId).sort());
    expect(listed.body.items.every((b: { lastSeenVia: string }) => b.lastSeenVia === 'list')).toBe(true);

    await page.reload();
    await panel.getByText('Bookings on this page: 50').waitFor();
    await button.click();
    await panel.getByRole('status').filter({ hasText: 'Captured 50 bookings: 0 new, 0 changed, 50 unchanged.' }).waitFor();
    expect((await api.json('GET', '/v1/bookings?limit=1000')).body.total).toBe(50);

    // The next page has the other 25; a booking page still gets the booking panel, not the button.
    await page.goto(`${manager.url}/bookings?page=2`);
    await panel.getByText('Bookings on this page: 25').waitFor();
    await page.goto(`${manager.url}/bookings/B5000`);
    await page.getByRole('heading', { level: 1, name: 'Booking B5000' }).waitFor();
    await page.getByRole('region', { name: 'AccessBridge', exact: true }).waitFor();
    expect(await panel.count()).toBe(0);
  });
});
