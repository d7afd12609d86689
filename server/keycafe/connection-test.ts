/**
 * "Test connection" for a Keycafe account: every call the catalog refresh makes (keys, then the
 * keys' home locations), with each credential type that is not known yet (API token first, then
 * API key: docs.keycafe.com/reference/authentication-1), reporting each call tried and, for a
 * refusal, what to check in the Keycafe dashboard's words. The calls are charged to the
 * caller's organization as well as to the credentials' own bucket (service.ts).
 */
import type { KeycafeTestCall } from '../../lib/contract.ts';
import { translate, type Language } from '../../lib/i18n/index.ts';
import { ApiError } from '../errors.ts';
import type { KeycafeApiKey, KeycafeApiLocation } from './api-schemas.ts';
import { KEYCAFE_AUTH_TYPES, type KeycafeAuthType, type SkippedItem } from './client-types.ts';
import { KeycafeError, toApiError } from './errors.ts';
import { RateLimitWait } from './rate-limiter.ts';
import type { KeycafeService } from './service.ts';

export interface ConnectionTestOutcome {
  authType: KeycafeAuthType;
  keys: KeycafeApiKey[];
  locations: KeycafeApiLocation[];
  calls: KeycafeTestCall[];
  skipped: SkippedItem[];
}

export async function testKeycafeConnection(
  service: KeycafeService,
  organizationId: string,
  credentials: { email: string; secret: string; authType?: KeycafeAuthType },
  lang: Language,
): Promise<ConnectionTestOutcome> {
  let permit;
  try {
    permit = await service.testLimiterFor(organizationId).acquire(0);
  } catch (err) {
    if (!(err instanceof RateLimitWait)) throw err;
    const seconds = Math.max(1, Math.ceil(service.clock.toRealMs(err.waitMs) / 1000));
    throw new ApiError('rate_limited', translate(lang, 'kcconnect.testRateLimited', { seconds }), [], { retryAfterSeconds: seconds });
  }
  const calls: KeycafeTestCall[] = [];
  try {
    const types = credentials.authType ? [credentials.authType] : [...KEYCAFE_AUTH_TYPES];
    let lastAuth: KeycafeError | null = null;
    for (const authType of types) {
      const client = service.client({ email: credentials.email, token: credentials.secret, authType }, 'route', {
        onCall: (c) =>
          calls.push({
            call: c.call,
            authType,
            ok: c.ok,
            status: c.status,
            errorId: c.errorId,
            message: c.ok
              ? translate(lang, 'kcconnect.call.ok')
              : c.kind === 'auth'
                ? `${translate(lang, authType === 'token' ? 'kcconnect.auth.token' : 'kcconnect.auth.key', { email: credentials.email })} (Keycafe: ${c.message})`
                : c.message,
          }),
      });
      try {
        const keys = await client.listKeys();
        const locations = await client.listOwnLocations(keys);
        return { authType, keys, locations, calls, skipped: client.skipped };
      } catch (err) {
        if (err instanceof KeycafeError && err.kind === 'auth') {
          lastAuth = err;
          continue;
        }
        throw withCalls(toApiError(err, lang), calls);
      }
    }
    const message =
      types.length > 1 ? translate(lang, 'kcconnect.auth.none', { email: credentials.email }) : translate(lang, types[0] === 'key' ? 'kcconnect.auth.key' : 'kcconnect.auth.token', { email: credentials.email });
    throw new ApiError('unprocessable', message, [{ path: 'keycafe.apiToken', message }], { calls, keycafe: lastAuth?.message ?? null });
  } finally {
    permit.release();
  }
}

function withCalls(err: Error, calls: KeycafeTestCall[]): Error {
  if (!(err instanceof ApiError)) return err;
  const details = typeof err.details === 'object' && err.details ? { ...err.details, calls } : { calls };
  return new ApiError(err.code, err.message, err.fieldErrors, details, err.status);
}
