/**
 * The options page's look at a manager's open tabs: "Test on an open tab" reads one with a
 * draft profile, "Guess from open tabs" looks at each and merges what they show into a first
 * profile. Both run the pure page code bundled in the preview script (entrypoints/
 * manager-preview.ts) inside the tab, pass profiles in as data, and trust nothing that comes
 * back before it validates.
 */
import { browser } from 'wxt/browser';
import { originOf, type GuessResult, type PreviewResult, type PreviewTab } from '../../lib/messages.ts';
import { guessProfile, originMatchPattern, originSchema, pageGuessSchema, pageReadingSchema, type PageGuess, type SiteProfile } from '../../lib/site-profile/index.ts';
import { ApiCallError } from './api-client.ts';
import { PREVIEW_SCRIPT_FILE } from './profiles.ts';

/** Tabs looked at for a guess: enough for a unit and a booking page among some others. */
export const MAX_GUESS_TABS = 8;

/** Tabs of exactly `origin` (the pattern covers every port), the most recently used first. */
export async function tabsOn(origin: string): Promise<PreviewTab[]> {
  const tabs = await browser.tabs.query({ url: originMatchPattern(origin) });
  return tabs
    .filter((t) => t.id !== undefined && t.url && originOf(t.url) === origin)
    .sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))
    .map((t) => ({ id: t.id!, title: t.title ?? t.url!, url: t.url! }));
}

const unexpected = () => new ApiCallError({ kind: 'invalid_response', message: 'The page gave an unexpected answer.', fieldErrors: [] });

type Globals = { __accessbridgePreview: (p: unknown) => unknown; __accessbridgeGuess: () => unknown };

/** Reads `tab` with `profile`: the reader first, then the profile as data. */
async function readTab(tab: PreviewTab, tabs: PreviewTab[], profile: SiteProfile): Promise<Extract<PreviewResult, { status: 'read' }>> {
  await browser.scripting.executeScript({ target: { tabId: tab.id }, files: [PREVIEW_SCRIPT_FILE] });
  const [result] = await browser.scripting.executeScript({
    target: { tabId: tab.id },
    func: (p: unknown) => (globalThis as unknown as Globals).__accessbridgePreview(p),
    args: [profile],
  });
  const answer = result?.result ?? null;
  const reading = answer === null ? null : pageReadingSchema.safeParse(answer);
  if (reading && !reading.success) throw unexpected();
  return { status: 'read', tabs, tab, reading: reading ? reading.data : null };
}

/** "Test on an open tab": `tabId`, else the origin's most recently used tab. */
export async function previewProfile(profile: SiteProfile, tabId: number | undefined): Promise<PreviewResult> {
  const pattern = originMatchPattern(profile.origin);
  if (!(await browser.permissions.contains({ origins: [pattern] }))) return { status: 'no_permission', pattern };
  const tabs = await tabsOn(profile.origin);
  const tab = tabs.find((t) => t.id === tabId) ?? tabs[0];
  if (!tab) return { status: 'no_tab', origin: profile.origin };
  return readTab(tab, tabs, profile);
}

/** What one tab shows, or null when it cannot be looked at (closed meanwhile, an error page). */
async function guessTab(tab: PreviewTab): Promise<PageGuess | null> {
  try {
    await browser.scripting.executeScript({ target: { tabId: tab.id }, files: [PREVIEW_SCRIPT_FILE] });
    const [result] = await browser.scripting.executeScript({ target: { tabId: tab.id }, func: () => (globalThis as unknown as Globals).__accessbridgeGuess() });
    const parsed = pageGuessSchema.safeParse(result?.result);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * "Guess from open tabs": looks at the origin's open tabs, merges what they show into one
 * profile, and reads `tabId` (else the most recent tab the guess recognised) with it.
 */
export async function guessFromTabs(rawOrigin: string, tabId: number | undefined): Promise<GuessResult> {
  const parsed = originSchema.safeParse(rawOrigin);
  if (!parsed.success)
    throw new ApiCallError({ kind: 'bad_message', message: 'The site address is not valid.', fieldErrors: parsed.error.issues.map((i) => ({ path: 'origin', message: i.message })) });
  const origin = parsed.data;
  const pattern = originMatchPattern(origin);
  if (!(await browser.permissions.contains({ origins: [pattern] }))) return { status: 'no_permission', pattern };
  const tabs = await tabsOn(origin);
  if (!tabs.length) return { status: 'no_tab', origin };
  const looked = tabs.slice(0, MAX_GUESS_TABS);
  const guesses = await Promise.all(looked.map(guessTab));
  const pages = looked.map((tab, i) => ({ tab, kind: guesses[i]?.kind ?? null }));
  const profile = guessProfile(origin, guesses.filter((g): g is PageGuess => g !== null));
  const tab = tabs.find((t) => t.id === tabId) ?? pages.find((p) => p.kind)?.tab ?? tabs[0]!;
  return { status: 'guessed', profile, pages, preview: await readTab(tab, tabs, profile) };
}
