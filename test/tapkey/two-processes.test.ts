/**
 * Two API processes on one PostgreSQL both sync the same location at the same time (each
 * starts a run; both workers take jobs): no grant is created twice. Slow Tapkey answers and
 * lost create answers widen the race windows; the sandbox allows duplicates, so any double
 * create would show. PGlite is single-process, so this needs DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTapkeySandbox, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import { spawnApiProcess, type ApiProcess } from '../helpers/api-process.ts';
import { freshServerEnv, type ServerEnv } from '../helpers/server-env.ts';
import { activeInTapkey, apiJson, duplicatesInTapkey, openServerDatabase } from './helpers.ts';
import { waitUntil } from '../helpers/wait.ts';
import { seedTapkeyWorld, type SeededWorld } from './seed.ts';

const BOOKINGS = 300;

const title = process.env.DATABASE_URL
  ? 'two API processes on one PostgreSQL'
  : 'two API processes on one PostgreSQL — skipped: needs DATABASE_URL (PGlite is single-process)';

describe.skipIf(!process.env.DATABASE_URL)(title, () => {
  let sb: TapkeySandbox;
  let world: SeededWorld;
  let server: ServerEnv;
  const secretKey = randomBytes(32);
  const procs: ApiProcess[] = [];

  beforeAll(async () => {
    sb = await startTapkeySandbox({ locks: BOOKINGS + 3, duplicateGrants: 'allow' });
    server = await freshServerEnv();
    const database = await openServerDatabase(server.env, server.dataDir);
    world = await seedTapkeyWorld(database.db, { bookings: BOOKINGS, secretKey });
    await database.close();
    const env = { ...server.env, ACCESSBRIDGE_SECRET_KEY: secretKey.toString('base64'), TAPKEY_TOKEN_URL: sb.tokenUrl, TAPKEY_API_URL: sb.apiUrl };
    procs.push(...(await Promise.all([spawnApiProcess(env, 120_000), spawnApiProcess(env, 120_000)])));
  }, 180_000);

  afterAll(async () => {
    for (const p of procs) await p.stop().catch(() => {});
    await sb?.close();
    await server?.cleanup();
  });

  it('syncing the same location from both at once creates each grant exactly once', { timeout: 240_000 }, async () => {
    sb.faults.seed(99);
    sb.faults.add({ kind: 'slow', endpoint: 'grants.list', delayMs: 30, probability: 0.5, times: Infinity });
    sb.faults.add({ kind: 'status', status: 500, endpoint: 'grants.create', after: true, probability: 0.05, times: Infinity });
    const [a, b] = procs as [ApiProcess, ApiProcess];
    const [runA, runB] = await Promise.all([
      apiJson(a.url, world.token, 'POST', `/v1/locations/${world.locationId}/sync-runs`),
      apiJson(b.url, world.token, 'POST', `/v1/locations/${world.locationId}/sync-runs`),
    ]);
    expect([runA.status, runB.status], a.output() + b.output()).toEqual([201, 201]);
    for (const [proc, run] of [
      [a, runA],
      [b, runB],
    ] as const)
      await waitUntil(
        `run ${run.body.id}`,
        async () => (await apiJson(proc.url, world.token, 'GET', `/v1/sync-runs/${run.body.id}`)).body.state === 'done',
        200_000,
      );
    for (const e of world.expected) expect(activeInTapkey(sb, e.email, e.lockId), `${e.email} on ${e.lockId}`).toHaveLength(1);
    expect(duplicatesInTapkey(sb)).toEqual([]);
    expect(sb.state.activeGrantsByContactAndLock().size).toBe(BOOKINGS);

    // Both processes really worked: each logged in and made grant calls with its own token.
    const tokens = new Set(sb.calls.log.filter((c) => c.endpoint === 'grants.list').map((c) => c.token));
    expect(tokens.size).toBeGreaterThanOrEqual(2);
    const check = new pg.Client({ connectionString: server.env.DATABASE_URL });
    await check.connect();
    const failed = await check.query(`select count(*)::int as n from outbox_jobs where state = 'failed'`);
    await check.end();
    expect(failed.rows[0].n).toBe(0);
    const active = await apiJson(b.url, world.token, 'GET', '/v1/bookings?grantState=active&limit=1');
    expect(active.body.total).toBe(BOOKINGS);
  });
});
