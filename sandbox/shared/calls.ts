/**
 * The record every fake keeps of the calls that reached it, for tests and benchmarks to count
 * (sandbox/tapkey-api/faults.ts and sandbox/keycafe/calls.ts add each provider's own fields).
 */
export interface CallRecord {
  /** Arrival time (the fake's clock: real time, or the Keycafe fake's controllable clock). */
  at: number;
  method: string;
  path: string;
  /** HTTP status sent (0 while unanswered); a fake may record what happened instead. */
  status: number | string;
  /** The fault that hit the call, in the fake's words, if any. */
  fault?: string | null;
}

export interface CallFilter<R extends CallRecord> {
  method?: string;
  /** Path prefix. */
  path?: string;
  status?: R['status'];
}

export class CallLog<R extends CallRecord> {
  readonly list: R[] = [];

  record(call: R): R {
    this.list.push(call);
    return call;
  }

  /** Calls made, optionally only those matching the filter. */
  count(filter: CallFilter<R> = {}): number {
    return this.list.filter(
      (c) => (!filter.method || c.method === filter.method) && (!filter.path || c.path.startsWith(filter.path)) && (filter.status === undefined || c.status === filter.status),
    ).length;
  }

  /** The most calls that arrived within any `windowMs` stretch (sliding window). */
  maxInWindow(windowMs = 60_000): number {
    const times = this.list.map((c) => c.at).sort((a, b) => a - b);
    let max = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while (times[j]! - times[i]! >= windowMs) i++;
      max = Math.max(max, j - i + 1);
    }
    return max;
  }

  clear() {
    this.list.length = 0;
  }
}
