/**
 * Two API processes on one PostgreSQL (two Database objects, as two processes have): a write
 * made through one reaches the other's cached list pages and token check through the write
 * notifications (server/db/write-listener.ts, migration 0010); while the listening connection
 * is down, exact reads are not cached, and it comes back by itself.
 *
 * Needs a real PostgreSQL server (DATABASE_URL): PGlite has no other process.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createApiToken, createOrganization, revokeApiToken } from '../../server/auth.ts';
import { openDatabase, type Database } from '../../server/db/client.ts';
import { locks } from '../../server/db/schema/index.ts';
import { throwawayPgDatabase, type ThrowawayDatabase } from '../helpers/db.ts';
import { waitUntil } from '../helpers/wait.ts';

const BASE_URL = process.env.DATABASE_URL;

describe.skipIf(!BASE_URL)('write notifications between processes on one PostgreSQL', () => {
  let pgDatabase: ThrowawayDatabase;
  let one: Database;
  let other: Database;
  let token: string;
  let tokenId: string;
  let organizationId: string;

  beforeAll(async () => {
    pgDatabase = await throwawayPgDatabase(BASE_URL!, 'ab_listen');
    one = await openDatabase({ url: pgDatabase.url });
    other = await openDatabase({ url: pgDatabase.url });
    const org = await createOrganization(one.db, 'Listening storage');
    organizationId = org.id;
    ({ token, id: tokenId } = await createApiToken(one.db, org.id, 'reader'));
    await waitUntil('both processes listening', async () => one.seesAllWrites && other.seesAllWrites, 10_000);
  });

  afterAll(async () => {
    await one?.close();
    await other?.close();
    await pgDatabase?.drop();
  });

  const app = () => createApp({ database: one, secretKey: randomBytes(32), version: 'test' });
  const titles = async (a: ReturnType<typeof app>) => {
    const res = await a.request('/v1/locks?limit=50', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: { title: string }[] }).items.map((l) => l.title);
  };

  it("drops one process's cached page when another process writes, and its token check when another revokes", async () => {
    const a = app();
    expect(await titles(a)).toEqual([]);
    const stamp = one.writes.stamp();
    // Cached now: the same answer without a query, until a write is heard.
    expect(await titles(a)).toEqual([]);
    await other.db.insert(locks).values({ organizationId, id: '0f4a2b6e-8f0c-4c6e-9a57-1b7d8e2f3a10', title: 'Door heard', source: 'tapkey' });
    await waitUntil('the insert heard', async () => one.writes.stamp() !== stamp, 5_000);
    expect(await titles(a)).toEqual(['Door heard']);

    const heard = one.writes.stamp();
    await revokeApiToken(other.db, tokenId);
    // Heard at once, not after the token check's 5 s (TOKEN_CACHE_MS).
    await waitUntil('the revocation heard', async () => one.writes.stamp() !== heard, 2_000);
    expect((await a.request('/v1/locks', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('stops trusting its cache while the listening connection is down, and listens again by itself', async () => {
    const admin = new pg.Client({ connectionString: pgDatabase.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'`);
      expect(rowCount).toBe(2);
      await waitUntil('the drop noticed', async () => !one.seesAllWrites, 5_000);
      await waitUntil('listening again', async () => one.seesAllWrites && other.seesAllWrites, 10_000);
    } finally {
      await admin.end();
    }
  });
});
