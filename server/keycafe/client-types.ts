/**
 * The Keycafe client's vocabulary: the credentials of an account, the client's options, and
 * what it reports (each call made, each list item skipped).
 */
import type { Clock } from './clock.ts';
import type { KeycafeErrorKind } from './errors.ts';
import type { RollingWindowLimiter } from './rate-limiter.ts';

/**
 * Keycafe documents two Basic-auth credentials for the API besides the password
 * (docs.keycafe.com/reference/authentication-1): `{email}/token:{token}` (API token) and
 * `{email}/key:{key}` (API key, deprecated but still issued in account settings).
 */
export type KeycafeAuthType = 'token' | 'key';
export const KEYCAFE_AUTH_TYPES: readonly KeycafeAuthType[] = ['token', 'key'];

export interface KeycafeAccount {
  email: string;
  /** The API token or API key (the secret), whichever `authType` says. */
  token: string;
  authType?: KeycafeAuthType;
}

export interface KeycafeClientOptions {
  baseUrl: string;
  limiter: RollingWindowLimiter;
  clock: Clock;
  /** Real milliseconds before a request is abandoned. */
  timeoutMs: number;
  /** Clock milliseconds a request may wait for a rate-limit token before failing as rate limited. */
  maxWaitMs: number;
  /**
   * Runs before every request leaves (a rate-limit token held): an outbox job proves here that it
   * still holds its lease, so a job taken over by another worker never calls Keycafe again.
   */
  fence?: () => Promise<void>;
  /** Told about every call that reached (or failed to reach) Keycafe: "Test connection" lists them. */
  onCall?: (call: KeycafeCallRecord) => void;
}

export interface KeycafeCallRecord {
  /** e.g. `GET /v0/key` (query left out: it may hold a visitor's email). */
  call: string;
  status: number | null;
  ok: boolean;
  errorId: string | null;
  /** Keycafe's own errorMessage, or what went wrong on the way. */
  message: string;
  kind: KeycafeErrorKind | null;
}

/** One list item Keycafe sent that does not have the documented shape (skipped, not fatal). */
export interface SkippedItem {
  list: string;
  id: string | null;
  reason: string;
}
