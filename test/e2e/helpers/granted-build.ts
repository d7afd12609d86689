/**
 * A copy of the built extension whose manifest also lists `hosts` under host_permissions, as
 * if the user had accepted the browser's prompt for them (and, by default, whose UI shadow
 * roots are open for Playwright's locators: see openShadowRootsForLocators). Headless Chromium cannot click the
 * prompt that `permissions.request` opens; for hosts already granted the call resolves `true`
 * without one, so the options page's "Grant access to this site" runs its real path
 * (permissions.request → background → scripting.registerContentScripts) unchanged.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROME_BUILD } from './extension.ts';

export interface GrantedBuild {
  path: string;
  remove(): void;
}

/** A copy of `source`, taken again while a build running meanwhile leaves it incomplete. */
async function copyBuild(source: string, dir: string, need: string[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    rmSync(dir, { recursive: true, force: true });
    try {
      cpSync(source, dir, { recursive: true });
    } catch {
      // Files vanished mid-copy: a build is replacing the output.
    }
    if (need.every((f) => existsSync(join(dir, f)))) return;
    if (attempt === 20) throw new Error(`No complete extension build at ${source}: run "npm run build:chrome" first.`);
    await new Promise((r) => setTimeout(r, 1500));
  }
}

/** The content scripts whose UI lives in a shadow root (entrypoints/*.content). */
const SHADOW_UI_SCRIPTS = ['content-scripts/manager.js', 'content-scripts/tapkey.js'];
const CLOSED = 'mode:"closed"';

/**
 * The build ships closed shadow roots, so page scripts cannot read or click our UI (tested on
 * the shipped build in test/e2e/page-isolation.test.ts). Playwright's locators are scripts in
 * the page too and pierce open roots only: for the tests that drive the UI by role and name,
 * this copy opens them — the one `attachShadow` mode literal of each content script, which
 * must be there exactly once — and changes nothing else. The shipped build has no such switch.
 */
function openShadowRootsForLocators(dir: string) {
  for (const script of SHADOW_UI_SCRIPTS) {
    const file = join(dir, script);
    const code = readFileSync(file, 'utf8');
    const found = code.split(CLOSED).length - 1;
    if (found !== 1) throw new Error(`${script}: expected one ${CLOSED} (the UI's shadow root), found ${found}`);
    writeFileSync(file, code.replace(CLOSED, 'mode:"open"'));
  }
}

export async function buildWithHostPermissions(hosts: string[], need: string[] = [], source = CHROME_BUILD, opts: { openShadowRoots?: boolean } = {}): Promise<GrantedBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'ab-granted-build-'));
  await copyBuild(source, dir, ['manifest.json', 'background.js', ...SHADOW_UI_SCRIPTS, ...need]);
  const file = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { host_permissions?: string[] };
  manifest.host_permissions = [...new Set([...(manifest.host_permissions ?? []), ...hosts])];
  writeFileSync(file, JSON.stringify(manifest, null, 2));
  if (opts.openShadowRoots ?? true) openShadowRootsForLocators(dir);
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
