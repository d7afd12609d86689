// @vitest-environment happy-dom
/**
 * Page scripts cannot reach the extension's UI. The real content scripts (manager pages, the
 * Tapkey portal) mount their UI in a closed shadow root — the page sees `host.shadowRoot ===
 * null` and none of our text or controls in its DOM — and act only on trusted events: a click,
 * submit or key the page dispatches at our controls does nothing, the user's does. The dialog
 * hosted on a manager page points to the toolbar popup for booking codes.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BookingResult } from '../../components/keycafe/BookingResult.tsx';
import { createUi, UiContext } from '../../components/ui-context.ts';
import managerDialogsScript from '../../entrypoints/manager-dialogs.tsx';
import managerScript, { UI_TAG as MANAGER_TAG } from '../../entrypoints/manager.content/index.tsx';
import portalDialogsScript from '../../entrypoints/portal-dialogs.tsx';
import portalScript from '../../entrypoints/tapkey.content/index.tsx';
import { UI_TAG as PORTAL_TAG } from '../../entrypoints/tapkey.content/page.ts';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { translate } from '../../lib/i18n/index.ts';
import { managerStrings } from '../../lib/i18n/manager-strings.ts';
import { portalStrings } from '../../lib/i18n/portal-strings.ts';
import type { AnyMessageInput } from '../../lib/messages.ts';
import { demoManagerProfile } from '../../lib/site-profile/index.ts';
import { bookingPage } from '../../sandbox/manager/pages.ts';
import { ManagerWorld } from '../../sandbox/manager/state.ts';
import { pageEvent, recordShadowRoots, shadowRootOf, userEventsAreTrusted } from '../helpers/page-isolation.ts';

recordShadowRoots();
userEventsAreTrusted();

const MANAGER_ORIGIN = 'http://127.0.0.1:4100';
const OWNER = '7d2f3c1e-0b5a-4c7e-9f1a-2b3c4d5e6f70';
const LOCK = '0c7f4d6e-8a3b-4c2d-9e1f-5a6b7c8d9e0f';
const world = new ManagerWorld();

let received: AnyMessageInput[];
const contexts: ContentScriptContext[] = [];

function answer(message: AnyMessageInput): unknown {
  switch (message.type) {
    case 'managerPage':
      return { profiles: [demoManagerProfile(MANAGER_ORIGIN)], language: 'en', strings: managerStrings('en') };
    case 'managerDialogs':
      // The background injects the dialogs' script into the page's isolated world: here, this one.
      void managerDialogsScript.main();
      return { injected: true };
    case 'portalPage':
      return { language: 'en', strings: portalStrings('en') };
    case 'portalDialogs':
      // The same for the portal's mapping dialog.
      void portalDialogsScript.main();
      return { injected: true };
    case 'pushBooking':
      return { booking: { access: { status: 'sync_off', message: 'No access: sync is off for this booking (gradual mode).' }, accessRevoked: false, grant: null } };
    case 'status':
      return { state: 'connected', organizationName: 'Demo', checkedAt: null, message: null, queue: { pending: 0, failed: 0 }, language: 'en' };
    case 'getMappingForLock':
      return { mapping: null, stale: false, queued: null };
    case 'captureLocks':
      return { status: 'saved', created: 1, updated: 0, unchanged: 0 };
    default:
      return null;
  }
}

beforeEach(() => {
  fakeBrowser.reset();
  received = [];
  const onMessage = fakeBrowser.runtime.onMessage as unknown as { addListener(cb: (message: AnyMessageInput) => Promise<unknown>): void };
  onMessage.addListener(async (message) => {
    received.push(message);
    const data = answer(message);
    return data ? { ok: true, data } : { ok: false, error: { kind: 'forbidden', message: 'no', fieldErrors: [] } };
  });
});

afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.notifyInvalidated();
  document.body.innerHTML = '';
  cleanup();
});

async function startManagerOnBooking() {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${MANAGER_ORIGIN}/bookings/B5000`);
  document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(bookingPage(world, world.booking('B5000')!))![1]!;
  const ctx = new ContentScriptContext('manager', managerScript);
  contexts.push(ctx);
  await managerScript.main(ctx);
  const host = await waitFor(() => {
    const el = document.querySelector(MANAGER_TAG);
    if (!el) throw new Error('not mounted');
    return el;
  });
  const ui = within(shadowRootOf(host) as unknown as HTMLElement);
  await waitFor(() => ui.getByText('Tapkey access: none'));
  return { host, ui };
}

async function startPortalOnLock() {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`https://my.tapkey.com/owners/${OWNER}/locks/${LOCK}`);
  document.body.innerHTML = '<main><h1>Unit A-12</h1></main>';
  const ctx = new ContentScriptContext('tapkey', portalScript);
  contexts.push(ctx);
  await portalScript.main(ctx);
  const host = await waitFor(() => {
    const el = document.querySelector(PORTAL_TAG);
    if (!el) throw new Error('not mounted');
    return el;
  });
  const ui = within(shadowRootOf(host) as unknown as HTMLElement);
  await waitFor(() => ui.getByRole('button', { name: 'Map to Tapkey lock' }));
  return { host, ui };
}

/** What a page script can do with a reference to one of our elements. */
const pageClick = (el: Element) => el.dispatchEvent(pageEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true })));

describe('manager pages', () => {
  it('the page sees a closed root: no shadowRoot, none of our text or controls in its DOM', async () => {
    const { host, ui } = await startManagerOnBooking();
    expect(ui.getByRole('button', { name: 'Grant Keycafe access' })).toBeTruthy();
    expect(host.shadowRoot).toBeNull();
    expect(document.body.textContent).not.toContain('Grant Keycafe access');
    expect(document.body.textContent).not.toContain('Tapkey access');
    expect([...document.querySelectorAll('button')].map((b) => b.textContent)).not.toContain('Grant Keycafe access');
  });

  it('a click the page dispatches does not open the booking dialog; the user’s does', async () => {
    const { ui } = await startManagerOnBooking();
    const open = ui.getByRole('button', { name: 'Grant Keycafe access' });
    pageClick(open);
    await new Promise((r) => setTimeout(r, 50));
    expect(ui.queryByRole('dialog')).toBeNull();
    fireEvent.click(open);
    expect(await ui.findByRole('dialog', { name: 'Grant Keycafe access' })).toBeTruthy();
  });

  it('in the dialog, a page’s submit, click on "Grant access" and Escape do nothing; the user’s submit does', async () => {
    const { ui } = await startManagerOnBooking();
    fireEvent.click(ui.getByRole('button', { name: 'Grant Keycafe access' }));
    const dialog = await ui.findByRole('dialog', { name: 'Grant Keycafe access' });
    const grant = within(dialog).getByRole('button', { name: 'Grant access' });
    const form = grant.closest('form')!;
    pageClick(grant);
    form.dispatchEvent(pageEvent(new Event('submit', { bubbles: true, cancelable: true })));
    dialog.dispatchEvent(pageEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true })));
    await new Promise((r) => setTimeout(r, 50));
    // Neither validated nor sent nor closed: the handlers never ran.
    expect(ui.getByRole('dialog', { name: 'Grant Keycafe access' })).toBe(dialog);
    const checkFields = translate('en', 'kcui.submit.checkFields');
    expect(within(dialog).queryByText(checkFields)).toBeNull();
    expect(dialog.querySelector('[aria-invalid="true"]')).toBeNull();
    expect(received.some((m) => m.type === 'keycafeBook')).toBe(false);
    // The user's submit runs the form's checks (no key chosen yet).
    fireEvent.submit(form);
    await within(dialog).findByText(checkFields);
    expect(dialog.querySelector('[aria-invalid="true"]')).not.toBeNull();
  });
});

describe('focus in a closed root', () => {
  it('closing the booking dialog gives focus back to its opener inside the root', async () => {
    const { host, ui } = await startManagerOnBooking();
    const open = ui.getByRole('button', { name: 'Grant Keycafe access' });
    open.focus();
    fireEvent.click(open);
    const dialog = await ui.findByRole('dialog', { name: 'Grant Keycafe access' });
    await waitFor(() => expect(shadowRootOf(host)!.activeElement).toBe(dialog));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(ui.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(shadowRootOf(host)!.activeElement).toBe(ui.getByRole('button', { name: 'Grant Keycafe access' })));
  });
});

describe('the Tapkey portal', () => {
  it('the page sees a closed root and cannot open the mapping dialog; the user can', async () => {
    const { host, ui } = await startPortalOnLock();
    expect(host.shadowRoot).toBeNull();
    expect(document.body.textContent).not.toContain('Map to Tapkey lock');
    const map = ui.getByRole('button', { name: 'Map to Tapkey lock' });
    pageClick(map);
    await new Promise((r) => setTimeout(r, 50));
    expect(ui.queryByRole('dialog')).toBeNull();
    fireEvent.click(map);
    expect(await ui.findByRole('dialog')).toBeTruthy();
  });
});

describe('the booking result on a page-hosted dialog', () => {
  const booked = {
    id: '6f1c0a52-4a8e-4a38-9d55-0a0b7c7d9e01',
    locationId: '6f1c0a52-4a8e-4a38-9d55-0a0b7c7d9e02',
    type: 'ongoing',
    allKeys: false,
    recipient: { email: 'v@example.com', mobile: null },
    locale: 'en',
    name: null,
    timeZone: 'Europe/Berlin',
    startsAt: null,
    endsAt: null,
    returnReminder: false,
    reminderAt: null,
    reminder: null,
    start: null,
    end: null,
    requireVisitorId: false,
    visitors: 1,
    photoVerification: false,
    state: 'active',
    // As the background sends it to a manager page: no code, no link.
    accesses: [{ keyId: 'k1', keyName: 'Key 1', state: 'active', reason: null, keycafeAccessId: 'a1', bookingCode: null, checkinLink: null, addedBySync: false, updatedAt: '2030-01-01T00:00:00.000Z' }],
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
  } as unknown as KeycafeBooking;
  const ui = createUi('en', (() => Promise.reject(new Error('no messages'))) as never, translate);

  it('says where the codes are instead', () => {
    render(
      <UiContext.Provider value={ui}>
        <BookingResult booking={booked} retrying={false} onRetry={() => undefined} onCopied={() => undefined} codesHidden />
      </UiContext.Provider>,
    );
    expect(screen.getByText(translate('en', 'isolation.codesInPopup'))).toBeTruthy();
  });

  it('the popup’s dialog does not', () => {
    render(
      <UiContext.Provider value={ui}>
        <BookingResult booking={booked} retrying={false} onRetry={() => undefined} onCopied={() => undefined} />
      </UiContext.Provider>,
    );
    expect(screen.queryByText(translate('en', 'isolation.codesInPopup'))).toBeNull();
  });
});
