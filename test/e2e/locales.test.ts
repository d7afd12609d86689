/**
 * The extension in German and French: Chromium is started with `--lang=de` / `--lang=fr`, the
 * user sets it up through options in that language, and every surface (options with the
 * guided setup, popup, booking dialog, Tapkey portal control and dialog, manager control) shows
 * the translated strings and none of the English catalog texts; a language chosen in options
 * then overrides the browser's, in options, portal control and popup. Screenshots per language go
 * to docs/screenshots/*-de.png / *-fr.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { allTables, translate, type Language, type MessageKey } from '../../lib/i18n/index.ts';
import { demoLocks, demoUnits } from '../../sandbox/demo-data.ts';
import { saveShot, setUpThroughOptions, startWorld, type World } from './helpers/sandbox-world.ts';

const locks = demoLocks(demoUnits());
const tables = allTables() as Record<Language, Record<string, string>>;

/** All text a user sees, including inside our open shadow roots (innerText skips those). */
function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walk = (root: Document | ShadowRoot | Element) => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    const collect = (root: Node) => {
      const tw = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
      for (let n: Node | null = tw.currentNode; n; n = tw.nextNode()) {
        if (n instanceof Element) {
          if (n.shadowRoot) collect(n.shadowRoot);
          for (const attr of ['aria-label', 'placeholder', 'title']) {
            const v = n.getAttribute(attr);
            if (v) out.push(v);
          }
          continue;
        }
        const parent = (n as Text).parentElement;
        if (!parent || ['SCRIPT', 'STYLE'].includes(parent.tagName)) continue;
        const box = parent.getBoundingClientRect();
        const style = getComputedStyle(parent);
        if (style.visibility !== 'hidden' && style.display !== 'none' && (box.width > 0 || box.height > 0)) out.push(n.textContent ?? '');
      }
    };
    walk(document);
    collect(document.body);
    return out.join('\n').replace(/[ \t]+/g, ' ');
  });
}

/**
 * English catalog texts on the page that differ from `lang`'s own text for the same key.
 * Short texts (one word, product names) are skipped: "Status" or "OK" are the same in German.
 */
function englishLeftovers(text: string, lang: Language): string[] {
  const found: string[] = [];
  for (const [key, en] of Object.entries(tables.en)) {
    const own = tables[lang][key]!;
    if (own === en || en.length < 12 || !/\s/.test(en)) continue;
    const pattern = en
      .split(/\{\w+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.{1,80}?');
    // Only fixed parts long enough to be telling; a template like "{a} · {b}" proves nothing.
    if (en.replace(/\{\w+\}/g, '').trim().length < 12) continue;
    if (new RegExp(pattern).test(text)) found.push(`${key}: ${en}`);
  }
  return found;
}

describe.each(['de', 'fr'] as const)('the extension in %s', (lang) => {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
  let world: World;
  let options: Page;

  afterAll(async () => {
    await world?.close();
  });

  it('the leftover check finds English catalog text (so a clean result means something)', () => {
    expect(englishLeftovers('Preferences saved.', lang)).toEqual(['options.preferences.saved: Preferences saved.']);
    expect(englishLeftovers(t('options.preferences.saved'), lang)).toEqual([]);
  });

  it('follows the browser language in options, and the guided setup reaches "done"', async () => {
    world = await startWorld({ lang });
    options = await setUpThroughOptions(world, lang);
    await options.getByRole('heading', { level: 1, name: t('options.title') }).waitFor();
    const guide = options.getByRole('region', { name: t('setup.heading') });
    await guide.getByRole('status').filter({ hasText: t('setup.allDone') }).waitFor();
    expect(await options.evaluate(() => document.documentElement.lang)).toBe(lang);
    expect(englishLeftovers(await visibleText(options), lang)).toEqual([]);
    await options.setViewportSize({ width: 900, height: 900 });
    await saveShot(options, `options-${lang}`);
  });

  it('translates the Tapkey portal control and its dialog', async () => {
    const page = await world.browser.context.newPage();
    await page.setViewportSize({ width: 1100, height: 760 });
    await page.goto(world.portal.at(world.portal.lockPath(locks[0]!.id)));
    await page.getByRole('button', { name: t('tapkey.map.button') }).click();
    const dialog = page.getByRole('dialog', { name: t('tapkey.dialog.title', { title: 'Unit A-01' }) });
    await dialog.getByRole('region', { name: t('mapping.unit.suggested') }).waitFor();
    expect(englishLeftovers(await visibleText(page), lang)).toEqual([]);
    await saveShot(dialog, `portal-mapping-dialog-${lang}`);
    await page.close();
  });

  it('translates the manager unit control and its dialog', async () => {
    const page = await world.browser.context.newPage();
    await page.setViewportSize({ width: 1100, height: 760 });
    await page.goto(`${world.managerUrl}/units/U1002`);
    await page.getByRole('button', { name: t('manager.unit.map') }).click();
    const dialog = page.getByRole('dialog', { name: t('manager.locks.title', { unit: 'A-03' }) });
    await dialog.getByRole('region', { name: t('mapping.lock.suggested') }).waitFor();
    expect(englishLeftovers(await visibleText(page), lang)).toEqual([]);
    await saveShot(page, `manager-unit-page-${lang}`);
    await page.close();
  });

  it('translates the popup and the booking dialog', async () => {
    const page = await world.browser.context.newPage();
    await page.setViewportSize({ width: 760, height: 900 });
    await page.goto(world.browser.extensionUrl('/popup.html'));
    await page.getByText(t('kcui.popup.state.connected', { organization: world.api.organizationName })).waitFor();
    expect(englishLeftovers(await visibleText(page), lang)).toEqual([]);
    await page.getByRole('button', { name: t('kcui.open') }).click();
    await page.getByRole('dialog', { name: t('kcui.dialog.title') }).waitFor();
    await page.waitForTimeout(500);
    expect(englishLeftovers(await visibleText(page), lang)).toEqual([]);
    await saveShot(page, `keycafe-booking-dialog-${lang}`);
    await page.close();
  });

  it('lets the user choose another language in options, which the portal control and popup follow', async () => {
    const other: Language = lang === 'de' ? 'fr' : 'de';
    await options.getByLabel(t('options.language.label'), { exact: true }).selectOption(other);
    await options.getByRole('heading', { level: 1, name: translate(other, 'options.title') }).waitFor();
    expect(await options.evaluate(() => document.documentElement.lang)).toBe(other);

    const page = await world.browser.context.newPage();
    await page.goto(world.portal.at(world.portal.lockPath(locks[1]!.id)));
    await page.getByRole('button', { name: translate(other, 'tapkey.map.button') }).waitFor();
    await page.goto(world.browser.extensionUrl('/popup.html'));
    await page.getByRole('button', { name: translate(other, 'kcui.open') }).waitFor();
    await page.close();
  });
});
