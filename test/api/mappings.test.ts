import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mappingConflictSchema, mappingSchema } from '../../lib/contract.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

let api: TestApi;
let site: string;
const L = (n: number) => `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, '0')}`;

beforeAll(async () => {
  api = await startTestApi();
  site = (await api.json('POST', '/v1/locations', { name: 'Site' })).body.id;
  for (let i = 1; i <= 8; i++) await api.json('PUT', `/v1/units/U${i}`, { name: `A-0${i}`, locationId: i <= 4 ? site : null });
  await api.json('POST', '/v1/locks/captured', {
    locks: Array.from({ length: 8 }, (_, i) => ({ id: L(i + 1), title: `Lock ${i + 1}`, pageUrl: `https://portal.tapkey.io/locks/${L(i + 1)}` })),
  });
});
afterAll(() => api?.close());

const put = (unit: string, lockId: string, replace?: boolean) =>
  api.json('PUT', `/v1/units/${unit}/mapping`, replace === undefined ? { lockId } : { lockId, replace });
const mappingOf = async (unit: string) => (await api.json('GET', `/v1/mappings?unitExternalId=${unit}`)).body.items[0] ?? null;
const auditOf = async (unit: string) => (await api.json('GET', `/v1/audit-events?entity=mapping&entityId=${unit}`)).body.items;

describe('mappings', () => {
  it('PUT creates (201) with both ends; the same PUT again is 200 and changes nothing', async () => {
    const created = await put('U1', L(1));
    expect(created.status).toBe(201);
    expect(mappingSchema.parse(created.body)).toEqual(created.body);
    expect(created.body).toMatchObject({ lockId: L(1), unit: { externalId: 'U1', name: 'A-01' }, lock: { id: L(1), title: 'Lock 1' } });

    const again = await put('U1', L(1).toUpperCase());
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    expect((await put('U1', L(1), true)).status).toBe(200);
    expect(await auditOf('U1')).toHaveLength(1);
  });

  it('409 when the lock is mapped to another unit, with the conflicting mapping in details', async () => {
    const res = await put('U2', L(1));
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'conflict', message: expect.stringContaining('already mapped to unit A-01 (U1)') });
    expect(res.body.fieldErrors).toEqual([]);
    const details = mappingConflictSchema.parse(res.body.details);
    expect(details.unitMappedTo).toBeNull();
    expect(details.lockMappedTo).toMatchObject({ lockId: L(1), unit: { externalId: 'U1' } });
    expect(await mappingOf('U2')).toBeNull();
  });

  it('409 when the unit is mapped to another lock; both conflicts at once are both reported', async () => {
    await put('U2', L(2));
    const unitTaken = await put('U1', L(3));
    expect(unitTaken.status).toBe(409);
    expect(unitTaken.body.details.lockMappedTo).toBeNull();
    expect(unitTaken.body.details.unitMappedTo).toMatchObject({ lockId: L(1), unit: { externalId: 'U1' } });

    const both = await put('U1', L(2));
    expect(both.status).toBe(409);
    expect(both.body.details.unitMappedTo).toMatchObject({ lockId: L(1) });
    expect(both.body.details.lockMappedTo).toMatchObject({ lockId: L(2), unit: { externalId: 'U2' } });
    expect(both.body.error.message).toMatch(/lock .* and unit .*replace/);
    expect((await mappingOf('U1')).lockId).toBe(L(1));
    expect((await mappingOf('U2')).lockId).toBe(L(2));
  });

  it('replace: true moves the lock and the unit atomically (200) and audits both sides', async () => {
    const res = await put('U1', L(2), true);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ lockId: L(2), unit: { externalId: 'U1' } });
    expect((await mappingOf('U1')).lockId).toBe(L(2));
    expect(await mappingOf('U2')).toBeNull();
    const total = (await api.json('GET', '/v1/mappings')).body.total;
    expect(total).toBe(1);

    const u1 = await auditOf('U1');
    expect(u1[0]).toMatchObject({ action: 'mapping.replaced', before: { lockId: L(1) }, after: { lockId: L(2) } });
    const u2 = await auditOf('U2');
    expect(u2[0]).toMatchObject({ action: 'mapping.deleted', before: { lockId: L(2), unit: { externalId: 'U2' } }, after: null });
  });

  it('replace of a free unit onto a taken lock answers 200 and frees the other unit', async () => {
    const res = await put('U3', L(2), true);
    expect(res.status).toBe(200);
    expect(await mappingOf('U1')).toBeNull();
    expect((await mappingOf('U3')).lockId).toBe(L(2));
  });

  it('unknown unit or lock is 404 with a message saying what to do', async () => {
    const noUnit = await put('NOPE', L(4));
    expect(noUnit.status).toBe(404);
    expect(noUnit.body.error.message).toMatch(/Unit NOPE not found: create it first/);
    const noLock = await put('U4', 'bbbbbbbb-0000-4000-8000-000000000000');
    expect(noLock.status).toBe(404);
    expect(noLock.body.error.message).toMatch(/capture it from its Tapkey portal page or import/);
    expect(noLock.body.fieldErrors).toEqual([{ path: 'lockId', message: 'Unknown lock' }]);
  });

  it('DELETE removes the mapping (204), then 404; the lock becomes free', async () => {
    await put('U5', L(5));
    const del = await api.fetch('/v1/units/U5/mapping', { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(await mappingOf('U5')).toBeNull();
    const again = await api.json('DELETE', '/v1/units/U5/mapping');
    expect(again.status).toBe(404);
    expect(again.body.error.message).toBe('Unit U5 has no mapping');
    expect((await api.json('DELETE', '/v1/units/NOPE/mapping')).body.error.message).toBe('Unit NOPE not found');
    expect((await put('U6', L(5))).status).toBe(201);
    expect((await auditOf('U5'))[0]).toMatchObject({ action: 'mapping.deleted', before: { lockId: L(5) }, after: null });
  });

  it('lists with filters by unit, lock and location', async () => {
    await put('U4', L(4));
    await put('U7', L(7));
    const all = (await api.json('GET', '/v1/mappings')).body;
    expect(all.items.map((m: any) => m.unit.externalId)).toEqual(['U3', 'U4', 'U6', 'U7']);
    expect((await api.json('GET', `/v1/mappings?lockId=${L(7)}`)).body.items.map((m: any) => m.unit.externalId)).toEqual(['U7']);
    expect((await api.json('GET', `/v1/mappings?locationId=${site}`)).body.items.map((m: any) => m.unit.externalId)).toEqual(['U3', 'U4']);
    expect((await api.json('GET', '/v1/mappings?limit=1&offset=1')).body).toMatchObject({ total: 4, items: [{ unit: { externalId: 'U4' } }] });
  });

  it('concurrent PUTs of one lock to different units: exactly one wins, the rest get 409', async () => {
    const results = await Promise.all(['U8', 'U1', 'U5'].map((u) => put(u, L(8))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect((await api.json('GET', `/v1/mappings?lockId=${L(8)}`)).body.total).toBe(1);
  });
});
