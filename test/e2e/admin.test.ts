/**
 * The first day through the AccessBridge admin page, in real Chromium with the built extension,
 * from an empty data folder without the demo (a fresh organization and no location, as
 * `npm start` gives with ACCESSBRIDGE_DEMO=off, see test/admin/demo-switch.test.ts): create a location → connect the
 * sandbox Tapkey (a wrong secret first, named as such) → connect the sandbox Keycafe → choose
 * full sync → import locks → map a unit on the Tapkey portal → run the full sync with progress →
 * read the report → revoke one selected unexplained grant → copy a notice. The test calls the
 * API only to check results; units and the booking come from the demo manager's pages, as they
 * would from a real manager. The Tapkey sandbox holds two grants made by hand before, as a
 * locking system already in use does.
 *
 * Permissions: as in manager.test.ts, a copy of the build lists the sandbox host as granted.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBookings, demoLocks, demoUnits } from '../../sandbox/demo-data.ts';
import { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN, type KeycafeSandbox } from '../../sandbox/keycafe/index.ts';
import type { ManagerSandbox } from '../../sandbox/manager/index.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import { grantByHand } from '../helpers/tapkey-grants.ts';
import type { E2eApi } from './helpers/api.ts';
import { currentServiceWorker, type ExtensionBrowser } from './helpers/extension.ts';
import { launchGranted, startFakesWithApi, type FakesWithApi, type GrantedBrowser } from './helpers/fakes.ts';
import type { PortalAsTapkey } from './helpers/portal.ts';
import { axeFindings } from './helpers/sandbox-world.ts';

const units = demoUnits();
const locks = demoLocks(units);
const b5000 = demoBookings(units)[0]!;
const WRONG_SECRET = 'typo-in-the-secret-3b9d';

let api: E2eApi;
let tapkey: TapkeySandbox;
let keycafe: KeycafeSandbox;
let manager: ManagerSandbox;
let portal: PortalAsTapkey;
let fakes: FakesWithApi;
let granted: GrantedBrowser;
let browser: ExtensionBrowser;
let options: Page;
let admin: Page;
let intruderGrant = '';
let strangerGrant = '';

const section = (name: string) => admin.getByRole('region', { name, exact: true });
const status = (p: Page, text: string | RegExp) => p.getByRole('status').filter({ hasText: text });

beforeAll(async () => {
  // A fresh data folder and organization; nothing seeded.
  fakes = await startFakesWithApi();
  ({ api, tapkey, keycafe, manager, portal } = fakes);
  expect((await api.json('GET', '/v1/locations')).body.items).toEqual([]);
  intruderGrant = grantByHand(tapkey.state, 'former.tenant@example.com', locks[5]!.id);
  strangerGrant = grantByHand(tapkey.state, 'caretaker@example.com', locks[6]!.id);

  granted = await launchGranted(api, ['content-scripts/manager.js', 'admin.html'], portal);
  ({ browser, options } = granted);
});

afterAll(async () => {
  await granted?.close();
  await fakes?.close();
});

describe('the first day through the AccessBridge admin page', () => {
  it('opens from the options and creates the location', async () => {
    const [opened] = await Promise.all([browser.context.waitForEvent('page'), options.getByRole('link', { name: 'Open AccessBridge admin' }).click()]);
    admin = opened;
    await admin.getByRole('heading', { level: 1, name: 'AccessBridge admin' }).waitFor();
    const locations = section('Locations');
    await locations.getByText('No locations yet.').waitFor();
    await locations.getByLabel('Name').fill('Berlin Mitte');
    await locations.getByLabel('Time zone').fill('Europe/Berlin');
    await locations.getByLabel('Address').fill('Torstraße 1, 10119 Berlin');
    await locations.getByRole('button', { name: 'Create location' }).click();
    await status(admin, 'Location “Berlin Mitte” created.').waitFor();
    await locations.getByRole('link', { name: '0 locks' }).waitFor();
    const { body } = await api.json('GET', '/v1/locations');
    expect(body.items).toEqual([expect.objectContaining({ name: 'Berlin Mitte', timeZone: 'Europe/Berlin', address: 'Torstraße 1, 10119 Berlin' })]);
  });

  it('connects the sandbox Tapkey: a wrong secret first, named as such, then the right one', async () => {
    const tk = section('Integrations → Tapkey → Connect');
    await tk.getByRole('link', { name: 'Open the Integrator portal' }).waitFor();
    expect(await tk.getByRole('checkbox', { name: /Berlin Mitte/ }).isChecked()).toBe(true);
    await tk.getByLabel('Client ID').fill(SANDBOX_CLIENT_ID);
    await tk.getByLabel('Client secret').fill(WRONG_SECRET);
    await tk.getByLabel('Locking system id').fill(SANDBOX_OWNER_ID);
    await tk.getByRole('button', { name: 'Save and test connection' }).click();
    await admin.getByRole('alert').filter({ hasText: 'The Tapkey connection does not work yet' }).waitFor();
    await tk.getByText(/^Wrong client ID or secret — in the Integrator portal/).waitFor();
    await tk.getByText(/Failed\s+Log in with the client ID and secret/).waitFor();

    await tk.getByLabel('Client secret').fill(SANDBOX_CLIENT_SECRET);
    await tk.getByRole('button', { name: 'Find my locking systems' }).click();
    await tk.getByRole('radio', { name: new RegExp(SANDBOX_OWNER_ID) }).check();
    await tk.getByRole('button', { name: 'Save and test connection' }).click();
    await status(admin, /^Tapkey connection works: \d+ locks in the locking system\.$/).waitFor();
    await tk.getByText(/Passed\s+Find locking system/).waitFor();
    // Write-only: the field is empty and says a secret is stored.
    expect(await tk.getByLabel('Client secret').inputValue()).toBe('');
    await tk.getByText(/A client secret is stored/).waitFor();
    const { body } = await api.json('GET', '/v1/locations');
    expect(body.items[0].tapkey).toMatchObject({ clientId: SANDBOX_CLIENT_ID, ownerAccountId: SANDBOX_OWNER_ID, hasSecret: true });
  });

  it('connects the sandbox Keycafe and lists what it sees', async () => {
    const kc = section('Integrations → Keycafe → Connect');
    await kc.getByLabel('Keycafe account email').fill(DEMO_KEYCAFE_EMAIL);
    await kc.getByLabel('API key or token').fill(DEMO_KEYCAFE_TOKEN);
    await kc.getByRole('button', { name: 'Save and test connection' }).click();
    await status(admin, /^Keycafe connection works: \d+ keys in \d+ SmartBox locations\.$/).waitFor();
    await kc.getByRole('heading', { name: /^Keys \(\d+\)$/ }).waitFor();
    // Test connection keeps the credential type that worked (server/keycafe/connection.ts).
    expect((await api.json('GET', '/v1/locations')).body.items[0].keycafe).toEqual({ accountEmail: DEMO_KEYCAFE_EMAIL, hasToken: true, authType: 'token' });
  });

  it('chooses full sync with both triggers', async () => {
    const mode = section('Sync mode and triggers');
    await mode.getByRole('radio', { name: 'Full sync' }).check();
    await mode.getByRole('checkbox', { name: 'Move-in date reached' }).check();
    await mode.getByRole('button', { name: 'Save' }).click();
    await status(admin, 'Saved: full sync. Run it under “Full sync”.').waitFor();
    expect((await api.json('GET', '/v1/locations')).body.items[0].tapkey).toMatchObject({ syncMode: 'full', accessTriggers: ['booking_creation', 'move_in_reached'] });
  });

  it('imports the locks from Tapkey and lists them', async () => {
    const lk = section('Locks');
    await lk.getByRole('button', { name: 'Import locks from Tapkey' }).click();
    await status(admin, new RegExp(`^Imported ${locks.length} locks: ${locks.length} new`)).waitFor();
    await lk.getByRole('row', { name: /^Unit A-01\b/ }).getByText('Not mapped').waitFor();
  });

  it('maps a unit on the Tapkey portal (the unit comes from the manager page)', async () => {
    const sites = options.getByRole('region', { name: 'Manager sites' });
    await sites.getByRole('button', { name: 'Use the demo manager' }).click();
    const demo = sites.getByRole('region', { name: 'Demo manager (sandbox)' });
    await demo.getByRole('button', { name: 'Grant access to this site' }).click();
    await status(options, `AccessBridge now works on ${manager.url}.`).waitFor();

    const unitPage = await browser.context.newPage();
    await unitPage.goto(`${manager.url}/units/U1000`);
    await unitPage.getByText('Unit A-01 is not mapped to a Tapkey lock yet.').waitFor();
    await unitPage.close();

    const lockPage = await browser.context.newPage();
    await lockPage.goto(portal.at(portal.lockPath(locks[0]!.id)));
    await lockPage.getByRole('button', { name: 'Map to Tapkey lock' }).click();
    const dialog = lockPage.getByRole('dialog', { name: 'Map “Unit A-01” to a unit' });
    await dialog.getByRole('region', { name: 'Suggested for this lock' }).getByRole('button', { name: /^A-01\b/ }).click();
    await status(lockPage, 'Lock “Unit A-01” is now mapped to unit A-01.').waitFor();
    await lockPage.close();
    expect((await api.json('GET', `/v1/mappings?lockId=${locks[0]!.id}`)).body.items[0].unit.externalId).toBe('U1000');

    // The booking arrives from its manager page.
    const bookingPage = await browser.context.newPage();
    await bookingPage.goto(`${manager.url}/bookings/${b5000.externalId}`);
    await bookingPage.getByText(/^Tapkey access: (pending|active)$/).waitFor();
    await bookingPage.close();

    const lk = section('Locks');
    await lk.getByRole('button', { name: 'Search' }).click();
    await lk.getByRole('row', { name: /^Unit A-01\b/ }).getByText('A-01 (U1000)').waitFor();
  });

  it('runs the full sync with progress, reads the report and revokes one selected unexplained grant', async () => {
    const fs = section('Full sync');
    await fs.getByRole('button', { name: 'Start full sync' }).click();
    await status(admin, 'Full sync started.').waitFor();
    await fs.getByRole('progressbar', { name: /^Bookings: \d+ of 1 done/ }).waitFor();
    await fs.getByText(/^Finished /).waitFor({ timeout: 30_000 });
    await fs.getByRole('heading', { name: 'Grants in Tapkey no booking explains (2)' }).waitFor({ timeout: 30_000 });
    await fs.getByRole('heading', { name: /^Locks without a unit \(\d+\)$/ }).waitFor();
    await fs.getByRole('heading', { name: 'Bookings without email (0)' }).waitFor();

    await fs.getByRole('checkbox', { name: /^Select the grant of former\.tenant@example\.com on / }).check();
    await fs.getByRole('button', { name: 'Revoke selected grants (1)' }).click();
    const confirm = fs.getByRole('alertdialog', { name: 'Revoke these Tapkey grants?' });
    await confirm.getByText(/^1 grant\(s\) of 1 person\(s\) will be revoked in Tapkey/).waitFor();
    await confirm.getByRole('button', { name: 'Revoke 1 grant(s)' }).click();
    await status(admin, '1 revocation(s) queued.').waitFor();
    await fs.getByRole('row', { name: /former\.tenant@example\.com/ }).getByText('Revoked').waitFor({ timeout: 30_000 });

    expect(tapkey.state.grants.get(intruderGrant)?.active).not.toBe(true);
    expect(tapkey.state.grants.get(strangerGrant)?.active).toBe(true);
  });

  it('copies the access-ready notice of the booking', async () => {
    const nt = section('Access ready notices');
    await nt.getByLabel('Booking, unit or email').fill(b5000.externalId);
    await nt.getByRole('button', { name: 'Search' }).click();
    await nt.getByRole('button', { name: `Show notice of booking ${b5000.externalId}` }).click();
    const text = nt.getByLabel('Text', { exact: true });
    await text.waitFor();
    expect(await text.inputValue()).toContain(b5000.tenantEmail!);
    await nt.getByRole('button', { name: `Copy the notice of booking ${b5000.externalId}` }).click();
    await status(admin, 'Notice copied: paste it into the email to the tenant.').waitFor();
    expect(await nt.getByLabel('Template', { exact: true }).inputValue()).toMatch(/\S/);
  });

  it('is axe-clean, works by keyboard and fits a narrow window', async () => {
    const findings = await axeFindings(admin);
    expect(findings, findings.join('\n')).toEqual([]);
    // The delete confirmation by keyboard: Enter opens it with focus on its action, Escape closes it.
    const locations = section('Locations');
    await locations.getByRole('button', { name: 'Delete Berlin Mitte' }).focus();
    await admin.keyboard.press('Enter');
    const confirm = locations.getByRole('alertdialog', { name: 'Delete “Berlin Mitte”?' });
    await confirm.getByText('1 bookings still refer to it', { exact: false }).waitFor();
    // Focus moves to the action once the confirmation has rendered: poll, do not race it.
    await expect.poll(() => admin.evaluate(() => document.activeElement?.textContent)).toBe('Delete location');
    const withDialog = await axeFindings(admin);
    expect(withDialog, withDialog.join('\n')).toEqual([]);
    await admin.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => admin.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Delete Berlin Mitte');
    expect((await api.json('GET', '/v1/locations')).body.items).toHaveLength(1);
    await admin.setViewportSize({ width: 360, height: 800 });
    const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
  });

  it('opens from the popup too, showing the location set up', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('/popup.html'));
    const [opened] = await Promise.all([browser.context.waitForEvent('page'), popup.getByRole('button', { name: 'Open AccessBridge admin' }).click()]);
    expect(opened.url()).toBe(browser.extensionUrl('/admin.html'));
    await opened.getByRole('region', { name: 'Locations', exact: true }).getByRole('rowheader', { name: 'Berlin Mitte' }).waitFor();
    await opened.close();
  });

  it('kept no secret typed on the page anywhere the page, the extension storage or the API shows', async () => {
    const secrets = [SANDBOX_CLIENT_SECRET, WRONG_SECRET, DEMO_KEYCAFE_TOKEN];
    const html = await admin.content();
    const worker = await currentServiceWorker(browser);
    const stored = await worker.evaluate(async () => JSON.stringify(await (globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<unknown> } } } }).chrome.storage.local.get(null)));
    const answers = await Promise.all(['/v1/locations', '/v1/audit-events?limit=500', '/v1/bookings', '/v1/outbox/summary'].map(async (p) => JSON.stringify((await api.json('GET', p)).body)));
    for (const s of secrets) for (const text of [html, stored, ...answers]) expect(text).not.toContain(s);
  });
});
