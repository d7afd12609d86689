/**
 * Time as the Keycafe connector sees it. Production uses the system clock; tests and the
 * benchmark share one sped-up clock with the sandbox Keycafe so a rate-limited minute passes
 * in a fraction of a second on both sides.
 */
export interface Clock {
  /** Milliseconds since the epoch, in this clock's time. */
  now(): number;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
  /** Real milliseconds that `ms` of this clock's time take (the outbox schedules in real time). */
  toRealMs(ms: number): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  toRealMs: (ms) => ms,
};
