import type { Clock } from './clock.ts';

/** Raised instead of waiting when the next free slot is further away than the caller accepts. */
export class RateLimitWait extends Error {
  constructor(readonly waitMs: number) {
    super(`Keycafe rate limit: next request slot in ${Math.ceil(waitMs / 1000)} s`);
  }
}

export interface Permit {
  /** Call when the response has arrived (or the request was abandoned). */
  release(): void;
  /** Gives the token back unused: the request was never sent. */
  cancel(): void;
}

/**
 * Keycafe allows 60 requests a minute per account and answers 429 for a whole minute past
 * that. This bucket holds `limit` tokens; a token is taken when a request is sent and comes
 * back `windowMs` after its response arrived. Since Keycafe sees a request somewhere between
 * our send and our receipt of the answer, no window of `windowMs` on Keycafe's side can ever
 * hold more than `limit` of our requests, whatever the network delays. A 429 blocks the bucket
 * for the Retry-After time so every job of the process backs off together.
 */
export class RollingWindowLimiter {
  private inFlight = 0;
  /** Response times of recent requests (ascending): each holds a token until +windowMs. */
  private recent: number[] = [];
  private blockedUntil = 0;
  private wake: (() => void)[] = [];

  constructor(
    private readonly clock: Clock,
    readonly limit = 60,
    readonly windowMs = 60_000,
  ) {}

  /** How long until a token is free: 0 = now, Infinity = when an in-flight request returns. */
  waitMs(): number {
    const now = this.clock.now();
    while (this.recent.length && this.recent[0]! + this.windowMs <= now) this.recent.shift();
    if (this.blockedUntil > now) return this.blockedUntil - now;
    if (this.inFlight + this.recent.length < this.limit) return 0;
    return this.recent.length ? this.recent[0]! + this.windowMs - now : Infinity;
  }

  /** Takes a token, waiting up to `maxWaitMs` (clock time) for one; else throws RateLimitWait. */
  async acquire(maxWaitMs: number): Promise<Permit> {
    const deadline = this.clock.now() + maxWaitMs;
    for (;;) {
      const wait = this.waitMs();
      if (wait === 0) {
        this.inFlight++;
        let released = false;
        const done = (used: boolean) => {
          if (released) return;
          released = true;
          this.inFlight--;
          if (used) this.recent.push(this.clock.now());
          this.notify();
        };
        return { release: () => done(true), cancel: () => done(false) };
      }
      const now = this.clock.now();
      if (wait !== Infinity && now + wait > deadline) throw new RateLimitWait(wait);
      if (wait === Infinity && now >= deadline) throw new RateLimitWait(this.windowMs);
      // Wake at the slot time, or when an in-flight request returns, whichever is first.
      await new Promise<void>((resolve) => {
        this.wake.push(resolve);
        void this.clock.sleep(Math.min(wait, Math.max(1, deadline - now))).then(resolve);
      });
    }
  }

  /** Keycafe said 429: nothing goes out before `untilMs` (clock time). */
  blockUntil(untilMs: number) {
    this.blockedUntil = Math.max(this.blockedUntil, untilMs);
  }

  /** Requests sent and not answered yet plus tokens still held by recent ones (for tests). */
  get used(): number {
    this.waitMs();
    return this.inFlight + this.recent.length;
  }

  private notify() {
    const waiting = this.wake;
    this.wake = [];
    for (const w of waiting) w();
  }
}
