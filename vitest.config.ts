import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Unit, component and API tests. End-to-end tests (test/e2e) run in real Chromium through
// their own config (vitest.e2e.config.ts) after the extension is built.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    setupFiles: ['test/helpers/zod-openapi-first.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
