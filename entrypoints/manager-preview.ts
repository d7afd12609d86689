/**
 * Injected by the background into a manager tab for the options page's "Test on an open tab":
 * leaves the pure page reader where the next `scripting.executeScript({ func })` call (same
 * isolated world) can run it with a draft profile, which arrives as data.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { readPage, siteProfileSchema } from '../lib/site-profile/index.ts';

export default defineUnlistedScript(() => {
  (globalThis as unknown as { __accessbridgePreview: (profile: unknown) => unknown }).__accessbridgePreview = (profile) =>
    readPage(document, location.href, [siteProfileSchema.parse(profile)]);
});
