/**
 * The portal content script's setup: the user's language with its strings only, and its
 * mapping dialog's code on first use (entrypoints/portal-dialogs.tsx).
 */
import { portalStrings } from '../../lib/i18n/portal-strings.ts';
import type { Handlers, PortalMessageType } from '../../lib/messages.ts';
import type { ScriptPublicPath } from 'wxt/utils/inject-script';
import { injectDialogs } from './dialogs.ts';
import type { ManagerDeps } from './manager.ts';

/** The portal dialog's code, injected on first use. */
export const PORTAL_DIALOGS_FILE: ScriptPublicPath = '/portal-dialogs.js';

export function createPortalHandlers({ language }: Pick<ManagerDeps, 'language'>): Pick<Handlers, PortalMessageType> {
  return {
    async portalPage() {
      const lang = await language();
      return { language: lang, strings: portalStrings(lang) };
    },

    async portalDialogs(_m, context) {
      return injectDialogs(PORTAL_DIALOGS_FILE, context);
    },
  };
}
