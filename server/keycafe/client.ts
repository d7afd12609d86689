/**
 * Typed client of Keycafe API v0 (PROVIDERS.md, "Keycafe API v0"). Every response is checked
 * with zod; every request takes a token from the account's rate-limit bucket first; lists
 * follow the `Link: <…>; rel="next"` header. It never retries by itself: the outbox does, so a
 * retry is durable and visible.
 */
import ky, { TimeoutError } from 'ky';
import { z } from 'zod';
import { safeLinkUrl } from '../../lib/safe-url.ts';
import type { Clock } from './clock.ts';
import { KeycafeError, type KeycafeFieldError } from './errors.ts';
import { RateLimitWait, type RollingWindowLimiter } from './rate-limiter.ts';

export const DEFAULT_KEYCAFE_API_URL = 'https://www.keycafe.com/v0/';

const idSchema = z.union([z.number(), z.string().min(1)]).transform(String);
const place = z.object({ id: idSchema, name: z.string().nullish() });

export const keycafeApiKey = z.object({
  id: idSchema,
  name: z.string(),
  serialNumber: z.string().nullish().transform((v) => v ?? null),
  homeLocation: place.nullish().transform((v) => v ?? null),
});
export type KeycafeApiKey = z.infer<typeof keycafeApiKey>;

export const keycafeApiLocation = z.object({
  id: idSchema,
  name: z.string(),
  address: z.string().nullish().transform((v) => v ?? null),
  /** IANA zone; the field name is assumed (Keycafe documents a time zone per location). */
  timeZone: z.string().nullish().transform((v) => v ?? null),
});
export type KeycafeApiLocation = z.infer<typeof keycafeApiLocation>;

export const keycafeApiAccess = z.object({
  id: idSchema,
  bookingCode: z.union([z.string(), z.number()]).transform(String).nullish().transform((v) => v ?? null),
  // A link that is not https is dropped, not the access: its booking code still opens the box.
  checkinLink: z.unknown().transform((v) => safeLinkUrl(v)),
  key: z.object({ id: idSchema, name: z.string().nullish() }),
  user: z.object({ id: idSchema.nullish(), email: z.string().nullish(), mobile: z.string().nullish() }),
  accessStartDate: z.string().nullish(),
  accessStartTime: z.string().nullish(),
  accessEndDate: z.string().nullish(),
  accessEndTime: z.string().nullish(),
  timeZone: z.string().nullish(),
  name: z.string().nullish(),
});
export type KeycafeApiAccess = z.infer<typeof keycafeApiAccess>;

const errorBody = z.object({
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

export interface KeycafeAccount {
  email: string;
  token: string;
}

export interface KeycafeClientOptions {
  baseUrl: string;
  limiter: RollingWindowLimiter;
  clock: Clock;
  /** Real milliseconds before a request is abandoned. */
  timeoutMs: number;
  /** Clock milliseconds a request may wait for a rate-limit token before failing as rate limited. */
  maxWaitMs: number;
}

const nextLink = (header: string | null): string | null => {
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

const MAX_PAGES = 200;

export class KeycafeClient {
  private readonly auth: string;

  constructor(
    account: KeycafeAccount,
    private readonly opts: KeycafeClientOptions,
  ) {
    // Keycafe's Basic auth: user "{account email}/token", password the API token.
    this.auth = 'Basic ' + Buffer.from(`${account.email}/token:${account.token}`).toString('base64');
  }

  listKeys(query?: string): Promise<KeycafeApiKey[]> {
    return this.list('key', query ? { query } : {}, keycafeApiKey);
  }

  listLocations(): Promise<KeycafeApiLocation[]> {
    return this.list('location', {}, keycafeApiLocation);
  }

  listAccesses(filter: { key?: string; user?: string }): Promise<KeycafeApiAccess[]> {
    const params: Record<string, string> = {};
    if (filter.key) params.key = filter.key;
    if (filter.user) params.user = filter.user;
    return this.list('access', params, keycafeApiAccess);
  }

  /**
   * `beforeSend` runs once a rate-limit token is held, right before the request leaves: the
   * caller records "Keycafe may have this now" only when that is true.
   */
  async createAccess(body: CreateAccessBody, opts: { beforeSend?: () => Promise<void> } = {}): Promise<KeycafeApiAccess> {
    const res = await this.request('post', this.url('access'), body, opts.beforeSend);
    return this.parse(keycafeApiAccess, await this.json(res), 'access');
  }

  /** Cancels an access; an access Keycafe no longer knows counts as cancelled. */
  async deleteAccess(id: string): Promise<'deleted' | 'already_gone'> {
    try {
      await this.request('delete', this.url(`access/${encodeURIComponent(id)}`));
      return 'deleted';
    } catch (err) {
      if (err instanceof KeycafeError && err.kind === 'not_found') return 'already_gone';
      throw err;
    }
  }

  private url(path: string, params: Record<string, string> = {}): string {
    const base = this.opts.baseUrl.endsWith('/') ? this.opts.baseUrl : this.opts.baseUrl + '/';
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  private async list<T extends z.ZodType>(path: string, params: Record<string, string>, item: T): Promise<z.infer<T>[]> {
    const items: z.infer<T>[] = [];
    let url: string | null = this.url(path, params);
    for (let page = 0; url; page++) {
      if (page >= MAX_PAGES) throw new KeycafeError('invalid_response', `More than ${MAX_PAGES} pages of ${path}`);
      const res = await this.request('get', url);
      items.push(...this.parse(z.array(item), await this.json(res), path));
      const next = nextLink(res.headers.get('link'));
      // Only follow links to the same API (a Link header must not redirect our credentials).
      url = next && new URL(next, url).origin === new URL(this.opts.baseUrl).origin ? new URL(next, url).toString() : null;
    }
    return items;
  }

  private async request(method: 'get' | 'post' | 'delete', url: string, json?: unknown, beforeSend?: () => Promise<void>): Promise<Response> {
    let permit;
    try {
      permit = await this.opts.limiter.acquire(this.opts.maxWaitMs);
    } catch (err) {
      if (err instanceof RateLimitWait) throw new KeycafeError('rate_limited', err.message, { retryAfterMs: err.waitMs });
      throw err;
    }
    if (beforeSend) {
      try {
        await beforeSend();
      } catch (err) {
        permit.cancel();
        throw err;
      }
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
    const body = errorBody.safeParse(await res.json().catch(() => null));
    const message = (body.success && body.data.error?.errorMessage) || `HTTP ${res.status}`;
    const fieldErrors: KeycafeFieldError[] = body.success ? (body.data.fieldErrors ?? []).map((f) => ({ field: f.field, message: f.errorMessage })) : [];
    const opts = { status: res.status, errorId: body.success ? body.data.error?.errorId : undefined, fieldErrors };
    if (res.status >= 500) throw new KeycafeError('unavailable', message, opts);
    if (res.status === 401 || res.status === 403) throw new KeycafeError('auth', message, opts);
    if (res.status === 404) throw new KeycafeError('not_found', message, opts);
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

  private parse<T extends z.ZodType>(schema: T, data: unknown, what: string): z.infer<T> {
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new KeycafeError('invalid_response', `unexpected ${what} answer: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }
}
