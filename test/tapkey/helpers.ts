/**
 * A Tapkey world for API tests: the sandbox, the real API over HTTP (test/helpers/api.ts) with
 * an outbox worker running the real job handlers, a Tapkey-connected location with its locks
 * imported, and the demo units mapped to their locks.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { demoLocks, type DemoUnit } from '../../sandbox/demo-data.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, startTapkeySandbox, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import { createJobHandlers } from '../../server/jobs.ts';
import { OutboxWorker } from '../../server/outbox/outbox.ts';
import { clearTapkeyTokenCache } from '../../server/tapkey/client.ts';
import type { AppDeps } from '../../server/env.ts';
import { openDatabase, type Database } from '../../server/db/client.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { waitUntil } from '../helpers/wait.ts';

export interface TapkeyWorldOptions {
  sandbox?: TapkeySandbox;
  locks?: number;
  deps?: Partial<AppDeps>;
  /** A test clock for the access rules (default: real time). */
  now?: () => Date;
  worker?: boolean;
  /** The fake's undocumented behaviours (sandbox/tapkey-api/state.ts), when it starts one. */
  behaviours?: 'strict' | 'lenient';
}

export interface TapkeyTestWorld {
  sb: TapkeySandbox;
  api: TestApi;
  worker: OutboxWorker | null;
  close(): Promise<void>;
}

export const FAST_WORKER = { pollMs: 20, baseBackoffMs: 20, maxBackoffMs: 400, concurrency: 8, leaseMs: 30_000 };

export async function startTapkeyWorld(opts: TapkeyWorldOptions = {}): Promise<TapkeyTestWorld> {
  clearTapkeyTokenCache();
  const sb = opts.sandbox ?? (await startTapkeySandbox({ locks: opts.locks, behaviours: opts.behaviours }));
  const api = await startTestApi({
    deps: { tapkey: { tokenUrl: sb.tokenUrl, apiUrl: sb.apiUrl, retryBaseMs: 10, timeoutMs: 2000, now: opts.now, revokeCheckMs: 50 }, ...opts.deps },
  });
  let worker: OutboxWorker | null = null;
  if (opts.worker !== false) {
    worker = new OutboxWorker(api.database.db, createJobHandlers(api.deps), FAST_WORKER);
    const w = worker;
    api.deps.kickOutbox = () => w.kick();
    worker.start();
  }
  return {
    sb,
    api,
    worker,
    close: async () => {
      await worker?.stop();
      await api.close();
      if (!opts.sandbox) await sb.close();
    },
  };
}

export async function createLocation(
  api: TestApi,
  o: { name?: string; syncMode?: 'full' | 'gradual'; accessTrigger?: 'booking_creation' | 'move_in_reached'; clientId?: string; clientSecret?: string; ownerAccountId?: string; timeZone?: string } = {},
): Promise<string> {
  const res = await api.json('POST', '/v1/locations', {
    name: o.name ?? 'Berlin Mitte',
    timeZone: o.timeZone ?? 'Europe/Berlin',
    tapkey: {
      clientId: o.clientId ?? SANDBOX_CLIENT_ID,
      clientSecret: o.clientSecret ?? SANDBOX_CLIENT_SECRET,
      ownerAccountId: o.ownerAccountId ?? SANDBOX_OWNER_ID,
      syncMode: o.syncMode ?? 'full',
      accessTrigger: o.accessTrigger ?? 'booking_creation',
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** The demo units, each mapped to its demo lock (which the import must have brought in). */
export async function setupUnits(api: TestApi, locationId: string, units: DemoUnit[], opts: { map?: boolean; prefix?: string } = {}) {
  for (const u of units) {
    const externalId = `${opts.prefix ?? ''}${u.externalId}`;
    const put = await api.json('PUT', `/v1/units/${externalId}`, { name: u.name, locationId });
    expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
    if (opts.map !== false) {
      const m = await api.json('PUT', `/v1/units/${externalId}/mapping`, { lockId: lockOfUnit(u) });
      expect(m.status, JSON.stringify(m.body)).toBeLessThan(300);
    }
  }
}

/** The demo world's lock for a unit (its id derives from the unit name only). */
export function lockOfUnit(u: DemoUnit): string {
  return demoLocks([u])[0]!.id;
}

/** Waits until the booking's grant is in `state` (and, optionally, on `lockId`). */
export async function grantState(api: TestApi, bookingId: string, state: string, lockId?: string) {
  return waitUntil(`booking ${bookingId} grant ${state}`, async () => {
    const res = await api.json('GET', `/v1/bookings/${bookingId}`);
    const g = res.body?.grant;
    return g && g.state === state && (!lockId || g.lockId === lockId) ? res.body : null;
  });
}

/** Active Tapkey grants of a contact on a lock, as the sandbox sees them. */
export const activeInTapkey = (sb: TapkeySandbox, email: string, lockId: string) => sb.state.activeGrantsByContactAndLock().get(`${email}|${lockId}`) ?? [];

/** Every (contact, lock) with more than one active grant. */
export function duplicatesInTapkey(sb: TapkeySandbox) {
  return [...sb.state.activeGrantsByContactAndLock().entries()].filter(([, gs]) => gs.length > 1);
}

/** A JSON call to a real API process. */
export async function apiJson(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Opens the database a real API process with `env` (from freshServerEnv) uses. */
export function openServerDatabase(env: Record<string, string>, dataDir: string): Promise<Database> {
  return openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: join(dataDir, 'pglite') });
}
