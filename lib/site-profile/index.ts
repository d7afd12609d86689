/**
 * Site profiles: how AccessBridge reads a manager's pages. The manager's URLs and markup are
 * not published, so a profile says which addresses are unit and
 * booking pages, where each value sits on them, and where the controls go. Pure: runs in
 * content scripts, the options page and the background (no DOM library; extraction takes the
 * page's own `document`). One module per concern:
 *   schema.ts     what a profile is (zod)
 *   url-match.ts  which profile and kind of page an address is
 *   dom.ts        reading a strategy's candidate texts off the page
 *   values.ts     turning a text into a field's value
 *   problems.ts   why a value could not be read, in words
 *   extract.ts    a page's data from a profile (no zod: runs in pages; reading-schemas.ts
 *                 checks what it yields, page-checks.ts are its zod-free email and state checks)
 *   templates.ts  the built-in profiles
 *   guess.ts      a first profile for any manager, from its open tabs (guess-address.ts:
 *                 what an address says; guess-fields.ts: the labels and words; guess-page.ts:
 *                 one open tab, checked with guess-page-schema.ts)
 */
export * from './schema.ts';
export * from './url-match.ts';
export * from './problems.ts';
export * from './problem-schema.ts';
export * from './describe.ts';
export * from './extract.ts';
export * from './reading-schemas.ts';
export * from './templates.ts';
export * from './guess.ts';
export { fallbackPatterns, guessAddress } from './guess-address.ts';
export { commonStateWords, fieldLabels } from './guess-fields.ts';
export { guessPage } from './guess-page.ts';
export { pageGuessSchema, type PageGuess } from './guess-page-schema.ts';
