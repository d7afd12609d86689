/**
 * The extension as shipped (.output/chrome-mv3, not the copies with open roots the other UI
 * tests use) in real Chromium, on the sandbox portal served as https://my.tapkey.com: the
 * page's own scripts find our host element but no shadow root, none of our text and none of
 * our controls — Playwright's locators, scripts in the page like theirs, find nothing either —
 * while the browser's accessibility tree (what assistive technology reads) has the controls,
 * and a real click of the user on "Map to Tapkey lock" opens the dialog.
 */
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLocks, demoUnits } from '../../sandbox/demo-data.ts';
import { launchWithExtension, type ExtensionBrowser } from './helpers/extension.ts';
import { servePortalAsTapkey, type PortalAsTapkey } from './helpers/portal.ts';
import { waitUntil } from '../helpers/wait.ts';

const locks = demoLocks(demoUnits());

let portal: PortalAsTapkey;
let browser: ExtensionBrowser;
let page: Page;
let cdp: CDPSession;

interface AxNode {
  role?: { value?: string };
  name?: { value?: string };
  backendDOMNodeId?: number;
}

/** Nodes of the page's accessibility tree with this role and name (shadow trees included). */
async function axNodes(role: string, name: string): Promise<AxNode[]> {
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  return nodes.filter((n) => n.role?.value === role && n.name?.value === name);
}

const untilAx = (role: string, name: string, ms = 15_000): Promise<AxNode> =>
  waitUntil(`${role} “${name}” in the accessibility tree`, async () => (await axNodes(role, name))[0], ms, 200);

beforeAll(async () => {
  portal = await servePortalAsTapkey();
  browser = await launchWithExtension({ hostRules: [portal.hostRule], ignoreCertificateErrors: true });
  page = await browser.context.newPage();
  cdp = await browser.context.newCDPSession(page);
  await cdp.send('Accessibility.enable');
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

describe('the shipped build keeps page scripts out of its UI', () => {
  it('a Tapkey portal lock page: the UI is there for the user, closed to the page', async () => {
    await page.goto(portal.at(portal.lockPath(locks[0]!.id)));
    await page.locator('accessbridge-tapkey').waitFor({ state: 'attached' });
    // Rendered and accessible: the browser itself sees the control.
    const map = await untilAx('button', 'Map to Tapkey lock');

    // What the page's own script sees.
    const seen = await page.evaluate(() => {
      const host = document.querySelector('accessbridge-tapkey')!;
      return {
        shadowRoot: host.shadowRoot === null ? 'null' : 'open',
        text: document.body.innerText.includes('Map to Tapkey lock') || document.documentElement.textContent!.includes('Map to Tapkey lock'),
        buttons: [...document.querySelectorAll('button')].map((b) => b.textContent),
      };
    });
    expect(seen).toEqual({ shadowRoot: 'null', text: false, buttons: expect.not.arrayContaining(['Map to Tapkey lock']) });
    expect(await page.getByRole('button', { name: 'Map to Tapkey lock' }).count()).toBe(0);

    // A real click of the user (trusted) where the browser lays the button out opens the dialog.
    const { model } = (await cdp.send('DOM.getBoxModel', { backendNodeId: map.backendDOMNodeId! })) as { model: { content: number[] } };
    const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
    await page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
    await untilAx('dialog', `Map “${locks[0]!.title}” to a unit`);
    expect(await page.getByRole('dialog').count()).toBe(0);
  });
});
