/**
 * The sync API client: the extension's only network caller. ky gives timeouts and retries
 * (5xx and network errors, with backoff); every answer is parsed with the shared contract so
 * a wrong URL or an incompatible server shows up as an error, not as undefined fields later.
 * Failures become an `ApiCallError` carrying the `BridgeError` the UI explains.
 */
import ky, { HTTPError, TimeoutError, type KyInstance } from 'ky';
import type { z } from 'zod';
import {
  captureLocksResult,
  errorBodySchema,
  healthSchema,
  listOf,
  locationSchema,
  mappingConflictSchema,
  mappingSchema,
  unitSchema,
  whoAmISchema,
  type CapturedLockInput,
  type MappingInput,
} from '../../lib/contract.ts';
import type { BridgeError } from '../../lib/messages.ts';

export class ApiCallError extends Error {
  constructor(readonly info: BridgeError) {
    super(info.message);
    this.name = 'ApiCallError';
  }
}

/** The API could not be reached or failed on its side: a mutation should wait in the queue. */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof ApiCallError)) return false;
  const { kind, status } = error.info;
  return kind === 'unreachable' || kind === 'timeout' || (status !== undefined && status >= 500);
}

export interface ApiClientOptions {
  apiUrl: string;
  token: string;
  timeoutMs?: number;
  retries?: number;
  /** Delay before retry n (1-based), in ms. */
  retryDelay?: (attempt: number) => number;
  fetch?: typeof fetch;
}

const unitList = listOf(unitSchema);
const locationList = listOf(locationSchema);
const mappingList = listOf(mappingSchema);

/** The largest page the units route accepts; we page through with it. */
export const UNITS_PAGE = 500;

export function createApiClient(options: ApiClientOptions) {
  const base = options.apiUrl.replace(/\/+$/, '') + '/';
  const open: KyInstance = ky.create({
    prefixUrl: base,
    timeout: options.timeoutMs ?? 10_000,
    headers: { Accept: 'application/json' },
    retry: {
      limit: options.retries ?? 2,
      // Every mutation we send is idempotent (PUT mapping, upsert of captured locks).
      methods: ['get', 'put', 'post', 'delete'],
      statusCodes: [500, 502, 503, 504],
      delay: options.retryDelay ?? ((n) => 300 * 2 ** (n - 1)),
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const http = open.extend({ headers: { Authorization: `Bearer ${options.token}` } });

  async function call<S extends z.ZodType>(schema: S, run: () => Promise<Response>, what: 'health' | 'api' = 'api'): Promise<z.infer<S>> {
    let response: Response;
    try {
      response = await run();
    } catch (error) {
      throw await toApiCallError(error, what);
    }
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiCallError({
        kind: what === 'health' ? 'not_accessbridge' : 'invalid_response',
        message:
          what === 'health'
            ? `${base} answered, but not like an AccessBridge API.`
            : `Unexpected answer from ${response.url}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        status: response.status,
        fieldErrors: [],
      });
    }
    return parsed.data;
  }

  return {
    apiUrl: base,
    health: () => call(healthSchema, () => open.get('health'), 'health'),
    me: () => call(whoAmISchema, () => http.get('v1/me')),
    listUnits: (query: { locationId?: string | null; limit: number; offset: number }) =>
      call(unitList, () =>
        http.get('v1/units', {
          searchParams: { limit: query.limit, offset: query.offset, ...(query.locationId ? { locationId: query.locationId } : {}) },
        }),
      ),
    listLocations: () => call(locationList, () => http.get('v1/locations')),
    mappingsForLock: (lockId: string) => call(mappingList, () => http.get('v1/mappings', { searchParams: { lockId } })),
    putMapping: (unitExternalId: string, input: MappingInput) =>
      call(mappingSchema, () => http.put(`v1/units/${encodeURIComponent(unitExternalId)}/mapping`, { json: input })),
    captureLocks: (locks: CapturedLockInput[]) => call(captureLocksResult, () => http.post('v1/locks/captured', { json: { locks } })),
    /** Any other route, answered with JSON `schema` (areas with their own routes, e.g. background/manager.ts). */
    request: <S extends z.ZodType>(schema: S, run: (http: KyInstance) => Promise<Response>) => call(schema, () => run(http)),
    /** A route that answers something other than JSON (a file download): the raw response, errors mapped. */
    raw: async (run: (http: KyInstance) => Promise<Response>): Promise<Response> => {
      try {
        return await run(http);
      } catch (error) {
        throw await toApiCallError(error, 'api');
      }
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

async function toApiCallError(error: unknown, what: 'health' | 'api'): Promise<ApiCallError> {
  if (error instanceof ApiCallError) return error;
  if (error instanceof HTTPError) {
    const { response } = error;
    const body = errorBodySchema.safeParse(await response.json().catch(() => undefined));
    // An AccessBridge API answers /health with 200; anything else there is not one (wrong path).
    if (!body.success || what === 'health') {
      // A 404 page or a proxy's HTML: this URL is not (the root of) an AccessBridge API.
      const notOurs = response.status === 404 || what === 'health';
      return new ApiCallError({
        kind: notOurs ? 'not_accessbridge' : response.status === 401 ? 'unauthorized' : 'api',
        message: `HTTP ${response.status} from ${response.url}`,
        status: response.status,
        fieldErrors: [],
      });
    }
    const { error: e, fieldErrors, details } = body.data;
    const conflict = response.status === 409 ? mappingConflictSchema.safeParse(details) : null;
    return new ApiCallError({
      kind: response.status === 401 ? 'unauthorized' : 'api',
      message: e.message,
      status: response.status,
      code: e.code,
      fieldErrors,
      ...(conflict?.success ? { conflict: conflict.data } : details !== undefined ? { details } : {}),
    });
  }
  if (error instanceof TimeoutError) {
    return new ApiCallError({ kind: 'timeout', message: `No answer from ${error.request.url} in time.`, fieldErrors: [] });
  }
  // fetch() rejects with a TypeError for DNS failures, refused connections and CORS refusals
  // alike; the browser does not tell them apart.
  const message = error instanceof Error ? error.message : String(error);
  return new ApiCallError({ kind: 'unreachable', message, fieldErrors: [] });
}
