import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The extension asks for no host at install time beyond the Tapkey portal; the sync API's
// origin, extra portal origins and manager sites are requested at run time
// (optional_host_permissions) from the options page.
/**
 * zod's schema builders, declared pure for Rollup's tree-shaking (a documented option,
 * `treeshake.manualPureFunctions`; it also covers calls chained on their result, such as
 * `z.string().trim().max(200)`). Schemas are built at module top level, and such a call looks
 * side-effectful to the bundler, so without this every bundle importing anything from a module
 * with schemas would carry those schemas and all of zod. Only builders, never `z.config`, which
 * is called for its effect. test/ext/bundle-purity.test.ts checks that our sources call no
 * other `z.…` function.
 */
export const PURE_ZOD_BUILDERS = ['string', 'object', 'literal', 'number', 'array', 'enum', 'boolean', 'record', 'optional', 'discriminatedUnion', 'unknown', 'nullable', 'union', 'transform', 'pipe'].map((name) => `z.${name}`);

/**
 * Drops one known, harmless bundler notice: zod's own sources carry explanatory comments that
 * mention `@__PURE__` where Rollup cannot use an annotation (node_modules/zod/v4/core/util.js
 * and regexes.js), and Rollup says so once per bundle while it removes the comment. The code is
 * unchanged by it; every other log goes through.
 */
export function quietZodComments(level: string, log: { code?: string; id?: string }, handler: (level: never, log: never) => void) {
  if (log.code === 'INVALID_ANNOTATION' && /[\\/]node_modules[\\/]zod[\\/]/.test(log.id ?? '')) return;
  handler(level as never, log as never);
}

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  publicDir: 'public',
  outDir: '.output',
  // Explicit imports everywhere: easier to read and to review than auto-imports.
  imports: false,
  manifest: ({ browser, manifestVersion }) => ({
    // Translated by the browser from public/_locales/<lang>/messages.json.
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'scripting', 'alarms', 'clipboardWrite'],
    host_permissions: ['https://my.tapkey.com/*'],
    // MV2 (Firefox) has no optional_host_permissions: hosts go in optional_permissions.
    ...(manifestVersion === 2 ? { optional_permissions: ['http://*/*', 'https://*/*'] } : { optional_host_permissions: ['http://*/*', 'https://*/*'] }),
    // The toolbar button carries the badge with the count of queued and failed changes.
    action: { default_title: '__MSG_extName__' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'accessbridge@accessbridge.dev',
              // 140 (an ESR): the first version that reads data_collection_permissions.
              strict_min_version: '140.0',
              // Lock IDs and titles read from portal pages are sent to the organisation's own API.
              data_collection_permissions: { required: ['websiteContent'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
  vite: () => ({
    plugins: [preact()],
    build: { rollupOptions: { treeshake: { manualPureFunctions: PURE_ZOD_BUILDERS }, onLog: quietZodComments } },
    // Browser bundles check phone numbers with libphonenumber-js's small "min" metadata (the
    // booking dialog's early check); the API keeps "max" (lib/keycafe-recipient.ts) and decides.
    resolve: { alias: [{ find: /^libphonenumber-js\/max$/, replacement: 'libphonenumber-js/min' }] },
  }),
});
