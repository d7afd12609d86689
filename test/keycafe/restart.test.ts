/**
 * A real API process is SIGKILLed in the middle of a six-key booking: one key done, four
 * created on Keycafe whose answers never arrived (the worker runs four jobs at once), one not
 * started. After a restart on the same data every key ends active with exactly one Keycafe
 * access and the visitor got exactly one notification per key: none lost, none duplicated.
 * Both sandbox modes (the adopt lookup uses only the documented `key` filter).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { openDatabase } from '../../server/db/client.ts';
import { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN, startKeycafeSandbox, type KeycafeSandbox } from '../../sandbox/keycafe/index.ts';
import type { KeycafeSandboxMode } from '../../sandbox/keycafe/server.ts';
import { spawnApiProcess, type ApiProcess } from '../helpers/api-process.ts';
import { freshDatabase } from '../helpers/db.ts';
import { waitUntil } from '../helpers/wait.ts';

describe.each(['strict', 'lenient'] as KeycafeSandboxMode[])('%s sandbox', (mode) => {
let sandbox: KeycafeSandbox;
let dataDir: string;
let pgDatabase: Awaited<ReturnType<typeof freshDatabase>> | null = null;
let env: Record<string, string | undefined>;
let proc: ApiProcess | null = null;

beforeAll(async () => {
  sandbox = await startKeycafeSandbox({ mode });
  dataDir = mkdtempSync(join(tmpdir(), 'ab-keycafe-restart-'));
  if (process.env.DATABASE_URL) pgDatabase = await freshDatabase();
  env = {
    ACCESSBRIDGE_DATA_DIR: dataDir,
    ACCESSBRIDGE_SECRET_KEY: randomBytes(32).toString('base64'),
    DATABASE_URL: pgDatabase?.url ?? '',
    KEYCAFE_API_URL: sandbox.url,
    // Longer than the stalled answers below: the process is killed while it waits.
    KEYCAFE_TIMEOUT_MS: '30000',
    // Four jobs at once: the first create answers, the next four stall, the sixth key waits.
    ACCESSBRIDGE_OUTBOX_CONCURRENCY: '4',
  };
});

afterAll(async () => {
  await proc?.stop('SIGKILL');
  await sandbox.close();
  await pgDatabase?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T = any>(p: ApiProcess, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(p.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** A killed process's running jobs come back when their 60 s lease runs out; skip that wait. */
async function expireLeases() {
  const database = pgDatabase ? await openDatabase({ url: pgDatabase.url }) : await openDatabase({ dataDir: join(dataDir, 'pglite') });
  await database.exec(`update outbox_jobs set locked_until = now() - interval '1 second' where state = 'running'`);
  await database.close();
}

describe('Keycafe booking across a SIGKILL', () => {
  it('finishes every key exactly once after a restart', async () => {
    proc = await spawnApiProcess(env);
    const token = proc.token!;
    const location = await call(proc, token, 'POST', '/v1/locations', {
      name: 'Berlin Mitte',
      timeZone: 'Europe/Berlin',
      keycafe: { accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: DEMO_KEYCAFE_TOKEN },
    });
    expect(location.status).toBe(201);

    // The first create goes through; the next ones are created on Keycafe but their answers stall.
    sandbox.faults.add({ kind: 'slow', method: 'POST', path: '/v0/access', delayMs: 0 });
    sandbox.faults.add({ kind: 'slow', method: 'POST', path: '/v0/access', delayMs: 60_000, after: true, times: Infinity });
    const keyIds = ['10001', '10002', '10003', '10004', '10005', '10006'];
    const created = await call<KeycafeBooking>(proc, token, 'POST', '/v1/keycafe/bookings', {
      locationId: location.body.id,
      keyIds,
      recipient: { email: 'restart@example.com' },
      type: 'one_time',
      start: { date: '2026-09-01', time: '08:00' },
      end: { date: '2026-09-01', time: '20:00' },
    });
    expect(created.status).toBe(201);
    const account = sandbox.state.account(DEMO_KEYCAFE_EMAIL);
    const mine = () => account.created.filter((a) => account.userOf(a)!.email === 'restart@example.com');

    // Kill once one key is stored active and four more exist only on Keycafe's side.
    await waitUntil(
      'one key active and four created on Keycafe',
      async () => {
        if (mine().length < 5) return false;
        const b = await call<KeycafeBooking>(proc!, token, 'GET', `/v1/keycafe/bookings/${created.body.id}`);
        return b.body.accesses.some((a) => a.state === 'active');
      },
      30_000,
    );
    expect(await proc.stop('SIGKILL')).toBeNull();
    const atKill = mine().length;
    expect(atKill).toBe(5);
    sandbox.faults.clear();

    await expireLeases();
    proc = await spawnApiProcess(env);
    const done = await waitUntil(
      'booking active after restart',
      async () => {
        const b = await call<KeycafeBooking>(proc!, token, 'GET', `/v1/keycafe/bookings/${created.body.id}`);
        return b.body.state === 'active' ? b.body : null;
      },
      45_000,
    );

    expect(done.accesses.map((a) => a.keyId).sort()).toEqual(keyIds);
    expect(mine()).toHaveLength(6);
    expect(new Set(mine().map((a) => a.keyId)).size).toBe(6);
    expect(done.accesses.map((a) => a.keycafeAccessId).sort()).toEqual(mine().map((a) => String(a.id)).sort());
    expect(sandbox.state.duplicates()).toEqual([]);
    const notified = account.notifications.filter((n) => n.to === 'restart@example.com');
    expect(notified.map((n) => String(n.keyId)).sort()).toEqual(keyIds);
    const audit = await call(proc, token, 'GET', `/v1/audit-events?entity=keycafe_booking&entityId=${created.body.id}&limit=50`);
    const adopted = audit.body.items.filter((e: { action: string; after: { adopted?: boolean } }) => e.action === 'keycafe.access.created' && e.after.adopted);
    expect(adopted).toHaveLength(4);
  }, 110_000);
});
});
