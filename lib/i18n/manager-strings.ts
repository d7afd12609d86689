/**
 * The strings the manager content script and its dialogs show, in one language: the background
 * sends them with the page's setup (`managerPage`), so the script injected into every manager
 * page carries no catalog, and the page gets one language, not three.
 */
import { stringsIn, type Language } from './catalog.ts';
import common from './messages/common.ts';
import extension from './messages/extension.ts';
import manager from './messages/manager.ts';
import bookings from './messages/bookings.ts';
import siteProfiles from './messages/site-profiles.ts';
import mapping from './messages/mapping.ts';
import keycafeUi from './messages/keycafe-ui.ts';
import keycafeServer from './messages/keycafe-server.ts';
import keycafeConnect from './messages/keycafe-connect.ts';
import pageIsolation from './messages/page-isolation.ts';

const catalogs = [common, extension, manager, bookings, siteProfiles, mapping, keycafeUi, keycafeServer, keycafeConnect, pageIsolation] as const;

export function managerStrings(lang: Language): Record<string, string> {
  return stringsIn(lang, catalogs);
}
