/**
 * The whole demo for the UI-wide end-to-end tests (accessibility, languages, screenshots):
 * every sandbox fake, the API seeded like `npm start` (a location connected to the sandbox
 * Tapkey and Keycafe, locks imported, units pushed), the sandbox portal served as
 * https://my.tapkey.com, and Chromium with the extension connected and, if asked, the demo
 * manager granted. `lang` starts Chromium in that UI language (`--lang`), so the extension
 * follows the browser as it would for a user.
 */
// api.ts first: serve.ts extends zod for OpenAPI before any schema is created.
import { startE2eApi, type E2eApi } from './api.ts';
import type { Locator, Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { startSandbox, type Sandbox } from '../../../sandbox/index.ts';
import { seedDemo } from '../../../sandbox/demo.ts';
import { translate, type Language, type MessageKey } from '../../../lib/i18n/index.ts';
import { launchWithExtension, type ExtensionBrowser } from './extension.ts';
import { buildWithHostPermissions, type GrantedBuild } from './granted-build.ts';
import { servePortalAsTapkey, type PortalAsTapkey } from './portal.ts';

export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../../docs/screenshots');

export interface World {
  api: E2eApi;
  sandbox: Sandbox;
  portal: PortalAsTapkey;
  browser: ExtensionBrowser;
  locationId: string;
  managerUrl: string;
  close(): Promise<void>;
}

export async function startWorld(opts: { lang?: string } = {}): Promise<World> {
  const sandbox = await startSandbox();
  const api = await startE2eApi({ worker: true, sandboxUrls: sandbox.urls });
  const demo = await seedDemo(api.url, api.token);
  const portal = await servePortalAsTapkey();
  // The sandbox manager's host, as if the user had accepted the browser's prompt for it.
  const build: GrantedBuild = await buildWithHostPermissions(['http://127.0.0.1/*']);
  const browser = await launchWithExtension({
    extensionPath: build.path,
    hostRules: [portal.hostRule],
    ignoreCertificateErrors: true,
    ...(opts.lang ? { args: [`--lang=${opts.lang}`], locale: opts.lang } : {}),
  });
  return {
    api,
    sandbox,
    portal,
    browser,
    locationId: demo.locationId,
    managerUrl: sandbox.urls.manager!,
    async close() {
      await browser.close();
      build.remove();
      await api.close();
      await portal.close();
      await sandbox.close();
    },
  };
}

/** Saves a PNG under docs/screenshots (kept current by the tests, shown in the README). */
export async function saveShot(target: Page | Locator, name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = resolve(SCREENSHOT_DIR, `${name}.png`);
  await ('setViewportSize' in target ? target.screenshot(clip ? { path, clip } : { path, fullPage: true }) : target.screenshot({ path }));
  return path;
}

/**
 * What a user does in options on the first day, in `lang`'s words: enter the API URL and
 * token, save, choose the demo location, add the demo manager and grant it. Returns the page.
 */
export async function setUpThroughOptions(world: World, lang: Language): Promise<Page> {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
  const page = await world.browser.context.newPage();
  await page.goto(world.browser.extensionUrl('/options.html'));
  await page.getByLabel(t('options.apiUrl.label'), { exact: true }).fill(world.api.url);
  await page.getByLabel(t('options.token.label'), { exact: true }).fill(world.api.token);
  await page.getByRole('button', { name: t('common.save'), exact: true }).first().click();
  await page.getByRole('status').filter({ hasText: t('options.connected', { org: world.api.organizationName }) }).waitFor();

  const location = page.getByLabel(t('options.location.label'), { exact: true });
  await location.locator(`option[value="${world.locationId}"]`).waitFor({ state: 'attached' });
  await location.selectOption(world.locationId);
  await page.getByRole('status').filter({ hasText: t('options.preferences.saved') }).waitFor();

  const sites = page.getByRole('region', { name: t('manager.profiles.heading'), exact: true });
  await sites.getByRole('button', { name: t('manager.profiles.useDemo') }).click();
  const demo = sites.getByRole('region', { name: 'Demo manager (sandbox)' });
  // The test build already holds the sandbox host (granted-build.ts), so saving the profile
  // may register the script at once; otherwise "Grant access" does, without a prompt.
  const active = demo.getByText(t('manager.profiles.active'));
  const grant = demo.getByRole('button', { name: t('manager.profiles.grant') });
  await active.or(grant).first().waitFor();
  if (await grant.isVisible()) {
    await grant.click();
    await page.getByRole('status').filter({ hasText: t('manager.profiles.granted', { origin: world.managerUrl }) }).waitFor();
  }
  await active.waitFor();
  return page;
}

/** Runs axe-core in the page (open shadow roots included) and returns the serious/critical findings. */
export async function axeFindings(page: Page, include?: string): Promise<string[]> {
  // evaluate() goes through the DevTools protocol, so extension pages' CSP does not block it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource());
  const violations = await page.evaluate(async (selector) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(selector ? { include: [[selector]] } : document, { resultTypes: ['violations'] });
    return result.violations;
  }, include ?? null);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}) at ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`));
}

let axeCache: string | null = null;
function axeSource(): string {
  axeCache ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeCache;
}
