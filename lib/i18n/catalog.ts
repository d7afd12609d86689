export const languages = ['en', 'de', 'fr'] as const;
export type Language = (typeof languages)[number];

/** A feature's strings: English defines the keys; German and French must have every one. */
export type Catalog<En extends Record<string, string>> = { en: En } & Record<Exclude<Language, 'en'>, Record<keyof En, string>>;

/** The first supported language in a list such as navigator.languages (default English). */
export function matchLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0] as Language;
    if (languages.includes(base)) return base;
  }
  return 'en';
}

/** One language's strings of `catalogs`, merged: what the background sends a content script. */
export function stringsIn(lang: Language, catalogs: readonly Record<Language, Record<string, string>>[]): Record<string, string> {
  return Object.assign({}, ...catalogs.map((c) => c[lang])) as Record<string, string>;
}
