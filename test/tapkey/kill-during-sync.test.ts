/**
 * Fault test: a real API process is SIGKILLed in the middle of a full sync of 1,000 bookings
 * while Tapkey fails ~10 % of calls (some after the grant was created, the crash window the
 * check-before-create covers). After a restart on the same data, every expected grant exists
 * exactly once. The sandbox runs in this process and allows duplicates, so any double create
 * would show. PGlite by default, PostgreSQL with DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTapkeySandbox, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import { spawnApiProcess, type ApiProcess } from '../helpers/api-process.ts';
import { freshServerEnv, type ServerEnv } from '../helpers/server-env.ts';
import { activeInTapkey, apiJson, duplicatesInTapkey, openServerDatabase } from './helpers.ts';
import { waitUntil } from '../helpers/wait.ts';
import { seedTapkeyWorld, type SeededWorld } from './seed.ts';

const BOOKINGS = 1000;
let sb: TapkeySandbox;
let world: SeededWorld;
let server: ServerEnv;
let env: Record<string, string>;
const secretKey = randomBytes(32);
const running: ApiProcess[] = [];

beforeAll(async () => {
  sb = await startTapkeySandbox({ locks: BOOKINGS + 3, duplicateGrants: 'allow' });
  server = await freshServerEnv();
  const database = await openServerDatabase(server.env, server.dataDir);
  world = await seedTapkeyWorld(database.db, { bookings: BOOKINGS, secretKey });
  await database.close();
  env = {
    ...server.env,
    ACCESSBRIDGE_SECRET_KEY: secretKey.toString('base64'),
    TAPKEY_TOKEN_URL: sb.tokenUrl,
    TAPKEY_API_URL: sb.apiUrl,
    TAPKEY_TIMEOUT_MS: '3000',
    TAPKEY_LEASE_MS: '15000',
    // The killed process's claimed jobs are taken over after 5 s, not the default 60 s.
    ACCESSBRIDGE_OUTBOX_LEASE_MS: '5000',
  };
}, 180_000);

afterAll(async () => {
  for (const p of running) await p.stop().catch(() => {});
  await sb.close();
  await server.cleanup();
});

describe('SIGKILL during a full sync', () => {
  it(`restarts and ends with every one of ${BOOKINGS} grants exactly once`, { timeout: 300_000 }, async () => {
    // ~10 % of grant calls fail: lists 5 %, creates 5 % (half of them after Tapkey created it).
    sb.faults.seed(2024);
    sb.faults.add({ kind: 'status', status: 500, endpoint: 'grants.list', probability: 0.05, times: Infinity });
    sb.faults.add({ kind: 'status', status: 500, endpoint: 'grants.create', after: true, probability: 0.025, times: Infinity });
    sb.faults.add({ kind: 'status', status: 503, endpoint: 'grants.create', probability: 0.025, times: Infinity });

    const first = await spawnApiProcess(env, 120_000);
    running.push(first);
    const start = await apiJson(first.url, world.token, 'POST', `/v1/locations/${world.locationId}/sync-runs`);
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    expect(start.body.progress.total).toBe(BOOKINGS);
    const runId = start.body.id as string;

    // Kill it once a good part of the work is done (and some is surely in flight).
    await waitUntil(
      'a third of the sync',
      async () => (await apiJson(first.url, world.token, 'GET', `/v1/sync-runs/${runId}`)).body.progress.done >= BOOKINGS / 3,
      180_000,
    );
    await first.stop('SIGKILL');
    const atKill = sb.state.activeGrantsByContactAndLock().size;
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(BOOKINGS);

    const second = await spawnApiProcess(env, 120_000);
    running.push(second);
    const done = await waitUntil(
      'the sync to finish after the restart',
      async () => {
        const run = (await apiJson(second.url, world.token, 'GET', `/v1/sync-runs/${runId}`)).body;
        return run.state === 'done' ? run : null;
      },
      240_000,
    );
    expect(done.progress).toMatchObject({ total: BOOKINGS, done: BOOKINGS, failed: 0, pending: 0 });
    expect(sb.calls.log.some((c) => c.fault)).toBe(true);

    // Every expected grant exactly once, and nothing else.
    for (const e of world.expected) expect(activeInTapkey(sb, e.email, e.lockId), `${e.email} on ${e.lockId}`).toHaveLength(1);
    expect(duplicatesInTapkey(sb)).toEqual([]);
    expect(sb.state.activeGrantsByContactAndLock().size).toBe(BOOKINGS);
    const active = await apiJson(second.url, world.token, 'GET', '/v1/bookings?grantState=active&limit=1');
    expect(active.body.total).toBe(BOOKINGS);
    await second.stop();
  });
});
