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
