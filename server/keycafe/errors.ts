/**
 * Keycafe failures, classified once so the outbox (retry or not) and the API (which error
 * body, which field) each get what they need.
 */
import { ApiError } from '../errors.ts';
import { PermanentError, RetryableError } from '../outbox/outbox.ts';
import { translate, type Language } from '../../lib/i18n/index.ts';
import type { FieldError } from '../../lib/contract.ts';
import type { Clock } from './clock.ts';

export type KeycafeErrorKind =
  /** 429 from Keycafe, or our own bucket has no token soon enough. */
  | 'rate_limited'
  /** 5xx */
  | 'unavailable'
  | 'timeout'
  /** connection refused, reset, DNS… */
  | 'network'
  /** 401/403: account email or token wrong. */
  | 'auth'
  | 'not_found'
  /** Other 4xx, usually with field errors. */
  | 'rejected'
  /** 2xx whose body does not have the documented shape. */
  | 'invalid_response';

export interface KeycafeFieldError {
  field: string;
  message: string;
}

export class KeycafeError extends Error {
  constructor(
    readonly kind: KeycafeErrorKind,
    message: string,
    readonly opts: { status?: number; errorId?: string; fieldErrors?: KeycafeFieldError[]; retryAfterMs?: number } = {},
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable' || this.kind === 'timeout' || this.kind === 'network';
  }

  /** One line for a job's `reason`: the message plus the fields Keycafe complained about. */
  get detail(): string {
    const fields = (this.opts.fieldErrors ?? []).map((f) => `${f.field}: ${f.message}`);
    return fields.length ? `${this.message} (${fields.join('; ')})` : this.message;
  }
}

/** For outbox handlers: 429/5xx/timeouts/network are retried, the rest fail at once. */
export function toOutboxError(err: unknown, clock: Clock): Error {
  if (!(err instanceof KeycafeError)) return err instanceof Error ? err : new Error(String(err));
  const msg = `Keycafe: ${err.detail}`;
  if (err.retryable) return new RetryableError(msg, err.opts.retryAfterMs === undefined ? undefined : clock.toRealMs(err.opts.retryAfterMs));
  return new PermanentError(msg);
}

/** Keycafe's request field names → the paths of our keycafeBookingInput. */
const fieldPaths: Record<string, string> = {
  user: 'recipient',
  'user.id': 'recipient',
  'user.email': 'recipient.email',
  'user.mobile': 'recipient.mobile',
  key: 'keyIds',
  'key.id': 'keyIds',
  'key.serialNumber': 'keyIds',
  accessStartDate: 'start.date',
  accessStartTime: 'start.time',
  accessEndDate: 'end.date',
  accessEndTime: 'end.time',
  timeZone: 'start',
  locale: 'locale',
  name: 'name',
  returnReminder: 'returnReminder',
};

/** Maps Keycafe's `fieldErrors[].field` to our `path`; `keyPath` places key errors (e.g. keyIds.2). */
export function mapFieldErrors(fieldErrors: KeycafeFieldError[] = [], keyPath = 'keyIds'): FieldError[] {
  return fieldErrors.map((f) => {
    const path = fieldPaths[f.field] ?? `keycafe.${f.field}`;
    return { path: path === 'keyIds' ? keyPath : path, message: f.message };
  });
}

/** For synchronous routes (test connection, key lists): the contract's error body. */
export function toApiError(err: unknown, lang: Language, keyPath?: string): Error {
  if (!(err instanceof KeycafeError)) return err instanceof Error ? err : new Error(String(err));
  switch (err.kind) {
    case 'rate_limited': {
      const seconds = Math.max(1, Math.ceil((err.opts.retryAfterMs ?? 60_000) / 1000));
      return new ApiError('rate_limited', translate(lang, 'keycafe.provider.rateLimited', { seconds }), [], { retryAfterSeconds: seconds });
    }
    case 'auth':
      return new ApiError('unprocessable', translate(lang, 'keycafe.provider.auth'), [{ path: 'keycafe.apiToken', message: translate(lang, 'keycafe.provider.auth') }]);
    case 'rejected':
    case 'not_found':
      return new ApiError('provider_error', translate(lang, 'keycafe.provider.rejected', { reason: err.message }), mapFieldErrors(err.opts.fieldErrors, keyPath));
    default:
      return new ApiError('provider_error', translate(lang, 'keycafe.provider.unreachable', { reason: err.message }));
  }
}
