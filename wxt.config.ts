import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The extension asks for no host at install time beyond the Tapkey portal; the sync API's
// origin, extra portal origins and manager sites are requested at run time
// (optional_host_permissions) from the options page.
export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  publicDir: 'public',
  outDir: '.output',
  // Explicit imports everywhere: easier to read and to review than auto-imports.
  imports: false,
  manifest: ({ browser }) => ({
    name: 'AccessBridge',
    description: 'Map Tapkey locks to manager units and grant Keycafe access from the pages you already use.',
    permissions: ['storage', 'scripting', 'alarms', 'clipboardWrite'],
    host_permissions: ['https://my.tapkey.com/*'],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'accessbridge@accessbridge.dev', strict_min_version: '128.0' } } }
      : {}),
  }),
  vite: () => ({
    plugins: [preact()],
  }),
});
