/**
 * A process dies while a six-key Keycafe booking is being created, and a new one starts at
 * once, many times over, in both sandbox modes. The outbox lease is shorter than a Keycafe
 * call takes (150 ms against creates Keycafe takes 400 ms to act on and answer), the condition under which jobs
 * used to run two or three times and leave duplicate accesses: every Keycafe call is now fenced
 * on the job's lease (server/keycafe/jobs.ts), and a retry adopts what an earlier attempt
 * created, found by key and matched on recipient and period (server/keycafe/match.ts).
 *
 * The dead process is emulated in-process: its worker stops claiming and its runs never record
 * anything, while calls they already started go on (a stronger adversary than SIGKILL: a
 * paused process that wakes up). After each round every key has exactly one access on Keycafe
 * and the visitor exactly one notification per key. Enough rounds to catch a 1-in-6 race
 * (24 rounds: a 1-in-6 failure slips through with probability (5/6)^24 ≈ 1 %).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { createJobHandlers } from '../../server/jobs.ts';
import { KeycafeService } from '../../server/keycafe/service.ts';
import { OutboxWorker, type JobHandler } from '../../server/outbox/outbox.ts';
import { DEMO_KEYCAFE_EMAIL } from '../../sandbox/keycafe/index.ts';
import type { KeycafeSandboxMode } from '../../sandbox/keycafe/server.ts';
import { startKeycafeWorld, type KeycafeWorld } from '../keycafe/helpers.ts';
import { waitUntil } from '../helpers/wait.ts';

const ROUNDS_PER_MODE = 12;
const LEASE_MS = 150;
const KEYS = ['10001', '10002', '10003', '10004', '10005', '10006'];

/** Handlers of a process that can be "killed": after that, none of its runs records anything. */
function killable(handlers: Record<string, JobHandler<any>>) {
  const state = { killed: false };
  const never = () => new Promise<never>(() => {});
  const wrapped: Record<string, JobHandler<any>> = {};
  for (const [kind, h] of Object.entries(handlers))
    wrapped[kind] = {
      run: async (job) => {
        let result;
        try {
          result = await h.run(job);
        } catch (err) {
          if (state.killed) return never();
          throw err;
        }
        if (state.killed) return never();
        return result;
      },
      complete: h.complete && (async (tx, job, r) => (state.killed ? never() : h.complete!(tx, job, r))),
      fail: h.fail && (async (tx, job, reason) => (state.killed ? never() : h.fail!(tx, job, reason))),
    };
  return { handlers: wrapped, kill: () => (state.killed = true) };
}

describe.each(['strict', 'lenient'] as KeycafeSandboxMode[])('Keycafe crash during a booking, repeated (%s sandbox)', (mode) => {
  let w: KeycafeWorld;
  beforeAll(async () => {
    w = await startKeycafeWorld({ speed: 30, sandbox: { mode }, timeoutMs: 1_000, leaseMarginMs: 100 });
    // This file drives its own workers.
    await w.worker.stop();
    w.api.deps.kickOutbox = undefined;
  });
  afterAll(() => w.close());

  it(`${ROUNDS_PER_MODE} crashes: each key exactly one access, each visitor one notification per key`, { timeout: 120_000 }, async () => {
    const account = w.sandbox.state.account(DEMO_KEYCAFE_EMAIL);
    const started = Date.now();
    for (let round = 0; round < ROUNDS_PER_MODE; round++) {
      const email = `crash-${mode}-${round}@example.com`;
      w.sandbox.faults.clear();
      // Keycafe takes 400 ms to act on a create and answer: longer than the lease, so a lookup
      // made meanwhile does not see the access yet.
      w.sandbox.faults.add({ kind: 'slow', method: 'POST', path: '/v0/access', delayMs: 400, times: Infinity });
      const res = await w.api.json<KeycafeBooking>('POST', '/v1/keycafe/bookings', {
        locationId: w.locationId,
        keyIds: KEYS,
        recipient: { email },
        type: 'one_time',
        start: { date: '2026-10-01', time: '08:00' },
        end: { date: '2026-10-01', time: '20:00' },
      });
      expect(res.status).toBe(201);

      // The first process: its own service (buckets), the configured short lease, killed 150 ms in.
      const serviceA = new KeycafeService({ apiUrl: w.sandbox.url, clock: w.clock, timeoutMs: 1_000, leaseMarginMs: 100 });
      const a = killable(createJobHandlers({ ...w.api.deps, keycafe: serviceA }));
      const workerA = new OutboxWorker(w.api.database.db, a.handlers, { pollMs: 10, concurrency: 4, leaseMs: LEASE_MS });
      workerA.start();
      await new Promise((r) => setTimeout(r, 150 + (round % 3) * 50));
      a.kill();
      void workerA.stop();

      // The restarted process, with the same short lease.
      const workerB = new OutboxWorker(w.api.database.db, createJobHandlers(w.api.deps), { pollMs: 10, concurrency: 4, leaseMs: LEASE_MS, baseBackoffMs: 20, maxBackoffMs: 200 });
      workerB.start();
      const done = await waitUntil(
        `round ${round}: booking active`,
        async () => {
          const b = await w.api.json<KeycafeBooking>('GET', `/v1/keycafe/bookings/${res.body.id}`);
          return b.body.state === 'active' ? b.body : null;
        },
        30_000,
      );
      await workerB.stop();

      const mine = account.created.filter((x) => account.userOf(x)?.email === email);
      expect(mine.map((x) => String(x.keyId)).sort(), `round ${round}: accesses on Keycafe`).toEqual(KEYS);
      expect(done.accesses.map((x) => x.keycafeAccessId).sort()).toEqual(mine.map((x) => String(x.id)).sort());
      const notified = account.notifications.filter((n) => n.to === email);
      expect(notified.map((n) => String(n.keyId)).sort(), `round ${round}: notifications`).toEqual(KEYS);
    }
    expect(w.sandbox.state.duplicates()).toEqual([]);
    expect(w.sandbox.state.duplicateNotifications()).toEqual([]);
    // Bounded: the whole series stays well inside the test's timeout.
    expect(Date.now() - started).toBeLessThan(110_000);
  });
});
