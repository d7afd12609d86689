/**
 * Tapkey failures, classified once, then mapped two ways: to our API error body (for requests a
 * user waits on) and to the outbox's RetryableError/PermanentError (for background jobs).
 */
import { ApiError } from '../errors.ts';
import { PermanentError, RetryableError } from '../outbox/outbox.ts';

export type TapkeyErrorKind =
  /** Token endpoint: unknown client id or wrong secret (OAuth `invalid_client`). */
  | 'bad_credentials'
  /** Token endpoint: the OAuth client may not use a requested scope (`invalid_scope`). */
  | 'scope_missing'
  /** 401 even with a fresh token. */
  | 'unauthorized'
  /** 403: not co-admin of the owner account, or a scope/permission missing. */
  | 'forbidden'
  | 'not_found'
  /** `ErrorCode: "Duplicate"`: the grant (or contact) already exists. */
  | 'duplicate'
  | 'conflict'
  /** 402: the owner account's plan allows no more (e.g. smartphone users) [DOC]. */
  | 'payment_required'
  | 'bad_request'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'network'
  /** A 2xx answer that does not have the documented shape. */
  | 'invalid_response';

const retryableKinds = new Set<TapkeyErrorKind>(['rate_limited', 'server_error', 'timeout', 'network', 'unauthorized']);

export class TapkeyError extends Error {
  constructor(
    readonly kind: TapkeyErrorKind,
    message: string,
    readonly info: { status?: number; tapkeyCode?: string; retryAfterMs?: number; endpoint?: string } = {},
  ) {
    super(message);
  }

  get retryable() {
    return retryableKinds.has(this.kind);
  }
}

/** What Tapkey says, in one line (the docs promise a "custom body" on errors; shape ASSUMED). */
export function tapkeyMessage(body: unknown): { code?: string; message?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    code: str(b.ErrorCode) ?? str(b.errorCode) ?? str(b.error),
    message: str(b.Message) ?? str(b.message) ?? str(b.error_description),
  };
}

export function kindOfStatus(status: number, tapkeyCode?: string): TapkeyErrorKind {
  if (tapkeyCode === 'Duplicate') return 'duplicate';
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 402) return 'payment_required';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'bad_request';
}

/** Retry-After as seconds or an HTTP date → milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const withTapkeyText = (text: string, err: TapkeyError) => (err.message ? `${text} (Tapkey: ${err.message})` : text);

/** The error a user sees when a request they made needed Tapkey and Tapkey said no. */
export function toApiError(err: TapkeyError): ApiError {
  const details = { provider: 'tapkey', kind: err.kind, status: err.info.status ?? null, tapkeyErrorCode: err.info.tapkeyCode ?? null };
  switch (err.kind) {
    case 'bad_credentials':
      return new ApiError('unprocessable', "Tapkey rejected the client ID or client secret. Check them in this location's Tapkey settings.", [], details);
    case 'scope_missing':
      return new ApiError(
        'unprocessable',
        withTapkeyText('The Tapkey OAuth client lacks a permission: in the Tapkey integrator portal set Owners to ReadOnly and Core Entities and Grants to ReadAndWrite.', err),
        [],
        details,
      );
    case 'forbidden':
      return new ApiError(
        'unprocessable',
        withTapkeyText("Tapkey refused access: the OAuth client's service account is not co-admin of this locking system, or lacks a permission.", err),
        [],
        details,
      );
    case 'not_found':
      return new ApiError('unprocessable', withTapkeyText('Tapkey does not know this locking system, lock or grant.', err), [], details);
    case 'payment_required':
      return new ApiError('unprocessable', withTapkeyText("The Tapkey owner account's plan does not allow this (402).", err), [], details);
    case 'duplicate':
    case 'conflict':
      return new ApiError('conflict', withTapkeyText('Tapkey reports that this already exists or changed concurrently.', err), [], details);
    case 'rate_limited': {
      const retryAfterSeconds = Math.max(1, Math.ceil((err.info.retryAfterMs ?? 1000) / 1000));
      return new ApiError('rate_limited', 'Tapkey is rate limiting requests; try again shortly.', [], { ...details, retryAfterSeconds });
    }
    case 'timeout':
    case 'network':
      return new ApiError('unavailable', withTapkeyText('Tapkey cannot be reached right now; try again shortly.', err), [], details);
    case 'unauthorized':
      return new ApiError('provider_error', 'Tapkey refused a freshly issued access token.', [], details);
    default:
      return new ApiError('provider_error', withTapkeyText('Tapkey answered with an error.', err), [], details);
  }
}

/** The outbox's view: retry transient failures (honouring Retry-After), fail the rest visibly. */
export function toOutboxError(err: unknown): Error {
  if (err instanceof TapkeyError) {
    const message = toApiError(err).message;
    return err.retryable ? new RetryableError(message, err.info.retryAfterMs) : new PermanentError(message);
  }
  return err instanceof Error ? err : new Error(String(err));
}
