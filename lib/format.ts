/**
 * Dates, times and phone numbers shown to people, in their language's conventions. Pure (no
 * DOM, no storage) so the extension, the widget and the API format alike. Invalid input comes
 * back unchanged rather than as "Invalid Date": a misread value stays recognisable.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { Language } from './i18n/catalog.ts';

/** The region each language's dates default to when the caller gives none. */
const defaultRegion: Record<Language, string> = { en: 'en-GB', de: 'de-DE', fr: 'fr-FR' };

/** A BCP 47 tag for Intl: "de" → "de-DE"; a full tag ("de-CH") is kept as given. */
export function localeOf(lang: Language | string): string {
  return lang in defaultRegion ? defaultRegion[lang as Language] : lang;
}

export interface DateTimeOptions {
  /** IANA zone to show the instant in (a key box's zone); the viewer's zone when absent. */
  timeZone?: string;
}

function format(value: Date | string | number, lang: Language | string, options: Intl.DateTimeFormatOptions): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(localeOf(lang), options).format(date);
}

/** "26/11/2026" (en), "26.11.2026" (de), "26/11/2026" (fr). */
export function formatDate(value: Date | string | number, lang: Language | string, opts: DateTimeOptions = {}): string {
  return format(value, lang, { dateStyle: 'short', timeZone: opts.timeZone });
}

/** "14:05" in every supported language (24-hour clock in en-GB, de and fr). */
export function formatTime(value: Date | string | number, lang: Language | string, opts: DateTimeOptions = {}): string {
  return format(value, lang, { timeStyle: 'short', timeZone: opts.timeZone });
}

/** Date and time together: "26.11.2026, 14:05" (de). */
export function formatDateTime(value: Date | string | number, lang: Language | string, opts: DateTimeOptions = {}): string {
  return format(value, lang, { dateStyle: 'short', timeStyle: 'short', timeZone: opts.timeZone });
}

/**
 * A phone number in international form ("+49 30 123456"), readable in every country a visitor
 * might come from. `defaultCountry` reads numbers typed without a "+" prefix.
 */
export function formatPhone(value: string, defaultCountry?: Parameters<typeof parsePhoneNumberFromString>[1]): string {
  const parsed = parsePhoneNumberFromString(value.trim(), defaultCountry);
  return parsed?.isValid() ? parsed.formatInternational() : value;
}
