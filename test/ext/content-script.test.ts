// @vitest-environment happy-dom
/**
 * The real portal content script (entrypoints/tapkey.content) in happy-dom with WXT's fake
 * browser answering its messages: it follows SPA navigation, never mounts twice, records
 * viewed locks, and cleans up when its context is invalidated.
 */
import { waitFor, within } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import script from '../../entrypoints/tapkey.content/index.tsx';
import { UI_TAG } from '../../entrypoints/tapkey.content/page.ts';
import { portalStrings } from '../../lib/i18n/portal-strings.ts';
import type { AnyMessageInput } from '../../lib/messages.ts';
import { recordShadowRoots, shadowRootOf, userEventsAreTrusted } from '../helpers/page-isolation.ts';

// The UI is in a closed shadow root and acts on trusted events only: see the helper.
recordShadowRoots();
userEventsAreTrusted();

const OWNER = '7d2f3c1e-0b5a-4c7e-9f1a-2b3c4d5e6f70';
const A = 'ea610634-4fc0-4084-85b2-bebf52c3595f';
const B = 'bd2d5ff1-35f2-4a5e-9d1c-03e3a0f1a111';
const base = 'https://my.tapkey.com';

let received: AnyMessageInput[];
const contexts: ContentScriptContext[] = [];

/** What the SPA does: change the URL, then render the new page. */
function navigate(path: string, html: string) {
  history.pushState(null, '', path);
  document.body.innerHTML = html;
}

async function start() {
  const ctx = new ContentScriptContext('tapkey', script);
  contexts.push(ctx);
  await script.main(ctx);
  // main returns at once; the control comes once the page has loaded and the background has
  // answered (entrypoints/tapkey.content/index.tsx). Every test starts on a lock page.
  await waitFor(() => expect(hosts()).toHaveLength(1));
  return ctx;
}

const hosts = () => document.querySelectorAll(UI_TAG);
const ui = () => within(shadowRootOf(hosts()[0]) as unknown as HTMLElement);
/** A button inside our shadow root, once it is there (the host may be re-mounted meanwhile). */
const findButton = (name: string) => waitFor(() => ui().getByRole('button', { name }));

beforeEach(() => {
  fakeBrowser.reset();
  received = [];
  const onMessage = fakeBrowser.runtime.onMessage as unknown as { addListener(cb: (message: AnyMessageInput) => Promise<unknown>): void };
  onMessage.addListener(async (message) => {
    received.push(message);
    if (message.type === 'portalPage') return { ok: true, data: { language: 'de', strings: portalStrings('de') } };
    if (message.type === 'status') return { ok: true, data: { state: 'connected', organizationName: 'Demo', checkedAt: null, message: null, queue: { pending: 0, failed: 0 }, language: 'de' } };
    if (message.type === 'getMappingForLock') return { ok: true, data: { mapping: null, stale: false, queued: null } };
    if (message.type === 'captureLocks') return { ok: true, data: { status: 'saved', created: 1, updated: 0, unchanged: 0 } };
    return { ok: false, error: { kind: 'forbidden', message: 'no', fieldErrors: [] } };
  });
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${base}/owners/${OWNER}/locks/${A}`);
  document.body.innerHTML = '<main><h1>Unit A-12</h1></main>';
});

afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.notifyInvalidated();
  document.body.innerHTML = '';
});

describe('portal content script', () => {
  it('shows the control on a lock page, in the user’s language, and records the viewed lock', async () => {
    await start();
    expect(hosts()).toHaveLength(1);
    // The background said the user chose German.
    expect(await findButton('Tapkey-Schloss zuordnen')).toBeTruthy();
    await waitFor(() =>
      expect(received).toContainEqual({ type: 'captureLocks', locks: [{ id: A, title: 'Unit A-12', pageUrl: `${base}/owners/${OWNER}/locks/${A}` }] }),
    );
    expect(received).toContainEqual({ type: 'getMappingForLock', lockId: A });
  });

  it('follows SPA navigation to another lock, to a list, and off lock pages', async () => {
    await start();
    await findButton('Tapkey-Schloss zuordnen');

    navigate(`/owners/${OWNER}/locks/${B}`, '<main><h1>Main entrance</h1></main>');
    await waitFor(() => expect(received).toContainEqual({ type: 'getMappingForLock', lockId: B }));
    await waitFor(() => expect(received).toContainEqual({ type: 'captureLocks', locks: [{ id: B, title: 'Main entrance', pageUrl: `${base}/owners/${OWNER}/locks/${B}` }] }));

    navigate(`/owners/${OWNER}/locks`, `<h1>Locks</h1><a href="/owners/${OWNER}/locks/${A}">Unit A-12</a><a href="/owners/${OWNER}/locks/${B}">Main entrance</a>`);
    expect(await findButton('Alle Schlösser dieser Seite erfassen')).toBeTruthy();
    expect(ui().queryByRole('button', { name: 'Tapkey-Schloss zuordnen' })).toBeNull();

    navigate('/owners/' + OWNER + '/users', '<h1>Users</h1>');
    await waitFor(() => expect(hosts()).toHaveLength(0));

    // Back to a lock: mounted again, once.
    history.back();
    navigate(`/owners/${OWNER}/locks/${A}`, '<main><h1>Unit A-12</h1></main>');
    await waitFor(() => expect(hosts()).toHaveLength(1));
    expect(await findButton('Tapkey-Schloss zuordnen')).toBeTruthy();
  });

  it('does not record a lock under the previous page’s heading while the SPA is still rendering', async () => {
    await start();
    await waitFor(() => expect(received.filter((m) => m.type === 'captureLocks')).toHaveLength(1));
    // The URL changed but the old heading is still on screen…
    history.pushState(null, '', `/owners/${OWNER}/locks/${B}`);
    document.body.append(document.createElement('p'));
    await new Promise((r) => setTimeout(r, 100));
    // …then the new page renders.
    document.body.innerHTML = '<main><h1>Main entrance</h1></main>';
    await waitFor(() => expect(received.filter((m) => m.type === 'captureLocks')).toHaveLength(2));
    const captures = received.filter((m) => m.type === 'captureLocks') as Extract<AnyMessageInput, { type: 'captureLocks' }>[];
    expect(captures.map((m) => m.locks[0]!.title)).toEqual(['Unit A-12', 'Main entrance']);
  });

  it('is never injected twice: a newer copy replaces the older one', async () => {
    const first = await start();
    await start();
    expect(first.isInvalid).toBe(true);
    expect(hosts()).toHaveLength(1);
    navigate(`/owners/${OWNER}/locks/${B}`, '<main><h1>Main entrance</h1></main>');
    await waitFor(() => expect(received).toContainEqual({ type: 'getMappingForLock', lockId: B }));
    expect(hosts()).toHaveLength(1);
  });

  it('puts its host back when the page replaces <body> content, and removes it when invalidated', async () => {
    const ctx = await start();
    document.body.innerHTML = '<main><h1>Unit A-12</h1><p>re-rendered</p></main>';
    await waitFor(() => expect(hosts()).toHaveLength(1));
    ctx.notifyInvalidated();
    expect(hosts()).toHaveLength(0);
    navigate(`/owners/${OWNER}/locks/${B}`, '<main><h1>Main entrance</h1></main>');
    await new Promise((r) => setTimeout(r, 100));
    expect(hosts()).toHaveLength(0);
  });
});
