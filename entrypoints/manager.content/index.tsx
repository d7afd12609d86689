/**
 * The manager content script, registered at run time for the origins of granted site profiles
 * (entrypoints/background/profiles.ts). On a unit page it offers "Map to Tapkey lock"; on a
 * booking page the tenant's Tapkey access and "Grant Keycafe access"; on a booking list page
 * (the profile's list mode) "Capture all bookings on this page"; on a page it cannot read
 * it says why. It follows the manager's client-side navigation and is never injected twice.
 */
import { signal } from '@preact/signals';
import { render } from 'preact';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createMessageKeycafeApi } from '../../components/keycafe/message-api.ts';
import { ManagerDialogsContext } from '../../components/manager/dialogs.ts';
import { lazyManagerDialogs } from '../../components/manager/lazy-dialogs.tsx';
import { ManagerPanel } from '../../components/manager/ManagerPanel.tsx';
import { pageFromReading, samePage, type ManagerPage } from '../../components/manager/page-state.ts';
import { acceptTrustedEventsOnly } from '../../components/trusted-events.ts';
import { createUi, UiContext } from '../../components/ui-context.ts';
import { setupAfterLoad, watchPage } from '../../lib/watch-page.ts';
import { translatorOf } from '../../components/translator.ts';
import { sendMessage } from '../../lib/messages/send.ts';
import { findAnchor, readPage } from '../../lib/site-profile/extract.ts';
import type { Anchor, SiteProfile } from '../../lib/site-profile/index.ts';
import { readBookingList, type ListReading } from '../../lib/site-profile-list.ts';
import { CaptureBookingsButton } from '../../components/manager/CaptureBookingsButton.tsx';
import { managerCss } from './style.ts';

/** The tag of our shadow-root host; never read as page content. */
export const UI_TAG = 'accessbridge-manager';
/** Page mutations come in bursts; read the page once per burst. */
const UPDATE_DEBOUNCE_MS = 50;

type Placement = { element: Element; position: Anchor['position'] } | null;

function anchorOf(profile: SiteProfile, kind: 'unit' | 'booking'): Anchor | undefined {
  return kind === 'unit' ? profile.unitPage.anchor : profile.bookingPage?.anchor;
}

/** Where the profile's anchor puts the host element (null: floating at the end of <body>). */
function place(placement: Placement, host: Element) {
  if (!placement) return document.body.append(host);
  const { element, position } = placement;
  if (position === 'before') element.before(host);
  else if (position === 'after') element.after(host);
  else if (position === 'prepend') element.prepend(host);
  else element.append(host);
}

export default defineContentScript({
  // Registered by the background per granted profile; no static `matches`, so the manifest
  // asks for no manager host at install time.
  registration: 'runtime',
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  main(ctx) {
    // Not awaited (lib/watch-page.ts, setupAfterLoad).
    void start(ctx);
  },
});

async function start(ctx: ContentScriptContext) {
  const setup = await setupAfterLoad(UI_TAG, () => sendMessage({ type: 'managerPage' }));
  // No answer: not a profile's origin (the pattern covers every port of the host), or the
  // extension was updated meanwhile. Nothing to do on this page.
  if (!setup?.profiles.length || ctx.isInvalid) return;
  const profiles = setup.profiles;

  const page = signal<ManagerPage>({ kind: 'none' });
  const listPage = signal<ListReading | null>(null);
  // One language's strings, sent by the background with the setup.
  const ui = createUi(setup.language, sendMessage, translatorOf(setup.strings));
  // The page could read booking codes shown here: the background leaves them out and the
  // dialog points to the toolbar popup instead.
  const keycafe = createMessageKeycafeApi(sendMessage, ui.t, { codesHidden: true });
  let placement: Placement = null;

  // A list page shows the capture button; any other page the unit or booking panel.
  const Root = () => (listPage.value ? <CaptureBookingsButton key={JSON.stringify(listPage.value)} list={listPage.value} /> : <ManagerPanel page={page} keycafe={keycafe} />);

  const shadow = await createShadowRootUi<HTMLElement>(ctx, {
    name: UI_TAG,
    position: 'inline',
    anchor: 'body',
    append: (_anchor, host) => place(placement, host),
    // The Keycafe dialog brings its own styles when it loads (entrypoints/manager-dialogs.tsx).
    css: managerCss,
    // The manager's own scripts share this document: closed, they cannot read what we show
    // (host.shadowRoot is null for them) nor reach our controls.
    mode: 'closed',
    // Keys typed in our fields must not trigger the manager's shortcuts.
    isolateEvents: true,
    onMount: (container) => {
      render(
        <UiContext.Provider value={ui}>
          <ManagerDialogsContext.Provider value={lazyManagerDialogs}>
            <Root />
          </ManagerDialogsContext.Provider>
        </UiContext.Provider>,
        container,
      );
      return container;
    },
    onRemove: (container) => {
      if (container) render(null, container);
    },
  });

  // Only the user's own events act: the page may dispatch events at our elements.
  ctx.onInvalidated(acceptTrustedEventsOnly(shadow.shadow));

  function placeAt(anchor: Anchor | undefined) {
    const found = anchor ? findAnchor(document, anchor) : null;
    const want: Placement = found?.ok ? { element: found.element, position: found.position } : null;
    // The SPA replaced the part of the page we sat in, or the anchor moved: place it again.
    const moved = want?.element !== placement?.element || want?.position !== placement?.position;
    if (shadow.mounted && (moved || !shadow.shadowHost.isConnected)) shadow.remove();
    placement = want;
    if (!shadow.mounted) shadow.mount();
  }

  function update() {
    if (ctx.isInvalid) return;
    const list = readBookingList(document, location.href, profiles);
    if (JSON.stringify(list) !== JSON.stringify(listPage.value)) listPage.value = list;
    if (list) {
      if (page.value.kind !== 'none') page.value = { kind: 'none' };
      return placeAt(profiles.find((p) => p.id === list.profileId)?.list?.anchor);
    }
    const reading = readPage(document, location.href, profiles);
    const next = pageFromReading(reading, profiles);
    if (!samePage(page.value, next)) page.value = next;
    if (!reading) {
      if (shadow.mounted) shadow.remove();
      placement = null;
      return;
    }
    const profile = profiles.find((p) => p.id === reading.profileId)!;
    placeAt(anchorOf(profile, reading.kind));
  }

  watchPage(ctx, update, UPDATE_DEBOUNCE_MS);
}

