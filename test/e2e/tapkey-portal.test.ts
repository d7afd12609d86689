/**
 * The extension end to end in real Chromium: options → "Connected", then the sandbox portal
 * served as https://my.tapkey.com: map a lock from its detail page, follow SPA navigation
 * (history API and hash) to more locks, capture every lock of the list page, and queue a
 * mapping while the sync API is down that lands once it is back.
 */
import { startE2eApi, type E2eApi } from './helpers/api.ts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLocks, demoUnits } from '../../sandbox/demo-data.ts';
import { badgeText, launchWithExtension, openOptions, type ExtensionBrowser } from './helpers/extension.ts';
import { buildWithHostPermissions, type GrantedBuild } from './helpers/granted-build.ts';
import { servePortalAsTapkey, type PortalAsTapkey } from './helpers/portal.ts';

const units = demoUnits();
const locks = demoLocks(units);

let api: E2eApi;
let portal: PortalAsTapkey;
let build: GrantedBuild;
let browser: ExtensionBrowser;
let page: Page;

async function mappedUnit(lockId: string): Promise<string | null> {
  const { body } = await api.json('GET', `/v1/mappings?lockId=${lockId}`);
  return body.items[0]?.unit.externalId ?? null;
}

const mapButton = () => page.getByRole('button', { name: 'Map to Tapkey lock' });
const status = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text });

/** Opens the dialog for the lock on screen and picks `unitName` among the suggestions. */
async function mapFromDialog(lockTitle: string, unitName: string) {
  await mapButton().click();
  const dialog = page.getByRole('dialog', { name: `Map “${lockTitle}” to a unit` });
  await dialog.waitFor();
  const suggestions = dialog.getByRole('region', { name: 'Suggested for this lock' });
  await suggestions.getByRole('button', { name: new RegExp(`^${unitName}\\b`) }).click();
  return dialog;
}

beforeAll(async () => {
  api = await startE2eApi();
  for (const unit of units) expect((await api.json('PUT', `/v1/units/${unit.externalId}`, { name: unit.name })).status).toBe(201);
  portal = await servePortalAsTapkey();
  // No extra host; the copy's UI roots are open for the locators (see granted-build.ts).
  build = await buildWithHostPermissions([]);
  browser = await launchWithExtension({ extensionPath: build.path, hostRules: [portal.hostRule], ignoreCertificateErrors: true });
});

afterAll(async () => {
  await browser?.close();
  build?.remove();
  await portal?.close();
  await api?.close();
});

describe('AccessBridge extension in Chromium', () => {
  it('options: "Test connection" explains a wrong token and shows "Connected" with the right one', async () => {
    const options = await openOptions(browser);
    await options.getByLabel('API URL').fill(api.url);
    await options.getByLabel('API token').fill('ab_not_the_token');
    await options.getByRole('button', { name: 'Test connection' }).click();
    await options.getByRole('alert').filter({ hasText: 'The API refused the token (401)' }).waitFor();

    await options.getByLabel('API token').fill(api.token);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByRole('status').filter({ hasText: `Connected to ${api.organizationName}` }).waitFor();
    await options.getByText(`A token ending in …${api.token.slice(-4)} is saved.`).waitFor();
    await options.close();
  });

  it('maps a lock from its detail page in one click, and records the lock as captured', async () => {
    const lock = locks[0]!; // "Unit A-01"
    page = await browser.context.newPage();
    await page.goto(portal.at(portal.lockPath(lock.id)));
    await mapButton().waitFor();
    await page.getByText('Not mapped to a unit yet').waitFor();

    const dialog = await mapFromDialog('Unit A-01', 'A-01');
    await status('Lock “Unit A-01” is now mapped to unit A-01.').waitFor();
    await dialog.waitFor({ state: 'detached' });
    // Focus went back to the control that opened the dialog.
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent)).toBe('Map to Tapkey lock');
    expect(await mappedUnit(lock.id)).toBe('U1000');

    const captured = await api.json('GET', `/v1/locks/${lock.id}`);
    expect(captured.body).toMatchObject({ id: lock.id, title: 'Unit A-01', source: 'captured', capturedUrl: portal.at(portal.lockPath(lock.id)) });
  });

  it('follows SPA navigation (history API and hash changes) and maps the next locks', async () => {
    await page.getByRole('link', { name: 'Next lock: A02 door' }).click();
    await page.getByRole('heading', { level: 1, name: 'A02 door' }).waitFor();
    await page.getByText('Not mapped to a unit yet').waitFor();
    await mapFromDialog('A02 door', 'A-02');
    await status('Lock “A02 door” is now mapped to unit A-02.').waitFor();
    expect(await mappedUnit(locks[1]!.id)).toBe('U1001');
    expect(await page.locator('accessbridge-tapkey').count()).toBe(1);

    // Hash-routed URLs: a fresh load, then a hash change within the page.
    await page.goto(portal.at(`/#/owners/${portal.ownerId}/locks/${locks[2]!.id}`));
    await page.getByRole('heading', { level: 1, name: 'Storage A-03' }).waitFor();
    await page.evaluate((hash) => (location.hash = hash), `#/owners/${portal.ownerId}/locks/${locks[3]!.id}`);
    await page.getByRole('heading', { level: 1, name: 'Unit A-04' }).waitFor();
    await mapFromDialog('Unit A-04', 'A-04');
    await status('Lock “Unit A-04” is now mapped to unit A-04.').waitFor();
    expect(await mappedUnit(locks[3]!.id)).toBe('U1003');

    // The URL shape without a `locks` segment (the extractor's "last UUID" rule).
    await page.goto(portal.at(`/lock-details?id=${locks[4]!.id}`));
    await page.getByRole('heading', { level: 1, name: 'A05 door' }).waitFor();
    await mapButton().click();
    await page.getByRole('dialog', { name: 'Map “A05 door” to a unit' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await page.locator('accessbridge-tapkey').count()).toBe(1);
  });

  it('removes the control off lock pages and captures every lock of the list page', async () => {
    await page.goto(portal.at(portal.lockPath(locks[5]!.id)));
    await mapButton().waitFor();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Locks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Locks' }).waitFor();
    await mapButton().waitFor({ state: 'detached' });

    await page.getByText(`Locks on this page: ${locks.length}`).waitFor();
    await page.getByRole('button', { name: 'Capture all locks on this page' }).click();
    // Up to six were viewed (and recorded) already; how many of those recordings have landed
    // when the button is pressed depends on timing, so the split is not fixed — the total is.
    await status(new RegExp(`Captured ${locks.length} locks: \\d+ new, \\d+ already known\\.`)).waitFor();
    const all = await api.json('GET', '/v1/locks?source=captured&limit=200');
    expect(all.body.total).toBe(locks.length);
    expect(all.body.items.find((l: { id: string }) => l.id === locks[50]!.id)).toMatchObject({ title: 'Elevator lobby', source: 'captured' });
  });

  it('queues a mapping made while the API is down and sends it once the API is back', async () => {
    const lock = locks[6]!; // "Unit A-07"
    await api.stop();
    await page.getByRole('link', { name: 'Unit A-07', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Unit A-07' }).waitFor();

    await mapButton().click();
    const dialog = page.getByRole('dialog', { name: 'Map “Unit A-07” to a unit' });
    await dialog.getByText('The API cannot be reached: this is the unit list saved earlier.', { exact: false }).waitFor();
    await dialog.getByRole('region', { name: 'Suggested for this lock' }).getByRole('button', { name: /^A-07\b/ }).click();
    await status('The API cannot be reached. The mapping to unit A-07 is queued and will be sent when it is back.').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Mapping to unit A-07 is waiting to be sent').waitFor();
    await expect.poll(() => badgeText(browser), { timeout: 10_000 }).toBe('2'); // the viewed lock's capture + the mapping

    // The options page lists what waits; sending now fails while the API is still down.
    const options = await openOptions(browser);
    const queue = options.getByRole('region', { name: 'Changes waiting to be sent' });
    await queue.getByText('Map lock “Unit A-07” to unit A-07').waitFor();
    await queue.getByText('Waiting: 2. Failed: 0.').waitFor();
    await queue.getByRole('button', { name: 'Send now' }).click();
    await queue.getByRole('alert').filter({ hasText: 'The API still cannot be reached. Changes waiting: 2.' }).waitFor();

    await api.restart();
    // The once-a-minute alarm may get there first; either way the queue drains.
    const sendNow = queue.getByRole('button', { name: 'Send now' });
    if (await sendNow.isVisible()) await sendNow.click({ timeout: 5_000 }).catch(() => undefined);
    await queue.getByText('Nothing is waiting: every change reached the API.').waitFor();
    expect(await mappedUnit(lock.id)).toBe('U1006');
    await expect.poll(() => badgeText(browser)).toBe('');
    await options.close();
  });
});
