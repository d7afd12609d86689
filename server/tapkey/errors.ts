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
  /** 401 even with a freshly issued token: a permission (scope) or co-admin problem, not expiry. */
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

// 'unauthorized' is not retried: a fresh token was refused, so retrying cannot help until
// someone changes a permission in the Integrator portal (the message names which).
const retryableKinds = new Set<TapkeyErrorKind>(['rate_limited', 'server_error', 'timeout', 'network']);

/**
 * The Integrator portal's permission (portal.tapkey.io, OAuth client → Permissions) that gives a
 * scope, in the portal's words [TK-REPO tapkey-api-samples-dotnet HowToWebApiClientCredentials
 * README: "Owners = ReadOnly, Core Entities and Grants = ReadAndWrite"; DOC api/scopes].
 */
export function portalPermissionOf(scope: string): string {
  if (scope === 'read:owneraccounts') return 'Owners: ReadOnly';
  if (scope === 'write:owneraccounts') return 'Owners: ReadAndWrite';
  if (scope === 'read:core:entities') return 'Core Entities: ReadOnly';
  if (scope === 'write:core:entities') return 'Core Entities: ReadAndWrite';
  if (scope === 'read:grants') return 'Grants: ReadOnly';
  if (scope === 'write:grants') return 'Grants: ReadAndWrite';
  if (scope === 'read:logs') return 'Logs: ReadOnly';
  return scope;
}

/** The scope an API call needs [DOC api/scopes; each endpoint's page]. */
export function scopeForEndpoint(endpoint: string): string | undefined {
  const [method = '', path = ''] = endpoint.split(' ');
  const p = path.toLowerCase();
  if (/\/grants(\/|$)/.test(p)) return method === 'GET' ? 'read:grants' : 'write:grants';
  if (/\/(boundlocks|contacts|boundcards)(\/|$)/.test(p)) return method === 'GET' ? 'read:core:entities' : 'write:core:entities';
  if (/^\/owners/.test(p)) return method === 'GET' ? 'read:owneraccounts' : 'write:owneraccounts';
  return undefined;
}

/** "set Grants to ReadAndWrite and Owners to ReadOnly" for the scopes given (deduplicated). */
export function portalPermissionsText(scopes: string[]): string {
  const best = new Map<string, string>();
  for (const s of scopes) {
    const [area, level] = portalPermissionOf(s).split(': ');
    if (!level) continue;
    // ReadAndWrite covers ReadOnly.
    if (best.get(area!) !== 'ReadAndWrite') best.set(area!, level);
  }
  return [...best.entries()].map(([area, level]) => `${area} to ${level}`).join(', ');
}

export class TapkeyError extends Error {
  constructor(
    readonly kind: TapkeyErrorKind,
    message: string,
    readonly info: { status?: number; tapkeyCode?: string; retryAfterMs?: number; endpoint?: string; scopes?: string[] } = {},
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
        withTapkeyText(
          `The Tapkey OAuth client lacks a permission: in the Tapkey Integrator portal (portal.tapkey.io → OAuth client → Permissions) set ${portalPermissionsText(err.info.scopes?.length ? err.info.scopes : ['read:owneraccounts', 'write:core:entities', 'write:grants'])}.`,
          err,
        ),
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
    case 'unauthorized': {
      const scope = err.info.scopes?.[0];
      const what = err.info.endpoint ? ` for ${err.info.endpoint}` : '';
      return new ApiError(
        'unprocessable',
        scope
          ? `Tapkey refused a freshly issued access token${what}: the OAuth client lacks the ${scope} permission. In the Tapkey Integrator portal set ${portalPermissionsText([scope])}, and make the client's service account co-admin of the locking system.`
          : `Tapkey refused a freshly issued access token${what}: check the OAuth client's permissions in the Tapkey Integrator portal and that its service account is co-admin of the locking system.`,
        [],
        details,
      );
    }
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
