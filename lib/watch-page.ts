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
 * Resolves once the page's load event has passed. Content scripts wait for it before asking
 * the background (which may have to start) or reading the page: that would compete with the
 * page's own loading.
 */
export function pageLoaded(): Promise<void> {
  if (document.readyState === 'complete') return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
}
