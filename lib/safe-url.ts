/**
 * The one rule for a URL that AccessBridge renders as a link or stores as a page address:
 * `https:` only — never `javascript:`, `data:`, `vbscript:` or any other scheme a click would
 * run or render in place — with plain `http:` allowed only to this machine (the loopback
 * sandboxes of sandbox/ and local development). URLs with credentials
 * (`https://bank.example@evil.example`) are refused as look-alikes. Checked in the schemas
 * (lib/contract.ts, server/keycafe/client.ts) and again by every renderer
 * (components/keycafe/BookingResult.tsx).
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
export const SAFE_URL_MAX = 2000;

/** The URL, normalised, when it may be a link; null otherwise (never throws). */
export function safeLinkUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > SAFE_URL_MAX) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!allowed || url.username || url.password) return null;
  return url.href;
}

export const isSafeLinkUrl = (value: string): boolean => safeLinkUrl(value) !== null;
