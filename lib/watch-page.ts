/**
 * Runs a content script's `update` whenever a single-page app may have shown another page:
 * History API and hash navigation (WXT's `wxt:locationchange`, which watches the Navigation
 * API or polls in Firefox), `popstate`, `hashchange`, and DOM changes — SPAs render the new
 * page after the URL changes, and may replace the element the script's UI sat beside.
 * Debounced, so a burst of changes reads the page once; stops with the script's context.
 * Runs `update` once right away.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';

export function watchPage(ctx: ContentScriptContext, update: () => void, debounceMs: number): void {
  let timer: number | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = ctx.setTimeout(update, debounceMs);
  };
  ctx.addEventListener(window, 'wxt:locationchange', schedule);
  ctx.addEventListener(window, 'popstate', schedule);
  ctx.addEventListener(window, 'hashchange', schedule);
  const observer = new MutationObserver(schedule);
  observer.observe(document.body ?? document.documentElement, { childList: true, subtree: true, characterData: true });
  ctx.onInvalidated(() => {
    observer.disconnect();
    clearTimeout(timer);
  });
  update();
}

/**
 * Resolves once the page's load event has passed: in a task after it, since what a promise
 * resolved in the listener runs next would still count as the page's load event.
 */
export function pageLoaded(): Promise<void> {
  if (document.readyState === 'complete') return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('load', () => setTimeout(resolve), { once: true }));
}

/**
 * How a content script starts: it removes a copy of its UI (`uiTag`) left by a previous
 * version whose context could not clean up after itself, waits for the page's load event, then
 * asks the background for its setup. Asking earlier (the background may have to start) or
 * reading the page would compete with the page's own loading. Null when the background does
 * not answer (the extension was updated or reloaded meanwhile, or the page is not served).
 * Call it without awaiting it in `main`: Chromium holds the page's load event until the
 * promise a content script returns has settled.
 */
export async function setupAfterLoad<T>(uiTag: string, ask: () => Promise<T>): Promise<T | null> {
  document.querySelectorAll(uiTag).forEach((el) => el.remove());
  try {
    await pageLoaded();
    return await ask();
  } catch {
    return null;
  }
}
