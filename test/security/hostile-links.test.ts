/**
 * Links a click would run: a Keycafe check-in link or a captured page address with a
 * `javascript:` (or `data:`, `vbscript:`, credential look-alike …) URL. The schemas take https
 * only (lib/safe-url.ts): the API refuses such a page address, the Keycafe answer keeps its
 * access and drops only the link, and a stored link never leaves the API. The renderer's own
 * check: hostile-links-render.test.tsx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedLockInput, keycafeAccessSchema } from '../../lib/contract.ts';
import { capturedLockSchema } from '../../lib/messages.ts';
import { safeLinkUrl } from '../../lib/safe-url.ts';
import { toKeycafeBooking, type AccessRow, type KeycafeBookingRow } from '../../server/keycafe/bookings.ts';
import { keycafeApiAccess } from '../../server/keycafe/api-schemas.ts';
import { locks } from '../../server/db/schema/index.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { HOSTILE_URLS } from './hostile-urls.ts';

const LOCK_ID = '0c7f4d6e-8a3b-4c2d-9e1f-5a6b7c8d9e0f';

describe('the link rule (lib/safe-url.ts)', () => {
  it('refuses every scheme but https (plain http only to this machine)', () => {
    for (const url of HOSTILE_URLS) expect(safeLinkUrl(url), url).toBeNull();
    expect(safeLinkUrl(42)).toBeNull();
    expect(safeLinkUrl(null)).toBeNull();
    expect(safeLinkUrl('https://www.keycafe.com/checkin/abc')).toBe('https://www.keycafe.com/checkin/abc');
    expect(safeLinkUrl('http://127.0.0.1:4010/checkin/abc')).toBe('http://127.0.0.1:4010/checkin/abc');
  });
});

describe('schemas', () => {
  it('the contract refuses such a check-in link and such a captured page address', () => {
    const access = { keyId: '1', keyName: 'K', state: 'active', reason: null, keycafeAccessId: 'a', bookingCode: '123456', addedBySync: false, updatedAt: '2030-01-01T00:00:00.000Z' };
    for (const url of HOSTILE_URLS) {
      expect(keycafeAccessSchema.safeParse({ ...access, checkinLink: url }).success, url).toBe(false);
      expect(capturedLockInput.safeParse({ id: LOCK_ID, title: 'Door', pageUrl: url }).success, url).toBe(false);
      expect(capturedLockSchema.safeParse({ id: LOCK_ID, title: 'Door', pageUrl: url }).success, url).toBe(false);
    }
    expect(keycafeAccessSchema.safeParse({ ...access, checkinLink: 'https://www.keycafe.com/c/1' }).success).toBe(true);
    expect(capturedLockInput.safeParse({ id: LOCK_ID, pageUrl: 'https://my.tapkey.com/owners/1/locks/2' }).success).toBe(true);
  });

  it('a Keycafe answer with such a link keeps the access and its code, without the link', () => {
    for (const url of HOSTILE_URLS) {
      const parsed = keycafeApiAccess.safeParse({ id: 77, bookingCode: 482913, checkinLink: url, key: { id: 10001, name: 'A-01' }, user: { id: 5, email: 'v@example.com' } });
      expect(parsed.success, url).toBe(true);
      expect(parsed.data).toMatchObject({ id: '77', bookingCode: '482913', checkinLink: null });
    }
    expect(keycafeApiAccess.parse({ id: 1, checkinLink: 'https://www.keycafe.com/c/1', key: { id: 1 }, user: {} }).checkinLink).toBe('https://www.keycafe.com/c/1');
  });

  it('a link stored before it was checked never leaves the API', () => {
    const now = new Date('2030-01-01T00:00:00.000Z');
    const row = { id: 'b', locationId: 'l', type: 'ongoing', allKeys: false, recipientEmail: 'v@example.com', recipientMobile: null, locale: 'en', name: null, timeZone: null, startsAt: null, endsAt: null, returnReminder: false, reminder: null, startLocal: null, endLocal: null, requireVisitorId: false, visitors: 1, photoVerification: false, state: 'active', createdAt: now, updatedAt: now } as unknown as KeycafeBookingRow;
    const access = { keyId: '1', keyName: 'K', state: 'active', reason: null, keycafeAccessId: 'a', bookingCode: '123456', checkinLink: 'javascript:alert(1)', addedBySync: false, updatedAt: now } as unknown as AccessRow;
    const out = toKeycafeBooking(row, [access]);
    expect(out.accesses[0]).toMatchObject({ bookingCode: '123456', checkinLink: null });
    expect(keycafeAccessSchema.safeParse(out.accesses[0]).success).toBe(true);
  });
});

describe('the API', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('refuses a captured lock whose page address is not https, and stores nothing', async () => {
    for (const pageUrl of ['javascript:alert(1)', 'data:text/html,x', 'http://portal.evil.example/locks/1']) {
      const r = await api.json('POST', '/v1/locks/captured', { locks: [{ id: LOCK_ID, title: 'Door', pageUrl }] });
      expect(r.status, pageUrl).toBe(400);
      expect(r.body.fieldErrors.map((f: { path: string }) => f.path)).toContain('locks.0.pageUrl');
    }
    expect((await api.json('GET', '/v1/locks')).body.items).toEqual([]);
  });

  it('never answers a page address stored before it was checked', async () => {
    await api.database.db.insert(locks).values({ organizationId: api.orgId, id: LOCK_ID, title: 'Door', source: 'captured', capturedUrl: 'javascript:alert(1)' });
    const list = await api.json('GET', '/v1/locks');
    expect(list.body.items).toEqual([expect.objectContaining({ id: LOCK_ID, capturedUrl: null })]);
    expect((await api.json('GET', `/v1/locks/${LOCK_ID}`)).body.capturedUrl).toBeNull();
  });
});
