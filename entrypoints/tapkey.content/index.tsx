/**
 * The Tapkey portal content script: on a lock's detail page it offers "Map to Tapkey lock"
 * and "Copy lock ID"; on a lock list page "Capture all locks on this page". It follows the
 * portal's client-side navigation and records every lock viewed (source: captured). Like the
 * manager's script it stays small: it starts after the page's load event, shows the one
 * language the background sends, and the mapping dialog loads on its first open
 * (components/portal/lazy-dialogs.ts).
 */
import { signal } from '@preact/signals';
import { render } from 'preact';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { PortalDialogsContext } from '../../components/portal/dialogs.ts';
import { lazyPortalDialogs } from '../../components/portal/lazy-dialogs.ts';
import { TapkeyPortalPanel, type PortalPage } from '../../components/TapkeyPortalPanel.tsx';
import { acceptTrustedEventsOnly } from '../../components/trusted-events.ts';
import { createUi, UiContext } from '../../components/ui-context.ts';
import { setupAfterLoad, watchPage } from '../../lib/watch-page.ts';
import { translatorOf } from '../../components/translator.ts';
import type { CapturedLock } from '../../lib/messages.ts';
import { sendMessage } from '../../lib/messages/send.ts';
import { classifyPage, mainHeading, samePage, UI_TAG } from './page.ts';
import { candidateUuids, namedLockId } from '../../lib/lock-url.ts';
import { panelCss } from '../../components/panel-style.ts';

/** How long an untrusted title must stay unchanged before the lock is recorded with it. */
const CAPTURE_SETTLE_MS = 600;
/** Page mutations come in bursts; read the page once per burst. */
const UPDATE_DEBOUNCE_MS = 30;

export default defineContentScript({
  matches: ['https://my.tapkey.com/*'],
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  main(ctx) {
    // Not awaited (lib/watch-page.ts, setupAfterLoad).
    void start(ctx);
  },
});

async function start(ctx: ContentScriptContext) {
  const setup = await setupAfterLoad(UI_TAG, () => sendMessage({ type: 'portalPage' }));
  if (!setup || ctx.isInvalid) return;

  const page = signal<PortalPage>({ kind: 'none' });
  // One language's strings, sent by the background with the setup.
  const ui = createUi(setup.language, sendMessage, translatorOf(setup.strings));
  const Root = () => (
    <UiContext.Provider value={ui}>
      <PortalDialogsContext.Provider value={lazyPortalDialogs}>
        <TapkeyPortalPanel page={page} />
      </PortalDialogsContext.Provider>
    </UiContext.Provider>
  );

  const shadow = await createShadowRootUi<HTMLElement>(ctx, {
    name: UI_TAG,
    position: 'inline',
    anchor: 'body',
    append: 'last',
    css: panelCss,
    // The portal's own scripts share this document: closed, they cannot read or reach our UI.
    mode: 'closed',
    // Keys typed in our search field must not trigger the portal's shortcuts.
    isolateEvents: true,
    onMount: (container) => {
      render(<Root />, container);
      return container;
    },
    onRemove: (container) => {
      if (container) render(null, container);
    },
  });

  // Only the user's own events act: the page may dispatch events at our elements.
  ctx.onInvalidated(acceptTrustedEventsOnly(shadow.shadow));

  // Every lock viewed is recorded (source: captured). Right after an SPA navigation the
  // page may still show the previous lock's heading, so a title is trusted at once only if
  // it is a heading that differs from the one shown before the URL changed; otherwise it
  // is recorded once ID and title have stopped changing.
  const captured = new Set<string>();
  let captureTimer: number | undefined;
  let lockId: string | null = null;
  let headingBefore = '';
  let lastHeading = '';
  function capture(lock: CapturedLock) {
    const key = `${lock.id}\n${lock.title}`;
    if (captured.has(key)) return;
    captured.add(key);
    // Not set up yet, or offline (then it is queued): nothing to tell the user here.
    sendMessage({ type: 'captureLocks', locks: [lock] }).catch(() => undefined);
  }
  function noteLock(lock: CapturedLock) {
    const heading = mainHeading(document);
    if (lock.id !== lockId) {
      lockId = lock.id;
      headingBefore = lastHeading;
    }
    lastHeading = heading;
    clearTimeout(captureTimer);
    if (heading && heading === lock.title && heading !== headingBefore) return capture(lock);
    captureTimer = ctx.setTimeout(() => {
      const now = page.value;
      if (now.kind === 'lock' && now.lock.id === lock.id && now.lock.title === lock.title && lock.title) capture(lock);
    }, CAPTURE_SETTLE_MS);
  }

  // Locks the organization knows among the URL's bare UUIDs (no `locks` segment), asked once per URL.
  const knownLocks = new Set<string>();
  const askedFor = new Set<string>();
  function askKnown(url: string) {
    if (askedFor.has(url) || namedLockId(url)) return;
    askedFor.add(url);
    const ids = [...new Set(candidateUuids(url))].slice(-10);
    if (!ids.length) return;
    sendMessage({ type: 'knownLocks', ids })
      .then(({ known }) => {
        if (!known.length) return;
        known.forEach((id) => knownLocks.add(id));
        if (ctx.isValid) update();
      })
      .catch(() => undefined);
  }

  function update() {
    if (ctx.isInvalid) return;
    askKnown(location.href);
    const next = classifyPage(document, location.href, knownLocks);
    if (!samePage(page.value, next)) page.value = next;
    if (next.kind !== 'lock') {
      lockId = null;
      lastHeading = mainHeading(document);
    }
    if (next.kind === 'none') {
      if (shadow.mounted) shadow.remove();
      return;
    }
    // The portal may re-render <body> and drop our host: put it back, once.
    if (shadow.mounted && !shadow.shadowHost.isConnected) shadow.remove();
    if (!shadow.mounted) shadow.mount();
    if (next.kind === 'lock') noteLock(next.lock);
  }

  watchPage(ctx, update, UPDATE_DEBOUNCE_MS);
}

