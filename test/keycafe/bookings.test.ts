/**
 * Keycafe through the API, end to end against the sandbox: connection test, cached key and
 * location lists, every booking validation rule, one-time and ongoing bookings with their
 * per-key state, codes and links, DST, reminder boundaries, all-keys with later keys, crash
 * windows, cancel, retry, idempotent replays, list filters, audit and tenant isolation. Both
 * sandbox modes (sandbox/keycafe/SOURCES.md).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import type { KeycafeBooking, KeycafeBookingInput } from '../../lib/contract.ts';
import { outboxJobs } from '../../server/db/schema/index.ts';
import { DEMO_KEYCAFE_EMAIL } from '../../sandbox/keycafe/index.ts';
import { seedKeys } from '../../sandbox/keycafe/data.ts';
import { waitUntil } from '../helpers/wait.ts';
import { startKeycafeWorld, type KeycafeWorld } from './helpers.ts';
import type { KeycafeSandboxMode } from '../../sandbox/keycafe/server.ts';

const SMALL = { email: 'small@accessbridge.test', token: 'kc_small_token' };
const smallKeys = [
  { id: 30001, name: 'Office keys', serialNumber: 'SM0001', homeLocationId: 601, description: null },
  { id: 30002, name: 'Bike room fob', serialNumber: 'SM0002', homeLocationId: 601, description: null },
];

describe.each(['strict', 'lenient'] as KeycafeSandboxMode[])('%s sandbox', (mode) => {
let w: KeycafeWorld;
let smallLocationId: string;

beforeAll(async () => {
  w = await startKeycafeWorld({
    speed: 30,
    keySyncIntervalMs: 30_000,
    sandbox: {
      mode,
      accounts: [
        { email: DEMO_KEYCAFE_EMAIL, token: 'kc_sandbox_demo_token' },
        { ...SMALL, locations: [{ id: 601, name: 'Toronto Queen West', address: { street: '600 Queen St W', city: 'Toronto', postalCode: 'M5V 2B5', country: 'CA' }, timeZone: 'America/Toronto' }], keys: smallKeys },
      ],
    },
  });
  const small = await w.api.json('POST', '/v1/locations', { name: 'Toronto', timeZone: 'America/Toronto', keycafe: { accountEmail: SMALL.email, apiToken: SMALL.token } });
  smallLocationId = small.body.id;
});
afterAll(() => w.close());
beforeEach(() => w.sandbox.faults.clear());

const oneTime = (over: Partial<KeycafeBookingInput> = {}): KeycafeBookingInput => ({
  locationId: w.locationId,
  keyIds: ['10049'],
  recipient: { email: 'visitor@example.com' },
  type: 'one_time',
  start: { date: '2026-07-01', time: '09:00' },
  end: { date: '2026-07-02', time: '18:00' },
  ...over,
});

const book = (body: unknown, headers?: Record<string, string>) => w.api.json<KeycafeBooking>('POST', '/v1/keycafe/bookings', body, { headers });
const sandboxAccess = (id: string | null) => w.sandbox.state.account(DEMO_KEYCAFE_EMAIL).accesses.get(Number(id));

describe('connection and catalog', () => {
  it('tests the stored connection and fills the cache', async () => {
    const res = await w.api.json('POST', `/v1/locations/${w.locationId}/keycafe/test`);
    expect(res.status).toBe(200);
    // Changed deliberately: the answer now says which credential worked and lists every call made.
    expect(res.body).toMatchObject({ ok: true, accountEmail: DEMO_KEYCAFE_EMAIL, keys: seedKeys().length, locations: 4, authType: 'token', skipped: [] });
    expect(res.body.calls[0]).toEqual({ call: 'GET /v0/key', authType: 'token', ok: true, status: 200, errorId: null, message: 'answered' });
    // The account's own locations come from its keys, never from Keycafe's public directory.
    expect(res.body.calls.every((c: { call: string }) => c.call === 'GET /v0/key' || c.call.startsWith('GET /v0/location/'))).toBe(true);
  });

  it('tests other credentials without storing them: a wrong token is a 422 on keycafe.apiToken', async () => {
    const res = await w.api.json('POST', `/v1/locations/${w.locationId}/keycafe/test`, { apiToken: 'wrong' });
    expect(res.status).toBe(422);
    // Changed deliberately: without a known credential type both are tried, each call reported.
    const none = `Keycafe accepted neither an API token nor an API key for ${DEMO_KEYCAFE_EMAIL}`;
    expect(res.body.fieldErrors).toEqual([{ path: 'keycafe.apiToken', message: none }]);
    expect(res.body.details.calls.map((c: { call: string; authType: string; ok: boolean }) => [c.call, c.authType, c.ok])).toEqual([
      ['GET /v0/key', 'token', false],
      ['GET /v0/key', 'key', false],
    ]);
    expect(res.body.details.calls[0].message).toMatch(/^Keycafe did not accept this email with this API token \("demo@accessbridge.test\/token"\)/);
    expect(res.body.details.calls[0].errorId).toBe('unauthorized');
    const malformed = await w.api.fetch(`/v1/locations/${w.locationId}/keycafe/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: expect.stringMatching(/bad_request|validation_failed/) } });
    const noKeycafe = await w.api.json('POST', '/v1/locations', { name: 'No Keycafe' });
    const missing = await w.api.json('POST', `/v1/locations/${noKeycafe.body.id}/keycafe/test`);
    expect(missing.status).toBe(400);
    expect(missing.body.fieldErrors.map((f: { path: string }) => f.path)).toEqual(['keycafe.accountEmail', 'keycafe.apiToken']);
  });

  it('lists keys from the cache with their SmartBox time zone, searchable, refreshable', async () => {
    const calls = w.sandbox.calls.list.length;
    const res = await w.api.json('GET', `/v1/keycafe/keys?locationId=${w.locationId}&search=forklift`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [{ id: '10052', name: 'Forklift ignition key', serialNumber: expect.any(String), locationId: '501', locationName: 'Berlin Mitte – Storage reception', timeZone: 'Europe/Berlin', accountLocationId: w.locationId }],
      total: 1,
    });
    expect(w.sandbox.calls.list.length).toBe(calls);
    const page = await w.api.json('GET', `/v1/keycafe/keys?locationId=${w.locationId}&limit=10&offset=50`);
    expect(page.body.items).toHaveLength(10);
    expect(page.body.total).toBe(seedKeys().length);
    await w.api.json('GET', `/v1/keycafe/keys?locationId=${w.locationId}&refresh=true`);
    expect(w.sandbox.calls.list.length).toBeGreaterThan(calls);
  });

  it('switching a location to another Keycafe account replaces its cached keys', async () => {
    const loc = await w.api.json('POST', '/v1/locations', { name: 'Switching', keycafe: { accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: 'kc_sandbox_demo_token' } });
    expect((await w.api.json('GET', `/v1/keycafe/keys?locationId=${loc.body.id}`)).body.total).toBe(seedKeys().length);
    const patched = await w.api.json('PATCH', `/v1/locations/${loc.body.id}`, { keycafe: { accountEmail: SMALL.email, apiToken: SMALL.token } });
    expect(patched.status).toBe(200);
    const keys = await w.api.json('GET', `/v1/keycafe/keys?locationId=${loc.body.id}`);
    expect(keys.body.items.map((k: { name: string }) => k.name)).toEqual(expect.arrayContaining(['Bike room fob', 'Office keys']));
    expect(keys.body.items.every((k: { id: string }) => k.id.startsWith('300') || Number(k.id) >= 20001)).toBe(true);
    const places = await w.api.json('GET', `/v1/keycafe/locations?locationId=${loc.body.id}`);
    expect(places.body.items.map((l: { name: string }) => l.name)).toEqual(['Toronto Queen West']);
  });

  it('lists SmartBox locations with time zones on two continents', async () => {
    const res = await w.api.json('GET', `/v1/keycafe/locations?locationId=${w.locationId}&search=vancouver`);
    expect(res.body.items).toEqual([{ id: '503', name: 'Vancouver Yaletown SmartBox', address: expect.any(String), timeZone: 'America/Vancouver', accountLocationId: w.locationId }]);
    const all = await w.api.json('GET', '/v1/keycafe/locations');
    expect(all.body.items.map((l: { timeZone: string }) => l.timeZone)).toEqual(expect.arrayContaining(['Europe/Berlin', 'Europe/Paris', 'America/Vancouver', 'America/New_York', 'America/Toronto']));
  });
});

describe('booking validation: clear field errors and nothing written', () => {
  const cases: [string, () => unknown, string, RegExp?][] = [
    ['end before start', () => oneTime({ end: { date: '2026-07-01', time: '08:00' } }), 'end', /after start/],
    ['end equal to start', () => oneTime({ end: { date: '2026-07-01', time: '09:00' } }), 'end'],
    ['missing recipient', () => ({ ...oneTime(), recipient: {} }), 'recipient', /email address or a mobile number/],
    ['bad email', () => oneTime({ recipient: { email: 'visitor@' } }), 'recipient.email'],
    ['bad phone', () => oneTime({ recipient: { mobile: '+49 151 2000000' } }), 'recipient.mobile', /Not a valid phone number/],
    ['phone without country code', () => oneTime({ recipient: { mobile: '0151 23456789' } }), 'recipient.mobile', /country code/],
    ['landline', () => oneTime({ recipient: { mobile: '+49 30 1234567' } }), 'recipient.mobile', /landline/],
    ['unknown key', () => oneTime({ keyIds: ['10049', '99999'] }), 'keyIds.1', /Unknown key 99999/],
    ['no key', () => oneTime({ keyIds: [] }), 'keyIds'],
    ['ongoing with dates', () => ({ ...oneTime(), type: 'ongoing' }), 'start', /no start or end/],
    ['ongoing with a return reminder', () => ({ ...oneTime(), type: 'ongoing', start: undefined, end: undefined, returnReminder: true }), 'returnReminder'],
    ['one-time without end', () => ({ ...oneTime(), end: undefined }), 'end'],
    ['start in the DST gap (Berlin, 29 March 02:30)', () => oneTime({ start: { date: '2026-03-29', time: '02:30' }, end: { date: '2026-03-30', time: '10:00' } }), 'start.time', /does not exist in Europe\/Berlin/],
    ['impossible date', () => oneTime({ start: { date: '2026-02-30', time: '10:00' } }), 'start.date'],
    ['keys in different time zones', () => oneTime({ keyIds: ['10049', '10057'] }), 'keyIds', /different time zones/],
    ['photo verification without visitor ID', () => oneTime({ photoVerification: true }), 'photoVerification'],
    ['visitors without visitor ID', () => oneTime({ visitors: 3 }), 'visitors'],
    ['all keys for one-time access', () => oneTime({ allKeys: true }), 'allKeys'],
    ['unknown location', () => oneTime({ locationId: '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10' }), 'locationId'],
    ['bad locale', () => oneTime({ locale: 'de' as never }), 'locale'],
  ];

  it.each(cases.map(([name, body, path, message]) => ({ name, body, path, message })))('$name → 400 on $path', async ({ body, path, message }) => {
    const before = await w.api.json('GET', '/v1/keycafe/bookings?limit=1');
    const jobs = (await w.api.database.db.select({ jobs: count() }).from(outboxJobs))[0]!.jobs;
    const res = await book(body());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_failed' } });
    const fields = (res.body as unknown as { fieldErrors: { path: string; message: string }[] }).fieldErrors;
    const hit = fields.find((f) => f.path === path);
    expect(hit, JSON.stringify(fields)).toBeDefined();
    if (message) expect(hit!.message).toMatch(message);
    expect((await w.api.json('GET', '/v1/keycafe/bookings?limit=1')).body.total).toBe(before.body.total);
    expect((await w.api.database.db.select({ jobs: count() }).from(outboxJobs))[0]!.jobs).toBe(jobs);
  });

  it('answers in the caller’s language', async () => {
    const res = await w.api.json('POST', '/v1/keycafe/bookings', oneTime({ recipient: { mobile: '0151 23456789' } }), { headers: { 'accept-language': 'fr-CH, en;q=0.5' } });
    expect(res.body).toMatchObject({ fieldErrors: [{ path: 'recipient.mobile', message: expect.stringMatching(/indicatif du pays/) }] });
  });

  it('a location without a Keycafe account is a field error', async () => {
    const plain = await w.api.json('POST', '/v1/locations', { name: 'Plain' });
    const res = await w.api.json('POST', '/v1/keycafe/bookings', oneTime({ locationId: plain.body.id }));
    expect(res.body.fieldErrors).toEqual([{ path: 'locationId', message: 'This location has no Keycafe account connected' }]);
  });
});

describe('one-time bookings', () => {
  it('books several keys; each key gets its Keycafe access, booking code and check-in link', async () => {
    const res = await book(oneTime({ keyIds: ['10049', '10050', '10051'], locale: 'fr', name: 'Electrician', returnReminder: true, requireVisitorId: true, visitors: 2, photoVerification: true }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      state: 'pending',
      timeZone: 'Europe/Berlin',
      start: { date: '2026-07-01', time: '09:00' },
      startsAt: '2026-07-01T07:00:00.000Z',
      endsAt: '2026-07-02T16:00:00.000Z',
      reminder: { band: 'over_24h', rule: 'before_end', offsetMinutes: 720, at: '2026-07-02T04:00:00.000Z' },
      reminderAt: '2026-07-02T04:00:00.000Z',
      requireVisitorId: true,
      visitors: 2,
      photoVerification: true,
    });
    expect(res.body.accesses.map((a) => a.state)).toEqual(['pending', 'pending', 'pending']);
    const done = await w.waitForBooking(res.body.id);
    expect(done.state).toBe('active');
    for (const a of done.accesses) {
      const remote = sandboxAccess(a.keycafeAccessId)!;
      expect(a).toMatchObject({ state: 'active', bookingCode: remote.bookingCode, checkinLink: expect.stringContaining(remote.checkinToken), reason: null });
      expect(remote).toMatchObject({ keyId: Number(a.keyId), accessStartDate: '2026-07-01', accessStartTime: '09:00', accessEndDate: '2026-07-02', accessEndTime: '18:00', timeZone: 'Europe/Berlin', locale: 'fr', name: 'Electrician', returnReminder: true });
    }
    const audit = await w.api.json('GET', `/v1/audit-events?entity=keycafe_booking&entityId=${res.body.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual(['keycafe.access.created', 'keycafe.access.created', 'keycafe.access.created', 'keycafe.booking.created']);
  });

  it('interprets times in the key’s SmartBox zone across a DST change (Vancouver, 8 March 2026)', async () => {
    const res = await book(oneTime({ keyIds: ['10057'], start: { date: '2026-03-07', time: '10:00' }, end: { date: '2026-03-09', time: '10:00' }, returnReminder: true }));
    expect(res.status).toBe(201);
    // PST (UTC−8) before, PDT (UTC−7) after: 47 hours, not 48.
    expect(res.body).toMatchObject({ timeZone: 'America/Vancouver', startsAt: '2026-03-07T18:00:00.000Z', endsAt: '2026-03-09T17:00:00.000Z', reminderAt: '2026-03-09T05:00:00.000Z' });
    const done = await w.waitForBooking(res.body.id);
    expect(sandboxAccess(done.accesses[0]!.keycafeAccessId)).toMatchObject({ accessStartTime: '10:00', accessEndTime: '10:00', timeZone: 'America/Vancouver' });
  });

  it.each([
    ['exactly 4 h', '13:00', { band: '4h_to_24h', rule: 'before_end', at: '2026-07-01T09:00:00.000Z' }],
    ['3 h 59', '12:59', { band: 'under_4h', rule: 'after_pickup', offsetMinutes: 15, at: null }],
  ])('reminder at %s', async (_n, endTime, reminder) => {
    const res = await book(oneTime({ start: { date: '2026-07-01', time: '09:00' }, end: { date: '2026-07-01', time: endTime }, returnReminder: true }));
    expect(res.status).toBe(201);
    expect(res.body.reminder).toMatchObject(reminder);
    expect(res.body.reminderAt).toBe(reminder.at);
  });

  it('reminder at exactly 24 h is 2 h before the end; no reminder when off', async () => {
    const res = await book(oneTime({ start: { date: '2026-07-01', time: '09:00' }, end: { date: '2026-07-02', time: '09:00' }, returnReminder: true }));
    expect(res.body.reminder).toEqual({ band: '4h_to_24h', rule: 'before_end', offsetMinutes: 120, at: '2026-07-02T05:00:00.000Z' });
    const off = await book(oneTime());
    expect(off.body).toMatchObject({ returnReminder: false, reminder: null, reminderAt: null });
  });

  it('survives the crash window: Keycafe created the access but the answer was lost → adopted, not duplicated', async () => {
    await w.idle();
    w.sandbox.faults.add({ kind: 'status', method: 'POST', path: '/v0/access', after: true });
    w.sandbox.faults.add({ kind: 'timeout', method: 'POST', path: '/v0/access', after: true });
    w.sandbox.faults.add({ kind: 'drop', method: 'POST', path: '/v0/access', after: true });
    const res = await book(oneTime({ keyIds: ['10001', '10002', '10003'], recipient: { email: 'crash@example.com' } }));
    const done = await w.waitForBooking(res.body.id);
    expect(done.accesses.map((a) => a.state)).toEqual(['active', 'active', 'active']);
    expect(w.sandbox.calls.list.filter((c) => c.fault?.endsWith(':after'))).toHaveLength(3);
    // Keycafe holds exactly one access per key for this visitor: the ones the booking shows.
    const account = w.sandbox.state.account(DEMO_KEYCAFE_EMAIL);
    const created = account.created.filter((a) => account.userOf(a)!.email === 'crash@example.com');
    expect(created.map((a) => String(a.id)).sort()).toEqual(done.accesses.map((a) => a.keycafeAccessId).sort());
    const audit = await w.api.json('GET', `/v1/audit-events?entity=keycafe_booking&entityId=${res.body.id}`);
    expect(audit.body.items.filter((e: { after: { adopted?: boolean } }) => e.after?.adopted === true)).toHaveLength(3);
  });

  it('a key Keycafe rejects fails visibly (partially failed) and a retry completes it', async () => {
    const account = w.sandbox.state.account(DEMO_KEYCAFE_EMAIL);
    const removed = account.keys.get(10010)!;
    account.keys.delete(10010);
    const res = await book(oneTime({ keyIds: ['10009', '10010'], recipient: { email: 'retry@example.com' } }));
    const done = await w.waitForBooking(res.body.id);
    expect(done.state).toBe('partially_failed');
    const failed = done.accesses.find((a) => a.keyId === '10010')!;
    expect(failed).toMatchObject({ state: 'failed', keycafeAccessId: null, reason: expect.stringMatching(/keyIds: Key not found/) });
    account.keys.set(10010, removed);
    const retried = await w.api.json<KeycafeBooking>('POST', `/v1/keycafe/bookings/${res.body.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.state).toBe('pending');
    expect((await w.waitForBooking(res.body.id)).state).toBe('active');
    const again = await w.api.json('POST', `/v1/keycafe/bookings/${res.body.id}/retry`);
    expect(again.status).toBe(409);
  });

  it('all keys failing makes the booking failed', async () => {
    await w.idle();
    w.sandbox.faults.add({ kind: 'status', method: 'POST', path: '/v0/access', times: Infinity });
    const res = await book(oneTime({ keyIds: ['10011'], recipient: { email: 'fail@example.com' } }));
    // 500s are retried: the booking stays pending (not failed) while Keycafe is down.
    await waitUntil('three 500s', async () => w.sandbox.calls.count({ path: '/v0/access', status: 500 }) >= 3, 10_000);
    expect((await w.api.json<KeycafeBooking>('GET', `/v1/keycafe/bookings/${res.body.id}`)).body.state).toBe('pending');
    w.sandbox.faults.clear();
    expect((await w.waitForBooking(res.body.id)).state).toBe('active');
    const account = w.sandbox.state.account(DEMO_KEYCAFE_EMAIL);
    const key = account.keys.get(10012)!;
    account.keys.delete(10012);
    const bad = await book(oneTime({ keyIds: ['10012'], recipient: { email: 'fail@example.com' } }));
    expect((await w.waitForBooking(bad.body.id)).state).toBe('failed');
    account.keys.set(10012, key);
  });
});

describe('ongoing access', () => {
  it('books by mobile number with no dates on Keycafe', async () => {
    const res = await book({ locationId: w.locationId, keyIds: ['10053'], recipient: { mobile: '+1 604 265 6073' }, type: 'ongoing', locale: 'es' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'ongoing', recipient: { email: null, mobile: '+16042656073' }, startsAt: null, endsAt: null, timeZone: null, reminder: null });
    const done = await w.waitForBooking(res.body.id);
    const remote = sandboxAccess(done.accesses[0]!.keycafeAccessId)!;
    expect(remote).toMatchObject({ accessStartDate: null, accessEndDate: null, locale: 'es' });
    expect(w.sandbox.state.account(DEMO_KEYCAFE_EMAIL).userOf(remote)!.mobile).toBe('16042656073');
  });

  it('a national number with its country is accepted', async () => {
    const res = await book({ locationId: w.locationId, keyIds: ['10052'], recipient: { mobile: '0151 23456789', country: 'DE' }, type: 'ongoing' });
    expect(res.status).toBe(201);
    expect(res.body.recipient.mobile).toBe('+4915123456789');
  });

  it('"apply to all keys" covers every key, and keys created later through the periodic sync', async () => {
    const res = await book({ locationId: smallLocationId, allKeys: true, recipient: { email: 'cleaner@example.com' }, type: 'ongoing' });
    expect(res.status).toBe(201);
    expect(res.body.accesses.map((a) => a.keyId)).toEqual(['30002', '30001']);
    expect((await w.waitForBooking(res.body.id)).state).toBe('active');
    const added = w.sandbox.state.addKey(SMALL.email, { name: 'Archive room key', homeLocationId: 601 });
    const grown = await w.waitForBooking(res.body.id, (b) => b.accesses.length === 3 && b.state === 'active', 20_000);
    expect(grown.accesses.find((a) => a.keyId === String(added.id))).toMatchObject({ keyName: 'Archive room key', addedBySync: true, state: 'active', bookingCode: expect.any(String) });
    const audit = await w.api.json('GET', `/v1/audit-events?entity=keycafe_booking&entityId=${res.body.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('keycafe.booking.keys_added');
  });
});

describe('cancel', () => {
  it('cancels every created access on Keycafe, and cancelling again changes nothing', async () => {
    const res = await book(oneTime({ keyIds: ['10020', '10021'], recipient: { email: 'cancel@example.com' } }));
    const done = await w.waitForBooking(res.body.id);
    const cancel = await w.api.json<KeycafeBooking>('POST', `/v1/keycafe/bookings/${res.body.id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.state).toBe('cancelling');
    const cancelled = await w.waitForBooking(res.body.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.accesses.map((a) => a.state)).toEqual(['cancelled', 'cancelled']);
    for (const a of done.accesses) expect(sandboxAccess(a.keycafeAccessId)!.deletedAt).not.toBeNull();
    const again = await w.api.json<KeycafeBooking>('POST', `/v1/keycafe/bookings/${res.body.id}/cancel`);
    expect(again.body.state).toBe('cancelled');
    const audit = await w.api.json('GET', `/v1/audit-events?entity=keycafe_booking&entityId=${res.body.id}`);
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'keycafe.booking.cancel_requested')).toHaveLength(1);
  });

  it('an access already cancelled in the Keycafe dashboard counts as cancelled, whatever Keycafe answers', async () => {
    const res = await book(oneTime({ keyIds: ['10030'], recipient: { email: `gone-${mode}@example.com` } }));
    const done = await w.waitForBooking(res.body.id);
    // Revoked on Keycafe's side first: strict answers the DELETE 400 access.cancelled, lenient 404.
    sandboxAccess(done.accesses[0]!.keycafeAccessId)!.deletedAt = Date.now();
    await w.api.json('POST', `/v1/keycafe/bookings/${res.body.id}/cancel`);
    const cancelled = await w.waitForBooking(res.body.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', accesses: [{ state: 'cancelled', reason: null }] });
  });

  it('cancelling while Keycafe is still creating leaves nothing live on Keycafe', async () => {
    await w.idle();
    // The first POST hangs after Keycafe acted (the access exists, the answer never comes).
    w.sandbox.faults.add({ kind: 'slow', method: 'POST', path: '/v0/access', delayMs: 600, after: true });
    const res = await book(oneTime({ keyIds: ['10030', '10031'], recipient: { email: 'early-cancel@example.com' } }));
    await waitUntil('a POST', async () => w.sandbox.calls.count({ method: 'POST', path: '/v0/access' }) > 0, 5_000);
    const cancel = await w.api.json<KeycafeBooking>('POST', `/v1/keycafe/bookings/${res.body.id}/cancel`);
    expect(cancel.body.state).toBe('cancelling');
    const end = await w.waitForBooking(res.body.id);
    expect(end.state).toBe('cancelled');
    const account = w.sandbox.state.account(DEMO_KEYCAFE_EMAIL);
    const live = account.liveAccesses().filter((a) => account.userOf(a)!.email === 'early-cancel@example.com');
    expect(live).toEqual([]);
  });
});

describe('replays, lists and tenants', () => {
  it('an Idempotency-Key replay returns the first booking instead of a second one', async () => {
    const body = oneTime({ keyIds: ['10040'], recipient: { email: 'replay@example.com' } });
    const first = await book(body, { 'idempotency-key': 'ext-queue-42' });
    const second = await book(body, { 'idempotency-key': 'ext-queue-42' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const list = await w.api.json('GET', '/v1/keycafe/bookings?recipient=replay@');
    expect(list.body.total).toBe(1);
  });

  it('filters bookings by key, recipient (email part or mobile digits) and state', async () => {
    const byKey = await w.api.json('GET', '/v1/keycafe/bookings?keyId=10057');
    expect(byKey.body.items.every((b: KeycafeBooking) => b.accesses.some((a) => a.keyId === '10057'))).toBe(true);
    expect(byKey.body.total).toBeGreaterThan(0);
    const byMobile = await w.api.json('GET', `/v1/keycafe/bookings?recipient=${encodeURIComponent('(604) 265-6073')}`);
    expect(byMobile.body.items.map((b: KeycafeBooking) => b.recipient.mobile)).toEqual(['+16042656073']);
    const cancelled = await w.api.json('GET', '/v1/keycafe/bookings?state=cancelled');
    expect(cancelled.body.items.length).toBeGreaterThan(0);
    expect(cancelled.body.items.every((b: KeycafeBooking) => b.state === 'cancelled')).toBe(true);
    const badState = await w.api.json('GET', '/v1/keycafe/bookings?state=done');
    expect(badState.status).toBe(400);
  });

  it('keeps every Keycafe route to its own organization', async () => {
    const other = await w.api.newOrg();
    const mine = (await w.api.json('GET', '/v1/keycafe/bookings?limit=1')).body.items[0] as KeycafeBooking;
    const as = { token: other.token };
    expect((await w.api.json('GET', `/v1/keycafe/bookings/${mine.id}`, undefined, as)).status).toBe(404);
    expect((await w.api.json('POST', `/v1/keycafe/bookings/${mine.id}/cancel`, undefined, as)).status).toBe(404);
    expect((await w.api.json('POST', `/v1/keycafe/bookings/${mine.id}/retry`, undefined, as)).status).toBe(404);
    expect((await w.api.json('GET', '/v1/keycafe/bookings', undefined, as)).body).toEqual({ items: [], total: 0 });
    expect((await w.api.json('GET', '/v1/keycafe/keys', undefined, as)).body).toEqual({ items: [], total: 0 });
    expect((await w.api.json('GET', '/v1/keycafe/locations', undefined, as)).body).toEqual({ items: [], total: 0 });
    expect((await w.api.json('GET', `/v1/keycafe/keys?locationId=${w.locationId}`, undefined, as)).status).toBe(404);
    expect((await w.api.json('POST', `/v1/locations/${w.locationId}/keycafe/test`, undefined, as)).status).toBe(404);
    const foreign = await w.api.json('POST', '/v1/keycafe/bookings', oneTime(), as);
    expect(foreign.body.fieldErrors).toEqual([{ path: 'locationId', message: 'Location not found' }]);
    expect((await w.api.json('GET', '/v1/keycafe/bookings', undefined, { token: null })).status).toBe(401);
  });

  it('a location with Keycafe bookings cannot be deleted (409), so no booking loses its account', async () => {
    const res = await w.api.json('DELETE', `/v1/locations/${w.locationId}`);
    expect(res.status).toBe(409);
    expect((await w.api.json('GET', `/v1/locations/${w.locationId}`)).status).toBe(200);
  });

  it('documents its routes in the OpenAPI document', async () => {
    const doc = await w.api.json('GET', '/openapi.json', undefined, { token: null });
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/locations/{id}/keycafe/test', '/v1/keycafe/keys', '/v1/keycafe/locations', '/v1/keycafe/bookings', '/v1/keycafe/bookings/{id}', '/v1/keycafe/bookings/{id}/cancel', '/v1/keycafe/bookings/{id}/retry']),
    );
  });
});
});
