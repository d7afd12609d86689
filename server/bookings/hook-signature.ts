/**
 * Signing of booking webhooks, as a sender computes it and the API checks it:
 *
 *   signature = hex(HMAC-SHA256(secret, `${timestamp}.${rawBody}`))
 *   headers:    X-AccessBridge-Timestamp: <unix seconds>
 *               X-AccessBridge-Signature: sha256=<signature>
 *
 * The timestamp is inside the signed text, so a captured request cannot be replayed later with
 * a fresh timestamp; requests older (or newer) than the window are refused, and within the
 * window the event id makes a delivery count once (server/routes/hooks.ts).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-accessbridge-timestamp';
export const SIGNATURE_HEADER = 'x-accessbridge-signature';
/** How far a request's timestamp may be from the server's clock. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;
export const HOOK_SECRET_PREFIX = 'whsec_';

export const newHookSecret = () => HOOK_SECRET_PREFIX + randomBytes(32).toString('base64url');

export function signHook(secret: string, timestamp: string, rawBody: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

export type HookRefusal = 'missing_headers' | 'bad_timestamp' | 'expired' | 'bad_signature';
export type HookCheck = { ok: true } | { ok: false; reason: HookRefusal };

/**
 * The checks that need no secret (headers present, timestamp in the window): run first for
 * every location id, so the answers reveal nothing about which ids exist or have a secret.
 */
export function checkHookHeaders(headers: { timestamp?: string; signature?: string }, nowMs: number): HookCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > REPLAY_WINDOW_SECONDS) return { ok: false, reason: 'expired' };
  return { ok: true };
}

/** Checks a delivery against the location's secret (null: none, refused like a wrong one); constant time on the signature. */
export function verifyHook(secret: string | null, headers: { timestamp?: string; signature?: string }, rawBody: string, nowMs: number): HookCheck {
  const first = checkHookHeaders(headers, nowMs);
  if (!first.ok) return first;
  const expected = Buffer.from(signHook(secret ?? newHookSecret(), headers.timestamp!, rawBody), 'utf8');
  const given = Buffer.from(headers.signature!.trim(), 'utf8');
  if (!secret || given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
