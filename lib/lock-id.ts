import { z } from 'zod';

/** A Tapkey lock ID is the bound lock's `id`, a UUID (e.g. ea610634-4fc0-4084-85b2-bebf52c3595f). */
export const lockIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Must be a Tapkey lock ID (a UUID)');

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Splits a URL fragment or path into segments, tolerating `#/`, `#!/` and query strings. */
function segments(part: string): string[] {
  return part
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

/**
 * Extracts the Tapkey lock ID from a portal URL. The portal's URL shapes are not documented,
 * so no shape is hard-wired: the UUID right after a `locks`/`boundlocks` segment wins (path,
 * then hash, then query), otherwise the last UUID anywhere in the URL. Returns lower case.
 */
export function extractLockId(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const parts = [parsed.pathname, parsed.hash, parsed.search];
  for (const part of parts) {
    const segs = segments(part);
    for (let i = 0; i < segs.length - 1; i++) {
      if (/^(bound)?locks?$/i.test(segs[i]!)) {
        const next = segs[i + 1]!;
        if (new RegExp(`^${UUID.source}$`, 'i').test(next)) return next.toLowerCase();
      }
    }
  }
  const all = safeDecode(parsed.pathname + parsed.search + parsed.hash).match(UUID);
  return all ? all[all.length - 1]!.toLowerCase() : null;
}
