/** Bookings → Tapkey grants through the real API, the outbox and the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUnits, stableUuid } from '../../sandbox/demo-data.ts';
import { bookingDetailSchema, bookingSchema, errorBodySchema } from '../../lib/contract.ts';
import { activeInTapkey, createLocation, duplicatesInTapkey, grantState, lockOfUnit, setupUnits, startTapkeyWorld, type TapkeyTestWorld } from './helpers.ts';
import { waitUntil } from '../helpers/wait.ts';

let w: TapkeyTestWorld;
let locationId: string;
const units = demoUnits(12);
const u = (i: number) => units[i]!;

beforeAll(async () => {
  w = await startTapkeyWorld();
  locationId = await createLocation(w.api);
  expect((await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`)).status).toBe(200);
  await setupUnits(w.api, locationId, units.slice(0, 10));
  await setupUnits(w.api, locationId, units.slice(10), { map: false });
});
afterAll(() => w.close());

const put = (id: string, body: Record<string, unknown>) => w.api.json('PUT', `/v1/bookings/${id}`, { moveIn: '2026-03-01', state: 'active', ...body });

describe('a booking of a mapped unit in full mode', () => {
  it('gets exactly one Tapkey grant for the tenant email on the unit lock, valid move-in → move-out', async () => {
    const res = await put('B1', { unitExternalId: u(0).externalId, tenantEmail: 'Anna.Muller@Example.com', moveOut: '2027-08-31' });
    expect(res.status).toBe(201);
    expect(bookingSchema.parse(res.body)).toMatchObject({ externalId: 'B1', tenantEmail: 'anna.muller@example.com', unitExternalId: u(0).externalId });
    expect(['pending', 'active']).toContain(res.body.grant.state);

    const detail = bookingDetailSchema.parse(await grantState(w.api, 'B1', 'active'));
    const lock = lockOfUnit(u(0));
    expect(detail.grant).toMatchObject({
      lockId: lock,
      email: 'anna.muller@example.com',
      // Europe/Berlin: move-in day start (CET) and the day after move-out (CEST).
      validFrom: '2026-02-28T23:00:00.000Z',
      validBefore: '2027-08-31T22:00:00.000Z',
      tapkeyGrantId: expect.any(String),
    });
    expect(detail.access.status).toBe('active');
    const inTapkey = activeInTapkey(w.sb, 'anna.muller@example.com', lock);
    expect(inTapkey).toHaveLength(1);
    expect(inTapkey[0]).toMatchObject({ id: detail.grant!.tapkeyGrantId, validFrom: '2026-02-28T23:00:00.000Z', validBefore: '2027-08-31T22:00:00.000Z' });
    expect(detail.grantHistory.map((e) => [e.fromState, e.toState])).toEqual([
      [null, 'pending'],
      ['pending', 'active'],
    ]);

    // The "access ready" notice: tenant email, app links, the merge field version.
    expect(detail.notices).toHaveLength(1);
    const notice = detail.notices[0]!;
    expect(notice).toMatchObject({ kind: 'access_ready', email: 'anna.muller@example.com', unitName: u(0).name, mergeField: '{{booking.tenant_email}}' });
    expect(notice.text).toContain('anna.muller@example.com');
    expect(notice.text).toContain(notice.appStoreUrl);
    expect(notice.text).toContain(notice.playStoreUrl);
    expect(notice.template).toContain('{{booking.tenant_email}}');
    expect(notice.template).not.toContain('anna.muller@example.com');
    const de = await w.api.json('GET', '/v1/notices?bookingExternalId=B1&lang=de');
    expect(de.body.total).toBe(1);
    expect(de.body.items[0].subject).toContain('Ihr Zugang');

    const audit = await w.api.json('GET', '/v1/audit-events?entity=tapkey_grant&entityId=B1');
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual(['tapkey_grant.activated', 'tapkey_grant.requested']);
  });

  it('the same PUT again changes nothing and calls Tapkey not at all', async () => {
    const before = w.sb.calls.count();
    const res = await put('B1', { unitExternalId: u(0).externalId, tenantEmail: 'anna.muller@example.com', moveOut: '2027-08-31' });
    expect(res.status).toBe(200);
    expect(res.body.grant.state).toBe('active');
    await new Promise((r) => setTimeout(r, 200));
    expect(w.sb.calls.count()).toBe(before);
  });

  it('revoke and restore: the grant is revoked in Tapkey, then a new one is created', async () => {
    const lock = lockOfUnit(u(0));
    const first = (await w.api.json('GET', '/v1/bookings/B1')).body.grant.tapkeyGrantId;
    const rev = await w.api.json('POST', '/v1/bookings/B1/revoke');
    expect(rev.status).toBe(200);
    await grantState(w.api, 'B1', 'revoked');
    expect(activeInTapkey(w.sb, 'anna.muller@example.com', lock)).toHaveLength(0);
    expect(w.sb.state.grants.get(first)).toMatchObject({ state: 'Revoked', active: false });
    const revoked = await w.api.json('GET', '/v1/bookings/B1');
    expect(revoked.body.access).toMatchObject({ status: 'revoked', message: expect.stringContaining('revoked by hand') });

    // Revoking twice is harmless.
    expect((await w.api.json('POST', '/v1/bookings/B1/revoke')).status).toBe(200);

    const res = await w.api.json('POST', '/v1/bookings/B1/restore');
    expect(res.status).toBe(200);
    const restored = await grantState(w.api, 'B1', 'active');
    expect(restored.grant.tapkeyGrantId).not.toBe(first);
    expect(activeInTapkey(w.sb, 'anna.muller@example.com', lock)).toHaveLength(1);
    expect(restored.grantHistory.map((e: { toState: string }) => e.toState)).toEqual(['pending', 'active', 'pending', 'revoked', 'pending', 'active']);
    expect(restored.notices).toHaveLength(2);
  });

  it('a cancelled booking has its grant revoked', async () => {
    await put('B2', { unitExternalId: u(1).externalId, tenantEmail: 'lukas@example.com' });
    await grantState(w.api, 'B2', 'active');
    await put('B2', { unitExternalId: u(1).externalId, tenantEmail: 'lukas@example.com', state: 'cancelled' });
    const d = await grantState(w.api, 'B2', 'revoked');
    expect(d.access.status).toBe('revoked');
    expect(d.grant.reason).toContain('ended or was cancelled');
    expect(activeInTapkey(w.sb, 'lukas@example.com', lockOfUnit(u(1)))).toHaveLength(0);
  });

  it('a changed tenant email moves the grant to the new contact', async () => {
    await put('B3', { unitExternalId: u(2).externalId, tenantEmail: 'old@example.com' });
    await grantState(w.api, 'B3', 'active');
    await put('B3', { unitExternalId: u(2).externalId, tenantEmail: 'new@example.com' });
    await waitUntil('email moved', async () => {
      const g = (await w.api.json('GET', '/v1/bookings/B3')).body.grant;
      return g.state === 'active' && g.email === 'new@example.com';
    });
    expect(activeInTapkey(w.sb, 'old@example.com', lockOfUnit(u(2)))).toHaveLength(0);
    expect(activeInTapkey(w.sb, 'new@example.com', lockOfUnit(u(2)))).toHaveLength(1);
  });

  it('a longer stay replaces the grant with the new window, keeping exactly one', async () => {
    await put('B4', { unitExternalId: u(3).externalId, tenantEmail: 'stay@example.com', moveOut: '2027-06-30' });
    await grantState(w.api, 'B4', 'active');
    await put('B4', { unitExternalId: u(3).externalId, tenantEmail: 'stay@example.com', moveOut: '2027-12-31' });
    await waitUntil('window moved', async () => {
      const g = (await w.api.json('GET', '/v1/bookings/B4')).body.grant;
      return g.state === 'active' && g.validBefore === '2027-12-31T23:00:00.000Z';
    });
    const active = activeInTapkey(w.sb, 'stay@example.com', lockOfUnit(u(3)));
    expect(active).toHaveLength(1);
    expect(active[0]!.validBefore).toBe('2027-12-31T23:00:00.000Z');
  });
});

describe('mapping changes', () => {
  it('moving the unit to another lock moves the grant; deleting the mapping revokes it', async () => {
    await put('B5', { unitExternalId: u(4).externalId, tenantEmail: 'mover@example.com' });
    await grantState(w.api, 'B5', 'active', lockOfUnit(u(4)));
    // Unit 4 takes unit 10's lock (unit 10 is unmapped).
    const newLock = lockOfUnit(u(10));
    const m = await w.api.json('PUT', `/v1/units/${u(4).externalId}/mapping`, { lockId: newLock, replace: true });
    expect(m.status).toBe(200);
    const moved = await grantState(w.api, 'B5', 'active', newLock);
    expect(moved.grantHistory.some((e: { reason: string | null }) => e.reason?.startsWith('moved from lock'))).toBe(true);
    expect(activeInTapkey(w.sb, 'mover@example.com', lockOfUnit(u(4)))).toHaveLength(0);
    expect(activeInTapkey(w.sb, 'mover@example.com', newLock)).toHaveLength(1);

    expect((await w.api.fetch(`/v1/units/${u(4).externalId}/mapping`, { method: 'DELETE' })).status).toBe(204);
    const gone = await grantState(w.api, 'B5', 'revoked');
    expect(gone.grant.reason).toContain('not mapped');
    expect(activeInTapkey(w.sb, 'mover@example.com', newLock)).toHaveLength(0);
  });

  it('a lock taken over by another unit (replace) moves both units\' grants', async () => {
    await put('B6', { unitExternalId: u(5).externalId, tenantEmail: 'five@example.com' });
    await put('B7', { unitExternalId: u(11).externalId, tenantEmail: 'eleven@example.com' });
    await grantState(w.api, 'B6', 'active');
    expect((await w.api.json('GET', '/v1/bookings/B7')).body.access.status).toBe('unit_not_mapped');
    // Unit 11 takes unit 5's lock: B6 loses access, B7 gains it.
    const lock5 = lockOfUnit(u(5));
    expect((await w.api.json('PUT', `/v1/units/${u(11).externalId}/mapping`, { lockId: lock5, replace: true })).status).toBe(200);
    await grantState(w.api, 'B6', 'revoked');
    await grantState(w.api, 'B7', 'active', lock5);
    expect(activeInTapkey(w.sb, 'five@example.com', lock5)).toHaveLength(0);
    expect(activeInTapkey(w.sb, 'eleven@example.com', lock5)).toHaveLength(1);
  });
});

describe('no grant, and why', () => {
  it('explains a booking without email, an unmapped unit and a future trigger', async () => {
    const noEmail = await put('B8', { unitExternalId: u(6).externalId });
    expect(noEmail.body).toMatchObject({ grant: null, access: { status: 'no_email' } });
    const unmapped = await put('B9', { unitExternalId: u(10).externalId, tenantEmail: 'x@example.com' });
    expect(unmapped.body.access.status).toBe('unit_not_mapped');
    const gradual = await createLocation(w.api, { name: 'Gradual site', syncMode: 'gradual', accessTrigger: 'move_in_reached' });
    await setupUnits(w.api, gradual, [u(7)], { map: false, prefix: 'G-' });
    expect((await w.api.json('PUT', `/v1/units/G-${u(7).externalId}/mapping`, { lockId: stableUuid('lock:Main entrance') })).status).toBe(201);
    // Gradual mode manages bookings made after the connection; this one was made before it.
    const off = await put('B10', { unitExternalId: `G-${u(7).externalId}`, tenantEmail: 'g@example.com', moveIn: '2099-01-01', bookedAt: '2020-01-01T00:00:00Z' });
    expect(off.body.access.status).toBe('sync_off');
    const on = await put('B10', { unitExternalId: `G-${u(7).externalId}`, tenantEmail: 'g@example.com', moveIn: '2099-01-01', syncEnabled: true });
    expect(on.body.syncEnabled).toBe(true);
    expect(on.body.access.status).toBe('waiting_for_move_in');
    const detail = await w.api.json('GET', '/v1/bookings/B10');
    expect(detail.body.nextTrigger).toEqual({ kind: 'move_in', dueAt: '2098-12-31T23:00:00.000Z' });
    // Omitting syncEnabled keeps it.
    expect((await put('B10', { unitExternalId: `G-${u(7).externalId}`, tenantEmail: 'g@example.com', moveIn: '2099-01-01' })).body.syncEnabled).toBe(true);
    const list = await w.api.json('GET', '/v1/bookings?grantState=none&limit=50');
    expect(list.body.items.map((b: { externalId: string }) => b.externalId)).toEqual(expect.arrayContaining(['B10', 'B8', 'B9']));
  });

  it('gradual mode: switching sync on for one booking grants it, switching off revokes it', async () => {
    const gradual = await createLocation(w.api, { name: 'Gradual now', syncMode: 'gradual' });
    await w.api.json('PUT', '/v1/units/GR-1', { name: 'GR-1', locationId: gradual });
    const lock = stableUuid('lock:Loading bay');
    expect((await w.api.json('PUT', '/v1/units/GR-1/mapping', { lockId: lock })).status).toBe(201);
    expect((await put('B20', { unitExternalId: 'GR-1', tenantEmail: 'gradual@example.com' })).body.access.status).toBe('sync_off');
    const on = await w.api.json('PATCH', '/v1/bookings/B20', { syncEnabled: true });
    expect(on.status).toBe(200);
    expect(on.body.syncEnabled).toBe(true);
    await grantState(w.api, 'B20', 'active', lock);
    expect(activeInTapkey(w.sb, 'gradual@example.com', lock)).toHaveLength(1);
    await w.api.json('PATCH', '/v1/bookings/B20', { syncEnabled: false });
    const off = await grantState(w.api, 'B20', 'revoked');
    expect(off.grant.reason).toContain('sync is off');
    expect(activeInTapkey(w.sb, 'gradual@example.com', lock)).toHaveLength(0);
    expect((await w.api.json('PATCH', '/v1/bookings/B20', { syncEnabled: 'yes' })).status).toBe(400);
    expect((await w.api.json('PATCH', '/v1/bookings/nope', { syncEnabled: true })).status).toBe(404);
  });

  it('a Tapkey refusal fails the grant visibly, with the reason', async () => {
    // A captured lock Tapkey does not know (never bound): creating the grant answers 404.
    const ghost = '0f0f0f0f-1111-4222-8333-444444444444';
    expect((await w.api.json('POST', '/v1/locks/captured', { locks: [{ id: ghost, title: 'Ghost', pageUrl: `https://portal.example/locks/${ghost}`, locationId }] })).status).toBeLessThan(300);
    expect((await w.api.json('PUT', `/v1/units/${u(8).externalId}/mapping`, { lockId: ghost, replace: true })).status).toBeLessThan(300);
    await put('B11', { unitExternalId: u(8).externalId, tenantEmail: 'ghost@example.com' });
    const failed = await grantState(w.api, 'B11', 'failed');
    expect(failed.grant.reason).toContain('Tapkey does not know');
    expect(failed.access).toMatchObject({ status: 'failed', message: expect.stringContaining('Tapkey does not know') });
    const audit = await w.api.json('GET', '/v1/audit-events?entity=tapkey_grant&entityId=B11');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('tapkey_grant.failed');
  });
});

describe('crash safety', () => {
  it('a grant created in Tapkey whose answer was lost is found and adopted, never created twice', async () => {
    w.sb.faults.add({ kind: 'status', status: 500, endpoint: 'grants.create', after: true, times: 1 });
    w.sb.faults.add({ kind: 'drop', endpoint: 'grants.create', after: true, times: 1 });
    const createsBefore = w.sb.calls.count('grants.create');
    await put('B12', { unitExternalId: u(9).externalId, tenantEmail: 'lost@example.com' });
    const d = await grantState(w.api, 'B12', 'active');
    expect(w.sb.calls.count('grants.create') - createsBefore).toBe(1);
    expect(activeInTapkey(w.sb, 'lost@example.com', lockOfUnit(u(9)))).toEqual([expect.objectContaining({ id: d.grant.tapkeyGrantId })]);
    expect(d.grantHistory.at(-1).reason).toBe('found in Tapkey');
    expect(duplicatesInTapkey(w.sb)).toEqual([]);
  });
});

describe('reference', () => {
  it('documents every Tapkey route in /openapi.json', async () => {
    const doc = (await w.api.json('GET', '/openapi.json', undefined, { token: null })).body;
    const routes: [string, string][] = [
      ['put', '/v1/bookings/{externalId}'],
      ['get', '/v1/bookings/{externalId}'],
      ['patch', '/v1/bookings/{externalId}'],
      ['get', '/v1/bookings'],
      ['post', '/v1/bookings/{externalId}/revoke'],
      ['post', '/v1/bookings/{externalId}/restore'],
      ['get', '/v1/notices'],
      ['post', '/v1/locations/{id}/tapkey/test'],
      ['post', '/v1/locations/{id}/tapkey/import-locks'],
      ['post', '/v1/locations/{id}/sync-runs'],
      ['get', '/v1/locations/{id}/sync-runs'],
      ['get', '/v1/sync-runs/{id}'],
      ['post', '/v1/sync-runs/{id}/revoke-unexplained'],
    ];
    for (const [method, path] of routes) expect(doc.paths[path]?.[method]?.summary, `${method} ${path}`).toBeTruthy();
  });
});

describe('bad input', () => {
  it('answers the contract error body with field paths, and 404 for unknown or foreign bookings', async () => {
    const unknownUnit = await put('BX', { unitExternalId: 'nope', tenantEmail: 'a@example.com' });
    expect(unknownUnit.status).toBe(400);
    expect(errorBodySchema.parse(unknownUnit.body).fieldErrors).toEqual([{ path: 'unitExternalId', message: expect.stringContaining('No unit nope') }]);
    const bad = await put('BX', { unitExternalId: u(0).externalId, tenantEmail: 'not-an-email', moveIn: '2026-05-01', moveOut: '2026-04-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors.map((f: { path: string }) => f.path).sort()).toEqual(['moveOut', 'tenantEmail']);
    expect((await w.api.json('GET', '/v1/bookings/BX')).status).toBe(404);
    const other = await w.api.newOrg();
    expect((await w.api.json('GET', '/v1/bookings/B1', undefined, { token: other.token })).status).toBe(404);
    expect((await w.api.json('POST', '/v1/bookings/B1/revoke', undefined, { token: other.token })).status).toBe(404);
    expect((await w.api.json('GET', '/v1/bookings', undefined, { token: other.token })).body).toEqual({ items: [], total: 0 });
  });
});
