/**
 * Bookings the way the seed means them, through the real API over HTTP with the Tapkey sandbox:
 * full replace needs the state, an ended booking stays ended until restored, the batch intake
 * is idempotent by booking id, gradual mode manages bookings made after the connection, the
 * signed webhook refuses bad signatures, old timestamps and replays, the bookings file imports
 * all or nothing, stale bookings are flagged (never revoked), and a unit cannot be mapped to a
 * lock of another location.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUnits } from '../../sandbox/demo-data.ts';
import { signHook } from '../../server/bookings/hook-signature.ts';
import { writeTable } from '../../server/bulk/table-write.ts';
import { auditEvents, bookings, locks, outboxJobs, units } from '../../server/db/schema/index.ts';
import { count, inArray } from 'drizzle-orm';
import { waitUntil } from '../helpers/wait.ts';
import { activeInTapkey, createLocation, grantState, lockOfUnit, setupUnits, startTapkeyWorld, type TapkeyTestWorld } from '../tapkey/helpers.ts';

let w: TapkeyTestWorld;
let locationId: string;
let clockOffsetMs = 0;
const all = demoUnits(120);
const u = (i: number) => all[i]!;

beforeAll(async () => {
  w = await startTapkeyWorld({ locks: 120, now: () => new Date(Date.now() + clockOffsetMs) });
  locationId = await createLocation(w.api, { syncMode: 'full' });
  expect((await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`)).status).toBe(200);
  await setupUnits(w.api, locationId, all.slice(0, 10));
  await setupUnits(w.api, locationId, all.slice(10, 70), { map: false });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

const bookingCount = async () => (await w.api.database.db.select({ n: count() }).from(bookings))[0]!.n;

describe('PUT is a full replace; an ended booking stays ended until restored', () => {
  it('refuses a PUT without state and keeps an ended booking ended', async () => {
    const body = { unitExternalId: u(0).externalId, tenantEmail: 'ended@example.com', moveIn: '2026-03-01' };
    const noState = await w.api.json('PUT', '/v1/bookings/E1', body);
    expect(noState.status).toBe(400);
    expect(noState.body.fieldErrors).toEqual([expect.objectContaining({ path: 'state' })]);
    expect((await w.api.json('GET', '/v1/bookings/E1')).status).toBe(404);

    expect((await w.api.json('PUT', '/v1/bookings/E1', { ...body, state: 'active' })).status).toBe(201);
    await grantState(w.api, 'E1', 'active');
    expect((await w.api.json('PUT', '/v1/bookings/E1', { ...body, state: 'ended' })).status).toBe(200);
    await grantState(w.api, 'E1', 'revoked');

    // Neither PUT without state, nor PUT/PATCH to active, nor an intake makes it active again.
    expect((await w.api.json('PUT', '/v1/bookings/E1', body)).status).toBe(400);
    const again = await w.api.json('PUT', '/v1/bookings/E1', { ...body, state: 'active' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('/restore');
    expect((await w.api.json('PATCH', '/v1/bookings/E1', { state: 'reserved' })).status).toBe(409);
    const intake = await w.api.json('POST', '/v1/bookings/batch', { bookings: [{ externalId: 'E1', ...body, state: 'active' }] });
    expect(intake.body).toMatchObject({ created: 0, changed: 0, unchanged: 0, refused: [{ externalId: 'E1', code: 'restore_needed' }] });
    const still = await w.api.json('GET', '/v1/bookings/E1');
    expect(still.body).toMatchObject({ state: 'ended', grant: { state: 'revoked' } });
    expect(activeInTapkey(w.sb, 'ended@example.com', lockOfUnit(u(0)))).toHaveLength(0);

    // A partial change of an ended booking is fine, and restore is the explicit way back.
    const patched = await w.api.json('PATCH', '/v1/bookings/E1', { tenantPhone: '+49 151 1234567' });
    expect(patched.body).toMatchObject({ state: 'ended', tenantPhone: '+49 151 1234567' });
    const restored = await w.api.json('POST', '/v1/bookings/E1/restore');
    expect(restored.body.state).toBe('active');
    await grantState(w.api, 'E1', 'active');
    const audit = await w.api.json('GET', '/v1/audit-events?entity=booking&entityId=E1');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('booking.restored');
  });

  it('PATCH changes only the fields sent and refuses unknown fields', async () => {
    await w.api.json('PUT', '/v1/bookings/P1', { unitExternalId: u(1).externalId, tenantEmail: 'p1@example.com', moveIn: '2026-03-01', moveOut: '2026-09-30', state: 'active' });
    const res = await w.api.json('PATCH', '/v1/bookings/P1', { moveOut: '2026-12-31' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenantEmail: 'p1@example.com', moveIn: '2026-03-01', moveOut: '2026-12-31', state: 'active' });
    expect((await w.api.json('PATCH', '/v1/bookings/P1', { moveOut: '2026-01-01' })).status).toBe(400);
    expect((await w.api.json('PATCH', '/v1/bookings/P1', { colour: 'red' })).status).toBe(400);
    expect((await w.api.json('PATCH', '/v1/bookings/nope', { tenantPhone: '1234' })).status).toBe(404);
  });
});

describe('batch intake (list capture)', () => {
  const listed = (n: number, over: (i: number) => Record<string, unknown> = () => ({})) =>
    Array.from({ length: n }, (_, i) => ({
      externalId: `L${1000 + i}`,
      unitExternalId: u(10 + i).externalId,
      tenantEmail: `list${i}@example.com`,
      tenantPhone: null,
      moveIn: '2026-04-01',
      moveOut: null,
      ...over(i),
    }));

  it('creates 50, then a re-capture changes nothing, then one change is one change', async () => {
    const before = await bookingCount();
    const first = await w.api.json('POST', '/v1/bookings/batch', { source: 'list', bookings: listed(50) });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ total: 50, created: 50, changed: 0, unchanged: 0, refused: [] });
    expect(await bookingCount()).toBe(before + 50);
    // The first capture's grants are created by the outbox, with their own audit events: let
    // them finish, so the count below is the re-capture's alone.
    await waitUntil('the outbox settled', async () => (await w.api.database.db.select({ n: count() }).from(outboxJobs).where(inArray(outboxJobs.state, ['pending', 'running'])))[0]!.n === 0);
    const auditsBefore = (await w.api.database.db.select({ n: count() }).from(auditEvents))[0]!.n;
    const second = await w.api.json('POST', '/v1/bookings/batch', { source: 'list', bookings: listed(50) });
    expect(second.body).toEqual({ total: 50, created: 0, changed: 0, unchanged: 50, refused: [] });
    expect((await w.api.database.db.select({ n: count() }).from(auditEvents))[0]!.n).toBe(auditsBefore);
    const third = await w.api.json('POST', '/v1/bookings/batch', { source: 'list', bookings: listed(50, (i) => (i === 7 ? { moveOut: '2026-10-31' } : {})) });
    expect(third.body).toMatchObject({ created: 0, changed: 1, unchanged: 49 });
    expect((await w.api.json('GET', '/v1/bookings/L1007')).body).toMatchObject({ moveOut: '2026-10-31', lastSeenVia: 'list', state: 'active' });
  });

  it('lists rows it cannot take, applies the others', async () => {
    const res = await w.api.json('POST', '/v1/bookings/batch', {
      bookings: [
        { externalId: 'X1', unitExternalId: 'U-none', moveIn: '2026-04-01' },
        { externalId: 'X2', unitExternalId: u(2).externalId, moveIn: '2026-04-01', tenantEmail: 'x2@example.com' },
        { externalId: 'X2', unitExternalId: u(2).externalId, moveIn: '2026-04-02' },
      ],
    });
    expect(res.body).toMatchObject({ created: 1, refused: [{ externalId: 'X1', code: 'unknown_unit', field: 'unitExternalId' }, { externalId: 'X2', code: 'duplicate' }] });
    expect((await w.api.json('POST', '/v1/bookings/batch', { bookings: [] })).status).toBe(400);
  });

  it('flags bookings no intake reported for the stale threshold, and never revokes them', async () => {
    clockOffsetMs = 20 * 24 * 3600_000;
    try {
      const stale = await w.api.json('GET', '/v1/bookings?stale=true&limit=1000');
      expect(stale.body.items.map((b: { externalId: string }) => b.externalId)).toEqual(expect.arrayContaining(['L1000', 'L1049']));
      expect(stale.body.items.every((b: { stale: boolean }) => b.stale)).toBe(true);
      // Ended and cancelled bookings are settled: never stale.
      expect(stale.body.items.every((b: { state: string }) => b.state === 'active' || b.state === 'reserved')).toBe(true);
      expect((await w.api.json('GET', '/v1/bookings?stale=true&staleDays=30&limit=1000')).body.total).toBe(0);
      // Flagged, never revoked: access is untouched.
      expect((await w.api.json('GET', '/v1/bookings/E1')).body).toMatchObject({ stale: true, grant: { state: 'active' } });
    } finally {
      clockOffsetMs = 0;
    }
    // Reported again: no longer stale.
    await w.api.json('POST', '/v1/bookings/batch', { source: 'list', bookings: listed(50) });
    clockOffsetMs = 13 * 24 * 3600_000;
    try {
      expect((await w.api.json('GET', '/v1/bookings/L1000')).body.stale).toBe(false);
      expect((await w.api.json('GET', '/v1/bookings/E1')).body.stale).toBe(false);
    } finally {
      clockOffsetMs = 0;
    }
  });
});

describe('gradual mode', () => {
  it('manages a booking made after the connection without any click, and leaves an older one alone', async () => {
    const gradual = await createLocation(w.api, { name: 'Gradual Ost', syncMode: 'gradual' });
    const loc = await w.api.json('GET', `/v1/locations/${gradual}`);
    const connectedAt = loc.body.tapkey.connectedAt as string;
    expect(Date.parse(connectedAt)).toBeGreaterThan(Date.now() - 60_000);
    await moveLocks([100, 101, 102], gradual);
    for (const i of [100, 101, 102]) {
      expect((await w.api.json('PUT', `/v1/units/G${i}`, { name: `G-${i}`, locationId: gradual })).status).toBeLessThan(300);
      expect((await w.api.json('PUT', `/v1/units/G${i}/mapping`, { lockId: lockOfUnit(u(i)) })).status).toBeLessThan(300);
    }
    const newer = await w.api.json('PUT', '/v1/bookings/GN1', { unitExternalId: 'G100', tenantEmail: 'new@example.com', moveIn: '2099-01-01', state: 'reserved' });
    expect(newer.body).toMatchObject({ syncEnabled: true, syncOverride: null });
    const older = await w.api.json('PUT', '/v1/bookings/GO1', {
      unitExternalId: 'G101',
      tenantEmail: 'old@example.com',
      moveIn: '2099-01-01',
      state: 'active',
      bookedAt: new Date(Date.parse(connectedAt) - 86_400_000).toISOString(),
    });
    expect(older.body).toMatchObject({ syncEnabled: false, syncOverride: null, access: { status: 'sync_off' } });
    // Moved in before the connection and no booking time known: made before it too.
    const movedIn = await w.api.json('PUT', '/v1/bookings/GO2', { unitExternalId: 'G102', tenantEmail: 'old2@example.com', moveIn: '2025-01-01', state: 'active' });
    expect(movedIn.body.access.status).toBe('sync_off');

    await grantState(w.api, 'GN1', 'active', lockOfUnit(u(100)));
    expect(activeInTapkey(w.sb, 'new@example.com', lockOfUnit(u(100)))).toHaveLength(1);
    expect(activeInTapkey(w.sb, 'old@example.com', lockOfUnit(u(101)))).toHaveLength(0);

    // The per-booking override stays the exception, both ways; null hands back to the mode.
    const on = await w.api.json('PATCH', '/v1/bookings/GO1', { syncEnabled: true });
    expect(on.body).toMatchObject({ syncEnabled: true, syncOverride: true });
    await grantState(w.api, 'GO1', 'active');
    const off = await w.api.json('PATCH', '/v1/bookings/GN1', { syncEnabled: false });
    expect(off.body).toMatchObject({ syncEnabled: false, syncOverride: false });
    await grantState(w.api, 'GN1', 'revoked');
    expect((await w.api.json('PATCH', '/v1/bookings/GN1', { syncEnabled: null })).body).toMatchObject({ syncEnabled: true, syncOverride: null });
    await grantState(w.api, 'GN1', 'active');
  });

  it('both triggers can be on: the grant comes at booking creation', async () => {
    const both = await createLocation(w.api, { name: 'Both triggers', syncMode: 'full', accessTrigger: 'move_in_reached' });
    const patched = await w.api.json('PATCH', `/v1/locations/${both}`, { tapkey: { accessTriggers: ['booking_creation', 'move_in_reached'] } });
    expect(patched.status).toBe(200);
    expect(patched.body.tapkey).toMatchObject({ accessTriggers: ['booking_creation', 'move_in_reached'] });
    expect((await w.api.json('PATCH', `/v1/locations/${both}`, { tapkey: { accessTriggers: [] } })).status).toBe(400);
    await moveLocks([103], both);
    await w.api.json('PUT', '/v1/units/T1', { name: 'T-1', locationId: both });
    expect((await w.api.json('PUT', '/v1/units/T1/mapping', { lockId: lockOfUnit(u(103)) })).status).toBe(201);
    const b = await w.api.json('PUT', '/v1/bookings/T1B', { unitExternalId: 'T1', tenantEmail: 'both@example.com', moveIn: '2099-05-01', state: 'reserved' });
    expect(b.body.access.status).not.toBe('waiting_for_move_in');
    await grantState(w.api, 'T1B', 'active');
  });
});

describe('signed webhook', () => {
  const send = (path: string, body: string, headers: Record<string, string>) =>
    fetch(w.api.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => ({ status: r.status, body: await r.json() }));

  it('applies a signed event once; refuses bad signatures, old timestamps and replays, changing nothing', async () => {
    const rotated = await w.api.json('POST', `/v1/locations/${locationId}/booking-hook/secret`);
    expect(rotated.status).toBe(201);
    const { secret, path } = rotated.body as { secret: string; path: string };
    expect(secret).toMatch(/^whsec_/);
    expect(path).toBe(`/v1/hooks/bookings/${locationId}`);
    const audit = await w.api.json('GET', `/v1/audit-events?entity=location&entityId=${locationId}`);
    expect(JSON.stringify(audit.body)).not.toContain(secret);

    const body = JSON.stringify({ eventId: 'evt-1', bookings: [{ externalId: 'W1', unitExternalId: u(3).externalId, tenantEmail: 'hook@example.com', moveIn: '2026-05-01', state: 'active' }] });
    const now = () => String(Math.floor(Date.now() / 1000));
    const signed = (ts: string, b = body, s = secret) => ({ 'x-accessbridge-timestamp': ts, 'x-accessbridge-signature': signHook(s, ts, b) });
    const before = await bookingCount();

    const wrongSecret = await send(path, body, signed(now(), body, 'whsec_wrong'));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error.message).toMatch(/signature/);
    const tampered = await send(path, body.replace('hook@', 'evil@'), signed(now()));
    expect(tampered.status).toBe(401);
    const old = String(Math.floor(Date.now() / 1000) - 6 * 60);
    const expired = await send(path, body, signed(old));
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/minutes/);
    expect((await send(path, body, {})).status).toBe(401);
    // An API token is no substitute for the signature.
    expect((await send(path, body, { authorization: `Bearer ${w.api.token}` })).status).toBe(401);
    expect(await bookingCount()).toBe(before);

    const ok = await send(path, body, signed(now()));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ created: 1, changed: 0, refused: [] });
    expect((await w.api.json('GET', '/v1/bookings/W1')).body).toMatchObject({ tenantEmail: 'hook@example.com', lastSeenVia: 'webhook' });

    // The same event again (freshly signed): refused, nothing changes.
    const replayBody = body.replace('2026-05-01', '2026-06-01');
    const replay = await send(path, replayBody, signed(now(), replayBody));
    expect(replay.status).toBe(409);
    expect(replay.body.details.result).toMatchObject({ created: 1 });
    expect((await w.api.json('GET', '/v1/bookings/W1')).body.moveIn).toBe('2026-05-01');
    expect(await bookingCount()).toBe(before + 1);

    // A unit of another location is not this location's to report.
    const other = await w.api.json('POST', '/v1/locations', { name: 'Elsewhere' });
    await w.api.json('PUT', '/v1/units/ELSE-1', { name: 'Else 1', locationId: other.body.id });
    const foreign = JSON.stringify({ eventId: 'evt-2', bookings: [{ externalId: 'W2', unitExternalId: 'ELSE-1', moveIn: '2026-05-01' }] });
    expect((await send(path, foreign, signed(now(), foreign))).body).toMatchObject({ created: 0, refused: [{ code: 'other_location' }] });

    // Rotating the secret invalidates the old one at once.
    await w.api.json('POST', `/v1/locations/${locationId}/booking-hook/secret`);
    const stale = JSON.stringify({ eventId: 'evt-3', bookings: [{ externalId: 'W3', unitExternalId: u(3).externalId, moveIn: '2026-05-01' }] });
    expect((await send(path, stale, signed(now(), stale))).status).toBe(401);
  });

  it("README's copy-paste example works as written (bash, openssl, curl, jq)", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('**Signed webhook**'));
    const script = section.slice(section.indexOf('```sh') + 5, section.indexOf('```', section.indexOf('```sh') + 5));
    expect(script).toContain('openssl dgst -sha256 -hmac');
    // Asynchronous: the API answering curl runs in this very process.
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      env: { ...process.env, API: w.api.url, TOKEN: w.api.token, LOCATION_ID: locationId },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toMatchObject({ total: 1, refused: [] });
    expect((await w.api.json('GET', '/v1/bookings/B5000')).body).toMatchObject({ unitExternalId: 'U1000', tenantEmail: 'anna@example.com', lastSeenVia: 'webhook' });
  });

  it('is documented with its signature headers in /openapi.json', async () => {
    const doc = (await fetch(`${w.api.url}/openapi.json`).then((r) => r.json())) as { paths: Record<string, Record<string, { security?: unknown[]; description?: string }>> };
    const op = doc.paths['/v1/hooks/bookings/{locationId}']!.post!;
    expect(op.security).toEqual([]);
    expect(op.description).toContain('X-AccessBridge-Signature');
    expect(op.description).toContain('openssl dgst -sha256 -hmac');
    expect(doc.paths['/v1/locations/{id}/booking-hook/secret']).toBeDefined();
    expect(doc.paths['/v1/bookings/batch']).toBeDefined();
  });
});

describe('bookings file import', () => {
  const HEADERS = ['Booking no.', 'Unit', 'E-Mail', 'Move-in', 'Move-out', 'Status'];

  it('dry-runs and applies a 5,000-row XLSX all or nothing, remembering the column mapping', { timeout: 180_000 }, async () => {
    const big = await createLocation(w.api, { name: 'Big import', syncMode: 'gradual' });
    const n = 5000;
    await w.api.database.db.insert(units).values(Array.from({ length: n }, (_, i) => ({ organizationId: w.api.orgId, externalId: `F${i}`, name: `F-${i}`, locationId: big })));
    const rows = Array.from({ length: n }, (_, i) => [`FB${i}`, `F${i}`, `file${i}@example.com`, '01.03.2026', i % 10 === 0 ? '31.12.2026' : '', i % 7 === 0 ? 'Reserviert' : 'Aktiv']);
    const upload = async (file: Uint8Array, dryRun: boolean) =>
      w.api.fetch(`/v1/locations/${big}/bookings/import?dryRun=${dryRun}`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        body: file as Uint8Array<ArrayBuffer>,
      }).then(async (r) => ({ status: r.status, body: await r.json() }));

    expect((await w.api.json('PUT', `/v1/locations/${big}/bookings/import-settings`, { columns: { externalId: 'Booking no.', unitExternalId: 'Unit', moveIn: 'Move-in', tenantEmail: 'E-Mail', moveOut: 'Move-out', state: 'Status' }, stateLabels: { Aktiv: 'active', Reserviert: 'reserved' } })).status).toBe(200);

    const broken = rows.map((r) => [...r]);
    broken[1234]![3] = '31.02.2026';
    broken[4321]![1] = 'F-missing';
    const badFile = await writeTable('xlsx', 'Bookings', HEADERS, broken);
    const dry = await upload(badFile, true);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ total: n, create: n - 2, errors: 2, applied: false, remembered: true });
    const errs = dry.body.rows.filter((r: { action: string }) => r.action === 'error');
    expect(errs).toEqual([
      { row: 1236, externalId: 'FB1234', action: 'error', problems: [{ column: 'Move-in', message: expect.stringContaining('not a real date') }] },
      { row: 4323, externalId: 'FB4321', action: 'error', problems: [{ column: 'Unit', message: expect.stringContaining('No unit F-missing') }] },
    ]);
    const before = await bookingCount();
    const refused = await upload(badFile, false);
    expect(refused.status).toBe(422);
    expect(refused.body.details).toMatchObject({ errors: 2, applied: false });
    expect(await bookingCount()).toBe(before);

    const goodFile = await writeTable('xlsx', 'Bookings', HEADERS, rows);
    const applied = await upload(goodFile, false);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ total: n, create: n, errors: 0, applied: true });
    expect(await bookingCount()).toBe(before + n);
    expect((await w.api.json('GET', '/v1/bookings/FB7')).body).toMatchObject({ state: 'reserved', tenantEmail: 'file7@example.com', lastSeenVia: 'file' });
    const again = await upload(goodFile, true);
    expect(again.body).toMatchObject({ unchanged: n, create: 0, change: 0 });
  });

  it('guesses common headers when nothing is remembered and names what it cannot find', async () => {
    const loc = await createLocation(w.api, { name: 'Guessing' });
    await w.api.json('PUT', '/v1/units/GU1', { name: 'GU 1', locationId: loc });
    const csv = (text: string) =>
      w.api.fetch(`/v1/locations/${loc}/bookings/import`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: text }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const ok = await csv('Booking ID;Unit ID;Email;Move-in\nGB1;GU1;gb1@example.com;2026-03-01\n');
    expect(ok.body).toMatchObject({ total: 1, create: 1, remembered: false, settings: { columns: { externalId: 'Booking ID', unitExternalId: 'Unit ID' } } });
    const unknown = await csv('Foo;Bar\n1;2\n');
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain('"Foo"');
  });
});

describe('location consistency of mappings', () => {
  it('refuses to map a unit to a lock of another location (single and file import)', async () => {
    const other = await createLocation(w.api, { name: 'Other site', ownerAccountId: 'owner-other' });
    const lockId = '0d0d0d0d-1111-4222-8333-444444444444';
    expect((await w.api.json('POST', '/v1/locks/captured', { locks: [{ id: lockId, title: 'Other door', pageUrl: `https://my.tapkey.com/owners/owner-other/locks/${lockId}` }] })).status).toBe(200);
    // The location came from the owner account in the URL.
    expect((await w.api.json('GET', `/v1/locks/${lockId}`)).body.locationId).toBe(other);
    const res = await w.api.json('PUT', `/v1/units/${u(60).externalId}/mapping`, { lockId });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('Other site');
    expect(res.body.error.message).toContain('Berlin Mitte');
    expect((await w.api.json('GET', `/v1/mappings?unitExternalId=${u(60).externalId}`)).body.total).toBe(0);

    const file = `Tapkey Lock ID,Kinnovis Unit Name\r\n${lockId},${u(60).name}\r\n`;
    const imp = await w.api.fetch('/v1/mappings/import?dryRun=true', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: file }).then((r) => r.json());
    expect(imp.rows[0]).toMatchObject({ action: 'error', problems: [{ code: 'other_location' }] });
  });

  it('the lock list for a unit is filtered to its location at the source', async () => {
    const unit = (await w.api.json('GET', `/v1/units/${u(60).externalId}`)).body;
    const listed = await w.api.json('GET', `/v1/locks?locationId=${unit.locationId}&limit=500`);
    expect(listed.body.items.every((l: { locationId: string }) => l.locationId === unit.locationId)).toBe(true);
    expect(listed.body.items.map((l: { id: string }) => l.id)).not.toContain('0d0d0d0d-1111-4222-8333-444444444444');
  });
});

/** Test setup: these Tapkey locks belong to another location (as its own lock import would say). */
async function moveLocks(unitIndexes: number[], to: string) {
  await w.api.database.db.update(locks).set({ locationId: to }).where(inArray(locks.id, unitIndexes.map((i) => lockOfUnit(u(i)))));
}
