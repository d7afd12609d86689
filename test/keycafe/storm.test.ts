/**
 * 429 storms and flaky Keycafe: many multi-key bookings while the account is locked out for
 * minutes at a time and calls randomly fail (429, 500, timeouts, dropped connections, slow
 * answers, some after Keycafe acted). On the sandbox clock (120× real time): no 60-second
 * window ever sees more than 60 calls, every booking completes, nothing is duplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { DEMO_KEYCAFE_EMAIL } from '../../sandbox/keycafe/index.ts';
import { waitUntil } from '../helpers/wait.ts';
import { startKeycafeWorld, type KeycafeWorld } from './helpers.ts';

let w: KeycafeWorld;

beforeAll(async () => {
  w = await startKeycafeWorld({ speed: 120, timeoutMs: 400, sandbox: { seed: 7 } });
});
afterAll(() => w.close());

describe('429 storm', () => {
  it('keeps under 60 calls a minute through lockouts and random faults; every booking completes once', async () => {
    // The key cache is filled first; bookings then need no Keycafe call to be accepted.
    expect((await w.api.json('GET', `/v1/keycafe/keys?locationId=${w.locationId}`)).status).toBe(200);
    w.sandbox.faults.random({ probability: 0.12, kinds: ['rate_limit', 'status', 'timeout', 'drop', 'slow'], afterProbability: 0.5, delayMs: 100 });
    // Someone else used up the account's quota: every call answers 429 for two minutes.
    w.sandbox.faults.lockout(120_000);
    const t0 = w.clock.now();
    const bookings: KeycafeBooking[] = [];
    for (let i = 0; i < 25; i++) {
      const keyIds = [String(10001 + ((i * 2) % 48)), String(10002 + ((i * 2) % 48))];
      const res = await w.api.json<KeycafeBooking>('POST', '/v1/keycafe/bookings', {
        locationId: w.locationId,
        keyIds,
        recipient: { email: `storm${i}@example.com` },
        type: 'one_time',
        start: { date: '2026-08-01', time: '10:00' },
        end: { date: '2026-08-03', time: '10:00' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      bookings.push(res.body);
      // A second lockout in the middle of the run.
      if (i === 12) w.sandbox.faults.lockout(60_000);
    }
    const done = await waitUntil(
      'all bookings active',
      async () => {
        const states = await Promise.all(bookings.map((b) => w.api.json<KeycafeBooking>('GET', `/v1/keycafe/bookings/${b.id}`)));
        return states.every((s) => s.body.state === 'active') ? states.map((s) => s.body) : null;
      },
      90_000,
    );
    const calls = w.sandbox.calls;
    expect(calls.maxInWindow(60_000)).toBeLessThanOrEqual(60);
    expect(w.sandbox.stats.limitTrips).toBe(0);
    expect(calls.count({ status: 429 })).toBeGreaterThan(0);
    expect(Object.values(w.sandbox.faults.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // One Keycafe access per booking and key, and it is the one the booking shows.
    const account = w.sandbox.state.account(DEMO_KEYCAFE_EMAIL);
    expect(w.sandbox.state.duplicates()).toEqual([]);
    const mine = account.created.filter((a) => account.userOf(a)!.email!.startsWith('storm'));
    expect(mine).toHaveLength(50);
    expect(new Set(done.flatMap((b) => b.accesses.map((a) => a.keycafeAccessId)))).toEqual(new Set(mine.map((a) => String(a.id))));
    // 50 creates at 60 a minute after a 2-minute lockout: at least 2 simulated minutes passed.
    expect(w.clock.now() - t0).toBeGreaterThan(120_000);
  }, 110_000);
});
