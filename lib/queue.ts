/**
 * A persisted, ordered queue of mutations made while the sync API could not be reached.
 * The store is the only state: a service worker can be killed between any two awaits, so
 * nothing lives only in memory. Items are replayed oldest first; a replay stops at the first
 * item the API still cannot take (unreachable) and resumes from there next time, so order is
 * kept. An item the API rejects (4xx) becomes `failed`: kept, visible, retryable, discardable.
 */

export type QueueItemState = 'pending' | 'failed';

export interface QueueError {
  message: string;
  status?: number;
  code?: string;
}

export interface QueueItem<Op> {
  id: string;
  op: Op;
  state: QueueItemState;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  lastError: QueueError | null;
}

export interface QueueStore<Op> {
  read(): Promise<QueueItem<Op>[]>;
  write(items: QueueItem<Op>[]): Promise<void>;
}

/** What sending one item achieved. */
export type SendOutcome =
  | { kind: 'sent' }
  /** The API (or the network) is still down: stop, keep this and later items pending. */
  | { kind: 'unreachable'; error: QueueError }
  /** The API refused the item itself: mark it failed and go on with the next one. */
  | { kind: 'rejected'; error: QueueError };

export interface QueueCounts {
  pending: number;
  failed: number;
}

export interface ReplayResult extends QueueCounts {
  sent: number;
  /** Set when the replay stopped early because the API could not be reached. */
  stoppedBy: QueueError | null;
}

export interface MutationQueue<Op> {
  enqueue(op: Op): Promise<QueueItem<Op>>;
  list(): Promise<QueueItem<Op>[]>;
  counts(): Promise<QueueCounts>;
  /** Sends pending items in order. Concurrent calls share one run. */
  replay(send: (op: Op) => Promise<SendOutcome>): Promise<ReplayResult>;
  /** Puts a failed item back to pending (keeping its place in the order). */
  retry(id: string): Promise<boolean>;
  discard(id: string): Promise<boolean>;
}

export interface QueueOptions {
  now?: () => Date;
  newId?: () => string;
  /** Called after every change, e.g. to update the badge. */
  onChange?: (counts: QueueCounts) => void | Promise<void>;
}

export function countItems(items: readonly QueueItem<unknown>[]): QueueCounts {
  let pending = 0;
  let failed = 0;
  for (const item of items) {
    if (item.state === 'pending') pending++;
    else failed++;
  }
  return { pending, failed };
}

export function createMutationQueue<Op>(store: QueueStore<Op>, options: QueueOptions = {}): MutationQueue<Op> {
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => crypto.randomUUID());
  // Read-modify-write of the stored list must not interleave (enqueue during a replay).
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };
  const update = (fn: (items: QueueItem<Op>[]) => QueueItem<Op>[] | void) =>
    exclusive(async () => {
      const items = await store.read();
      const next = fn(items) ?? items;
      await store.write(next);
      await options.onChange?.(countItems(next));
      return next;
    });

  let running: Promise<ReplayResult> | null = null;

  async function runReplay(send: (op: Op) => Promise<SendOutcome>): Promise<ReplayResult> {
    let sent = 0;
    const attempted = new Set<string>();
    for (;;) {
      const next = (await exclusive(() => store.read())).find((i) => i.state === 'pending' && !attempted.has(i.id));
      if (!next) break;
      attempted.add(next.id);
      const outcome = await send(next.op);
      const at = now().toISOString();
      if (outcome.kind === 'unreachable') {
        await update((items) => items.map((i) => (i.id === next.id ? { ...i, attempts: i.attempts + 1, updatedAt: at, lastError: outcome.error } : i)));
        const counts = countItems(await exclusive(() => store.read()));
        return { ...counts, sent, stoppedBy: outcome.error };
      }
      if (outcome.kind === 'sent') {
        sent++;
        await update((items) => items.filter((i) => i.id !== next.id));
      } else {
        await update((items) =>
          items.map((i) => (i.id === next.id ? { ...i, state: 'failed', attempts: i.attempts + 1, updatedAt: at, lastError: outcome.error } : i)),
        );
      }
    }
    const counts = countItems(await exclusive(() => store.read()));
    return { ...counts, sent, stoppedBy: null };
  }

  return {
    async enqueue(op) {
      const at = now().toISOString();
      const item: QueueItem<Op> = { id: newId(), op, state: 'pending', createdAt: at, updatedAt: at, attempts: 0, lastError: null };
      await update((items) => [...items, item]);
      return item;
    },
    list: () => exclusive(() => store.read()),
    counts: async () => countItems(await exclusive(() => store.read())),
    replay(send) {
      running ??= runReplay(send).finally(() => {
        running = null;
      });
      return running;
    },
    async retry(id) {
      let found = false;
      await update((items) =>
        items.map((i) => {
          if (i.id !== id || i.state !== 'failed') return i;
          found = true;
          return { ...i, state: 'pending', updatedAt: now().toISOString() };
        }),
      );
      return found;
    },
    async discard(id) {
      let found = false;
      await update((items) =>
        items.filter((i) => {
          if (i.id === id) found = true;
          return i.id !== id;
        }),
      );
      return found;
    },
  };
}
