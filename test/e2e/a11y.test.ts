/**
 * Accessibility in real Chromium: axe-core (injected into each page; it walks open shadow
 * roots) on every surface a user meets — options with the guided setup, the popup, the
 * "Grant Keycafe access" booking dialog, and the injected controls and dialogs on the sandbox
 * Tapkey portal and manager pages — must report no serious or critical finding. The same
 * states are saved as the README's screenshots (docs/screenshots), so those stay current.
 * Keyboard: the dialogs are opened and closed by keyboard here (Enter, Escape) and focus goes
 * back to the opener.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeFindings, saveShot, setUpThroughOptions, startWorld, type World } from './helpers/sandbox-world.ts';
import { demoLocks, demoUnits } from '../../sandbox/demo-data.ts';

const locks = demoLocks(demoUnits());
let world: World;
let options: Page;

beforeAll(async () => {
  world = await startWorld({ lang: 'en' });
  options = await setUpThroughOptions(world, 'en');
});

afterAll(async () => {
  await world?.close();
});

/** The element that has focus, looking into open shadow roots. */
const deepFocus = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.textContent?.trim() ?? null;
  });

/** The area around the injected panel (it lives in a shadow root, fixed at the bottom right). */
async function panelBox(page: Page, firstText: string, lastButton: string) {
  const top = await page.getByText(firstText).boundingBox();
  const end = await page.getByRole('button', { name: lastButton }).boundingBox();
  if (!top || !end) throw new Error('The panel is not on screen');
  const pad = 24;
  return { x: top.x - pad, y: top.y - pad, width: end.x + end.width - top.x + 2 * pad, height: end.y + end.height - top.y + 2 * pad };
}

describe('accessibility (axe-core, zero serious/critical)', () => {
  it('the check itself finds serious problems (so a clean result means something)', async () => {
    const page = await world.browser.context.newPage();
    await page.setContent('<main><button></button><input type="text"><p style="color:#bbb;background:#fff">faint text</p></main>');
    const found = await axeFindings(page);
    expect(found.some((f) => f.includes('button-name'))).toBe(true);
    expect(found.some((f) => f.includes('label'))).toBe(true);
    expect(found.some((f) => f.includes('color-contrast'))).toBe(true);
    await page.close();
  });

  it('options page with the guided setup', async () => {
    const guide = options.getByRole('region', { name: 'Get started' });
    await guide.getByText('Step 4 of 4 done').waitFor();
    await guide.getByRole('status').filter({ hasText: 'All set' }).waitFor();
    expect(await axeFindings(options)).toEqual([]);
    await options.setViewportSize({ width: 900, height: 900 });
    await saveShot(guide, 'options-setup');
    await saveShot(options, 'options');
  });

  it('Tapkey portal: "Map to Tapkey lock" and its dialog, by keyboard', async () => {
    const page = await world.browser.context.newPage();
    await page.setViewportSize({ width: 1100, height: 760 });
    await page.goto(world.portal.at(world.portal.lockPath(locks[0]!.id)));
    const map = page.getByRole('button', { name: 'Map to Tapkey lock' });
    await map.waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await saveShot(page, 'portal-map-button', await panelBox(page, 'Not mapped to a unit yet', 'Copy lock ID'));

    await map.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Map “Unit A-01” to a unit' });
    await dialog.getByRole('region', { name: 'Suggested for this lock' }).waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await saveShot(dialog, 'portal-mapping-dialog');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await deepFocus(page)).toBe('Map to Tapkey lock');

    // Map it for real, so the README's "mapped lock" step is what this page shows.
    await map.click();
    await dialog.getByRole('region', { name: 'Suggested for this lock' }).getByRole('button', { name: /^A-01\b/ }).click();
    await page.getByRole('status').filter({ hasText: 'Lock “Unit A-01” is now mapped to unit A-01.' }).waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await page.close();
  });

  it('manager unit page: the control and the lock picker dialog', async () => {
    const page = await world.browser.context.newPage();
    await page.setViewportSize({ width: 1100, height: 760 });
    await page.goto(`${world.managerUrl}/units/U1001`);
    const map = page.getByRole('button', { name: 'Map to Tapkey lock' });
    await map.waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await saveShot(page, 'manager-unit-page');

    await map.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Map unit A-02 to a Tapkey lock' });
    await dialog.getByRole('region', { name: 'Suggested for this unit' }).waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await saveShot(dialog, 'manager-lock-picker');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await deepFocus(page)).toBe('Map to Tapkey lock');
    await page.close();
  });

  it('popup and the "Grant Keycafe access" booking dialog', async () => {
    const page = await world.browser.context.newPage();
    await page.setViewportSize({ width: 420, height: 640 });
    await page.goto(world.browser.extensionUrl('/popup.html'));
    await page.getByText(`Connected to ${world.api.organizationName}`).waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await saveShot(page, 'popup');

    await page.setViewportSize({ width: 760, height: 900 });
    const open = page.getByRole('button', { name: 'Grant Keycafe access' });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Grant Keycafe access' });
    await dialog.waitFor();
    await page.waitForTimeout(500);
    expect(await axeFindings(page)).toEqual([]);
    await saveShot(page, 'keycafe-booking-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Focus returns to the opener once the dialog has unmounted (a frame later).
    await expect.poll(() => deepFocus(page)).toBe('Grant Keycafe access');
    await page.close();
  });
});
