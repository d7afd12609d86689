/**
 * The background's side of the bookings intake and of location consistency, against the real
 * API over HTTP: "Capture all bookings on this page" reaches the batch intake (idempotent), the
 * lock list a unit's mapping dialog gets holds only its location's locks, and the portal asks
 * which of a URL's bare UUIDs are known locks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LockChoice } from '../../lib/messages.ts';
import { stableUuid } from '../../sandbox/demo-data.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { answer, ask, startBackgroundWithDemoManager } from '../helpers/background.ts';

const DEMO = 'http://127.0.0.1:4100';
const LOCK = (n: number) => stableUuid(`bookings-bg-lock:${n}`);

let api: TestApi;
let here: string;
let there: string;
const listPage = { id: 'test-extension-id', url: `${DEMO}/bookings`, tab: { id: 3 } };
const portalPage = { id: 'test-extension-id', url: 'https://my.tapkey.com/x', tab: { id: 4 } };

const ok = <T>(message: unknown, sender: object = listPage) => answer<T>(message, sender);

beforeAll(async () => {
  api = await startTestApi();
  here = (await api.json('POST', '/v1/locations', { name: 'Here' })).body.id;
  there = (await api.json('POST', '/v1/locations', { name: 'There' })).body.id;
  const locks = [1, 2, 3].map((i) => ({ id: LOCK(i), title: `Lock ${i}`, pageUrl: `https://my.tapkey.com/#/locks/${LOCK(i)}`, locationId: i === 3 ? there : here }));
  expect((await api.json('POST', '/v1/locks/captured', { locks })).status).toBe(200);
  for (let i = 0; i < 50; i++) expect((await api.json('PUT', `/v1/units/U${i}`, { name: `A-${i}`, locationId: here })).status).toBeLessThan(300);
});
afterAll(() => api?.close());

beforeEach(() => startBackgroundWithDemoManager(api, DEMO));

describe('capture all bookings on a list page', () => {
  it('creates 50, and capturing the same page again changes 0', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ externalId: `B${i}`, unitExternalId: `U${i}`, tenantEmail: `t${i}@example.com`, tenantPhone: null, moveIn: '2026-03-01', moveOut: null, state: i % 2 ? 'active' : null }));
    expect(await ok({ type: 'captureBookings', bookings: rows })).toEqual({ result: { total: 50, created: 50, changed: 0, unchanged: 0, refused: [] } });
    expect(await ok({ type: 'captureBookings', bookings: rows })).toEqual({ result: { total: 50, created: 0, changed: 0, unchanged: 50, refused: [] } });
    expect((await api.json('GET', '/v1/bookings?limit=100')).body.total).toBe(50);
  });

  it('is refused to portal pages, and a booking without a state on the page keeps its stored one', async () => {
    const refused = await ask({ type: 'captureBookings', bookings: [{ externalId: 'B0', unitExternalId: 'U0', tenantEmail: null, tenantPhone: null, moveIn: '2026-03-01', moveOut: null, state: null }] }, portalPage);
    expect(refused).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    await api.json('PATCH', '/v1/bookings/B3', { state: 'ended' });
    const page = await ok<{ booking: { state: string } }>({
      type: 'pushBooking',
      booking: { externalId: 'B3', unitExternalId: 'U3', tenantName: null, tenantEmail: 't3@example.com', tenantPhone: null, moveIn: '2026-03-01', moveOut: null, state: null },
    });
    expect(page.booking.state).toBe('ended');
    // A page saying "active" about an ended booking does not make it active: restore is explicit.
    const active = await ask({ type: 'pushBooking', booking: { externalId: 'B3', unitExternalId: 'U3', tenantName: null, tenantEmail: 't3@example.com', tenantPhone: null, moveIn: '2026-03-01', moveOut: null, state: 'active' } }, listPage);
    expect(active).toMatchObject({ ok: false, error: { status: 409, code: 'conflict', message: expect.stringContaining('/restore') } });
  });
});

describe('location consistency', () => {
  it("the lock list for a unit's mapping dialog holds only its location's locks", async () => {
    const all = await ok<{ items: LockChoice[] }>({ type: 'listLocks' });
    expect(all.items.map((l) => l.id).sort()).toEqual([LOCK(1), LOCK(2), LOCK(3)].sort());
    const forUnit = await ok<{ items: LockChoice[] }>({ type: 'listLocks', unitExternalId: 'U1' });
    expect(forUnit.items.map((l) => l.id).sort()).toEqual([LOCK(1), LOCK(2)].sort());
  });

  it('tells the portal which bare UUIDs are known locks', async () => {
    const other = '5c1d2e3f-4a5b-4c6d-8e7f-90a1b2c3d4e5';
    expect(await ok({ type: 'knownLocks', ids: [other, LOCK(2)] }, portalPage)).toEqual({ known: [LOCK(2)] });
  });
});
