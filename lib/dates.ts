/**
 * Calendar dates read from manager pages and spreadsheets, normalised to ISO `YYYY-MM-DD`.
 * Pure (no DOM, no Intl parsing) so content scripts, the options page and the server agree.
 * `isoDateSchema` is the one schema every date field uses (API contract, extension messages,
 * files): a date must exist in the calendar and fall in the years bookings can have.
 */
import { z } from 'zod';

/**
 * Bookings, accesses and imports are about the present: a year outside this range is a typo or
 * an attack (`9999-12-31` overflows grant windows, `0000` becomes 1900 in `Date.UTC`).
 */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

const isoShape = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in `month` (1–12) of `year`, by the Gregorian rule (no `Date`, which rolls over). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Why `YYYY-MM-DD` text is not a usable date, or null when it is one. */
export function isoDateProblem(text: string): string | null {
  const m = isoShape.exec(text);
  if (!m) return 'Use YYYY-MM-DD';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < MIN_YEAR || year > MAX_YEAR) return `Use a year from ${MIN_YEAR} to ${MAX_YEAR}`;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'Not a date in the calendar';
  return null;
}

export const isRealIsoDate = (text: string) => isoDateProblem(text) === null;

/** A calendar date `YYYY-MM-DD` that exists, in MIN_YEAR–MAX_YEAR. */
// Annotated so that page code importing only the date helpers (lib/site-profile/values.ts)
// leaves the schema and zod out of its bundle.
export const isoDateSchema = /* @__PURE__ */ z
  .string()
  .regex(isoShape, 'Use YYYY-MM-DD')
  .superRefine((value, ctx) => {
    const problem = isoDateProblem(value);
    // The shape problem is already reported by the regex.
    if (problem && isoShape.test(value)) ctx.addIssue({ code: 'custom', message: problem });
  });

/** How to read an all-numeric date whose day and month could be swapped (01/02/2026). */
export const dateOrders = ['DMY', 'MDY', 'YMD'] as const;
export type DateOrder = (typeof dateOrders)[number];

export type DateResult = { ok: true; value: string } | { ok: false; reason: 'empty' | 'unrecognised' | 'impossible' };

// Month names (full and abbreviated) in the catalog's languages; keys are lower case, no dots.
const monthNames: Record<string, number> = {};
const monthLists = [
  ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'],
  ['januar', 'februar', 'märz', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'dezember'],
  ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
];
for (const list of monthLists) {
  list.forEach((name, i) => {
    monthNames[name] = i + 1;
    if (name.length > 3) monthNames[name.slice(0, 3)] = i + 1;
    if (name.length > 4) monthNames[name.slice(0, 4)] = i + 1; // "sept", "janv", "févr"
  });
}
Object.assign(monthNames, { jän: 1, maerz: 3, mrz: 3, juil: 7, 'aoû': 8, aou: 8, aout: 8, fevr: 2, fev: 2, dez: 12, okt: 10 });

const isoPattern = /(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/;
const yearFirstPattern = /(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)/;
const numericPattern = /(?<!\d)(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)/;
const letter = 'a-zA-ZäöüÄÖÜéèêûôâîçÉÈÊÛÔÂÎÇ';
const dayMonthNamePattern = new RegExp(`(?<!\\d)(\\d{1,2})(?:er|st|nd|rd|th)?\\.?\\s+([${letter}]{3,})\\.?,?\\s+(\\d{4})(?!\\d)`);
const monthNameDayPattern = new RegExp(`(?<![${letter}])([${letter}]{3,})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)`);

const pad = (n: number) => String(n).padStart(2, '0');

function build(year: number, month: number, day: number): DateResult {
  if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, reason: 'impossible' };
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false, reason: 'impossible' };
  return { ok: true, value: `${year}-${pad(month)}-${pad(day)}` };
}

/** Two-digit years are this century: manager bookings are recent or upcoming. */
const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

/**
 * Finds the first date in `text` and returns it as YYYY-MM-DD. Understands ISO dates (with or
 * without a time), `2026/02/01`, dotted European dates (`01.02.2026`, always day first),
 * slashed or dashed dates read in `order` unless one part is over 12, and month names in
 * English, German and French (`1 Feb 2026`, `1. Februar 2026`, `1er mars 2026`, `February 1, 2026`).
 */
export function normalizeDate(text: string, order: DateOrder = 'DMY'): DateResult {
  const t = text.trim();
  if (!t) return { ok: false, reason: 'empty' };

  let m = isoPattern.exec(t) ?? yearFirstPattern.exec(t);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]));

  m = numericPattern.exec(t);
  if (m) {
    const [a, sep, b, y] = [Number(m[1]), m[2], Number(m[3]), fullYear(m[4]!)];
    // Dots are the European day-first notation whatever the hint says.
    let dayFirst = sep === '.' || order !== 'MDY';
    if (a > 12 && b <= 12) dayFirst = true;
    else if (b > 12 && a <= 12) dayFirst = false;
    return dayFirst ? build(y, b, a) : build(y, a, b);
  }

  m = dayMonthNamePattern.exec(t);
  if (m) {
    const month = monthNames[m[2]!.toLowerCase()];
    if (month) return build(Number(m[3]), month, Number(m[1]));
  }
  m = monthNameDayPattern.exec(t);
  if (m) {
    const month = monthNames[m[1]!.toLowerCase()];
    if (month) return build(Number(m[3]), month, Number(m[2]));
  }
  return { ok: false, reason: 'unrecognised' };
}
