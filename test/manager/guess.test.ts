/**
 * The guess's reading of addresses (lib/site-profile/guess.ts): which kind of page, which ID,
 * and a pattern that matches this page and its siblings but not the lists around them.
 */
import { describe, expect, it } from 'vitest';
import { fallbackPatterns, guessAddress, guessProfile, matchPage, type PageGuess } from '../../lib/site-profile/index.ts';

const at = (path: string) => guessAddress(new URL(`https://m.example${path}`));

describe('guessAddress', () => {
  it.each([
    ['/units/U-101', 'unit', 'U-101'],
    ['/app/einheiten/4711?tab=general', 'unit', '4711'],
    ['/#/units/7', 'unit', '7'],
    ['/#!/storage-units/7', 'unit', '7'],
    ['/#/units/7/bookings/12', 'booking', '12'],
    ['/vertraege/2026-0042', 'booking', '2026-0042'],
    ['/booking.php?id=345', 'booking', '345'],
    ['/unit.php?unit_id=12&x=1', 'unit', '12'],
  ] as const)('%s is a %s page with ID %s', (path, kind, id) => {
    expect(at(path)).toMatchObject({ kind, id });
  });

  it.each(['/units', '/units/new', '/dashboard/7', '/#/units', '/report.php?id=3', '/un"it{}.php?id=3'])('%s is no unit or booking page', (path) => {
    expect(at(path)).toBeNull();
  });

  it('gives a pattern matching sibling pages, not the list or a new-unit form', () => {
    const profile = guessProfile('https://m.example', [
      { kind: 'unit', urlPattern: at('/units/U-101')!.pattern, link: at('/units/U-101')!.link, linked: { unit: null, booking: null }, fields: {}, dateOrder: null, language: 'en' } satisfies PageGuess,
    ]);
    expect(matchPage('https://m.example/units/U-202', [profile])).toMatchObject({ kind: 'unit', groups: { unitId: 'U-202' } });
    expect(matchPage('https://m.example/units/new', [profile])).toBeNull();
    expect(matchPage('https://m.example/units', [profile])).toBeNull();
    // No booking tab: the common booking addresses, and the unit link like the unit tab's address.
    expect(profile.bookingPage?.urlPattern).toBe(fallbackPatterns.booking);
    expect(profile.bookingPage?.fields.unitId[0]).toEqual({ from: 'selector', selector: 'a[href*="/units/"]', attribute: 'href', regex: '/units/(?<value>[^/?#]+)' });
    expect(matchPage('https://m.example/contracts/88', [profile])).toMatchObject({ kind: 'booking', groups: { bookingId: '88' } });
  });

  it('takes the month-first order from a page that shows it, else from an en-US page', () => {
    const page = (dateOrder: PageGuess['dateOrder'], language: string | null): PageGuess => ({ kind: null, urlPattern: null, link: null, linked: { unit: null, booking: null }, fields: {}, dateOrder, language });
    expect(guessProfile('https://m.example', [page(null, 'en-US')]).dateOrder).toBe('MDY');
    expect(guessProfile('https://m.example', [page('DMY', 'en-US')]).dateOrder).toBe('DMY');
    expect(guessProfile('https://m.example', [page(null, 'de')]).dateOrder).toBe('DMY');
    // German pages get German labels first where no tab showed the page.
    expect(guessProfile('https://m.example', [page(null, 'de')]).bookingPage?.fields.moveIn[0]).toEqual({ from: 'label', label: 'Einzug' });
  });
});
