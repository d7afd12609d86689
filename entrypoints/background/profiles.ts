/**
 * Site profiles in the background: their storage, the host permission each needs, and the
 * manager content script's dynamic registration. A profile is switched on by the user's
 * "Grant access to this site" (the options page calls `permissions.request` from that click),
 * and the script is registered only for profiles switched on whose host is granted: added on
 * grant, removed when the profile, its switch or the permission goes, and reconciled on every
 * service-worker start (registrations persist across browser restarts in Chrome; reconciling
 * also repairs them where they do not). Saving a profile never starts a script by itself, even
 * on a host the extension already holds for another reason.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { ScriptPublicPath } from 'wxt/utils/inject-script';
import type { SiteProfilesView } from '../../lib/messages.ts';
import { originMatchPattern, siteProfileSchema, siteProfilesSchema, type SiteProfile } from '../../lib/site-profile/index.ts';

export const MANAGER_SCRIPT_ID = 'accessbridge-manager-pages';
/** The built `entrypoints/manager.content/` (registration: 'runtime', so not in the manifest). */
export const MANAGER_SCRIPT_FILE: ScriptPublicPath = '/content-scripts/manager.js';
/** The built `entrypoints/manager-preview.ts`, injected for the options page's "test on a tab". */
export const PREVIEW_SCRIPT_FILE: ScriptPublicPath = '/manager-preview.js';

/** The profiles as the user saved them (validated again on every read). */
export const siteProfilesItem = storage.defineItem<unknown[]>('local:siteProfiles', {
  fallback: [],
  version: 1,
});

/** Stored profiles that still validate, ids and origins unique (the first one wins). */
export async function readProfiles(): Promise<{ profiles: SiteProfile[]; invalid: number }> {
  const stored = await siteProfilesItem.getValue();
  const profiles: SiteProfile[] = [];
  for (const raw of stored) {
    const parsed = siteProfileSchema.safeParse(raw);
    if (!parsed.success) continue;
    if (siteProfilesSchema.safeParse([...profiles, parsed.data]).success) profiles.push(parsed.data);
  }
  return { profiles, invalid: stored.length - profiles.length };
}

export async function writeProfiles(profiles: SiteProfile[]): Promise<void> {
  await siteProfilesItem.setValue(siteProfilesSchema.parse(profiles));
}

/** Ids of the profiles the user granted access for ("Grant access to this site"). */
export const activeProfilesItem = storage.defineItem<string[]>('local:activeSiteProfiles', {
  fallback: [],
  version: 1,
});

export async function setActive(id: string, active: boolean): Promise<void> {
  const ids = (await activeProfilesItem.getValue()).filter((x) => x !== id);
  await activeProfilesItem.setValue(active ? [...ids, id] : ids);
}

/** The stored profiles the user switched on (their host may still be withdrawn). */
export async function activeProfiles(): Promise<SiteProfile[]> {
  const [{ profiles }, ids] = await Promise.all([readProfiles(), activeProfilesItem.getValue()]);
  return profiles.filter((p) => ids.includes(p.id));
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

async function isGranted(pattern: string): Promise<boolean> {
  try {
    return await browser.permissions.contains({ origins: [pattern] });
  } catch {
    return false;
  }
}

/** Match patterns of `profiles` whose host permission is granted. */
export async function grantedPatterns(profiles: readonly SiteProfile[]): Promise<string[]> {
  const patterns = unique(profiles.map((p) => originMatchPattern(p.origin)));
  const granted = await Promise.all(patterns.map(isGranted));
  return patterns.filter((_, i) => granted[i]);
}

async function registeredPatterns(): Promise<string[] | null> {
  const [script] = await browser.scripting.getRegisteredContentScripts({ ids: [MANAGER_SCRIPT_ID] });
  return script ? (script.matches ?? []) : null;
}

/**
 * Makes the registration match the active, granted profiles: one registration for all their
 * patterns (several profiles may share a host on different ports), none when there are none.
 */
export async function syncManagerScripts(): Promise<string[]> {
  const patterns = await grantedPatterns(await activeProfiles());
  const current = await registeredPatterns();
  if (!patterns.length) {
    if (current) await browser.scripting.unregisterContentScripts({ ids: [MANAGER_SCRIPT_ID] });
    return [];
  }
  const script = { id: MANAGER_SCRIPT_ID, matches: patterns, js: [MANAGER_SCRIPT_FILE], runAt: 'document_idle' as const, persistAcrossSessions: true };
  if (!current) await browser.scripting.registerContentScripts([script]);
  else if (current.slice().sort().join() !== patterns.slice().sort().join()) await browser.scripting.updateContentScripts([script]);
  return patterns;
}

/**
 * Puts the manager script into tabs already open on `patterns` (a newly granted site, or after
 * an install or update), so the admin need not reload. A copy already running there stops
 * itself when the new one starts (WXT's content-script context), so controls never double.
 */
export async function injectManagerScript(patterns: string[]): Promise<number> {
  if (!patterns.length) return 0;
  const tabs = await browser.tabs.query({ url: patterns });
  const results = await Promise.allSettled(
    tabs.filter((t) => t.id !== undefined).map((t) => browser.scripting.executeScript({ target: { tabId: t.id! }, files: [MANAGER_SCRIPT_FILE] })),
  );
  return results.filter((r) => r.status === 'fulfilled').length;
}

export async function profilesView(): Promise<SiteProfilesView> {
  const [{ profiles, invalid }, active] = await Promise.all([readProfiles(), activeProfilesItem.getValue()]);
  const granted = new Set(await grantedPatterns(profiles));
  const registered = new Set((await registeredPatterns()) ?? []);
  return {
    invalid,
    profiles: profiles.map((profile) => {
      const pattern = originMatchPattern(profile.origin);
      return { profile, pattern, active: active.includes(profile.id), granted: granted.has(pattern), registered: registered.has(pattern) };
    }),
  };
}

/**
 * Hosts other parts of the extension rely on (the portal origins, the API), never given back
 * when a profile on the same host is removed.
 */
export type HostsInUse = () => Promise<string[]>;

/** Gives back a profile's host permission unless another profile or `inUse` still needs it. */
export async function releasePattern(pattern: string, inUse: HostsInUse): Promise<void> {
  const stillNeeded = (await activeProfiles()).some((p) => originMatchPattern(p.origin) === pattern);
  if (stillNeeded) return;
  const others = (await inUse()).map((origin) => {
    try {
      return originMatchPattern(origin);
    } catch {
      return null;
    }
  });
  if (others.includes(pattern)) return;
  // Chrome refuses to remove hosts the manifest requires; that is fine, nothing to give back.
  await browser.permissions.remove({ origins: [pattern] }).catch(() => false);
}

/**
 * Listeners and start-up work, called once in the service worker's first turn. `onStart` runs
 * after every wake-up (e.g. to make the demo profile follow the sandbox).
 */
export function registerManagerBackground(onStart: () => Promise<void>): void {
  // The user can grant or withdraw a host in the browser's own UI too.
  browser.permissions.onAdded.addListener(() => void syncManagerScripts().catch(() => undefined));
  browser.permissions.onRemoved.addListener(() => void syncManagerScripts().catch(() => undefined));
  browser.runtime.onInstalled.addListener(() => {
    void syncManagerScripts()
      .then(injectManagerScript)
      .catch((e: unknown) => console.warn('AccessBridge: could not set up manager pages', e));
  });
  void (async () => {
    await onStart().catch(() => undefined);
    await syncManagerScripts().catch((e: unknown) => console.warn('AccessBridge: could not register the manager script', e));
  })();
}
