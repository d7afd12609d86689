/**
 * Manager pages end to end in real Chromium with the built extension and the sandbox: the demo
 * manager's site profile is added and granted in options (which registers the manager content
 * script at run time), a unit is mapped from its page with "Map to Tapkey lock" and shows up in
 * the API and on the lock's Tapkey portal page, and a booking page shows the tenant's Tapkey
 * access with revoke/restore and the prefilled "Grant Keycafe access".
 *
 * Permissions: headless Chromium cannot click the prompt `permissions.request` opens. The test
 * loads a copy of the build whose manifest also lists http://127.0.0.1/* (the sandbox's host)
 * under host_permissions, as if the prompt had been accepted; `permissions.request` then
 * resolves true without a prompt and everything after it runs as for a user. A manager page
 * opened before "Grant access" gets no controls, which shows that the dynamic registration, not
 * the host permission, is what brings the script.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBookings, demoLocks, demoUnits } from '../../sandbox/demo-data.ts';
import { DEMO_KEYCAFE_EMAIL, type KeycafeSandbox } from '../../sandbox/keycafe/index.ts';
import type { ManagerSandbox } from '../../sandbox/manager/index.ts';
import type { TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import type { E2eApi } from './helpers/api.ts';
import { currentServiceWorker, openOptions, type ExtensionBrowser } from './helpers/extension.ts';
import { berlinMitteOnSandbox, launchGranted, SANDBOX_HOST, startFakesWithApi, type FakesWithApi, type GrantedBrowser } from './helpers/fakes.ts';
import type { PortalAsTapkey } from './helpers/portal.ts';

const units = demoUnits();
const locks = demoLocks(units);
const b5000 = demoBookings(units)[0]!;

let api: E2eApi;
let tapkey: TapkeySandbox;
let keycafe: KeycafeSandbox;
let manager: ManagerSandbox;
let portal: PortalAsTapkey;
let fakes: FakesWithApi;
let granted: GrantedBrowser;
let browser: ExtensionBrowser;
let options: Page;
let page: Page;

const mapButton = (p: Page) => p.getByRole('button', { name: 'Map to Tapkey lock' });
const status = (p: Page, text: string | RegExp) => p.getByRole('status').filter({ hasText: text });

/** Counts the clicks a user makes on a page (trusted events only). */
async function countClicks(p: Page): Promise<() => Promise<number>> {
  await p.evaluate(() => {
    (window as unknown as { __clicks: number }).__clicks = 0;
    // Capture phase on window: sees clicks inside our shadow root too (composed events).
    window.addEventListener('click', (e) => e.isTrusted && (window as unknown as { __clicks: number }).__clicks++, true);
  });
  return () => p.evaluate(() => (window as unknown as { __clicks: number }).__clicks);
}

async function registeredManagerScripts() {
  const worker = await currentServiceWorker(browser);
  type Chrome = { scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches: string[] }[]> } };
  return worker.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.scripting.getRegisteredContentScripts());
}

beforeAll(async () => {
  fakes = await startFakesWithApi();
  ({ api, tapkey, keycafe, manager, portal } = fakes);
  // The manager's location, connected to the sandbox Tapkey (full sync mode, its locks
  // imported) and the sandbox Keycafe.
  await berlinMitteOnSandbox(api, { keycafe: true });

  granted = await launchGranted(api, ['content-scripts/manager.js', 'manager-preview.js'], portal);
  ({ browser, options } = granted);
});

afterAll(async () => {
  await granted?.close();
  await fakes?.close();
});

describe('manager pages in Chromium', () => {
  it('adds the demo manager in options and grants its origin, which registers the manager script', async () => {
    page = await browser.context.newPage();
    await page.goto(`${manager.url}/units/U1000`);
    await page.getByRole('heading', { level: 1, name: 'Unit A-01' }).waitFor();

    const sites = options.getByRole('region', { name: 'Manager sites' });
    await sites.getByRole('button', { name: 'Use the demo manager' }).click();
    const demo = sites.getByRole('region', { name: 'Demo manager (sandbox)' });
    await demo.getByText(`Address: ${manager.url}`).waitFor();
    await demo.getByText('Not active: access to this site is not granted yet.').waitFor();
    // Host permission alone (the test build has it) brings no script: nothing is registered yet.
    expect(await registeredManagerScripts()).toEqual([]);
    expect(await mapButton(page).count()).toBe(0);

    await demo.getByRole('button', { name: 'Grant access to this site' }).click();
    await status(options, `AccessBridge now works on ${manager.url}.`).waitFor();
    await demo.getByText('Active: AccessBridge runs on the unit and booking pages of this site.').waitFor();
    expect(await registeredManagerScripts()).toEqual([expect.objectContaining({ id: 'accessbridge-manager-pages', matches: [SANDBOX_HOST] })]);

    // The tab that was already open got the script injected: no reload needed.
    await mapButton(page).waitFor();
  });

  it('maps a unit to a lock from its page in two clicks, and the API and the Tapkey portal show it', async () => {
    await page.getByText('Unit A-01 is not mapped to a Tapkey lock yet.').waitFor();
    expect((await api.json('GET', '/v1/units/U1000')).body).toMatchObject({ externalId: 'U1000', name: 'A-01', locationId: expect.any(String) });

    const clicks = await countClicks(page);
    await mapButton(page).click();
    const dialog = page.getByRole('dialog', { name: 'Map unit A-01 to a Tapkey lock' });
    await dialog.getByRole('region', { name: 'Suggested for this unit' }).getByRole('button', { name: /^Unit A-01\b/ }).click();
    await status(page, 'Unit A-01 is now mapped to lock “Unit A-01”.').waitFor();
    await dialog.waitFor({ state: 'detached' });
    expect(await clicks()).toBe(2);
    await page.getByText('Unit A-01 is mapped to Tapkey lock “Unit A-01”.').waitFor();

    const mapping = await api.json('GET', '/v1/mappings?unitExternalId=U1000');
    expect(mapping.body.items).toEqual([expect.objectContaining({ lockId: locks[0]!.id, unit: expect.objectContaining({ externalId: 'U1000' }) })]);

    const portalPage = await browser.context.newPage();
    await portalPage.goto(portal.at(portal.lockPath(locks[0]!.id)));
    await portalPage.getByText('Mapped to unit A-01').waitFor();
    await portalPage.close();
  });

  it('follows SPA navigation to the next unit, explains a conflict and replaces on request', async () => {
    await page.getByRole('link', { name: 'Next unit ›' }).click();
    await page.getByRole('heading', { level: 1, name: 'Unit A-02' }).waitFor();
    await page.getByText('Unit A-02 is not mapped to a Tapkey lock yet.').waitFor();
    expect(await page.locator('accessbridge-manager').count()).toBe(1);

    // A-01's lock, already taken: the conflict is explained, Replace moves it.
    await mapButton(page).click();
    const dialog = page.getByRole('dialog', { name: 'Map unit A-02 to a Tapkey lock' });
    await dialog.getByLabel('Search locks').fill('Unit A-01');
    await dialog.getByRole('button', { name: /^Unit A-01 mapped to A-01/ }).click();
    await dialog.getByText('Lock “Unit A-01” is already mapped to unit A-01.').waitFor();
    await dialog.getByRole('button', { name: 'Replace' }).click();
    await status(page, 'Unit A-02 is now mapped to lock “Unit A-01”.').waitFor();
    expect((await api.json('GET', `/v1/mappings?lockId=${locks[0]!.id}`)).body.items[0].unit.externalId).toBe('U1001');

    await page.getByRole('button', { name: 'Unmap unit A-02 from lock “Unit A-01”' }).click();
    await status(page, 'Unit A-02 is no longer mapped to a lock.').waitFor();
    expect((await api.json('GET', '/v1/mappings?unitExternalId=U1001')).body.items).toEqual([]);
  });

  it('shows a booking’s Tapkey access with revoke and restore', async () => {
    // Map A-01 again so its booking B5000 gets a grant.
    expect((await api.json('PUT', '/v1/units/U1000/mapping', { lockId: locks[0]!.id })).status).toBe(201);
    await page.goto(`${manager.url}/bookings/B5000`);
    await page.getByRole('heading', { level: 1, name: 'Booking B5000' }).waitFor();
    await page.getByText(/^Tapkey access: (pending|active)$/).waitFor();
    await page.getByText('Tapkey access: active').waitFor({ timeout: 20_000 });
    const booking = await api.json('GET', '/v1/bookings/B5000');
    expect(booking.body).toMatchObject({ unitExternalId: 'U1000', tenantEmail: expect.stringContaining('@example.com'), grant: { state: 'active' } });

    await page.getByRole('button', { name: 'Revoke access' }).click();
    await status(page, 'Access is being revoked.').waitFor();
    await page.getByText('Tapkey access: revoked').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Restore access' }).click();
    await status(page, 'Access is being granted again.').waitFor();
    await page.getByText('Tapkey access: active').waitFor({ timeout: 20_000 });
  });

  it('opens "Grant Keycafe access" prefilled from the booking and books ongoing access to all keys', async () => {
    await page.goto(`${manager.url}/bookings/B5000`);
    const clicks = await countClicks(page);
    await page.getByRole('button', { name: 'Grant Keycafe access' }).click();
    const dialog = page.getByRole('dialog', { name: 'Grant Keycafe access' });
    // Prefilled: the tenant's email and name, one-time access from today to the move-out date.
    expect(await dialog.getByLabel('Visitor’s email').inputValue()).toBe(b5000.tenantEmail);
    expect(await dialog.getByLabel('Booking name (optional)').inputValue()).toBe(b5000.tenantName);
    expect(await dialog.getByRole('radio', { name: /^One-time/ }).isChecked()).toBe(true);
    expect(await dialog.getByLabel('End date').inputValue()).toBe(b5000.moveOut);

    await dialog.getByRole('radio', { name: /^Ongoing/ }).check();
    await dialog.getByRole('checkbox', { name: /^Apply to all keys/ }).check();
    // One Keycafe-connected location: the dialog names it instead of asking.
    await dialog.getByText('Berlin Mitte', { exact: false }).first().waitFor();
    await dialog.getByRole('button', { name: 'Grant access' }).click();
    // One Keycafe access per key (61 in the sandbox), within Keycafe's 60 requests a minute.
    await dialog.getByText(/^Access granted/).first().waitFor({ timeout: 150_000 });
    // Open the dialog, "Ongoing", "Apply to all keys", "Grant access": everything else came from the page.
    expect(await clicks()).toBe(4);
    // The manager's page could read this dialog: no booking code in it, a pointer to the popup instead.
    await dialog.getByText('Booking codes are not shown on this page, where the site’s own scripts could read them.', { exact: false }).waitFor();
    expect(await dialog.locator('code').count()).toBe(0);
    expect(await dialog.getByRole('button', { name: /^Copy booking code/ }).count()).toBe(0);

    const account = keycafe.state.account(DEMO_KEYCAFE_EMAIL);
    const user = [...account.users.values()].find((u) => u.email === b5000.tenantEmail)!;
    const granted = account.liveAccesses().filter((a) => a.userId === user.id);
    expect(granted.length).toBe(account.keys.size);
    expect(granted.every((a) => a.accessStartDate === null && a.accessEndDate === null)).toBe(true);
    const bookings = await api.json('GET', '/v1/keycafe/bookings?limit=10');
    expect(bookings.body.items[0]).toMatchObject({ type: 'ongoing', allKeys: true, recipient: { email: b5000.tenantEmail }, state: 'active' });
  }, 200_000);

  it('tests a profile on an open tab from options, and explains a broken selector on the page', async () => {
    await page.goto(`${manager.url}/units/U1002`);
    await mapButton(page).waitFor();
    const sites = options.getByRole('region', { name: 'Manager sites' });
    const demo = sites.getByRole('region', { name: 'Demo manager (sandbox)' });
    await demo.getByRole('button', { name: 'Edit' }).click();
    const editor = options.getByRole('form', { name: 'Edit “Demo manager (sandbox)”' });

    // The saved profile on the open unit page: every value read.
    await editor.getByRole('button', { name: 'Test on an open tab' }).click();
    const result = editor.getByRole('region', { name: 'Test result' });
    await result.getByText('Unit page: “Unit A-03 · Storage Manager”').waitFor();
    await result.getByText('Every required value was read.').waitFor();
    expect(await result.getByRole('row', { name: /^Unit name/ }).getByRole('cell').innerText()).toBe('A-03');
    expect(await result.getByRole('row', { name: /^Location/ }).getByRole('cell').innerText()).toBe('Berlin Mitte');

    // Both ways to read the name broken: the first selector and the second label.
    const unitName = editor.getByRole('group', { name: 'Unit name', exact: true });
    await unitName.getByRole('group', { name: 'Way 1 to read Unit name' }).getByLabel('CSS selector').fill('#general-card .no-such-name');
    await unitName.getByRole('group', { name: 'Way 2 to read Unit name' }).getByLabel('Label text').fill('Unit title');
    await editor.getByRole('button', { name: 'Test on an open tab' }).click();
    await result.getByText('Unit name: selector `#general-card .no-such-name` matched nothing on this page').waitFor();
    await editor.getByRole('button', { name: 'Save profile' }).click();
    await status(options, 'Profile “Demo manager (sandbox)” saved.').waitFor();

    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'AccessBridge cannot read this page' });
    await alert.getByText('Unit name: selector `#general-card .no-such-name` matched nothing on this page').waitFor();
    await alert.getByText('Unit name: no label “Unit title” was found on this page').waitFor();
    await alert.getByText('Check the site profile “Demo manager (sandbox)” in the AccessBridge options.').waitFor();
    expect(await mapButton(page).count()).toBe(0);
  });

  it('unregisters the script when the profile is removed', async () => {
    const demo = options.getByRole('region', { name: 'Manager sites' }).getByRole('region', { name: 'Demo manager (sandbox)' });
    await demo.getByRole('button', { name: 'Remove' }).click();
    await status(options, 'Profile “Demo manager (sandbox)” removed.').waitFor();
    expect(await registeredManagerScripts()).toEqual([]);
    await page.goto(`${manager.url}/units/U1003`);
    await page.getByRole('heading', { level: 1, name: 'Unit A-04' }).waitFor();
    await page.waitForTimeout(1000);
    expect(await page.locator('accessbridge-manager').count()).toBe(0);
  });
});
