/**
 * The sandbox Keycafe against Keycafe API v0's documented request and response shapes
 * (PROVIDERS.md), with plain fetch so the connector's own parsing is not what is tested.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ControllableClock, DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN, startKeycafeSandbox, type KeycafeSandbox } from '../../sandbox/keycafe/index.ts';

const errorBody = z.object({
  error: z.object({ errorId: z.string(), errorMessage: z.string() }),
  fieldErrors: z.array(z.object({ field: z.string(), errorMessage: z.string() })),
});
const keyShape = z.object({ id: z.number(), name: z.string(), serialNumber: z.string(), homeLocation: z.object({ id: z.number(), name: z.string() }) });
const locationShape = z.object({ id: z.number(), name: z.string(), address: z.string(), timeZone: z.string() });
const accessShape = z.object({
  id: z.number(),
  bookingCode: z.string().regex(/^\d{6}$/),
  checkinLink: z.string().url(),
  key: z.object({ id: z.number() }),
  user: z.object({ id: z.number(), email: z.string().nullable(), mobile: z.string().nullable() }),
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

beforeAll(async () => {
  // Frozen clock: the rate-limit minute only passes when a test advances it.
  sandbox = await startKeycafeSandbox({ clock: new ControllableClock({ speed: 0 }) });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.clock.advance(120_000);
  sandbox.calls.clear();
});

describe('sandbox Keycafe: auth and errors', () => {
  it('wants Basic auth with "{email}/token" and the token, else 401 with the error body', async () => {
    for (const header of [undefined, basic(DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN), basic(`${DEMO_KEYCAFE_EMAIL}/token`, 'wrong'), basic('other@x.com/token', DEMO_KEYCAFE_TOKEN)]) {
      const res = await fetch(new URL('key', sandbox.url), { headers: header ? { authorization: header } : {} });
      expect(res.status).toBe(401);
      expect(errorBody.parse(await res.json()).error.errorId).toBe('UNAUTHORIZED');
    }
    expect((await call('key')).status).toBe(200);
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

  it('lists locations with a time zone each, in Europe and North America', async () => {
    const locations = z.array(locationShape).parse(await (await call('location')).json());
    const zones = locations.map((l) => l.timeZone);
    expect(zones.some((z) => z.startsWith('Europe/'))).toBe(true);
    expect(zones.some((z) => z.startsWith('America/'))).toBe(true);
  });
});

describe('sandbox Keycafe: accesses', () => {
  it('creates a one-time access and answers id, bookingCode and checkinLink', async () => {
    const res = await post(oneTime);
    expect(res.status).toBe(200);
    const access = accessShape.parse(await res.json());
    expect(access).toMatchObject({ key: { id: 10001 }, user: { email: 'visitor@example.com' }, accessStartDate: '2026-07-01', accessEndTime: '18:00', timeZone: 'Europe/Berlin', locale: 'fr' });
    const page = await fetch(access.checkinLink);
    expect(await page.text()).toContain(access.bookingCode);
  });

  it('makes an ongoing access when start and end are omitted, by mobile digits or serial number', async () => {
    const serial = keyShape.parse((await (await call('key/10002')).json())).serialNumber;
    const access = accessShape.parse(await (await post({ user: { mobile: '16042656073' }, key: { serialNumber: serial } })).json());
    expect(access).toMatchObject({ key: { id: 10002 }, user: { mobile: '16042656073' }, accessStartDate: null, accessEndDate: null });
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

  it('lists accesses by key and by user, and DELETE cancels (then 404)', async () => {
    const a = accessShape.parse(await (await post({ ...oneTime, user: { email: 'list-me@example.com' }, key: { id: 10005 } })).json());
    await post({ ...oneTime, user: { email: 'someone-else@example.com' }, key: { id: 10005 } });
    const byBoth = z.array(accessShape).parse(await (await call(`access?key=10005&user=${encodeURIComponent('list-me@example.com')}`)).json());
    expect(byBoth.map((x) => x.id)).toEqual([a.id]);
    const byKey = z.array(accessShape).parse(await (await call('access?key=10005')).json());
    expect(byKey).toHaveLength(2);
    expect((await call(`access/${a.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`access/${a.id}`, { method: 'DELETE' })).status).toBe(404);
    const after = z.array(accessShape).parse(await (await call('access?key=10005')).json());
    expect(after.map((x) => x.id)).not.toContain(a.id);
  });
});

describe('sandbox Keycafe: rate limit and clock', () => {
  it('allows 60 calls a minute, then answers 429 to every call for one minute', async () => {
    for (let i = 0; i < 60; i++) expect((await call('location')).status).toBe(200);
    const limited = await call('location');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(errorBody.parse(await limited.json()).error.errorId).toBe('RATE_LIMIT_EXCEEDED');
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
    sandbox.faults.add({ kind: 'server_error', method: 'POST', path: '/v0/access' });
    const r1 = await post({ ...oneTime, user: { email: 'f1@example.com' } });
    expect(r1.status).toBe(500);
    errorBody.parse(await r1.json());
    expect(sandbox.state.createdCount()).toBe(before);
    sandbox.faults.add({ kind: 'server_error', method: 'POST', phase: 'after' });
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
      s.faults.random({ probability: 0.3, kinds: ['server_error', 'rate_limit'] });
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
