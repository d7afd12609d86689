/**
 * The Keycafe connector against the sandbox in both of its modes (strict and lenient readings
 * of what Keycafe's reference leaves open; sandbox/keycafe/SOURCES.md): paging, documented
 * shapes, both credential types, rate limit, error mapping.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../server/errors.ts';
import { KeycafeError, mapFieldErrors, toApiError, toOutboxError } from '../../server/keycafe/errors.ts';
import { KeycafeService } from '../../server/keycafe/service.ts';
import { RollingWindowLimiter } from '../../server/keycafe/rate-limiter.ts';
import { PermanentError, RetryableError } from '../../server/outbox/outbox.ts';
import { ControllableClock, DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN, startKeycafeSandbox, type KeycafeSandbox } from '../../sandbox/keycafe/index.ts';
import { seedKeys, seedLocations } from '../../sandbox/keycafe/data.ts';
import type { KeycafeSandboxMode } from '../../sandbox/keycafe/server.ts';
import { serveFake } from '../../sandbox/shared/serve.ts';

const account = { email: DEMO_KEYCAFE_EMAIL, token: DEMO_KEYCAFE_TOKEN };
let sandbox: KeycafeSandbox;
let clock: ControllableClock;
let service: KeycafeService;

async function failure(p: Promise<unknown>): Promise<KeycafeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof KeycafeError)) throw new Error(`expected a KeycafeError, got ${String(err)}`);
  return err;
}

describe.each(['strict', 'lenient'] as KeycafeSandboxMode[])('KeycafeClient (%s sandbox)', (mode) => {
beforeAll(async () => {
  clock = new ControllableClock({ speed: 0 });
  sandbox = await startKeycafeSandbox({ clock, mode, accounts: [{ email: DEMO_KEYCAFE_EMAIL, token: DEMO_KEYCAFE_TOKEN }, { email: 'keyholder@example.com', token: 'tok-unused', apiKey: 'kc-key-123' }] });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  clock.speed = 0;
  clock.advance(120_000);
  sandbox.calls.clear();
  // A fresh service each test: fresh buckets.
  service = new KeycafeService({ apiUrl: sandbox.url, clock, timeoutMs: 300 });
});

describe('client', () => {
  it('pages through keys with the Link header and validates each item', async () => {
    const keys = await service.client(account, 'route').listKeys();
    expect(keys).toHaveLength(seedKeys().length);
    expect(sandbox.calls.count({ path: '/v0/key' })).toBe(Math.ceil(seedKeys().length / 50));
    expect(keys[0]).toMatchObject({ id: '10001', name: expect.any(String), serialNumber: expect.any(String), homeLocation: { id: '501' } });
    const search = await service.client(account, 'route').listKeys('loading bay');
    expect(search.map((k) => k.name)).toEqual(['Loading bay gate fob']);
  });

  it('creates, finds and deletes accesses; a second delete counts as already gone', async () => {
    const client = service.client(account, 'job');
    const created = await client.createAccess({ user: { mobile: '16042656073' }, key: { id: '10050' }, locale: 'en' });
    // Ongoing: access-object says checkinLink is "Returned only for scheduled accesses".
    expect(created).toMatchObject({ key: { id: '10050' }, bookingCode: expect.stringMatching(/^\d{6}$/), checkinLink: null });
    // Documented filter: the key's ID; the recipient is matched on our side (server/keycafe/match.ts).
    const found = await client.listAccesses({ key: '10050' });
    expect(found.filter((a) => a.user?.mobile === '16042656073').map((a) => a.id)).toEqual([created.id]);
    expect(created.user?.id).toMatch(/^\d+$/);
    expect((await client.listAccesses({ userId: created.user!.id! })).map((a) => a.id)).toContain(created.id);
    expect(await client.deleteAccess(created.id)).toBe('deleted');
    // Strict answers 400 access.cancelled, lenient 404: done either way.
    expect(await client.deleteAccess(created.id)).toBe('already_gone');
    expect(await client.deleteAccess('999999')).toBe('already_gone');
  });

  it('parses accesses without a user (name-only) in a list with others', async () => {
    const client = service.client(account, 'job');
    const named = await client.createAccess({ key: { id: '10049' }, name: 'Locksmith', locale: 'en' } as never);
    expect(named.user).toBeNull();
    await client.createAccess({ user: { email: 'with-user@example.com' }, key: { id: '10049' }, locale: 'en' });
    const list = await client.listAccesses({ key: '10049' });
    expect(list.map((a) => a.user?.email ?? a.name).sort()).toEqual(['Locksmith', 'with-user@example.com']);
    expect(client.skipped).toEqual([]);
  });

  it("lists only the account's own SmartBox locations, with time zone and address, not the public directory", async () => {
    const client = service.client(account, 'route');
    const places = await client.listOwnLocations();
    expect(places.map((p) => p.id).sort()).toEqual(seedLocations().map((l) => String(l.id)).sort());
    expect(places.find((p) => p.id === '501')).toEqual({ id: '501', name: 'Berlin Mitte – Storage reception', address: 'Invalidenstraße 112, Berlin, 10115, DE', timeZone: 'Europe/Berlin' });
    expect(sandbox.calls.count({ path: '/v0/location', method: 'GET' })).toBe(mode === 'strict' ? 4 : 0);
    expect(sandbox.calls.list.some((c) => c.path === '/v0/location')).toBe(false);
  });

  it('authenticates with an API key as {email}/key and refuses it sent as a token', async () => {
    const keyholder = { email: 'keyholder@example.com', token: 'kc-key-123' };
    expect(await service.client({ ...keyholder, authType: 'key' }, 'route').listKeys()).toHaveLength(seedKeys().length);
    const err = await failure(service.client({ ...keyholder, authType: 'token' }, 'route').listKeys());
    expect(err).toMatchObject({ kind: 'auth', opts: { errorId: 'unauthorized', status: mode === 'strict' ? 400 : 401 } });
  });

  it('maps Keycafe field errors to our field paths and to permanent job failures', async () => {
    const err = await failure(service.client(account, 'job').createAccess({ user: { mobile: '+1 604' }, key: { id: '1' }, locale: 'en' }));
    expect(err.kind).toBe('rejected');
    expect(err.opts.fieldErrors!.map((f) => f.field).sort()).toEqual(['key.id', 'user.mobile']);
    expect(mapFieldErrors(err.opts.fieldErrors, 'keyIds.0').map((f) => f.path).sort()).toEqual(['keyIds.0', 'recipient.mobile']);
    expect(toOutboxError(err, clock)).toBeInstanceOf(PermanentError);
    const api = toApiError(err, 'en', 'keyIds.0') as ApiError;
    expect(api.fieldErrors.map((f) => f.path).sort()).toEqual(['keyIds.0', 'recipient.mobile']);
  });

  it('reports wrong credentials as auth (422 for the API, permanent for jobs)', async () => {
    const err = await failure(service.client({ email: DEMO_KEYCAFE_EMAIL, token: 'nope' }, 'route').listKeys());
    expect(err.kind).toBe('auth');
    expect((toApiError(err, 'de') as ApiError).status).toBe(422);
    expect((toApiError(err, 'de') as ApiError).message).toBe('Keycafe hat die Konto-E-Mail und das API-Token nicht akzeptiert');
    expect(toOutboxError(err, clock)).toBeInstanceOf(PermanentError);
  });

  it('classifies 500, timeouts and dropped connections as retryable', async () => {
    const client = service.client(account, 'job');
    sandbox.faults.add({ kind: 'status' });
    expect((await failure(client.listKeys())).kind).toBe('unavailable');
    sandbox.faults.add({ kind: 'timeout' });
    const timeout = await failure(client.listKeys());
    expect(timeout.kind).toBe('timeout');
    sandbox.faults.add({ kind: 'drop' });
    const drop = await failure(client.listKeys());
    expect(drop.kind).toBe('network');
    for (const e of [timeout, drop]) expect(toOutboxError(e, clock)).toBeInstanceOf(RetryableError);
  });

  it('a 429 blocks the whole account for Retry-After: no call goes out until then', async () => {
    const client = service.client(account, 'route');
    sandbox.faults.add({ kind: 'rate_limit' });
    const err = await failure(client.listKeys());
    expect(err).toMatchObject({ kind: 'rate_limited', opts: { retryAfterMs: 60_000 } });
    const retry = toOutboxError(err, clock) as RetryableError;
    expect(retry).toBeInstanceOf(RetryableError);
    // The route's 5 s patience is shorter than the minute left: it fails without calling.
    const before = sandbox.calls.list.length;
    expect((await failure(client.listKeys())).kind).toBe('rate_limited');
    expect(sandbox.calls.list.length).toBe(before);
    expect((toApiError(await failure(client.listKeys()), 'en') as ApiError).details).toEqual({ retryAfterSeconds: 60 });
    clock.advance(60_000);
    await expect(client.listKeys()).resolves.toHaveLength(seedKeys().length);
  });

  it('never sends more than 60 calls in any minute, even from many concurrent callers', async () => {
    clock.speed = 400;
    const t0 = clock.now();
    const clients = Array.from({ length: 6 }, () => service.client(account, 'job'));
    // 150 calls from 6 "jobs" at once; each waits for a token as long as it takes.
    const work = clients.map(async (client, i) => {
      for (let n = 0; n < 25; n++) {
        for (;;) {
          try {
            await client.listAccesses({ key: String(10001 + i) });
            break;
          } catch (err) {
            if (!(err instanceof KeycafeError && err.kind === 'rate_limited')) throw err;
            await clock.sleep(err.opts.retryAfterMs ?? 1000);
          }
        }
      }
    });
    await Promise.all(work);
    expect(sandbox.calls.list).toHaveLength(150);
    expect(sandbox.calls.count({ status: 429 })).toBe(0);
    expect(sandbox.calls.maxInWindow(60_000)).toBeLessThanOrEqual(60);
    // 150 calls at 60 a minute need at least two full minutes after the first 60.
    expect(clock.now() - t0).toBeGreaterThanOrEqual(120_000);
  });

  it('runs beforeSend only once a token is held, right before the request leaves', async () => {
    const client = service.client(account, 'route');
    sandbox.faults.add({ kind: 'rate_limit' });
    await failure(client.listKeys());
    let sent = 0;
    const body = { user: { email: 'before-send@example.com' }, key: { id: '10001' }, locale: 'en' as const };
    // Blocked for a minute: no token, so nothing may claim the request went out.
    expect((await failure(client.createAccess(body, { beforeSend: async () => void sent++ }))).kind).toBe('rate_limited');
    expect(sent).toBe(0);
    clock.advance(60_000);
    const calls = sandbox.calls.list.length;
    await client.createAccess(body, {
      beforeSend: async () => {
        sent++;
        expect(sandbox.calls.list.length).toBe(calls);
      },
    });
    expect(sent).toBe(1);
    // A failing beforeSend gives the token back and sends nothing.
    const used = service.limiterFor(account).used;
    await expect(client.createAccess(body, { beforeSend: async () => Promise.reject(new Error('db down')) })).rejects.toThrow('db down');
    expect(service.limiterFor(account).used).toBe(used);
    expect(sandbox.calls.list.length).toBe(calls + 1);
  });

  it('keeps one bucket per credentials actually used, not per account email', async () => {
    expect(service.limiterFor({ email: 'A@x.com', token: 't' })).toBe(service.limiterFor({ email: 'a@x.com', token: 't' }));
    expect(service.limiterFor({ email: 'a@x.com', token: 't' })).not.toBe(service.limiterFor({ email: 'b@x.com', token: 't' }));
    // Someone who knows only the email and tries made-up tokens spends another bucket.
    expect(service.limiterFor({ email: 'a@x.com', token: 't' })).not.toBe(service.limiterFor({ email: 'a@x.com', token: 'guess' }));
    expect(service.limiterFor({ email: 'a@x.com', token: 't', authType: 'key' })).not.toBe(service.limiterFor({ email: 'a@x.com', token: 't' }));
    const limiter = new RollingWindowLimiter(clock, 2, 1000);
    const a = await limiter.acquire(0);
    const b = await limiter.acquire(0);
    await expect(limiter.acquire(0)).rejects.toThrow(/rate limit/);
    a.release();
    b.release();
    expect(limiter.used).toBe(2);
    clock.advance(1000);
    expect(limiter.used).toBe(0);
  });

  it('rejects answers without the documented shape, and does not follow Links to other hosts', async () => {
    const rogue = await serveFake((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', link: '<http://evil.example/v0/key?page=2>; rel="next"' });
      res.end(req.url?.startsWith('/v0/location') ? JSON.stringify({ nope: 1 }) : JSON.stringify([{ id: 1, name: 'Key', homeLocation: { id: 7 } }, { id: 2 }]));
    });
    const url = `${rogue.url}/v0/`;
    const client = new KeycafeService({ apiUrl: url, clock }).client(account, 'route');
    // One odd record is skipped and reported, not fatal to the list.
    const keys = await client.listKeys();
    expect(keys).toEqual([{ id: '1', name: 'Key', serialNumber: null, homeLocation: { id: '7', name: null, address: null, timeZone: null } }]);
    expect(client.skipped).toEqual([{ list: 'key', id: '2', reason: 'name: Invalid input: expected string, received undefined' }]);
    // A home location that cannot be read is kept without a time zone (bookings then say so), reported too.
    expect(await client.listOwnLocations(keys)).toEqual([{ id: '7', name: '7', address: null, timeZone: null }]);
    expect(client.skipped).toHaveLength(2);
    await rogue.close();
  });
});
});
