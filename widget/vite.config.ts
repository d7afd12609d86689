/**
 * The embeddable widget (`npm run build:widget`), in two parts under .output/widget/:
 *  - accessbridge-widget.js, the script pages load (`<script src=…/widget.js>`, a classic
 *    script): the element, its attributes and its first state only (widget/index.ts);
 *  - widget-chunks/*.js, ES modules with hashed names: each view (widget/views/*.tsx) and each
 *    language's strings (widget/strings/<lang>.ts), imported by the script on a view's first
 *    use from its own URL (widget/load-chunks.ts). The API serves both (server/widget/script.ts).
 * This config builds the chunks; once they are written, it builds the script with their names.
 */
import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { build, defineConfig, type Plugin, type Rollup } from 'vite';
import { languages } from '../lib/i18n/catalog.ts';
import shellStrings from './shell-strings.ts';
import { viewStrings } from './strings/catalogs.ts';

const dir = import.meta.dirname;
const outDir = resolve(dir, '../.output/widget');
export const CHUNK_DIR = 'widget-chunks';

// The booking form checks phone numbers with the small "min" metadata; the API has the full one.
const phoneAlias = { find: /^libphonenumber-js\/max$/, replacement: 'libphonenumber-js/min' };
const define = { 'process.env.NODE_ENV': JSON.stringify('production') };
const common = { target: 'es2020', minify: 'esbuild', sourcemap: false, reportCompressedSize: true } as const;

/**
 * String modules replaced by their value: each holds a few strings picked from catalogs that
 * have every language's strings, and only the pick belongs in the build.
 */
function prebuiltStrings(): Plugin {
  const values = new Map<string, unknown>([[resolve(dir, 'shell-strings.ts'), shellStrings], ...languages.map((lang) => [resolve(dir, `strings/${lang}.ts`), viewStrings(lang)] as const)]);
  return {
    name: 'accessbridge:prebuilt-strings',
    enforce: 'pre',
    load: (id) => (values.has(id) ? `export default ${JSON.stringify(values.get(id))};` : null),
  };
}

/** Each entry chunk's file and, transitively, the files it imports (relative to the script). */
function chunkManifest(bundle: Rollup.OutputBundle): Record<string, string[]> {
  const chunks = new Map(Object.values(bundle).flatMap((o) => (o.type === 'chunk' ? [[o.fileName, o] as const] : [])));
  const manifest: Record<string, string[]> = {};
  for (const chunk of chunks.values()) {
    if (!chunk.isEntry) continue;
    const files = new Set([chunk.fileName]);
    for (const file of files) for (const dep of chunks.get(file)?.imports ?? []) files.add(dep);
    manifest[chunk.name] = [...files];
  }
  return manifest;
}

/** The script, built after the chunks with their names (it swaps load-view.ts for load-chunks.ts). */
function widgetScript(): Plugin {
  let manifest: Record<string, string[]> = {};
  return {
    name: 'accessbridge:widget-script',
    apply: 'build',
    generateBundle(_options, bundle) {
      manifest = chunkManifest(bundle);
      // For bench/extension-size.ts: what each view's first use loads. Not served (server/widget/script.ts).
      this.emitFile({ type: 'asset', fileName: 'widget-chunks.json', source: `${JSON.stringify(manifest, null, 2)}\n` });
    },
    async closeBundle(error) {
      if (error) return;
      await build({
        configFile: false,
        root: dir,
        publicDir: false,
        plugins: [prebuiltStrings()],
        resolve: { alias: [{ find: /^\.\/load-view\.ts$/, replacement: resolve(dir, 'load-chunks.ts') }] },
        define: { ...define, __ACCESSBRIDGE_WIDGET_CHUNKS__: JSON.stringify(manifest) },
        build: {
          ...common,
          // Class fields as written: lowered, their helpers would land outside the IIFE, as globals of the page.
          target: 'es2022',
          outDir,
          emptyOutDir: false,
          lib: { entry: resolve(dir, 'index.ts'), formats: ['iife'], name: 'AccessBridgeWidget', fileName: () => 'accessbridge-widget.js' },
        },
      });
    },
  };
}

export default defineConfig({
  root: dir,
  publicDir: false,
  plugins: [preact(), prebuiltStrings(), widgetScript()],
  resolve: { alias: [phoneAlias] },
  define,
  build: {
    ...common,
    outDir,
    emptyOutDir: true,
    modulePreload: false,
    rollupOptions: {
      input: {
        'keycafe-booking': resolve(dir, 'views/keycafe-booking.tsx'),
        'map-lock': resolve(dir, 'views/map-lock.tsx'),
        ...Object.fromEntries(languages.map((lang) => [`strings-${lang}`, resolve(dir, `strings/${lang}.ts`)])),
      },
      // Each view module keeps its default export, which the script calls.
      preserveEntrySignatures: 'strict',
      // zod's sources carry comments Rollup reads as misplaced annotations and drops: nothing to act on.
      onLog: (level, log, handler) => (log.code === 'INVALID_ANNOTATION' && log.id?.includes('/node_modules/zod/') ? undefined : handler(level, log)),
      output: { format: 'es', entryFileNames: `${CHUNK_DIR}/[name]-[hash].js`, chunkFileNames: `${CHUNK_DIR}/[name]-[hash].js` },
    },
  },
});
