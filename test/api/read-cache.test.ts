import { describe, expect, it } from 'vitest';
import { cachedRead, WriteClock, writeTarget, writeTargets } from '../../server/db/read-cache.ts';
import { count, sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { organizations } from '../../server/db/schema/index.ts';
import { freshDatabase } from '../helpers/db.ts';

describe('the read cache and its write clock (server/db/read-cache.ts)', () => {
  it('names the table a statement writes, or none for a SELECT, or any for the rest', () => {
    expect(writeTarget('select * from "units"')).toBeNull();
    expect(writeTarget('insert into "api_tokens" ("id") values ($1)')).toBe('api_tokens');
    expect(writeTarget('update "api_tokens" set "revoked_at" = $1')).toBe('api_tokens');
    expect(writeTarget('delete from "organizations" where "id" = $1')).toBe('organizations');
    expect(writeTarget('with x as (delete from "units" returning 1) select * from x')).toBe('*');
    expect(writeTarget('truncate "api_tokens"')).toBe('*');
    expect(writeTarget(undefined)).toBe('*');
  });

  it('names every table a WITH statement writes, none when it only reads, any when a part is not understood', () => {
    const set = (text: string) => [...writeTargets(text)].sort();
    expect(set('with inserted as (insert into "mappings" (unit_id) select u from x) insert into "audit_events" (a) select 1')).toEqual(['audit_events', 'mappings']);
    expect(set('with x as (delete from "units" returning 1) select * from x')).toEqual(['units']);
    expect(set('with x as (select * from "units" for update) select * from x')).toEqual([]);
    expect(set('with x as (select * from "units" for no key update) update "locks" set a = 1')).toEqual(['locks']);
    expect(set('with x as (insert into public.units (id) values (1)) select 1')).toEqual(['*']);
    expect(set('select * from "units"')).toEqual([]);
    expect(set('update "api_tokens" set "revoked_at" = $1')).toEqual(['api_tokens']);
    expect(set('truncate "api_tokens"')).toEqual(['*']);
  });

  it('serves an entry until a write to one of its tables (or to anything unknown), then reads again', async () => {
    const writes = new WriteClock();
    const database = { writes, seesAllWrites: false } as unknown as Database;
    let loads = 0;
    const read = () => cachedRead(database, 'k', { maxAgeMs: 60_000, tables: ['api_tokens'] }, async () => ++loads);
    expect(await read()).toBe(1);
    expect(await read()).toBe(1);
    writes.tick(['units']);
    expect(await read()).toBe(1);
    writes.tick(['api_tokens']);
    expect(await read()).toBe(2);
    writes.tick();
    expect(await read()).toBe(3);
  });

  it('does not cache exact-only reads where other processes write, nor failed loads', async () => {
    const database = { writes: new WriteClock(), seesAllWrites: false } as unknown as Database;
    let loads = 0;
    const exact = () => cachedRead(database, 'e', { maxAgeMs: 60_000, exactOnly: true }, async () => ++loads);
    await exact();
    await exact();
    expect(loads).toBe(2);
    await expect(cachedRead(database, 'f', { maxAgeMs: 60_000 }, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cachedRead(database, 'f', { maxAgeMs: 60_000 }, async () => 'up')).toBe('up');
  });

  it('sees a write made inside a transaction once it commits, on the real database', async () => {
    const database = await freshDatabase();
    try {
      const orgs = () => cachedRead(database, 'orgs', { maxAgeMs: 60_000, tables: ['organizations'] }, async () => (await database.db.select({ n: count() }).from(organizations))[0]!.n);
      const before = await orgs();
      await database.db.transaction(async (tx) => {
        await tx.insert(organizations).values({ name: 'Written in a transaction' });
      });
      expect(await orgs()).toBe(before + 1);
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`delete from organizations where name = 'Written in a transaction'`);
      });
      expect(await orgs()).toBe(before);
    } finally {
      await database.close();
    }
  });
});
