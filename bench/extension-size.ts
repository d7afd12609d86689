/**
 * What each extension entry costs to load: raw and gzip size of every script that runs in a page
 * (content scripts in the manifest, those registered at run time from content-scripts/, and
 * unlisted scripts injected with scripting.executeScript), the background service
 * worker, every extension page (its HTML and the scripts, preloaded chunks and stylesheets it
 * loads), and the embeddable widget. Read from the builds (`npm run build:chrome`,
 * `npm run build:widget`). The baseline, built in the same run: Preact + @preact/signals alone,
 * minified, the floor any UI entry of this stack starts from.
 *
 *   npx tsx bench/extension-size.ts
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Rollup } from 'vite';

const root = fileURLToPath(new URL('../', import.meta.url));
export const CHROME_OUTPUT = join(root, '.output/chrome-mv3');
export const WIDGET_OUTPUT = join(root, '.output/widget/accessbridge-widget.js');
/** Chunk name → its files, written by widget/vite.config.ts beside the script. */
export const WIDGET_CHUNKS = join(root, '.output/widget/widget-chunks.json');
/** Issue 18: what a page loads for the widget before a view is used. */
const WIDGET_SCRIPT_LIMIT = { gzipBytes: 30_000, label: '≤ 30 KB gzip before a view is used' };

export interface EntrySize {
  entry: string;
  kind: 'content-script' | 'background' | 'page' | 'widget';
  files: string[];
  bytes: number;
  gzipBytes: number;
  /** A target, when the entry has one. */
  limit?: { gzipBytes: number; label: string };
}

export interface SizeFigures {
  entries: EntrySize[];
  /** Preact + signals, minified: the framework floor. */
  baseline: { bytes: number; gzipBytes: number };
}

const gzip = (data: Uint8Array) => gzipSync(data, { level: 9 }).length;

function sizeOf(entry: string, kind: EntrySize['kind'], base: string, files: string[]): EntrySize {
  let bytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const data = readFileSync(join(base, f));
    bytes += data.length;
    gzipBytes += gzip(data);
  }
  return { entry, kind, files, bytes, gzipBytes };
}

/** An extension page and what it loads: module scripts, preloaded chunks, stylesheets. */
function pageFiles(html: string): string[] {
  const text = readFileSync(join(CHROME_OUTPUT, html), 'utf8');
  const refs = [...text.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  return [html, ...new Set(refs)];
}

interface Manifest {
  background?: { service_worker?: string; scripts?: string[] };
  content_scripts?: { js?: string[] }[];
  action?: { default_popup?: string };
  options_ui?: { page?: string };
  options_page?: string;
}

/** Preact + signals rendering a signal: built with Vite as an IIFE, minified, in memory. */
async function frameworkFloor(): Promise<{ bytes: number; gzipBytes: number }> {
  const id = '\0accessbridge-floor';
  const out = (await build({
    root,
    configFile: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'floor-entry',
        enforce: 'pre',
        // Vite hands the lib entry over as a path under `root`.
        resolveId: (source) => (source.endsWith('accessbridge-floor') ? id : null),
        load: (source) =>
          source === id ? `import { h, render } from 'preact'; import { signal } from '@preact/signals'; const s = signal('x'); render(h('p', null, s), document.body);` : null,
      },
    ],
    build: { write: false, minify: true, lib: { entry: 'accessbridge-floor', formats: ['iife'], name: 'floor' }, rollupOptions: { output: { inlineDynamicImports: true } } },
  })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
  const output = (Array.isArray(out) ? out[0]! : out).output.find((o) => o.type === 'chunk') as Rollup.OutputChunk;
  const data = Buffer.from(output.code);
  return { bytes: data.length, gzipBytes: gzip(data) };
}

/**
 * The widget: its script, all a page loads before a view is used (with the target), then, as
 * information, what a view's first use adds: its chunks and one language's strings (English).
 */
function widgetSizes(): EntrySize[] {
  const dir = dirname(WIDGET_OUTPUT);
  const script = { ...sizeOf('script before a view is used', 'widget', dir, ['accessbridge-widget.js']), limit: WIDGET_SCRIPT_LIMIT };
  if (!existsSync(WIDGET_CHUNKS)) return [script];
  const chunks = JSON.parse(readFileSync(WIDGET_CHUNKS, 'utf8')) as Record<string, string[]>;
  const views = Object.keys(chunks).filter((name) => !name.startsWith('strings-'));
  return [script, ...views.map((view) => sizeOf(`${view} view, first use adds (with strings-en)`, 'widget', dir, [...chunks[view]!, ...(chunks['strings-en'] ?? [])]))];
}

export async function runSizeBench(): Promise<SizeFigures> {
  const manifest = JSON.parse(readFileSync(join(CHROME_OUTPUT, 'manifest.json'), 'utf8')) as Manifest;
  const entries: EntrySize[] = [];
  const listed = new Set((manifest.content_scripts ?? []).flatMap((c) => c.js ?? []));
  // Content scripts registered at run time (scripting.registerContentScripts) are built there too.
  const dir = join(CHROME_OUTPUT, 'content-scripts');
  const all = new Set([...listed, ...(existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => `content-scripts/${f}`) : [])]);
  for (const file of [...all].sort()) entries.push(sizeOf(file.replace(/^content-scripts\/|\.js$/g, ''), 'content-script', CHROME_OUTPUT, [file]));
  const worker = manifest.background?.service_worker ?? manifest.background?.scripts?.[0];
  // Unlisted scripts at the top level are injected into pages (scripting.executeScript): they run there too.
  for (const file of readdirSync(CHROME_OUTPUT).filter((f) => f.endsWith('.js') && f !== worker).sort())
    entries.push(sizeOf(file.replace(/\.js$/, ''), 'content-script', CHROME_OUTPUT, [file]));
  if (worker) entries.push(sizeOf('background', 'background', CHROME_OUTPUT, [worker]));
  const pages = [manifest.action?.default_popup, manifest.options_ui?.page ?? manifest.options_page].filter((p): p is string => Boolean(p));
  for (const page of pages) entries.push(sizeOf(page.replace(/\.html$/, ''), 'page', CHROME_OUTPUT, pageFiles(page)));
  if (existsSync(WIDGET_OUTPUT)) entries.push(...widgetSizes());
  return { entries, baseline: await frameworkFloor() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const f = await runSizeBench();
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.table(f.entries.map((e) => ({ entry: e.entry, kind: e.kind, raw: kib(e.bytes), gzip: kib(e.gzipBytes), files: e.files.length })));
  console.log(`Baseline (Preact + signals, minified): ${kib(f.baseline.bytes)} raw, ${kib(f.baseline.gzipBytes)} gzip`);
}
