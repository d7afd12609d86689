/**
 * Everything the widget's views say, for one language (English fills any gap, as the
 * translator does). The widget build replaces each widget/strings/<lang>.ts by its value
 * (widget/vite.config.ts): a page loads its own language's strings only, on a view's first use.
 */
import type { Language } from '../../lib/i18n/catalog.ts';
import common from '../../lib/i18n/messages/common.ts';
import keycafeServer from '../../lib/i18n/messages/keycafe-server.ts';
import keycafeUi from '../../lib/i18n/messages/keycafe-ui.ts';
import mapping from '../../lib/i18n/messages/mapping.ts';

// Only what the widget says: the extension's and the API's other catalogs stay out of it.
const CATALOGS = [common, keycafeServer, keycafeUi, mapping];

export function viewStrings(lang: Language): Record<string, string> {
  return Object.assign({}, ...CATALOGS.map((c) => c.en), ...CATALOGS.map((c) => c[lang]));
}
