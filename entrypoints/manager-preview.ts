/**
 * Injected by the background into a manager tab for the options page's "Test on an open tab"
 * and "Guess from open tabs" (entrypoints/background/preview.ts): leaves the pure page reader
 * and guesser where the next `scripting.executeScript({ func })` call (same isolated world) can
 * run them; a draft profile arrives as data. Both wait for the page to settle first, since
 * single-page managers render their content a moment after the address changes.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
// From the modules, not the index: the index brings zod, the schemas and the catalogs.
import { readPage } from '../lib/site-profile/extract.ts';
import { guessPage } from '../lib/site-profile/guess-page.ts';
import type { SiteProfile } from '../lib/site-profile/schema.ts';

/** Quiet this long counts as rendered; never wait longer than the cap. */
const QUIET_MS = 300;
const MAX_WAIT_MS = 3000;

function settled(): Promise<void> {
  return new Promise((resolve) => {
    let quiet: ReturnType<typeof setTimeout>;
    const done = () => {
      observer.disconnect();
      clearTimeout(cap);
      clearTimeout(quiet);
      resolve();
    };
    const observer = new MutationObserver(() => {
      clearTimeout(quiet);
      quiet = setTimeout(done, QUIET_MS);
    });
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    quiet = setTimeout(done, QUIET_MS);
    const cap = setTimeout(done, MAX_WAIT_MS);
  });
}

export default defineUnlistedScript(() => {
  const g = globalThis as unknown as { __accessbridgePreview: (profile: unknown) => Promise<unknown>; __accessbridgeGuess: () => Promise<unknown> };
  g.__accessbridgePreview = async (profile) => {
    // Already parsed with siteProfileSchema by the background before it was sent
    // (entrypoints/background/manager.ts, `parseProfile`), and only the background can call this.
    await settled();
    return readPage(document, location.href, [profile as SiteProfile]);
  };
  g.__accessbridgeGuess = async () => {
    await settled();
    return guessPage(document, location.href);
  };
});
