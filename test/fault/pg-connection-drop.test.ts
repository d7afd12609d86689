/**
 * Fault test: the PostgreSQL connections drop while requests and outbox jobs are in flight.
 * A separate admin connection terminates every backend of the API's database (the way a
 * failover, a restart or an idle-connection killer does) again and again while bookings arrive
 * through the API and their Tapkey grants are being created by the outbox (Tapkey answers
 * slowly, so jobs are mid-flight when their connection dies).
 *
 * Then: every request either succeeded or answered a 5xx with the contract's error body; no
 * booking is half-written (a booking exists exactly when its audit event and its grant do);
 * the client retries what failed; the outbox resumes and each grant is created in Tapkey
 * exactly once; every job is done, none failed; the audit log has one creation per booking;
 * and the API still serves.
 *
 * Needs a real PostgreSQL server (DATABASE_URL): embedded PGlite has no connections to drop.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../lib/contract.ts';
import { demoUnits } from '../../sandbox/demo-data.ts';
import { startTapkeySandbox, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import type { Database } from '../../server/db/client.ts';
import { createJobHandlers } from '../../server/jobs.ts';
import { OutboxWorker } from '../../server/outbox/outbox.ts';
import { clearTapkeyTokenCache } from '../../server/tapkey/client.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { freshDatabase } from '../helpers/db.ts';
import { waitUntil } from '../helpers/wait.ts';
import { activeInTapkey, duplicatesInTapkey, lockOfUnit } from '../tapkey/helpers.ts';
import { seedTapkeyWorld, type SeededWorld } from '../tapkey/seed.ts';

const BASE_URL = process.env.DATABASE_URL;
const BOOKINGS = 60;
const today = new Date().toISOString().slice(0, 10);

let sb: TapkeySandbox;
let database: Database & { url?: string };
let api: TestApi;
let worker: OutboxWorker;
let world: SeededWorld;

const rows = async <T>(query: ReturnType<typeof sql>) => ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;

describe.skipIf(!BASE_URL)('PostgreSQL connections dropping mid-flight (skipped without DATABASE_URL: PGlite has no connections to drop)', () => {
  beforeAll(async () => {
    clearTapkeyTokenCache();
    sb = await startTapkeySandbox({ locks: BOOKINGS + 3, duplicateGrants: 'allow' });
    database = await freshDatabase();
    const secretKey = randomBytes(32);
    world = await seedTapkeyWorld(database.db, { bookings: BOOKINGS, secretKey });
    // Units, locks and mappings stay seeded; the bookings arrive through the API under test.
    await database.db.execute(sql`delete from bookings`);
    // Short leases, scaled like the retries below: a job whose connection died while it ran is
    // taken over after 2 s, and the per-contact Tapkey lease it held runs out after 3 s
    // (production: 60 s and 2 min, with retries spread over minutes).
    api = await startTestApi({ deps: { database, secretKey, tapkey: { tokenUrl: sb.tokenUrl, apiUrl: sb.apiUrl, retryBaseMs: 20, timeoutMs: 3000, leaseMs: 3000 } } });
    worker = new OutboxWorker(database.db, createJobHandlers(api.deps), { concurrency: 4, pollMs: 50, leaseMs: 2000, baseBackoffMs: 100, maxBackoffMs: 2000 });
    api.deps.kickOutbox = () => worker.kick();
    worker.start();
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await database?.close();
    await sb?.close();
  });

  const putBooking = (i: number) =>
    fetch(`${api.url}/v1/bookings/B${100000 + i}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${world.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ unitExternalId: demoUnits(BOOKINGS)[i]!.externalId, tenantEmail: `tenant${i}@example.com`, moveIn: today, state: 'active' }),
    }).then(async (res) => ({ status: res.status, text: await res.text() }));

  it('requests answer 5xx JSON or succeed, nothing is half-written, and every grant is created exactly once', { timeout: 180_000 }, async () => {
    // Tapkey answers grant creations slowly, so jobs are running when their connection dies.
    sb.faults.add({ kind: 'slow', endpoint: 'grants.create', delayMs: 80, times: Infinity });
    const dbName = new URL(database.url!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    let killing = true;
    let kills = 0;
    let backendsTerminated = 0;
    const killer = (async () => {
      while (killing) {
        await new Promise((r) => setTimeout(r, 120 + Math.random() * 150));
        const { rows: r } = await admin.query('select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
        kills++;
        backendsTerminated += r[0].n;
      }
    })();

    // Bookings arrive six at a time while the connections keep dropping.
    const results: { i: number; status: number; text: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < BOOKINGS) {
          const i = next++;
          results.push({ i, ...(await putBooking(i)) });
          await new Promise((r) => setTimeout(r, 30));
        }
      }),
    );
    // Keep dropping while the outbox works through the grants.
    await new Promise((r) => setTimeout(r, 2500));
    killing = false;
    await killer;
    await admin.end();
    expect(kills).toBeGreaterThan(5);
    expect(backendsTerminated, 'the killer must have hit live connections').toBeGreaterThan(5);

    // 1. Each request succeeded or failed as a 5xx with the contract's body.
    for (const r of results) {
      if (r.status < 300) continue;
      expect(r.status, `B${100000 + r.i}: ${r.text.slice(0, 200)}`).toBeGreaterThanOrEqual(500);
      expect(errorBodySchema.safeParse(JSON.parse(r.text)).success, r.text).toBe(true);
    }
    const failed = results.filter((r) => r.status >= 300);

    // 2. Nothing half-written: a booking exists exactly when its audit event and its grant do.
    const check = await rows<{ bookings: number; audited: number; granted: number; orphan_audits: number }>(sql`
      select
        (select count(*)::int from bookings) as bookings,
        (select count(*)::int from bookings b where exists (select 1 from audit_events a where a.entity = 'booking' and a.entity_id = b.external_id and a.action = 'booking.created')) as audited,
        (select count(*)::int from bookings b where exists (select 1 from tapkey_grants g where g.booking_id = b.id)) as granted,
        (select count(*)::int from audit_events a where a.action = 'booking.created' and not exists (select 1 from bookings b where b.external_id = a.entity_id)) as orphan_audits`);
    expect(check[0]!.audited).toBe(check[0]!.bookings);
    expect(check[0]!.granted).toBe(check[0]!.bookings);
    expect(check[0]!.orphan_audits).toBe(0);

    // 3. The client retries what failed; the API serves again.
    for (const r of failed) {
      let res = await putBooking(r.i);
      for (let attempt = 0; res.status >= 500 && attempt < 5; attempt++) res = await putBooking(r.i);
      expect(res.status, res.text).toBeLessThan(300);
    }
    expect((await api.json('GET', '/ready')).status).toBe(200);

    // 4. The outbox resumes: every grant becomes active, each created in Tapkey exactly once.
    await waitUntil(
      'the outbox to finish',
      async () => {
        const [s] = await rows<{ open: number; failed: number; active: number }>(sql`
          select (select count(*)::int from outbox_jobs where state in ('pending', 'running')) as open,
                 (select count(*)::int from outbox_jobs where state = 'failed') as failed,
                 (select count(*)::int from tapkey_grants where state = 'active') as active`);
        if (s!.failed) expect(await rows(sql`select kind, attempts, last_error from outbox_jobs where state = 'failed'`), 'failed outbox jobs').toEqual([]);
        return s!.open === 0 && s!.active === BOOKINGS;
      },
      90_000,
      200,
    );
    expect(duplicatesInTapkey(sb)).toEqual([]);
    const units = demoUnits(BOOKINGS);
    for (let i = 0; i < BOOKINGS; i++) expect(activeInTapkey(sb, `tenant${i}@example.com`, lockOfUnit(units[i]!)), `tenant${i}`).toHaveLength(1);
    const created = sb.calls.log.filter((c) => c.endpoint === 'grants.create' && c.status >= 200 && c.status < 300).length;
    expect(created, 'successful grant creations in Tapkey').toBe(BOOKINGS);
    const [jobs] = await rows<{ failed: number; done: number; keys: number; total: number }>(sql`
      select count(*) filter (where state = 'failed')::int as failed, count(*) filter (where state = 'done')::int as done,
             count(distinct idempotency_key)::int as keys, count(*)::int as total from outbox_jobs`);
    expect(jobs).toMatchObject({ failed: 0, done: jobs!.total, keys: jobs!.total });

    // 5. The audit log matches: one creation per booking, no other booking changes.
    const audit = await rows<{ action: string; n: number }>(sql`select action, count(*)::int as n from audit_events where entity = 'booking' group by action order by action`);
    expect(audit).toEqual([{ action: 'booking.created', n: BOOKINGS }]);
    const list = await api.json('GET', '/v1/bookings?grantState=active&limit=1', undefined, { token: world.token });
    expect(list.body.total).toBe(BOOKINGS);
  });
});
