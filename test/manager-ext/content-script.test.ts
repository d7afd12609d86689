// @vitest-environment happy-dom
/**
 * The real manager content script (entrypoints/manager.content) in happy-dom on the demo
 * manager's own pages, with WXT's fake browser answering its messages: controls placed where
 * the profile says, SPA navigation followed, never mounted twice, a broken selector explained
 * on the page, nothing on pages or origins that are not the profile's, gone when invalidated.
 */
import { waitFor, within } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { managerStrings } from '../../lib/i18n/manager-strings.ts';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import script, { UI_TAG } from '../../entrypoints/manager.content/index.tsx';
import type { AnyMessageInput } from '../../lib/messages.ts';
import { demoManagerProfile, type SiteProfile } from '../../lib/site-profile/index.ts';
import { bookingPage, unitListPage, unitPage } from '../../sandbox/manager/pages.ts';
import { ManagerWorld } from '../../sandbox/manager/state.ts';
import { recordShadowRoots, shadowRootOf, userEventsAreTrusted } from '../helpers/page-isolation.ts';

// The UI is in a closed shadow root and acts on trusted events only: see the helper.
recordShadowRoots();
userEventsAreTrusted();

const ORIGIN = 'http://127.0.0.1:4100';
const world = new ManagerWorld();

let received: AnyMessageInput[];
let profiles: SiteProfile[];
const contexts: ContentScriptContext[] = [];

/** The demo manager's page for `path`, as its server renders it (the <body> part). */
function html(path: string): string {
  const [, kind, id] = path.split('/');
  const full = kind === 'bookings' && id ? bookingPage(world, world.booking(id)!) : kind === 'units' && id ? unitPage(world, world.unit(id)!) : unitListPage(world, '');
  return /<body>([\s\S]*)<\/body>/.exec(full)![1]!;
}

function setPage(path: string) {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${ORIGIN}${path}`);
  document.body.innerHTML = html(path);
}

/** What the demo manager's SPA does: new URL first, then the new <main> content. */
function navigate(path: string) {
  history.pushState(null, '', path);
  document.getElementById('app')!.innerHTML = /<main id="app">([\s\S]*)<\/main>/.exec(html(path))![1]!;
}

async function start() {
  const ctx = new ContentScriptContext('manager', script);
  contexts.push(ctx);
  await script.main(ctx);
  return ctx;
}

const hosts = () => document.querySelectorAll(UI_TAG);
const ui = () => within(shadowRootOf(hosts()[0]) as unknown as HTMLElement);

beforeEach(() => {
  fakeBrowser.reset();
  received = [];
  profiles = [demoManagerProfile(ORIGIN)];
  const onMessage = fakeBrowser.runtime.onMessage as unknown as { addListener(cb: (message: AnyMessageInput) => Promise<unknown>): void };
  onMessage.addListener(async (message) => {
    received.push(message);
    const data = (() => {
      switch (message.type) {
        case 'managerPage':
          return profiles.length ? { profiles, language: 'en', strings: managerStrings('en') } : null;
        case 'upsertUnit':
          return { unit: {} };
        case 'unitMapping':
          return { mapping: null };
        case 'pushBooking':
          return { booking: { access: { status: 'sync_off', message: 'No access: sync is off for this booking (gradual mode).' }, accessRevoked: false, grant: null } };
        default:
          return null;
      }
    })();
    return data ? { ok: true, data } : { ok: false, error: { kind: 'forbidden', message: 'no', fieldErrors: [] } };
  });
  setPage('/units/U1000');
});

afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.notifyInvalidated();
  document.body.innerHTML = '';
});

describe('manager content script', () => {
  it('sends the unit read from the page and puts "Map to Tapkey lock" right after the General card', async () => {
    await start();
    await waitFor(() => ui().getByText('Unit A-01 is not mapped to a Tapkey lock yet.'));
    expect(received).toContainEqual({ type: 'upsertUnit', unit: { externalId: 'U1000', name: 'A-01', location: 'Berlin Mitte' } });
    expect(ui().getByRole('button', { name: 'Map to Tapkey lock' })).toBeTruthy();
    expect(hosts()).toHaveLength(1);
    expect(document.getElementById('general-card')!.nextElementSibling!.tagName.toLowerCase()).toBe(UI_TAG);
  });

  it('follows SPA navigation to the next unit and to a booking, mounted once, beside the new content', async () => {
    await start();
    await waitFor(() => ui().getByText('Unit A-01 is not mapped to a Tapkey lock yet.'));
    navigate('/units/U1001');
    await waitFor(() => expect(received).toContainEqual({ type: 'upsertUnit', unit: { externalId: 'U1001', name: 'A-02', location: 'Berlin Mitte' } }));
    await waitFor(() => ui().getByText('Unit A-02 is not mapped to a Tapkey lock yet.'));
    expect(hosts()).toHaveLength(1);
    expect(document.getElementById('general-card')!.nextElementSibling!.tagName.toLowerCase()).toBe(UI_TAG);

    navigate('/bookings/B5000');
    await waitFor(() => ui().getByText('Tapkey access: none'));
    expect(ui().getByRole('button', { name: 'Grant Keycafe access' })).toBeTruthy();
    const pushed = received.find((m) => m.type === 'pushBooking');
    expect(pushed).toMatchObject({ booking: { externalId: 'B5000', unitExternalId: 'U1000', moveIn: '2026-01-01', state: 'active' } });
    expect(hosts()).toHaveLength(1);

    navigate('/units');
    await waitFor(() => expect(hosts()).toHaveLength(0));
  });

  it('explains a page it cannot read, naming the profile, instead of showing controls', async () => {
    const broken = demoManagerProfile(ORIGIN);
    broken.unitPage.fields.name = [{ from: 'selector', selector: '#general-card .renamed-class' }];
    profiles = [broken];
    await start();
    const alert = await waitFor(() => ui().getByRole('alert'));
    expect(alert.textContent).toContain('AccessBridge cannot read this page');
    expect(alert.textContent).toContain('Unit name: selector `#general-card .renamed-class` matched nothing on this page');
    expect(alert.textContent).toContain('Check the site profile “Demo manager (sandbox)” in the AccessBridge options.');
    expect(ui().queryByRole('button', { name: 'Map to Tapkey lock' })).toBeNull();
    expect(received.some((m) => m.type === 'upsertUnit')).toBe(false);
  });

  it('floats the controls and says why when the anchor is missing', async () => {
    const moved = demoManagerProfile(ORIGIN);
    moved.unitPage.anchor.selectors = ['#no-such-card'];
    profiles = [moved];
    await start();
    await waitFor(() => ui().getByRole('button', { name: 'Map to Tapkey lock' }));
    expect(hosts()[0]!.parentElement).toBe(document.body);
    expect(shadowRootOf(hosts()[0])!.querySelector('.ab-panel.ab-floating')).not.toBeNull();
    expect(ui().getByText(/none of the selectors `#no-such-card` matched; the controls are shown in a floating panel instead/)).toBeTruthy();
  });

  it('does nothing on an origin that is not a granted profile’s', async () => {
    profiles = [];
    await start();
    expect(hosts()).toHaveLength(0);
    expect(received.map((m) => m.type)).toEqual(['managerPage']);
  });

  it('removes its controls when its context is invalidated, and a new copy mounts once', async () => {
    const first = await start();
    await waitFor(() => ui().getByRole('button', { name: 'Map to Tapkey lock' }));
    first.notifyInvalidated();
    await waitFor(() => expect(hosts()).toHaveLength(0));

    await start();
    await waitFor(() => ui().getByRole('button', { name: 'Map to Tapkey lock' }));
    expect(hosts()).toHaveLength(1);
  });
});
