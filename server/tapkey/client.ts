/**
 * A typed Tapkey Web API client: client-credentials token (cached, refreshed before expiry and
 * once on a 401; a 401 on the fresh token is a permission problem and fails at once, naming the
 * permission), OData paging ($top/$skip until a short page, as Tapkey's own sample does, with a
 * stable `$orderby` so pages neither overlap nor skip),
 * bounded retries with backoff for 429 (honouring Retry-After), 5xx, timeouts and dropped
 * connections, and every answer validated with zod. Non-idempotent calls (creating a grant)
 * are retried in process only after a 429 (not processed); other failures go back to the
 * outbox, whose handler checks Tapkey before creating again.
 * Over 300 lines: one module per provider client, as server/keycafe/client.ts; the endpoint
 * schemas are already apart (server/tapkey/schemas.ts).
 */
import { createHash } from 'node:crypto';
import ky, { TimeoutError } from 'ky';
import { z } from 'zod';
import { TapkeyError, kindOfStatus, parseRetryAfter, scopeForEndpoint, tapkeyMessage } from './errors.ts';
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

/**
 * Owner accounts (per API URL) whose grants endpoint refused `boundLockId` in `$filter` with a
 * 400: their grants are read with `active eq true` alone and filtered here. No public source
 * filters grants on boundLockId (Tapkey's Java sample filters on `active eq true` only).
 */
const lockFilterRefused = new Set<string>();

/**
 * Full grant listings being read, per credentials, owner account and filter (the lock filter
 * refused): a caller that asks while one is being read waits for the next, which starts after
 * it asked, so the list shows everything done before the call — a job holding a contact's
 * lease (leases.ts) sees every grant of that contact. The jobs running at once share one read
 * of all pages instead of one read each.
 */
const fullListings = new Map<string, { running?: Promise<TapkeyGrant[]>; next?: Promise<TapkeyGrant[]> }>();

function sharedListing(key: string, read: () => Promise<TapkeyGrant[]>): Promise<TapkeyGrant[]> {
  let s = fullListings.get(key);
  if (!s) fullListings.set(key, (s = {}));
  const state = s;
  const start = () => {
    const p = read();
    state.running = p;
    p.then(
      () => (state.running === p ? (state.running = undefined) : undefined),
      () => (state.running === p ? (state.running = undefined) : undefined),
    );
    return p;
  };
  if (!state.running) return start();
  state.next ??= state.running.then(
    () => undefined,
    () => undefined,
  ).then(() => {
    state.next = undefined;
    return start();
  });
  return state.next;
}

export function clearTapkeyTokenCache() {
  tokenCache.clear();
  tokenInFlight.clear();
  lockFilterRefused.clear();
  fullListings.clear();
}

/** How a revoke ended: done, accepted and in progress at Tapkey, or already done (409). */
export type RevokeOutcome = 'revoked' | 'revoking' | 'already' | 'requested';

/** The stable order every list is paged in (ids never change). */
export const PAGE_ORDER = 'id';

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
        if (code === 'invalid_scope') {
          // The scopes the answer names, else all we asked for: the admin sets those permissions.
          const named = this.opts.scopes.filter((sc) => (message ?? '').includes(sc));
          throw new TapkeyError('scope_missing', message ?? 'A requested scope is not allowed', { ...info, scopes: named.length ? named : this.opts.scopes });
        }
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
        // Expired or revoked token: log in again once. A 401 on that fresh token is not expiry.
        this.invalidateToken(token);
      }
      if (res!.status === 401) {
        await res!.body?.cancel();
        // The scope this endpoint needs: the Integrator-portal permission the admin must check.
        const needed = scopeForEndpoint(endpoint);
        const granted = this.grantedScopes();
        const lacking = needed && granted && !granted.includes(needed) ? ` (the token was granted only: ${granted.join(' ')})` : '';
        throw new TapkeyError('unauthorized', `A freshly issued token was refused (401)${needed ? `; the call needs ${needed}${lacking}` : ''}`, { status: 401, endpoint, scopes: needed ? [needed] : [] });
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

  /** Every item of a list endpoint: pages of `pageSize` until a short page, in a stable order. */
  async listAll<S extends z.ZodType>(path: string, item: S, query: Record<string, string | undefined> = {}): Promise<z.infer<S>[]> {
    const out: z.infer<S>[] = [];
    const top = this.opts.pageSize;
    for (let skip = 0; ; skip += top) {
      const page = await this.request('GET', path, z.array(item), { query: { ...query, $orderby: PAGE_ORDER, $top: top, $skip: skip } });
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

  /** The `$filter` for grants (active only unless asked otherwise; on one lock when the server allows). */
  grantsFilter(where: { boundLockId?: string; activeOnly?: boolean }): string | undefined {
    const clauses = [where.activeOnly === false ? null : 'active eq true', where.boundLockId ? `boundLockId eq ${odataString(where.boundLockId)}` : null].filter(Boolean);
    return clauses.length ? clauses.join(' and ') : undefined;
  }

  private lockFilterKey(ownerId: string) {
    return `${this.opts.apiUrl}|${ownerId.toLowerCase()}`;
  }

  /** Whether grants of this owner account are filtered by lock at Tapkey or here (after a 400). */
  lockFilterMode(ownerId: string): 'server' | 'client' {
    return lockFilterRefused.has(this.lockFilterKey(ownerId)) ? 'client' : 'server';
  }

  /**
   * Grants, by default only active ones (`$filter=active eq true`, Tapkey's own sample). On one
   * lock: `boundLockId eq '…'` is tried (no public source uses it); a 400 for it switches this
   * owner account to reading `active eq true` and filtering by lock here.
   */
  async listGrants(ownerId: string, where: { boundLockId?: string; activeOnly?: boolean } = {}): Promise<TapkeyGrant[]> {
    const path = `/Owners/${encodeURIComponent(ownerId)}/Grants`;
    const lock = where.boundLockId?.toLowerCase();
    if (lock && this.lockFilterMode(ownerId) === 'server') {
      try {
        return await this.listAll(path, grantSchema, { $filter: this.grantsFilter(where) });
      } catch (err) {
        if (!(err instanceof TapkeyError && err.kind === 'bad_request')) throw err;
        lockFilterRefused.add(this.lockFilterKey(ownerId));
      }
    }
    const filter = this.grantsFilter({ activeOnly: where.activeOnly });
    if (!lock) return this.listAll(path, grantSchema, { $filter: filter });
    const all = await sharedListing(`${this.cacheKey}|${this.opts.apiUrl}|${ownerId}|${filter}`, () => this.listAll(path, grantSchema, { $filter: filter }));
    return all.filter((g) => g.boundLockId?.toLowerCase() === lock);
  }

  /** The first page (one item) of a grants query: what "Test connection" runs to prove a query works. */
  peekGrants(ownerId: string, where: { boundLockId?: string; activeOnly?: boolean } = {}) {
    return this.request('GET', `/Owners/${encodeURIComponent(ownerId)}/Grants`, z.array(grantSchema), {
      query: { $filter: this.grantsFilter(where), $orderby: PAGE_ORDER, $top: 1, $skip: 0 },
    });
  }

  /** The first bound lock, in the order the import pages them. */
  peekBoundLocks(ownerId: string) {
    return this.request('GET', `/Owners/${encodeURIComponent(ownerId)}/BoundLocks`, z.array(boundLockSchema), { query: { $orderby: PAGE_ORDER, $top: 1, $skip: 0 } });
  }

  /** Records that this owner account refuses the lock filter (Test connection saw the 400). */
  noteLockFilterRefused(ownerId: string) {
    lockFilterRefused.add(this.lockFilterKey(ownerId));
  }

  getGrant(ownerId: string, grantId: string) {
    return this.request('GET', `/Owners/${encodeURIComponent(ownerId)}/Grants/${encodeURIComponent(grantId)}`, grantSchema);
  }

  createGrant(ownerId: string, input: GrantInput) {
    return this.request('PUT', `/Owners/${encodeURIComponent(ownerId)}/Grants`, grantSchema, {
      json: { boundLockId: input.boundLockId, contact: { ipId: 'tapkey', identifier: input.email }, validFrom: input.validFrom, validBefore: input.validBefore },
    });
  }

  /**
   * POST .../Revoke [DOC revoking access] with `?dryRun=false` and the JSON body
   * `{ "dryRun": false }`, as the one public client sends it [3P Lattis tapkey-api.js].
   * Revocation is asynchronous [DOC]: an answer that is the grant tells whether it is still
   * active (revoking) or not (revoked). A 409 ("desired state is already present" [DOC response
   * codes]) means it was revoked already: done.
   */
  async revokeGrant(ownerId: string, grantId: string): Promise<RevokeOutcome> {
    try {
      const body = await this.request('POST', `/Owners/${encodeURIComponent(ownerId)}/Grants/${encodeURIComponent(grantId)}/Revoke`, z.unknown(), {
        query: { dryRun: 'false' },
        json: { dryRun: false },
        idempotent: true,
      });
      const grant = grantSchema.safeParse(body);
      if (!grant.success) return 'requested';
      return grant.data.active ? 'revoking' : 'revoked';
    } catch (err) {
      if (err instanceof TapkeyError && err.kind === 'conflict') return 'already';
      throw err;
    }
  }
}
