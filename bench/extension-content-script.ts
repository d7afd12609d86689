/**
 * The portal content script's cost, measured in Chromium with the built extension
 * (.output/chrome-mv3, run `npm run build:chrome` first):
 *   - its size, raw and gzip;
 *   - page load → "Map to Tapkey lock" visible, and → current mapping shown (one round trip
 *     through the background to the sync API), in ms from the navigation start;
 *   - SPA navigation (click on a lock link, history API) → control for the new lock visible,
 *     and → its mapping shown.
 * The sandbox portal renders with no artificial delay, so the figures are the extension's own
 * time plus the portal's (tiny) render. Reported as medians over `--runs` navigations.
 *
 *   npx tsx bench/extension-content-script.ts [--runs 15]
 */
import { startE2eApi } from '../test/e2e/helpers/api.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { demoUnits } from '../sandbox/demo-data.ts';
import { CHROME_BUILD, configureApi, launchWithExtension } from '../test/e2e/helpers/extension.ts';
import { buildWithHostPermissions } from '../test/e2e/helpers/granted-build.ts';
import { servePortalAsTapkey } from '../test/e2e/helpers/portal.ts';
import { median } from './stats.ts';

export interface ContentScriptFigures {
  runs: number;
  sizeBytes: number;
  gzipBytes: number;
  /** Medians, ms from navigation start (performance.timeOrigin of the new page). */
  pageLoad: { portalHeading: number; controlVisible: number; mappingShown: number };
  /** Medians, ms from the click on a lock link to … */
  spaNavigation: { portalHeading: number; controlVisible: number; mappingShown: number };
}

/**
 * Installed in every page before it loads: timestamps (performance.now()) of the portal's h1,
 * our control for a given lock, and its mapping line, watched with MutationObservers. Plain
 * JavaScript in a string: a function compiled by tsx would carry helpers the page lacks.
 */
const watchForControl = `
  window.__ab = {};
  const check = () => {
    const m = window.__ab;
    const h1 = document.querySelector('h1');
    if (m.heading === undefined && h1 && h1.textContent !== m.oldHeading) m.heading = performance.now();
    const panel = document.querySelector('accessbridge-tapkey')?.shadowRoot?.querySelector('[data-lock-id]');
    if (!panel || (m.lockId && panel.getAttribute('data-lock-id') !== m.lockId)) return;
    if (m.control === undefined) m.control = performance.now();
    const line = panel.querySelector('.ab-current')?.textContent ?? '';
    if (m.mapping === undefined && /Mapped to|Not mapped/.test(line)) m.mapping = performance.now();
  };
  new MutationObserver((records) => {
    for (const r of records)
      for (const n of r.addedNodes)
        if (n.localName === 'accessbridge-tapkey' && n.shadowRoot)
          new MutationObserver(check).observe(n.shadowRoot, { childList: true, subtree: true, characterData: true });
    check();
  }).observe(document, { childList: true, subtree: true });
  window.__abReset = (lockId, clickedAt) => {
    window.__ab = { lockId, clickedAt, oldHeading: document.querySelector('h1')?.textContent ?? '' };
    check();
  };
`;

export async function runContentScriptBench({ runs = 15 } = {}): Promise<ContentScriptFigures> {
  const file = readFileSync(join(CHROME_BUILD, 'content-scripts/tapkey.js'));
  const api = await startE2eApi();
  const portal = await servePortalAsTapkey({ renderDelayMs: 0 });
  // The shipped build's UI roots are closed; the watcher reads our control through an open one
  // (the copy the E2E tests drive, test/e2e/helpers/granted-build.ts: nothing else differs).
  const build = await buildWithHostPermissions([]);
  const browser = await launchWithExtension({ extensionPath: build.path, hostRules: [portal.hostRule], ignoreCertificateErrors: true });
  try {
    for (const u of demoUnits()) await api.json('PUT', `/v1/units/${u.externalId}`, { name: u.name });
    await configureApi(browser, api);
    const page = await browser.context.newPage();
    await page.addInitScript({ content: watchForControl });
    type Marks = { heading?: number; control?: number; mapping?: number; clickedAt?: number };
    const marks = () => page.evaluate('window.__ab') as Promise<Marks>;
    const done = () => page.waitForFunction('window.__ab.mapping !== undefined', null, { timeout: 15_000 });

    const load: Marks[] = [];
    const spa: Marks[] = [];
    // One warm-up of each (worker start, first API connection), not counted.
    for (let i = 0; i <= runs; i++) {
      const lock = portal.locks[i % portal.locks.length]!;
      await page.goto(portal.at(portal.lockPath(lock.id)));
      await done();
      if (i > 0) load.push(await marks());

      const next = portal.locks[(i + 1) % portal.locks.length]!;
      await page.evaluate(`window.__abReset(${JSON.stringify(next.id)}, performance.now());
        document.querySelector('a[href="${portal.lockPath(next.id)}"]').click();`);
      await done();
      if (i > 0) spa.push(await marks());
    }
    const since = (xs: Marks[], key: 'heading' | 'control' | 'mapping', from: (m: Marks) => number) => median(xs.map((m) => m[key]! - from(m)));
    return {
      runs,
      sizeBytes: file.length,
      gzipBytes: gzipSync(file, { level: 9 }).length,
      pageLoad: {
        portalHeading: since(load, 'heading', () => 0),
        controlVisible: since(load, 'control', () => 0),
        mappingShown: since(load, 'mapping', () => 0),
      },
      spaNavigation: {
        portalHeading: since(spa, 'heading', (m) => m.clickedAt!),
        controlVisible: since(spa, 'control', (m) => m.clickedAt!),
        mappingShown: since(spa, 'mapping', (m) => m.clickedAt!),
      },
    };
  } finally {
    await browser.close();
    await portal.close();
    await api.close();
    build.remove();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
  const f = await runContentScriptBench({ runs: Number(values.runs) });
  console.log(`Portal content script (content-scripts/tapkey.js): ${(f.sizeBytes / 1024).toFixed(1)} KiB raw, ${(f.gzipBytes / 1024).toFixed(1)} KiB gzip`);
  console.log(`Median of ${f.runs} navigations in Chromium (ms):`);
  console.table({
    'page load (from navigation start)': f.pageLoad,
    'SPA navigation (from the click)': f.spaNavigation,
  });
  console.log(JSON.stringify(f));
}
