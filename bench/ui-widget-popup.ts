/**
 * Figures of the Keycafe UI surfaces (build first: `npm run build:chrome && npm run build:widget`):
 *   - the widget script (.output/widget/accessbridge-widget.js) and the popup (popup.html and
 *     every script, preloaded chunk and stylesheet it loads), raw and gzip;
 *   - the popup's time to first paint in Chromium with the built extension: first-contentful-
 *     paint and the moment its content (connection, recent bookings and captures, from
 *     storage) is rendered, in ms from navigation start — with the API up, with the API down
 *     (connection refused) and with an API that accepts connections but never answers. No
 *     network call is on the first-paint path, so the three should not differ.
 * Medians over `--runs` openings (after one warm-up).
 *
 *   npx tsx bench/ui-widget-popup.ts [--runs 15]
 */
import { createServer, type Socket } from 'node:net';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { startKeycafeE2eWorld } from '../test/keycafe-ui/e2e-world.ts';
import { CHROME_BUILD, configureApi, launchWithExtension, type ExtensionBrowser } from '../test/e2e/helpers/extension.ts';
import { median } from './stats.ts';

export const WIDGET_BUILD = join(import.meta.dirname, '../.output/widget/accessbridge-widget.js');

export interface Size {
  bytes: number;
  gzipBytes: number;
}

export interface PopupPaint {
  /** first-contentful-paint, ms from navigation start */
  firstContentfulPaint: number;
  /** the popup's content rendered from storage (performance mark), ms from navigation start */
  contentRendered: number;
}

export interface UiFigures {
  runs: number;
  widget: Size;
  /** What the popup loads to paint (popup.html and what it references). */
  popup: Size & { files: string[] };
  /** The popup with the booking dialog, which it loads after painting (dynamic imports). */
  popupWithDialog: Size & { files: string[] };
  popupPaint: { apiUp: PopupPaint; apiDown: PopupPaint; apiHanging: PopupPaint };
}

const sizeOf = (files: string[]): Size => {
  let bytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const data = readFileSync(f);
    bytes += data.length;
    gzipBytes += gzipSync(data, { level: 9 }).length;
  }
  return { bytes, gzipBytes };
};

/** popup.html and what it loads: its module script, the chunks it preloads, its stylesheets. */
export function popupFiles(build = CHROME_BUILD): string[] {
  const html = readFileSync(join(build, 'popup.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  return ['popup.html', ...new Set(refs)].map((r) => join(build, r));
}

/** The chunks the popup's script imports dynamically (Vite lists them in its preload map). */
export function popupLazyFiles(build = CHROME_BUILD): string[] {
  const script = popupFiles(build).find((f) => /\/chunks\/popup-[^/]+\.js$/.test(f))!;
  const names = [...readFileSync(script, 'utf8').matchAll(/"(chunks\/[^"]+\.js)"/g)].map((m) => join(build, m[1]!));
  const eager = new Set(popupFiles(build));
  return [...new Set(names)].filter((f) => !eager.has(f));
}

async function measurePopup(browser: ExtensionBrowser, runs: number): Promise<PopupPaint> {
  const fcp: number[] = [];
  const rendered: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('/popup.html'));
    // Functions, not strings: the extension page's CSP forbids evaluating strings.
    await page.waitForFunction(
      () => performance.getEntriesByName('first-contentful-paint').length > 0 && performance.getEntriesByName('accessbridge:popup-rendered').length > 0,
      null,
      { timeout: 15_000 },
    );
    const t = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]!.startTime,
      rendered: performance.getEntriesByName('accessbridge:popup-rendered')[0]!.startTime,
      bookings: document.querySelectorAll('li').length,
    }));
    if (t.bookings === 0) throw new Error('The popup painted without its cached lists');
    if (i > 0) {
      fcp.push(t.fcp);
      rendered.push(t.rendered);
    }
    await page.close();
  }
  return { firstContentfulPaint: median(fcp), contentRendered: median(rendered) };
}

export async function runUiBench({ runs = 15 } = {}): Promise<UiFigures> {
  const widget = sizeOf([WIDGET_BUILD]);
  const rel = (fs: string[]) => fs.map((f) => f.slice(CHROME_BUILD.length + 1));
  const files = popupFiles();
  const all = [...files, ...popupLazyFiles()];
  const popup = { ...sizeOf(files), files: rel(files) };
  const popupWithDialog = { ...sizeOf(all), files: rel(all) };

  // A private copy: other builds rewriting .output meanwhile must not change what is measured.
  const extensionPath = mkdtempSync(join(tmpdir(), 'ab-ui-bench-ext-'));
  cpSync(CHROME_BUILD, extensionPath, { recursive: true });
  const world = await startKeycafeE2eWorld();
  const browser = await launchWithExtension({ extensionPath });
  let hanging: ReturnType<typeof createServer> | null = null;
  const sockets = new Set<Socket>();
  try {
    await (await configureApi(browser, { url: world.apiUrl, token: world.token, organizationName: world.organizationName })).close();
    // Something for the lists: a booking and a captured lock, fetched once into the popup's cache.
    const keys = (await world.json('GET', '/v1/keycafe/keys?limit=1')).body.items;
    await world.json('POST', '/v1/keycafe/bookings', { locationId: world.locationId, keyIds: [keys[0].id], recipient: { email: 'bench@example.com' }, type: 'ongoing' });
    const lock = '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10';
    await world.json('POST', '/v1/locks/captured', { locks: [{ id: lock, title: 'Unit B-07', pageUrl: `https://my.tapkey.com/#/locks/${lock}` }] });
    const warm = await browser.context.newPage();
    await warm.goto(browser.extensionUrl('/popup.html'));
    await warm.getByText('bench@example.com').waitFor();
    await warm.close();

    const apiUp = await measurePopup(browser, runs);
    const port = Number(new URL(world.apiUrl).port);
    await world.server.close();
    const apiDown = await measurePopup(browser, runs);
    // Same address, but nothing ever answers: a refresh would wait for its timeout.
    hanging = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => hanging!.listen(port, '127.0.0.1', resolve));
    const apiHanging = await measurePopup(browser, runs);
    return { runs, widget, popup, popupWithDialog, popupPaint: { apiUp, apiDown, apiHanging } };
  } finally {
    await browser.close();
    for (const s of sockets) s.destroy();
    hanging?.close();
    await world.close();
    rmSync(extensionPath, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
  const f = await runUiBench({ runs: Number(values.runs) });
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`Widget script (accessbridge-widget.js): ${kib(f.widget.bytes)} raw, ${kib(f.widget.gzipBytes)} gzip`);
  console.log(`Popup, to paint (${f.popup.files.join(', ')}): ${kib(f.popup.bytes)} raw, ${kib(f.popup.gzipBytes)} gzip`);
  console.log(`Popup with the booking dialog loaded after painting (+ ${f.popupWithDialog.files.slice(f.popup.files.length).join(', ')}): ${kib(f.popupWithDialog.bytes)} raw, ${kib(f.popupWithDialog.gzipBytes)} gzip`);
  console.log(`Popup time to first paint in Chromium, median of ${f.runs} openings (ms from navigation start):`);
  console.table({ 'API up': f.popupPaint.apiUp, 'API down (refused)': f.popupPaint.apiDown, 'API hanging (no answer)': f.popupPaint.apiHanging });
  console.log(JSON.stringify(f));
}
