import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';

// The extension asks for no host at install time beyond the Tapkey portal; the sync API's
// origin, extra portal origins and manager sites are requested at run time
// (optional_host_permissions) from the options page.
/**
 * Marks our `z.…(…)` schema constructions as pure for the bundler. Schemas are built at
 * module top level (`export const x = z.object(…)`), and a chain such as
 * `z.string().trim().regex(…)` looks side-effectful to Rollup, so every bundle importing
 * anything from a module with schemas carried all of zod. With the annotation, unused schemas
 * are dropped: the portal content script, which sends messages but parses none, ships no zod.
 * `z.config(…)` is the one zod call made for its side effect, so it is left alone.
 */
function pureZodSchemas(): Plugin {
  return {
    name: 'accessbridge:pure-zod-schemas',
    enforce: 'pre',
    transform(code, id) {
      if (id.includes('/node_modules/') || !/\.tsx?$/.test(id) || !code.includes('zod')) return null;
      const out = code.replace(/(?<![\w.$])z\s*\.\s*(?!config\b)(\w+)\s*\(/g, '/* @__PURE__ */ z.$1(');
      return out === code ? null : { code: out, map: null };
    },
  };
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
    plugins: [preact(), pureZodSchemas()],
    // Browser bundles check phone numbers with libphonenumber-js's small "min" metadata (the
    // booking dialog's early check); the API keeps "max" (lib/keycafe-recipient.ts) and decides.
    resolve: { alias: [{ find: /^libphonenumber-js\/max$/, replacement: 'libphonenumber-js/min' }] },
  }),
});
