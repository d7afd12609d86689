export const languages = ['en', 'de', 'fr'] as const;
export type Language = (typeof languages)[number];

/** A feature's strings: English defines the keys; German and French must have every one. */
export type Catalog<En extends Record<string, string>> = { en: En } & Record<Exclude<Language, 'en'>, Record<keyof En, string>>;
