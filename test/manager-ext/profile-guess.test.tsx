// @vitest-environment happy-dom
/**
 * "Guess from open tabs" for another manager: the background looks at each open tab of the
 * site with the real preview functions (run here against corpus pages in happy-dom windows),
 * merges a profile and reads one tab with it; the options editor asks for the site first,
 * fills the form with the guess, and shows every field's value for the admin to confirm.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProfileEditor } from '../../components/options/ProfileEditor.tsx';
import { blankForm } from '../../components/options/profile-form.ts';
import { SiteProfilesSection } from '../../components/options/SiteProfilesSection.tsx';
import type { AnyMessageInput, GuessResult, Reply } from '../../lib/messages.ts';
import { guessPage, guessProfile, readPage, siteProfileSchema, type SiteProfile } from '../../lib/site-profile/index.ts';
import { layouts } from '../fixtures/managers/corpus.ts';
import { CORPUS_ORIGIN, openLayoutPage, type OpenPage } from '../manager/corpus-pages.ts';
import { ask as deliver, optionsPage, startBackground } from '../helpers/background.ts';
import { fakeHostAccess } from './fake-host-access.ts';
import { renderWithUi } from './render.tsx';

const PATTERN = 'https://manager.corpus.example/*';
const spa = layouts.find((l) => l.name === 'rows-hash-spa')!;
let unitPage: OpenPage;
let bookingPage: OpenPage;

beforeAll(async () => {
  unitPage = await openLayoutPage(spa, 'unit');
  bookingPage = await openLayoutPage(spa, 'booking');
});
afterAll(async () => {
  await unitPage.close();
  await bookingPage.close();
});
afterEach(cleanup);

describe('the background guesses from the open tabs', () => {
  let host: ReturnType<typeof fakeHostAccess>;
  let tabs: { id: number; url: string; title: string; lastAccessed?: number }[];
  const byTab = new Map<number, OpenPage | 'broken'>();

  beforeEach(async () => {
    fakeBrowser.reset();
    host = fakeHostAccess();
    tabs = [];
    byTab.clear();
    fakeBrowser.tabs.query = vi.fn(async () => tabs) as never;
    // The preview script's functions, run as the tab would run them (same code, this page).
    host.scripting.executeScript.mockImplementation(async (injection: unknown) => {
      const inj = injection as { target: { tabId: number }; files?: string[]; func?: (...a: unknown[]) => unknown; args?: unknown[] };
      const page = byTab.get(inj.target.tabId);
      if (page === 'broken') throw new Error('Cannot access contents of the page');
      if (inj.files) return [];
      // Each tab has its own world in the browser: its globals are set just before its call.
      const g = globalThis as Record<string, unknown>;
      g.__accessbridgeGuess = async () => guessPage(page!.document, page!.url);
      g.__accessbridgePreview = async (p: unknown) => readPage(page!.document, page!.url, [siteProfileSchema.parse(p)]);
      return [{ result: JSON.parse(JSON.stringify(await inj.func!(...(inj.args ?? [])))) }];
    });
    await startBackground();
  });

  const ask = (message: unknown) => deliver<GuessResult>(message, optionsPage());

  it('needs a valid site address, the host, and an open tab', async () => {
    expect(await ask({ type: 'guessSiteProfile', origin: 'https://manager.corpus.example/app' })).toMatchObject({
      ok: false,
      error: { kind: 'bad_message', fieldErrors: [{ path: 'origin', message: 'Only the origin, without a path: https://manager.corpus.example' }] },
    });
    expect(await ask({ type: 'guessSiteProfile', origin: CORPUS_ORIGIN })).toEqual({ ok: true, data: { status: 'no_permission', pattern: PATTERN } });
    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    tabs = [{ id: 3, url: 'https://other.example/units/7', title: 'Another site' }];
    expect(await ask({ type: 'guessSiteProfile', origin: CORPUS_ORIGIN })).toEqual({ ok: true, data: { status: 'no_tab', origin: CORPUS_ORIGIN } });
  });

  it('merges the unit and booking tabs into one profile, skips a tab it cannot look at, and reads the chosen tab', async () => {
    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    tabs = [
      { id: 1, url: unitPage.url, title: 'Einheit C-07', lastAccessed: 3 },
      { id: 2, url: bookingPage.url, title: 'Buchung 12', lastAccessed: 2 },
      { id: 9, url: `${CORPUS_ORIGIN}/#/reports`, title: 'Berichte', lastAccessed: 1 },
    ];
    byTab.set(1, unitPage).set(2, bookingPage).set(9, 'broken');
    const reply = await ask({ type: 'guessSiteProfile', origin: CORPUS_ORIGIN, tabId: 2 });
    expect(reply.ok).toBe(true);
    const r = reply.data;
    if (r.status !== 'guessed') throw new Error(r.status);
    expect(r.pages.map((p) => [p.tab.id, p.kind])).toEqual([
      [1, 'unit'],
      [2, 'booking'],
      [9, null],
    ]);
    expect(r.profile).toMatchObject({ origin: CORPUS_ORIGIN, scope: 'content', dateOrder: 'DMY', unitPage: { urlPattern: '/units/(?<unitId>(?=[^/?#]*\\d)[^/?#]+)(?:[/?#]|$)' } });
    expect(r.preview).toMatchObject({ status: 'read', tab: { id: 2 }, reading: { kind: 'booking', result: { ok: true, value: spa.booking.expected } } });
    // What the guess made is a profile the background saves as it is.
    expect(siteProfileSchema.parse(JSON.parse(JSON.stringify(r.profile)))).toEqual(r.profile);
  });
});

describe('the options editor', () => {
  /** What the background answers for the corpus layout's two open tabs. */
  function guessAnswer(): GuessResult {
    const profile: SiteProfile = guessProfile(CORPUS_ORIGIN, [guessPage(unitPage.document, unitPage.url), guessPage(bookingPage.document, bookingPage.url)]);
    const tab = { id: 2, title: 'Buchung 12', url: bookingPage.url };
    const tabs = [{ id: 1, title: 'Einheit C-07', url: unitPage.url }, tab];
    return {
      status: 'guessed',
      profile,
      pages: [
        { tab: tabs[0]!, kind: 'unit' },
        { tab, kind: 'booking' },
      ],
      preview: { status: 'read', tabs, tab, reading: readPage(bookingPage.document, bookingPage.url, [profile]) },
    };
  }

  it('asks for the site first, fills the form with the guess and shows every field of the page', async () => {
    const requestHost = vi.fn(async () => true);
    const reply = (m: AnyMessageInput) => (m.type === 'guessSiteProfile' ? guessAnswer() : { profiles: [], invalid: 0 });
    const { sent } = renderWithUi(<ProfileEditor initial={blankFormFor()} isNew offerGuess requestHost={requestHost} onSaved={() => {}} onCancel={() => {}} />, reply);

    fireEvent.click(screen.getByRole('button', { name: 'Guess from open tabs' }));
    await screen.findByText('Enter the site address first.');
    expect(requestHost).not.toHaveBeenCalled();

    fireEvent.input(screen.getByLabelText('Site address'), { target: { value: `${CORPUS_ORIGIN}/` } });
    fireEvent.click(screen.getByRole('button', { name: 'Guess from open tabs' }));
    const result = await screen.findByRole('region', { name: 'Test result' });
    expect(requestHost).toHaveBeenCalledWith(PATTERN);
    expect(sent).toEqual([{ type: 'guessSiteProfile', origin: CORPUS_ORIGIN }]);
    screen.getByText(/^Guessed from 2 open tab\(s\) of https:\/\/manager\.corpus\.example\. .* Pages recognised: unit page, booking page\.$/);

    // Every field, the one not on the page included.
    const rows = within(result)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.textContent);
    expect(rows).toEqual([
      'Booking ID12',
      'Unit ID of the booking7',
      'Tenant nameLena Schmidt',
      'Tenant emaillena.schmidt@example.de',
      'Tenant phone+49 151 2345678',
      'Move-in date2026-04-15',
      'Move-out datenot on this page',
      'Booking statereserved',
    ]);
    // The form holds the guess: name and id from the site, the address patterns, the labels.
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('manager.corpus.example');
    expect((screen.getByLabelText('Profile ID') as HTMLInputElement).value).toBe('manager-corpus-example');
    expect((screen.getByLabelText('Address pattern of unit pages') as HTMLInputElement).value).toBe('/units/(?<unitId>(?=[^/?#]*\\d)[^/?#]+)(?:[/?#]|$)');
    const moveIn = screen.getByRole('group', { name: 'Move-in date', exact: true });
    expect((within(moveIn).getByLabelText('Label text') as HTMLInputElement).value).toBe('Einzug');
    expect((screen.getByLabelText('Also read the navigation, page header, page footer and sidebars') as HTMLInputElement).checked).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(sent.map((m) => m.type)).toEqual(['guessSiteProfile', 'saveSiteProfile']));
    expect((sent[1] as { profile: unknown }).profile).toEqual((guessAnswer() as { profile: SiteProfile }).profile);
  });

  it('says so when the site is not granted, and sends nothing', async () => {
    const { sent } = renderWithUi(<ProfileEditor initial={blankFormFor(CORPUS_ORIGIN)} isNew offerGuess requestHost={async () => false} onSaved={() => {}} onCancel={() => {}} />, () => null);
    fireEvent.click(screen.getByRole('button', { name: 'Guess from open tabs' }));
    await screen.findByText('Access to https://manager.corpus.example was not granted, so its pages cannot be read.');
    expect(sent).toEqual([]);
  });

  it('is offered for another manager only, not for the Kinnovis template', async () => {
    renderWithUi(<SiteProfilesSection requestHost={async () => true} />, () => ({ profiles: [], invalid: 0 }));
    fireEvent.click(await screen.findByRole('button', { name: 'Add Kinnovis Manager' }));
    expect(screen.queryByRole('button', { name: 'Guess from open tabs' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Add another manager' }));
    screen.getByRole('button', { name: 'Guess from open tabs' });
  });
});

const blankFormFor = (origin = '') => blankForm(origin);
