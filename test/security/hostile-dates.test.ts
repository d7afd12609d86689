/**
 * Impossible and extreme dates. One schema (lib/dates.ts `isoDateSchema`) takes every date that
 * enters: the API contract, the extension's messages and page readings. Dates already stored
 * (written before this check, or by hand in the database) are evaluated booking by booking: a
 * bad row is reported as `invalid_dates` and never fails a list or a sync run of its location.
 */
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingInput, keycafeBookingInput, syncRunSchema } from '../../lib/contract.ts';
import { isoDateSchema, MAX_YEAR, MIN_YEAR, normalizeDate } from '../../lib/dates.ts';
import { messageSchemas } from '../../lib/messages.ts';
import { demoUnits } from '../../sandbox/demo-data.ts';
import { bookings } from '../../server/db/schema/index.ts';
import { desiredAccess } from '../../server/tapkey/access.ts';
import { cellText } from '../../server/bulk/table-read.ts';
import { activeInTapkey, createLocation, lockOfUnit, setupUnits, startTapkeyWorld, type TapkeyTestWorld } from '../tapkey/helpers.ts';
import { waitUntil } from '../helpers/wait.ts';

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const ymd = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;

/** The oracle: a date exists when Date does not roll it over (years ≥ 100, where Date.UTC is literal). */
function exists(y: number, m: number, d: number): boolean {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Year/month/day triples biased towards the edges: impossible days and months, extreme years. */
export const dateParts = fc.tuple(
  fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 1900, 1999, 2000, 2024, 2026, 2100, 2101, 9999)),
  fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constantFrom(0, 1, 2, 12, 13)),
  fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constantFrom(0, 1, 28, 29, 30, 31, 32)),
);

const impossible = ['2027-99-99', '2026-02-30', '2026-13-01', '0000-01-01', '9999-12-31', '2026-00-10', '2026-04-31', '2025-02-29', '2100-02-29', '1999-12-31', '2101-01-01'];

describe('isoDateSchema', () => {
  it.each(impossible)('refuses %s', (d) => {
    expect(isoDateSchema.safeParse(d).success).toBe(false);
  });

  it.each(['2000-01-01', '2024-02-29', '2026-12-31', '2100-12-31'])('accepts %s', (d) => {
    expect(isoDateSchema.parse(d)).toBe(d);
  });

  it('accepts exactly the calendar dates of the allowed years (property, impossible and extreme dates included)', () => {
    fc.assert(
      fc.property(dateParts, ([y, m, d]) => {
        const text = ymd(y, m, d);
        const want = y >= MIN_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 && d >= 1 && exists(y, m, d);
        expect(isoDateSchema.safeParse(text).success).toBe(want);
        // Page and spreadsheet readings agree with the schema.
        expect(normalizeDate(text).ok).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('is the schema of every date that enters: API bookings, Keycafe bookings, extension messages', () => {
    for (const d of impossible) {
      expect(bookingInput.safeParse({ unitExternalId: 'U1', moveIn: d }).success).toBe(false);
      expect(bookingInput.safeParse({ unitExternalId: 'U1', moveIn: '2026-01-01', moveOut: d }).success).toBe(false);
      const kc = keycafeBookingInput.safeParse({
        locationId: crypto.randomUUID(),
        keyIds: ['k1'],
        recipient: { email: 'a@example.com' },
        type: 'one_time',
        start: { date: d, time: '10:00' },
        end: { date: '2026-06-01', time: '10:00' },
      });
      expect(kc.success).toBe(false);
      const msg = messageSchemas.pushBooking.safeParse({
        type: 'pushBooking',
        booking: { externalId: 'B1', unitExternalId: 'U1', tenantName: null, tenantEmail: null, tenantPhone: null, moveIn: d, moveOut: null, state: null },
      });
      expect(msg.success).toBe(false);
    }
  });
});

it('a spreadsheet date cell out of range is read as empty text, not a crash', () => {
  expect(cellText(new Date(NaN))).toBe('');
  expect(cellText(new Date(8.64e15 + 1))).toBe('');
  expect(cellText(new Date(Date.UTC(2026, 1, 3)))).toBe('2026-02-03');
});

describe('desiredAccess with stored dates that are not real', () => {
  const base = {
    location: { timeZone: 'Europe/Berlin', tapkey: { syncMode: 'full' as const, accessTrigger: 'booking_creation' as const } },
    lockId: 'ea610634-4fc0-4084-85b2-bebf52c3595f',
    now: new Date('2026-06-01T00:00:00Z'),
  };
  const booking = { state: 'active' as const, tenantEmail: 't@example.com', moveIn: '2026-01-01', moveOut: null as string | null, syncEnabled: true, accessRevoked: false };

  it('answers invalid_dates instead of throwing or granting a rolled-over window (property)', () => {
    fc.assert(
      fc.property(dateParts, dateParts, fc.boolean(), ([y1, m1, d1], [y2, m2, d2], withOut) => {
        const moveIn = ymd(y1, m1, d1);
        const moveOut = withOut ? ymd(y2, m2, d2) : null;
        const d = desiredAccess({ ...base, booking: { ...booking, moveIn, moveOut } });
        const valid = isoDateSchema.safeParse(moveIn).success && (moveOut === null || (isoDateSchema.safeParse(moveOut).success && moveOut >= moveIn));
        if (!valid) expect(d).toEqual({ want: false, status: 'invalid_dates' });
        else expect(d.want || d.status !== 'invalid_dates').toBe(true);
        if (d.want) {
          expect(Number.isFinite(d.validFrom.getTime())).toBe(true);
          expect(d.validBefore === null || d.validBefore.getUTCFullYear() <= MAX_YEAR + 1).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('an unknown time zone is this booking’s problem, not an exception', () => {
    const d = desiredAccess({ ...base, location: { ...base.location, timeZone: 'Mars/Olympus' }, booking });
    expect(d).toEqual({ want: false, status: 'invalid_dates' });
  });
});

describe('a bad stored row does not break its location', () => {
  let w: TapkeyTestWorld;
  let locationId: string;
  const units = demoUnits(3);

  beforeAll(async () => {
    w = await startTapkeyWorld();
    locationId = await createLocation(w.api);
    await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`);
    await setupUnits(w.api, locationId, units);
    for (let i = 0; i < 3; i++) {
      const res = await w.api.json('PUT', `/v1/bookings/D${i}`, { unitExternalId: units[i]!.externalId, tenantEmail: `d${i}@example.com`, moveIn: '2026-01-01', state: 'active' });
      expect(res.status).toBe(201);
    }
    // One booking without a grant yet (no email): its access is computed from the dates.
    expect((await w.api.json('PUT', '/v1/bookings/D3', { unitExternalId: units[0]!.externalId, tenantEmail: null, moveIn: '2026-01-01', state: 'active' })).status).toBe(201);
    await waitUntil('grants active', async () => activeInTapkey(w.sb, 'd2@example.com', lockOfUnit(units[2]!)).length === 1 && activeInTapkey(w.sb, 'd1@example.com', lockOfUnit(units[1]!)).length === 1);
  }, 60_000);
  afterAll(() => w?.close());

  it('the API refuses impossible dates with field errors, storing nothing', async () => {
    for (const d of ['2027-99-99', '2026-02-30', '0000-01-01', '9999-12-31']) {
      const res = await w.api.json('PUT', `/v1/bookings/X-${d}`, { unitExternalId: units[0]!.externalId, tenantEmail: 'x@example.com', moveIn: '2026-01-01', state: 'active', moveOut: d });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.fieldErrors.map((e: { path: string }) => e.path)).toContain('moveOut');
      expect((await w.api.json('GET', `/v1/bookings/X-${d}`)).status).toBe(404);
    }
  });

  it('lists the location and runs a sync with rows that hold 9999-12-31 and 2027-99-99; the rows are reported', async () => {
    // Rows as an older version (or a hand edit) left them: no API accepts these any more.
    await w.api.database.db.update(bookings).set({ moveOut: '9999-12-31' }).where(eq(bookings.externalId, 'D0'));
    await w.api.database.db.update(bookings).set({ moveOut: '2027-99-99' }).where(eq(bookings.externalId, 'D1'));
    await w.api.database.db.update(bookings).set({ moveIn: '0000-01-01' }).where(eq(bookings.externalId, 'D3'));

    const list = await w.api.json('GET', `/v1/bookings?locationId=${locationId}`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const byId = Object.fromEntries(list.body.items.map((b: { externalId: string }) => [b.externalId, b]));
    expect(byId.D3.access.status).toBe('invalid_dates');
    expect(byId.D3.access.message).toContain('not a real calendar date');
    expect(byId.D2.access.status).toBe('active');
    expect((await w.api.json('GET', '/v1/bookings/D0')).status).toBe(200);

    const run = await w.api.json('POST', `/v1/locations/${locationId}/sync-runs`);
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    const report = syncRunSchema.parse(run.body).report;
    expect(report.bookingsWithInvalidDates?.items.map((i) => i.bookingExternalId).sort()).toEqual(['D0', 'D1', 'D3']);
    // The good booking stays granted; the active grant of D1 (a window rolled to 2035) is revoked.
    await waitUntil('D1 revoked', async () => activeInTapkey(w.sb, 'd1@example.com', lockOfUnit(units[1]!)).length === 0);
    expect(activeInTapkey(w.sb, 'd2@example.com', lockOfUnit(units[2]!))).toHaveLength(1);
    // The revoke lands at Tapkey before its job records it: wait for the booking to say so.
    const d1 = await waitUntil('D1 recorded revoked', async () => {
      const res = await w.api.json('GET', '/v1/bookings/D1');
      return res.body.access.status === 'revoked' && res;
    });
    expect(d1.body.access.message).toContain('not a real calendar date');
  });
});
