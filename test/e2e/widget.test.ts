/**
 * The embedded widget in real Chromium without the extension: the sandbox demo page (which
 * mints a widget token for its own origin) books Keycafe access and maps a unit to a lock;
 * the booking is in the sandbox Keycafe, the page's hostile styles do not reach the widget,
 * and the same token is refused from another origin.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWidgetDemo, type WidgetDemo } from '../../sandbox/widget-demo/index.ts';
import { startKeycafeE2eWorld, type KeycafeE2eWorld } from '../keycafe-ui/e2e-world.ts';
import { CHROMIUM } from './helpers/extension.ts';

const LOCK_ID = '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10';

let world: KeycafeE2eWorld;
let demo: WidgetDemo;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The sandbox account's "Main entrance master key". */
let masterKey: string;

beforeAll(async () => {
  world = await startKeycafeE2eWorld();
  expect((await world.json('PUT', '/v1/units/U-7', { name: 'B-07' })).status).toBe(201);
  expect((await world.json('POST', '/v1/locks/captured', { locks: [{ id: LOCK_ID, title: 'Unit B-07', pageUrl: `https://my.tapkey.com/#/locks/${LOCK_ID}` }] })).status).toBe(200);
  masterKey = (await world.json('GET', '/v1/keycafe/keys?search=Main%20entrance')).body.items[0].id;
  demo = await startWidgetDemo({ apiUrl: world.apiUrl, apiToken: world.token });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  // A plain context: no extension anywhere.
  context = await browser.newContext();
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await world?.close();
});

describe('<accessbridge-widget> on a page without the extension', () => {
  it('books Keycafe access for the key the page names, visible in the sandbox Keycafe', async () => {
    await page.goto(`${demo.url}/?key=${masterKey}&unit=U-7`);
    const section = page.getByRole('region', { name: 'Keycafe booking' });
    const open = section.getByRole('button', { name: 'Grant Keycafe access' });
    await open.waitFor();

    // The page restyles every button it can reach; the widget's shadow root keeps its own.
    const look = await open.evaluate((b) => {
      const s = getComputedStyle(b);
      return { background: s.backgroundColor, transform: getComputedStyle(b.closest('.ab-widget') ?? b).textTransform };
    });
    expect(look).toEqual({ background: 'rgb(47, 91, 211)', transform: 'none' });

    await open.click();
    const dialog = page.getByRole('dialog', { name: 'Grant Keycafe access' });
    await dialog.getByRole('button', { name: 'Remove Main entrance master key' }).waitFor();
    await dialog.getByText('(Europe/Berlin)', { exact: false }).first().waitFor();
    await dialog.getByRole('radio', { name: 'Mobile number (SMS)' }).check();
    await dialog.getByLabel('Country of the number').selectOption('DE');
    await dialog.getByLabel('Visitor’s mobile number').fill('0151 23456789');
    await dialog.getByLabel('Start date').fill('2030-07-01');
    await dialog.getByLabel('Start time').fill('08:30');
    await dialog.getByLabel('End date').fill('2030-07-03');
    await dialog.getByLabel('End time').fill('12:00');
    await dialog.getByRole('button', { name: 'Grant access' }).click();

    await dialog.getByRole('heading', { name: 'Access granted' }).waitFor({ timeout: 30_000 });
    const code = (await dialog.locator('code').first().textContent())!;
    const [access] = (await world.accessesOfKey(masterKey)).filter((a) => a.bookingCode === code);
    // The documented access object (sandbox/keycafe/SOURCES.md).
    expect(access).toMatchObject({
      key: { id: Number(masterKey), name: 'Main entrance master key' },
      user: { mobile: '4915123456789' },
      accessStartDate: '2030-07-01',
      accessStartTime: '08:30',
      accessEndDate: '2030-07-03',
      accessEndTime: '12:00',
      timeZone: 'Europe/Berlin',
    });
    const { body } = await world.json('GET', '/v1/audit-events?entity=keycafe_booking&limit=50');
    const created = body.items.find((e: { action: string }) => e.action === 'keycafe.booking.created');
    expect(created.actor).toBe(`widget:bootstrap@${demo.url}`);

    await dialog.getByRole('button', { name: 'Close' }).click();
    await section.getByRole('status').filter({ hasText: `Last booking: ${code}` }).waitFor();
  });

  it('maps the page’s unit to the suggested Tapkey lock', async () => {
    const mapping = page.getByRole('region', { name: 'Lock mapping' });
    await mapping.getByText('Not mapped to a Tapkey lock yet.').waitFor();
    await mapping.getByRole('list', { name: 'Suggested for this unit' }).getByRole('button', { name: 'Map to Unit B-07' }).click();
    await mapping.getByRole('status').filter({ hasText: 'Unit B-07 is now mapped to lock “Unit B-07”.' }).waitFor();
    const { body } = await world.json('GET', '/v1/mappings?unitExternalId=U-7');
    expect(body.items[0]).toMatchObject({ lockId: LOCK_ID });
  });

  it('the page’s token is refused from another origin', async () => {
    const html = await (await fetch(demo.url)).text();
    const token = html.match(/token="(abw_[^"]+)"/)![1]!;
    // localhost is another origin than 127.0.0.1 for the browser, and for the token.
    const other = await context.newPage();
    await other.goto(`${demo.url.replace('127.0.0.1', 'localhost')}/?key=${masterKey}`);
    await other.evaluate((t) => document.querySelector('accessbridge-widget')!.setAttribute('token', t), token);
    await other.getByRole('alert').filter({ hasText: 'may not use this widget token' }).waitFor();
    await other.close();
  });
});
