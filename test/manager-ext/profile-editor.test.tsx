// @vitest-environment happy-dom
/**
 * The site-profile editor: a profile survives the form unchanged, every schema problem is
 * explained beside its own input (from the editor's check or the background's), a new
 * profile's id follows its name, and "Test on an open tab" shows what the page gave.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ProfileEditor } from '../../components/options/ProfileEditor.tsx';
import { blankForm, formFromProfile, profileInput, validateForm } from '../../components/options/profile-form.ts';
import type { PreviewResult } from '../../lib/messages.ts';
import { demoManagerProfile, kinnovisManagerTemplate, siteProfileSchema } from '../../lib/site-profile/index.ts';
import { bridgeError, renderWithUi } from './render.tsx';

afterEach(cleanup);

const DEMO = 'http://127.0.0.1:4100';
const savedView = { profiles: [], invalid: 0 };

/** The input labelled `label` inside the group (fieldset) named `group`. */
function inGroup(group: string, label: string, container: HTMLElement = document.body): HTMLInputElement {
  return within(within(container).getByRole('group', { name: group })).getByLabelText(label) as HTMLInputElement;
}

/** The error shown for an input (its aria-describedby). */
function errorOf(input: HTMLElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('field-error'))?.textContent ?? '';
}

describe('form model', () => {
  it('round-trips the built-in profiles unchanged', () => {
    for (const p of [demoManagerProfile(DEMO), kinnovisManagerTemplate('https://manager.example.com')]) {
      expect(siteProfileSchema.parse(profileInput(formFromProfile(p)))).toEqual(p);
    }
  });

  it('drops optional fields switched off and keeps required ones so the schema can name them', () => {
    const f = formFromProfile(demoManagerProfile(DEMO));
    f.unit.fields.location = [];
    f.unit.fields.name = [];
    f.hasBookings = false;
    const input = profileInput(f);
    expect(input.unitPage.fields).not.toHaveProperty('location');
    expect(input.unitPage.fields.name).toEqual([]);
    expect(input).not.toHaveProperty('bookingPage');
    const v = validateForm(f);
    expect(v.ok ? {} : v.errors).toEqual({ 'unitPage.fields.name': 'Give at least one way to read this field' });
  });
});

describe('profile editor', () => {
  it('explains each problem beside its input and sends nothing', async () => {
    const form = formFromProfile(demoManagerProfile(DEMO));
    const { sent } = renderWithUi(<ProfileEditor initial={form} isNew={false} onSaved={() => {}} onCancel={() => {}} />, () => savedView);
    fireEvent.input(screen.getByLabelText('Site address'), { target: { value: 'https://manager.example.com/app' } });
    fireEvent.input(screen.getByLabelText('Address pattern of unit pages'), { target: { value: '^/units/(?<id>[^/]+' } });
    const unitName = screen.getByRole('group', { name: 'Unit name' });
    fireEvent.input(inGroup('Way 1 to read Unit name', 'CSS selector', unitName), { target: { value: '.card { color: red }' } });
    const unitId = screen.getByRole('group', { name: 'Unit ID' });
    fireEvent.input(inGroup('Way 1 to read Unit ID', 'Group name', unitId), { target: { value: 'unit-id' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    await screen.findByText(/^The profile cannot be saved yet: \d+ problems/);
    expect(errorOf(screen.getByLabelText('Site address'))).toBe('Only the origin, without a path: https://manager.example.com');
    expect(errorOf(screen.getByLabelText('Address pattern of unit pages'))).toBe('`^/units/(?<id>[^/]+` is not a valid regular expression');
    expect(errorOf(inGroup('Way 1 to read Unit name', 'CSS selector', unitName))).toBe('A CSS selector cannot contain { or }');
    expect(errorOf(inGroup('Way 1 to read Unit ID', 'Group name', unitId))).toBe('A group name is letters, digits and _ (e.g. unitId)');
    expect(sent).toEqual([]);

    // Fixing a field clears its message at once.
    fireEvent.input(screen.getByLabelText('Site address'), { target: { value: 'https://manager.example.com' } });
    await waitFor(() => expect(errorOf(screen.getByLabelText('Site address'))).toBe(''));
  });

  it('names a URL group the pattern lacks; keeps the last way to read a required field, not of an optional one', async () => {
    const form = formFromProfile(demoManagerProfile(DEMO));
    renderWithUi(<ProfileEditor initial={form} isNew={false} onSaved={() => {}} onCancel={() => {}} />, () => savedView);
    fireEvent.input(screen.getByLabelText('Address pattern of unit pages'), { target: { value: '^/units/(?<unit>[^/?#]+)' } });
    const unitName = screen.getByRole('group', { name: 'Unit name' });
    fireEvent.click(within(unitName).getByRole('button', { name: 'Remove way 2 of Unit name' }));
    expect(within(unitName).queryByRole('button', { name: 'Remove way 1 of Unit name' })).toBeNull();
    const location = screen.getByRole('group', { name: 'Location' });
    fireEvent.click(within(location).getByRole('button', { name: 'Do not read Location' }));
    expect(within(location).getByRole('button', { name: 'Read Location' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await screen.findByText(/^The profile cannot be saved yet: 1 problems/);
    expect(errorOf(inGroup('Way 1 to read Unit ID', 'Group name', screen.getByRole('group', { name: 'Unit ID' })))).toBe(
      'The URL pattern has no group named "unitId" (it has: unit)',
    );
  });

  it('saves a new profile, its id following the name, read from the page by a label', async () => {
    let saved: unknown = null;
    const { sent } = renderWithUi(
      <ProfileEditor initial={blankForm()} isNew onSaved={(_v, name) => (saved = name)} onCancel={() => {}} />,
      () => savedView,
    );
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Mein Lager Manager' } });
    expect((screen.getByLabelText('Profile ID') as HTMLInputElement).value).toBe('mein-lager-manager');
    fireEvent.input(screen.getByLabelText('Site address'), { target: { value: 'https://lager.example.com/' } });
    fireEvent.input(screen.getByLabelText('Address pattern of unit pages'), { target: { value: '^/einheit/(?<unitId>\\d+)' } });
    fireEvent.input(inGroup('Way 1 to read Unit ID', 'Group name'), { target: { value: 'unitId' } });
    const way = screen.getByRole('group', { name: 'Way 1 to read Unit name' });
    fireEvent.change(within(way).getByLabelText('Read from'), { target: { value: 'label' } });
    fireEvent.input(within(way).getByLabelText('Label text'), { target: { value: 'Bezeichnung' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    await waitFor(() => expect(saved).toBe('Mein Lager Manager'));
    expect(sent).toEqual([
      {
        type: 'saveSiteProfile',
        profile: {
          id: 'mein-lager-manager',
          name: 'Mein Lager Manager',
          origin: 'https://lager.example.com',
          dateOrder: 'DMY',
          // New profiles read the main content only, never the navigation or sidebars.
          scope: 'content',
          unitPage: {
            urlPattern: '^/einheit/(?<unitId>\\d+)',
            fields: { id: [{ from: 'url', group: 'unitId' }], name: [{ from: 'label', label: 'Bezeichnung' }] },
            anchor: { selectors: ['main h1'], position: 'after' },
          },
        },
      },
    ]);
  });

  it('places the background’s field errors beside the inputs', async () => {
    renderWithUi(<ProfileEditor initial={formFromProfile(demoManagerProfile(DEMO))} isNew={false} onSaved={() => {}} onCancel={() => {}} />, () => {
      throw bridgeError({ kind: 'bad_message', message: 'The site profile is not valid.', fieldErrors: [{ path: 'origin', message: 'The profile “Kinnovis Manager” already uses http://127.0.0.1:4100' }] });
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(errorOf(screen.getByLabelText('Site address'))).toBe('The profile “Kinnovis Manager” already uses http://127.0.0.1:4100'));
    expect(screen.getByRole('alert').textContent).toBe('The profile cannot be saved yet: 1 problems, shown beside their fields.');
  });

  it('booking pages: switched on with their fields, state words and anchor', async () => {
    const form = formFromProfile(demoManagerProfile(DEMO));
    form.hasBookings = false;
    const { sent } = renderWithUi(<ProfileEditor initial={form} isNew={false} onSaved={() => {}} onCancel={() => {}} />, () => savedView);
    expect(screen.queryByRole('group', { name: 'Booking pages' })).toBeNull();
    fireEvent.click(screen.getByLabelText('This manager has booking pages'));
    const bookings = await screen.findByRole('group', { name: 'Booking pages' });
    expect(within(bookings).getByRole('group', { name: 'Move-in date' })).toBeTruthy();
    fireEvent.click(within(bookings).getByRole('button', { name: 'Add a state word' }));
    const words = within(bookings).getAllByLabelText('Word on the page');
    fireEvent.input(words.at(-1)!, { target: { value: 'Gekündigt' } });
    fireEvent.change(within(bookings).getAllByLabelText('Means').at(-1)!, { target: { value: 'ended' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    const saved = (sent[0] as unknown as { profile: { bookingPage: { stateLabels: Record<string, string> } } }).profile;
    expect(saved.bookingPage.stateLabels).toMatchObject({ Active: 'active', 'Moved out': 'ended', Gekündigt: 'ended' });
  });

  it('tests the draft on an open tab and shows each value read, or why not', async () => {
    const reading: PreviewResult = {
      status: 'read',
      tabs: [
        { id: 6, title: 'Unit A-01 · Storage Manager', url: `${DEMO}/units/U1000` },
        { id: 7, title: 'Booking B5000 · Storage Manager', url: `${DEMO}/bookings/B5000` },
      ],
      tab: { id: 6, title: 'Unit A-01 · Storage Manager', url: `${DEMO}/units/U1000` },
      reading: {
        kind: 'unit',
        profileId: 'demo-manager',
        result: { ok: true, value: { externalId: 'U1000', name: 'A-01', location: null }, notes: [{ field: 'unit.location', code: 'label_no_match', strategy: 0, params: { label: 'Location' } }] },
        anchor: { field: 'anchor', code: 'anchor_missing', params: { selectors: '`#general-card`' } },
      },
    };
    const broken: PreviewResult = {
      ...reading,
      tab: reading.tabs[1]!,
      reading: { kind: 'booking', profileId: 'demo-manager', result: { ok: false, problems: [{ field: 'booking.moveIn', code: 'not_date', strategy: 0, params: { text: 'soon', order: 'DMY' } }] }, anchor: null },
    };
    const { sent } = renderWithUi(<ProfileEditor initial={formFromProfile(demoManagerProfile(DEMO))} isNew={false} onSaved={() => {}} onCancel={() => {}} />, (m) =>
      m.type === 'previewSiteProfile' && m.tabId === 7 ? broken : reading,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Test on an open tab' }));
    const result = await screen.findByRole('region', { name: 'Test result' });
    expect(within(result).getByText('Unit page: “Unit A-01 · Storage Manager”')).toBeTruthy();
    expect(within(result).getByRole('row', { name: 'Unit name A-01' })).toBeTruthy();
    expect(within(result).getByText('Location: no label “Location” was found on this page')).toBeTruthy();
    expect(within(result).getByText(/^Place for the AccessBridge controls: none of the selectors `#general-card` matched/)).toBeTruthy();

    fireEvent.change(within(result).getByLabelText('Tab to test on'), { target: { value: '7' } });
    await screen.findByText('Move-in date: “soon” is not a date this profile can read (DMY)');
    expect(screen.getByText('Booking page: “Booking B5000 · Storage Manager”')).toBeTruthy();
    expect(sent.at(-1)).toMatchObject({ type: 'previewSiteProfile', tabId: 7 });
  });

  it('explains a test that could not run: no access yet, no open tab, another page', async () => {
    const answers: PreviewResult[] = [
      { status: 'no_permission', pattern: 'http://127.0.0.1/*' },
      { status: 'no_tab', origin: DEMO },
      { status: 'read', tabs: [{ id: 1, title: 'Units', url: `${DEMO}/units` }], tab: { id: 1, title: 'Units', url: `${DEMO}/units` }, reading: null },
    ];
    renderWithUi(<ProfileEditor initial={formFromProfile(demoManagerProfile(DEMO))} isNew={false} onSaved={() => {}} onCancel={() => {}} />, () => answers.shift());
    const test = () => fireEvent.click(screen.getByRole('button', { name: 'Test on an open tab' }));
    test();
    await screen.findByText('Grant access to this site first: AccessBridge reads only pages of sites you allowed.');
    test();
    await screen.findByText(`Open a page of ${DEMO} in another tab, then test again.`);
    test();
    await screen.findByText(`The tab “Units” is neither a unit page nor a booking page by this profile’s address patterns (${DEMO}/units).`);
  });
});
