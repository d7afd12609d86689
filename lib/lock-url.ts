/**
 * Reading lock IDs out of portal URLs, without zod: the portal content script runs these on
 * every portal page, so this module carries no schema (`lockIdSchema` is in ./lock-id.ts,
 * which re-exports these for the API and the mapping files).
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Splits a URL fragment or path into segments, tolerating `#/`, `#!/` and query strings. */
function segments(part: string): string[] {
  // Decoded first: a percent-encoded hash route (`#%2Flocks%2F<id>`) has its slashes encoded.
  return safeDecode(part)
    .split(/[/?#&=!;]+/)
    .map((s) => safeDecode(s))
    .filter(Boolean);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const WHOLE_UUID = new RegExp(`^${UUID.source}$`, 'i');
/** Segments a lock ID follows: locks, boundlocks, lock, lockId, lock-details (old shapes). */
const LOCK_SEGMENT = /^(bound)?locks?(id|[-_]?details?)?$/i;
/** Segments whose UUID is not a lock: the locking system (owner), users, contacts, grants. */
const NOT_LOCK_SEGMENT = /^(owners?|owneraccounts?|users?|contacts?|identities|identity|grants?|keys?|credentials?|cards?|settings)$/i;

function urlParts(url: string): string[] | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  // The query stays with its path (`lock-details?id=<uuid>`); a hash route carries its own.
  return [parsed.pathname + parsed.search, parsed.hash];
}

/**
 * The lock ID a URL names: the UUID right after a `locks`/`boundlocks` segment (or `lockId=`,
 * or the old `lock-details?id=` shape), path first, then hash, then query. Lower case.
 */
export function namedLockId(url: string): string | null {
  const parts = urlParts(url);
  if (!parts) return null;
  for (const part of parts) {
    const segs = segments(part);
    for (let i = 0; i < segs.length - 1; i++) {
      if (!LOCK_SEGMENT.test(segs[i]!)) continue;
      const next = segs[i + 1]!;
      if (WHOLE_UUID.test(next)) return next.toLowerCase();
      // `lock-details?id=<uuid>`: the lock segment, then an `id` parameter.
      if (/^id$/i.test(next) && i + 2 < segs.length && WHOLE_UUID.test(segs[i + 2]!)) return segs[i + 2]!.toLowerCase();
    }
  }
  return null;
}

/** Every UUID in the URL that no segment marks as something else (an owner, a user...), in order. */
export function candidateUuids(url: string): string[] {
  const parts = urlParts(url);
  if (!parts) return [];
  const found: string[] = [];
  for (const part of parts) {
    const segs = segments(part);
    segs.forEach((seg, i) => {
      if (WHOLE_UUID.test(seg) && !(i > 0 && NOT_LOCK_SEGMENT.test(segs[i - 1]!))) found.push(seg.toLowerCase());
    });
  }
  return found;
}

/** The locking system (owner account) a portal URL names: the segment after `owners`, or null. */
export function extractOwnerAccountId(url: string): string | null {
  const parts = urlParts(url);
  if (!parts) return null;
  for (const part of parts) {
    const segs = segments(part);
    for (let i = 0; i < segs.length - 1; i++)
      if (/^(owners?|owneraccounts?|ownerid)$/i.test(segs[i]!) && /^[\w-]{1,200}$/.test(segs[i + 1]!)) return segs[i + 1]!.toLowerCase();
  }
  return null;
}

/**
 * Extracts the Tapkey lock ID from a URL someone pasted (a mapping file cell). The portal's URL
 * shapes are not documented, so no shape is hard-wired: the UUID a lock segment names wins
 * (`namedLockId`), otherwise the last UUID that no segment marks as an owner, user, contact or
 * grant. The portal content script is stricter (entrypoints/tapkey.content/page.ts): it takes a
 * page for a lock page only when the URL names the lock or the UUID is a known lock.
 */
export function extractLockId(url: string): string | null {
  const named = namedLockId(url);
  if (named) return named;
  const all = candidateUuids(url);
  return all.length ? all[all.length - 1]! : null;
}
