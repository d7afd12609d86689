/**
 * Fault injection and call counting for the fake Tapkey API, controlled per test (in process
 * through these objects, or over HTTP through the control routes in app.ts).
 */

export const endpoints = [
  'token',
  'owners.list',
  'owners.get',
  'boundLocks.list',
  'boundLocks.get',
  'contacts.list',
  'contacts.get',
  'contacts.create',
  'grants.list',
  'grants.get',
  'grants.create',
  'grants.revoke',
] as const;
export type Endpoint = (typeof endpoints)[number];

export type FaultKind =
  /** An error status with a Tapkey-style error body (500 by default). */
  | 'status'
  /** 429 with `Retry-After` (Tapkey documents no rate limit at all: ASSUMED shape). */
  | 'rate_limit'
  /** Never answers (until the sandbox closes): the client's timeout must fire. */
  | 'hang'
  /** Answers normally after `delayMs`. */
  | 'slow'
  /** Destroys the connection without an answer. */
  | 'drop'
  /** Treats the presented access token as expired: 401. */
  | 'expire_token';

export interface FaultRule {
  kind: FaultKind;
  /** Which calls it hits; all when omitted. */
  endpoint?: Endpoint;
  method?: string;
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** How many matching calls it hits before it is spent; unlimited when omitted. */
  times?: number;
  /** Hits each matching call with this probability (seeded, reproducible). */
  probability?: number;
  /**
   * Let the call take effect first, then fail the answer (status/drop/hang only): the grant is
   * created at "Tapkey" but the caller never learns it, the crash window the outbox must cover.
   */
  after?: boolean;
}

interface ActiveRule extends FaultRule {
  id: number;
  hits: number;
}

/** mulberry32: a tiny seeded PRNG so "10 % failures" is the same 10 % on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private random = rng(42);

  add(rule: FaultRule): number {
    if (rule.after && !['status', 'drop', 'hang'].includes(rule.kind)) throw new Error(`'after' applies to status, drop and hang faults only`);
    const id = this.nextId++;
    this.rules.push({ ...rule, id, hits: 0 });
    return id;
  }

  remove(id: number) {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear() {
    this.rules = [];
  }

  seed(n: number) {
    this.random = rng(n);
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** The rule that hits this call, if any (spends one of its `times`). */
  take(endpoint: Endpoint, method: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.endpoint && rule.endpoint !== endpoint) continue;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.times !== undefined && rule.hits >= rule.times) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.hits++;
      return rule;
    }
    return undefined;
  }
}

export interface CallRecord {
  at: number;
  method: string;
  path: string;
  endpoint: Endpoint | 'unknown';
  status: number;
  fault?: FaultKind;
  /** A short prefix of the access token used: tells apart processes that each logged in. */
  token?: string;
}

export class Calls {
  readonly log: CallRecord[] = [];

  record(call: CallRecord) {
    this.log.push(call);
  }

  /** Calls made, optionally of one endpoint. */
  count(endpoint?: Endpoint): number {
    return endpoint ? this.log.filter((c) => c.endpoint === endpoint).length : this.log.length;
  }

  byEndpoint(): Partial<Record<Endpoint | 'unknown', number>> {
    const out: Partial<Record<Endpoint | 'unknown', number>> = {};
    for (const c of this.log) out[c.endpoint] = (out[c.endpoint] ?? 0) + 1;
    return out;
  }

  reset() {
    this.log.length = 0;
  }
}
