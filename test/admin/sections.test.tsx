// @vitest-environment happy-dom
/**
 * The admin page's sections against a fake background (components/admin/): what each sends,
 * what it shows from the answers, confirmations before deleting and revoking, write-only
 * secrets, the report's optional fields, and every language without a missing string.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdminPage } from '../../components/admin/AdminPage.tsx';
import { browserTimeZone } from '../../components/admin/time-zones.ts';
import type { LocationSummary } from '../../lib/admin-messages.ts';
import type { AccessNotice, Booking, Location, SyncRun, TapkeyConnectionTest } from '../../lib/contract.ts';
import type { AnyMessageInput } from '../../lib/messages.ts';
import { bridgeError, renderWithUi } from '../manager-ext/render.tsx';

afterEach(cleanup);

const LOC = '6f1b2c9e-1111-4222-8333-944455556666';
const OWNER = 'a1b2c3d4-0000-4000-8000-000000000001';
const SECRET = 'typed-secret-9c2e';
const now = '2026-01-01T10:00:00.000Z';

const location = (over: Partial<Location> = {}): Location => ({
  id: LOC,
  name: 'Berlin Mitte',
  timeZone: 'Europe/Berlin',
  address: 'Torstraße 1',
  tapkey: null,
  keycafe: null,
  createdAt: now,
  updatedAt: now,
  ...over,
});
const summary = (l: Location, counts = { units: 3, locks: 5, bookings: 2 }): LocationSummary => ({ location: l, counts });
const connected = (over: Partial<NonNullable<Location['tapkey']>> = {}) =>
  location({ tapkey: { clientId: 'client-1', ownerAccountId: OWNER, hasSecret: true, syncMode: 'full', accessTrigger: 'booking_creation', accessTriggers: ['booking_creation'], connectedAt: now, ...over } });

const emptyReport = (): SyncRun['report'] => ({
  bookingsWithoutEmail: { count: 0, items: [] },
  invalidEmails: { count: 0, items: [] },
  unitsWithoutMapping: { count: 0, items: [] },
  locksWithoutUnit: { count: 0, items: [] },
  unexplainedGrants: { scan: 'done', error: null, count: 0, items: [] },
  emailMismatches: { count: 0, items: [] },
  cardGrants: { count: 0, items: [] },
  lockFilter: 'server',
  reminder: 'Tenants must register in the Tapkey app with the same email address.',
});

/** Answers the messages every section sends on mount; `extra` first. */
function background(locations: LocationSummary[], extra: (m: AnyMessageInput) => unknown = () => undefined) {
  return (m: AnyMessageInput) => {
    const answer = extra(m);
    if (answer !== undefined) return answer;
    switch (m.type) {
      case 'adminLocations':
        return { items: locations };
      case 'adminLocks':
        return { items: [], total: 0 };
      case 'adminLatestSync':
        return { run: null };
      case 'adminBookings':
        return { items: [], total: 0 };
      case 'adminHealth':
        return { tapkeyPending: [], tapkeyFailed: [], keycafe: [], outbox: { pending: 0, running: 0, failed: 0, oldestPendingAt: null, byKind: [], failures: [] } };
      case 'adminAudit':
        return { items: [], total: 0 };
      default:
        throw new Error(`unexpected ${m.type}`);
    }
  };
}

const region = (name: string) => screen.getByRole('region', { name });

describe('locations', () => {
  it('creates a location with the browser’s time zone preset and shows the counts as links', async () => {
    const items: LocationSummary[] = [];
    const { sent } = renderWithUi(
      <AdminPage openOptions={() => undefined} />,
      background(items, (m) => {
        if (m.type === 'adminSaveLocation') {
          const l = location({ name: m.name, timeZone: m.timeZone, address: m.address ?? null });
          items.push(summary(l, { units: 0, locks: 0, bookings: 0 }));
          return { location: l };
        }
      }),
    );
    const section = region('Locations');
    await within(section).findByText('No locations yet.');
    expect((within(section).getByLabelText('Time zone') as HTMLInputElement).value).toBe(browserTimeZone());
    fireEvent.input(within(section).getByLabelText('Name'), { target: { value: 'Berlin Mitte' } });
    fireEvent.input(within(section).getByLabelText('Time zone'), { target: { value: 'Europe/Berlin' } });
    fireEvent.input(within(section).getByLabelText('Address'), { target: { value: 'Torstraße 1' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Create location' }));
    await within(section).findByText('Location “Berlin Mitte” created.');
    expect(sent.find((m) => m.type === 'adminSaveLocation')).toEqual({ type: 'adminSaveLocation', name: 'Berlin Mitte', timeZone: 'Europe/Berlin', address: 'Torstraße 1' });
    expect(within(section).getByRole('link', { name: '0 units' })).toBeTruthy();
    expect(within(section).getByRole('link', { name: '0 bookings' })).toBeTruthy();
  });

  it('refuses an unknown time zone before sending anything', async () => {
    const { sent } = renderWithUi(<AdminPage openOptions={() => undefined} />, background([]));
    const section = region('Locations');
    fireEvent.input(within(section).getByLabelText('Time zone'), { target: { value: 'Mars/Olympus' } });
    await within(section).findByText('Not a known IANA time zone: pick one from the list.');
    expect((within(section).getByRole('button', { name: 'Create location' }) as HTMLButtonElement).disabled).toBe(true);
    expect(sent.some((m) => m.type === 'adminSaveLocation')).toBe(false);
  });

  it('deletes only after a confirmation that says what goes and what stays; Escape cancels', async () => {
    const { sent } = renderWithUi(<AdminPage openOptions={() => undefined} />, background([summary(location())], (m) => (m.type === 'adminDeleteLocation' ? { deleted: true } : undefined)));
    const section = region('Locations');
    fireEvent.click(await within(section).findByRole('button', { name: 'Delete Berlin Mitte' }));
    const confirm = await within(section).findByRole('alertdialog', { name: 'Delete “Berlin Mitte”?' });
    expect(confirm.textContent).toContain('its Tapkey and Keycafe connections and their stored secrets');
    expect(confirm.textContent).toContain('its 3 units and 5 locks');
    expect(confirm.textContent).toContain('2 bookings still refer to it');
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Delete location'));
    fireEvent.keyDown(confirm, { key: 'Escape' });
    expect(within(section).queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Delete Berlin Mitte'));
    expect(sent.some((m) => m.type === 'adminDeleteLocation')).toBe(false);

    fireEvent.click(within(section).getByRole('button', { name: 'Delete Berlin Mitte' }));
    fireEvent.click(await within(section).findByRole('button', { name: 'Delete location' }));
    await within(section).findByText('Location “Berlin Mitte” deleted.');
    expect(sent.filter((m) => m.type === 'adminDeleteLocation')).toEqual([{ type: 'adminDeleteLocation', id: LOC }]);
  });
});

describe('Integrations → Tapkey → Connect', () => {
  const failedTest: TapkeyConnectionTest = {
    ok: false,
    ownerAccountId: OWNER,
    owners: [],
    ownerFound: false,
    lockCount: null,
    locks: [],
    problems: [{ code: 'bad_credentials', message: 'Tapkey rejected the client ID or client secret.' }],
    calls: [],
    lockFilter: null,
  };

  it('shows the Integrator-portal checklist, picks the locking system from the owners, and never shows the secret again', async () => {
    let current = location();
    const { sent } = renderWithUi(
      <AdminPage openOptions={() => undefined} />,
      background([], (m) => {
        if (m.type === 'adminLocations') return { items: [summary(current)] };
        if (m.type === 'adminTapkeyOwners') return { owners: [{ id: OWNER, name: 'Demo Storage', active: true }], problems: [] };
        if (m.type === 'adminSaveTapkey') {
          current = connected();
          return { locations: [current] };
        }
        if (m.type === 'adminTestTapkey') return failedTest;
      }),
    );
    const section = region('Integrations → Tapkey → Connect');
    const portal = await within(section).findByRole('link', { name: 'Open the Integrator portal' });
    expect(portal.getAttribute('href')).toMatch(/^https:\/\//);
    expect(section.textContent).toContain('Client Credentials');
    expect(section.textContent).toContain('ReadAndWrite');
    await waitFor(() => expect((within(section).getByRole('checkbox', { name: /Berlin Mitte/ }) as HTMLInputElement).checked).toBe(true));

    fireEvent.input(within(section).getByLabelText('Client ID'), { target: { value: 'client-1' } });
    fireEvent.input(within(section).getByLabelText('Client secret'), { target: { value: SECRET } });
    fireEvent.click(within(section).getByRole('button', { name: 'Find my locking systems' }));
    fireEvent.click(await within(section).findByRole('radio', { name: new RegExp(`Demo Storage ${OWNER}`) }));
    expect((within(section).getByLabelText('Locking system id') as HTMLInputElement).value).toBe(OWNER);

    fireEvent.click(within(section).getByRole('button', { name: 'Save and test connection' }));
    await within(section).findByText('The Tapkey connection does not work yet: 1 problem(s), see what to change below.');
    const checks = within(section).getByRole('heading', { name: 'Connection test' }).parentElement!;
    expect(checks.textContent).toContain('Failed Log in with the client ID and secret');
    expect(checks.textContent).toContain('Not checked Find locking system');
    expect(checks.textContent).toContain('Wrong client ID or secret — in the Integrator portal, OAuth Clients');

    expect(sent.find((m) => m.type === 'adminSaveTapkey')).toEqual({ type: 'adminSaveTapkey', locationIds: [LOC], clientId: 'client-1', clientSecret: SECRET, ownerAccountId: OWNER });
    // Write-only: the field is empty again and says a secret is stored.
    const secretField = within(section).getByLabelText('Client secret') as HTMLInputElement;
    expect(secretField.value).toBe('');
    expect(secretField.type).toBe('password');
    await within(section).findByText(/A client secret is stored/);
    expect(document.body.innerHTML).not.toContain(SECRET);
  });
});

describe('sync mode and triggers', () => {
  it('saves gradual or full with both triggers, and refuses none', async () => {
    const { sent } = renderWithUi(
      <AdminPage openOptions={() => undefined} />,
      background([summary(connected({ syncMode: 'gradual' }))], (m) => (m.type === 'adminSaveSyncMode' ? { location: connected() } : undefined)),
    );
    const section = region('Sync mode and triggers');
    await within(section).findByRole('radio', { name: 'Full sync' });
    expect(within(section).getByRole('radio', { name: 'Gradual' }).getAttribute('aria-describedby')).toBeTruthy();
    expect(section.textContent).toContain('the emails of the tenants’ Tapkey accounts');
    fireEvent.click(within(section).getByRole('radio', { name: 'Full sync' }));
    await waitFor(() => expect((within(section).getByRole('radio', { name: 'Full sync' }) as HTMLInputElement).checked).toBe(true));
    fireEvent.click(within(section).getByRole('checkbox', { name: 'Move-in date reached' }));
    fireEvent.click(within(section).getByRole('button', { name: 'Save' }));
    await within(section).findByText('Saved: full sync. Run it under “Full sync”.');
    expect(sent.find((m) => m.type === 'adminSaveSyncMode')).toEqual({ type: 'adminSaveSyncMode', locationId: LOC, syncMode: 'full', triggers: ['booking_creation', 'move_in_reached'] });

    fireEvent.click(within(section).getByRole('checkbox', { name: 'Move-in date reached' }));
    fireEvent.click(within(section).getByRole('checkbox', { name: 'Booking creation' }));
    await within(section).findByText('Choose at least one trigger.');
    expect((within(section).getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('full sync', () => {
  const running = (): SyncRun => ({
    id: '7a000000-0000-4000-8000-000000000001',
    locationId: LOC,
    state: 'running',
    createdAt: now,
    finishedAt: null,
    progress: { total: 4, done: 1, failed: 0, pending: 3 },
    report: { ...emptyReport(), unexplainedGrants: { scan: 'pending', error: null, count: 0, items: [] } },
  });
  const grant = (id: string, email: string | null, state: 'found' | 'revoking' | 'revoked' = 'found') => ({
    tapkeyGrantId: id,
    lockId: 'ea610634-4fc0-4084-85b2-bebf52c3595f',
    lockTitle: 'Unit A-01',
    email,
    validFrom: null,
    validBefore: null,
    state,
    reason: null,
    protected: false,
    note: null,
  });
  const done = (): SyncRun => ({
    ...running(),
    state: 'done',
    finishedAt: now,
    progress: { total: 4, done: 4, failed: 0, pending: 0 },
    report: {
      ...emptyReport(),
      bookingsWithoutEmail: { count: 1, items: [{ bookingExternalId: 'B6', unitExternalId: 'U6' }] },
      invalidEmails: { count: 1, items: [{ bookingExternalId: 'B7', email: 'someone@gmial.com', reason: 'Looks like a typo of gmail.com' }] },
      unitsWithoutMapping: { count: 1, items: [{ unitExternalId: 'U9', unitName: 'C-09', activeBookings: 1 }] },
      locksWithoutUnit: { count: 1, items: [{ lockId: 'ea610634-4fc0-4084-85b2-bebf52c3595f', title: 'Main entrance' }] },
      unexplainedGrants: { scan: 'done', error: null, count: 3, items: [grant('g1', 'intruder@example.com'), grant('g2', 'intruder@example.com'), grant('g3', 'other@example.com')] },
      emailMismatches: {
        count: 1,
        items: [
          {
            bookingExternalId: 'B2',
            unitExternalId: 'U2',
            unitName: 'A-02',
            lockId: 'ea610634-4fc0-4084-85b2-bebf52c3595f',
            lockTitle: 'Unit A-02',
            expectedEmail: 'a@example.com',
            tapkeyEmails: ['a@example.org'],
            otherGrantIds: ['g9'],
            suggestedAction: 'Ask the tenant which email their Tapkey app uses.',
          },
        ],
      },
    },
  });

  it('shows progress while running, polls until done, then the report with its actions; revokes exactly the rows selected', async () => {
    let reads = 0;
    const { sent } = renderWithUi(
      <AdminPage openOptions={() => undefined} />,
      background([summary(connected())], (m) => {
        if (m.type === 'adminStartSync') return { run: running() };
        if (m.type === 'adminSyncRun') return { run: ++reads < 2 ? running() : done() };
        if (m.type === 'adminRevokeGrants') return { queued: m.tapkeyGrantIds.length };
      }),
    );
    const section = region('Full sync');
    await within(section).findByText('No sync has run for this location yet.');
    fireEvent.click(within(section).getByRole('button', { name: 'Start full sync' }));
    const bar = (await within(section).findByRole('progressbar', { name: 'Bookings: 1 of 4 done, 0 failed, 3 pending' })) as HTMLProgressElement;
    expect(bar.max).toBe(4);
    expect(bar.value).toBe(1);
    expect((within(section).getByRole('button', { name: 'Start full sync' }) as HTMLButtonElement).disabled).toBe(true);

    await within(section).findByRole('progressbar', { name: 'Bookings: 4 of 4 done, 0 failed, 0 pending' }, { timeout: 5000 });
    expect(within(section).getByRole('heading', { name: 'Bookings without email (1)' })).toBeTruthy();
    expect(within(section).getByRole('heading', { name: 'Invalid-looking emails (1)' })).toBeTruthy();
    expect(within(section).getByRole('heading', { name: 'Emails that differ from the Tapkey account (1)' })).toBeTruthy();
    expect(within(section).getByText('a@example.org')).toBeTruthy();
    expect(within(section).getByRole('button', { name: 'Show booking B6' })).toBeTruthy();
    expect(within(section).getByRole('button', { name: 'Map C-09' })).toBeTruthy();
    expect(within(section).getByRole('button', { name: 'Map Main entrance' })).toBeTruthy();

    const boxes = within(section).getAllByRole('checkbox', { name: 'Select the grant of intruder@example.com on Unit A-01' });
    expect(boxes).toHaveLength(2);
    for (const box of boxes) fireEvent.click(box);
    fireEvent.click(within(section).getByRole('button', { name: 'Revoke selected grants (2)' }));
    const confirm = within(section).getByRole('alertdialog', { name: 'Revoke these Tapkey grants?' });
    expect(confirm.textContent).toContain('2 grant(s) of 1 person(s) will be revoked');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Revoke 2 grant(s)' }));
    await within(section).findByText('2 revocation(s) queued.');
    expect(sent.filter((m) => m.type === 'adminRevokeGrants')).toEqual([{ type: 'adminRevokeGrants', runId: running().id, tapkeyGrantIds: ['g1', 'g2'] }]);
  });

  it('picks up a run started before the page was opened', async () => {
    renderWithUi(
      <AdminPage openOptions={() => undefined} />,
      background([summary(connected())], (m) => {
        if (m.type === 'adminLatestSync') return { run: done() };
      }),
    );
    const section = region('Full sync');
    await within(section).findByRole('progressbar', { name: 'Bookings: 4 of 4 done, 0 failed, 0 pending' });
    expect(within(section).getByText(/^Finished /)).toBeTruthy();
  });
});

describe('access ready notices', () => {
  const booking = { id: 'b0000000-0000-4000-8000-000000000001', externalId: 'B1', unitExternalId: 'U1', tenantEmail: 'tenant@example.com', access: { status: 'active', message: 'Access active' }, grant: { state: 'active' } } as unknown as Booking;
  const notice = (lang: string): AccessNotice => ({
    id: 'c0000000-0000-4000-8000-000000000001',
    kind: 'access_ready',
    bookingExternalId: 'B1',
    email: 'tenant@example.com',
    unitName: 'A-01',
    lockId: 'ea610634-4fc0-4084-85b2-bebf52c3595f',
    validFrom: null,
    validBefore: null,
    subject: `[${lang}] Your access is ready`,
    text: `[${lang}] Register in the Tapkey app with tenant@example.com`,
    template: `[${lang}] Register in the Tapkey app with {{tenant.email}}`,
    mergeField: '{{tenant.email}}',
    appStoreUrl: 'https://apps.apple.com/app/tapkey',
    playStoreUrl: 'https://play.google.com/store/apps/details?id=net.tpky.mc',
    createdAt: now,
  });

  it('shows a booking’s notice in the tenant’s language, copies it, and previews the template', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { sent } = renderWithUi(
      <AdminPage openOptions={() => undefined} />,
      background([summary(connected())], (m) => {
        if (m.type === 'adminBookings') return { items: [booking], total: 1 };
        if (m.type === 'adminNotices') return { items: [notice(m.lang)] };
      }),
    );
    const section = region('Access ready notices');
    fireEvent.change(await within(section).findByLabelText('Tenant’s language'), { target: { value: 'fr' } });
    fireEvent.click(await within(section).findByRole('button', { name: 'Show notice of booking B1' }));
    await waitFor(() => expect((within(section).getByLabelText('Text') as HTMLTextAreaElement).value).toBe('[fr] Register in the Tapkey app with tenant@example.com'));
    fireEvent.click(within(section).getByRole('button', { name: 'Copy the notice of booking B1' }));
    await within(section).findByText('Notice copied: paste it into the email to the tenant.');
    expect(writeText).toHaveBeenCalledWith('[fr] Your access is ready\n\n[fr] Register in the Tapkey app with tenant@example.com');
    expect((within(section).getByLabelText('Template') as HTMLTextAreaElement).value).toContain('{{tenant.email}}');
    expect(sent.filter((m) => m.type === 'adminNotices').at(-1)).toEqual({ type: 'adminNotices', bookingExternalId: 'B1', lang: 'fr' });
  });
});

describe('the page as a whole', () => {
  it('says what is wrong and links to the options when the background cannot reach the API', async () => {
    const openOptions = vi.fn();
    renderWithUi(<AdminPage openOptions={openOptions} />, (m) => {
      if (m.type === 'adminLocations') throw bridgeError({ kind: 'not_configured', message: 'Set the API URL' });
      return background([])(m);
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Open the options' }));
    expect(openOptions).toHaveBeenCalled();
  });

  it.each(['en', 'de', 'fr'] as const)('in %s: every section has its heading, no raw key shows, and the whole-site mapping review is mounted', async (lang) => {
    renderWithUi(<AdminPage openOptions={() => undefined} />, background([summary(connected())]), lang);
    await screen.findAllByRole('option', { name: 'Berlin Mitte' });
    const t = (await import('../../lib/i18n/index.ts')).translate;
    for (const key of ['admin.locations.heading', 'admin.tapkey.heading', 'admin.keycafe.heading', 'admin.syncMode.heading', 'admin.locks.heading', 'admin.siteMapping.heading', 'admin.fullSync.heading', 'admin.notices.heading', 'admin.health.heading'] as const)
      expect(screen.getByRole('region', { name: t(lang, key) })).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/admin\.[a-z]/);
    expect(document.querySelector('#site-mapping .ab-mapping-review')).not.toBeNull();
  });
});
