/**
 * The embeddable widget: one self-contained IIFE file (.output/widget/accessbridge-widget.js)
 * that the sync API serves at /widget.js. `npm run build:widget`.
 */
import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  plugins: [preact()],
  // The booking form checks phone numbers with the small "min" metadata; the API has the full one.
  resolve: { alias: [{ find: /^libphonenumber-js\/max$/, replacement: 'libphonenumber-js/min' }] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: resolve(import.meta.dirname, '../.output/widget'),
    emptyOutDir: true,
    target: 'es2020',
    minify: 'esbuild',
    sourcemap: false,
    reportCompressedSize: true,
    lib: {
      entry: resolve(import.meta.dirname, 'index.ts'),
      formats: ['iife'],
      name: 'AccessBridgeWidget',
      fileName: () => 'accessbridge-widget.js',
    },
  },
});
