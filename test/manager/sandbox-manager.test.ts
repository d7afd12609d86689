import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, Window } from 'happy-dom';
import { demoManagerProfile, extractBooking, extractUnit, matchPage } from '../../lib/site-profile/index.ts';
import { startSandbox } from '../../sandbox/index.ts';
import {
  HOSTILE_BOOKING_ID,
  HOSTILE_TENANT_NAME,
  HOSTILE_UNIT_ID,
  HOSTILE_UNIT_NAME,
  startManagerSandbox,
  type ManagerSandbox,
} from '../../sandbox/manager/index.ts';

let plain: ManagerSandbox;
let hostile: ManagerSandbox;

beforeAll(async () => {
  [plain, hostile] = await Promise.all([startManagerSandbox(), startManagerSandbox({ hostile: true, spaDelayMs: 150 })]);
});
afterAll(async () => {
  await Promise.all([plain?.close(), hostile?.close()]);
});

const window = new Window();
/** Parses a page as a content script would see it (no scripts run, nothing fetched). */
function dom(html: string): Document {
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

async function page(base: ManagerSandbox, path: string): Promise<{ status: number; html: string; doc: Document }> {
  const res = await fetch(base.url + path);
  const html = await res.text();
  return { status: res.status, html, doc: dom(html) };
}

describe('demo manager pages', () => {
  it('lists the demo units with links, sizes, location and occupancy, and searches them', async () => {
    const { doc } = await page(plain, '/units');
    const rows = doc.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(48);
    const first = rows[0]!.querySelectorAll('td');
    expect(Array.from(first, (td) => td.textContent!.trim())).toEqual(['A-01', '1 m²', 'Berlin Mitte', 'Occupied']);
    expect(rows[0]!.querySelector('a')!.getAttribute('href')).toBe('/units/U1000');
    // The last quarter of the units has no booking.
    expect(rows[47]!.querySelector('.badge')!.textContent).toBe('Free');
    const search = await page(plain, '/units?q=b-0');
    expect(Array.from(search.doc.querySelectorAll('tbody a'), (a) => a.textContent)).toEqual(
      ['B-01', 'B-02', 'B-03', 'B-04', 'B-05', 'B-06', 'B-07', 'B-08', 'B-09'],
    );
  });

  it('shows a unit page with its General card and the pencil edit', async () => {
    const { doc } = await page(plain, '/units/U1000');
    expect(doc.querySelector('h1')!.textContent).toBe('Unit A-01');
    const card = doc.getElementById('general-card')!;
    expect(card.querySelector('h2')!.textContent).toBe('General');
    expect(card.querySelector('button[aria-label="Edit General"]')).not.toBeNull();
    const pairs = Array.from(card.querySelectorAll('dt'), (dt) => [dt.textContent, dt.nextElementSibling!.textContent]);
    expect(pairs).toEqual([
      ['Unit name', 'A-01'],
      ['Unit ID', 'U1000'],
      ['Size', '1 m²'],
      ['Location', 'Berlin Mitte'],
      ['Access Permissions', '—'],
    ]);
    expect(doc.querySelector('a[rel="next"]')!.getAttribute('href')).toBe('/units/U1001');
    expect(doc.querySelector('a[rel="prev"]')).toBeNull();
  });

  it('shows booking pages with tenant, email, phone and European dates', async () => {
    const b = plain.world.booking('B5000')!;
    const { doc } = await page(plain, '/bookings/B5000');
    const card = doc.getElementById('booking-card')!;
    expect(card.querySelector('.tenant-name')!.textContent).toBe(b.tenantName);
    expect(card.querySelector('a.tenant-email')!.getAttribute('href')).toBe(`mailto:${b.tenantEmail}`);
    expect(card.querySelector('.booking-state')!.textContent).toBe('Active');
    expect(card.textContent).toContain('01.01.2026');
    expect(card.textContent).toContain('01.01.2027');
    const list = await page(plain, '/bookings?state=reserved');
    expect(list.doc.querySelectorAll('tbody tr')).toHaveLength(plain.world.bookings.filter((x) => x.state === 'reserved').length);
  });

  it('answers 404 pages for unknown units and bookings', async () => {
    expect((await page(plain, '/units/U1')).status).toBe(404);
    expect((await page(plain, '/bookings/nope')).status).toBe(404);
    expect((await page(plain, `/units/${HOSTILE_UNIT_ID}`)).status).toBe(404);
  });

  it('is read by the built-in profile on every unit and booking page, over HTTP', async () => {
    const profile = demoManagerProfile(plain.url);
    for (const u of plain.world.units) {
      const url = `${plain.url}/units/${u.externalId}`;
      expect(matchPage(url, [profile])?.kind).toBe('unit');
      const r = extractUnit((await page(plain, `/units/${u.externalId}`)).doc, url, profile);
      expect(r).toEqual({ ok: true, value: { externalId: u.externalId, name: u.name, location: 'Berlin Mitte' }, notes: [] });
    }
    for (const b of plain.world.bookings) {
      const url = `${plain.url}/bookings/${b.externalId}`;
      const r = extractBooking((await page(plain, `/bookings/${b.externalId}`)).doc, url, profile);
      expect(r.ok && r.value).toEqual(b);
    }
  });

  it('saves the General card edit, and rejects an empty name', async () => {
    const post = (id: string, body: Record<string, string>) =>
      fetch(`${plain.url}/units/${id}/general`, { method: 'POST', body: new URLSearchParams(body), redirect: 'manual' });
    const ok = await post('U1002', { name: 'A-03 (corner)', accessPermissions: 'ea610634-4fc0-4084-85b2-bebf52c3595f' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/units/U1002?saved=1');
    const { doc } = await page(plain, '/units/U1002?saved=1');
    expect(doc.querySelector('[role="status"]')!.textContent).toBe('Changes saved.');
    expect(doc.querySelector('.unit-name')!.textContent).toBe('A-03 (corner)');
    expect(doc.querySelector('.access-permissions')!.textContent).toBe('ea610634-4fc0-4084-85b2-bebf52c3595f');
    const bad = await post('U1002', { name: '   ' });
    expect(bad.status).toBe(400);
    expect(dom(await bad.text()).querySelector('[role="alert"]')!.textContent).toBe('The unit name is required (at most 200 characters).');
    expect(plain.world.unit('U1002')!.name).toBe('A-03 (corner)');
    expect((await post('U0', { name: 'x' })).status).toBe(404);
  });
});

describe('hostile entries', () => {
  it('are escaped by the manager itself, so they reach the page as text', async () => {
    const list = await page(hostile, '/units');
    expect(list.html).not.toContain('<img src=x');
    expect(list.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const unit = await page(hostile, `/units/${HOSTILE_UNIT_ID}`);
    expect(unit.doc.querySelector('main img')).toBeNull();
    expect(unit.doc.querySelector('.unit-name')!.textContent).toBe(HOSTILE_UNIT_NAME);
    const booking = await page(hostile, `/bookings/${HOSTILE_BOOKING_ID}`);
    expect(booking.doc.querySelector('main script')).toBeNull();
    expect(booking.doc.querySelector('.tenant-name')!.textContent).toBe(HOSTILE_TENANT_NAME);
    const r = extractUnit(unit.doc, `${hostile.url}/units/${HOSTILE_UNIT_ID}`, demoManagerProfile(hostile.url));
    expect(r.ok && r.value.name).toBe(HOSTILE_UNIT_NAME);
  });

  it('sends no Content-Security-Policy that would mask an unsafe extension', async () => {
    const res = await fetch(`${hostile.url}/units/${HOSTILE_UNIT_ID}`);
    expect(res.headers.get('content-security-policy')).toBeNull();
  });
});

describe('single-page navigation (the page’s own script, in happy-dom)', () => {
  it('changes the address first, then swaps the content in; back works too', async () => {
    const browser = new Browser({
      settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true, disableCSSFileLoading: true },
    });
    try {
      const tab = browser.newPage();
      await tab.goto(`${hostile.url}/units/U1000`);
      await tab.waitUntilComplete();
      const doc = tab.mainFrame.document;
      const win = tab.mainFrame.window;
      const main = doc.getElementById('app')!;
      expect(doc.querySelector('.unit-name')!.textContent).toBe('A-01');

      (doc.querySelector('a[rel="next"]') as unknown as HTMLElement).click();
      // Same document, new address, old content still shown while the fetch is slow.
      expect(win.location.pathname).toBe('/units/U1001');
      expect(doc.querySelector('.unit-name')!.textContent).toBe('A-01');
      expect(main.getAttribute('aria-busy')).toBe('true');

      await tab.waitUntilComplete();
      expect(doc.getElementById('app')).toBe(main);
      expect(doc.querySelector('.unit-name')!.textContent).toBe('A-02');
      expect(doc.title).toBe('Unit A-02 · Storage Manager');
      expect(main.hasAttribute('aria-busy')).toBe(false);

      win.history.back();
      await new Promise((r) => setTimeout(r, 50));
      await tab.waitUntilComplete();
      expect(win.location.pathname).toBe('/units/U1000');
      expect(doc.querySelector('.unit-name')!.textContent).toBe('A-01');

      (doc.querySelector('button[aria-label="Edit General"]') as unknown as HTMLElement).click();
      expect((doc.getElementById('edit-general') as unknown as HTMLDialogElement).open).toBe(true);
    } finally {
      await browser.close();
    }
  });
});

describe('sandbox registry', () => {
  it('starts the demo manager with the other fakes', async () => {
    const sandbox = await startSandbox();
    try {
      const res = await fetch(`${sandbox.urls.manager}/units/U1000`);
      expect(res.status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });
});
