/** The Tapkey client against the sandbox: tokens, paging, retries, and every error mapping. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, startTapkeySandbox, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import { clearTapkeyTokenCache, TapkeyClient, type TapkeyClientOptions } from '../../server/tapkey/client.ts';
import { TapkeyError, toApiError, toOutboxError, type TapkeyErrorKind } from '../../server/tapkey/errors.ts';
import { PermanentError, RetryableError } from '../../server/outbox/outbox.ts';
import { errorBody } from '../../server/errors.ts';
import { errorBodySchema } from '../../lib/contract.ts';

let sb: TapkeySandbox;
const LOCKS = 1234;

beforeAll(async () => {
  sb = await startTapkeySandbox({ locks: LOCKS });
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.faults.clear();
  sb.calls.clear();
  sb.state.tokenLifetimeSeconds = 3600;
  clearTapkeyTokenCache();
});

const client = (o: Partial<TapkeyClientOptions> = {}) =>
  new TapkeyClient({ tokenUrl: sb.tokenUrl, apiUrl: sb.apiUrl, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, retryBaseMs: 10, timeoutMs: 2000, ...o });

async function failure(p: Promise<unknown>): Promise<TapkeyError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TapkeyError) return err;
    throw err;
  }
  throw new Error('expected a TapkeyError');
}

describe('token', () => {
  it('logs in once and reuses the token across calls and clients of the same credentials', async () => {
    await client().listOwners();
    await client().listOwners();
    expect(sb.calls.count('token')).toBe(1);
    expect(sb.calls.count('owners.list')).toBe(2);
  });

  it('refreshes before expiry (short expires_in)', async () => {
    sb.state.tokenLifetimeSeconds = 2; // refreshed at 90 % of the lifetime
    const c = client();
    await c.listOwners();
    await new Promise((r) => setTimeout(r, 1900));
    await c.listOwners();
    expect(sb.calls.count('token')).toBe(2);
    // No call ever saw a 401: the refresh came before the expiry.
    expect(sb.calls.log.filter((x) => x.status === 401)).toHaveLength(0);
  });

  it('logs in again once on a 401 (token expired or revoked at Tapkey) and the call succeeds', async () => {
    const c = client();
    await c.listOwners();
    sb.state.expireTokens();
    expect(await c.listOwners()).toHaveLength(1);
    expect(sb.calls.count('token')).toBe(2);
    sb.faults.add({ kind: 'expire_token', endpoint: 'owners.list', times: 1 });
    expect(await c.listOwners()).toHaveLength(1);
    expect(sb.calls.count('token')).toBe(3);
  });

  it('gives up after a second 401 with a fresh token', async () => {
    sb.faults.add({ kind: 'expire_token', endpoint: 'owners.list', times: 2 });
    const err = await failure(client().listOwners());
    expect(err.kind).toBe('unauthorized');
    expect(sb.calls.count('token')).toBe(2);
  });
});

describe('paging', () => {
  it(`reads all ${LOCKS} bound locks in pages of 500 until a short page`, async () => {
    const locks = await client().listBoundLocks(SANDBOX_OWNER_ID);
    expect(locks).toHaveLength(LOCKS);
    expect(new Set(locks.map((l) => l.id)).size).toBe(LOCKS);
    expect(sb.calls.count('boundLocks.list')).toBe(3);
    expect(sb.calls.log.filter((c) => c.endpoint === 'boundLocks.list').map((c) => c.path)).toEqual([
      `/api/v1/Owners/${SANDBOX_OWNER_ID}/BoundLocks`,
      `/api/v1/Owners/${SANDBOX_OWNER_ID}/BoundLocks`,
      `/api/v1/Owners/${SANDBOX_OWNER_ID}/BoundLocks`,
    ]);
  });

  it('an exact multiple of the page size costs one extra (empty) page', async () => {
    const locks = await client({ pageSize: 617 }).listBoundLocks(SANDBOX_OWNER_ID);
    expect(locks).toHaveLength(LOCKS);
    expect(sb.calls.count('boundLocks.list')).toBe(3);
  });
});

describe('retries', () => {
  it('retries 429 after Retry-After, then succeeds', async () => {
    sb.faults.add({ kind: 'rate_limit', endpoint: 'owners.list', retryAfterSeconds: 1, times: 1 });
    const t0 = Date.now();
    expect(await client().listOwners()).toHaveLength(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(sb.calls.count('owners.list')).toBe(2);
  });

  it('hands a long Retry-After to the caller (the outbox waits, not the process)', async () => {
    sb.faults.add({ kind: 'rate_limit', endpoint: 'owners.list', retryAfterSeconds: 120, times: 1 });
    const err = await failure(client().listOwners());
    expect(err.kind).toBe('rate_limited');
    expect(err.info.retryAfterMs).toBe(120_000);
    const outbox = toOutboxError(err);
    expect(outbox).toBeInstanceOf(RetryableError);
    expect((outbox as RetryableError).retryAfterMs).toBe(120_000);
  });

  it('retries 5xx, timeouts and dropped connections on reads', async () => {
    sb.faults.add({ kind: 'status', status: 502, endpoint: 'owners.list', times: 1 });
    sb.faults.add({ kind: 'timeout', endpoint: 'owners.list', times: 1 });
    sb.faults.add({ kind: 'drop', endpoint: 'owners.list', times: 1 });
    const c = client({ timeoutMs: 300, retries: 3 });
    expect(await c.listOwners()).toHaveLength(1);
    expect(sb.calls.count('owners.list')).toBe(4);
  });

  it('does not resend a grant creation after a 500 or a timeout (it may have been created)', async () => {
    const lock = [...sb.state.locks.keys()][0]!;
    sb.faults.add({ kind: 'status', status: 500, endpoint: 'grants.create', after: true, times: 1 });
    const err = await failure(client().createGrant(SANDBOX_OWNER_ID, { boundLockId: lock, email: 'once@example.com', validFrom: null, validBefore: null }));
    expect(err.kind).toBe('server_error');
    expect(sb.calls.count('grants.create')).toBe(1);
    expect(sb.state.activeGrantsByContactAndLock().get(`once@example.com|${lock}`)).toHaveLength(1);
  });

  it('does resend a grant creation after a 429 (not processed)', async () => {
    const lock = [...sb.state.locks.keys()][1]!;
    sb.faults.add({ kind: 'rate_limit', endpoint: 'grants.create', retryAfterSeconds: 0, times: 1 });
    const g = await client().createGrant(SANDBOX_OWNER_ID, { boundLockId: lock, email: 'retry429@example.com', validFrom: null, validBefore: null });
    expect(g.active).toBe(true);
    expect(sb.calls.count('grants.create')).toBe(2);
  });

  it('times out a hanging call as `timeout`', async () => {
    sb.faults.add({ kind: 'timeout', endpoint: 'owners.list', times: Infinity });
    const err = await failure(client({ timeoutMs: 200, retries: 1 }).listOwners());
    expect(err.kind).toBe('timeout');
    expect(sb.calls.count('owners.list')).toBe(2);
  });
});

describe('error mapping', () => {
  const lock = () => [...sb.state.locks.keys()][2]!;
  const cases: { name: string; setup: () => void; call: (c: TapkeyClient) => Promise<unknown>; kind: TapkeyErrorKind; code: string; status: number; outbox: 'retry' | 'permanent' }[] = [
    { name: 'wrong secret', setup: () => {}, call: () => client({ clientSecret: 'wrong' }).listOwners(), kind: 'bad_credentials', code: 'unprocessable', status: 422, outbox: 'permanent' },
    {
      name: 'scope not allowed',
      setup: () => sb.state.addClient({ clientId: 'ro', clientSecret: 's', allowedScopes: ['read:owneraccounts'], ownerIds: [SANDBOX_OWNER_ID] }),
      call: () => client({ clientId: 'ro', clientSecret: 's' }).listOwners(),
      kind: 'scope_missing',
      code: 'unprocessable',
      status: 422,
      outbox: 'permanent',
    },
    {
      name: 'not co-admin (403)',
      setup: () => sb.state.addClient({ clientId: 'stranger', clientSecret: 's', allowedScopes: ['read:owneraccounts', 'read:core:entities', 'write:core:entities', 'read:grants', 'write:grants'], ownerIds: [] }),
      call: () => client({ clientId: 'stranger', clientSecret: 's' }).listBoundLocks(SANDBOX_OWNER_ID),
      kind: 'forbidden',
      code: 'unprocessable',
      status: 422,
      outbox: 'permanent',
    },
    { name: 'unknown owner (404)', setup: () => {}, call: (c) => c.listBoundLocks('no-such-owner'), kind: 'not_found', code: 'unprocessable', status: 422, outbox: 'permanent' },
    {
      name: 'duplicate grant (409 Duplicate)',
      setup: () => {},
      call: async (c) => {
        await c.createGrant(SANDBOX_OWNER_ID, { boundLockId: lock(), email: 'dup@example.com', validFrom: null, validBefore: null });
        return c.createGrant(SANDBOX_OWNER_ID, { boundLockId: lock(), email: 'dup@example.com', validFrom: null, validBefore: null });
      },
      kind: 'duplicate',
      code: 'conflict',
      status: 409,
      outbox: 'permanent',
    },
    { name: 'bad request (400)', setup: () => {}, call: (c) => c.createGrant(SANDBOX_OWNER_ID, { boundLockId: lock(), email: 'x@example.com', validFrom: 'tomorrow', validBefore: null }), kind: 'bad_request', code: 'provider_error', status: 502, outbox: 'permanent' },
    { name: 'payment required (402)', setup: () => void sb.faults.add({ kind: 'status', status: 402, endpoint: 'owners.list', times: 1 }), call: (c) => c.listOwners(), kind: 'payment_required', code: 'unprocessable', status: 422, outbox: 'permanent' },
    { name: 'conflict (409)', setup: () => void sb.faults.add({ kind: 'status', status: 409, endpoint: 'owners.list', times: 1 }), call: (c) => c.listOwners(), kind: 'conflict', code: 'conflict', status: 409, outbox: 'permanent' },
    { name: 'rate limited (429)', setup: () => void sb.faults.add({ kind: 'rate_limit', endpoint: 'owners.list', retryAfterSeconds: 30, times: Infinity }), call: (c) => c.listOwners(), kind: 'rate_limited', code: 'rate_limited', status: 429, outbox: 'retry' },
    { name: 'server error (500)', setup: () => void sb.faults.add({ kind: 'status', status: 500, endpoint: 'owners.list', times: Infinity }), call: (c) => c.listOwners(), kind: 'server_error', code: 'provider_error', status: 502, outbox: 'retry' },
    { name: 'timeout', setup: () => void sb.faults.add({ kind: 'timeout', endpoint: 'owners.list', times: Infinity }), call: () => client({ timeoutMs: 100, retries: 0 }).listOwners(), kind: 'timeout', code: 'unavailable', status: 503, outbox: 'retry' },
    { name: 'dropped connection', setup: () => void sb.faults.add({ kind: 'drop', endpoint: 'owners.list', times: Infinity }), call: (c) => c.listOwners(), kind: 'network', code: 'unavailable', status: 503, outbox: 'retry' },
    // A 401 on a freshly issued token is a permission problem: it fails once, naming the permission.
    { name: '401 twice', setup: () => void sb.faults.add({ kind: 'expire_token', endpoint: 'owners.list', times: Infinity }), call: (c) => c.listOwners(), kind: 'unauthorized', code: 'unprocessable', status: 422, outbox: 'permanent' },
    {
      name: 'answer of the wrong shape',
      setup: () => {},
      call: () => new TapkeyClient({ tokenUrl: sb.tokenUrl, apiUrl: `${sb.url}/_sandbox/calls#`, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET }).listOwners(),
      kind: 'invalid_response',
      code: 'provider_error',
      status: 502,
      outbox: 'permanent',
    },
  ];

  for (const t of cases) {
    it(`${t.name} → ${t.kind} → ${t.code} (${t.status}), outbox ${t.outbox}`, async () => {
      t.setup();
      const err = await failure(t.call(client({ retries: 0 })));
      expect(err.kind).toBe(t.kind);
      const api = toApiError(err);
      expect(api.code).toBe(t.code);
      expect(api.status).toBe(t.status);
      const body = errorBody(api);
      expect(errorBodySchema.parse(body)).toMatchObject({ error: { code: t.code, message: expect.any(String) }, details: { provider: 'tapkey', kind: t.kind } });
      if (t.kind === 'rate_limited') expect(body.details).toMatchObject({ retryAfterSeconds: 30 });
      expect(toOutboxError(err)).toBeInstanceOf(t.outbox === 'retry' ? RetryableError : PermanentError);
    });
  }
});
