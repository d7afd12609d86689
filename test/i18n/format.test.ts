import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatPhone, formatTime, localeOf } from '../../lib/format.ts';

const instant = '2026-11-26T13:05:00Z';

describe('locale formatting', () => {
  it('formats dates in each language’s conventions', () => {
    expect(formatDate(instant, 'en', { timeZone: 'UTC' })).toBe('26/11/2026');
    expect(formatDate(instant, 'de', { timeZone: 'UTC' })).toBe('26.11.26');
    expect(formatDate(instant, 'fr', { timeZone: 'UTC' })).toBe('26/11/2026');
  });

  it('formats times on a 24-hour clock, in the zone asked for', () => {
    expect(formatTime(instant, 'de', { timeZone: 'Europe/Berlin' })).toBe('14:05');
    expect(formatTime(instant, 'fr', { timeZone: 'Europe/Paris' })).toBe('14:05');
    expect(formatTime(instant, 'en', { timeZone: 'Europe/London' })).toBe('13:05');
  });

  it('formats date and time together', () => {
    expect(formatDateTime(instant, 'de', { timeZone: 'Europe/Berlin' })).toBe('26.11.26, 14:05');
    expect(formatDateTime(instant, 'fr', { timeZone: 'Europe/Paris' })).toBe('26/11/2026 14:05');
  });

  it('keeps an unreadable date as given instead of "Invalid Date"', () => {
    expect(formatDate('not a date', 'de')).toBe('not a date');
  });

  it('keeps a full locale tag and maps a bare language to its default region', () => {
    expect(localeOf('de')).toBe('de-DE');
    expect(localeOf('de-CH')).toBe('de-CH');
  });

  it('formats phone numbers internationally, reading national numbers by country', () => {
    expect(formatPhone('+4930123456')).toBe('+49 30 123456');
    expect(formatPhone('01 42 68 53 00', 'FR')).toBe('+33 1 42 68 53 00');
    expect(formatPhone('  +33142685300 ')).toBe('+33 1 42 68 53 00');
  });

  it('keeps an invalid phone number as typed', () => {
    expect(formatPhone('12')).toBe('12');
    expect(formatPhone('call me')).toBe('call me');
  });
});
