/**
 * The admin page's background handlers against the real API and the provider sandboxes: a
 * first day from an empty organization (location, Tapkey with a wrong secret first, Keycafe,
 * locks, sync mode, full sync, revoking one selected grant, notices, health, audit), and no
 * secret typed on the page coming back in any answer, any API route or any log line.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoUnits } from '../../sandbox/demo-data.ts';
import { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN } from '../../sandbox/keycafe/data.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID } from '../../sandbox/tapkey-api/index.ts';
import { syncRunSettled } from '../../components/admin/FullSyncSection.tsx';
import { errorOf } from '../helpers/background.ts';
import { loadRoutes } from '../security/routes.ts';
import { lockOfUnit } from '../tapkey/helpers.ts';
import { waitUntil } from '../helpers/wait.ts';
import { startAdminWorld, type AdminWorld } from './world.ts';

let w: AdminWorld;
const units = demoUnits(4);
const logged: string[] = [];
const WRONG_SECRET = 'not-the-sandbox-secret-7f3a';

beforeAll(async () => {
  fakeBrowser.reset();
  // Everything the processes log while the test runs, to look for secrets in it afterwards.
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')));
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  w = await startAdminWorld();
}, 60_000);
afterAll(async () => {
  await w?.close();
  vi.restoreAllMocks();
});

describe('the first day through the admin messages', () => {
  let locationId = '';
  let runId = '';

  it('creates a location with time zone and address, and lists it with its counts', async () => {
    const { location } = await w.send({ type: 'adminSaveLocation', name: 'Berlin Mitte', timeZone: 'Europe/Berlin', address: 'Torstraße 1, Berlin' });
    locationId = location.id;
    expect(location).toMatchObject({ name: 'Berlin Mitte', timeZone: 'Europe/Berlin', address: 'Torstraße 1, Berlin', tapkey: null });
    const { items } = await w.send({ type: 'adminLocations' });
    expect(items).toEqual([{ location: expect.objectContaining({ id: locationId }), counts: { units: 0, locks: 0, bookings: 0 } }]);
  });

  it('refuses an unknown time zone with the field named, creating nothing', async () => {
    const info = await errorOf(w.send({ type: 'adminSaveLocation', name: 'Nowhere', timeZone: 'Mars/Olympus' }));
    expect(info.fieldErrors).toEqual([expect.objectContaining({ path: 'timeZone' })]);
    expect((await w.send({ type: 'adminLocations' })).items).toHaveLength(1);
  });

  it('Tapkey: a wrong secret is named as such; the right one shows the locking systems', async () => {
    const wrong = await w.send({ type: 'adminTapkeyOwners', locationId, clientId: SANDBOX_CLIENT_ID, clientSecret: WRONG_SECRET });
    expect(wrong.owners).toEqual([]);
    expect(wrong.problems.map((p) => p.code)).toEqual(['bad_credentials']);
    const right = await w.send({ type: 'adminTapkeyOwners', locationId, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET });
    expect(right.problems).toEqual([]);
    expect(right.owners.map((o) => o.id)).toContain(SANDBOX_OWNER_ID);
    // Nothing was stored by looking.
    expect((await w.api.json('GET', `/v1/locations/${locationId}`)).body.tapkey).toBeNull();
  });

  it('Tapkey: saved with a wrong secret the test names the problem; replaced, it passes', async () => {
    await w.send({ type: 'adminSaveTapkey', locationIds: [locationId], clientId: SANDBOX_CLIENT_ID, clientSecret: WRONG_SECRET, ownerAccountId: SANDBOX_OWNER_ID });
    const failed = await w.send({ type: 'adminTestTapkey', locationId });
    expect(failed.ok).toBe(false);
    expect(failed.problems[0]!.code).toBe('bad_credentials');

    const { locations } = await w.send({ type: 'adminSaveTapkey', locationIds: [locationId], clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, ownerAccountId: SANDBOX_OWNER_ID });
    expect(locations[0]!.tapkey).toMatchObject({ clientId: SANDBOX_CLIENT_ID, hasSecret: true, ownerAccountId: SANDBOX_OWNER_ID });
    const ok = await w.send({ type: 'adminTestTapkey', locationId });
    expect(ok).toMatchObject({ ok: true, ownerFound: true, problems: [] });
    expect(ok.lockCount).toBeGreaterThan(0);
    // Saving again without a secret keeps the stored one.
    await w.send({ type: 'adminSaveTapkey', locationIds: [locationId], clientId: SANDBOX_CLIENT_ID, ownerAccountId: SANDBOX_OWNER_ID });
    expect((await w.send({ type: 'adminTestTapkey', locationId })).ok).toBe(true);
  });

  it('Keycafe: a wrong token is refused; the right one lists keys and SmartBox locations', async () => {
    await w.send({ type: 'adminSaveKeycafe', locationId, accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: 'kc_wrong_token_5d1e' });
    const info = await errorOf(w.send({ type: 'adminTestKeycafe', locationId }));
    expect(info.kind).toBe('api');
    const saved = await w.send({ type: 'adminSaveKeycafe', locationId, accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: DEMO_KEYCAFE_TOKEN });
    expect(saved.location.keycafe).toEqual({ accountEmail: DEMO_KEYCAFE_EMAIL, hasToken: true });
    const seen = await w.send({ type: 'adminTestKeycafe', locationId });
    expect(seen.result.ok).toBe(true);
    expect(seen.keys.length).toBeGreaterThan(0);
    expect(seen.locations.length).toBeGreaterThan(0);
    expect(seen.result.keys).toBe(seen.keys.length);
  });

  it('sync mode and both triggers are saved', async () => {
    const { location } = await w.send({ type: 'adminSaveSyncMode', locationId, syncMode: 'full', triggers: ['move_in_reached', 'booking_creation'] });
    expect(location.tapkey).toMatchObject({ syncMode: 'full', accessTrigger: 'booking_creation', accessTriggers: ['booking_creation', 'move_in_reached'] });
    const only = await w.send({ type: 'adminSaveSyncMode', locationId, syncMode: 'full', triggers: ['move_in_reached'] });
    expect(only.location.tapkey).toMatchObject({ accessTrigger: 'move_in_reached', accessTriggers: ['move_in_reached'] });
    await w.send({ type: 'adminSaveSyncMode', locationId, syncMode: 'full', triggers: ['booking_creation'] });
  });

  it('imports the locks and lists them with their mapping state and search', async () => {
    const imported = await w.send({ type: 'adminImportLocks', locationId });
    expect(imported.total).toBeGreaterThan(0);
    expect(imported.created).toBe(imported.total);
    // Units arrive from the manager; one of them mapped to its lock.
    for (const u of units) expect((await w.api.json('PUT', `/v1/units/${u.externalId}`, { name: u.name, locationId })).status).toBe(201);
    for (const u of units.slice(0, 3)) expect((await w.api.json('PUT', `/v1/units/${u.externalId}/mapping`, { lockId: lockOfUnit(u) })).status).toBeLessThan(300);

    const all = await w.send({ type: 'adminLocks', locationId });
    expect(all.total).toBe(imported.total);
    const mapped = await w.send({ type: 'adminLocks', locationId, mapped: 'mapped' });
    expect(mapped.items.map((i) => i.unit?.externalId).sort()).toEqual(units.slice(0, 3).map((u) => u.externalId).sort());
    const unmapped = await w.send({ type: 'adminLocks', locationId, mapped: 'unmapped' });
    expect(unmapped.total).toBe(imported.total - 3);
    expect(unmapped.items.every((i) => i.unit === null)).toBe(true);
    const searched = await w.send({ type: 'adminLocks', locationId, search: lockOfUnit(units[0]!) });
    expect(searched.items.map((i) => i.lock.id)).toEqual([lockOfUnit(units[0]!)]);
    const { items } = await w.send({ type: 'adminLocations' });
    expect(items[0]!.counts).toEqual({ units: 4, locks: imported.total, bookings: 0 });
  });

  it('runs a full sync with progress and a report, then revokes only the selected unexplained grant', async () => {
    const put = (id: string, unit: number, email: string | null) =>
      w.api.json('PUT', `/v1/bookings/${id}`, { unitExternalId: units[unit]!.externalId, tenantEmail: email, moveIn: '2026-01-01', state: 'active' });
    expect((await put('B1', 0, 'tenant1@example.com')).status).toBe(201);
    expect((await put('B2', 1, null)).status).toBe(201);
    expect((await put('B3', 2, 'someone@gmial.com')).status).toBe(201);
    const intruder = w.grantByHand('intruder@example.com', lockOfUnit(units[3]!));
    const stranger = w.grantByHand('stranger@example.com', lockOfUnit(units[3]!));

    const { run } = await w.send({ type: 'adminStartSync', locationId });
    runId = run.id;
    expect(run.progress.total).toBe(2);
    const done = await waitUntil('sync settled', async () => {
      const { run: r } = await w.send({ type: 'adminSyncRun', runId });
      return syncRunSettled(r) ? r : null;
    });
    expect(done.progress).toMatchObject({ total: 2, done: 2, failed: 0 });
    expect(done.report.bookingsWithoutEmail.items).toEqual([{ bookingExternalId: 'B2', unitExternalId: units[1]!.externalId }]);
    expect(done.report.invalidEmails.items.map((i) => i.bookingExternalId)).toEqual(['B3']);
    expect(done.report.unitsWithoutMapping.items.map((u) => u.unitExternalId)).toEqual([units[3]!.externalId]);
    expect(done.report.unexplainedGrants.items.map((g) => g.tapkeyGrantId).sort()).toEqual([intruder, stranger].sort());
    // The page finds the run again after being closed.
    expect((await w.send({ type: 'adminLatestSync', locationId })).run?.id).toBe(runId);

    expect(await w.send({ type: 'adminRevokeGrants', runId, tapkeyGrantIds: [intruder] })).toEqual({ queued: 1 });
    const after = await waitUntil('revoked', async () => {
      const { run: r } = await w.send({ type: 'adminSyncRun', runId });
      return r.report.unexplainedGrants.items.find((g) => g.tapkeyGrantId === intruder)?.state === 'revoked' ? r : null;
    });
    expect(after.report.unexplainedGrants.items.find((g) => g.tapkeyGrantId === stranger)?.state).toBe('found');
    expect(w.tapkey.state.grants.get(stranger)?.active).toBe(true);
    expect(w.tapkey.state.grants.get(intruder)?.active).not.toBe(true);
  });

  it('shows the access-ready notice of a booking in the language asked for', async () => {
    await waitUntil('grant active', async () => (await w.api.json('GET', '/v1/bookings/B1')).body.grant?.state === 'active');
    const bookings = await w.send({ type: 'adminBookings', locationId, search: 'B1' });
    expect(bookings.items.map((b) => b.externalId)).toEqual(['B1']);
    const de = await waitUntil('notice', async () => {
      const n = await w.send({ type: 'adminNotices', bookingExternalId: 'B1', lang: 'de' });
      return n.items.length ? n : null;
    });
    expect(de.items[0]!.text).toContain('tenant1@example.com');
    expect(de.items[0]!.template).toContain(de.items[0]!.mergeField);
    const en = await w.send({ type: 'adminNotices', bookingExternalId: 'B1', lang: 'en' });
    expect(en.items[0]!.text).not.toBe(de.items[0]!.text);
  });

  it('health: pending and failed grants, Keycafe bookings and the outbox backlog; retry of a failed grant', async () => {
    const health = await w.send({ type: 'adminHealth', locationId });
    expect(health.tapkeyFailed).toEqual([]);
    expect(health.outbox).toMatchObject({ failed: 0 });
    expect(typeof health.outbox.pending).toBe('number');
    expect(Array.isArray(health.keycafe)).toBe(true);
    // A failed grant: a unit mapped to a lock Tapkey does not know (yet); once it is bound, "Retry" grants it.
    const lockId = '0badc0de-4fc0-4084-85b2-bebf52c3595f';
    expect((await w.api.json('POST', '/v1/locks/captured', { locks: [{ id: lockId, title: 'New door', pageUrl: 'https://my.tapkey.com/x', locationId }] })).status).toBeLessThan(300);
    expect((await w.api.json('PUT', '/v1/units/U-NEW', { name: 'New unit', locationId })).status).toBe(201);
    expect((await w.api.json('PUT', '/v1/units/U-NEW/mapping', { lockId })).status).toBeLessThan(300);
    expect((await w.api.json('PUT', '/v1/bookings/B4', { unitExternalId: 'U-NEW', tenantEmail: 'late@example.com', moveIn: '2026-01-01', state: 'active' })).status).toBe(201);
    const failing = await waitUntil('grant failed', async () => {
      const h = await w.send({ type: 'adminHealth', locationId });
      return h.tapkeyFailed.find((b) => b.externalId === 'B4') ?? null;
    }, 30_000);
    expect(failing.grant?.reason).toBeTruthy();
    w.tapkey.state.addLock(SANDBOX_OWNER_ID, { id: lockId, title: 'New door' });
    await w.send({ type: 'adminRetryGrant', bookingExternalId: 'B4' });
    await waitUntil('grant active again', async () => (await w.api.json('GET', '/v1/bookings/B4')).body.grant?.state === 'active', 30_000);
  }, 60_000);

  it('audit log filtered by who, what and since', async () => {
    const byAction = await w.send({ type: 'adminAudit', action: 'location.' });
    expect(byAction.items.length).toBeGreaterThan(0);
    expect(byAction.items.every((e) => e.action.startsWith('location.'))).toBe(true);
    const actor = byAction.items[0]!.actor;
    const byActor = await w.send({ type: 'adminAudit', actor });
    expect(byActor.items.every((e) => e.actor === actor)).toBe(true);
    const future = await w.send({ type: 'adminAudit', since: new Date(Date.now() + 3600_000).toISOString() });
    expect(future).toEqual({ items: [], total: 0 });
  });

  it('deletes a location after the page confirmed, and says why when bookings still need it', async () => {
    const { location } = await w.send({ type: 'adminSaveLocation', name: 'Spare', timeZone: 'UTC' });
    expect(await w.send({ type: 'adminDeleteLocation', id: location.id })).toEqual({ deleted: true });
    expect((await w.send({ type: 'adminLocations' })).items.map((s) => s.location.name)).toEqual(['Berlin Mitte']);
  });
});

describe('secrets typed on the admin page', () => {
  const secrets = [SANDBOX_CLIENT_SECRET, WRONG_SECRET, DEMO_KEYCAFE_TOKEN, 'kc_wrong_token_5d1e'];

  it('come back in no answer of the background', () => {
    expect(w.replies.length).toBeGreaterThan(20);
    for (const reply of w.replies) for (const s of secrets) expect(reply).not.toContain(s);
  });

  it('come back from no GET route of the API', async () => {
    const { routes } = await loadRoutes(w.api);
    const locationId = (await w.api.json('GET', '/v1/locations')).body.items[0].id;
    const runs = (await w.api.json('GET', `/v1/locations/${locationId}/sync-runs`)).body.items;
    const values: Record<string, string> = { id: locationId, externalId: 'B1', lockId: lockOfUnit(units[0]!), unitId: locationId };
    let read = 0;
    for (const r of routes.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/'))) {
      const path = r.path.replace('/v1/sync-runs/{id}', `/v1/sync-runs/${runs[0].id}`).replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(values[p] ?? 'x'));
      const res = await fetch(w.api.url + path + (path.includes('?') ? '&' : '?') + 'limit=500', { headers: { authorization: `Bearer ${w.api.token}` } });
      const text = await res.text();
      read++;
      for (const s of secrets) expect(text, `${r.key}`).not.toContain(s);
    }
    expect(read).toBeGreaterThan(15);
    // The audit log says a secret changed, never which.
    const audit = await w.api.json('GET', '/v1/audit-events?limit=500');
    expect(JSON.stringify(audit.body)).toContain('tapkey.clientSecret');
  });

  it('are written to no log', () => {
    const all = logged.join('\n');
    for (const s of secrets) expect(all).not.toContain(s);
  });
});
