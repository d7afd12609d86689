// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { normalizeDate } from '../../lib/dates.ts';
import {
  demoManagerProfile,
  describeProblem,
  extractBooking,
  extractUnit,
  findAnchor,
  kinnovisManagerTemplate,
  matchPage,
  namedGroups,
  originMatchPattern,
  pageReadingSchema,
  readPage,
  siteProfileSchema,
  siteProfilesSchema,
  type SiteProfile,
  type SiteProfileInput,
} from '../../lib/site-profile/index.ts';
import { bookingPage, unitPage } from '../../sandbox/manager/pages.ts';
import { HOSTILE_UNIT_ID, HOSTILE_UNIT_NAME, ManagerWorld } from '../../sandbox/manager/state.ts';

const ORIGIN = 'http://127.0.0.1:4100';
const demo = demoManagerProfile(ORIGIN);
const world = new ManagerWorld({ hostile: true });

// Without the page's stylesheet and script: happy-dom would try to fetch them from nowhere.
const parse = (html: string) => new DOMParser().parseFromString(html.replace(/<link [^>]*>|<script [^>]*><\/script>/g, ''), 'text/html');
const unitDoc = (id: string) => parse(unitPage(world, world.unit(id)!));
const bookingDoc = (id: string) => parse(bookingPage(world, world.booking(id)!));

/** A deep copy of the demo profile as input, to break one thing at a time. */
function demoInput(): SiteProfileInput {
  return structuredClone(demo) as SiteProfileInput;
}

function issuesOf(input: unknown) {
  const r = siteProfileSchema.safeParse(input);
  if (r.success) throw new Error('expected the profile to be rejected');
  return r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('site profile schema', () => {
  it('accepts the built-in profiles and normalises the origin', () => {
    expect(demoManagerProfile('http://127.0.0.1:4100/').origin).toBe(ORIGIN);
    expect(kinnovisManagerTemplate('https://manager.example.com').bookingPage?.fields.tenantEmail).toHaveLength(3);
    expect(demo.dateOrder).toBe('DMY');
  });

  it('rejects a URL pattern that does not compile, naming it', () => {
    const input = demoInput();
    input.unitPage.urlPattern = '^/units/(?<unitId>[A-Z';
    expect(issuesOf(input)).toContainEqual({ path: 'unitPage.urlPattern', message: '`^/units/(?<unitId>[A-Z` is not a valid regular expression' });
  });

  it('rejects a url strategy whose group the pattern lacks, listing the groups it has', () => {
    const input = demoInput();
    input.unitPage.urlPattern = '^/units/(?<id>[^/]+)';
    expect(issuesOf(input)).toContainEqual({ path: 'unitPage.fields.id.0.group', message: 'The URL pattern has no group named "unitId" (it has: id)' });
    input.unitPage.urlPattern = '^/units/([^/]+)';
    expect(issuesOf(input)).toContainEqual({
      path: 'unitPage.fields.id.0.group',
      message: 'The URL pattern has no named groups; add one like (?<unitId>[^/?#]+)',
    });
  });

  it('rejects a cleanup regex that does not compile and a field without strategies', () => {
    const input = demoInput();
    input.bookingPage!.fields.unitId = [{ from: 'selector', selector: 'a', attribute: 'href', regex: '/units/(' }];
    input.bookingPage!.fields.moveIn = [];
    const issues = issuesOf(input);
    expect(issues).toContainEqual({ path: 'bookingPage.fields.unitId.0.regex', message: '`/units/(` is not a valid regular expression' });
    expect(issues).toContainEqual({ path: 'bookingPage.fields.moveIn', message: 'Give at least one way to read this field' });
  });

  it('rejects origins with a path, other schemes and non-URLs', () => {
    const withOrigin = (origin: string) => ({ ...demoInput(), origin });
    expect(issuesOf(withOrigin('https://manager.example.com/app'))).toContainEqual({ path: 'origin', message: 'Only the origin, without a path: https://manager.example.com' });
    expect(issuesOf(withOrigin('ftp://manager.example.com'))).toContainEqual({ path: 'origin', message: 'Must start with https:// or http://' });
    expect(issuesOf(withOrigin('manager'))).toContainEqual({ path: 'origin', message: 'Not a web address (e.g. https://manager.example.com)' });
  });

  it('rejects CSS selectors with braces, unknown states and bad ids', () => {
    const input = demoInput();
    input.id = 'My Profile';
    input.unitPage.anchor.selectors = ['h1 { color: red }'];
    (input.bookingPage!.stateLabels as Record<string, string>).Gone = 'vanished';
    const paths = issuesOf(input).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['id', 'unitPage.anchor.selectors.0', 'bookingPage.stateLabels.Gone']));
  });

  it('keeps ids and origins unique in the stored list', () => {
    const other = { ...demoInput(), id: 'other' };
    const r = siteProfilesSchema.safeParse([demoInput(), other, { ...demoInput(), origin: 'https://x.example' }]);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['1.origin', `Profile 1 already uses the origin ${ORIGIN}`],
      ['2.id', 'Profile 1 already uses the id demo-manager'],
    ]);
  });

  it('lists named groups and gives a port-less match pattern for permissions', () => {
    expect(namedGroups('^/u/(?<unitId>\\w+)/b/(?<bookingId>\\w+)?')).toEqual(['unitId', 'bookingId']);
    expect(originMatchPattern('http://127.0.0.1:4100')).toBe('http://127.0.0.1/*');
    expect(originMatchPattern('https://manager.example.com')).toBe('https://manager.example.com/*');
  });
});

describe('matchPage', () => {
  const hashProfile = siteProfileSchema.parse({
    ...demoInput(),
    id: 'hash-app',
    origin: 'https://hash.example',
    unitPage: { ...demoInput().unitPage, urlPattern: '^/#/units/(?<unitId>[^/?#]+)$' },
    bookingPage: { ...demoInput().bookingPage!, urlPattern: '^/#/units/[^/]+/bookings/(?<bookingId>[^/?#]+)$' },
  });
  const profiles = [demo, hashProfile];

  it('tells unit pages from booking pages and reads the URL groups', () => {
    expect(matchPage(`${ORIGIN}/units/U1003`, profiles)).toMatchObject({ kind: 'unit', groups: { unitId: 'U1003' }, profile: { id: 'demo-manager' } });
    expect(matchPage(`${ORIGIN}/units/U1003?tab=general#top`, profiles)).toMatchObject({ kind: 'unit' });
    expect(matchPage(`${ORIGIN}/bookings/B5001`, profiles)).toMatchObject({ kind: 'booking', groups: { bookingId: 'B5001' } });
  });

  it('ignores list pages, other origins (including another port) and non-URLs', () => {
    expect(matchPage(`${ORIGIN}/units`, profiles)).toBeNull();
    expect(matchPage(`${ORIGIN}/units/U1/edit`, profiles)).toBeNull();
    expect(matchPage('http://127.0.0.1:4101/units/U1003', profiles)).toBeNull();
    expect(matchPage('not a url', profiles)).toBeNull();
  });

  it('matches hash routes and prefers the booking pattern when both match', () => {
    expect(matchPage('https://hash.example/#/units/7', profiles)).toMatchObject({ kind: 'unit', groups: { unitId: '7' }, profile: { id: 'hash-app' } });
    expect(matchPage('https://hash.example/#/units/7/bookings/12', profiles)).toMatchObject({ kind: 'booking', groups: { bookingId: '12' } });
  });

  it('decodes percent-encoded groups', () => {
    expect(matchPage(`${ORIGIN}/units/A%2D01`, profiles)?.groups.unitId).toBe('A-01');
  });
});

describe('extraction on the demo manager pages', () => {
  it('reads a unit page', () => {
    const r = extractUnit(unitDoc('U1000'), `${ORIGIN}/units/U1000`, demo);
    expect(r).toEqual({ ok: true, value: { externalId: 'U1000', name: 'A-01', location: 'Berlin Mitte' }, notes: [] });
  });

  it('reads a booking page: href email, label phone, dotted dates, state word, dash as absent', () => {
    const booking = world.bookings.find((b) => b.tenantEmail && b.tenantPhone && !b.moveOut)!;
    const r = extractBooking(bookingDoc(booking.externalId), `${ORIGIN}/bookings/${booking.externalId}`, demo);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({
      externalId: booking.externalId,
      unitExternalId: booking.unitExternalId,
      tenantName: booking.tenantName,
      tenantEmail: booking.tenantEmail,
      tenantPhone: booking.tenantPhone,
      moveIn: booking.moveIn,
      moveOut: null,
      state: booking.state,
    });
    expect(r.notes.map((n) => [n.field, n.code])).toEqual([['booking.moveOut', 'label_no_value']]);
  });

  it('reads every demo booking exactly as the demo data has it', () => {
    for (const b of world.bookings) {
      const r = extractBooking(bookingDoc(b.externalId), `${ORIGIN}/bookings/${b.externalId}`, demo);
      if (!r.ok) throw new Error(`${b.externalId}: ${r.problems.map((p) => describeProblem(p)).join('; ')}`);
      expect(r.value).toEqual(b);
    }
  });

  it('returns hostile unit names as plain text', () => {
    const r = extractUnit(unitDoc(HOSTILE_UNIT_ID), `${ORIGIN}/units/${HOSTILE_UNIT_ID}`, demo);
    expect(r.ok && r.value.name).toBe(HOSTILE_UNIT_NAME);
  });

  it('falls back to the next strategy when the first finds nothing', () => {
    const doc = unitDoc('U1001');
    doc.querySelector('.unit-name')!.classList.remove('unit-name');
    const r = extractUnit(doc, `${ORIGIN}/units/U1001`, demo);
    expect(r).toMatchObject({ ok: true, value: { name: 'A-02' } });
  });

  it('explains a broken selector instead of failing silently', () => {
    const input = demoInput();
    input.unitPage.fields.name = [{ from: 'selector', selector: '.unit-title' }];
    const profile = siteProfileSchema.parse(input);
    const r = extractUnit(unitDoc('U1001'), `${ORIGIN}/units/U1001`, profile);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([{ field: 'unit.name', code: 'selector_no_match', strategy: 0, params: { selector: '.unit-title' } }]);
    expect(describeProblem(r.problems[0]!)).toBe('Unit name: selector `.unit-title` matched nothing on this page');
    expect(describeProblem(r.problems[0]!, 'de')).toBe('Einheitenname: der Selektor `.unit-title` findet nichts auf dieser Seite');
  });

  it('reports every failed fallback, invalid selector syntax included', () => {
    const input = demoInput();
    input.unitPage.fields.name = [
      { from: 'selector', selector: 'dd[data-x' },
      { from: 'selector', selector: '#general-card dd', attribute: 'data-name' },
      { from: 'label', label: 'Display name' },
    ];
    const r = extractUnit(unitDoc('U1001'), `${ORIGIN}/units/U1001`, siteProfileSchema.parse(input));
    expect(!r.ok && r.problems.map((p) => describeProblem(p))).toEqual([
      'Unit name: selector `dd[data-x` is not a valid CSS selector',
      // Every match is a candidate: the five cells, all without the attribute, named once.
      'Unit name: selector `#general-card dd` matched 5 elements, none with a usable value: the element matched by `#general-card dd` has no `data-name` attribute',
      'Unit name: no label “Display name” was found on this page',
    ]);
  });

  it('reports a page whose address does not match the pattern', () => {
    const r = extractUnit(unitDoc('U1001'), `${ORIGIN}/units`, demo);
    expect(!r.ok && describeProblem(r.problems[0]!)).toBe(
      'Unit page: this page’s address does not match the profile’s pattern `^/units/(?<unitId>[^/?#]+)/?(?:[?#].*)?$`',
    );
  });

  it('rejects values that are present but wrong, even in optional fields', () => {
    const doc = bookingDoc('B5000');
    const dds = Array.from(doc.querySelectorAll('#booking-card dd'));
    const dd = (label: string) => dds[Array.from(doc.querySelectorAll('#booking-card dt')).findIndex((dt) => dt.textContent === label)]!;
    const email = doc.querySelector('a.tenant-email')!;
    email.setAttribute('href', 'mailto:not-an-email');
    email.textContent = 'not-an-email';
    dd('Move-in').textContent = 'soon';
    dd('Move-out').textContent = '31.02.2027';
    doc.querySelector('.booking-state')!.textContent = 'Archived';
    const r = extractBooking(doc, `${ORIGIN}/bookings/B5000`, demo);
    expect(!r.ok && r.problems.map((p) => describeProblem(p))).toEqual([
      'Tenant email: “mailto:not-an-email” is not an email address',
      'Tenant email: “not-an-email” is not an email address',
      'Move-in date: “soon” is not a date this profile can read (DMY)',
      'Move-out date: “31.02.2027” is not a real calendar date',
      'Booking state: “Archived” is not a booking state the profile knows',
    ]);
  });

  it('rejects a move-out before the move-in', () => {
    const doc = bookingDoc('B5000');
    const dts = Array.from(doc.querySelectorAll('#booking-card dt'));
    dts.find((dt) => dt.textContent === 'Move-out')!.nextElementSibling!.textContent = '01.01.2020';
    const r = extractBooking(doc, `${ORIGIN}/bookings/B5000`, demo);
    expect(!r.ok && r.problems.map((p) => describeProblem(p))).toEqual(['Move-out date: move-out 2020-01-01 is before move-in 2026-01-01']);
  });

  it('finds the anchor, or explains that the controls float instead', () => {
    const doc = unitDoc('U1000');
    expect(findAnchor(doc, demo.unitPage.anchor)).toMatchObject({ ok: true, element: doc.getElementById('general-card'), position: 'after' });
    const missing = findAnchor(doc, { selectors: ['#nope', '.also-nope'], position: 'append' });
    expect(!missing.ok && describeProblem(missing.problem)).toBe(
      'Place for the AccessBridge controls: none of the selectors `#nope`, `.also-nope` matched; the controls are shown in a floating panel instead',
    );
  });
});

describe('readPage', () => {
  it('matches, extracts and checks the anchor in one call, as plain data that survives messaging', () => {
    const reading = readPage(bookingDoc('B5003'), `${ORIGIN}/bookings/B5003`, [demo]);
    expect(reading).toMatchObject({ kind: 'booking', profileId: 'demo-manager', anchor: null, result: { ok: true, value: { externalId: 'B5003' } } });
    expect(pageReadingSchema.parse(JSON.parse(JSON.stringify(reading)))).toEqual(reading);
  });

  it('reports a missing anchor beside the data, and nothing for pages no profile claims', () => {
    const doc = unitDoc('U1000');
    doc.getElementById('general-card')!.remove();
    doc.querySelector('main h1')!.remove();
    const reading = readPage(doc, `${ORIGIN}/units/U1000`, [demo]);
    expect(reading?.kind).toBe('unit');
    expect(reading?.anchor?.code).toBe('anchor_missing');
    // Without the General card the name comes from the fallback, the edit dialog's labelled
    // field (<label for> → <input value>); the location, read only inside the card, is a note.
    expect(reading?.result).toEqual({
      ok: true,
      value: { externalId: 'U1000', name: 'A-01', location: null },
      notes: [{ field: 'unit.location', code: 'selector_no_match', strategy: 0, params: { selector: '#general-card' } }],
    });
    expect(readPage(doc, `${ORIGIN}/locations`, [demo])).toBeNull();
  });

  it('refuses malformed readings from a message', () => {
    expect(pageReadingSchema.safeParse({ kind: 'unit', profileId: 'x', result: { ok: false, problems: [] }, anchor: null }).success).toBe(false);
    expect(pageReadingSchema.safeParse({ kind: 'unit', profileId: 'x', result: { ok: false, problems: [{ field: 'unit.name', code: 'boom', params: {} }] }, anchor: null }).success).toBe(false);
  });
});

describe('extraction on a Kinnovis-like page with the template', () => {
  const kinnovis: SiteProfile = kinnovisManagerTemplate('https://app.kinnovis.example');
  const page = parse(`<!doctype html><main>
    <h1>A-12 (Indoor)</h1>
    <div class="card"><div class="card-title">General <button aria-label="edit">✎</button></div>
      <div class="row"><span class="k">Name</span><span class="v">A-12</span></div>
      <div class="row"><span class="k">Location:</span><span class="v">Wien Nord</span></div>
    </div></main>`);
  const booking = parse(`<!doctype html><main><h1>Booking 88</h1><table>
    <tr><th>Customer</th><td>Jonas Weber</td></tr>
    <tr><th>Unit</th><td><a href="/units/4711">A-12</a></td></tr>
    <tr><th>E-Mail</th><td>jonas.weber@example.com</td></tr>
    <tr><th>Telefon</th><td>+43 660 1234567</td></tr>
    <tr><th>Einzug</th><td>1. März 2026</td></tr>
    <tr><th>Auszug</th><td></td></tr></table></main>`);

  it('reads units and bookings by their labels', () => {
    expect(extractUnit(page, 'https://app.kinnovis.example/units/4711/general', kinnovis)).toEqual({
      ok: true,
      value: { externalId: '4711', name: 'A-12', location: 'Wien Nord' },
      notes: [],
    });
    const r = extractBooking(booking, 'https://app.kinnovis.example/bookings/88', kinnovis);
    expect(r).toMatchObject({
      ok: true,
      value: { externalId: '88', unitExternalId: '4711', tenantName: 'Jonas Weber', tenantEmail: 'jonas.weber@example.com', tenantPhone: '+43 660 1234567', moveIn: '2026-03-01', moveOut: null, state: null },
    });
  });
});

describe('normalizeDate', () => {
  it.each([
    ['2026-02-01', 'DMY', '2026-02-01'],
    ['2026-02-01T09:30:00+01:00', 'DMY', '2026-02-01'],
    ['2026/2/1', 'MDY', '2026-02-01'],
    ['01.02.2026', 'DMY', '2026-02-01'],
    ['01.02.2026', 'MDY', '2026-02-01'],
    ['1.2.26', 'DMY', '2026-02-01'],
    ['02/01/2026', 'MDY', '2026-02-01'],
    ['02/01/2026', 'DMY', '2026-01-02'],
    ['13/01/2026', 'MDY', '2026-01-13'],
    ['01/13/2026', 'DMY', '2026-01-13'],
    ['01-02-2026', 'DMY', '2026-02-01'],
    ['Move-in: 15.03.2026 (Sunday)', 'DMY', '2026-03-15'],
    ['1 Feb 2026', 'DMY', '2026-02-01'],
    ['1. Februar 2026', 'DMY', '2026-02-01'],
    ['1er mars 2026', 'DMY', '2026-03-01'],
    ['3 mars 2026', 'DMY', '2026-03-03'],
    ['févr. 3, 2026', 'MDY', '2026-02-03'],
    ['February 1, 2026', 'MDY', '2026-02-01'],
    ['Sept 30th, 2026', 'MDY', '2026-09-30'],
    ['29.02.2028', 'DMY', '2028-02-29'],
  ] as const)('%s (%s) → %s', (text, order, expected) => {
    const r = normalizeDate(text, order);
    expect(r.ok ? r.value : null).toBe(expected);
  });

  it('tells empty, unrecognised and impossible dates apart', () => {
    expect(normalizeDate('  ')).toEqual({ ok: false, reason: 'empty' });
    expect(normalizeDate('next week')).toEqual({ ok: false, reason: 'unrecognised' });
    expect(normalizeDate('29.02.2027')).toEqual({ ok: false, reason: 'impossible' });
    expect(normalizeDate('2026-13-01')).toEqual({ ok: false, reason: 'impossible' });
    expect(normalizeDate('12/31/2026', 'DMY')).toEqual({ ok: true, value: '2026-12-31' });
  });
});
