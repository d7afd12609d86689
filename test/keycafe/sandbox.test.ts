/**
 * The sandbox Keycafe against the shapes of Keycafe's public reference (sandbox/keycafe/
 * SOURCES.md), in both modes, with plain fetch so the connector's own parsing is not what is
 * tested. Where the modes differ (undocumented points) each expectation says which.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ControllableClock, DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN, startKeycafeSandbox, type KeycafeSandbox } from '../../sandbox/keycafe/index.ts';
import type { KeycafeSandboxMode } from '../../sandbox/keycafe/server.ts';

const errorBody = z.object({
  error: z.object({ errorId: z.string(), errorMessage: z.string() }),
  fieldErrors: z.array(z.object({ field: z.string(), errorMessage: z.string() })),
});
const keyShape = z.object({ id: z.number(), name: z.string(), serialNumber: z.string(), homeLocation: z.object({ id: z.number(), name: z.string() }) });
// webhook-notifications: `timezone` lower case, `address` an object.
const locationShape = z.strictObject({ id: z.number(), name: z.string(), timezone: z.string(), address: z.object({ street: z.string() }).passthrough() });
const accessShape = z.object({
  id: z.number(),
  bookingCode: z.string().regex(/^\d{6}$/),
  // "Returned only for scheduled accesses".
  checkinLink: z.string().url().optional(),
  key: z.object({ id: z.number() }),
  // Absent for a name-only access.
  user: z.object({ id: z.number(), email: z.string().nullable(), mobile: z.string().nullable() }).optional(),
  accessStartDate: z.string().nullable(),
  accessStartTime: z.string().nullable(),
  accessEndDate: z.string().nullable(),
  accessEndTime: z.string().nullable(),
  timeZone: z.string().nullable(),
  locale: z.string(),
});

let sandbox: KeycafeSandbox;
const basic = (user: string, pass: string) => 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
const auth = basic(`${DEMO_KEYCAFE_EMAIL}/token`, DEMO_KEYCAFE_TOKEN);

function call(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return fetch(new URL(path, sandbox.url), {
    method: init.method ?? 'GET',
    headers: { authorization: auth, 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}
const post = (body: unknown) => call('access', { method: 'POST', body });

const oneTime = { user: { email: 'visitor@example.com' }, key: { id: 10001 }, accessStartDate: '2026-07-01', accessStartTime: '09:00', accessEndDate: '2026-07-02', accessEndTime: '18:00', timeZone: 'Europe/Berlin', locale: 'fr' };

describe.each(['strict', 'lenient'] as KeycafeSandboxMode[])('%s sandbox', (mode) => {
const strict = mode === 'strict';
beforeAll(async () => {
  // Frozen clock: the rate-limit minute only passes when a test advances it.
  sandbox = await startKeycafeSandbox({ mode, clock: new ControllableClock({ speed: 0 }), accounts: [{ email: DEMO_KEYCAFE_EMAIL, token: DEMO_KEYCAFE_TOKEN, apiKey: 'demo-api-key' }] });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.clock.advance(120_000);
  sandbox.calls.clear();
});

describe('sandbox Keycafe: auth and errors', () => {
  it('wants Basic auth with "{email}/token" or "{email}/key", else the documented "unauthorized" body (strict 400, lenient 401)', async () => {
    for (const header of [
      undefined,
      basic(DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN),
      basic(`${DEMO_KEYCAFE_EMAIL}/token`, 'wrong'),
      basic('other@x.com/token', DEMO_KEYCAFE_TOKEN),
      basic(`${DEMO_KEYCAFE_EMAIL}/key`, DEMO_KEYCAFE_TOKEN),
      basic(`${DEMO_KEYCAFE_EMAIL}/token`, 'demo-api-key'),
    ]) {
      const res = await fetch(new URL('key', sandbox.url), { headers: header ? { authorization: header } : {} });
      expect(res.status).toBe(strict ? 400 : 401);
      expect(errorBody.parse(await res.json()).error).toEqual({ errorId: 'unauthorized', errorMessage: 'Unauthorized' });
    }
    expect((await call('key')).status).toBe(200);
    expect((await fetch(new URL('key', sandbox.url), { headers: { authorization: basic(`${DEMO_KEYCAFE_EMAIL}/key`, 'demo-api-key') } })).status).toBe(200);
  });

  it('answers unknown endpoints with 404 and the error body', async () => {
    const res = await call('nothing');
    expect(res.status).toBe(404);
    errorBody.parse(await res.json());
  });
});

describe('sandbox Keycafe: keys and locations', () => {
  it('lists keys 50 a page with a Link header to the next page', async () => {
    const first = await call('key');
    const page1 = z.array(keyShape).parse(await first.json());
    expect(page1).toHaveLength(50);
    const link = first.headers.get('link')!;
    expect(link).toMatch(/^<http:\/\/[^>]+>; rel="next"$/);
    const next = await fetch(link.slice(1, link.indexOf('>')), { headers: { authorization: auth } });
    const page2 = z.array(keyShape).parse(await next.json());
    expect(page2.length).toBeGreaterThan(0);
    expect(next.headers.get('link')).toBeNull();
    expect(new Set([...page1, ...page2].map((k) => k.id)).size).toBe(page1.length + page2.length);
  });

  it('searches keys by name or serial number with ?query=', async () => {
    const res = z.array(keyShape).parse(await (await call('key?query=forklift')).json());
    expect(res.map((k) => k.name)).toEqual(['Forklift ignition key']);
    const bySerial = z.array(keyShape).parse(await (await call(`key?query=${res[0]!.serialNumber}`)).json());
    expect(bySerial.map((k) => k.id)).toEqual([res[0]!.id]);
  });

  it('lists the public directory of locations without a filter, each with `timezone` and an address object', async () => {
    const first = await call('location');
    const locations = z.array(locationShape).parse(await first.json());
    // Other operators' locations come first and the list pages: this is not the account's list.
    expect(locations).toHaveLength(50);
    expect(first.headers.get('link')).toMatch(/rel="next"/);
    expect(locations.some((l) => l.name.startsWith('Corner Cafe'))).toBe(true);
    const one = locationShape.parse(await (await call('location/501')).json());
    expect(one).toEqual({ id: 501, name: 'Berlin Mitte – Storage reception', timezone: 'Europe/Berlin', address: { street: 'Invalidenstraße 112', city: 'Berlin', postalCode: '10115', country: 'DE' } });
    const byQuery = z.array(locationShape).parse(await (await call('location?query=Invalidenstra')).json());
    expect(byQuery.map((l) => l.id)).toEqual([501]);
    // access=true: locations where the caller has an access, not the ones it owns.
    expect(await (await call('location?access=true')).json()).toEqual([]);
  });

  it("a key's home location is id and name (strict) or the whole location (lenient)", async () => {
    const key = (await (await call('key/10001')).json()) as { homeLocation: Record<string, unknown> };
    expect(Object.keys(key.homeLocation).sort()).toEqual(strict ? ['id', 'name'] : ['address', 'id', 'name', 'timezone']);
  });
});

describe('sandbox Keycafe: accesses', () => {
  it('creates a one-time access and answers id, bookingCode and checkinLink', async () => {
    const res = await post(oneTime);
    expect(res.status).toBe(200);
    const access = accessShape.parse(await res.json());
    expect(access).toMatchObject({ key: { id: 10001 }, user: { email: 'visitor@example.com' }, accessStartDate: '2026-07-01', accessEndTime: '18:00', timeZone: 'Europe/Berlin', locale: 'fr' });
    const page = await fetch(access.checkinLink!);
    expect(await page.text()).toContain(access.bookingCode);
  });

  it('makes an ongoing access when start and end are omitted, by mobile digits or serial number', async () => {
    const serial = keyShape.parse((await (await call('key/10002')).json())).serialNumber;
    const access = accessShape.parse(await (await post({ user: { mobile: '16042656073' }, key: { serialNumber: serial } })).json());
    expect(access).toMatchObject({ key: { id: 10002 }, user: { mobile: '16042656073' }, accessStartDate: null, accessEndDate: null });
    expect(access.checkinLink).toBeUndefined();
  });

  it('creates a name-only access (no user), listed without `user`, and notifies nobody', async () => {
    const notes = sandbox.state.account(DEMO_KEYCAFE_EMAIL).notifications.length;
    const access = accessShape.parse(await (await post({ ...oneTime, user: undefined, name: 'Locksmith', key: { id: 10003 } })).json());
    expect(access.user).toBeUndefined();
    expect(sandbox.state.account(DEMO_KEYCAFE_EMAIL).notifications.length).toBe(notes);
    const listed = (await (await call('access?key=10003')).json()) as Record<string, unknown>[];
    expect(listed.find((a) => a.id === access.id)).not.toHaveProperty('user');
  });

  it('rejects bad accesses with 400 and a field error per field', async () => {
    const before = sandbox.state.createdCount();
    const cases: [unknown, string[]][] = [
      [{ key: { id: 10001 } }, ['user']],
      [{ user: { email: 'a@b.com', mobile: '4915123456789' }, key: { id: 10001 } }, ['user']],
      [{ user: { mobile: '+49 151 2345678' }, key: { id: 10001 } }, ['user.mobile']],
      [{ user: { email: 'not-an-email' }, key: { id: 10001 } }, ['user.email']],
      [{ user: { email: 'a@b.com' }, key: { id: 99 } }, ['key.id']],
      [{ user: { email: 'a@b.com' } }, ['key']],
      [{ ...oneTime, accessEndDate: undefined, accessEndTime: undefined }, ['accessEndDate', 'accessEndTime']],
      [{ ...oneTime, accessEndDate: '2026-07-01', accessEndTime: '08:00' }, ['accessEndDate']],
      [{ ...oneTime, accessStartDate: '2026-02-30' }, ['accessStartDate']],
      [{ ...oneTime, accessStartTime: '9:00' }, ['accessStartTime']],
      [{ ...oneTime, timeZone: 'Mars/Olympus' }, ['timeZone']],
      [{ ...oneTime, locale: 'de' }, ['locale']],
      [{ ...oneTime, returnReminder: 'yes' }, ['returnReminder']],
    ];
    for (const [body, fields] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const parsed = errorBody.parse(await res.json());
      expect(parsed.fieldErrors.map((f) => f.field).sort(), JSON.stringify(body)).toEqual(fields.sort());
    }
    const bad = await call('access', { method: 'POST', body: undefined, headers: {} });
    expect(bad.status).toBe(400);
    expect(sandbox.state.createdCount()).toBe(before);
  });

  it('lists accesses by key ID, user ID or query; a user that is not an ID is refused (strict) or finds nothing (lenient)', async () => {
    const a = accessShape.parse(await (await post({ ...oneTime, user: { email: 'list-me@example.com' }, key: { id: 10005 } })).json());
    await post({ ...oneTime, user: { email: 'someone-else@example.com' }, key: { id: 10005 } });
    const byKey = z.array(accessShape).parse(await (await call('access?key=10005')).json());
    expect(byKey).toHaveLength(2);
    const byUser = z.array(accessShape).parse(await (await call(`access?user=${a.user!.id}`)).json());
    expect(byUser.map((x) => x.id)).toEqual([a.id]);
    const byQuery = z.array(accessShape).parse(await (await call('access?query=list-me')).json());
    expect(byQuery.map((x) => x.id)).toEqual([a.id]);
    const byEmail = await call(`access?key=10005&user=${encodeURIComponent('list-me@example.com')}`);
    if (strict) {
      expect(byEmail.status).toBe(400);
      expect(errorBody.parse(await byEmail.json()).fieldErrors.map((f) => f.field)).toEqual(['user']);
    } else expect(await byEmail.json()).toEqual([]);
  });

  it('DELETE cancels with 200; cancelling again is 400 access.cancelled (strict) or 404 (lenient)', async () => {
    const a = accessShape.parse(await (await post({ ...oneTime, user: { email: 'cancel-me@example.com' }, key: { id: 10006 } })).json());
    expect((await call(`access/${a.id}`, { method: 'DELETE' })).status).toBe(200);
    const again = await call(`access/${a.id}`, { method: 'DELETE' });
    expect(again.status).toBe(strict ? 400 : 404);
    expect(errorBody.parse(await again.json()).error.errorId).toBe(strict ? 'access.cancelled' : 'access.notFound');
    const read = await call(`access/${a.id}`);
    expect(read.status).toBe(strict ? 404 : 200);
    if (!strict) expect(await read.json()).toMatchObject({ status: 'CANCELLED' });
    const after = z.array(accessShape).parse(await (await call('access?key=10006')).json());
    expect(after.map((x) => x.id)).not.toContain(a.id);
  });
});

describe('sandbox Keycafe: rate limit and clock', () => {
  it('allows 60 calls a minute, then answers 429 to every call for one minute', async () => {
    for (let i = 0; i < 60; i++) expect((await call('location')).status).toBe(200);
    const limited = await call('location');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(errorBody.parse(await limited.json()).error.errorId).toBe('rate.limited');
    sandbox.clock.advance(59_000);
    expect((await call('key/10001')).status).toBe(429);
    sandbox.clock.advance(1_000);
    expect((await call('location')).status).toBe(200);
    expect(sandbox.calls.maxInWindow()).toBe(62);
    expect(sandbox.stats.limitTrips).toBe(1);
  });

  it('a sped-up clock makes a minute pass quickly and wakes sleepers on advance', async () => {
    const clock = new ControllableClock({ speed: 600 });
    const t0 = clock.now();
    const real = performance.now();
    await clock.sleep(60_000);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(60_000);
    expect(performance.now() - real).toBeLessThan(1_000);
    clock.speed = 0;
    let woke = false;
    const sleeping = clock.sleep(10_000).then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(false);
    clock.advance(10_000);
    await sleeping;
    expect(woke).toBe(true);
  });
});

describe('sandbox Keycafe: fault injection', () => {
  it('500 before Keycafe acts creates nothing; 500 after it acts leaves the access', async () => {
    const before = sandbox.state.createdCount();
    sandbox.faults.add({ kind: 'status', method: 'POST', path: '/v0/access' });
    const r1 = await post({ ...oneTime, user: { email: 'f1@example.com' } });
    expect(r1.status).toBe(500);
    errorBody.parse(await r1.json());
    expect(sandbox.state.createdCount()).toBe(before);
    sandbox.faults.add({ kind: 'status', method: 'POST', after: true });
    expect((await post({ ...oneTime, user: { email: 'f2@example.com' } })).status).toBe(500);
    expect(sandbox.state.createdCount()).toBe(before + 1);
  });

  it('injects 429, dropped connections, timeouts and slow answers, and records them', async () => {
    sandbox.faults.add({ kind: 'rate_limit', path: '/v0/key' });
    expect((await call('key')).status).toBe(429);
    sandbox.faults.add({ kind: 'drop' });
    await expect(call('location')).rejects.toThrow();
    sandbox.faults.add({ kind: 'timeout' });
    const aborted = fetch(new URL('location', sandbox.url), { headers: { authorization: auth }, signal: AbortSignal.timeout(150) });
    await expect(aborted).rejects.toThrow();
    sandbox.faults.add({ kind: 'slow', delayMs: 200 });
    const t = performance.now();
    expect((await call('location')).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(190);
    expect(sandbox.calls.list.map((c) => c.status)).toEqual([429, 'dropped', 'timeout', 200]);
    expect(sandbox.faults.injected).toMatchObject({ rate_limit: 1, drop: 1, timeout: 1, slow: 1 });
  });

  it('lockout() answers 429 to every call of the account for the given time', async () => {
    sandbox.faults.lockout(30_000);
    expect((await call('key')).status).toBe(429);
    sandbox.clock.advance(30_000);
    expect((await call('key')).status).toBe(200);
  });

  it('counts duplicate accesses (same key, user and period)', async () => {
    const dupes = sandbox.state.duplicates().length;
    await post({ ...oneTime, user: { email: 'dupe@example.com' }, key: { id: 10010 } });
    await post({ ...oneTime, user: { email: 'dupe@example.com' }, key: { id: 10010 } });
    expect(sandbox.state.duplicates().length).toBe(dupes + 1);
  });

  it('random faults are reproducible for a seed', async () => {
    const run = async () => {
      const s = await startKeycafeSandbox({ seed: 42, clock: new ControllableClock({ speed: 0 }) });
      s.faults.random({ probability: 0.3, kinds: ['status', 'rate_limit'] });
      const statuses = [];
      for (let i = 0; i < 20; i++) statuses.push((await fetch(new URL('location', s.url), { headers: { authorization: auth } })).status);
      await s.close();
      return statuses;
    };
    const a = await run();
    expect(a.filter((s) => s !== 200).length).toBeGreaterThan(0);
    expect(await run()).toEqual(a);
  });
});
});
