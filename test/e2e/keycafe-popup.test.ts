/**
 * A one-time Keycafe booking from the toolbar popup, in real Chromium with the built
 * extension, against the real sync API and the sandbox Keycafe: the access shows up in the
 * sandbox with the fields entered, and the popup remembers the key and language.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeycafeE2eWorld, type KeycafeE2eWorld } from '../keycafe-ui/e2e-world.ts';
import { configureApi, launchWithExtension, type ExtensionBrowser } from './helpers/extension.ts';

let world: KeycafeE2eWorld;
let browser: ExtensionBrowser;

async function openPopup(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('/popup.html'));
  await page.getByRole('heading', { level: 1, name: 'AccessBridge' }).waitFor();
  return page;
}

beforeAll(async () => {
  world = await startKeycafeE2eWorld();
  browser = await launchWithExtension();
  const options = await configureApi(browser, { url: world.apiUrl, token: world.token, organizationName: world.organizationName });
  await options.close();
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

describe('Keycafe quick booking from the popup', () => {
  it('books one-time access to a key and shows its booking code, which Keycafe has', async () => {
    const popup = await openPopup();
    await popup.getByRole('status').filter({ hasText: `Connected to ${world.organizationName}` }).waitFor();
    await popup.getByRole('button', { name: 'Grant Keycafe access' }).click();

    const dialog = popup.getByRole('dialog', { name: 'Grant Keycafe access' });
    await dialog.getByLabel('Find keys').fill('A-01');
    await dialog.getByRole('checkbox', { name: 'Unit A-01 – spare key' }).check();
    await dialog.getByText('Times are on the clock of Berlin Mitte – Storage reception (Europe/Berlin)', { exact: false }).waitFor();
    await dialog.getByLabel('Visitor’s email').fill('e2e.visitor@example.com');
    await dialog.getByLabel('Language of the visitor’s instructions').selectOption('fr');
    await dialog.getByLabel('Start date').fill('2030-05-06');
    await dialog.getByLabel('Start time').fill('10:00');
    await dialog.getByLabel('End date').fill('2030-05-06');
    await dialog.getByLabel('End time').fill('18:00');
    await dialog.getByLabel('Return key reminder').check();
    await dialog.getByText('Return reminder 2 h before the end (Mon, May 6, 2030, 16:00 Central European Summer Time)').waitFor();
    await dialog.getByLabel('Require visitor ID').check();
    await dialog.getByLabel('Number of visitors').fill('2');
    await dialog.getByLabel('Booking name (optional)').fill('E2E contractor');
    await dialog.getByRole('button', { name: 'Grant access' }).click();

    await dialog.getByRole('heading', { name: 'Access granted' }).waitFor({ timeout: 30_000 });
    const code = (await dialog.locator('code').first().textContent())!;
    expect(code).toMatch(/^\d{6}$/);
    await popup.getByRole('status').filter({ hasText: `Access granted. Booking code: ${code}` }).waitFor();

    const [access] = (await world.accessesOfKey('10001')).filter((a) => a.bookingCode === code);
    // The documented access object (sandbox/keycafe/SOURCES.md): a one-time access has its dates.
    expect(access).toMatchObject({
      key: { id: 10001, name: 'Unit A-01 – spare key' },
      user: { email: 'e2e.visitor@example.com' },
      accessStartDate: '2030-05-06',
      accessStartTime: '10:00',
      accessEndDate: '2030-05-06',
      accessEndTime: '18:00',
      timeZone: 'Europe/Berlin',
      name: 'E2E contractor',
      returnReminder: true,
      locale: 'fr',
    });
    // What Keycafe's API has no field for is kept and shown by AccessBridge.
    const { body } = await world.json('GET', '/v1/keycafe/bookings?keyId=10001');
    expect(body.items[0]).toMatchObject({ requireVisitorId: true, visitors: 2, photoVerification: false, reminder: { band: '4h_to_24h', rule: 'before_end' } });

    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    await popup.getByRole('region', { name: 'Recent Keycafe bookings' }).getByText('e2e.visitor@example.com').waitFor();
    await popup.close();
  });

  it('opens again with the last key and language, and cancels the booking from its list', async () => {
    const popup = await openPopup();
    await popup.getByText('Last key: Unit A-01 – spare key').waitFor();
    await popup.getByRole('button', { name: 'Grant Keycafe access' }).click();
    const dialog = popup.getByRole('dialog', { name: 'Grant Keycafe access' });
    await dialog.getByRole('button', { name: 'Remove Unit A-01 – spare key' }).waitFor();
    expect(await dialog.getByLabel('Language of the visitor’s instructions').inputValue()).toBe('fr');
    // The booking just made is listed for this key, with a cancel button.
    const existing = dialog.getByRole('region', { name: 'Existing bookings' });
    await existing.getByText('e2e.visitor@example.com').waitFor();
    await existing.getByRole('button', { name: 'Cancel booking of e2e.visitor@example.com for Unit A-01 – spare key' }).click();
    await popup.getByRole('status').filter({ hasText: 'The booking of e2e.visitor@example.com is being cancelled.' }).waitFor();
    await expect.poll(async () => (await world.accessesOfKey('10001')).length, { timeout: 20_000 }).toBe(0);
    await popup.close();
  });
});
