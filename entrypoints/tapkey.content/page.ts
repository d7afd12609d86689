/**
 * Reading the portal page: which lock a detail page shows, which locks a list page links to.
 * The portal's URL shapes are undocumented, so this leans on the shared extractor and on
 * what any lock page has: a lock ID in the URL and a main heading.
 */
import type { PortalPage } from '../../components/TapkeyPortalPanel.tsx';
import { candidateUuids, extractLockId, namedLockId } from '../../lib/lock-url.ts';
import type { CapturedLock } from '../../lib/messages.ts';

/** The tag of our shadow-root host; never read as page content. */
export const UI_TAG = 'accessbridge-tapkey';
const MAX_TITLE = 200;

const clean = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE);

function decoded(url: string): string {
  try {
    return decodeURIComponent(url).toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}

/** The ID sits right after a `locks` segment or in a `lockId=` parameter: surely a lock. */
function namesLock(url: string, lockId: string): boolean {
  return new RegExp(`(bound)?locks?(id)?[/=]${lockId}`).test(decoded(url));
}

/** The text of the page's main heading, or '' when there is none (yet). */
export function mainHeading(doc: Document): string {
  const heading = Array.from(doc.querySelectorAll('h1, [role="heading"][aria-level="1"]')).find((h) => !h.closest(UI_TAG) && clean(h.textContent));
  return clean(heading?.textContent);
}

/** The lock's title: the page's main heading, else the document title. */
export function pageTitle(doc: Document): string {
  return mainHeading(doc) || clean(doc.title);
}

/**
 * Locks linked from the page, one per ID (the first link with text wins). Links whose URL
 * names a lock (`…/locks/<id>`, `lockId=<id>`) count; only when there are none do links that
 * merely carry a UUID count, and not a UUID the page URL carries itself (an owner account ID
 * in every link of a list is not a lock).
 */
export function lockLinks(doc: Document, pageUrl: string): CapturedLock[] {
  const pageUuids = decoded(pageUrl);
  const named = new Map<string, CapturedLock>();
  const carried = new Map<string, CapturedLock>();
  for (const a of Array.from(doc.querySelectorAll('a[href]'))) {
    let href: string;
    try {
      href = new URL(a.getAttribute('href')!, pageUrl).href;
    } catch {
      continue;
    }
    if (!/^https?:/.test(href)) continue;
    const id = extractLockId(href);
    if (!id) continue;
    const into = namesLock(href, id) ? named : pageUuids.includes(id) ? null : carried;
    if (!into) continue;
    const title = clean(a.textContent) || clean(a.getAttribute('aria-label')) || clean(a.getAttribute('title'));
    const known = into.get(id);
    if (!known || (!known.title && title)) into.set(id, { id, title, pageUrl: href });
  }
  return [...(named.size ? named : carried).values()];
}

/**
 * A URL that names a lock (a UUID after a `locks`/`boundlocks` segment, `lockId=`, the old
 * `lock-details?id=`) is its detail page, and so is a URL carrying the UUID of a lock the
 * organization knows (`knownLocks`); otherwise a page linking to two or more locks is a list.
 * A UUID alone is not a lock: the locking system's settings page and a user's page carry the
 * owner's and the user's UUIDs, and recording those as locks would be wrong.
 */
export function classifyPage(doc: Document, url: string, knownLocks: ReadonlySet<string> = new Set()): PortalPage {
  const lockPage = (id: string): PortalPage => ({ kind: 'lock', lock: { id, title: pageTitle(doc), pageUrl: url } });
  const named = namedLockId(url);
  if (named) return lockPage(named);
  const known = candidateUuids(url).reverse().find((id) => knownLocks.has(id));
  if (known) return lockPage(known);
  const links = lockLinks(doc, url);
  if (links.length >= 2) return { kind: 'list', locks: links };
  return { kind: 'none' };
}

export function samePage(a: PortalPage, b: PortalPage): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
