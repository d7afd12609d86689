/** The pure Keycafe booking rules the API and the booking form share (lib/keycafe-*.ts). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { offsetMinutes, utcToZoned, zonedToUtc } from '../../lib/zoned-time.ts';
import { reminderBand, returnReminderSchedule } from '../../lib/keycafe-reminder.ts';
import { normaliseRecipient } from '../../lib/keycafe-recipient.ts';

const utc = (iso: string) => new Date(iso).toISOString();
const at = (date: string, time: string, tz: string) => {
  const r = zonedToUtc({ date, time }, tz);
  if (!r.ok) throw new Error(r.reason);
  return r.utc.toISOString();
};

describe('local time in a SmartBox time zone → UTC', () => {
  it('uses the zone’s offset of that date (summer and winter time)', () => {
    expect(at('2026-07-01', '09:00', 'Europe/Berlin')).toBe(utc('2026-07-01T07:00:00Z'));
    expect(at('2026-01-15', '09:00', 'Europe/Berlin')).toBe(utc('2026-01-15T08:00:00Z'));
    expect(at('2026-07-01', '09:00', 'America/Vancouver')).toBe(utc('2026-07-01T16:00:00Z'));
    expect(at('2026-01-15', '09:00', 'America/New_York')).toBe(utc('2026-01-15T14:00:00Z'));
  });

  it('says a time in the spring-forward gap does not exist (Berlin 29 March, Vancouver 8 March 2026)', () => {
    expect(zonedToUtc({ date: '2026-03-29', time: '02:30' }, 'Europe/Berlin')).toEqual({ ok: false, reason: 'nonexistent' });
    expect(zonedToUtc({ date: '2026-03-08', time: '02:30' }, 'America/Vancouver')).toEqual({ ok: false, reason: 'nonexistent' });
    expect(at('2026-03-29', '03:00', 'Europe/Berlin')).toBe(utc('2026-03-29T01:00:00Z'));
    expect(at('2026-03-29', '01:59', 'Europe/Berlin')).toBe(utc('2026-03-29T00:59:00Z'));
  });

  it('takes the first of a time that happens twice (fall back), and says it was ambiguous', () => {
    const berlin = zonedToUtc({ date: '2026-10-25', time: '02:30' }, 'Europe/Berlin');
    expect(berlin).toEqual({ ok: true, utc: new Date('2026-10-25T00:30:00Z'), ambiguous: true });
    const vancouver = zonedToUtc({ date: '2026-11-01', time: '01:30' }, 'America/Vancouver');
    expect(vancouver).toEqual({ ok: true, utc: new Date('2026-11-01T08:30:00Z'), ambiguous: true });
    expect(zonedToUtc({ date: '2026-10-25', time: '04:00' }, 'Europe/Berlin')).toMatchObject({ ambiguous: false });
  });

  it('rejects impossible dates and unknown zones', () => {
    expect(zonedToUtc({ date: '2026-02-30', time: '10:00' }, 'Europe/Berlin')).toEqual({ ok: false, reason: 'invalid_date' });
    expect(zonedToUtc({ date: '2026-02-10', time: '24:00' }, 'Europe/Berlin')).toEqual({ ok: false, reason: 'invalid_date' });
    expect(zonedToUtc({ date: '2026-02-10', time: '10:00' }, 'Mars/Olympus')).toEqual({ ok: false, reason: 'invalid_zone' });
  });

  it('round-trips any minute in any of the sandbox zones (property)', () => {
    const zones = ['Europe/Berlin', 'Europe/Paris', 'America/Vancouver', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2035, 0, 1) / 60_000 }), fc.constantFrom(...zones), (minute, tz) => {
        const instant = new Date(minute * 60_000);
        const local = utcToZoned(instant, tz);
        const back = zonedToUtc(local, tz);
        expect(back.ok).toBe(true);
        if (!back.ok) return;
        // Same instant, or the earlier twin of a repeated hour.
        if (back.utc.getTime() !== instant.getTime()) {
          expect(back.ambiguous).toBe(true);
          expect(back.utc.getTime()).toBeLessThan(instant.getTime());
        }
        expect(utcToZoned(back.utc, tz)).toEqual(local);
      }),
      { numRuns: 500 },
    );
    expect(offsetMinutes(new Date('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(120);
  });
});

describe('return reminder schedule (seed 004)', () => {
  const H = 3_600_000;
  const start = new Date('2026-07-01T08:00:00Z');
  const after = (ms: number) => new Date(start.getTime() + ms);

  it('longer than 24 h → 12 h before the end', () => {
    const s = returnReminderSchedule(start, after(24 * H + 60_000));
    expect(s).toEqual({ band: 'over_24h', rule: 'before_end', offsetMinutes: 720, at: new Date(after(24 * H + 60_000).getTime() - 12 * H) });
  });

  it('exactly 24 h is in the 4–24 h band → 2 h before the end', () => {
    expect(returnReminderSchedule(start, after(24 * H))).toEqual({ band: '4h_to_24h', rule: 'before_end', offsetMinutes: 120, at: after(22 * H) });
  });

  it('exactly 4 h is in the 4–24 h band → 2 h before the end (= 2 h after the start)', () => {
    expect(returnReminderSchedule(start, after(4 * H))).toEqual({ band: '4h_to_24h', rule: 'before_end', offsetMinutes: 120, at: after(2 * H) });
  });

  it('under 4 h → 15 minutes after pickup, time unknown in advance', () => {
    expect(returnReminderSchedule(start, after(4 * H - 60_000))).toEqual({ band: 'under_4h', rule: 'after_pickup', offsetMinutes: 15, at: null });
    expect(reminderBand(60_000)).toBe('under_4h');
  });

  it('measures real elapsed time across DST: noon to noon is 23 h in March, 25 h in October (Berlin)', () => {
    const march = returnReminderSchedule(new Date(at('2026-03-28', '12:00', 'Europe/Berlin')), new Date(at('2026-03-29', '12:00', 'Europe/Berlin')));
    expect(march.band).toBe('4h_to_24h');
    const october = returnReminderSchedule(new Date(at('2026-10-24', '12:00', 'Europe/Berlin')), new Date(at('2026-10-25', '12:00', 'Europe/Berlin')));
    expect(october.band).toBe('over_24h');
    expect(october.at!.toISOString()).toBe(utc('2026-10-24T23:00:00Z'));
  });
});

describe('recipient: email or mobile number with country code', () => {
  it('lower-cases emails and rejects bad ones', () => {
    expect(normaliseRecipient({ email: ' Visitor@Example.COM ' })).toMatchObject({ ok: true, email: 'visitor@example.com', keycafeUser: { email: 'visitor@example.com' } });
    expect(normaliseRecipient({ email: 'visitor@' })).toMatchObject({ ok: false, path: 'recipient.email', key: 'keycafe.email.invalid' });
  });

  it('normalises mobiles to E.164, and to digits with country code for Keycafe', () => {
    expect(normaliseRecipient({ mobile: '+49 151 2345 6789' })).toMatchObject({ ok: true, mobile: '+4915123456789', keycafeUser: { mobile: '4915123456789' } });
    expect(normaliseRecipient({ mobile: '0049 151 23456789' })).toMatchObject({ ok: true, mobile: '+4915123456789' });
    // Keycafe's own documentation example.
    expect(normaliseRecipient({ mobile: '+1 (604) 265-6073' })).toMatchObject({ ok: true, keycafeUser: { mobile: '16042656073' } });
    expect(normaliseRecipient({ mobile: '06 12 34 56 78', country: 'fr' })).toMatchObject({ ok: true, mobile: '+33612345678' });
  });

  it('asks for the country code when a number has none and no country is given', () => {
    expect(normaliseRecipient({ mobile: '0151 23456789' })).toEqual({ ok: false, path: 'recipient.mobile', key: 'keycafe.mobile.noCountryCode' });
    expect(normaliseRecipient({ mobile: '16042656073' })).toMatchObject({ ok: false, key: 'keycafe.mobile.noCountryCode' });
  });

  it('rejects invalid numbers, landlines, extensions, unknown countries and an empty recipient', () => {
    expect(normaliseRecipient({ mobile: '+49 151 2000000' })).toMatchObject({ ok: false, key: 'keycafe.mobile.invalid' });
    expect(normaliseRecipient({ mobile: '12345', country: 'DE' })).toMatchObject({ ok: false, key: 'keycafe.mobile.invalidForCountry', params: { country: 'DE' } });
    expect(normaliseRecipient({ mobile: 'call me' })).toMatchObject({ ok: false, key: 'keycafe.mobile.invalid' });
    expect(normaliseRecipient({ mobile: '+49 30 1234567' })).toMatchObject({ ok: false, key: 'keycafe.mobile.landline' });
    expect(normaliseRecipient({ mobile: '+1 604 265 6073 ext. 12' })).toMatchObject({ ok: false, key: 'keycafe.mobile.extension' });
    expect(normaliseRecipient({ mobile: '0151 23456789', country: 'XX' })).toMatchObject({ ok: false, path: 'recipient.country', key: 'keycafe.mobile.unknownCountry' });
    expect(normaliseRecipient({})).toMatchObject({ ok: false, path: 'recipient', key: 'keycafe.recipient.required' });
  });
});
