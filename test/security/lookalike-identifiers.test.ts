/**
 * Look-alike identifiers: unit and booking IDs and unit names are NFKC-normalised, refused when
 * they hold invisible or text-direction characters, and a unit that looks like another unit of
 * its location is saved with a warning in the answer. Plus the tenant phone: a phone number,
 * not free text.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingInput, unitSchema } from '../../lib/contract.ts';
import { identifierSchema, skeleton } from '../../lib/identifiers.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

let api: TestApi;
let locationId: string;
beforeAll(async () => {
  api = await startTestApi();
  const loc = await api.json('POST', '/v1/locations', { name: 'Look-alikes', timeZone: 'Europe/Berlin' });
  expect(loc.status, JSON.stringify(loc.body)).toBe(201);
  locationId = loc.body.id;
});
afterAll(() => api?.close());

const hidden = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2060', '\u2066', '\u2067', '\u2068', '\u2069', '\ufeff', '\u00ad', '\u061c', '\u180e', '\u3164', '\ufe0f', '\u0000', '\u001b', '\u2028'];
const path = (id: string) => `/v1/units/${encodeURIComponent(id)}`;

describe('identifierSchema', () => {
  it('refuses every invisible or bidi control character, wherever it sits (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom(...hidden), fc.nat(), (text, ch, at) => {
        const i = at % (text.length + 1);
        const value = `x${text.slice(0, i)}${ch}${text.slice(i)}x`;
        expect(identifierSchema(200).safeParse(value).success).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('normalises to NFKC: full-width and compatibility forms are the plain text', () => {
    expect(identifierSchema(200).parse(' Ｕ１０００ ')).toBe('U1000');
    expect(identifierSchema(200).parse('Unit\u00a0ﬁve')).toBe('Unit five');
  });

  it('gives look-alikes the same skeleton and different units different ones', () => {
    expect(skeleton('U1О00')).toBe(skeleton('U1000'));
    expect(skeleton('Β-07')).toBe(skeleton('B-07'));
    expect(skeleton('U1000')).not.toBe(skeleton('U2000'));
  });
});

describe('the API', () => {
  it.each(['U1000\u200b', 'U\u202e0001', '\u2066U1000\u2069', 'U10\u00ad00'])('refuses unit id %j', async (id) => {
    const res = await api.json('PUT', path(id), { name: 'Unit', locationId });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(JSON.stringify(res.body.fieldErrors)).toContain('invisible or text-direction character');
  });

  it('refuses bidi overrides and zero-width characters in unit names and booking unit ids', async () => {
    const res = await api.json('PUT', path('N1'), { name: 'Box \u202e7-B', locationId });
    expect(res.status).toBe(400);
    expect(res.body.fieldErrors[0].path).toBe('name');
    expect(bookingInput.safeParse({ unitExternalId: 'U1000\u200b', moveIn: '2026-01-01' }).success).toBe(false);
    const booking = await api.json('PUT', `/v1/bookings/${encodeURIComponent('B1\u200b')}`, { unitExternalId: 'U1000', moveIn: '2026-01-01', state: 'active' });
    expect(booking.status).toBe(400);
  });

  it('stores the NFKC form: a full-width id addresses the same unit', async () => {
    expect((await api.json('PUT', path('U1000'), { name: 'U1000', locationId })).status).toBe(201);
    const again = await api.json('PUT', path('Ｕ１０００'), { name: 'U1000', locationId });
    expect(again.status).toBe(200);
    expect(again.body.externalId).toBe('U1000');
  });

  it('saves a look-alike of another unit in the same location with a warning naming it', async () => {
    const res = await api.json('PUT', path('U1О00'), { name: 'U1О00', locationId });
    expect(res.status).toBe(201);
    const unit = unitSchema.parse(res.body);
    expect(unit.warnings).toEqual([
      { code: 'confusable_unit', message: 'Unit “U1О00” looks like unit “U1000” (U1000) in the same location.', params: { name: 'U1О00', other: 'U1000', otherId: 'U1000' } },
    ]);
    const de = await api.json('PUT', path('U1О00'), { name: 'U1О00', locationId }, { headers: { 'accept-language': 'de' } });
    expect(de.body.warnings[0].message).toContain('sieht aus wie');
    // A unit unlike any other, or a look-alike in another location, gets none.
    expect((await api.json('PUT', path('Z9'), { name: 'Z9', locationId })).body.warnings).toBeUndefined();
    expect((await api.json('PUT', path('U1OOO'), { name: 'U1OOO', locationId: null })).body.warnings).toBeUndefined();
  });
});

describe('tenant phone', () => {
  const put = (tenantPhone: string | null) => api.json('PUT', '/v1/bookings/P1', { unitExternalId: 'U1000', moveIn: '2026-01-01', state: 'active', tenantPhone });

  it.each(['call me <script>', '+999 12345678', '+49 1', '12', '+49 151 99887766 ext. 5', 'javascript:alert(1)', '+1 555 0100 0100 0100 99'])('refuses %j', async (phone) => {
    const res = await put(phone);
    expect(res.status).toBe(400);
    expect(res.body.fieldErrors.map((e: { path: string }) => e.path)).toContain('tenantPhone');
  });

  it.each(['+49 151 99887766', '0049 151 99887766', '+33 6 12 10 34 56', '030 1234567', '(030) 123-4567'])('accepts %j', async (phone) => {
    const res = await put(phone);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    expect(res.body.tenantPhone).toBe(phone);
  });
});
