/**
 * The strings the portal content script and its mapping dialog show, in one language: the
 * background sends them (`portalPage`), so the script injected into every portal page carries
 * no catalog, and the page gets one language, not three. Like ./manager-strings.ts.
 */
import { stringsIn, type Language } from './catalog.ts';
import common from './messages/common.ts';
import extension from './messages/extension.ts';
import mapping from './messages/mapping.ts';
import tapkey from './messages/tapkey.ts';

const catalogs = [common, extension, tapkey, mapping] as const;

export function portalStrings(lang: Language): Record<string, string> {
  return stringsIn(lang, catalogs);
}
