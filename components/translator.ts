/**
 * A translator over chosen catalogs only. `lib/i18n/index.ts` merges every feature's strings
 * (manager, Keycafe, server, …); the portal content script is injected into every portal page
 * and needs just its own, so it builds its translator from those and stays small.
 */
import { languages, type Language } from '../lib/i18n/catalog.ts';
import type { MessageKey } from '../lib/i18n/index.ts';

export type TranslateFn = (lang: Language, key: MessageKey, params?: Record<string, string | number>) => string;

export function createTranslator(catalogs: readonly { en: Record<string, string>; de: Record<string, string>; fr: Record<string, string> }[]): TranslateFn {
  const tables = Object.fromEntries(languages.map((lang) => [lang, Object.assign({}, ...catalogs.map((c) => c[lang])) as Record<string, string>]));
  return (lang, key, params = {}) => fill(tables[lang]?.[key] ?? tables.en?.[key] ?? key, params);
}

/** A translator over one language's strings, received from the background (lib/i18n/manager-strings.ts). */
export function translatorOf(strings: Record<string, string>): TranslateFn {
  return (_lang, key, params = {}) => fill(strings[key] ?? key, params);
}

function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m));
}

