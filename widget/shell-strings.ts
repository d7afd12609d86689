/**
 * The few sentences the element says before a view's code is loaded, in every language (the
 * page's language is known only when the element is connected). The widget build replaces this
 * module by its value (widget/vite.config.ts), so the element does not carry the whole catalog.
 */
import { languages } from '../lib/i18n/catalog.ts';
import keycafeUi from '../lib/i18n/messages/keycafe-ui.ts';

const SHELL_KEYS = ['kcui.widget.loading', 'kcui.widget.badAttributes', 'kcui.widget.missingAttribute', 'kcui.widget.unknownView', 'kcui.widget.unreachable'] as const;

const pick = (table: Record<string, string>) => Object.fromEntries(SHELL_KEYS.map((key) => [key, table[key]!]));

export default Object.fromEntries(languages.map((lang) => [lang, pick(keycafeUi[lang])])) as Record<(typeof languages)[number], Record<string, string>>;
