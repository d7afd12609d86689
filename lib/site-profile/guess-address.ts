/**
 * What a manager page's address says for the profile guess (guess.ts): unit or booking page,
 * the record's ID, the URL pattern that reads it, and how a link to such a page gives the ID.
 */
import { safeDecode } from './url-match.ts';

export type PageKind = 'unit' | 'booking';

// Address words for each kind of page (a whole path segment, or the end of one: `storage-units`).
const kindWords: Record<PageKind, string> = {
  unit: 'units?|einheit(?:en)?|lagereinheit(?:en)?|spaces?|storages?|boxe?s?|lockers?|abteile?',
  booking: 'bookings?|buchung(?:en)?|contracts?|vertr(?:ag|aege|äge)|mietvertr(?:ag|aege|äge)|reservations?|rentals?|leases?|tenanc(?:y|ies)',
};
const wordOf = (kind: PageKind) => new RegExp(`^(?:[a-z0-9]+[-_])?(?:${kindWords[kind]})$`, 'i');
const fileWordOf = (kind: PageKind) => new RegExp(`(?:${kindWords[kind]})`, 'i');
/** Looks like a record's ID: has a digit (or is a UUID-ish run), not a word like `new` or `list`. */
const idLike = /^(?=[^/]*\d)[\w.~-]{1,80}$/;

export const groupOf: Record<PageKind, string> = { unit: 'unitId', booking: 'bookingId' };
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The generic patterns used for a kind of page no open tab showed. */
export const fallbackPatterns: Record<PageKind, string> = {
  unit: `/(?:units?|einheit(?:en)?|spaces?)/(?<unitId>[^/?#]+)(?:[/?#]|$)`,
  booking: `/(?:bookings?|buchung(?:en)?|contracts?|reservations?|rentals?)/(?<bookingId>[^/?#]+)(?:[/?#]|$)`,
};

export interface AddressGuess {
  kind: PageKind;
  id: string;
  /** The page's URL pattern with the ID as the kind's named group. */
  pattern: string;
  /** How a link's href gives this kind's ID (a selector plus a cleanup regex). */
  link: { selector: string; regex: string };
}

/**
 * What an address says: the last `<kind word>/<id>` pair of its path or hash route (`/units/7`,
 * `#/einheiten/7`, `/units/7/bookings/12` is a booking), or a page named after a kind with an
 * `id`-like query parameter (`/unit.php?id=7`).
 */
export function guessAddress(url: URL): AddressGuess | null {
  const route = url.hash.startsWith('#/') || url.hash.startsWith('#!/') ? url.hash.replace(/^#!?/, '') : url.pathname;
  const segments = route.split(/[?#]/)[0]!.split('/');
  for (let i = segments.length - 1; i > 0; i--) {
    const id = safeDecode(segments[i]!);
    const word = segments[i - 1]!;
    if (!idLike.test(id)) continue;
    const kind = (['booking', 'unit'] as const).find((k) => wordOf(k).test(word));
    if (!kind) continue;
    const needsDigit = /\d/.test(id) ? '(?=[^/?#]*\\d)' : '';
    const w = escapeRe(word);
    return {
      kind,
      id,
      pattern: `/${w}/(?<${groupOf[kind]}>${needsDigit}[^/?#]+)(?:[/?#]|$)`,
      link: { selector: `a[href*="/${word}/"]`, regex: `/${w}/(?<value>[^/?#]+)` },
    };
  }
  const file = url.pathname.split('/').pop() ?? '';
  for (const [key, value] of url.searchParams) {
    if (!/^(?:[a-z]+[-_]?)?id$/i.test(key) || !idLike.test(value)) continue;
    const kind = (['booking', 'unit'] as const).find((k) => fileWordOf(k).test(key) || fileWordOf(k).test(file));
    // A plain file name only: it goes into a CSS selector and a pattern as it is.
    if (!kind || !/^[\w.~-]+$/.test(file)) continue;
    const k = escapeRe(key);
    return {
      kind,
      id: value,
      pattern: `/${escapeRe(file)}\\?(?:[^#]*&)?${k}=(?<${groupOf[kind]}>[^&#]+)`,
      link: { selector: `a[href*="${file}?"]`, regex: `[?&]${k}=(?<value>[^&#]+)` },
    };
  }
  return null;
}
