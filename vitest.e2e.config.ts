import { defineConfig } from 'vitest/config';

// End-to-end tests: real Chromium (Debian's /usr/bin/chromium via playwright-core) with the
// built extension (.output/chrome-mv3) loaded. One file at a time: each starts a browser.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    fileParallelism: false,
    // A real browser on a shared 2-core machine: one retry absorbs a scheduling hiccup; a
    // failure that repeats still fails.
    retry: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
