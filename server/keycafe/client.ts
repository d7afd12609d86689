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
import { isEndedStatus, keycafeApiAccess, keycafeApiKey, keycafeApiLocation, keycafeErrorBody, type CreateAccessBody, type KeycafeApiAccess, type KeycafeApiKey, type KeycafeApiLocation } from './api-schemas.ts';
import type { KeycafeAccount, KeycafeAuthType, KeycafeClientOptions, SkippedItem } from './client-types.ts';
import { KeycafeError, type KeycafeFieldError } from './errors.ts';
import { RateLimitWait } from './rate-limiter.ts';
import { isAuthErrorId, isNotFoundErrorId, nextLink, retryAfterMs } from './responses.ts';

export const DEFAULT_KEYCAFE_API_URL = 'https://www.keycafe.com/v0/';

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
