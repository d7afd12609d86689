/**
 * Writes of other processes on a shared PostgreSQL, seen through LISTEN: migration
 * 0010_write_notifications.sql announces every write to the tables the cached reads use (the
 * token check, list pages) on the `accessbridge_writes` channel at commit, and each
 * notification ticks this process's write clock for its table (server/db/read-cache.ts).
 * While the listening connection is up, the process sees every write its caches depend on, as
 * on PGlite; while it is down (a dropped connection, PostgreSQL restarting) it sees none, and
 * reconnects.
 *
 * A write of another process reaches the clock when its notification arrives, a moment after
 * its commit: a read in between may still get the answer from before, as it would had it
 * started a moment earlier.
 */
import pg from 'pg';
import type { WriteClock } from './read-cache.ts';

const WRITES_CHANNEL = 'accessbridge_writes';

export interface WriteListener {
  /** True while notifications arrive: no write of another process goes unseen. */
  readonly listening: boolean;
  close(): Promise<void>;
}

/**
 * Listens on its own connection (outside the pool: LISTEN holds it). `retryMs`: the wait
 * before reconnecting after a drop.
 */
export function listenForWrites(url: string, writes: WriteClock, opts: { retryMs?: number } = {}): WriteListener {
  const retryMs = opts.retryMs ?? 1_000;
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const reconnectLater = () => {
    if (!closed) retry = setTimeout(connect, retryMs).unref();
  };
  const lost = () => {
    if (!listening && !client) return;
    listening = false;
    client = null;
    // What was written while nobody listened is unknown: everything may have changed.
    writes.tick();
    reconnectLater();
  };

  async function connect() {
    if (closed) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('error', () => (client === c ? lost() : undefined));
    c.on('end', () => (client === c ? lost() : undefined));
    c.on('notification', (n) => {
      if (n.channel === WRITES_CHANNEL && n.payload) writes.tick([n.payload]);
    });
    try {
      await c.connect();
      // Listening alone does not keep the process alive (a script that forgets to close).
      (c as unknown as { connection?: { stream?: { unref?(): void } } }).connection?.stream?.unref?.();
      await c.query(`listen ${WRITES_CHANNEL}`);
      if (client !== c) return void c.end().catch(() => {});
      // Entries read before this moment may predate writes nobody announced to us.
      writes.tick();
      listening = true;
    } catch {
      if (client === c) {
        client = null;
        c.end().catch(() => {});
        reconnectLater();
      }
    }
  }
  void connect();

  return {
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      listening = false;
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
