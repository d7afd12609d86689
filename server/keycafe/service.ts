/**
 * One per process: builds Keycafe clients that share a rate-limit bucket per Keycafe account,
 * so the API routes and every outbox job of the process together stay under 60 calls/minute.
 * Known limit: several API processes on one PostgreSQL each keep their own buckets, so together
 * they could exceed it; scaling out that way needs a bucket in the database.
 */
import { createHash } from 'node:crypto';
import { systemClock, type Clock } from './clock.ts';
import { DEFAULT_KEYCAFE_API_URL, KeycafeClient } from './client.ts';
import type { KeycafeAccount, KeycafeClientOptions } from './client-types.ts';
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
  /** Real ms a job's lease reaches past its Keycafe call's timeout (default 5 s): time to record the answer. */
  leaseMarginMs?: number;
  /** "Test connection" runs per window and per organization (default 10). */
  testsPerWindow?: number;
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
  private readonly testLimiters = new Map<string, RollingWindowLimiter>();

  constructor(private readonly opts: KeycafeServiceOptions = {}) {
    this.apiUrl = opts.apiUrl ?? DEFAULT_KEYCAFE_API_URL;
    this.clock = opts.clock ?? systemClock;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.keySyncIntervalMs = opts.keySyncIntervalMs ?? 15 * 60_000;
  }

  /**
   * The bucket of the credentials actually sent: email, credential type and secret together.
   * Keyed on the email alone, anyone who knew an account's email could spend its budget (and
   * keep its jobs at "rate limited") by testing made-up tokens for it.
   */
  limiterFor(account: KeycafeAccount): RollingWindowLimiter {
    const key = createHash('sha256').update(`${account.email.trim().toLowerCase()}\u0000${account.authType ?? 'token'}\u0000${account.token}`).digest('base64url');
    return this.bucket(this.limiters, key, this.opts.limit ?? 60, this.opts.windowMs ?? 60_000);
  }

  /**
   * "Test connection" calls are also charged to the calling organization: a few tests a
   * minute each (every test makes a handful of Keycafe calls), whatever credentials it tries.
   */
  testLimiterFor(organizationId: string): RollingWindowLimiter {
    return this.bucket(this.testLimiters, organizationId, this.opts.testsPerWindow ?? 10, this.opts.windowMs ?? 60_000);
  }

  private bucket(map: Map<string, RollingWindowLimiter>, key: string, limit: number, windowMs: number): RollingWindowLimiter {
    let limiter = map.get(key);
    if (!limiter) {
      limiter = new RollingWindowLimiter(this.clock, limit, windowMs);
      map.set(key, limiter);
    }
    return limiter;
  }

  /**
   * A person waiting on a route gets a rate-limited answer after a few seconds; a job waits
   * longer (a retry costs an attempt), but two waits plus two timeouts stay inside the
   * outbox's 60 s lease, so no second worker takes the job over while it still runs. The
   * waits are real time (the lease is), converted to the clock's time.
   */
  client(account: KeycafeAccount, caller: KeycafeCaller, opts: Pick<KeycafeClientOptions, 'fence' | 'onCall'> = {}): KeycafeClient {
    return new KeycafeClient(account, {
      baseUrl: this.apiUrl,
      limiter: this.limiterFor(account),
      clock: this.clock,
      timeoutMs: this.timeoutMs,
      maxWaitMs: this.maxWaitRealMs(caller) / this.clock.toRealMs(1),
      fence: opts.fence,
      onCall: opts.onCall,
    });
  }

  /** Real ms a call may wait for a rate-limit token. */
  maxWaitRealMs(caller: KeycafeCaller): number {
    return caller === 'route' ? 5_000 : 15_000;
  }

  /**
   * The longest one Keycafe call of a job can take once it has passed its fence (real ms):
   * the request timeout plus a margin. A job's lease is extended by this at every fence, so no
   * other worker can take the job over while a call it sent may still be answered.
   */
  get callBudgetMs(): number {
    return this.timeoutMs + (this.opts.leaseMarginMs ?? 5_000);
  }
}
