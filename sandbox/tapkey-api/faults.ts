/**
 * Fault injection and call counting for the fake Tapkey API, controlled per test (in process
 * through these objects, or over HTTP through the control routes in app.ts). The rules, their
 * words and the `times` default are the fakes' shared ones (sandbox/shared/faults.ts); Tapkey
 * adds matching by endpoint name.
 */
import { CallLog, type CallRecord as SharedCallRecord } from '../shared/calls.ts';
import { Faults as SharedFaults, type FaultKind, type FaultRule as SharedFaultRule } from '../shared/faults.ts';

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

/** Every shared kind; `rate_limit` is an ASSUMED shape (Tapkey documents no rate limit at all). */
export const tapkeyFaultKinds = ['status', 'rate_limit', 'timeout', 'slow', 'drop', 'expire_token'] as const satisfies readonly FaultKind[];
export type TapkeyFaultKind = (typeof tapkeyFaultKinds)[number];

export interface FaultRule extends SharedFaultRule<TapkeyFaultKind> {
  /** Which calls it hits by endpoint name; all when omitted. */
  endpoint?: Endpoint;
}

export interface TapkeyCall {
  method: string;
  path: string;
  endpoint: Endpoint;
}

/** Tapkey's faults: the shared rules plus `endpoint`; seed 42 unless `seed` is called. */
export class Faults extends SharedFaults<TapkeyFaultKind, FaultRule, TapkeyCall> {
  constructor(seed = 42) {
    super({ kinds: tapkeyFaultKinds, seed, matches: (rule, call) => !rule.endpoint || rule.endpoint === call.endpoint });
  }
}

export interface CallRecord extends SharedCallRecord {
  endpoint: Endpoint | 'unknown';
  status: number;
  fault?: TapkeyFaultKind;
  /** A short prefix of the access token used: tells apart processes that each logged in. */
  token?: string;
}

export class Calls extends CallLog<CallRecord> {
  /** The calls, oldest first (the shared log's `list`, under the name the Tapkey tests read). */
  get log(): CallRecord[] {
    return this.list;
  }

  /** Calls made, optionally of one endpoint. */
  override count(filter: Endpoint | Parameters<CallLog<CallRecord>['count']>[0] = {}): number {
    return typeof filter === 'string' ? this.list.filter((c) => c.endpoint === filter).length : super.count(filter);
  }

  byEndpoint(): Partial<Record<Endpoint | 'unknown', number>> {
    const out: Partial<Record<Endpoint | 'unknown', number>> = {};
    for (const c of this.list) out[c.endpoint] = (out[c.endpoint] ?? 0) + 1;
    return out;
  }
}
