/**
 * A copy of the built extension whose manifest also lists `hosts` under host_permissions, as
 * if the user had accepted the browser's prompt for them. Headless Chromium cannot click the
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

export async function buildWithHostPermissions(hosts: string[], need: string[] = [], source = CHROME_BUILD): Promise<GrantedBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'ab-granted-build-'));
  await copyBuild(source, dir, ['manifest.json', 'background.js', ...need]);
  const file = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { host_permissions?: string[] };
  manifest.host_permissions = [...new Set([...(manifest.host_permissions ?? []), ...hosts])];
  writeFileSync(file, JSON.stringify(manifest, null, 2));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
