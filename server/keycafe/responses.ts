/**
 * Reading Keycafe's HTTP answers beyond their bodies: the next page (`Link: <…>; rel="next"`),
 * how long a 429 asks to wait, and which errorIds mean "not allowed" or "not there".
 */

export const nextLink = (header: string | null): string | null => {
  if (!header) return null;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (m) return m[1]!;
  }
  return null;
};

/** Retry-After in seconds or as an HTTP date; Keycafe's lockout is a minute when absent. */
export function retryAfterMs(header: string | null, now: number): number {
  if (header) {
    const s = Number(header);
    if (Number.isFinite(s)) return Math.max(0, s * 1000);
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  return 60_000;
}

/**
 * errorIds that mean "these credentials may not do this", whatever the HTTP status: the
 * documented example is `unauthorized` (keycafe.com/docs/public-api) and the general code
 * `action.forbidden` (docs.keycafe.com/reference/authentication).
 */
export const isAuthErrorId = (id: string | undefined) => !!id && /^(unauthori[sz]ed|action\.forbidden|forbidden)$|\.(unauthori[sz]ed|forbidden)$/i.test(id);
/** errorIds naming a missing object (`operation.notFound` is an unsupported PUT, not a missing object). */
export const isNotFoundErrorId = (id: string | undefined) => !!id && id !== 'operation.notFound' && /not_?found$/i.test(id);
