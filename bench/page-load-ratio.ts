/**
 * What the extension costs the pages it runs on, in Chromium: the sandbox Tapkey portal's lock
 * page (served as https://my.tapkey.com) and the sandbox manager's unit page (with the demo
 * manager's site profile added and granted in options, as a user does), each loaded with the
 * built extension and in a Chromium without it. Per page: the load event (ms from navigation
 * start) with and without the extension — their ratio is the extension's cost to the page — and,
 * with the extension, when "Map to Tapkey lock" became visible. Medians over `--runs` loads,
 * after one warm-up load each; the browsers take turns, with a quiet moment after each load. A
 * third browser runs an extension whose content script is empty on the same pages: the bound.
 *
 * Both browsers start alike (a persistent profile, the same flags; only the extension differs),
 * and both pages get the same watcher script, so the ratio is the extension's cost alone and
 * not the profile's or the watcher's (which looks through the page on every change).
 *
 *   npx tsx bench/page-load-ratio.ts [--runs 15] [--build <dir>]      (build first: npm run build:chrome)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { demoUnits } from '../sandbox/demo-data.ts';
import { startManagerSandbox } from '../sandbox/manager/index.ts';
import { startE2eApi } from '../test/e2e/helpers/api.ts';
import { CHROMIUM, configureApi, launchWithExtension } from '../test/e2e/helpers/extension.ts';
import { buildWithHostPermissions } from '../test/e2e/helpers/granted-build.ts';
import { servePortalAsTapkey } from '../test/e2e/helpers/portal.ts';
import { median } from './stats.ts';

export interface PageFigures {
  name: string;
  /** Median load event end, ms from navigation start. */
  withExtension: number;
  withoutExtension: number;
  /** The same with an extension whose content script, on the same pages, is empty: what any extension costs. */
  withEmptyExtension: number;
  /** Median ms from navigation start to the control visible (with the extension). */
  controlVisible: number;
}

export interface PageLoadRatioFigures {
  runs: number;
  pages: PageFigures[];
}

/** Records when a button labelled "Map to Tapkey lock" appears in any open shadow root. */
const watchForControl = `
  window.__abControl = undefined;
  const seen = new WeakSet();
  const check = () => {
    if (window.__abControl !== undefined) return;
    for (const host of document.querySelectorAll('*')) {
      const root = host.shadowRoot;
      if (!root) continue;
      if (!seen.has(root)) {
        seen.add(root);
        new MutationObserver(check).observe(root, { childList: true, subtree: true, characterData: true });
      }
      for (const b of root.querySelectorAll('button')) if (b.textContent.includes('Map to Tapkey lock')) { window.__abControl = performance.now(); return; }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
`;

/**
 * A quiet moment after each load, the same for both browsers: the extension's work after a
 * load (the mapping lookup, the lock capture through the background and the API, which runs in
 * this process) must not overlap the next load, as it would not when a person opens pages.
 */
const SETTLE_MS = 500;

type Load = { load: number; control?: number };

async function loadOnce(page: Page, url: string, control: boolean): Promise<Load> {
  await page.goto(url, { waitUntil: 'load' });
  if (control) await page.waitForFunction('window.__abControl !== undefined', null, { timeout: 15_000 });
  const t = (await page.evaluate(`({ load: performance.getEntriesByType('navigation')[0].loadEventEnd, control: window.__abControl })`)) as Load;
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return t;
}

/**
 * `runs` loads of `url` in each browser, taking turns (so a drift of the shared machine weighs
 * on both alike), after one warm-up load each.
 */
async function loadTimes(withExt: Page, without: Page, withEmpty: Page, url: string, runs: number) {
  const a: Load[] = [];
  const b: Load[] = [];
  const c: Load[] = [];
  for (let i = 0; i <= runs; i++) {
    const x = await loadOnce(withExt, url, true);
    const y = await loadOnce(without, url, false);
    const z = await loadOnce(withEmpty, url, false);
    if (i === 0) continue;
    a.push(x);
    b.push(y);
    c.push(z);
  }
  const load = (ts: Load[]) => median(ts.map((t) => t.load));
  return { withExtension: load(a), withoutExtension: load(b), withEmptyExtension: load(c), controlVisible: median(a.map((t) => t.control!)) };
}

/**
 * An extension that runs an empty content script on the pages measured, at the same moment as
 * ours (document_idle), with an empty service worker: the bound no content script goes below.
 */
function emptyExtension(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'ab-empty-extension-'));
  const matches = ['https://my.tapkey.com/*', 'http://127.0.0.1/*'];
  const manifest = {
    manifest_version: 3,
    name: 'Empty content script',
    version: '1.0',
    background: { service_worker: 'background.js' },
    host_permissions: matches,
    content_scripts: [{ matches, run_at: 'document_idle', js: ['content.js'] }],
  };
  writeFileSync(join(path, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(path, 'background.js'), '');
  writeFileSync(join(path, 'content.js'), '');
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** `build`: another built extension to measure (e.g. an earlier one), default .output/chrome-mv3. */
export async function runPageLoadRatioBench({ runs = 15, build: source }: { runs?: number; build?: string } = {}): Promise<PageLoadRatioFigures> {
  const manager = await startManagerSandbox();
  const portal = await servePortalAsTapkey({ renderDelayMs: 0 });
  const api = await startE2eApi({ sandboxUrls: { manager: manager.url } });
  const build = await buildWithHostPermissions(['http://127.0.0.1/*'], ['content-scripts/manager.js'], source);
  const browser = await launchWithExtension({ extensionPath: build.path, hostRules: [portal.hostRule], ignoreCertificateErrors: true });
  const empty = emptyExtension();
  const emptyBrowser = await launchWithExtension({ extensionPath: empty.path, hostRules: [portal.hostRule], ignoreCertificateErrors: true });
  const plainProfile = mkdtempSync(join(tmpdir(), 'ab-chromium-plain-'));
  const plain = await chromium.launchPersistentContext(plainProfile, {
    executablePath: CHROMIUM,
    headless: true,
    ignoreHTTPSErrors: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', `--host-resolver-rules=${portal.hostRule}`, '--ignore-certificate-errors'],
  });
  try {
    for (const u of demoUnits()) await api.json('PUT', `/v1/units/${u.externalId}`, { name: u.name });
    const options = await configureApi(browser, api);
    const sites = options.getByRole('region', { name: 'Manager sites' });
    await sites.getByRole('button', { name: 'Use the demo manager' }).click();
    await sites.getByRole('region', { name: 'Demo manager (sandbox)' }).getByRole('button', { name: 'Grant access to this site' }).click();
    await options.getByRole('status').filter({ hasText: `AccessBridge now works on ${manager.url}.` }).waitFor();

    const withExt = await browser.context.newPage();
    await withExt.addInitScript({ content: watchForControl });
    const without = await plain.newPage();
    await without.addInitScript({ content: watchForControl });
    const withEmpty = await emptyBrowser.context.newPage();
    await withEmpty.addInitScript({ content: watchForControl });
    const pages = [
      { name: 'Tapkey portal lock page', url: portal.at(portal.lockPath(portal.locks[0]!.id)) },
      { name: 'Manager unit page', url: `${manager.url}/units/${demoUnits()[0]!.externalId}` },
    ];
    const out: PageFigures[] = [];
    for (const p of pages) out.push({ name: p.name, ...(await loadTimes(withExt, without, withEmpty, p.url, runs)) });
    return { runs, pages: out };
  } finally {
    await plain.close();
    rmSync(plainProfile, { recursive: true, force: true });
    await browser.close();
    await emptyBrowser.close();
    empty.remove();
    build.remove();
    await api.close();
    await portal.close();
    await manager.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, build: { type: 'string' } } });
  const f = await runPageLoadRatioBench({ runs: Number(values.runs), build: values.build });
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  console.table(f.pages.map((p) => ({ ...p, ratio: ratio(p.withExtension, p.withoutExtension), emptyRatio: ratio(p.withEmptyExtension, p.withoutExtension) })));
}
