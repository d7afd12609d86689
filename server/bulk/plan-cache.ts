/**
 * A small per-process memory of recent results, by key, for a limited time: the judged plan of
 * a mapping file dry run (server/bulk/mapping-import.ts), so applying that file right after does
 * not read and judge it again. Bounded in entries and age: a plan of a 20,000-row file is a few
 * MiB, and one that is not applied soon is not worth keeping.
 */
export class PlanCache<T> {
  private entries = new Map<string, { value: T; at: number }>();

  constructor(
    private readonly maxEntries = 8,
    private readonly maxAgeMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    // Maps iterate in insertion order: the first entries are the oldest.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
