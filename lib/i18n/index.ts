/**
 * Translations for the extension, the widget and the API's user-facing messages. The user can
 * choose the language in options, which browser.i18n cannot do, so the catalogs live here.
 * Add a feature's strings as lib/i18n/messages/<feature>.ts and list it below.
 */
import { languages, matchLanguage, type Language } from './catalog.ts';
import common from './messages/common.ts';
import extension from './messages/extension.ts';
import options from './messages/options.ts';
import tapkey from './messages/tapkey.ts';
import manager from './messages/manager.ts';
import keycafeServer from './messages/keycafe-server.ts';
import tapkeyServer from './messages/tapkey-server.ts';
import keycafeUi from './messages/keycafe-ui.ts';
import apiErrors from './messages/api-errors.ts';
import setup from './messages/setup.ts';
import mapping from './messages/mapping.ts';
import tapkeySync from './messages/tapkey-sync.ts';
import hardening from './messages/hardening.ts';
import siteProfiles from './messages/site-profiles.ts';
import mappingProposal from './messages/mapping-proposal.ts';
import pageIsolation from './messages/page-isolation.ts';
import admin from './messages/admin.ts';
import adminLinks from './messages/admin-links.ts';
import keycafeConnect from './messages/keycafe-connect.ts';
import bookings from './messages/bookings.ts';

const catalogs = [common, manager, keycafeServer, extension, options, tapkey, tapkeyServer, keycafeUi, apiErrors, setup, mapping, tapkeySync, hardening, siteProfiles, mappingProposal, pageIsolation, admin, adminLinks, keycafeConnect, bookings] as const;

type Keys<C> = C extends { en: infer E } ? keyof E : never;
export type MessageKey = Keys<(typeof catalogs)[number]>;

const tables = Object.fromEntries(
  languages.map((lang) => [lang, Object.assign({}, ...catalogs.map((c) => c[lang])) as Record<MessageKey, string>]),
) as Record<Language, Record<MessageKey, string>>;

export { languages, matchLanguage, type Language };

/** Translates `key`, replacing `{name}` placeholders with `params`. */
export function translate(lang: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = tables[lang][key] ?? tables.en[key];
  return text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m));
}

/** Every key of every language, for the missing-key test. */
export function allTables() {
  return tables;
}
