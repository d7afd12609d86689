/** Which profile and kind of page an address is, and what its URL pattern's groups say. */
import type { SiteProfile } from './schema.ts';

/**
 * The match pattern for `optional_host_permissions`, `permissions.request` and
 * `scripting.registerContentScripts`. No port: Firefox rejects ports in match patterns and
 * Chrome treats a missing port as any port, so the content script checks the exact origin.
 */
export function originMatchPattern(origin: string): string {
  const u = new URL(origin);
  return `${u.protocol}//${u.hostname}/*`;
}

export type PageKind = 'unit' | 'booking';

export interface PageMatch {
  profile: SiteProfile;
  kind: PageKind;
  /** The URL pattern's named groups on this page (unset ones left out). */
  groups: Record<string, string>;
}

/** What a URL pattern is tested against: everything after the origin. */
export function pageAddress(url: URL): string {
  return url.pathname + url.search + url.hash;
}

/** The pattern's named groups on `address` (percent-decoded), or null when it does not match. */
export function matchPattern(pattern: string, address: string): Record<string, string> | null {
  const m = new RegExp(pattern).exec(address);
  if (!m) return null;
  const groups: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) groups[k] = safeDecode(v);
  return groups;
}

/** Percent-decoded, or as it is when it is not valid percent-encoding. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Which profile and kind of page `url` is, or null. Booking patterns are tried before unit
 * patterns because managers often nest bookings under units (`/units/7/bookings/12`).
 */
export function matchPage(url: string, profiles: readonly SiteProfile[]): PageMatch | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const address = pageAddress(parsed);
  for (const profile of profiles) {
    if (parsed.origin !== profile.origin) continue;
    const pages: [PageKind, string | undefined][] = [
      ['booking', profile.bookingPage?.urlPattern],
      ['unit', profile.unitPage.urlPattern],
    ];
    for (const [kind, pattern] of pages) {
      if (!pattern) continue;
      const groups = matchPattern(pattern, address);
      if (groups) return { profile, kind, groups };
    }
  }
  return null;
}
