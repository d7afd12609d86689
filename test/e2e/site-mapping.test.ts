/**
 * Mapping a whole site in one sitting, in real Chromium with the built extension: the sandbox
 * location (48 units, 51 locks with mixed naming, as `npm start` seeds it) is mapped from the
 * admin page's review screen with "Accept all high-confidence" and one corrected row, then
 * checked and applied; the mappings are read back from the API. Prints the operator's actions
 * and the wall time beside the by-hand estimate (about 6 actions and 20 s per unit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoLocks, demoUnits } from '../../sandbox/demo-data.ts';
import { configureApi } from './helpers/extension.ts';
import { startWorld, type World } from './helpers/sandbox-world.ts';

let world: World;
let admin: Page;

beforeAll(async () => {
  world = await startWorld();
  await configureApi(world.browser, world.api);
  admin = await world.browser.context.newPage();
  await admin.goto(world.browser.extensionUrl('/admin.html'));
});

afterAll(() => world?.close());

describe('the whole-site mapping review', () => {
  it('maps every unit: accept all high-confidence, correct one row, check, apply', async () => {
    const units = demoUnits();
    const locks = demoLocks(units);
    const started = performance.now();
    let actions = 0;
    const act = async (p: Promise<unknown>) => {
      actions++;
      await p;
    };

    const review = admin.getByRole('region', { name: 'Map the whole site', exact: true });
    const acceptAll = review.getByRole('button', { name: /^Accept all high-confidence \(\d+\)$/ });
    await acceptAll.waitFor({ timeout: 30_000 });
    const high = Number((await acceptAll.textContent())!.match(/\((\d+)\)/)![1]);
    expect(high).toBeGreaterThanOrEqual(45);
    await act(acceptAll.click());

    // A-01's door is really the loading bay: change that one row with the lock picker.
    await act(review.getByRole('button', { name: 'Change lock of A-01' }).click());
    const picker = review.getByRole('region', { name: 'Choose the lock for unit A-01' });
    await act(picker.getByRole('searchbox', { name: 'Search locks' }).fill('loading'));
    await act(picker.getByRole('button', { name: /^Loading bay/ }).click());
    await review.getByRole('button', { name: 'Undo my choice for A-01' }).waitFor();

    const check = review.getByRole('button', { name: /^Check \d+ mappings$/ });
    const ticked = Number((await check.textContent())!.match(/\d+/)![0]);
    // Every high-confidence pair and the corrected row (A-01's proposed lock is high too).
    expect(ticked).toBe(high);
    await act(check.click());
    await review.getByText(/^Check passed: \d+ new, 0 replaced/).waitFor();
    await act(review.getByRole('button', { name: `Apply ${ticked} mappings` }).click());

    const lockOf = new Map<string, string>();
    await expect
      .poll(
        async () => {
          const { body } = await world.api.json('GET', '/v1/mappings?limit=200');
          for (const m of body.items) lockOf.set(m.unit.externalId, m.lockId);
          return body.total;
        },
        { timeout: 30_000 },
      )
      .toBe(ticked);
    const seconds = (performance.now() - started) / 1000;

    const loadingBay = locks.find((l) => l.title === 'Loading bay')!;
    expect(lockOf.get('U1000')).toBe(loadingBay.id);
    // Every other mapped unit got the lock named like it (demo-data: "A02 door", "Storage A-03", …).
    for (const [i, unit] of units.entries()) if (i > 0 && lockOf.has(unit.externalId)) expect(lockOf.get(unit.externalId), unit.name).toBe(locks[i]!.id);
    console.log(
      `site mapping: ${units.length} units (${ticked} mapped) in ${actions} actions and ${seconds.toFixed(1)} s on the review screen; ` +
        `by hand about ${units.length * 6} actions and ${Math.round((units.length * 20) / 60)} min`,
    );
  });
});
