import { storage } from 'wxt/utils/storage';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMutationQueue, type QueueItem, type QueueStore, type SendOutcome } from '../../lib/queue.ts';

type Op = { n: number };

function memoryStore(): QueueStore<Op> & { items: QueueItem<Op>[] } {
  const store = {
    items: [] as QueueItem<Op>[],
    read: async () => structuredClone(store.items),
    write: async (items: QueueItem<Op>[]) => {
      store.items = structuredClone(items);
    },
  };
  return store;
}

/** A fake API: records what it received, can be down, rejects ops listed in `refuse`. */
function fakeApi() {
  const api = {
    up: true,
    received: [] as number[],
    refuse: new Set<number>(),
    send: async ({ n }: Op): Promise<SendOutcome> => {
      if (!api.up) return { kind: 'unreachable', error: { message: 'fetch failed' } };
      if (api.refuse.has(n)) return { kind: 'rejected', error: { message: 'Unit not found', status: 404, code: 'not_found' } };
      api.received.push(n);
      return { kind: 'sent' };
    },
  };
  return api;
}

describe('mutation queue', () => {
  it('keeps changes made offline and replays them in order once the API is back', async () => {
    const store = memoryStore();
    const queue = createMutationQueue<Op>(store);
    const api = fakeApi();
    api.up = false;
    for (const n of [1, 2, 3]) await queue.enqueue({ n });

    const offline = await queue.replay(api.send);
    expect(offline).toMatchObject({ sent: 0, pending: 3, failed: 0, stoppedBy: { message: 'fetch failed' } });
    expect(store.items.map((i) => i.attempts)).toEqual([1, 0, 0]);

    api.up = true;
    const online = await queue.replay(api.send);
    expect(online).toEqual({ sent: 3, pending: 0, failed: 0, stoppedBy: null });
    expect(api.received).toEqual([1, 2, 3]);
    expect(store.items).toEqual([]);
  });

  it('stops at the first unreachable item so later items never overtake it', async () => {
    const queue = createMutationQueue<Op>(memoryStore());
    let calls = 0;
    for (const n of [1, 2, 3]) await queue.enqueue({ n });
    const result = await queue.replay(async ({ n }) => {
      calls++;
      return n === 1 ? { kind: 'sent' } : { kind: 'unreachable', error: { message: 'down' } };
    });
    expect(calls).toBe(2);
    expect(result).toMatchObject({ sent: 1, pending: 2 });
    expect((await queue.list()).map((i) => i.op.n)).toEqual([2, 3]);
  });

  it('marks refused items failed, keeps them visible, and goes on with the rest', async () => {
    const queue = createMutationQueue<Op>(memoryStore());
    const api = fakeApi();
    api.refuse.add(2);
    for (const n of [1, 2, 3]) await queue.enqueue({ n });
    expect(await queue.replay(api.send)).toEqual({ sent: 2, pending: 0, failed: 1, stoppedBy: null });
    expect(api.received).toEqual([1, 3]);
    const [failed] = await queue.list();
    expect(failed).toMatchObject({ op: { n: 2 }, state: 'failed', attempts: 1, lastError: { status: 404, code: 'not_found' } });

    // A failed item is not replayed again until the user retries it.
    expect(await queue.replay(api.send)).toMatchObject({ sent: 0, failed: 1 });

    api.refuse.clear();
    expect(await queue.retry(failed!.id)).toBe(true);
    expect(await queue.counts()).toEqual({ pending: 1, failed: 0 });
    expect(await queue.replay(api.send)).toMatchObject({ sent: 1, pending: 0, failed: 0 });
    expect(api.received).toEqual([1, 3, 2]);
  });

  it('discards items, and says when there was nothing to retry or discard', async () => {
    const queue = createMutationQueue<Op>(memoryStore());
    const item = await queue.enqueue({ n: 1 });
    expect(await queue.retry(item.id)).toBe(false);
    expect(await queue.discard(item.id)).toBe(true);
    expect(await queue.discard(item.id)).toBe(false);
    expect(await queue.list()).toEqual([]);
  });

  it('runs one replay at a time and never loses an enqueue that happens during it', async () => {
    const queue = createMutationQueue<Op>(memoryStore());
    const seen: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await queue.enqueue({ n: 1 });
    const send = async ({ n }: Op): Promise<SendOutcome> => {
      if (n === 1) await gate;
      seen.push(n);
      return { kind: 'sent' };
    };
    const first = queue.replay(send);
    const second = queue.replay(send);
    await queue.enqueue({ n: 2 });
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(seen).toEqual([1, 2]);
    expect(await queue.list()).toEqual([]);
  });

  it('reports counts to onChange after every change', async () => {
    const seen: unknown[] = [];
    const queue = createMutationQueue<Op>(memoryStore(), { onChange: (c) => void seen.push(c) });
    await queue.enqueue({ n: 1 });
    await queue.replay(async () => ({ kind: 'rejected', error: { message: 'no' } }));
    expect(seen).toEqual([
      { pending: 1, failed: 0 },
      { pending: 0, failed: 1 },
    ]);
  });
});

describe('mutation queue in extension storage', () => {
  beforeEach(() => fakeBrowser.reset());

  const item = () => storage.defineItem<QueueItem<Op>[]>('local:testQueue', { fallback: [], version: 1 });
  const storeOf = (it: ReturnType<typeof item>): QueueStore<Op> => ({ read: () => it.getValue(), write: (v) => it.setValue(v) });

  it('survives a service-worker restart: a new queue over the same storage replays what the old one kept', async () => {
    const api = fakeApi();
    api.up = false;
    const before = createMutationQueue<Op>(storeOf(item()));
    await before.enqueue({ n: 1 });
    await before.enqueue({ n: 2 });
    await before.replay(api.send);

    // The worker is killed: nothing of `before` survives except what is in storage.
    const raw = await fakeBrowser.storage.local.get('testQueue');
    expect((raw.testQueue as QueueItem<Op>[]).map((i) => i.op.n)).toEqual([1, 2]);

    api.up = true;
    const after = createMutationQueue<Op>(storeOf(item()));
    expect(await after.counts()).toEqual({ pending: 2, failed: 0 });
    await after.replay(api.send);
    expect(api.received).toEqual([1, 2]);
    expect(await fakeBrowser.storage.local.get('testQueue')).toEqual({ testQueue: [] });
  });
});
