/**
 * Getting the portal content script into pages: the manifest covers the default portal
 * origin for new page loads; tabs already open when the extension is installed or updated
 * get it injected; portal origins the user adds are registered dynamically once their host
 * permission is granted.
 */
import { browser } from 'wxt/browser';
import type { ScriptPublicPath } from 'wxt/utils/inject-script';
import { DEFAULT_PORTAL_ORIGIN } from '../../lib/storage.ts';

const EXTRA_ORIGINS_SCRIPT_ID = 'tapkey-portal-extra-origins';

export const originPattern = (origin: string) => `${origin}/*`;

/** The built portal script's files, read from the manifest so build naming never drifts. */
function portalScriptFiles(): ScriptPublicPath[] {
  const scripts = browser.runtime.getManifest().content_scripts ?? [];
  return (scripts.find((s) => s.matches?.includes(originPattern(DEFAULT_PORTAL_ORIGIN)))?.js ?? []) as ScriptPublicPath[];
}

async function granted(origins: readonly string[]): Promise<string[]> {
  const checks = await Promise.all(origins.map((o) => browser.permissions.contains({ origins: [originPattern(o)] })));
  return origins.filter((_, i) => checks[i]);
}

/** Registers the portal script for the user's extra origins (only those still permitted). */
export async function syncPortalScripts(extraOrigins: readonly string[]): Promise<void> {
  const origins = await granted(extraOrigins);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [EXTRA_ORIGINS_SCRIPT_ID] });
  if (!origins.length) {
    if (existing.length) await browser.scripting.unregisterContentScripts({ ids: [EXTRA_ORIGINS_SCRIPT_ID] });
    return;
  }
  const script = { id: EXTRA_ORIGINS_SCRIPT_ID, matches: origins.map(originPattern), js: portalScriptFiles(), runAt: 'document_idle' as const };
  if (existing.length) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
}

async function injectInto(patterns: string[], files: ScriptPublicPath[]): Promise<number> {
  if (!patterns.length || !files.length) return 0;
  const tabs = await browser.tabs.query({ url: patterns });
  const results = await Promise.allSettled(
    tabs.filter((t) => t.id !== undefined).map((t) => browser.scripting.executeScript({ target: { tabId: t.id! }, files })),
  );
  // Tabs that are discarded, crashed or showing an error page refuse injection; skip them.
  return results.filter((r) => r.status === 'fulfilled').length;
}

/**
 * Injects the content scripts into already open matching tabs (after install/update the
 * browser does not do it). A copy left over from the previous version stops itself when the
 * new one starts (WXT's content-script context), so the page never gets two controls.
 */
export async function injectIntoOpenTabs(extraOrigins: readonly string[]): Promise<number> {
  let count = 0;
  for (const script of browser.runtime.getManifest().content_scripts ?? []) {
    count += await injectInto(script.matches ?? [], (script.js ?? []) as ScriptPublicPath[]);
  }
  count += await injectInto((await granted(extraOrigins)).map(originPattern), portalScriptFiles());
  return count;
}
