/**
 * What the manager content script and the options page's mapping-file section ask of the
 * background, end to end against the real sync API (real HTTP): unit upsert with its location
 * matched by name, the lock list with mapped locks marked, unmap, bookings with their Tapkey
 * access and revoke/restore, and mapping files (download, dry run, apply, refused apply).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../../lib/base64.ts';
import type { ImportReport } from '../../lib/mapping-file.ts';
import type { LockChoice } from '../../lib/messages.ts';
import { stableUuid } from '../../sandbox/demo-data.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { answer, ask, optionsPage, startBackgroundWithDemoManager } from '../helpers/background.ts';

const DEMO = 'http://127.0.0.1:4100';
const LOCK = (n: number) => stableUuid(`manager-ext-lock:${n}`);
const pageUrl = (id: string) => `https://my.tapkey.com/#/locks/${id}`;

let api: TestApi;
const unitPage = { id: 'test-extension-id', url: `${DEMO}/units/U1`, tab: { id: 3 } };

const ok = <T>(message: unknown, sender: object = unitPage) => answer<T>(message, sender);

beforeAll(async () => {
  api = await startTestApi();
  for (const [i, title] of ['Unit A-01', 'A02 door', 'Storage A-03'].entries()) {
    expect((await api.json('POST', '/v1/locks/captured', { locks: [{ id: LOCK(i + 1), title, pageUrl: pageUrl(LOCK(i + 1)) }] })).status).toBe(200);
  }
});
afterAll(() => api?.close());

beforeEach(() => startBackgroundWithDemoManager(api, DEMO));

describe('unit pages', () => {
  it('upserts the unit, taking the location whose name the page shows', async () => {
    const location = await api.json('POST', '/v1/locations', { name: 'Berlin Mitte', timeZone: 'Europe/Berlin' });
    const saved = await ok<{ unit: { externalId: string; name: string; locationId: string | null } }>({
      type: 'upsertUnit',
      unit: { externalId: 'U1', name: 'A-01', location: 'berlin mitte' },
    });
    expect(saved.unit).toMatchObject({ externalId: 'U1', name: 'A-01', locationId: location.body.id });

    // Renamed in the manager; a location the API does not know keeps the stored one.
    const renamed = await ok<{ unit: { name: string; locationId: string | null } }>({ type: 'upsertUnit', unit: { externalId: 'U1', name: 'A-01 (big)', location: 'Hamburg' } });
    expect(renamed.unit).toMatchObject({ name: 'A-01 (big)', locationId: location.body.id });
  });

  it('lists the locks with the unit each is mapped to, maps, reads and unmaps', async () => {
    await ok({ type: 'upsertUnit', unit: { externalId: 'U2', name: 'A-02', location: null } });
    await ok({ type: 'upsertUnit', unit: { externalId: 'U3', name: 'A-03', location: null } });
    expect(await ok({ type: 'unitMapping', unitExternalId: 'U2' })).toEqual({ mapping: null });

    const saved = await ok<{ status: string; mapping: { lockId: string } }>({ type: 'saveMapping', unitExternalId: 'U3', unitName: 'A-03', lockId: LOCK(3), replace: false });
    expect(saved).toMatchObject({ status: 'saved', mapping: { lockId: LOCK(3) } });
    const { items, truncated } = await ok<{ items: LockChoice[]; truncated: boolean }>({ type: 'listLocks' });
    expect(truncated).toBe(false);
    expect(items.find((l) => l.id === LOCK(3))).toEqual({ id: LOCK(3), title: 'Storage A-03', source: 'captured', mappedTo: { externalId: 'U3', name: 'A-03' } });
    expect(items.find((l) => l.id === LOCK(2))).toMatchObject({ title: 'A02 door', mappedTo: null });
    expect(await ok({ type: 'unitMapping', unitExternalId: 'U3' })).toMatchObject({ mapping: { lockId: LOCK(3), unit: { externalId: 'U3' } } });

    // The lock is taken: a conflict naming both ends, then replace.
    const conflict = await ask({ type: 'saveMapping', unitExternalId: 'U2', unitName: 'A-02', lockId: LOCK(3), replace: false }, unitPage);
    expect(conflict).toMatchObject({ ok: false, error: { status: 409, code: 'conflict', conflict: { lockMappedTo: { unit: { externalId: 'U3' } } } } });
    await ok({ type: 'saveMapping', unitExternalId: 'U2', unitName: 'A-02', lockId: LOCK(3), replace: true });
    expect(await ok({ type: 'unitMapping', unitExternalId: 'U3' })).toEqual({ mapping: null });

    expect(await ok({ type: 'unmapUnit', unitExternalId: 'U2' })).toEqual({ removed: true });
    expect(await ok({ type: 'unmapUnit', unitExternalId: 'U2' })).toEqual({ removed: false });
  });
});

describe('booking pages', () => {
  const booking = (over: object = {}) => ({
    externalId: 'B1',
    unitExternalId: 'U10',
    tenantName: 'Anna Müller',
    tenantEmail: 'anna@example.com',
    tenantPhone: '+49 151 2000000',
    moveIn: '2026-01-01',
    moveOut: null,
    state: 'active',
    ...over,
  });

  it('pushes the booking and answers its Tapkey access, revokes and restores it', async () => {
    await ok({ type: 'upsertUnit', unit: { externalId: 'U10', name: 'B-10', location: null } });
    const pushed = await ok<{ booking: { externalId: string; tenantEmail: string; access: { status: string; message: string }; accessRevoked: boolean } }>({
      type: 'pushBooking',
      booking: booking(),
    });
    expect(pushed.booking).toMatchObject({ externalId: 'B1', tenantEmail: 'anna@example.com', accessRevoked: false, access: { status: 'unit_without_location' } });

    // The user's language reaches the API's texts.
    await ok({ type: 'savePreferences', language: 'de' }, optionsPage());
    const revoked = await ok<{ booking: { accessRevoked: boolean; access: { status: string; message: string } } }>({ type: 'revokeBookingAccess', externalId: 'B1' });
    expect(revoked.booking.accessRevoked).toBe(true);
    expect(revoked.booking.access.message).toMatch(/^Kein Zugang/);
    expect((await ok<{ booking: { accessRevoked: boolean } }>({ type: 'bookingAccess', externalId: 'B1' })).booking.accessRevoked).toBe(true);
    expect((await ok<{ booking: { accessRevoked: boolean } }>({ type: 'restoreBookingAccess', externalId: 'B1' })).booking.accessRevoked).toBe(false);
    expect((await ok<{ booking: { syncEnabled: boolean } }>({ type: 'setBookingSync', externalId: 'B1', syncEnabled: true })).booking.syncEnabled).toBe(true);
  });

  it('explains a booking whose unit the API does not know', async () => {
    const reply = await ask({ type: 'pushBooking', booking: booking({ externalId: 'B2', unitExternalId: 'U-unknown' }) }, unitPage);
    expect(reply).toMatchObject({ ok: false, error: { kind: 'api', status: 400, fieldErrors: [{ path: 'unitExternalId', message: expect.stringContaining('No unit U-unknown') }] } });
  });

  it('refuses a booking that does not look like one, before the API sees it', async () => {
    const reply = await ask({ type: 'pushBooking', booking: booking({ tenantEmail: 'not-an-email', moveIn: '01.01.2026' }) }, unitPage);
    expect(reply).toMatchObject({ ok: false, error: { kind: 'bad_message' } });
    const paths = (reply as { error: { fieldErrors: { path: string }[] } }).error.fieldErrors.map((f) => f.path).sort();
    expect(paths).toEqual(['booking.moveIn', 'booking.tenantEmail']);
  });
});

describe('mapping files from options', () => {
  const csv = (rows: string[][]) => toBase64(new TextEncoder().encode(['Tapkey Lock ID,Kinnovis Unit Name', ...rows.map((r) => r.join(','))].join('\r\n')));

  it('downloads the mappings and the lock list as files', async () => {
    await ok({ type: 'upsertUnit', unit: { externalId: 'U20', name: 'C-20', location: null } });
    await ok({ type: 'saveMapping', unitExternalId: 'U20', lockId: LOCK(1), replace: true });
    const file = await ok<{ fileName: string; contentType: string; base64: string }>({ type: 'exportMappingFile', what: 'mappings', format: 'csv' }, optionsPage());
    expect(file.fileName).toMatch(/^accessbridge-mappings-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.contentType).toBe('text/csv');
    const text = new TextDecoder().decode(fromBase64(file.base64)).replace(/^\ufeff/, '');
    // Every field quoted (server/bulk/table-write.ts).
    expect(text.split(/\r?\n/)[0]).toBe('"Tapkey Lock ID","Kinnovis Unit Name"');
    expect(text).toContain(`"${LOCK(1)}","C-20"`);

    const xlsx = await ok<{ fileName: string; base64: string }>({ type: 'exportMappingFile', what: 'locks', format: 'xlsx' }, optionsPage());
    expect(xlsx.fileName).toMatch(/\.xlsx$/);
    // A ZIP container (XLSX), not text.
    expect(Array.from(fromBase64(xlsx.base64).subarray(0, 2))).toEqual([0x50, 0x4b]);
  });

  it('checks a file row by row, applies a valid one, and reports a refused apply with nothing written', async () => {
    await ok({ type: 'upsertUnit', unit: { externalId: 'U30', name: 'D-30', location: null } });
    await ok({ type: 'upsertUnit', unit: { externalId: 'U31', name: 'D-31', location: null } });
    await ok({ type: 'unmapUnit', unitExternalId: 'U20' });

    const bad = await ok<{ report: ImportReport; rejected: boolean }>(
      { type: 'importMappingFile', fileName: 'bad.csv', base64: csv([[LOCK(1), 'D-30'], ['not-a-uuid', 'D-31']]), dryRun: true },
      optionsPage(),
    );
    expect(bad.rejected).toBe(false);
    expect(bad.report.totals).toMatchObject({ rows: 2, create: 1, error: 1 });
    expect(bad.report.rows[1]).toMatchObject({ action: 'error', problems: [{ code: 'bad_lock_id' }] });

    const refused = await ok<{ report: ImportReport; rejected: boolean }>(
      { type: 'importMappingFile', fileName: 'bad.csv', base64: csv([[LOCK(1), 'D-30'], ['not-a-uuid', 'D-31']]), dryRun: false },
      optionsPage(),
    );
    expect(refused).toMatchObject({ rejected: true, report: { applied: false, totals: { error: 1 } } });
    expect((await api.json('GET', '/v1/mappings?unitExternalId=U30')).body.items).toEqual([]);

    const good = csv([[LOCK(1), 'D-30'], [LOCK(2), 'D-31']]);
    const checked = await ok<{ report: ImportReport }>({ type: 'importMappingFile', fileName: 'good.csv', base64: good, dryRun: true }, optionsPage());
    expect(checked.report).toMatchObject({ dryRun: true, applied: false, totals: { create: 2, error: 0 } });
    const applied = await ok<{ report: ImportReport; rejected: boolean }>({ type: 'importMappingFile', fileName: 'good.csv', base64: good, dryRun: false }, optionsPage());
    expect(applied).toMatchObject({ rejected: false, report: { applied: true, totals: { create: 2 } } });
    expect((await api.json('GET', '/v1/mappings?unitExternalId=U31')).body.items[0].lockId).toBe(LOCK(2));
  });

  it('explains a file with the wrong headers and a file over the size cap', async () => {
    const wrong = toBase64(new TextEncoder().encode('Lock,Unit\r\nx,y\r\n'));
    const reply = await ask({ type: 'importMappingFile', fileName: 'wrong.csv', base64: wrong, dryRun: true }, optionsPage());
    expect(reply).toMatchObject({ ok: false, error: { kind: 'api', status: 422, message: expect.stringContaining('Tapkey Lock ID') } });

    const big = toBase64(new Uint8Array(5 * 1024 * 1024 + 1));
    const tooBig = await ask({ type: 'importMappingFile', fileName: 'big.csv', base64: big, dryRun: true }, optionsPage());
    expect(tooBig).toMatchObject({ ok: false, error: { status: 413, code: 'payload_too_large', message: expect.stringContaining('at most 5 MiB') } });
  });

  it('is for the options page only', async () => {
    expect(await ask({ type: 'exportMappingFile', what: 'mappings', format: 'csv' }, unitPage)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });
});
