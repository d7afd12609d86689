/** A full sync run: what it grants, its progress, its report, and revoking unexplained grants. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUnits } from '../../sandbox/demo-data.ts';
import { syncRunSchema } from '../../lib/contract.ts';
import { activeInTapkey, createLocation, duplicatesInTapkey, lockOfUnit, setupUnits, startTapkeyWorld, type TapkeyTestWorld } from './helpers.ts';
import { grantByHand as grantToState } from '../helpers/tapkey-grants.ts';
import { waitUntil } from '../helpers/wait.ts';

let w: TapkeyTestWorld;
let locationId: string;
const units = demoUnits(12);
const u = (i: number) => units[i]!;

/** A grant made in Tapkey by hand, outside AccessBridge. */
const grantByHand = (email: string, lockId: string, validFrom: string | null = null) => grantToState(w.sb.state, email, lockId, validFrom);

beforeAll(async () => {
  // No worker while the bookings arrive: the sync run is what grants them.
  w = await startTapkeyWorld({ worker: false });
  locationId = await createLocation(w.api);
  await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`);
  await setupUnits(w.api, locationId, units.slice(0, 10));
  await setupUnits(w.api, locationId, units.slice(10), { map: false });
  const put = (id: string, unit: number, email: string | null, extra: Record<string, unknown> = {}) =>
    w.api.json('PUT', `/v1/bookings/${id}`, { unitExternalId: u(unit).externalId, tenantEmail: email, moveIn: '2026-01-01', state: 'active', ...extra });
  for (let i = 0; i < 6; i++) await put(`B${i}`, i, `tenant${i}@example.com`);
  await put('B6', 6, null);
  await put('B7', 7, 'someone@gmial.com');
  await put('B8', 10, 'unmapped@example.com');
  await put('B9', 9, 'gone@example.com', { state: 'ended' });
  // One tenant already has the very grant, made by hand (the run must adopt it, not duplicate it):
  // move-in 2026-01-01 in Europe/Berlin, no move-out.
  grantByHand('tenant0@example.com', lockOfUnit(u(0)), '2025-12-31T23:00:00.000Z');
  // Grants nobody explains: a stranger on unit 8's lock, a tenant on a lock not theirs.
  grantByHand('intruder@example.com', lockOfUnit(u(8)));
  grantByHand('tenant1@example.com', lockOfUnit(u(9)));
});
afterAll(() => w.close());

describe('POST /v1/locations/{id}/sync-runs', () => {
  it('reports what needs attention at once, grants every wanted booking exactly once, and finds unexplained grants', async () => {
    const createsBefore = w.sb.calls.count('grants.create');
    const res = await w.api.json('POST', `/v1/locations/${locationId}/sync-runs`);
    expect(res.status).toBe(201);
    const started = syncRunSchema.parse(res.body);
    expect(started.state).toBe('running');
    // Wanted: B0-B5 and B7 (a suspicious email is still granted).
    expect(started.progress.total).toBe(7);
    const r = started.report;
    expect(r.bookingsWithoutEmail).toEqual({ count: 1, items: [{ bookingExternalId: 'B6', unitExternalId: u(6).externalId }] });
    expect(r.invalidEmails).toEqual({ count: 1, items: [{ bookingExternalId: 'B7', email: 'someone@gmial.com', reason: 'Looks like a typo of gmail.com' }] });
    expect(r.unitsWithoutMapping.items).toEqual([
      { unitExternalId: u(10).externalId, unitName: u(10).name, activeBookings: 1 },
      { unitExternalId: u(11).externalId, unitName: u(11).name, activeBookings: 0 },
    ]);
    // 51 imported locks, 10 mapped: the shared doors are among the rest.
    expect(r.locksWithoutUnit.count).toBe(41);
    expect(r.locksWithoutUnit.items.map((l) => l.title)).toEqual(expect.arrayContaining(['Main entrance', 'Loading bay', 'Elevator lobby']));
    expect(r.reminder).toContain('register in the Tapkey app with the same email address');

    // The worker starts now; the run completes.
    const { OutboxWorker } = await import('../../server/outbox/outbox.ts');
    const { createJobHandlers } = await import('../../server/jobs.ts');
    const worker = new OutboxWorker(w.api.database.db, createJobHandlers(w.api.deps), { pollMs: 20, baseBackoffMs: 20, concurrency: 4 });
    worker.start();
    try {
      const done = await waitUntil('run done', async () => {
        const run = syncRunSchema.parse((await w.api.json('GET', `/v1/sync-runs/${started.id}`)).body);
        return run.state === 'done' ? run : null;
      });
      expect(done.progress).toEqual({ total: 7, done: 7, failed: 0, pending: 0 });
      expect(done.finishedAt).not.toBeNull();
      for (const i of [0, 1, 2, 3, 4, 5]) expect(activeInTapkey(w.sb, `tenant${i}@example.com`, lockOfUnit(u(i)))).toHaveLength(1);
      expect(activeInTapkey(w.sb, 'someone@gmial.com', lockOfUnit(u(7)))).toHaveLength(1);
      // tenant0's hand-made grant was adopted: 6 created, not 7.
      expect(w.sb.calls.count('grants.create') - createsBefore).toBe(6);
      expect(duplicatesInTapkey(w.sb)).toEqual([]);

      const unexplained = done.report.unexplainedGrants;
      expect(unexplained.scan).toBe('done');
      expect(unexplained.items.map((g) => [g.email, g.lockId, g.state]).sort()).toEqual(
        [
          ['intruder@example.com', lockOfUnit(u(8)), 'found'],
          ['tenant1@example.com', lockOfUnit(u(9)), 'found'],
        ].sort(),
      );
      expect(unexplained.items.find((g) => g.email === 'intruder@example.com')!.lockTitle).toBeTruthy();

      const revoke = await w.api.json('POST', `/v1/sync-runs/${started.id}/revoke-unexplained`);
      expect(revoke.status).toBe(202);
      expect(revoke.body).toEqual({ queued: 2 });
      await waitUntil('unexplained revoked', async () => {
        const run = syncRunSchema.parse((await w.api.json('GET', `/v1/sync-runs/${started.id}`)).body);
        return run.report.unexplainedGrants.items.every((g) => g.state === 'revoked');
      });
      expect(activeInTapkey(w.sb, 'intruder@example.com', lockOfUnit(u(8)))).toHaveLength(0);
      expect(activeInTapkey(w.sb, 'tenant1@example.com', lockOfUnit(u(9)))).toHaveLength(0);
      // tenant1's own grant stays.
      expect(activeInTapkey(w.sb, 'tenant1@example.com', lockOfUnit(u(1)))).toHaveLength(1);
      // Nothing left to revoke.
      expect((await w.api.json('POST', `/v1/sync-runs/${started.id}/revoke-unexplained`)).body).toEqual({ queued: 0 });

      // A second run checks everything again and creates nothing.
      const before = w.sb.calls.count('grants.create');
      const again = (await w.api.json('POST', `/v1/locations/${locationId}/sync-runs`)).body;
      await waitUntil('second run done', async () => (await w.api.json('GET', `/v1/sync-runs/${again.id}`)).body.state === 'done');
      expect(w.sb.calls.count('grants.create')).toBe(before);
      const second = (await w.api.json('GET', `/v1/sync-runs/${again.id}`)).body;
      expect(second.report.unexplainedGrants.count).toBe(0);
      const listed = await w.api.json('GET', `/v1/locations/${locationId}/sync-runs`);
      expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([again.id, started.id]);
    } finally {
      await worker.stop();
    }
  });

  it('refuses a location without Tapkey (422), an unknown run (404), another organization (404)', async () => {
    const plain = await w.api.json('POST', '/v1/locations', { name: 'No Tapkey' });
    const res = await w.api.json('POST', `/v1/locations/${plain.body.id}/sync-runs`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('Connect this location to Tapkey');
    expect((await w.api.json('GET', '/v1/sync-runs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const other = await w.api.newOrg();
    expect((await w.api.json('POST', `/v1/locations/${locationId}/sync-runs`, undefined, { token: other.token })).status).toBe(404);
  });
});
