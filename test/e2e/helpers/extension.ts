/**
 * Chromium (Debian's /usr/bin/chromium, never a downloaded one) with the built extension,
 * driven by playwright-core. Reused by every end-to-end test that needs the extension.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROME_BUILD = resolve(import.meta.dirname, '../../../.output/chrome-mv3');

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** The extension's background service worker. */
  serviceWorker: Worker;
  /** chrome-extension://<id><path> */
  extensionUrl(path: string): string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  extensionPath?: string;
  /** Chromium host-resolver rules, e.g. "MAP my.tapkey.com 127.0.0.1:4443". */
  hostRules?: string[];
  /** Accept self-signed certificates (the sandbox portal served as https://my.tapkey.com). */
  ignoreCertificateErrors?: boolean;
  /** Extra Chromium flags, e.g. `--lang=de` to start in another UI language. */
  args?: string[];
  /** Playwright's locale for pages (navigator.language, Accept-Language). */
  locale?: string;
}

/**
 * Launches Chromium with only our extension loaded. `headless: true` is Chromium's new
 * headless mode, which (unlike the old one) runs extensions and their service workers.
 */
export async function launchWithExtension(opts: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const extensionPath = opts.extensionPath ?? CHROME_BUILD;
  if (!existsSync(join(extensionPath, 'manifest.json'))) {
    throw new Error(`No built extension at ${extensionPath}: run "npm run build:chrome" first.`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'ab-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    ignoreHTTPSErrors: opts.ignoreCertificateErrors ?? false,
    ...(opts.locale ? { locale: opts.locale } : {}),
    args: [
      `--disable-extensions-except=${extensionPath}`,
      `--load-extension=${extensionPath}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      ...(opts.hostRules?.length ? [`--host-resolver-rules=${opts.hostRules.join(',')}`] : []),
      ...(opts.ignoreCertificateErrors ? ['--ignore-certificate-errors'] : []),
      ...(opts.args ?? []),
    ],
  });
  try {
    const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
    const extensionId = new URL(serviceWorker.url()).host;
    return {
      context,
      extensionId,
      serviceWorker,
      extensionUrl: (path) => `chrome-extension://${extensionId}${path.startsWith('/') ? path : `/${path}`}`,
      close: async () => {
        await context.close();
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/** The service worker as it is now (Chromium may have stopped and restarted it). */
export async function currentServiceWorker(browser: ExtensionBrowser): Promise<Worker> {
  return (
    browser.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${browser.extensionId}/`)) ??
    (await browser.context.waitForEvent('serviceworker', { timeout: 30_000 }))
  );
}

export async function openOptions(browser: ExtensionBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('/options.html'));
  await page.getByRole('heading', { level: 1 }).waitFor();
  return page;
}

/**
 * Enters the API URL and token in the options page, saves, and waits for
 * "Connected to <organization>". Returns the options page (left open).
 */
export async function configureApi(browser: ExtensionBrowser, api: { url: string; token: string; organizationName: string }): Promise<Page> {
  const page = await openOptions(browser);
  await page.getByLabel('API URL').fill(api.url);
  await page.getByLabel('API token').fill(api.token);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: `Connected to ${api.organizationName}` }).waitFor();
  return page;
}

/** The text on the extension's toolbar badge (pending + failed queued changes). */
export async function badgeText(browser: ExtensionBrowser): Promise<string> {
  const worker = await currentServiceWorker(browser);
  type Chrome = { action: { getBadgeText(details: object): Promise<string> } };
  return worker.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.action.getBadgeText({}));
}
