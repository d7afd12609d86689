/**
 * Fault test: the providers drop connections and hang, on the calls the area tests do not
 * already cover. A revoke (Tapkey) or an access deletion (Keycafe) whose answer is lost after
 * the provider acted must end revoked/cancelled, not failed, with nothing left live; and a
 * whole batch of bookings whose Tapkey calls drop or hang at random (before or after Tapkey
 * acted, on every endpoint) ends with every grant exactly once and no job failed.
 * (Covered elsewhere: creates whose answer is lost — test/tapkey/grants, test/keycafe/bookings;
 * random Keycafe faults — test/keycafe/storm; SIGKILL — test/tapkey/kill-during-sync,
 * test/keycafe/restart.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { demoUnits } from '../../sandbox/demo-data.ts';
import { DEMO_KEYCAFE_EMAIL } from '../../sandbox/keycafe/index.ts';
import { startKeycafeWorld, type KeycafeWorld } from '../keycafe/helpers.ts';
import { activeInTapkey, createLocation, duplicatesInTapkey, grantState, lockOfUnit, setupUnits, startTapkeyWorld, type TapkeyTestWorld } from '../tapkey/helpers.ts';
import { waitUntil } from '../helpers/wait.ts';

const units = demoUnits(40);
const today = new Date().toISOString().slice(0, 10);

describe('Tapkey drops and hangs', () => {
  let w: TapkeyTestWorld;

  beforeAll(async () => {
    w = await startTapkeyWorld({ locks: units.length + 3 });
    const locationId = await createLocation(w.api);
    expect((await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`)).status).toBe(200);
    await setupUnits(w.api, locationId, units);
  }, 120_000);
  afterAll(() => w?.close());

  const put = (i: number, email: string) => w.api.json('PUT', `/v1/bookings/D${i}`, { unitExternalId: units[i]!.externalId, tenantEmail: email, moveIn: today, state: 'active' });

  it.each([
    ['dropped after Tapkey revoked', { kind: 'drop' as const, after: true }, 0],
    ['left hanging after Tapkey revoked', { kind: 'timeout' as const, after: true }, 1],
    ['answered 503 after Tapkey revoked', { kind: 'status' as const, status: 503, after: true }, 2],
  ])('a revoke %s ends revoked, not failed, with no grant left in Tapkey', { timeout: 60_000 }, async (_, fault, i) => {
    const email = `revoke${i}@example.com`;
    expect((await put(i, email)).status).toBe(201);
    await grantState(w.api, `D${i}`, 'active');
    const revokesBefore = w.sb.calls.count('grants.revoke');
    w.sb.faults.add({ ...fault, endpoint: 'grants.revoke', times: 1 });

    expect((await w.api.json('POST', `/v1/bookings/D${i}/revoke`)).status).toBe(200);
    const detail = await grantState(w.api, `D${i}`, 'revoked');
    expect(activeInTapkey(w.sb, email, lockOfUnit(units[i]!))).toEqual([]);
    expect(w.sb.calls.count('grants.revoke') - revokesBefore, 'the lost revoke was retried').toBeGreaterThanOrEqual(2);
    expect(detail.grantHistory.filter((e: { toState: string }) => e.toState === 'failed')).toEqual([]);
    const audit = await w.api.json('GET', `/v1/audit-events?entity=booking&entityId=D${i}`);
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'booking.access_revoked')).toHaveLength(1);
  });

  it('30 bookings while every Tapkey endpoint drops or hangs at random: each grant exactly once', { timeout: 120_000 }, async () => {
    w.sb.faults.seed(99);
    for (const endpoint of ['contacts.list', 'contacts.create', 'grants.list', 'grants.create'] as const) {
      w.sb.faults.add({ kind: 'drop', endpoint, probability: 0.08, times: Infinity });
      w.sb.faults.add({ kind: 'drop', endpoint, after: true, probability: 0.08, times: Infinity });
    }
    w.sb.faults.add({ kind: 'timeout', endpoint: 'grants.create', after: true, probability: 0.05, times: Infinity });
    const range = Array.from({ length: 30 }, (_, k) => k + 10);
    for (const i of range) expect((await put(i, `batch${i}@example.com`)).status).toBe(201);
    await waitUntil(
      'every batch grant active',
      async () => {
        const res = await w.api.json('GET', '/v1/bookings?search=batch&grantState=active&limit=1');
        return res.body.total === range.length;
      },
      100_000,
    );
    w.sb.faults.clear();
    expect(w.sb.calls.log.filter((c) => c.fault === 'drop').length, 'faults were injected').toBeGreaterThan(3);
    expect(duplicatesInTapkey(w.sb)).toEqual([]);
    for (const i of range) expect(activeInTapkey(w.sb, `batch${i}@example.com`, lockOfUnit(units[i]!)), `batch${i}`).toHaveLength(1);
    const failed = await w.api.json('GET', '/v1/bookings?grantState=failed&limit=1');
    expect(failed.body.total).toBe(0);
  });
});

describe('Keycafe drops on cancel', () => {
  let w: KeycafeWorld;
  beforeAll(async () => {
    w = await startKeycafeWorld();
  }, 60_000);
  afterAll(() => w?.close());

  it.each([
    ['dropped after Keycafe deleted it', 'drop' as const],
    ['left hanging after Keycafe deleted it', 'timeout' as const],
    ['answered 500 after Keycafe deleted it', 'status' as const],
  ])('an access deletion %s ends cancelled, with nothing live on Keycafe', { timeout: 60_000 }, async (_, kind) => {
    const email = `cancel-${kind}@example.com`;
    const res = await w.api.json<KeycafeBooking>('POST', '/v1/keycafe/bookings', {
      locationId: w.locationId,
      keyIds: ['10040', '10041'],
      recipient: { email },
      type: 'ongoing',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await w.waitForBooking(res.body.id)).state).toBe('active');
    w.sandbox.faults.add({ kind, method: 'DELETE', path: '/v0/access', after: true, times: 2 });

    expect((await w.api.json('POST', `/v1/keycafe/bookings/${res.body.id}/cancel`)).status).toBe(200);
    const end = await w.waitForBooking(res.body.id, undefined, 40_000);
    expect(end.state).toBe('cancelled');
    expect(end.accesses.map((a) => a.state)).toEqual(['cancelled', 'cancelled']);
    const account = w.sandbox.state.account(DEMO_KEYCAFE_EMAIL);
    expect(account.liveAccesses().filter((a) => account.userOf(a)!.email === email)).toEqual([]);
  });
});
