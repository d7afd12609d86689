/**
 * List mode of site profiles on the demo manager's real booking list pages: every row read
 * with the same parsing as a booking page, paging, unreadable rows reported, and profiles
 * refusing `url` strategies in rows.
 */
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBookingList, matchListPage, MAX_LIST_ROWS } from '../../lib/site-profile-list.ts';
import { demoManagerProfile, kinnovisManagerTemplate, matchPage, siteProfileSchema } from '../../lib/site-profile/index.ts';
import { startManagerSandbox, type ManagerSandbox } from '../../sandbox/manager/index.ts';

let sb: ManagerSandbox;
beforeAll(async () => {
  sb = await startManagerSandbox({ units: 100 });
});
afterAll(async () => {
  await sb?.close();
});

const window = new Window();
const dom = (html: string) => new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
const load = async (path: string) => dom(await (await fetch(sb.url + path)).text());

describe('booking list pages', () => {
  it('reads all 50 rows of the first page exactly as the world holds them', async () => {
    const profile = demoManagerProfile(sb.url);
    const url = `${sb.url}/bookings`;
    const list = readBookingList(await load('/bookings'), url, [profile])!;
    expect(list).toMatchObject({ profileId: profile.id, failed: [], tooMany: false, anchor: null });
    expect(list.bookings).toHaveLength(50);
    // The list shows no phone numbers.
    const expected = sb.world.bookings.slice(0, 50).map((b) => ({ ...b, tenantPhone: null }));
    expect(list.bookings).toEqual(expected);
  });

  it('reads the next page and a filtered page', async () => {
    const profile = demoManagerProfile(sb.url);
    const second = readBookingList(await load('/bookings?page=2'), `${sb.url}/bookings?page=2`, [profile])!;
    expect(second.bookings.map((b) => b.externalId)).toEqual(sb.world.bookings.slice(50, 100).map((b) => b.externalId));
    const reserved = readBookingList(await load('/bookings?state=reserved'), `${sb.url}/bookings?state=reserved`, [profile])!;
    expect(reserved.bookings.every((b) => b.state === 'reserved')).toBe(true);
    expect(reserved.bookings.length).toBeGreaterThan(0);
  });

  it('is not a list page on a booking page, and a booking page is not a list page', () => {
    const profile = demoManagerProfile(sb.url);
    expect(matchListPage(`${sb.url}/bookings/B5000`, [profile])).toBeNull();
    expect(matchListPage(`${sb.url}/bookings?state=active`, [profile])).toBe(profile);
    expect(matchPage(`${sb.url}/bookings`, [profile])).toBeNull();
    expect(readBookingList(dom('<h1>x</h1>'), `${sb.url}/units`, [profile])).toBeNull();
  });

  it('reports rows it cannot read and reads the rest', async () => {
    const profile = demoManagerProfile(sb.url);
    const doc = await load('/bookings');
    doc.querySelectorAll('tbody tr')[3]!.querySelector('td:nth-child(5)')!.textContent = '31.02.2026';
    doc.querySelectorAll('tbody tr')[4]!.querySelector('a[href^="mailto:"]')?.setAttribute('href', 'mailto:not-an-email');
    const list = readBookingList(doc, `${sb.url}/bookings`, [profile])!;
    expect(list.bookings).toHaveLength(48);
    expect(list.failed.map((f) => f.row)).toEqual([4, 5]);
    expect(list.failed[0]!.problems[0]).toMatchObject({ field: 'booking.moveIn', code: 'impossible_date' });
  });

  it('refuses a page with more rows than it captures at once', () => {
    const profile = demoManagerProfile(sb.url);
    const rows = '<tr><td>x</td></tr>'.repeat(MAX_LIST_ROWS + 1);
    const list = readBookingList(dom(`<main><h1>B</h1><table class="list"><tbody>${rows}</tbody></table></main>`), `${sb.url}/bookings`, [profile])!;
    expect(list).toMatchObject({ tooMany: true, bookings: [] });
  });

  it('profiles: list rows cannot read from the URL; the Kinnovis template has a list mode', () => {
    const base = demoManagerProfile(sb.url);
    const bad = siteProfileSchema.safeParse({ ...base, list: { ...base.list, fields: { ...base.list!.fields, id: [{ from: 'url', group: 'bookingId' }] } } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['list', 'fields', 'id', 0, 'from']);
    const k = kinnovisManagerTemplate('https://manager.example.com');
    expect(matchListPage('https://manager.example.com/bookings', [k])).toBe(k);
    expect(matchListPage('https://manager.example.com/bookings/B17', [k])).toBeNull();
    const doc = dom(`<h1>Bookings</h1><table><tbody><tr><td><a href="/bookings/B17">B17</a></td><td><a href="/units/U3">A-03</a></td>
      <td><a href="mailto:anna@example.com">anna@example.com</a></td><td data-field="moveIn">01.03.2026</td><td data-field="moveOut">—</td><td><span class="badge">Aktiv</span></td></tr></tbody></table>`);
    expect(readBookingList(doc, 'https://manager.example.com/bookings', [k])!.bookings).toEqual([
      { externalId: 'B17', unitExternalId: 'U3', tenantName: null, tenantEmail: 'anna@example.com', tenantPhone: null, moveIn: '2026-03-01', moveOut: null, state: 'active' },
    ]);
  });
});
