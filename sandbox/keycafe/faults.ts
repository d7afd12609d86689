/**
 * Per-test fault injection for the sandbox Keycafe. A rule matches by method and path prefix,
 * fires `times` times (or with a probability), and either replaces Keycafe's answer
 * (`phase: 'before'`: Keycafe never acted) or spoils it after Keycafe acted (`phase: 'after'`:
 * the access exists but the caller sees a failure — the crash window the connector must
 * survive without duplicates).
 */
export type FaultKind =
  /** 429 with Retry-After (one call, not the account lockout; see `lockout`). */
  | 'rate_limit'
  /** 500 with Keycafe's error body. */
  | 'server_error'
  /** Never answers; the request hangs until the caller gives up. */
  | 'timeout'
  /** Answers normally after `delayMs` real milliseconds. */
  | 'slow'
  /** Resets the connection without an answer. */
  | 'drop';

export interface FaultRule {
  kind: FaultKind;
  method?: string;
  /** Path prefix, e.g. `/v0/access`. */
  path?: string;
  /** How many matching calls it spoils (default 1; Infinity for all). */
  times?: number;
  phase?: 'before' | 'after';
  /** For `slow` (real ms, default 1000). */
  delayMs?: number;
}

export interface RandomFaults {
  /** Chance that any call gets a fault. */
  probability: number;
  kinds: FaultKind[];
  /** Chance that a fault on a POST/DELETE strikes after Keycafe acted. */
  afterProbability?: number;
  delayMs?: number;
}

export interface PickedFault {
  kind: FaultKind;
  phase: 'before' | 'after';
  delayMs: number;
}

/** mulberry32: reproducible fault sequences for a given seed. */
function prng(seed: number): () => number {
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
  private rules: (FaultRule & { left: number })[] = [];
  private randomFaults: RandomFaults | null = null;
  private rand: () => number;
  /** Faults applied so far, by kind (benchmark figures). */
  readonly injected: Record<FaultKind, number> = { rate_limit: 0, server_error: 0, timeout: 0, slow: 0, drop: 0 };

  constructor(
    seed: number,
    private readonly onLockout: (ms: number, email?: string) => void,
  ) {
    this.rand = prng(seed);
  }

  add(rule: FaultRule): this {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
    return this;
  }

  /** Spoils a fraction of all calls at random (reproducible with the sandbox's seed). */
  random(config: RandomFaults | null): this {
    this.randomFaults = config;
    return this;
  }

  /** As if the account's quota were used up elsewhere: every call answers 429 for `ms` (clock ms). */
  lockout(ms = 60_000, email?: string): this {
    this.onLockout(ms, email);
    return this;
  }

  clear(): this {
    this.rules = [];
    this.randomFaults = null;
    for (const k of Object.keys(this.injected) as FaultKind[]) this.injected[k] = 0;
    return this;
  }

  /** The fault for this call, if any (consumes one use of a rule). */
  pick(method: string, path: string): PickedFault | null {
    const rule = this.rules.find((r) => r.left > 0 && (!r.method || r.method === method) && (!r.path || path.startsWith(r.path)));
    if (rule) {
      rule.left--;
      this.injected[rule.kind]++;
      return { kind: rule.kind, phase: rule.phase ?? 'before', delayMs: rule.delayMs ?? 1000 };
    }
    const r = this.randomFaults;
    if (r && r.kinds.length && this.rand() < r.probability) {
      const kind = r.kinds[Math.floor(this.rand() * r.kinds.length)]!;
      const mutating = method === 'POST' || method === 'DELETE';
      const phase = mutating && this.rand() < (r.afterProbability ?? 0.5) ? 'after' : 'before';
      this.injected[kind]++;
      return { kind, phase, delayMs: r.delayMs ?? 200 };
    }
    return null;
  }
}
