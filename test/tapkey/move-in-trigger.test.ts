/**
 * The "move-in date reached" trigger is a database row, not a timer: a booking pushed before
 * move-in gets its grant when the day comes, even though the API was stopped and started again
 * in between. The clock is the test's (AppDeps.tapkey.now).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUnits } from '../../sandbox/demo-data.ts';
import { startTapkeySandbox, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import type { Database } from '../../server/db/client.ts';
import { createJobHandlers } from '../../server/jobs.ts';
import { OutboxWorker } from '../../server/outbox/outbox.ts';
import { fireDueTriggers, TapkeyScheduler } from '../../server/tapkey/scheduler.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { freshServerEnv, type ServerEnv } from '../helpers/server-env.ts';
import { activeInTapkey, createLocation, FAST_WORKER, lockOfUnit, openServerDatabase, setupUnits } from './helpers.ts';
import { waitUntil } from '../helpers/wait.ts';

let sb: TapkeySandbox;
/** A database that survives close and reopen: a PGlite folder, or its own PostgreSQL database. */
let store: ServerEnv;
let clock = new Date('2027-03-10T12:00:00Z');
/** The installation's key survives restarts (as <dataDir>/secret.key does). */
const secretKey = randomBytes(32);
const unit = demoUnits(1)[0]!;

/** One "process": database, API, outbox worker and scheduler. */
async function startInstance(token?: string) {
  const database: Database = await openServerDatabase(store.env, store.dataDir);
  const api: TestApi = await startTestApi({ deps: { database, secretKey, tapkey: { tokenUrl: sb.tokenUrl, apiUrl: sb.apiUrl, retryBaseMs: 10, now: () => clock } } });
  const worker = new OutboxWorker(database.db, createJobHandlers(api.deps), FAST_WORKER);
  api.deps.kickOutbox = () => worker.kick();
  worker.start();
  const scheduler = new TapkeyScheduler(api.deps, { pollMs: 50 });
  scheduler.start();
  const as = token ?? api.token;
  return {
    api,
    json: (method: string, path: string, body?: unknown) => api.json(method, path, body, { token: as }),
    token: as,
    stop: async () => {
      await scheduler.stop();
      await worker.stop();
      await api.close();
      await database.close();
    },
  };
}

beforeAll(async () => {
  sb = await startTapkeySandbox();
  store = await freshServerEnv();
});
afterAll(async () => {
  await sb.close();
  await store.cleanup();
});

describe('move-in date reached', () => {
  it('grants access on the move-in day after a restart, and revokes it after move-out', { timeout: 120_000 }, async () => {
    // Before: the booking arrives five days before move-in.
    const first = await startInstance();
    const locationId = await createLocation(first.api, { accessTrigger: 'move_in_reached' });
    await first.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`);
    await setupUnits(first.api, locationId, [unit]);
    const put = await first.json('PUT', '/v1/bookings/M1', { unitExternalId: unit.externalId, tenantEmail: 'movein@example.com', moveIn: '2027-03-15', moveOut: '2027-03-20', state: 'active' });
    expect(put.status).toBe(201);
    expect(put.body.grant).toBeNull();
    expect(put.body.access).toMatchObject({ status: 'waiting_for_move_in', message: expect.stringContaining('March 15, 2027') });
    const waiting = await first.json('GET', '/v1/bookings/M1');
    expect(waiting.body.nextTrigger).toEqual({ kind: 'move_in', dueAt: '2027-03-14T23:00:00.000Z' });
    await new Promise((r) => setTimeout(r, 200)); // the scheduler ticks: nothing is due yet
    expect(activeInTapkey(sb, 'movein@example.com', lockOfUnit(unit))).toHaveLength(0);
    const token = first.token;
    await first.stop();

    // The API is down when move-in comes; it starts again later that morning.
    clock = new Date('2027-03-15T07:30:00Z');
    const second = await startInstance(token);
    try {
      const active = await waitUntil('grant active after restart', async () => {
        const b = await second.json('GET', '/v1/bookings/M1');
        return b.body.grant?.state === 'active' ? b.body : null;
      });
      expect(active.grant).toMatchObject({ validFrom: '2027-03-14T23:00:00.000Z', validBefore: '2027-03-20T23:00:00.000Z' });
      expect(active.grantHistory[0].actor).toBe('system:tapkey-scheduler');
      expect(active.notices).toHaveLength(1);
      expect(active.nextTrigger).toEqual({ kind: 'move_out', dueAt: '2027-03-20T23:00:00.000Z' });
      expect(activeInTapkey(sb, 'movein@example.com', lockOfUnit(unit))).toHaveLength(1);

      // After move-out, the same mechanism revokes it.
      clock = new Date('2027-03-21T09:00:00Z');
      await waitUntil('grant revoked after move-out', async () => (await second.json('GET', '/v1/bookings/M1')).body.grant?.state === 'revoked');
      expect(activeInTapkey(sb, 'movein@example.com', lockOfUnit(unit))).toHaveLength(0);
      const after = await second.json('GET', '/v1/bookings/M1');
      expect(after.body.grant.reason).toBe('the move-out date has passed');
      expect(after.body.nextTrigger).toBeNull();
      // Fired triggers do not fire again.
      expect(await fireDueTriggers(second.api.deps, clock)).toBe(0);
    } finally {
      await second.stop();
    }
  });
});
