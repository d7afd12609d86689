/**
 * Fault test on the strict reading of Tapkey's documentation (sandbox/tapkey-api/SOURCES.md):
 * the grants lock filter is refused (the crash-recovery lookup is the documented
 * `active eq true`, filtered by lock here), revocation is asynchronous and a repeated revoke
 * answers 409. A create whose answer is lost is adopted, never duplicated; a revoke whose
 * answer is lost ends "revoking", then revoked, never failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUnits } from '../../sandbox/demo-data.ts';
import { activeInTapkey, createLocation, duplicatesInTapkey, grantState, lockOfUnit, setupUnits, startTapkeyWorld, type TapkeyTestWorld } from '../tapkey/helpers.ts';
import { waitUntil } from '../helpers/wait.ts';

const units = demoUnits(26);
const today = new Date().toISOString().slice(0, 10);

describe('Tapkey drops and hangs, strict behaviours', () => {
  let w: TapkeyTestWorld;

  beforeAll(async () => {
    w = await startTapkeyWorld({ locks: units.length + 3, behaviours: 'strict' });
    const locationId = await createLocation(w.api);
    expect((await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`)).status).toBe(200);
    await setupUnits(w.api, locationId, units);
  }, 120_000);
  afterAll(() => w?.close());

  const put = (i: number, email: string) => w.api.json('PUT', `/v1/bookings/S${i}`, { unitExternalId: units[i]!.externalId, tenantEmail: email, moveIn: today, state: 'active' });

  it.each([
    ['dropped', { kind: 'drop' as const, after: true }, 0],
    ['answered 503', { kind: 'status' as const, status: 503, after: true }, 1],
  ])('a revoke %s after Tapkey accepted it ends revoking, then revoked, not failed', { timeout: 60_000 }, async (_, fault, i) => {
    const email = `srevoke${i}@example.com`;
    expect((await put(i, email)).status).toBe(201);
    await grantState(w.api, `S${i}`, 'active');
    w.sb.faults.add({ ...fault, endpoint: 'grants.revoke', times: 1 });
    expect((await w.api.json('POST', `/v1/bookings/S${i}/revoke`)).status).toBe(200);
    await grantState(w.api, `S${i}`, 'revoking');
    w.sb.state.completeRevocations();
    await grantState(w.api, `S${i}`, 'revoked');
    expect(activeInTapkey(w.sb, email, lockOfUnit(units[i]!))).toHaveLength(0);
  });

  it('20 bookings while the grant endpoints drop at random: each grant exactly once, found by the documented lookup', { timeout: 120_000 }, async () => {
    w.sb.faults.seed(7);
    for (const endpoint of ['grants.list', 'grants.create'] as const) {
      w.sb.faults.add({ kind: 'drop', endpoint, probability: 0.08, times: Infinity });
      w.sb.faults.add({ kind: 'drop', endpoint, after: true, probability: 0.08, times: Infinity });
    }
    const range = Array.from({ length: 20 }, (_, k) => k + 5);
    for (const i of range) expect((await put(i, `sbatch${i}@example.com`)).status).toBe(201);
    await waitUntil(
      'every batch grant active',
      async () => (await w.api.json('GET', '/v1/bookings?search=sbatch&grantState=active&limit=1')).body.total === range.length,
      100_000,
    );
    w.sb.faults.clear();
    expect(w.sb.calls.log.filter((c) => c.fault === 'drop').length, 'faults were injected').toBeGreaterThan(3);
    // The lock filter was refused once; every later lookup used `active eq true`.
    expect(w.sb.calls.log.filter((c) => c.endpoint === 'grants.list' && c.status === 400)).toHaveLength(1);
    expect(duplicatesInTapkey(w.sb)).toEqual([]);
    for (const i of range) expect(activeInTapkey(w.sb, `sbatch${i}@example.com`, lockOfUnit(units[i]!)), `sbatch${i}`).toHaveLength(1);
    expect((await w.api.json('GET', '/v1/bookings?grantState=failed&limit=1')).body.total).toBe(0);
  });
});
