/**
 * Typed client of Keycafe API v0, written against Keycafe's public reference
 * (docs.keycafe.com/reference; each behaviour and its source in sandbox/keycafe/SOURCES.md).
 * Every response is checked with zod, list items one by one (an odd record is skipped and
 * reported, not fatal); every request takes a token from the credentials' rate-limit bucket
 * first and passes the caller's fence; lists follow `Link: <…>; rel="next"`. It never retries
 * by itself: the outbox does, so a retry is durable and visible.
 */
import ky, { TimeoutError } from 'ky';
import { z } from 'zod';
import { safeLinkUrl } from '../../lib/safe-url.ts';
import type { Clock } from './clock.ts';
import { KeycafeError, type KeycafeErrorKind, type KeycafeFieldError } from './errors.ts';
import { RateLimitWait, type RollingWindowLimiter } from './rate-limiter.ts';

export const DEFAULT_KEYCAFE_API_URL = 'https://www.keycafe.com/v0/';

const idSchema = z.union([z.number(), z.string().min(1)]).transform(String);

/**
 * Keycafe's location address is an object (docs.keycafe.com/reference/webhook-notifications:
 * `"address": { "street": … }`); its other parts are not listed, so every text part is joined
 * in the order given. A plain string is accepted too (sandbox/keycafe/SOURCES.md, lenient).
 */
const addressSchema = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .nullish()
  .transform((a) => {
    if (a == null) return null;
    if (typeof a === 'string') return a.trim() || null;
    const parts = Object.values(a).filter((v): v is string | number => (typeof v === 'string' && v.trim() !== '') || typeof v === 'number');
    return parts.length ? parts.map((v) => String(v).trim()).join(', ') : null;
  });

/** A location as Keycafe documents it: `timezone` in lower case (webhook-notifications); `timeZone` read too. */
export const keycafeApiLocation = z
  .object({
    id: idSchema,
    name: z.string(),
    address: addressSchema,
    timezone: z.string().nullish(),
    timeZone: z.string().nullish(),
  })
  .transform((l) => ({ id: l.id, name: l.name, address: l.address, timeZone: l.timezone ?? l.timeZone ?? null }));
export type KeycafeApiLocation = z.output<typeof keycafeApiLocation>;

/** A key's home location: documented as "object"; its fields beyond id and name may be absent. */
const place = z
  .object({ id: idSchema, name: z.string().nullish(), address: addressSchema, timezone: z.string().nullish(), timeZone: z.string().nullish() })
  .transform((l) => ({ id: l.id, name: l.name ?? null, address: l.address, timeZone: l.timezone ?? l.timeZone ?? null }));

export const keycafeApiKey = z.object({
  id: idSchema,
  name: z.string(),
  serialNumber: z.string().nullish().transform((v) => v ?? null),
  homeLocation: place.nullish().transform((v) => v ?? null),
});
export type KeycafeApiKey = z.output<typeof keycafeApiKey>;

const keyRef = z.object({ id: idSchema, name: z.string().nullish() });
/** The access's recipient; name-only accesses have none (create-access: `name` "Required if no user information is specified"). */
const userRef = z
  .object({ id: idSchema.nullish(), email: z.string().nullish(), mobile: z.union([z.string(), z.number()]).transform(String).nullish() })
  .nullish()
  .transform((v) => v ?? null);

export const keycafeApiAccess = z
  .object({
    id: idSchema,
    bookingCode: z.union([z.string(), z.number()]).transform(String).nullish().transform((v) => v ?? null),
    /**
     * "Returned only for scheduled accesses" (access-object). A link that is not https is
     * dropped, not the access: its booking code still opens the box.
     */
    checkinLink: z.unknown().optional().transform((v) => safeLinkUrl(v)),
    /** access-object: "The keys for which access has been given"; an object in every example, a list accepted. */
    key: z.union([keyRef, z.array(keyRef).min(1)]),
    user: userRef,
    accessStartDate: z.string().nullish(),
    accessStartTime: z.string().nullish(),
    accessEndDate: z.string().nullish(),
    accessEndTime: z.string().nullish(),
    timeZone: z.string().nullish(),
    name: z.string().nullish(),
    /** Not in the access object's documented fields; read when present (sandbox lenient mode sends it). */
    status: z.string().nullish(),
  })
  .transform(({ key, ...a }) => {
    const keys = Array.isArray(key) ? key : [key];
    return { ...a, key: keys[0]!, keys };
  });
export type KeycafeApiAccess = z.output<typeof keycafeApiAccess>;

/** True when an access Keycafe still lists is no longer live (an undocumented status such as CANCELLED). */
export const isEndedStatus = (status: string | null | undefined) => !!status && /cancel|revok|delet|inactive|expired/i.test(status);

export const keycafeErrorBody = z.object({
  error: z.object({ errorId: z.union([z.string(), z.number()]).transform(String).optional(), errorMessage: z.string().optional() }).optional(),
  fieldErrors: z.array(z.object({ field: z.string(), errorMessage: z.string() })).optional(),
});

export type KeycafeUser = { id: string } | { email: string } | { mobile: string };

/** POST /v0/access. Omit all four date/time fields for an ongoing access. */
export interface CreateAccessBody {
  user: KeycafeUser;
  key: { id: string } | { serialNumber: string };
  accessStartDate?: string;
  accessStartTime?: string;
  accessEndDate?: string;
  accessEndTime?: string;
  timeZone?: string;
  name?: string;
  returnReminder?: boolean;
  suppressGuestNotifications?: boolean;
  locale?: 'en' | 'fr' | 'ja' | 'es' | 'nl' | 'it' | 'pt';
  allowSetup?: boolean;
}

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

export const nextLink = (header: string | null): string | null => {
  if (!header) return null;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (m) return m[1]!;
  }
  return null;
};

/** Retry-After in seconds or as an HTTP date; Keycafe's lockout is a minute when absent. */
function retryAfterMs(header: string | null, now: number): number {
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
const isNotFoundErrorId = (id: string | undefined) => !!id && id !== 'operation.notFound' && /not_?found$/i.test(id);

const MAX_PAGES = 200;

export class KeycafeClient {
  private readonly auth: string;
  readonly authType: KeycafeAuthType;
  /** Items of lists that did not parse, since this client was made. */
  readonly skipped: SkippedItem[] = [];

  constructor(
    account: KeycafeAccount,
    private readonly opts: KeycafeClientOptions,
  ) {
    this.authType = account.authType ?? 'token';
    this.auth = 'Basic ' + Buffer.from(`${account.email}/${this.authType}:${account.token}`).toString('base64');
  }

  listKeys(query?: string): Promise<KeycafeApiKey[]> {
    return this.list('key', query ? { query } : {}, keycafeApiKey);
  }

  /**
   * The account's own SmartBox locations. `GET /v0/location` without a filter is Keycafe's
   * public directory of every location (search-locations: "Omitting the search query will
   * return all locations") and `access=true` means locations where the caller has an access,
   * so the account's locations are its keys' home locations; a home location whose time zone
   * is not inline is read with `GET /v0/location/{id}`.
   */
  async listOwnLocations(keys?: KeycafeApiKey[]): Promise<KeycafeApiLocation[]> {
    const list = keys ?? (await this.listKeys());
    const byId = new Map<string, KeycafeApiLocation>();
    for (const k of list) {
      const h = k.homeLocation;
      if (!h || byId.has(h.id)) continue;
      byId.set(h.id, { id: h.id, name: h.name ?? h.id, address: h.address, timeZone: h.timeZone });
    }
    for (const [id, loc] of byId) {
      if (loc.timeZone) continue;
      const full = await this.getLocation(id);
      if (full) byId.set(id, full);
    }
    return [...byId.values()];
  }

  async getLocation(id: string): Promise<KeycafeApiLocation | null> {
    try {
      const res = await this.request('get', this.url(`location/${encodeURIComponent(id)}`));
      const parsed = keycafeApiLocation.safeParse(await this.json(res));
      if (!parsed.success) {
        this.skipped.push({ list: 'location', id, reason: parsed.error.issues[0]?.message ?? 'unexpected shape' });
        return null;
      }
      return parsed.data;
    } catch (err) {
      if (err instanceof KeycafeError && err.kind === 'not_found') return null;
      throw err;
    }
  }

  /**
   * Documented filters only (search-accesses): `key` and `user` take Keycafe IDs, `query`
   * matches the guest's name, email or mobile and the key's name or serial number.
   */
  listAccesses(filter: { key?: string; userId?: string; query?: string }): Promise<KeycafeApiAccess[]> {
    const params: Record<string, string> = {};
    if (filter.key) params.key = filter.key;
    if (filter.userId) params.user = filter.userId;
    if (filter.query) params.query = filter.query;
    return this.list('access', params, keycafeApiAccess);
  }

  /** GET /v0/access/{id}; null when Keycafe no longer knows it. */
  async getAccess(id: string): Promise<KeycafeApiAccess | null> {
    try {
      const res = await this.request('get', this.url(`access/${encodeURIComponent(id)}`));
      return this.parse(keycafeApiAccess, await this.json(res), 'access');
    } catch (err) {
      if (err instanceof KeycafeError && err.kind === 'not_found') return null;
      throw err;
    }
  }

  /**
   * `beforeSend` runs once a rate-limit token is held, right before the request leaves: the
   * caller records "Keycafe may have this now" only when that is true.
   */
  async createAccess(body: CreateAccessBody, opts: { beforeSend?: () => Promise<void> } = {}): Promise<KeycafeApiAccess> {
    const res = await this.request('post', this.url('access'), body, opts.beforeSend);
    return this.parse(keycafeApiAccess, await this.json(res), 'access');
  }

  /**
   * Cancels an access. Keycafe does not document what cancelling an access that is already
   * cancelled or gone answers, so any refusal other than an auth problem is checked with
   * GET /v0/access/{id}: missing, or listed with an ended status, counts as done.
   */
  async deleteAccess(id: string): Promise<'deleted' | 'already_gone'> {
    try {
      await this.request('delete', this.url(`access/${encodeURIComponent(id)}`));
      return 'deleted';
    } catch (err) {
      if (!(err instanceof KeycafeError)) throw err;
      if (err.kind === 'not_found') return 'already_gone';
      if (err.kind !== 'rejected') throw err;
      const now = await this.getAccess(id);
      if (!now || isEndedStatus(now.status)) return 'already_gone';
      throw err;
    }
  }

  private url(path: string, params: Record<string, string> = {}): string {
    const base = this.opts.baseUrl.endsWith('/') ? this.opts.baseUrl : this.opts.baseUrl + '/';
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  /** Follows `Link: rel="next"`; each item is parsed on its own so one odd record does not fail the list. */
  private async list<T extends z.ZodType>(path: string, params: Record<string, string>, item: T): Promise<z.output<T>[]> {
    const items: z.output<T>[] = [];
    let url: string | null = this.url(path, params);
    for (let page = 0; url; page++) {
      if (page >= MAX_PAGES) throw new KeycafeError('invalid_response', `More than ${MAX_PAGES} pages of ${path}`);
      const res = await this.request('get', url);
      const raw = this.parse(z.array(z.unknown()), await this.json(res), path);
      for (const entry of raw) {
        const parsed = item.safeParse(entry);
        if (parsed.success) items.push(parsed.data);
        else {
          const id = entry && typeof entry === 'object' && 'id' in entry ? String((entry as { id: unknown }).id) : null;
          const issue = parsed.error.issues[0];
          this.skipped.push({ list: path, id, reason: issue ? `${issue.path.join('.') || '(item)'}: ${issue.message}` : 'unexpected shape' });
        }
      }
      const next = nextLink(res.headers.get('link'));
      // Only follow links to the same API (a Link header must not redirect our credentials).
      url = next && new URL(next, url).origin === new URL(this.opts.baseUrl).origin ? new URL(next, url).toString() : null;
    }
    return items;
  }

  private async request(method: 'get' | 'post' | 'delete', url: string, json?: unknown, beforeSend?: () => Promise<void>): Promise<Response> {
    const onCall = this.opts.onCall;
    if (!onCall) return this.send(method, url, json, beforeSend);
    const call = `${method.toUpperCase()} ${new URL(url).pathname.replace(/^.*?(\/v0\/)/, '/v0/')}`;
    try {
      const res = await this.send(method, url, json, beforeSend);
      onCall({ call, status: res.status, ok: true, errorId: null, message: `HTTP ${res.status}`, kind: null });
      return res;
    } catch (err) {
      if (err instanceof KeycafeError)
        onCall({ call, status: err.opts.status ?? null, ok: false, errorId: err.opts.errorId ?? null, message: err.message, kind: err.kind });
      throw err;
    }
  }

  private async send(method: 'get' | 'post' | 'delete', url: string, json?: unknown, beforeSend?: () => Promise<void>): Promise<Response> {
    let permit;
    try {
      permit = await this.opts.limiter.acquire(this.opts.maxWaitMs);
    } catch (err) {
      if (err instanceof RateLimitWait) throw new KeycafeError('rate_limited', err.message, { retryAfterMs: err.waitMs });
      throw err;
    }
    try {
      if (this.opts.fence) await this.opts.fence();
      if (beforeSend) await beforeSend();
    } catch (err) {
      permit.cancel();
      throw err;
    }
    let res: Response;
    try {
      res = await ky(url, {
        method,
        json,
        headers: { authorization: this.auth, accept: 'application/json' },
        timeout: this.opts.timeoutMs,
        retry: 0,
        throwHttpErrors: false,
      });
    } catch (err) {
      if (err instanceof TimeoutError) throw new KeycafeError('timeout', `no answer within ${this.opts.timeoutMs} ms`);
      throw new KeycafeError('network', (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message);
    } finally {
      permit.release();
    }
    if (res.ok) return res;
    if (res.status === 429) {
      const wait = retryAfterMs(res.headers.get('retry-after'), Date.now());
      this.opts.limiter.blockUntil(this.opts.clock.now() + wait);
      await res.body?.cancel();
      throw new KeycafeError('rate_limited', 'Keycafe answered 429 (60 requests a minute)', { status: 429, retryAfterMs: wait });
    }
    const body = keycafeErrorBody.safeParse(await res.json().catch(() => null));
    const message = (body.success && body.data.error?.errorMessage) || `HTTP ${res.status}`;
    const fieldErrors: KeycafeFieldError[] = body.success ? (body.data.fieldErrors ?? []).map((f) => ({ field: f.field, message: f.errorMessage })) : [];
    const errorId = body.success ? body.data.error?.errorId : undefined;
    const opts = { status: res.status, errorId, fieldErrors };
    if (res.status >= 500) throw new KeycafeError('unavailable', message, opts);
    // An auth errorId is an auth problem whatever the status (Keycafe documents 400 for most errors).
    if (res.status === 401 || res.status === 403 || isAuthErrorId(errorId)) throw new KeycafeError('auth', message, opts);
    if (res.status === 404 || res.status === 410 || isNotFoundErrorId(errorId)) throw new KeycafeError('not_found', message, opts);
    throw new KeycafeError('rejected', message, opts);
  }

  private async json(res: Response): Promise<unknown> {
    try {
      return await res.json();
    } catch {
      // A body cut off mid-way (dropped connection) is a network failure, not a bad shape.
      throw new KeycafeError('network', 'the answer was cut off');
    }
  }

  private parse<T extends z.ZodType>(schema: T, data: unknown, what: string): z.output<T> {
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new KeycafeError('invalid_response', `unexpected ${what} answer: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }
}
