/**
 * Fault test: the API's PostgreSQL pool survives connections that die at the worst moments.
 * A TCP proxy between the pool and the server cuts a connection exactly when a transaction's
 * BEGIN (or a query inside it) goes out. Each such transaction fails, and afterwards the pool
 * must still serve: no client leaked (drizzle-orm 0.45 leaks one per failed BEGIN unless
 * server/db/client.ts gives it back), no uncaught 'error' event from a checked-out client (it
 * would kill the process), and a dead client is never handed out again.
 *
 * Deterministic, unlike pg-connection-drop.test.ts (which terminates backends at random).
 * Needs a real PostgreSQL server (DATABASE_URL).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/client.ts';
import { freshDatabase } from '../helpers/db.ts';

const BASE_URL = process.env.DATABASE_URL;

/** Forwards to PostgreSQL; while `cut > 0`, a frontend message containing `pattern` closes that connection instead. */
function cuttingProxy(target: URL) {
  const sockets = new Set<Socket>();
  const state = { pattern: /begin/i, cut: 0, cuts: 0 };
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (state.cut > 0 && state.pattern.test(chunk.toString('latin1'))) {
        state.cut--;
        state.cuts++;
        close();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  return {
    state,
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (pool exhausted?)`)), ms))]);

describe.skipIf(!BASE_URL)('the PostgreSQL pool after cut connections (skipped without DATABASE_URL: PGlite has no pool)', () => {
  let target: Database & { url?: string };
  let proxy: ReturnType<typeof cuttingProxy>;
  let database: Database;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);

  beforeAll(async () => {
    target = await freshDatabase();
    proxy = cuttingProxy(new URL(target.url!));
    const url = new URL(target.url!);
    url.host = `127.0.0.1:${await proxy.listen()}`;
    database = await openDatabase({ url: url.toString() });
    await database.exec('create table probe (n int not null)');
    process.on('uncaughtException', onUncaught);
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await database?.close();
    await proxy?.close();
    await target?.close();
  });

  const transaction = () =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into probe values (1)`);
      return (await tx.execute(sql`select count(*)::int as n from probe`)) as unknown as { rows: { n: number }[] };
    });

  it('twelve transactions whose BEGIN is cut (more than the pool holds) leave the pool serving', async () => {
    proxy.state.pattern = /begin/i;
    proxy.state.cut = 12;
    for (let i = 0; i < 12; i++) await expect(withTimeout(transaction(), 10_000, `cut transaction ${i}`)).rejects.toThrow();
    expect(proxy.state.cuts).toBe(12);
    // Eleven at once: needs every one of the pool's ten clients back, and one more wait.
    const results = await withTimeout(Promise.all(Array.from({ length: 11 }, () => transaction())), 10_000, 'transactions after the cuts');
    expect(results).toHaveLength(11);
    expect(uncaught).toEqual([]);
  });

  it('a connection cut inside a transaction fails only that transaction, writes nothing, and is not reused', async () => {
    const before = ((await database.db.execute(sql`select count(*)::int as n from probe`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
    proxy.state.pattern = /select count/i;
    proxy.state.cut = 3;
    for (let i = 0; i < 3; i++) await expect(withTimeout(transaction(), 10_000, `cut mid-transaction ${i}`)).rejects.toThrow();
    // The inserts of the cut transactions were never committed.
    const after = ((await database.db.execute(sql`select count(*)::int as n from probe`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
    expect(after).toBe(before);
    const results = await withTimeout(Promise.all(Array.from({ length: 11 }, () => transaction())), 10_000, 'transactions after the cuts');
    expect(results).toHaveLength(11);
    expect(uncaught).toEqual([]);
  });
});
