/**
 * Reading a manager's booking list page ("Capture all bookings on this page"): the profile's
 * `list` mode says which addresses are list pages, which elements are rows and where each
 * field sits inside a row. Each row is read with the booking page's own extraction
 * (`extractBooking`), scoped to the row, so a list and a booking page parse values (dates,
 * emails, states) the same way. Pure and without zod: runs in the content script and the
 * options preview (the reading's schema: ./site-profile/reading-schemas.ts).
 */
// From the modules themselves, not the index: the content script reads lists, and the index
// brings the catalogs (describe.ts), the built-in profiles (templates.ts) and zod with it.
import { extractBooking, findAnchor } from './site-profile/extract.ts';
import type { Problem } from './site-profile/problems.ts';
import type { BookingPageData, ListReading } from './site-profile/reading-schemas.ts';
import type { SiteProfile } from './site-profile/schema.ts';
import { pageAddress } from './site-profile/url-match.ts';

export type { ListReading } from './site-profile/reading-schemas.ts';

/** More rows than any manager shows on one page; beyond it a page is refused, not half-read. */
export const MAX_LIST_ROWS = 2000;

/** The profile whose list pattern matches `url`, or null. */
export function matchListPage(url: string, profiles: readonly SiteProfile[]): SiteProfile | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const address = pageAddress(parsed);
  return profiles.find((p) => p.origin === parsed.origin && p.list && new RegExp(p.list.urlPattern).test(address)) ?? null;
}

/**
 * A profile whose booking page is one row: any URL matches and the row is the page, so
 * `extractBooking` reads the row's fields with the row's selectors and labels.
 */
function rowProfile(profile: SiteProfile): SiteProfile {
  // `profile` is already valid (siteProfileSchema), and so is a booking page made of its list
  // mode's parts: no zod here, this runs in every manager page.
  const list = profile.list!;
  return { ...profile, bookingPage: { urlPattern: '.*', fields: list.fields, stateLabels: list.stateLabels, anchor: list.anchor }, list: undefined };
}

/** Reads every row of a list page; null when no profile has a list mode for `url`. */
export function readBookingList(root: ParentNode, url: string, profiles: readonly SiteProfile[]): ListReading | null {
  const profile = matchListPage(url, profiles);
  if (!profile?.list) return null;
  const anchor = findAnchor(root, profile.list.anchor);
  const base = { profileId: profile.id, anchor: anchor.ok ? null : anchor.problem };
  let rows: Element[];
  try {
    rows = Array.from(root.querySelectorAll(profile.list.rows));
  } catch {
    return { ...base, bookings: [], failed: [{ row: 1, problems: [{ field: 'booking', code: 'selector_invalid', params: { selector: profile.list.rows } }] }], tooMany: false };
  }
  if (rows.length > MAX_LIST_ROWS) return { ...base, bookings: [], failed: [], tooMany: true };
  const one = rowProfile(profile);
  const bookings: BookingPageData[] = [];
  const failed: { row: number; problems: Problem[] }[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const r = extractBooking(row, url, one);
    if (!r.ok) failed.push({ row: i + 1, problems: r.problems });
    // A booking listed twice (a sticky header row, a repeated group) is captured once.
    else if (!seen.has(r.value.externalId)) {
      seen.add(r.value.externalId);
      bookings.push(r.value);
    }
  });
  return { ...base, bookings, failed, tooMany: false };
}
