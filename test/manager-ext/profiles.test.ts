/**
 * Site profiles in the background service worker (entrypoints/background/index.ts with WXT's
 * fake browser and an in-memory model of host permissions and dynamic content scripts):
 * saving registers nothing, granting after the options page's prompt registers the manager
 * script, withdrawing (from options or the browser) unregisters it, a restarted worker
 * registers again, and only the manager script on a profile's exact origin may talk to it.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { demoManagerProfile, kinnovisManagerTemplate, type PageReading } from '../../lib/site-profile/index.ts';
import type { SiteProfilesView } from '../../lib/messages.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { answer, ask as deliver, optionsPage, startBackground as start } from '../helpers/background.ts';
import { fakeHostAccess } from './fake-host-access.ts';
import { sandboxDeps } from '../../sandbox/api-deps.ts';

const DEMO = 'http://127.0.0.1:4100';
const PATTERN = 'http://127.0.0.1/*';
const SCRIPT_ID = 'accessbridge-manager-pages';

const page = optionsPage;
const managerTab = (url: string) => ({ id: fakeBrowser.runtime.id, url, tab: { id: 7 } });

let host: ReturnType<typeof fakeHostAccess>;
let tabs: { id: number; url: string; title: string; lastAccessed?: number }[];

const ask = <T = unknown>(message: unknown, sender: object = page()) => deliver<T>(message, sender);
const ok = <T>(message: unknown, sender: object = page()) => answer<T>(message, sender);

const view = () => ok<SiteProfilesView>({ type: 'listSiteProfiles' });
const demoView = async () => (await view()).profiles.find((p) => p.profile.id === 'demo-manager')!;

beforeEach(() => {
  fakeBrowser.reset();
  host = fakeHostAccess();
  tabs = [];
  fakeBrowser.tabs.query = vi.fn(async () => tabs) as never;
});

describe('granting a manager site', () => {
  it('registers nothing on save; registers the manager script once the host is granted, and injects it into open tabs', async () => {
    await start();
    tabs = [{ id: 41, url: `${DEMO}/units/U1`, title: 'Unit' }];
    await ok({ type: 'saveSiteProfile', profile: demoManagerProfile(DEMO) });
    expect(await demoView()).toMatchObject({ pattern: PATTERN, active: false, granted: false, registered: false });
    expect(host.registered.size).toBe(0);

    // The options page asks first; without the user's yes the background refuses.
    const refused = await ask({ type: 'grantSiteProfile', id: 'demo-manager' });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'forbidden', message: `Access to ${DEMO} was not granted.` } });
    expect(host.registered.size).toBe(0);

    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    const granted = await ok<SiteProfilesView>({ type: 'grantSiteProfile', id: 'demo-manager' });
    expect(granted.profiles[0]).toMatchObject({ active: true, granted: true, registered: true });
    expect(host.registered.get(SCRIPT_ID)).toEqual({
      id: SCRIPT_ID,
      matches: [PATTERN],
      js: ['/content-scripts/manager.js'],
      runAt: 'document_idle',
      persistAcrossSessions: true,
    });
    expect(host.scripting.executeScript).toHaveBeenCalledWith({ target: { tabId: 41 }, files: ['/content-scripts/manager.js'] });
  });

  it('does not start a script on a host granted for another reason until the user grants the site', async () => {
    host = fakeHostAccess([PATTERN]);
    await start();
    await ok({ type: 'saveSiteProfile', profile: demoManagerProfile(DEMO) });
    expect(await demoView()).toMatchObject({ active: false, granted: true, registered: false });
    expect(host.registered.size).toBe(0);
  });

  it('withdrawing in options unregisters the script and gives the host back', async () => {
    await start();
    await ok({ type: 'saveSiteProfile', profile: demoManagerProfile(DEMO) });
    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    await ok({ type: 'grantSiteProfile', id: 'demo-manager' });

    const after = await ok<SiteProfilesView>({ type: 'revokeSiteProfile', id: 'demo-manager' });
    expect(after.profiles[0]).toMatchObject({ active: false, granted: false, registered: false });
    expect(host.registered.size).toBe(0);
    expect(host.permissions.remove).toHaveBeenCalledWith({ origins: [PATTERN] });
  });

  it('follows the browser: a host withdrawn in its settings unregisters, granted again registers', async () => {
    await start();
    await ok({ type: 'saveSiteProfile', profile: demoManagerProfile(DEMO) });
    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    await ok({ type: 'grantSiteProfile', id: 'demo-manager' });

    await host.withdraw(PATTERN);
    await vi.waitFor(() => expect(host.registered.size).toBe(0));
    expect(await demoView()).toMatchObject({ active: true, granted: false, registered: false });

    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    await vi.waitFor(() => expect(host.registered.get(SCRIPT_ID)?.matches).toEqual([PATTERN]));
  });

  it('removing a profile unregisters the script but keeps a host the API connection uses', async () => {
    await start();
    await ok({ type: 'saveSettings', apiUrl: 'http://127.0.0.1:8787', token: 'ab_test' });
    await ok({ type: 'saveSiteProfile', profile: demoManagerProfile(DEMO) });
    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    await ok({ type: 'grantSiteProfile', id: 'demo-manager' });

    expect((await ok<SiteProfilesView>({ type: 'removeSiteProfile', id: 'demo-manager' })).profiles).toEqual([]);
    expect(host.registered.size).toBe(0);
    expect(host.permissions.remove).not.toHaveBeenCalled();
  });

  it('shares one registration between profiles on one host, and keeps it while one is left', async () => {
    await start();
    await ok({ type: 'saveSiteProfile', profile: demoManagerProfile(DEMO) });
    await ok({ type: 'saveSiteProfile', profile: kinnovisManagerTemplate('http://127.0.0.1:4200') });
    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    await ok({ type: 'grantSiteProfile', id: 'demo-manager' });
    await ok({ type: 'grantSiteProfile', id: 'kinnovis-manager' });
    expect(host.registered.get(SCRIPT_ID)?.matches).toEqual([PATTERN]);

    await ok({ type: 'removeSiteProfile', id: 'demo-manager' });
    expect(host.registered.get(SCRIPT_ID)?.matches).toEqual([PATTERN]);
    expect(host.permissions.remove).not.toHaveBeenCalled();
    await ok({ type: 'removeSiteProfile', id: 'kinnovis-manager' });
    expect(host.registered.size).toBe(0);
    expect(host.permissions.remove).toHaveBeenCalledWith({ origins: [PATTERN] });
  });

  it('registers again when a new service worker starts, and drops what lost its permission meanwhile', async () => {
    await start();
    await ok({ type: 'saveSiteProfile', profile: demoManagerProfile(DEMO) });
    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    await ok({ type: 'grantSiteProfile', id: 'demo-manager' });

    // A browser that did not keep the registration over a restart.
    host.registered.clear();
    await start();
    await vi.waitFor(() => expect(host.registered.get(SCRIPT_ID)?.matches).toEqual([PATTERN]));

    // Withdrawn while no worker ran (no event seen): the next start removes the registration.
    host.granted.clear();
    await start();
    await vi.waitFor(() => expect(host.registered.size).toBe(0));
  });
});

describe('profile validation', () => {
  it('refuses an invalid profile with field errors the editor can place', async () => {
    await start();
    const bad = { ...demoManagerProfile(DEMO), origin: 'ftp://x', unitPage: { ...demoManagerProfile(DEMO).unitPage, urlPattern: '^/units/(' } };
    const reply = await ask({ type: 'saveSiteProfile', profile: bad });
    expect(reply).toMatchObject({ ok: false, error: { kind: 'bad_message' } });
    const paths = (reply as { error: { fieldErrors: { path: string; message: string }[] } }).error.fieldErrors;
    expect(paths).toEqual(
      expect.arrayContaining([
        { path: 'origin', message: 'Must start with https:// or http://' },
        { path: 'unitPage.urlPattern', message: '`^/units/(` is not a valid regular expression' },
      ]),
    );
    expect((await view()).profiles).toEqual([]);
  });

  it('refuses a second profile for the same origin', async () => {
    await start();
    await ok({ type: 'saveSiteProfile', profile: demoManagerProfile(DEMO) });
    const reply = await ask({ type: 'saveSiteProfile', profile: kinnovisManagerTemplate(DEMO) });
    expect(reply).toMatchObject({ ok: false, error: { kind: 'bad_message', fieldErrors: [{ path: 'origin', message: `The profile “Demo manager (sandbox)” already uses ${DEMO}` }] } });
  });

  it('ignores stored profiles that no longer validate, and says how many', async () => {
    await fakeBrowser.storage.local.set({ siteProfiles: [demoManagerProfile(DEMO), { id: 'Broken!', name: '' }] });
    await start();
    const v = await view();
    expect(v.invalid).toBe(1);
    expect(v.profiles.map((p) => p.profile.id)).toEqual(['demo-manager']);
  });
});

describe('who may ask', () => {
  async function granted() {
    await start();
    await ok({ type: 'saveSiteProfile', profile: demoManagerProfile(DEMO) });
    await ok({ type: 'saveSiteProfile', profile: kinnovisManagerTemplate('https://manager.example.com') });
    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    await ok({ type: 'grantSiteProfile', id: 'demo-manager' });
  }

  it('gives the manager script on a granted profile’s origin its profile, and nothing else', async () => {
    await granted();
    const answer = await ok<{ profiles: { id: string }[]; language: string }>({ type: 'managerPage' }, managerTab(`${DEMO}/units/U1`));
    expect(answer.profiles.map((p) => p.id)).toEqual(['demo-manager']);
    for (const type of ['getSettings', 'listSiteProfiles', 'exportMappingFile', 'captureLocks']) {
      expect(await ask({ type, what: 'mappings', format: 'csv', locks: [] }, managerTab(`${DEMO}/units/U1`))).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
  });

  it('refuses another port of the same host, a profile not granted, and the portal script asking for manager operations', async () => {
    await granted();
    expect(await ask({ type: 'managerPage' }, managerTab('http://127.0.0.1:9999/units/U1'))).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await ask({ type: 'managerPage' }, managerTab('https://manager.example.com/units/U1'))).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    const portal = managerTab('https://my.tapkey.com/#/locks/x');
    expect(await ask({ type: 'upsertUnit', unit: { externalId: 'U1', name: 'A-01', location: null } }, portal)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });
});

describe('"Test on an open tab"', () => {
  it('needs the host, then an open tab of the exact origin, then reads it with the draft profile', async () => {
    await start();
    const profile = demoManagerProfile(DEMO);
    expect(await ok({ type: 'previewSiteProfile', profile })).toEqual({ status: 'no_permission', pattern: PATTERN });

    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    tabs = [{ id: 5, url: 'http://127.0.0.1:9999/units/U1', title: 'Another app on the host' }];
    expect(await ok({ type: 'previewSiteProfile', profile })).toEqual({ status: 'no_tab', origin: DEMO });

    const reading: PageReading = {
      kind: 'unit',
      profileId: 'demo-manager',
      result: { ok: true, value: { externalId: 'U1', name: 'A-01', location: 'Berlin Mitte' }, notes: [] },
      anchor: null,
    };
    tabs = [
      { id: 5, url: `${DEMO}/units/U1`, title: 'Older tab', lastAccessed: 1 },
      { id: 6, url: `${DEMO}/units/U2`, title: 'Newer tab', lastAccessed: 2 },
    ];
    host.scripting.executeScript.mockImplementation(async (injection: unknown) => ('func' in (injection as object) ? [{ result: reading }] : []));
    const result = await ok<{ status: string; tab: { id: number }; reading: PageReading }>({ type: 'previewSiteProfile', profile });
    expect(result).toMatchObject({ status: 'read', tab: { id: 6 }, reading });
    // First the reader, then the draft profile as data, in the most recently used tab.
    expect(host.scripting.executeScript.mock.calls.map(([i]) => i)).toEqual([
      { target: { tabId: 6 }, files: ['/manager-preview.js'] },
      { target: { tabId: 6 }, func: expect.any(Function), args: [profile] },
    ]);
    expect(await ok({ type: 'previewSiteProfile', profile, tabId: 5 })).toMatchObject({ tab: { id: 5 } });
  });

  it('refuses what the page answers if it is not a page reading', async () => {
    await start();
    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    tabs = [{ id: 6, url: `${DEMO}/units/U2`, title: 'Unit' }];
    host.scripting.executeScript.mockImplementation(async (injection: unknown) => ('func' in (injection as object) ? [{ result: { kind: 'unit', evil: true } }] : []));
    expect(await ask({ type: 'previewSiteProfile', profile: demoManagerProfile(DEMO) })).toMatchObject({ ok: false, error: { kind: 'invalid_response' } });
  });
});

describe('the demo manager follows the sandbox', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ deps: sandboxDeps({ manager: 'http://127.0.0.1:4555' }) });
  });
  afterAll(() => api?.close());

  it('tells options where the demo manager runs, and moves the demo profile there when its page asks', async () => {
    await start();
    await ok({ type: 'saveSettings', apiUrl: api.url, token: api.token });
    expect(await ok({ type: 'demoManagerOrigin' })).toEqual({ origin: 'http://127.0.0.1:4555' });

    // Granted last time, on last start's port.
    await ok({ type: 'saveSiteProfile', profile: demoManagerProfile(DEMO) });
    await fakeBrowser.permissions.request({ origins: [PATTERN] });
    await ok({ type: 'grantSiteProfile', id: 'demo-manager' });

    const answer = await ok<{ profiles: { origin: string }[] }>({ type: 'managerPage' }, managerTab('http://127.0.0.1:4555/units/U1'));
    expect(answer.profiles.map((p) => p.origin)).toEqual(['http://127.0.0.1:4555']);
    expect(await demoView()).toMatchObject({ profile: { origin: 'http://127.0.0.1:4555' }, active: true, registered: true });
  });
});
