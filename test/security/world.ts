/**
 * One API with every area wired to the sandbox fakes (Tapkey and Keycafe), an outbox worker,
 * and a tenant seeded through the API with one resource of every kind: location with both
 * provider connections, unit, imported and captured locks, mapping, booking with its Tapkey
 * grant, full sync run, Keycafe booking. Security tests attack this tenant from another one.
 */
import { and, count, inArray } from 'drizzle-orm';
import { expect } from 'vitest';
import { demoLocks, demoUnits, stableUuid } from '../../sandbox/demo-data.ts';
import { ControllableClock, DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN, startKeycafeSandbox, type KeycafeSandbox } from '../../sandbox/keycafe/index.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, startTapkeySandbox, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import { outboxJobs } from '../../server/db/schema/index.ts';
import { createJobHandlers } from '../../server/jobs.ts';
import { JOB_SYNC_KEYS } from '../../server/keycafe/bookings.ts';
import { KeycafeService } from '../../server/keycafe/service.ts';
import { OutboxWorker } from '../../server/outbox/outbox.ts';
import { clearTapkeyTokenCache } from '../../server/tapkey/client.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { waitUntil } from '../helpers/wait.ts';

export interface World {
  api: TestApi;
  tapkey: TapkeySandbox;
  keycafe: KeycafeSandbox;
  worker: OutboxWorker;
  /** Waits until the outbox has nothing due or running. */
  idle(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  clearTapkeyTokenCache();
  const tapkey = await startTapkeySandbox();
  const clock = new ControllableClock({ speed: 30 });
  const keycafe = await startKeycafeSandbox({ clock });
  const api = await startTestApi({
    deps: {
      tapkey: { tokenUrl: tapkey.tokenUrl, apiUrl: tapkey.apiUrl, retryBaseMs: 10, timeoutMs: 2000 },
      keycafe: new KeycafeService({ apiUrl: keycafe.url, clock, timeoutMs: 2000 }),
    },
  });
  const worker = new OutboxWorker(api.database.db, createJobHandlers(api.deps), { pollMs: 20, baseBackoffMs: 20, maxBackoffMs: 300, concurrency: 4 });
  api.deps.kickOutbox = () => worker.kick();
  worker.start();
  // Scheduled key syncs of "all keys" bookings wait for their time: not work in progress.
  const kindsRunningNow = Object.keys(createJobHandlers(api.deps)).filter((k) => k !== JOB_SYNC_KEYS);
  const idle = async (ms = 20_000) => {
    await waitUntil(
      'the outbox to go idle',
      async () => {
        const [row] = await api.database.db
          .select({ n: count() })
          .from(outboxJobs)
          .where(and(inArray(outboxJobs.state, ['pending', 'running']), inArray(outboxJobs.kind, kindsRunningNow)));
        return row!.n === 0;
      },
      ms,
    );
  };
  return {
    api,
    tapkey,
    keycafe,
    worker,
    idle,
    close: async () => {
      await worker.stop();
      await api.close();
      await keycafe.close();
      await tapkey.close();
    },
  };
}

/** The ids of one tenant's resources, and text that only that tenant's data contains. */
export interface Tenant {
  token: string;
  orgId: string;
  locationId: string;
  unitExternalId: string;
  unitId: string;
  /** Imported from Tapkey and mapped to the unit. */
  mappedLockId: string;
  /** Captured from the portal, not mapped. */
  capturedLockId: string;
  bookingExternalId: string;
  syncRunId: string;
  keycafeBookingId: string;
  keycafeKeyId: string;
  /** The Idempotency-Key the Keycafe booking was created with. */
  keycafeRequestKey: string;
  /** Strings that must never reach another organization (names, emails, secrets, internal ids). */
  markers: string[];
}

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/**
 * Seeds a tenant through the API with `token`. `tag` makes its names unique (e.g. "ALPHA"), so
 * any appearance of them in another tenant's answers is a leak.
 */
export async function seedTenant(world: World, token: string, orgId: string, tag: string): Promise<Tenant> {
  const call: Call = (method, path, body) => world.api.json(method, path, body, { token });
  const ok = (res: { status: number; body: any }, what: string) => {
    expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  const lower = tag.toLowerCase();
  const tapkeySecret = `${SANDBOX_CLIENT_SECRET}`;
  const location = ok(
    await call('POST', '/v1/locations', {
      name: `${tag} Secret site`,
      timeZone: 'Europe/Berlin',
      tapkey: { clientId: SANDBOX_CLIENT_ID, clientSecret: tapkeySecret, ownerAccountId: SANDBOX_OWNER_ID, syncMode: 'full' },
      keycafe: { accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: DEMO_KEYCAFE_TOKEN },
    }),
    'location',
  );
  ok(await call('POST', `/v1/locations/${location.id}/tapkey/import-locks`), 'import locks');
  const demoUnit = demoUnits()[0]!;
  const mappedLockId = demoLocks([demoUnit])[0]!.id;
  const unitExternalId = `${tag}-U1`;
  const unit = ok(await call('PUT', `/v1/units/${unitExternalId}`, { name: `${tag} Secret unit`, locationId: location.id }), 'unit');
  ok(await call('PUT', `/v1/units/${unitExternalId}/mapping`, { lockId: mappedLockId }), 'mapping');
  const capturedLockId = stableUuid(`security-captured:${tag}`);
  ok(
    await call('POST', '/v1/locks/captured', {
      locks: [{ id: capturedLockId, title: `${tag} Secret lock`, pageUrl: `https://my.tapkey.com/#/locks/${capturedLockId}`, locationId: location.id }],
    }),
    'captured lock',
  );
  const bookingExternalId = `${tag}-B1`;
  const today = new Date().toISOString().slice(0, 10);
  ok(
    await call('PUT', `/v1/bookings/${bookingExternalId}`, {
      unitExternalId,
      tenantEmail: `${lower}.tenant@example.com`,
      tenantPhone: '+49 151 99887766',
      moveIn: today,
      state: 'active',
    }),
    'booking',
  );
  const keycafeKeyId = '10001';
  const keycafeRequestKey = `idem-${lower}`;
  const keycafeBooking = ok(
    await world.api.json(
      'POST',
      '/v1/keycafe/bookings',
      { locationId: location.id, keyIds: [keycafeKeyId], recipient: { email: `${lower}.visitor@example.com` }, name: `${tag} Secret visitor`, type: 'ongoing' },
      { token, headers: { 'idempotency-key': keycafeRequestKey } },
    ),
    'keycafe booking',
  );
  const grant = await waitUntil(
    'grant active',
    async () => {
      const b = (await call('GET', `/v1/bookings/${bookingExternalId}`)).body;
      return b?.grant?.state === 'active' ? b.grant : null;
    },
    20_000,
  );
  const run = ok(await call('POST', `/v1/locations/${location.id}/sync-runs`), 'sync run');
  await waitUntil('sync run done', async () => (await call('GET', `/v1/sync-runs/${run.id}`)).body?.state === 'done', 20_000);
  await waitUntil('keycafe booking settled', async () => (await call('GET', `/v1/keycafe/bookings/${keycafeBooking.id}`)).body?.state === 'active', 20_000);
  await world.idle();
  const detail = (await call('GET', `/v1/keycafe/bookings/${keycafeBooking.id}`)).body;
  return {
    token,
    orgId,
    locationId: location.id,
    unitExternalId,
    unitId: unit.id,
    mappedLockId,
    capturedLockId,
    bookingExternalId,
    syncRunId: run.id,
    keycafeBookingId: keycafeBooking.id,
    keycafeKeyId,
    keycafeRequestKey,
    markers: [
      orgId,
      `${tag} Secret`,
      lower + '.tenant@example.com',
      lower + '.visitor@example.com',
      '99887766',
      unit.id,
      tapkeySecret,
      DEMO_KEYCAFE_TOKEN,
      ...(grant.tapkeyGrantId ? [grant.tapkeyGrantId] : []),
      ...detail.accesses.flatMap((a: { bookingCode?: string | null; keycafeAccessId?: string | number | null }) =>
        [a.bookingCode, a.keycafeAccessId].filter((v) => v !== null && v !== undefined && String(v).length >= 4).map(String),
      ),
    ],
  };
}
