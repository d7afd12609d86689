/**
 * Calendar dates read from manager pages and spreadsheets, normalised to ISO `YYYY-MM-DD`.
 * Pure (no DOM, no Intl parsing) so content scripts, the options page and the server agree.
 */

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
  if (month < 1 || month > 12 || day < 1) return { ok: false, reason: 'impossible' };
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return { ok: false, reason: 'impossible' };
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
