/**
 * Keycafe booking benchmark: N bookings (1–3 keys each, one-time and ongoing, email and mobile
 * visitors) through the real API, outbox worker (production settings) and connector, against
 * the sandbox Keycafe with injected faults — a 60 s lockout at the start and a share of calls
 * failing (429, 500, timeouts, dropped connections, slow answers; half of those on POST/DELETE
 * after Keycafe acted). The sandbox clock runs `speed`× real time, shared with the connector;
 * the outbox's poll and backoff times are scaled to it, so every figure is simulated time.
 *
 * Figures: bookings created and completed, accesses, Keycafe calls (by outcome), duplicates
 * (must be 0), the busiest 60 s window (must be ≤ 60), and the simulated time against the
 * rate-limit bound (calls / 60 per minute, plus the lockout).
 *
 *   npx tsx bench/keycafe-bookings.ts [--bookings 100] [--speed 20] [--faults 0.1] [--seed 1]
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { createApp } from '../server/app.ts';
import type { AppDeps } from '../server/env.ts';
import { createApiToken, createOrganization } from '../server/auth.ts';
import { openDatabase } from '../server/db/client.ts';
import { createJobHandlers } from '../server/jobs.ts';
import { KeycafeService } from '../server/keycafe/service.ts';
import { OutboxWorker } from '../server/outbox/outbox.ts';
import { ControllableClock, DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN, startKeycafeSandbox } from '../sandbox/keycafe/index.ts';
import type { KeycafeBooking } from '../lib/contract.ts';

export interface KeycafeBenchOptions {
  bookings?: number;
  /** Sandbox clock speed; keep it below the API's real throughput or the run is CPU-bound, not rate-bound. */
  speed?: number;
  /** Share of Keycafe calls given a random fault. */
  faults?: number;
  seed?: number;
  /** Simulated ms of the 429 lockout at the start (someone else used the quota). */
  lockoutMs?: number;
}

export interface KeycafeBenchFigures {
  bookingsRequested: number;
  bookingsCreated: number;
  bookingsActive: number;
  accesses: number;
  keycafeCalls: number;
  callsByOutcome: Record<string, number>;
  faultsInjected: Record<string, number>;
  duplicates: number;
  accessesOnKeycafe: number;
  maxCallsIn60s: number;
  sandboxLimitTrips: number;
  simulatedSeconds: number;
  /** calls / 60 per minute. */
  rateLimitBoundSeconds: number;
  /** The bound plus the minute of silence each 429 mandates (lockout and injected 429s). */
  boundWith429PausesSeconds: number;
  /** simulatedSeconds / boundWith429PausesSeconds */
  boundRatio: number;
  realSeconds: number;
  speed: number;
}

export async function runKeycafeBench(opts: KeycafeBenchOptions = {}): Promise<KeycafeBenchFigures> {
  const n = opts.bookings ?? 100;
  const speed = opts.speed ?? 20;
  const lockoutMs = opts.lockoutMs ?? 60_000;
  const clock = new ControllableClock({ speed });
  const sandbox = await startKeycafeSandbox({ clock, seed: opts.seed ?? 1 });
  const database = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: 'memory://' });
  const deps: AppDeps = { database, secretKey: randomBytes(32), keycafe: new KeycafeService({ apiUrl: sandbox.url, clock, timeoutMs: 2_000 }) };
  // The outbox's production timings (poll 500 ms, backoff 1 s doubling to 5 min), on the sandbox clock.
  const worker = new OutboxWorker(database.db, createJobHandlers(deps), {
    pollMs: Math.max(5, 500 / speed),
    baseBackoffMs: 1_000 / speed,
    maxBackoffMs: 300_000 / speed,
  });
  deps.kickOutbox = () => worker.kick();
  const server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const org = await createOrganization(database.db, `Bench ${Date.now()}`);
  const { token } = await createApiToken(database.db, org.id, 'bench');
  const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  try {
    worker.start();
    const location = await api<{ id: string }>('POST', '/v1/locations', {
      name: 'Bench site',
      timeZone: 'Europe/Berlin',
      keycafe: { accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: DEMO_KEYCAFE_TOKEN },
    });
    // Berlin SmartBox keys (one time zone, so multi-key one-time bookings are valid).
    const keys = Array.from({ length: 53 }, (_, i) => String(10001 + i));

    const realStart = performance.now();
    const simStart = clock.now();
    const created: KeycafeBooking[] = [];
    let firstCacheFill = true;
    for (let i = 0; i < n; i++) {
      const count = 1 + (i % 3);
      const keyIds = Array.from({ length: count }, (_, k) => keys[(i * 3 + k) % keys.length]!);
      const day = String(1 + (i % 28)).padStart(2, '0');
      const body = {
        locationId: location.body.id,
        keyIds,
        recipient: i % 4 === 3 ? { mobile: `+49 151 ${String(20000000 + i).slice(0, 8)}` } : { email: `visitor${i}@example.com` },
        locale: (['en', 'fr', 'es', 'nl'] as const)[i % 4],
        ...(i % 10 < 7
          ? { type: 'one_time', start: { date: `2026-10-${day}`, time: '09:00' }, end: { date: `2026-10-${day}`, time: '18:00' }, returnReminder: i % 2 === 0 }
          : { type: 'ongoing' }),
      };
      // The first booking fills the key cache (a synchronous Keycafe read); faults start after it.
      const res = await api<KeycafeBooking>('POST', '/v1/keycafe/bookings', body);
      if (firstCacheFill) {
        firstCacheFill = false;
        sandbox.faults.lockout(lockoutMs);
        sandbox.faults.random({ probability: opts.faults ?? 0.1, kinds: ['rate_limit', 'status', 'timeout', 'drop', 'slow'], afterProbability: 0.5, delayMs: 150 });
      }
      if (res.status === 201) created.push(res.body);
      else throw new Error(`booking ${i} → ${res.status} ${JSON.stringify(res.body)}`);
    }

    let states: KeycafeBooking[] = [];
    const deadline = performance.now() + 15 * 60_000;
    for (;;) {
      const page = await api<{ items: KeycafeBooking[]; total: number }>('GET', `/v1/keycafe/bookings?limit=500&offset=0`);
      const all = [...page.body.items];
      for (let offset = 500; offset < page.body.total; offset += 500)
        all.push(...(await api<{ items: KeycafeBooking[] }>('GET', `/v1/keycafe/bookings?limit=500&offset=${offset}`)).body.items);
      states = all;
      if (states.every((b) => b.state !== 'pending')) break;
      if (performance.now() > deadline) throw new Error('bench did not finish within 15 minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
    const simulatedMs = clock.now() - simStart;
    const realMs = performance.now() - realStart;

    const byOutcome: Record<string, number> = {};
    for (const c of sandbox.calls.list) {
      const k = `${c.method} ${c.path.replace(/\/\d+$/, '/{id}')} → ${c.status}`;
      byOutcome[k] = (byOutcome[k] ?? 0) + 1;
    }
    const calls = sandbox.calls.list.length;
    // At most 60 calls a minute; each 429 Keycafe answers (the lockout, injected ones) mandates a silent minute.
    const boundSeconds = calls;
    const pausedSeconds = lockoutMs / 1000 + sandbox.faults.injected.rate_limit * 60;
    const account = sandbox.state.account(DEMO_KEYCAFE_EMAIL);
    return {
      bookingsRequested: n,
      bookingsCreated: created.length,
      bookingsActive: states.filter((b) => b.state === 'active').length,
      accesses: states.reduce((s, b) => s + b.accesses.length, 0),
      keycafeCalls: calls,
      callsByOutcome: Object.fromEntries(Object.entries(byOutcome).sort()),
      faultsInjected: { ...sandbox.faults.injected, lockoutSeconds: lockoutMs / 1000 },
      duplicates: sandbox.state.duplicates().reduce((s, d) => s + d.count - 1, 0),
      accessesOnKeycafe: account.created.length,
      maxCallsIn60s: sandbox.calls.maxInWindow(60_000),
      sandboxLimitTrips: sandbox.stats.limitTrips,
      simulatedSeconds: Math.round(simulatedMs / 1000),
      rateLimitBoundSeconds: Math.round(boundSeconds),
      boundWith429PausesSeconds: Math.round(boundSeconds + pausedSeconds),
      boundRatio: Math.round((simulatedMs / 1000 / (boundSeconds + pausedSeconds)) * 100) / 100,
      realSeconds: Math.round(realMs / 100) / 10,
      speed,
    };
  } finally {
    await worker.stop();
    const closed = new Promise<void>((r) => server.close(() => r()));
    if ('closeAllConnections' in server) server.closeAllConnections();
    await closed;
    await sandbox.close();
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { bookings: { type: 'string' }, speed: { type: 'string' }, faults: { type: 'string' }, seed: { type: 'string' }, lockout: { type: 'string' } },
  });
  const figures = await runKeycafeBench({
    bookings: values.bookings ? Number(values.bookings) : undefined,
    speed: values.speed ? Number(values.speed) : undefined,
    faults: values.faults ? Number(values.faults) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
    lockoutMs: values.lockout ? Number(values.lockout) * 1000 : undefined,
  });
  console.log(JSON.stringify(figures, null, 2));
  const ok = figures.duplicates === 0 && figures.maxCallsIn60s <= 60 && figures.bookingsActive === figures.bookingsRequested;
  console.log(
    `\n${figures.bookingsActive}/${figures.bookingsRequested} bookings active (${figures.accesses} accesses), ${figures.keycafeCalls} Keycafe calls, ` +
      `${figures.duplicates} duplicates, busiest minute ${figures.maxCallsIn60s} calls; simulated ${figures.simulatedSeconds} s vs bound ${figures.rateLimitBoundSeconds} s ` +
      `(${figures.boundWith429PausesSeconds} s with the 429 minutes; ×${figures.boundRatio}), real ${figures.realSeconds} s at ${figures.speed}× → ${ok ? 'OK' : 'FAILED'}`,
  );
  process.exit(ok ? 0 : 1);
}
