import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locks } from '../../server/db/schema/index.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

let api: TestApi;
let siteA: string;
let siteB: string;
beforeAll(async () => {
  api = await startTestApi();
  siteA = (await api.json('POST', '/v1/locations', { name: 'Site A' })).body.id;
  siteB = (await api.json('POST', '/v1/locations', { name: 'Site B' })).body.id;
});
afterAll(() => api?.close());

const lockId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const page = (id: string) => `https://portal.tapkey.io/owners/1/locks/${id}`;

describe('units', () => {
  it('PUT creates (201), updates (200) and leaves an identical unit unchanged (200, no audit)', async () => {
    const created = await api.json('PUT', '/v1/units/U-100', { name: 'A-01', locationId: siteA });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ externalId: 'U-100', name: 'A-01', locationId: siteA });

    const same = await api.json('PUT', '/v1/units/U-100', { name: 'A-01' });
    expect(same.status).toBe(200);
    expect(same.body).toEqual(created.body);

    const renamed = await api.json('PUT', '/v1/units/U-100', { name: 'A-01 (large)' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: created.body.id, name: 'A-01 (large)', locationId: siteA });

    const cleared = await api.json('PUT', '/v1/units/U-100', { name: 'A-01 (large)', locationId: null });
    expect(cleared.body.locationId).toBeNull();

    const events = (await api.json('GET', '/v1/audit-events?entity=unit&entityId=U-100')).body.items;
    expect(events.map((e: any) => e.action)).toEqual(['unit.updated', 'unit.updated', 'unit.created']);
    expect(events[1]).toMatchObject({ before: { name: 'A-01' }, after: { name: 'A-01 (large)' }, actor: 'token:test' });
  });

  it('external ids with spaces and slashes work when percent-encoded', async () => {
    const id = 'Block C/12 ü';
    const res = await api.json('PUT', `/v1/units/${encodeURIComponent(id)}`, { name: 'C-12' });
    expect(res.status).toBe(201);
    expect(res.body.externalId).toBe(id);
    expect((await api.json('GET', `/v1/units/${encodeURIComponent(id)}`)).body.name).toBe('C-12');
  });

  it('GET of an unknown unit is 404', async () => {
    const res = await api.json('GET', '/v1/units/NOPE');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'Unit not found' }, fieldErrors: [] });
  });

  it('searches names case-insensitively, filters by location, pages with a total', async () => {
    for (let i = 1; i <= 12; i++) await api.json('PUT', `/v1/units/S-${i}`, { name: `Storage ${String(i).padStart(2, '0')}`, locationId: i % 2 ? siteA : siteB });
    await api.json('PUT', '/v1/units/W-1', { name: '50%_off' });

    const search = await api.json('GET', '/v1/units?search=sToRaGe');
    expect(search.body.total).toBe(12);
    expect(search.body.items.map((u: any) => u.name)).toEqual(Array.from({ length: 12 }, (_, i) => `Storage ${String(i + 1).padStart(2, '0')}`));

    const bySite = await api.json('GET', `/v1/units?search=storage&locationId=${siteB}`);
    expect(bySite.body.total).toBe(6);
    expect(bySite.body.items.every((u: any) => u.locationId === siteB)).toBe(true);

    const paged = await api.json('GET', '/v1/units?search=storage&limit=5&offset=10');
    expect(paged.body.total).toBe(12);
    expect(paged.body.items.map((u: any) => u.name)).toEqual(['Storage 11', 'Storage 12']);

    // LIKE wildcards in the search are literal characters.
    expect((await api.json('GET', `/v1/units?search=${encodeURIComponent('%_')}`)).body.items.map((u: any) => u.name)).toEqual(['50%_off']);
    expect((await api.json('GET', '/v1/units?search=s-1')).body.total).toBeGreaterThanOrEqual(4);
  });
});

describe('captured locks', () => {
  it('creates one lock, then reports it unchanged, then updated', async () => {
    const one = { id: lockId(1), title: 'Unit A-01', pageUrl: page(lockId(1)) };
    const first = await api.json('POST', '/v1/locks/captured', { locks: [one] });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    expect(first.body.locks[0]).toMatchObject({ id: lockId(1), title: 'Unit A-01', source: 'captured', capturedUrl: page(lockId(1)), locationId: null });

    expect((await api.json('POST', '/v1/locks/captured', { locks: [one] })).body).toMatchObject({ created: 0, updated: 0, unchanged: 1 });

    const moved = await api.json('POST', '/v1/locks/captured', { locks: [{ ...one, title: 'A01 door', locationId: siteA }] });
    expect(moved.body).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect(moved.body.locks[0]).toMatchObject({ title: 'A01 door', locationId: siteA });

    const events = (await api.json('GET', `/v1/audit-events?entity=lock&entityId=${lockId(1)}`)).body.items;
    expect(events.map((e: any) => e.action)).toEqual(['lock.updated', 'lock.captured']);
    expect(events[0]).toMatchObject({ before: { title: 'Unit A-01' }, after: { title: 'A01 door' } });
  });

  it('captures many at once, counting each lock once, with upper-case ids normalised', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ id: lockId(100 + i), title: `Lock ${i}`, pageUrl: page(lockId(100 + i)) }));
    const res = await api.json('POST', '/v1/locks/captured', {
      locks: [...many, { ...many[0]!, id: many[0]!.id.toUpperCase(), title: 'Lock 0 (again)' }, { id: lockId(1), title: '', pageUrl: page(lockId(1)) }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 30, updated: 0, unchanged: 1 });
    expect(res.body.locks).toHaveLength(31);
    expect(res.body.locks[0]).toMatchObject({ id: lockId(100), title: 'Lock 0 (again)' });
  });

  it('never replaces a known title with an empty one, and keeps the Tapkey source', async () => {
    const id = lockId(500);
    await api.database.db.insert(locks).values({ organizationId: api.orgId, id, title: 'Main entrance', source: 'tapkey', locationId: siteB });
    const res = await api.json('POST', '/v1/locks/captured', { locks: [{ id, title: '   ', pageUrl: page(id), locationId: siteA }] });
    expect(res.body).toMatchObject({ created: 0, updated: 1 });
    // The page URL is new; the title, source and the location Tapkey gave stay.
    expect(res.body.locks[0]).toMatchObject({ title: 'Main entrance', source: 'tapkey', locationId: siteB, capturedUrl: page(id) });
  });

  it('an invalid item rejects the whole request with field paths, writing nothing', async () => {
    const before = (await api.json('GET', '/v1/locks')).body.total;
    const res = await api.json('POST', '/v1/locks/captured', {
      locks: [
        { id: lockId(900), title: 'fine', pageUrl: page(lockId(900)) },
        { id: 'not-a-uuid', title: 'x', pageUrl: 'nope' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.fieldErrors).toEqual([
      { path: 'locks.1.id', message: 'Must be a Tapkey lock ID (a UUID)' },
      { path: 'locks.1.pageUrl', message: expect.any(String) },
    ]);
    expect((await api.json('GET', '/v1/locks')).body.total).toBe(before);

    const unknownSite = await api.json('POST', '/v1/locks/captured', {
      locks: [
        { id: lockId(901), pageUrl: page(lockId(901)) },
        { id: lockId(902), pageUrl: page(lockId(902)), locationId: '11111111-1111-4111-8111-111111111111' },
      ],
    });
    expect(unknownSite.status).toBe(400);
    expect(unknownSite.body.fieldErrors).toEqual([{ path: 'locks.1.locationId', message: 'No such location in your organization' }]);
    expect((await api.json('GET', `/v1/locks/${lockId(901)}`)).status).toBe(404);
  });

  it('limits a capture to 1,000 locks and needs at least one', async () => {
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ id: lockId(10_000 + i), pageUrl: 'https://portal.tapkey.io/' }));
    expect((await api.json('POST', '/v1/locks/captured', { locks: tooMany })).body.fieldErrors).toEqual([{ path: 'locks', message: 'At most 1,000 locks at once' }]);
    expect((await api.json('POST', '/v1/locks/captured', { locks: [] })).body.fieldErrors).toEqual([{ path: 'locks', message: 'At least one lock' }]);
  });

  it('lists locks filtered by search, source, mapped state and location', async () => {
    await api.json('PUT', '/v1/units/M-1', { name: 'Mapped unit' });
    await api.json('PUT', '/v1/units/M-1/mapping', { lockId: lockId(101) });

    const all = (await api.json('GET', '/v1/locks?limit=1000')).body;
    const mapped = (await api.json('GET', '/v1/locks?mapped=true')).body;
    const unmapped = (await api.json('GET', '/v1/locks?mapped=false&limit=1000')).body;
    expect(mapped.items.map((l: any) => l.id)).toEqual([lockId(101)]);
    expect(unmapped.total).toBe(all.total - 1);

    expect((await api.json('GET', '/v1/locks?source=tapkey')).body.items.map((l: any) => l.id)).toEqual([lockId(500)]);
    expect((await api.json('GET', '/v1/locks?search=MAIN ENT')).body.items.map((l: any) => l.title)).toEqual(['Main entrance']);
    expect((await api.json('GET', `/v1/locks?search=${lockId(1).slice(-6)}`)).body.items.map((l: any) => l.id)).toContain(lockId(1));
    expect((await api.json('GET', `/v1/locks?locationId=${siteA}`)).body.items.map((l: any) => l.id)).toEqual([lockId(1)]);
    const p = (await api.json('GET', '/v1/locks?limit=2&offset=1')).body;
    expect(p.items).toHaveLength(2);
    expect(p.items[0].id).toBe(all.items[1].id);
  });

  it('GET /v1/locks/{lockId} accepts any case and 404s for unknown locks', async () => {
    expect((await api.json('GET', `/v1/locks/${lockId(1).toUpperCase()}`)).body.id).toBe(lockId(1));
    expect((await api.json('GET', `/v1/locks/${lockId(77777)}`)).status).toBe(404);
  });
});
