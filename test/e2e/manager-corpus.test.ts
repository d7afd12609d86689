/**
 * A manager nobody wrote a profile for, set up only through the options, in real Chromium with
 * the built extension: the corpus's hash-routed single-page manager (German labels and dates,
 * label/value rows, a menu and breadcrumbs linking to the unit list, content rendered late) is
 * served from a local server; the admin opens a unit and a booking page, adds "another
 * manager", lets AccessBridge guess from the open tabs, checks every value in the preview,
 * saves and grants; then maps the unit to a Tapkey lock from its page and follows the app's
 * own link to the booking, which is pushed to the API as the page shows it.
 *
 * Permissions as in manager.test.ts: the test build already lists http://127.0.0.1/* (the
 * corpus server's host), so `permissions.request` resolves without the prompt headless
 * Chromium cannot click.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLocks, demoUnits } from '../../sandbox/demo-data.ts';
import { startTapkeySandbox, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import { layouts } from '../fixtures/managers/corpus.ts';
import { serveLayout, type ServedLayout } from '../fixtures/managers/serve.ts';
import { startE2eApi, type E2eApi } from './helpers/api.ts';
import type { ExtensionBrowser } from './helpers/extension.ts';
import { berlinMitteOnSandbox, launchGranted, type GrantedBrowser } from './helpers/fakes.ts';

const layout = layouts.find((l) => l.name === 'rows-hash-spa')!;
const usLayout = layouts.find((l) => l.name === 'cards-history-spa')!;
const lock = demoLocks(demoUnits())[0]!;

let api: E2eApi;
let tapkey: TapkeySandbox;
let site: ServedLayout;
let usSite: ServedLayout;
let granted: GrantedBrowser;
let browser: ExtensionBrowser;
let options: Page;
let unitTab: Page;
let bookingTab: Page;

const status = (p: Page, text: string | RegExp) => p.getByRole('status').filter({ hasText: text });

beforeAll(async () => {
  tapkey = await startTapkeySandbox();
  site = await serveLayout(layout);
  usSite = await serveLayout(usLayout);
  api = await startE2eApi({ worker: true, sandboxUrls: { tapkeyApi: tapkey.url } });
  // The location the unit page names ("Standort: Berlin Mitte"), with the sandbox's locks.
  await berlinMitteOnSandbox(api);

  granted = await launchGranted(api, ['content-scripts/manager.js', 'manager-preview.js']);
  ({ browser, options } = granted);
});

afterAll(async () => {
  await granted?.close();
  await api?.close();
  await site?.close();
  await usSite?.close();
  await tapkey?.close();
});

describe('another manager, guessed from its open tabs', () => {
  it('guesses a profile from a unit and a booking tab and shows every value before saving', async () => {
    unitTab = await browser.context.newPage();
    await unitTab.goto(site.url + layout.unit.path);
    await unitTab.getByRole('heading', { level: 1, name: 'Einheit C-07' }).waitFor();
    bookingTab = await browser.context.newPage();
    await bookingTab.goto(site.url + layout.booking.path);
    await bookingTab.getByRole('heading', { level: 1, name: 'Buchung 12' }).waitFor();

    await options.bringToFront();
    const sites = options.getByRole('region', { name: 'Manager sites' });
    await sites.getByRole('button', { name: 'Add another manager' }).click();
    const editor = options.getByRole('form', { name: 'New site profile' });
    await editor.getByLabel('Site address').fill(site.url);
    await editor.getByRole('button', { name: 'Guess from open tabs' }).click();
    await editor.getByText(/^Guessed from 2 open tab\(s\) of http:\/\/127\.0\.0\.1:\d+\..*Pages recognised: (unit page, booking page|booking page, unit page)\.$/).waitFor();

    const result = editor.getByRole('region', { name: 'Test result' });
    const value = async (field: string) => (await result.getByRole('row', { name: new RegExp(`^${field}`) }).getByRole('cell').innerText()).trim();
    // Each tab in turn, through the preview's own tab choice.
    await result.getByLabel('Tab to test on').selectOption({ label: 'Buchung 12 – Lagerwelt' });
    await result.getByText('Booking page: “Buchung 12 – Lagerwelt”').waitFor();
    await result.getByText('Every required value was read.').waitFor();
    expect(await value('Booking ID')).toBe('12');
    expect(await value('Unit ID of the booking')).toBe('7');
    expect(await value('Tenant name')).toBe('Lena Schmidt');
    expect(await value('Tenant email')).toBe('lena.schmidt@example.de');
    expect(await value('Tenant phone')).toBe('+49 151 2345678');
    expect(await value('Move-in date')).toBe('2026-04-15');
    expect(await value('Move-out date')).toBe('not on this page');
    expect(await value('Booking state')).toBe('reserved');

    await result.getByLabel('Tab to test on').selectOption({ label: 'Einheit C-07 – Lagerwelt' });
    await result.getByText('Unit page: “Einheit C-07 – Lagerwelt”').waitFor();
    expect(await value('Unit ID')).toBe('7');
    expect(await value('Unit name')).toBe('C-07');
    expect(await value('Location')).toBe('Berlin Mitte');

    await editor.getByRole('button', { name: 'Save profile' }).click();
    await status(options, 'Profile “127.0.0.1” saved.').waitFor();
  });

  it('grants the site, which brings the controls to the open unit tab', async () => {
    const profile = options.getByRole('region', { name: 'Manager sites' }).getByRole('region', { name: '127.0.0.1' });
    await profile.getByRole('button', { name: 'Grant access to this site' }).click();
    await status(options, `AccessBridge now works on ${site.url}.`).waitFor();
    await unitTab.bringToFront();
    await unitTab.getByRole('button', { name: 'Map to Tapkey lock' }).waitFor();
    await unitTab.getByText('Unit C-07 is not mapped to a Tapkey lock yet.').waitFor();
    expect((await api.json('GET', '/v1/units/7')).body).toMatchObject({ externalId: '7', name: 'C-07', locationId: expect.any(String) });
  });

  it('maps the unit to a lock from its page', async () => {
    await unitTab.getByRole('button', { name: 'Map to Tapkey lock' }).click();
    const dialog = unitTab.getByRole('dialog', { name: 'Map unit C-07 to a Tapkey lock' });
    await dialog.getByLabel('Search locks').fill(lock.title);
    await dialog.getByRole('button', { name: lock.title }).first().click();
    await status(unitTab, `Unit C-07 is now mapped to lock “${lock.title}”.`).waitFor();
    const mapping = await api.json('GET', '/v1/mappings?unitExternalId=7');
    expect(mapping.body.items).toEqual([expect.objectContaining({ lockId: lock.id, unit: expect.objectContaining({ externalId: '7' }) })]);
  });

  it('follows the app’s hash link to the booking, reads it once rendered and pushes it', async () => {
    // From the unit page (again, should this test be retried after the click).
    if (!unitTab.url().endsWith(layout.unit.path)) await unitTab.goto(site.url + layout.unit.path);
    await unitTab.getByRole('link', { name: 'Buchung 12' }).click();
    await unitTab.getByRole('heading', { level: 1, name: 'Buchung 12' }).waitFor();
    await unitTab.getByText(/^Tapkey access: /).waitFor({ timeout: 20_000 });
    const booking = await api.json('GET', '/v1/bookings/12');
    expect(booking.status).toBe(200);
    expect(booking.body).toMatchObject({
      externalId: '12',
      unitExternalId: '7',
      tenantEmail: 'lena.schmidt@example.de',
      tenantPhone: '+49 151 2345678',
      moveIn: '2026-04-15',
      moveOut: null,
      state: 'reserved',
    });
  });
});

describe('the Kinnovis template on a history-routed manager with US dates', () => {
  it('is added, told the date order, saved and granted through the options, and reads the booking the app renders late', async () => {
    await options.bringToFront();
    const sites = options.getByRole('region', { name: 'Manager sites' });
    await sites.getByRole('button', { name: 'Add Kinnovis Manager' }).click();
    const editor = options.getByRole('form', { name: 'New site profile' });
    await editor.getByLabel('Site address').fill(usSite.url);
    // The one edit the corpus names for this layout: its dates are month first.
    await editor.getByLabel('Dates such as 01/02/2026 are written').selectOption({ label: 'month/day/year' });
    await editor.getByRole('button', { name: 'Save profile' }).click();
    await status(options, 'Profile “Kinnovis Manager” saved.').waitFor();
    await sites.getByRole('region', { name: 'Kinnovis Manager' }).getByRole('button', { name: 'Grant access to this site' }).click();
    await status(options, `AccessBridge now works on ${usSite.url}.`).waitFor();

    const tab = await browser.context.newPage();
    await tab.goto(usSite.url + usLayout.unit.path);
    await tab.getByRole('button', { name: 'Map to Tapkey lock' }).waitFor();
    expect((await api.json('GET', '/v1/units/u_8f3a2')).body).toMatchObject({ name: 'Locker 14' });
    // The app's own link: pushState, then the content a moment later.
    await tab.getByRole('link', { name: 'Booking bk_1042' }).click();
    await tab.getByRole('heading', { level: 1, name: 'Booking bk_1042' }).waitFor();
    await tab.getByText(/^Tapkey access: /).waitFor({ timeout: 20_000 });
    expect(await tab.getByText('AccessBridge cannot read this page').count()).toBe(0);
    expect((await api.json('GET', '/v1/bookings/bk_1042')).body).toMatchObject({
      unitExternalId: 'u_8f3a2',
      tenantEmail: 'maria.lopez@example.com',
      tenantPhone: '(512) 555-0147',
      moveIn: '2026-03-05',
      moveOut: '2027-03-14',
    });
  });
});
