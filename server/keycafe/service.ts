/**
 * One per process: builds Keycafe clients that share a rate-limit bucket per Keycafe account,
 * so the API routes and every outbox job of the process together stay under 60 calls/minute.
 * Known limit: several API processes on one PostgreSQL each keep their own buckets, so together
 * they could exceed it; scaling out that way needs a bucket in the database.
 */
import { systemClock, type Clock } from './clock.ts';
import { DEFAULT_KEYCAFE_API_URL, KeycafeClient, type KeycafeAccount } from './client.ts';
import { RollingWindowLimiter } from './rate-limiter.ts';

export interface KeycafeServiceOptions {
  /** Keycafe API base, e.g. the sandbox's `http://127.0.0.1:port/v0/`; KEYCAFE_API_URL. */
  apiUrl?: string;
  clock?: Clock;
  /** Real ms before a Keycafe request is abandoned (default 10 s). */
  timeoutMs?: number;
  /** Requests per window and per account (Keycafe: 60 a minute). */
  limit?: number;
  windowMs?: number;
  /** How often "apply to all keys" bookings look for new keys (clock ms, default 15 min). */
  keySyncIntervalMs?: number;
}

export type KeycafeCaller = 'route' | 'job';

export class KeycafeService {
  readonly apiUrl: string;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly keySyncIntervalMs: number;
  private readonly limiters = new Map<string, RollingWindowLimiter>();

  constructor(private readonly opts: KeycafeServiceOptions = {}) {
    this.apiUrl = opts.apiUrl ?? DEFAULT_KEYCAFE_API_URL;
    this.clock = opts.clock ?? systemClock;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.keySyncIntervalMs = opts.keySyncIntervalMs ?? 15 * 60_000;
  }

  limiterFor(accountEmail: string): RollingWindowLimiter {
    const key = accountEmail.trim().toLowerCase();
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new RollingWindowLimiter(this.clock, this.opts.limit ?? 60, this.opts.windowMs ?? 60_000);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  /**
   * A person waiting on a route gets a rate-limited answer after a few seconds; a job waits
   * longer (a retry costs an attempt), but two waits plus two timeouts stay inside the
   * outbox's 60 s lease, so no second worker takes the job over while it still runs. The
   * waits are real time (the lease is), converted to the clock's time.
   */
  client(account: KeycafeAccount, caller: KeycafeCaller): KeycafeClient {
    return new KeycafeClient(account, {
      baseUrl: this.apiUrl,
      limiter: this.limiterFor(account.email),
      clock: this.clock,
      timeoutMs: this.timeoutMs,
      maxWaitMs: (caller === 'route' ? 5_000 : 15_000) / this.clock.toRealMs(1),
    });
  }
}
