/** Every call that reached the sandbox Keycafe, with its arrival time on the sandbox clock. */
export interface CallRecord {
  at: number;
  method: string;
  path: string;
  query: string;
  account: string | null;
  /** HTTP status sent, or what happened instead. */
  status: number | 'dropped' | 'timeout';
  fault: string | null;
}

export class CallLog {
  readonly list: CallRecord[] = [];

  count(filter: { method?: string; path?: string; status?: CallRecord['status'] } = {}): number {
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
