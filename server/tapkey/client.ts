/**
 * A typed Tapkey Web API client: client-credentials token (cached, refreshed before expiry and
 * once on a 401), OData paging ($top/$skip until a short page, as Tapkey's own sample does),
 * bounded retries with backoff for 429 (honouring Retry-After), 5xx, timeouts and dropped
 * connections, and every answer validated with zod. Non-idempotent calls (creating a grant)
 * are retried in process only after a 429 (not processed); other failures go back to the
 * outbox, whose handler checks Tapkey before creating again.
 */
import { createHash } from 'node:crypto';
import ky, { TimeoutError } from 'ky';
import { z } from 'zod';
import { TapkeyError, kindOfStatus, parseRetryAfter, tapkeyMessage } from './errors.ts';
import { boundLockSchema, contactSchema, grantSchema, ownerSchema, tokenResponseSchema, type TapkeyGrant } from './schemas.ts';

/** What the connector needs: owners (read), locks and contacts (core entities), grants. */
export const TAPKEY_SCOPES = ['read:owneraccounts', 'read:core:entities', 'write:core:entities', 'read:grants', 'write:grants'];

export const DEFAULT_TOKEN_URL = 'https://login.tapkey.com/connect/token';
export const DEFAULT_API_URL = 'https://my.tapkey.com/api/v1';

export interface TapkeyEndpoints {
  tokenUrl: string;
  apiUrl: string;
}

export interface TapkeyClientOptions extends TapkeyEndpoints {
  clientId: string;
  clientSecret: string;
  scopes?: string[];
  /** Per request. */
  timeoutMs?: number;
  /** Extra attempts after the first, for retryable failures. */
  retries?: number;
  retryBaseMs?: number;
  /** A Retry-After longer than this is not slept on in process: the caller (outbox) waits. */
  maxRetryWaitMs?: number;
  pageSize?: number;
  fetch?: typeof fetch;
}

interface CachedToken {
  value: string;
  refreshAt: number;
  scope?: string;
}

/**
 * Tokens shared by every client of the same credentials in this process, so each job does not
 * log in again. Keyed by a hash that includes the secret: a changed secret means a new login.
 */
const tokenCache = new Map<string, CachedToken>();
const tokenInFlight = new Map<string, Promise<CachedToken>>();

export function clearTapkeyTokenCache() {
  tokenCache.clear();
  tokenInFlight.clear();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** OData string literal: quotes doubled. */
export const odataString = (v: string) => `'${v.replace(/'/g, "''")}'`;

/** Query strings with %20 for spaces (not `+`), which every OData server reads alike. */
const queryString = (params: Record<string, string | number | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k).replace(/%24/g, '$')}=${encodeURIComponent(String(v))}`)
    .join('&');

export interface GrantInput {
  boundLockId: string;
  /** The tenant's email; the contact is given inline by identifier [TK-REPO dotnet sample]. */
  email: string;
  validFrom: string | null;
  validBefore: string | null;
}

export class TapkeyClient {
  private readonly opts: Required<Omit<TapkeyClientOptions, 'fetch'>> & { fetch?: typeof fetch };
  private readonly cacheKey: string;

  constructor(opts: TapkeyClientOptions) {
    this.opts = {
      scopes: TAPKEY_SCOPES,
      timeoutMs: 10_000,
      retries: 2,
      retryBaseMs: 250,
      maxRetryWaitMs: 5_000,
      pageSize: 500,
      ...opts,
      apiUrl: opts.apiUrl.replace(/\/+$/, ''),
    };
    this.cacheKey = createHash('sha256')
      .update([this.opts.tokenUrl, this.opts.clientId, this.opts.clientSecret, this.opts.scopes.join(' ')].join('\n'))
      .digest('hex');
  }

  // ---------- token ----------

  /** A valid access token: cached until shortly before it expires. */
  async token(): Promise<string> {
    const cached = tokenCache.get(this.cacheKey);
    if (cached && cached.refreshAt > Date.now()) return cached.value;
    let pending = tokenInFlight.get(this.cacheKey);
    if (!pending) {
      pending = this.fetchToken().finally(() => tokenInFlight.delete(this.cacheKey));
      tokenInFlight.set(this.cacheKey, pending);
    }
    return (await pending).value;
  }

  /** Scopes the last token was granted, when the token endpoint says (standard OAuth field). */
  grantedScopes(): string[] | undefined {
    return tokenCache.get(this.cacheKey)?.scope?.split(/\s+/).filter(Boolean);
  }

  private invalidateToken(value: string) {
    if (tokenCache.get(this.cacheKey)?.value === value) tokenCache.delete(this.cacheKey);
  }

  private async fetchToken(): Promise<CachedToken> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.opts.clientId,
      client_secret: this.opts.clientSecret,
      scope: this.opts.scopes.join(' '),
    });
    const parsed = await this.withRetries(true, async () => {
      const res = await this.send(this.opts.tokenUrl, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 'POST /connect/token');
      const json = await res.json().catch(() => null);
      if (!res.ok) {
        const { code, message } = tapkeyMessage(json);
        const info = { status: res.status, tapkeyCode: code, endpoint: 'POST /connect/token', retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) };
        if (code === 'invalid_client' || code === 'unauthorized_client') throw new TapkeyError('bad_credentials', message ?? 'Invalid client credentials', info);
        if (code === 'invalid_scope') throw new TapkeyError('scope_missing', message ?? 'A requested scope is not allowed', info);
        throw new TapkeyError(res.status === 401 ? 'bad_credentials' : kindOfStatus(res.status), message ?? `Token endpoint answered ${res.status}`, info);
      }
      const token = tokenResponseSchema.safeParse(json);
      if (!token.success) throw new TapkeyError('invalid_response', 'The token answer lacks access_token/expires_in', { endpoint: 'POST /connect/token' });
      return token.data;
    });
    const lifetimeMs = parsed.expires_in * 1000;
    // Refresh a minute early (or at 90 % of a short lifetime) so a call never races the expiry.
    const refreshAt = Date.now() + Math.max(0, lifetimeMs - Math.min(60_000, lifetimeMs / 10));
    const token = { value: parsed.access_token, refreshAt, scope: parsed.scope };
    tokenCache.set(this.cacheKey, token);
    return token;
  }

  // ---------- transport ----------

  private async send(url: string, init: { method: string; body?: BodyInit; headers?: Record<string, string>; json?: unknown }, endpoint: string): Promise<Response> {
    try {
      return await ky(url, { ...init, timeout: this.opts.timeoutMs, retry: 0, throwHttpErrors: false, fetch: this.opts.fetch });
    } catch (err) {
      if (err instanceof TimeoutError) throw new TapkeyError('timeout', `No answer within ${this.opts.timeoutMs} ms`, { endpoint });
      throw new TapkeyError('network', `Connection failed: ${(err as Error).message}`, { endpoint });
    }
  }

  private async withRetries<T>(idempotent: boolean, attempt: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof TapkeyError) || !err.retryable || err.kind === 'unauthorized' || n >= this.opts.retries) throw err;
        // A 429 was not processed, so even a create may be sent again; anything else may have been.
        if (!idempotent && err.kind !== 'rate_limited') throw err;
        const backoff = this.opts.retryBaseMs * 2 ** n;
        const wait = err.kind === 'rate_limited' ? Math.max(err.info.retryAfterMs ?? backoff, 0) : backoff;
        if (wait > this.opts.maxRetryWaitMs) throw err;
        await sleep(wait);
      }
    }
  }

  /** One API call with auth (one re-login on 401), retries and zod validation. */
  async request<S extends z.ZodType>(
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    schema: S,
    opts: { query?: Record<string, string | number | undefined>; json?: unknown; idempotent?: boolean } = {},
  ): Promise<z.infer<S>> {
    const endpoint = `${method} ${path}`;
    const url = `${this.opts.apiUrl}${path}${opts.query ? `?${queryString(opts.query)}` : ''}`;
    return this.withRetries(opts.idempotent ?? method !== 'PUT', async () => {
      let res: Response | undefined;
      for (let login = 0; login < 2; login++) {
        const token = await this.token();
        res = await this.send(url, { method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, json: opts.json }, endpoint);
        if (res.status !== 401) break;
        // Expired or revoked token: log in again once, then give up.
        this.invalidateToken(token);
      }
      const text = await res!.text();
      let body: unknown = null;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          if (res!.ok) throw new TapkeyError('invalid_response', 'Tapkey answered with something that is not JSON', { status: res!.status, endpoint });
        }
      }
      if (!res!.ok) {
        const { code, message } = tapkeyMessage(body);
        throw new TapkeyError(kindOfStatus(res!.status, code), message ?? `HTTP ${res!.status}`, {
          status: res!.status,
          tapkeyCode: code,
          endpoint,
          retryAfterMs: parseRetryAfter(res!.headers.get('retry-after')),
        });
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        throw new TapkeyError('invalid_response', `Unexpected answer shape: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, { status: res!.status, endpoint });
      return parsed.data;
    });
  }

  /** Every item of a list endpoint: pages of `pageSize` until a short page. */
  async listAll<S extends z.ZodType>(path: string, item: S, query: Record<string, string | undefined> = {}): Promise<z.infer<S>[]> {
    const out: z.infer<S>[] = [];
    const top = this.opts.pageSize;
    for (let skip = 0; ; skip += top) {
      const page = await this.request('GET', path, z.array(item), { query: { ...query, $top: top, $skip: skip } });
      out.push(...page);
      if (page.length < top) return out;
    }
  }

  // ---------- endpoints ----------

  listOwners() {
    return this.request('GET', '/Owners', z.array(ownerSchema));
  }

  listBoundLocks(ownerId: string) {
    return this.listAll(`/Owners/${encodeURIComponent(ownerId)}/BoundLocks`, boundLockSchema);
  }

  listContacts(ownerId: string, filter?: string) {
    return this.listAll(`/Owners/${encodeURIComponent(ownerId)}/Contacts`, contactSchema, { $filter: filter });
  }

  /** Grants, by default only active ones (`$filter=active eq true`, Tapkey's own sample). */
  listGrants(ownerId: string, where: { boundLockId?: string; activeOnly?: boolean } = {}): Promise<TapkeyGrant[]> {
    const clauses = [where.activeOnly === false ? null : 'active eq true', where.boundLockId ? `boundLockId eq ${odataString(where.boundLockId)}` : null].filter(Boolean);
    return this.listAll(`/Owners/${encodeURIComponent(ownerId)}/Grants`, grantSchema, { $filter: clauses.length ? clauses.join(' and ') : undefined });
  }

  /** At most one grant: proves grants may be read (test connection). */
  peekGrants(ownerId: string) {
    return this.request('GET', `/Owners/${encodeURIComponent(ownerId)}/Grants`, z.array(grantSchema), { query: { $top: 1 } });
  }

  getGrant(ownerId: string, grantId: string) {
    return this.request('GET', `/Owners/${encodeURIComponent(ownerId)}/Grants/${encodeURIComponent(grantId)}`, grantSchema);
  }

  createGrant(ownerId: string, input: GrantInput) {
    return this.request('PUT', `/Owners/${encodeURIComponent(ownerId)}/Grants`, grantSchema, {
      json: { boundLockId: input.boundLockId, contact: { ipId: 'tapkey', identifier: input.email }, validFrom: input.validFrom, validBefore: input.validBefore },
    });
  }

  /** POST .../Revoke [DOC]; the answer body is not documented, so it is not read. */
  async revokeGrant(ownerId: string, grantId: string): Promise<void> {
    await this.request('POST', `/Owners/${encodeURIComponent(ownerId)}/Grants/${encodeURIComponent(grantId)}/Revoke`, z.unknown(), {
      query: { dryRun: 'false' },
      idempotent: true,
    });
  }
}
