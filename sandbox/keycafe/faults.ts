/**
 * Per-test fault injection for the sandbox Keycafe: the fakes' shared rules (words, `times`
 * default, `after`, random faults: sandbox/shared/faults.ts), matched by method and path
 * prefix, plus the account lockout Keycafe documents for going over its rate limit.
 */
import { Faults, type FaultKind, type FaultRule as SharedFaultRule, type RandomFaults as SharedRandomFaults } from '../shared/faults.ts';

export type { PickedFault } from '../shared/faults.ts';

/** The kinds Keycafe's fake acts out (Basic auth: no token to expire). */
export const keycafeFaultKinds = ['rate_limit', 'status', 'timeout', 'slow', 'drop'] as const satisfies readonly FaultKind[];
export type KeycafeFaultKind = (typeof keycafeFaultKinds)[number];
export type FaultRule = SharedFaultRule<KeycafeFaultKind>;
export type RandomFaults = SharedRandomFaults<KeycafeFaultKind>;

export class KeycafeFaults extends Faults<KeycafeFaultKind> {
  constructor(
    seed: number,
    private readonly onLockout: (ms: number, email?: string) => void,
  ) {
    super({ kinds: keycafeFaultKinds, seed });
  }

  /** As if the account's quota were used up elsewhere: every call answers 429 for `ms` (clock ms). */
  lockout(ms = 60_000, email?: string): this {
    this.onLockout(ms, email);
    return this;
  }
}
