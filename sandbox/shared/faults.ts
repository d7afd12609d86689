/**
 * Fault injection for the provider fakes, one vocabulary for all of them. A test adds rules (in
 * process, or over a fake's control route); the fake asks `take` on every call and acts out the
 * fault it gets back in its provider's own shapes (error body, headers).
 *
 * `times` defaults to 1: a rule spoils the next matching call and is spent. A fault that should
 * last says so (`times: Infinity`, or a count). This is the safer default: a rule can never
 * outlive the step it was written for, leak into the next test of a file that shares the fake,
 * or hang every later call of a run; and the reader of a test sees at the rule whether the
 * connector must survive one failure or a failing provider.
 */
import { seededRandom } from './random.ts';

export type FaultKind =
  /** An error status with the provider's error body: `status`, 500 when omitted. */
  | 'status'
  /** 429 with `Retry-After` (`retryAfterSeconds`; the default is the fake's). */
  | 'rate_limit'
  /** Never answers (until the caller gives up or the fake closes): the caller's timeout must fire. */
  | 'timeout'
  /** Answers normally after `delayMs` real milliseconds (1000 when omitted). */
  | 'slow'
  /** Destroys the connection without an answer. */
  | 'drop'
  /** Treats the presented access token as expired: 401 (fakes with bearer tokens only). */
  | 'expire_token';

export interface FaultRule<K extends FaultKind = FaultKind> {
  kind: K;
  /** Which calls it hits (all when omitted): HTTP method, any case. */
  method?: string;
  /** Path prefix, e.g. `/v0/access`. */
  path?: string;
  /** For `status`. */
  status?: number;
  /** For `rate_limit`. */
  retryAfterSeconds?: number;
  /** For `slow`. */
  delayMs?: number;
  /** How many matching calls it hits before it is spent: 1 when omitted, `Infinity` for all. */
  times?: number;
  /** Hits each matching call with this probability (seeded, reproducible). */
  probability?: number;
  /**
   * Let the call take effect first, then spoil the answer (for `slow`: delay it): the access is
   * created at the provider but the caller never learns it, the crash window a connector must
   * survive without duplicates.
   */
  after?: boolean;
}

/** Spoils a share of all calls at random, on top of the rules (reproducible with the seed). */
export interface RandomFaults<K extends FaultKind = FaultKind> {
  /** Chance that any call gets a fault. */
  probability: number;
  kinds: K[];
  /** Chance that a fault on a POST/PUT/DELETE strikes after the call took effect (default 0.5). */
  afterProbability?: number;
  /** For `slow` (default 200). */
  delayMs?: number;
}

/** What `take` hands the fake for one call. */
export interface PickedFault<K extends FaultKind = FaultKind> {
  kind: K;
  after: boolean;
  delayMs: number;
  status?: number;
  retryAfterSeconds?: number;
}

export interface FaultCall {
  method: string;
  path: string;
}

export interface FaultsOptions<K extends FaultKind, R extends FaultRule<K>, C extends FaultCall> {
  /** The kinds this fake can act out. */
  kinds: readonly K[];
  seed: number;
  /** A fake's own match on top of method and path (e.g. Tapkey's endpoint names). */
  matches?: (rule: R, call: C) => boolean;
}

const MUTATING = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

export class Faults<K extends FaultKind = FaultKind, R extends FaultRule<K> = FaultRule<K>, C extends FaultCall = FaultCall> {
  private rules: (R & { id: number; hits: number })[] = [];
  private nextId = 1;
  private randomFaults: RandomFaults<K> | null = null;
  private rand: () => number;
  /** Faults applied so far, by kind (benchmark figures). */
  readonly injected: Record<K, number>;

  constructor(private readonly opts: FaultsOptions<K, R, C>) {
    this.rand = seededRandom(opts.seed);
    this.injected = Object.fromEntries(opts.kinds.map((k) => [k, 0])) as Record<K, number>;
  }

  /** Adds a rule; its id (for `remove`). */
  add(rule: R): number {
    if (!this.opts.kinds.includes(rule.kind)) throw new Error(`This fake has no '${rule.kind}' fault (it has ${this.opts.kinds.join(', ')})`);
    const id = this.nextId++;
    this.rules.push({ ...rule, id, hits: 0 });
    return id;
  }

  remove(id: number) {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  list(): readonly R[] {
    return this.rules;
  }

  random(config: RandomFaults<K> | null): this {
    this.randomFaults = config;
    return this;
  }

  /** Starts the random sequence again from `n`. */
  seed(n: number) {
    this.rand = seededRandom(n);
  }

  /** Removes every rule and the random faults, and zeroes `injected`. */
  clear(): this {
    this.rules = [];
    this.randomFaults = null;
    for (const k of this.opts.kinds) this.injected[k] = 0;
    return this;
  }

  /** The fault for this call, if any (spends one of a rule's `times`). */
  take(call: C): PickedFault<K> | null {
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== call.method.toUpperCase()) continue;
      if (rule.path && !call.path.startsWith(rule.path)) continue;
      if (this.opts.matches && !this.opts.matches(rule, call)) continue;
      if (rule.hits >= (rule.times ?? 1)) continue;
      if (rule.probability !== undefined && this.rand() >= rule.probability) continue;
      rule.hits++;
      this.injected[rule.kind]++;
      return {
        kind: rule.kind,
        after: rule.after ?? false,
        delayMs: rule.delayMs ?? 1000,
        ...(rule.status !== undefined ? { status: rule.status } : {}),
        ...(rule.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.retryAfterSeconds } : {}),
      };
    }
    const r = this.randomFaults;
    if (r && r.kinds.length && this.rand() < r.probability) {
      const kind = r.kinds[Math.floor(this.rand() * r.kinds.length)]!;
      const after = MUTATING.has(call.method.toUpperCase()) && this.rand() < (r.afterProbability ?? 0.5);
      this.injected[kind]++;
      return { kind, after, delayMs: r.delayMs ?? 200 };
    }
    return null;
  }
}
